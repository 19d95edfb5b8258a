/**
 * What a report and the feedback screen say about the ratings of one observation: per domain how much was rated
 * and the mean, and which items stood out (highest and lowest). A rating's position on its scale runs from 0 (the
 * lowest level) to 1 (the highest); for a reverse-keyed item a high level is bad, so its position is turned round.
 */
import type { Instrument, Item, Scale } from '../instrument/types';
import { flattenItems } from '../instrument/localize';
import type { ResponseContent } from '../observation/progress';

export interface RatedItem {
  item: Item;
  domainId: string;
  value: number;
  /** 0 = the worst level, 1 = the best, whatever the scale and keying. */
  position: number;
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

/** Every item that got a numeric rating, with its position on its scale. */
export function ratedItems(instrument: Instrument, responses: ReadonlyMap<string, Pick<ResponseContent, 'rating'>>): RatedItem[] {
  const scales = new Map(instrument.scales.map((s) => [s.id, s]));
  const out: RatedItem[] = [];
  for (const domain of instrument.domains) {
    for (const item of flattenItems(domain.items)) {
      if (item.response.type !== 'rating') continue;
      const value = responses.get(item.id)?.rating;
      const levels = scales.get(item.response.scale)?.levels ?? [];
      const index = levels.findIndex((level) => level.value === value);
      if (typeof value !== 'number' || index === -1) continue;
      const position = levels.length > 1 ? index / (levels.length - 1) : 1;
      out.push({ item, domainId: domain.id, value, position: item.reverse ? 1 - position : position });
    }
  }
  return out;
}

export function domainSummaries(instrument: Instrument, responses: ReadonlyMap<string, Pick<ResponseContent, 'rating'>>): DomainSummary[] {
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
export function standouts(instrument: Instrument, responses: ReadonlyMap<string, Pick<ResponseContent, 'rating'>>, count = 3): { highest: RatedItem[]; lowest: RatedItem[] } {
  const rated = ratedItems(instrument, responses);
  const highest = [...rated].sort((a, b) => b.position - a.position).slice(0, count);
  const taken = new Set(highest.map((r) => r.item.id));
  const lowest = [...rated]
    .filter((r) => !taken.has(r.item.id))
    .sort((a, b) => a.position - b.position)
    .slice(0, count);
  return { highest, lowest };
}
