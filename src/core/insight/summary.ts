/**
 * The summary of one completed observation: per domain the mean position of its ratings, per item the level
 * reached. It is computed when the observation is completed (and again after each amendment) and stored with it, so
 * dashboards and the Rasch estimation read one small object per observation instead of every response. The device
 * and the school server (src/server/sync/summaries.ts) both compute it with this function.
 *
 * Format 2:
 * - an item in a repeated section counts once, its repetitions combined as the section says (`repeat.combine`,
 *   default the mean) on the position of each repetition's level: the level reached is the combined one, rounded;
 * - a rating read through a scoring map (the item's or its scale's) is placed among the map's scores (1–2 → 0 and
 *   3–4 → 1 make a two-level item), as the instrument scores it;
 * - items the rules make not applicable or hide (in that repetition) are left out, as the scores leave them out;
 * - the derived domain scores and the instrument's named scores are kept as well.
 */
import type { Domain, Instrument, Item, Scale } from '../instrument/types';
import { flattenItems } from '../instrument/localize';
import { combineValues, scoreObservation, type ScoreSheet } from '../instrument/scoring';
import type { ObservationSummary } from '../model/records';
import type { ResponseContent } from '../observation/progress';
import { cycleCounts, type CycleStarts } from '../observation/cycles';
import { responseKey } from '../model/records';

export const SUMMARY_VERSION = 2;

/**
 * `responses` by `responseKey`; `observation`: its repetitions' starts, when known (otherwise the repetitions that
 * hold answers count).
 */
export function summarise(
  instrument: Instrument,
  responses: ReadonlyMap<string, ResponseContent>,
  observation?: CycleStarts & { context?: Readonly<Record<string, string | number>> },
): ObservationSummary {
  const cycles = cycleCounts(observation);
  const sheet = scoreObservation(instrument, responses, {
    ...(cycles && { cycles }),
    ...(observation?.context && { context: observation.context }),
  });
  const scales = new Map(instrument.scales.map((s) => [s.id, s]));
  const maps = new Map((instrument.scoringMaps ?? []).map((m) => [m.id, m]));
  const summary: ObservationSummary = { version: SUMMARY_VERSION, domains: {}, items: {} };

  for (const domain of instrument.domains) {
    const repetitions = domain.repeat ? (sheet.perCycle.get(domain.id) ?? []).map((c) => c.cycle) : [undefined];
    let rated = 0;
    let positions = 0;
    const values: number[] = [];
    let plainScale: string | undefined | null;
    for (const item of flattenItems(domain.items)) {
      if (item.response.type !== 'rating') continue;
      const scale = scales.get(item.response.scale);
      const mapId = item.response.scoring ?? scale?.scoring;
      const categories = mapId
        ? [...new Set((maps.get(mapId)?.entries ?? []).map((e) => e.score))].sort((a, b) => a - b)
        : undefined;
      const levels = scale?.levels.length ?? 0;
      const count = categories?.length ?? levels;
      if (!scale || count < 2) continue;
      const given = repetitions.flatMap((cycle) => {
        const index = categoryIndex(
          item,
          scale,
          categories,
          responses.get(responseKey(item.id, cycle))?.rating,
          scoreIn(sheet, domain, item, cycle),
        );
        return index === undefined
          ? []
          : [{ cycle, index, value: responses.get(responseKey(item.id, cycle))!.rating as number }];
      });
      if (given.length === 0) continue;
      const combine = domain.repeat?.combine ?? 'mean';
      const index = combineValues(
        combine,
        given.map((g) => ({ id: String(g.cycle), value: g.index })),
      )!;
      summary.items[item.id] = [Math.round(index), count];
      rated++;
      positions += index / (count - 1);
      // The mean on the scale means something only for plain ratings on one scale (no reverse keying, no map).
      const value = combineValues(
        combine,
        given.map((g) => ({ id: String(g.cycle), value: g.value })),
      )!;
      values.push(value);
      const plain = !item.reverse && !categories ? item.response.scale : null;
      plainScale = plainScale === undefined ? plain : plainScale === plain ? plain : null;
    }
    if (rated === 0) continue;
    summary.domains[domain.id] = {
      rated,
      meanPosition: positions / rated,
      ...(plainScale ? { mean: values.reduce((a, b) => a + b, 0) / values.length } : {}),
    };
  }
  if (sheet.domains.size > 0) summary.domainScores = Object.fromEntries(sheet.domains);
  if (sheet.scores.size > 0) summary.scores = Object.fromEntries(sheet.scores);
  return summary;
}

/** The item's score in one repetition (or its only one): undefined when the rules ruled it out or it has none. */
function scoreIn(sheet: ScoreSheet, domain: Domain, item: Item, cycle: number | undefined): number | undefined {
  if (cycle === undefined) return sheet.items.get(item.id);
  return sheet.perCycle
    .get(domain.id)
    ?.find((c) => c.cycle === cycle)
    ?.items.get(item.id);
}

/**
 * Where a rating sits among the item's categories (0 = worst): the scale's levels, turned for a reverse-keyed item,
 * or the scores of its scoring map. Undefined when it has no score (not observed, ruled out, outside the map).
 */
function categoryIndex(
  item: Item,
  scale: Scale,
  categories: number[] | undefined,
  rating: number | 'not-observed' | undefined,
  score: number | undefined,
): number | undefined {
  if (typeof rating !== 'number' || score === undefined) return undefined;
  if (categories) {
    const index = categories.indexOf(score);
    return index === -1 ? undefined : index;
  }
  const index = scale.levels.findIndex((level) => level.value === rating);
  if (index === -1) return undefined;
  return item.reverse ? scale.levels.length - 1 - index : index;
}

/** Whether a stored summary is current (computed by this version). */
export const isCurrent = (summary: ObservationSummary | undefined): summary is ObservationSummary =>
  summary?.version === SUMMARY_VERSION;
