/**
 * What is still open in an observation, item by item and, in a repeated section, repetition by repetition: the
 * completion step lists these (each a link to the item in its repetition), and the required ones keep the
 * observation from being completed. Counts as `observationProgress` does (the same rules, the same answers asked for).
 */
import type { Instrument, Item } from '../instrument/types';
import { allItems, repeatKey } from '../instrument/localize';
import { responseKey } from '../model/records';
import {
  expectsAnswer,
  itemProgress,
  optionsForCycle,
  responsesOfCycle,
  type ProgressOptions,
  type ResponsesByItem,
} from './progress';
import { ruleOutcome } from './rules';

export interface OpenAnswer {
  domainId: string;
  item: Item;
  /** The repetition of a repeated section that misses it. */
  cycle?: number;
  /** `required: true`, or a rule that holds requires it: completing waits for it. */
  required: boolean;
}

export function openAnswers(
  instrument: Instrument,
  responses: ResponsesByItem,
  options: ProgressOptions = {},
): OpenAnswer[] {
  const items = new Map(allItems(instrument).map((item) => [item.id, item]));
  const open: OpenAnswer[] = [];
  for (const domain of instrument.domains) {
    const repetitions = domain.repeat
      ? Math.max(1, options.cycles?.[repeatKey(domain)] ?? options.cycles?.[domain.id] ?? 1)
      : 1;
    for (let r = 1; r <= repetitions; r++) {
      const cycle = domain.repeat ? r : undefined;
      const outcome = ruleOutcome(
        instrument,
        items,
        domain.repeat ? responsesOfCycle(responses, items, cycle) : responses,
        options.scores,
      );
      const visit = (item: Item) => {
        const ruledOut = outcome.notApplicable.has(item.id) || outcome.hidden.has(item.id);
        const required = item.required === true || outcome.required.has(item.id);
        if (!ruledOut && expectsAnswer(item, outcome.required.has(item.id))) {
          // `itemProgress` reads only the item's own flag: a rule's requirement counts as one here.
          const asked = required ? { ...item, required: true } : item;
          const { total, answered } = itemProgress(
            asked,
            responses.get(responseKey(item.id, cycle)),
            optionsForCycle(options, domain, cycle),
          );
          if (answered < total)
            open.push({ domainId: domain.id, item, ...(cycle !== undefined ? { cycle } : {}), required });
        }
        item.children?.forEach(visit);
      };
      domain.items.forEach(visit);
    }
  }
  return open;
}
