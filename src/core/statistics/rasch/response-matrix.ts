/**
 * The data as counts: every valid rating counted per (teacher, item, level), from which the estimation reads its
 * teacher × item pairs and per-item level counts, however many lessons there are. The lessons come as objects
 * (`buildResponseMatrix`) or as compact arrays (`countRatings`).
 */
import type { RaschObservation, RaschRatings } from './types';

/** Ratings counted per (teacher, item, level): a teacher's row holds K_i counts for each item i. */
export interface ResponseMatrix {
  personIds: string[];
  levels: Int32Array;
  /** Where item i's counts start in a row; `levelStart[items]` is the row length. */
  levelStart: Int32Array;
  rowLength: number;
  counts: Int32Array;
  /** Per teacher, the observations with at least one valid rating. */
  observations: Int32Array;
  /** Ratings left out: of an unknown item, with a level outside the item's scale, or of a lesson of no teacher. */
  ignored: number;
  /** Of which with a level outside 0 … K−1 of a known item: NaN, negative, too high or not a whole number. */
  outOfScale: number;
}

/** Where each item's counts start in a teacher's row, after checking the items (unique ids, at least 2 levels). */
function rowLayout(itemIds: readonly string[], levels: readonly number[]) {
  const itemIndex = new Map<string, number>();
  itemIds.forEach((id, i) => {
    if (itemIndex.has(id)) throw new Error(`Rasch: item ${id} is defined twice`);
    const k = levels[i]!;
    if (!Number.isInteger(k) || k < 2) throw new RangeError(`Rasch: item ${id} needs at least 2 levels, has ${k}`);
    itemIndex.set(id, i);
  });
  const levelStart = new Int32Array(itemIds.length + 1);
  levels.forEach((k, i) => (levelStart[i + 1] = levelStart[i]! + k));
  return { itemIndex, levelStart, rowLength: levelStart[itemIds.length]! };
}

export function buildResponseMatrix(
  observations: readonly RaschObservation[],
  itemIds: readonly string[],
  levels: readonly number[],
): ResponseMatrix {
  const { itemIndex, levelStart, rowLength } = rowLayout(itemIds, levels);
  const personIndex = new Map<string, number>();
  const personIds: string[] = [];
  for (const observation of observations) {
    if (!personIndex.has(observation.personId)) {
      personIndex.set(observation.personId, personIds.length);
      personIds.push(observation.personId);
    }
  }
  const counts = new Int32Array(personIds.length * rowLength);
  const observationCounts = new Int32Array(personIds.length);
  let ignored = 0;
  let outOfScale = 0;
  for (const observation of observations) {
    const p = personIndex.get(observation.personId)!;
    let valid = 0;
    for (const response of observation.responses) {
      const i = itemIndex.get(response.itemId);
      const level = response.level;
      if (i === undefined || !Number.isInteger(level) || level < 0 || level >= levels[i]!) {
        ignored++;
        if (i !== undefined) outOfScale++;
        continue;
      }
      counts[p * rowLength + levelStart[i]! + level]!++;
      valid++;
    }
    if (valid > 0) observationCounts[p]!++;
  }
  return {
    personIds,
    levels: Int32Array.from(levels),
    levelStart,
    rowLength,
    counts,
    observations: observationCounts,
    ignored,
    outOfScale,
  };
}

/** The same counts from compact arrays (`RaschRatings`): teachers in order of their first lesson taken in. */
export function countRatings(
  ratings: RaschRatings,
  itemIds: readonly string[],
  levels: readonly number[],
): ResponseMatrix {
  const { levelStart, rowLength } = rowLayout(itemIds, levels);
  const lessons = ratings.person.length;
  const slot = new Int32Array(ratings.personIds.length).fill(-1);
  const personIds: string[] = [];
  // A lesson of a teacher index outside `personIds` is left out, with its ratings counted as ignored.
  const taken = (p: number) => p >= 0 && p < ratings.personIds.length;
  for (let l = 0; l < lessons; l++) {
    const p = ratings.person[l]!;
    if (taken(p) && slot[p] === -1) {
      slot[p] = personIds.length;
      personIds.push(ratings.personIds[p]!);
    }
  }
  const counts = new Int32Array(personIds.length * rowLength);
  const observationCounts = new Int32Array(personIds.length);
  const items = itemIds.length;
  let ignored = 0;
  let outOfScale = 0;
  for (let l = 0; l < lessons; l++) {
    if (ratings.person[l]! < 0) continue;
    const from = ratings.ratingStart[l]!;
    const to = ratings.ratingStart[l + 1]!;
    if (!taken(ratings.person[l]!)) {
      ignored += Math.max(0, to - from);
      continue;
    }
    const row = slot[ratings.person[l]!]!;
    let valid = 0;
    for (let r = from; r < to; r++) {
      const i = ratings.item[r]!;
      const level = ratings.level[r]!;
      // `!(a < b)` also leaves out a rating past the end of the arrays (undefined).
      if (!(i < items) || !(level < levels[i]!)) {
        ignored++;
        if (i < items) outOfScale++;
        continue;
      }
      counts[row * rowLength + levelStart[i]! + level]!++;
      valid++;
    }
    if (valid > 0) observationCounts[row]!++;
  }
  return {
    personIds,
    levels: Int32Array.from(levels),
    levelStart,
    rowLength,
    counts,
    observations: observationCounts,
    ignored,
    outOfScale,
  };
}

/** The (teacher, item) pairs with ratings, grouped by teacher: how many ratings and their sum of levels. */
export interface Pairs {
  /** Teacher p's pairs are start[p] … start[p + 1] − 1. */
  start: Int32Array;
  item: Int32Array;
  count: Float64Array;
  score: Float64Array;
}

export function collectPairs(
  matrix: ResponseMatrix,
  personMask: Uint8Array | null,
  itemMask: Uint8Array | null,
): Pairs {
  const persons = matrix.personIds.length;
  const items = matrix.levels.length;
  const start = new Int32Array(persons + 1);
  const item: number[] = [];
  const count: number[] = [];
  const score: number[] = [];
  for (let p = 0; p < persons; p++) {
    if (!personMask || personMask[p]) {
      const row = p * matrix.rowLength;
      for (let i = 0; i < items; i++) {
        if (itemMask && !itemMask[i]) continue;
        let n = 0;
        let s = 0;
        for (let k = 0, at = row + matrix.levelStart[i]!; k < matrix.levels[i]!; k++, at++) {
          n += matrix.counts[at]!;
          s += k * matrix.counts[at]!;
        }
        if (n > 0) {
          item.push(i);
          count.push(n);
          score.push(s);
        }
      }
    }
    start[p + 1] = item.length;
  }
  return { start, item: Int32Array.from(item), count: Float64Array.from(count), score: Float64Array.from(score) };
}

/** Item i's level counts over the teachers in `personMask`, added into `into` (length K_i). */
export function itemHistogram(matrix: ResponseMatrix, i: number, personMask: Uint8Array, into: Float64Array): void {
  into.fill(0);
  const k = matrix.levels[i]!;
  for (let p = 0; p < matrix.personIds.length; p++) {
    if (!personMask[p]) continue;
    const at = p * matrix.rowLength + matrix.levelStart[i]!;
    for (let level = 0; level < k; level++) into[level] = into[level]! + matrix.counts[at + level]!;
  }
}
