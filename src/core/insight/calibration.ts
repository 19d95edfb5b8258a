/**
 * Calibration: two observers rate the same lesson, and how well they agree says whether the school reads the
 * instrument the same way. Per domain and overall, over the items both rated:
 * - exact agreement: the share of items given the same level;
 * - adjacent agreement: the share at most one level apart;
 * - weighted kappa (Cohen, 1968) with quadratic weights: agreement corrected for what two raters with these
 *   marginal distributions would reach by chance, where a disagreement costs the square of its distance.
 * Levels are positions on each item's scale (turned for reverse-keyed items), as stored in the summaries.
 */
import { instrumentIdOf, type Observation, type ObservationSummary } from '../model/records';

interface Agreement {
  /** Items both observers rated. */
  items: number;
  exact: number;
  adjacent: number;
  /** Undefined when it cannot be computed (no items, or both observers used one level only). */
  kappa?: number;
}

/** Quadratic disagreement weight of levels i and j on a K-level scale: ((i − j) / (K − 1))². */
export const quadraticWeight = (i: number, j: number, levels: number): number => ((i - j) / (levels - 1)) ** 2;

/**
 * κ_w = 1 − Σ w_ij·O_ij / Σ w_ij·E_ij, with O the observed proportions of level pairs and E = row share × column
 * share (the pairs expected by chance from each observer's own spread of levels).
 */
export function weightedKappa(pairs: ReadonlyArray<readonly [number, number]>, levels: number): number | undefined {
  if (pairs.length === 0 || levels < 2) return undefined;
  const n = pairs.length;
  const rows = new Array<number>(levels).fill(0);
  const columns = new Array<number>(levels).fill(0);
  let observed = 0;
  for (const [a, b] of pairs) {
    rows[a]!++;
    columns[b]!++;
    observed += quadraticWeight(a, b, levels);
  }
  let expected = 0;
  for (let i = 0; i < levels; i++)
    for (let j = 0; j < levels; j++) expected += quadraticWeight(i, j, levels) * (rows[i]! / n) * (columns[j]! / n);
  observed /= n;
  return expected === 0 ? undefined : 1 - observed / expected;
}

/** Kappa says little on a handful of items (four items rated 3,3,3,3 and 3,3,3,4 give κ = 0): below this, none. */
const MIN_ITEMS_FOR_KAPPA = 10;

/** How close in time two observations of a calibration must start to be the same lesson. */
export const CALIBRATION_WINDOW_MS = 30 * 60_000;

type CalibrationFields = Pick<
  Observation,
  'id' | 'purpose' | 'status' | 'observedId' | 'observerId' | 'instrumentKey' | 'startedAt'
>;

/**
 * The other observer's observation of the same calibration lesson, nearest in time: completed, of the same teacher
 * by another observer, with the same instrument, started within `CALIBRATION_WINDOW_MS`. Any version of the
 * instrument: versions keep their item ids and the agreement compares items by id, so two tablets that are not on
 * the same version yet still compare their lesson (as `oneRatingPerLesson` counts it once).
 */
export function calibrationPartner<T extends CalibrationFields>(
  observation: T,
  candidates: Iterable<T>,
): T | undefined {
  if (observation.purpose !== 'calibration' || observation.status === 'draft') return undefined;
  const instrumentId = instrumentIdOf(observation.instrumentKey);
  let nearest: T | undefined;
  for (const other of candidates) {
    if (
      other.id === observation.id ||
      other.purpose !== 'calibration' ||
      other.status === 'draft' ||
      other.observedId !== observation.observedId ||
      other.observerId === observation.observerId ||
      instrumentIdOf(other.instrumentKey) !== instrumentId ||
      Math.abs(other.startedAt - observation.startedAt) > CALIBRATION_WINDOW_MS
    )
      continue;
    if (
      !nearest ||
      Math.abs(other.startedAt - observation.startedAt) < Math.abs(nearest.startedAt - observation.startedAt)
    )
      nearest = other;
  }
  return nearest;
}

function agreementOf(pairs: ReadonlyArray<readonly [number, number]>, levels: number): Agreement {
  const items = pairs.length;
  if (items === 0) return { items, exact: 0, adjacent: 0 };
  const exact = pairs.filter(([a, b]) => a === b).length / items;
  const adjacent = pairs.filter(([a, b]) => Math.abs(a - b) <= 1).length / items;
  const kappa = items >= MIN_ITEMS_FOR_KAPPA ? weightedKappa(pairs, levels) : undefined;
  return { items, exact, adjacent, ...(kappa !== undefined ? { kappa } : {}) };
}

/**
 * Agreement between two summaries of the same lesson, per domain (by `itemDomain`) and overall. Items on a scale
 * with another number of levels than the most common one are left out of the overall kappa's table.
 */
/** One item both observers of a calibration rated: its domain, each observer's level (0-based) and the scale's size. */
export interface CalibrationPair {
  itemId: string;
  domain: string;
  levels: number;
  pair: [number, number];
}

/** The items both observers rated on the same scale, in the first observer's order. */
export function calibrationPairs(
  a: ObservationSummary,
  b: ObservationSummary,
  itemDomain: ReadonlyMap<string, string>,
): CalibrationPair[] {
  const pairs: CalibrationPair[] = [];
  for (const itemId in a.items) {
    const first = a.items[itemId]!;
    const second = b.items[itemId];
    const domain = itemDomain.get(itemId);
    if (!second || domain === undefined || first[1] !== second[1]) continue;
    pairs.push({ itemId, domain, levels: first[1], pair: [first[0], second[0]] });
  }
  return pairs;
}

export type CalibrationAgreement = { overall: Agreement; domains: Record<string, Agreement> };

export function calibrationAgreement(
  a: ObservationSummary,
  b: ObservationSummary,
  itemDomain: ReadonlyMap<string, string>,
): CalibrationAgreement {
  return agreementOfPairs(calibrationPairs(a, b, itemDomain));
}

/** The agreement over pairs `calibrationPairs` found, overall and per domain, on the scale most of them share. */
export function agreementOfPairs(pairs: readonly CalibrationPair[]): CalibrationAgreement {
  const counts = new Map<number, number>();
  for (const p of pairs) counts.set(p.levels, (counts.get(p.levels) ?? 0) + 1);
  const levels = [...counts].sort((x, y) => y[1] - x[1])[0]?.[0] ?? 0;
  const sameScale = pairs.filter((p) => p.levels === levels);
  const domains: Record<string, Agreement> = {};
  for (const domain of new Set(sameScale.map((p) => p.domain))) {
    domains[domain] = agreementOf(
      sameScale.filter((p) => p.domain === domain).map((p) => p.pair),
      levels,
    );
  }
  return {
    overall: agreementOf(
      sameScale.map((p) => p.pair),
      levels,
    ),
    domains,
  };
}
