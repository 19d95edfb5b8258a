/**
 * What a report and the feedback screen say about the ratings of one observation: per domain how much was rated
 * and the mean, and which items stood out (highest and lowest). A rating's position on its scale runs from 0 (the
 * lowest level) to 1 (the highest); for a reverse-keyed item a high level is bad, so its position is turned round.
 */
import type { Domain, Instrument, Item, Scale } from '../instrument/types';
import { flattenItems } from '../instrument/localize';
import { combineValues } from '../instrument/scoring';
import type { ResponseContent } from '../observation/progress';
import { responseKey } from '../model/records';

export interface RatedItem {
  item: Item;
  domainId: string;
  /** The level value given; in a repeated section the repetitions' values combined (`repeat.combine`, default mean). */
  value: number;
  /** 0 = the worst level, 1 = the best, whatever the scale and keying. */
  position: number;
  /** In a repeated section: each rated repetition's level value. */
  perCycle?: Array<{ cycle: number; value: number }>;
}

/** The repetitions that hold an answer of any of a section's items (keys `item#n`), in order. */
function cyclesIn(domain: Domain, keys: Iterable<string>): number[] {
  const ids = new Set(flattenItems(domain.items).map((item) => item.id));
  const cycles = new Set<number>();
  for (const key of keys) {
    const hash = key.indexOf('#');
    const cycle = Number(key.slice(hash + 1));
    if (hash !== -1 && ids.has(key.slice(0, hash)) && Number.isInteger(cycle) && cycle > 0) cycles.add(cycle);
  }
  return [...cycles].sort((a, b) => a - b);
}

export interface DomainSummary {
  domainId: string;
  /** Rating items in the domain, and how many got a rating (not "not observed"). */
  ratingItems: number;
  rated: number;
  /** Mean rating value, when every rated item of the domain shares one scale and none is reverse-keyed. */
  mean?: number;
  scale?: Scale;
  /** Mean position (0–1) of the rated items. */
  meanPosition?: number;
}

/**
 * Every item that got a numeric rating, with its position on its scale. An item in a repeated section counts once,
 * with its repetitions combined (by the section's `repeat.combine`, default the mean): its value may then lie
 * between two levels.
 */
export function ratedItems(
  instrument: Instrument,
  responses: ReadonlyMap<string, Pick<ResponseContent, 'rating'>>,
): RatedItem[] {
  const scales = new Map(instrument.scales.map((s) => [s.id, s]));
  const out: RatedItem[] = [];
  for (const domain of instrument.domains) {
    const cycles = domain.repeat ? cyclesIn(domain, responses.keys()) : [undefined];
    for (const item of flattenItems(domain.items)) {
      if (item.response.type !== 'rating') continue;
      const levels = scales.get(item.response.scale)?.levels ?? [];
      const given = cycles.flatMap((cycle) => {
        const value = responses.get(responseKey(item.id, cycle))?.rating;
        const index = levels.findIndex((level) => level.value === value);
        return typeof value === 'number' && index !== -1 ? [{ cycle, value, index }] : [];
      });
      if (given.length === 0) continue;
      const combine = domain.repeat?.combine ?? 'mean';
      const value = combineValues(
        combine,
        given.map((g) => ({ id: String(g.cycle), value: g.value })),
      )!;
      const index = combineValues(
        combine,
        given.map((g) => ({ id: String(g.cycle), value: g.index })),
      )!;
      const position = levels.length > 1 ? index / (levels.length - 1) : 1;
      out.push({
        item,
        domainId: domain.id,
        value,
        position: item.reverse ? 1 - position : position,
        ...(domain.repeat ? { perCycle: given.map((g) => ({ cycle: g.cycle!, value: g.value })) } : {}),
      });
    }
  }
  return out;
}

export function domainSummaries(
  instrument: Instrument,
  responses: ReadonlyMap<string, Pick<ResponseContent, 'rating'>>,
): DomainSummary[] {
  const rated = ratedItems(instrument, responses);
  const scales = new Map(instrument.scales.map((s) => [s.id, s]));
  return instrument.domains.map((domain) => {
    const ratingItems = flattenItems(domain.items).filter((item) => item.response.type === 'rating');
    const here = rated.filter((r) => r.domainId === domain.id);
    const summary: DomainSummary = { domainId: domain.id, ratingItems: ratingItems.length, rated: here.length };
    if (here.length === 0) return summary;
    summary.meanPosition = here.reduce((sum, r) => sum + r.position, 0) / here.length;
    const scaleIds = new Set(here.map((r) => (r.item.response.type === 'rating' ? r.item.response.scale : '')));
    if (scaleIds.size === 1 && here.every((r) => !r.item.reverse)) {
      summary.scale = scales.get([...scaleIds][0]!);
      summary.mean = here.reduce((sum, r) => sum + r.value, 0) / here.length;
    }
    return summary;
  });
}

/**
 * The items that stood out: the `count` highest and lowest positions (ties in reading order). An item appears in
 * one list only, so a lesson rated all the same shows what there is without repeating it.
 */
export function standouts(
  instrument: Instrument,
  responses: ReadonlyMap<string, Pick<ResponseContent, 'rating'>>,
  count = 3,
): { highest: RatedItem[]; lowest: RatedItem[] } {
  const rated = ratedItems(instrument, responses);
  const highest = [...rated].sort((a, b) => b.position - a.position).slice(0, count);
  const taken = new Set(highest.map((r) => r.item.id));
  const lowest = [...rated]
    .filter((r) => !taken.has(r.item.id))
    .sort((a, b) => a.position - b.position)
    .slice(0, count);
  return { highest, lowest };
}
