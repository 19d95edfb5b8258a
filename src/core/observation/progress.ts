/**
 * What is done and what is still open in an observation: which items are answered, which are not applicable
 * because of a rule, and what remains per domain. Used for the progress bar, the domain tabs and the completion
 * summary.
 */
import type { Instrument, Item, Rule } from '../instrument/types';
import { allItems } from '../instrument/localize';
import type { ItemResponse } from '../model/records';

export type ResponseContent = Pick<ItemResponse, 'rating' | 'answer' | 'choice' | 'count' | 'text' | 'snapshots' | 'lookFors'>;
export type ResponsesByItem = ReadonlyMap<string, ResponseContent>;

/** Whether an item counts as answered for progress. Free text and counters are optional, so they never hold it up. */
export function isAnswered(item: Item, response: ResponseContent | undefined): boolean {
  switch (item.response.type) {
    case 'rating':
      return response?.rating !== undefined;
    case 'yes-no':
      return response?.answer !== undefined;
    case 'choice':
      return (response?.choice?.length ?? 0) > 0;
    case 'checklist':
      return (response?.lookFors.length ?? 0) > 0;
    case 'snapshot':
      return Object.keys(response?.snapshots ?? {}).length > 0;
    case 'counter':
    case 'text':
      return true;
  }
}

/** Whether an item needs an answer at all (optional types are left out of "still to do"). */
export function expectsAnswer(item: Item): boolean {
  return item.response.type !== 'counter' && item.response.type !== 'text';
}

/** The answer a rule tests for, read from a response. */
function ruleAnswer(item: Item, response: ResponseContent | undefined): Array<string | number> {
  switch (item.response.type) {
    case 'rating':
      return response?.rating !== undefined ? [response.rating] : [];
    case 'yes-no':
      return response?.answer !== undefined ? [response.answer] : [];
    case 'choice':
      return response?.choice ?? [];
    default:
      return [];
  }
}

/** Item ids that rules make not applicable, given the answers so far. */
export function notApplicableItems(instrument: Instrument, items: ReadonlyMap<string, Item>, responses: ResponsesByItem): Set<string> {
  const out = new Set<string>();
  for (const rule of instrument.rules) {
    if (ruleFires(rule, items, responses)) rule.then.notApplicable.forEach((id) => out.add(id));
  }
  return out;
}

function ruleFires(rule: Rule, items: ReadonlyMap<string, Item>, responses: ResponsesByItem): boolean {
  const trigger = items.get(rule.when.item);
  if (!trigger) return false;
  const answers = ruleAnswer(trigger, responses.get(trigger.id));
  return answers.some((answer) => rule.when.in.includes(answer));
}

export interface DomainProgress {
  domainId: string;
  /** Items that expect an answer and are not ruled out. */
  total: number;
  answered: number;
  open: Item[];
}

export interface ObservationProgress {
  domains: DomainProgress[];
  total: number;
  answered: number;
  notApplicable: Set<string>;
}

export function observationProgress(instrument: Instrument, responses: ResponsesByItem): ObservationProgress {
  const items = new Map(allItems(instrument).map((item) => [item.id, item]));
  const notApplicable = notApplicableItems(instrument, items, responses);

  const domains = instrument.domains.map((domain): DomainProgress => {
    const open: Item[] = [];
    let total = 0;
    let answered = 0;
    const visit = (item: Item) => {
      if (!notApplicable.has(item.id) && expectsAnswer(item)) {
        total++;
        if (isAnswered(item, responses.get(item.id))) answered++;
        else open.push(item);
      }
      item.children?.forEach(visit);
    };
    domain.items.forEach(visit);
    return { domainId: domain.id, total, answered, open };
  });
  return {
    domains,
    total: domains.reduce((sum, d) => sum + d.total, 0),
    answered: domains.reduce((sum, d) => sum + d.answered, 0),
    notApplicable,
  };
}
