/**
 * What is done and what is still open in an observation: which items are answered, which are not applicable
 * because of a rule, and what remains per domain. Used for the progress bar, the domain tabs and the completion
 * summary.
 *
 * Progress counts answers, not items. Most items ask for one answer. A snapshot item asks for one answer per field
 * of every snapshot asked for so far: each scheduled minute the lesson clock has reached, and each snapshot that
 * holds a value (`snapshotsToFill`). So a snapshot form of five fields counts as five answers, and a snapshot with
 * the count but not the activity is not done. This is what a teacher reads as honest: "12/16" means sixteen
 * things were asked of me so far and I filled in twelve. A missed snapshot stays open (the observer sees it and
 * may still leave it), and minutes the lesson never reached (it ended early) are never asked for.
 */
import type { Instrument, Item, Rule } from '../instrument/types';
import { allItems } from '../instrument/localize';
import type { ItemResponse } from '../model/records';
import { snapshotsToFill } from './snapshots';

export type ResponseContent = Pick<ItemResponse, 'rating' | 'answer' | 'choice' | 'count' | 'text' | 'snapshots' | 'lookFors'>;
export type ResponsesByItem = ReadonlyMap<string, ResponseContent>;

export interface ProgressOptions {
  /** The lesson clock: snapshots count once the clock has reached their minute. Without it, only snapshots that hold a value count. */
  elapsedMs?: number;
}

/** The answers an item asks for so far, and how many of them it has. */
export interface ItemProgress {
  total: number;
  answered: number;
}

/**
 * How many answers an item asks for and has. Free text and counters are optional: they ask for nothing, so they
 * never hold progress up. A rule that makes an item not applicable is applied by `observationProgress`, not here.
 */
export function itemProgress(item: Item, response: ResponseContent | undefined, options: ProgressOptions = {}): ItemProgress {
  const one = (answered: boolean): ItemProgress => ({ total: 1, answered: answered ? 1 : 0 });
  switch (item.response.type) {
    case 'rating':
      return one(response?.rating !== undefined);
    case 'yes-no':
      return one(response?.answer !== undefined);
    case 'choice':
      return one((response?.choice?.length ?? 0) > 0);
    case 'checklist':
      return one((response?.lookFors.length ?? 0) > 0);
    case 'snapshot': {
      const snapshots = snapshotsToFill(item.response, response?.snapshots, options.elapsedMs);
      return {
        total: snapshots.reduce((sum, s) => sum + s.fields, 0),
        answered: snapshots.reduce((sum, s) => sum + s.filled, 0),
      };
    }
    case 'counter':
    case 'text':
      return { total: 0, answered: 0 };
  }
}

/** Whether an item has every answer it asks for so far (optional items always have). */
export function isAnswered(item: Item, response: ResponseContent | undefined, options: ProgressOptions = {}): boolean {
  const { total, answered } = itemProgress(item, response, options);
  return answered === total;
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
  /** The answers asked for so far by items that are not ruled out (one per item; a snapshot's per field). */
  total: number;
  answered: number;
  /** Items that still miss an answer they ask for. */
  open: Item[];
}

export interface ObservationProgress {
  domains: DomainProgress[];
  total: number;
  answered: number;
  notApplicable: Set<string>;
}

export function observationProgress(instrument: Instrument, responses: ResponsesByItem, options: ProgressOptions = {}): ObservationProgress {
  const items = new Map(allItems(instrument).map((item) => [item.id, item]));
  const notApplicable = notApplicableItems(instrument, items, responses);

  const domains = instrument.domains.map((domain): DomainProgress => {
    const open: Item[] = [];
    let total = 0;
    let answered = 0;
    const visit = (item: Item) => {
      if (!notApplicable.has(item.id) && expectsAnswer(item)) {
        const counts = itemProgress(item, responses.get(item.id), options);
        total += counts.total;
        answered += counts.answered;
        if (counts.answered < counts.total) open.push(item);
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
