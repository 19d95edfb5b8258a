/**
 * Which teachers and items take part in the item estimation: the data thresholds below which every item keeps its
 * default, the repeated leaving out of teachers with extreme scores and of items with too few ratings or a single
 * level, and the largest connected block when the rest falls apart in blocks (`connectivity.ts`).
 */
import { connectedBlocks } from './connectivity';
import { collectPairs, itemHistogram, type ResponseMatrix } from './response-matrix';
import type { DefaultReason } from './types';

/**
 * Fewer teachers with a non-extreme score than this and every item keeps its default. Item calibrations need
 * teachers spread along the scale: below about ten, one teacher's style decides the order of the items. (The
 * precision of an item comes from its number of ratings, `MIN_RESPONSES_PER_ITEM`, which repeated lessons help.)
 */
export const MIN_PERSONS_FOR_ESTIMATION = 10;

/**
 * An item with fewer ratings than this (from teachers in the estimation) keeps its default. About 30 ratings give
 * an item calibration within ±1 logit with 95% confidence (Linacre 1994, "Sample size and item calibration
 * stability", Rasch Measurement Transactions 7:4): coarser than that, the instrument's default is the better guess.
 */
export const MIN_RESPONSES_PER_ITEM = 30;

/** With fewer estimable items than this there is no test to locate teachers on, and every item keeps its default. */
export const MIN_ITEMS_FOR_ESTIMATION = 3;

export interface Selection {
  personUsed: Uint8Array;
  itemFree: Uint8Array;
  reasons: Array<DefaultReason | null>;
  /** The connected blocks the teachers and items fell into before the largest was kept (0 when none were left). */
  blocks: number;
}

/**
 * Leaves out teachers with an extreme score on the estimable items and items with too few ratings or a single used
 * level among the remaining teachers, until neither changes; then, when they fall apart in unconnected blocks, keeps
 * the block with the most ratings (at a tie the one with the first item) and leaves out the others' teachers and
 * items (those keep their defaults as 'not-connected'); then applies the school-wide thresholds to what is left.
 */
export function selectEstimationData(
  matrix: ResponseMatrix,
  minPersons: number,
  minResponses: number,
  minItems: number,
): Selection {
  const persons = matrix.personIds.length;
  const items = matrix.levels.length;
  const personUsed = new Uint8Array(persons).fill(1);
  const itemFree = new Uint8Array(items);
  const reasons: Array<DefaultReason | null> = new Array<DefaultReason | null>(items).fill(null);
  const all = new Uint8Array(persons).fill(1);
  const histogram = new Float64Array(Math.max(2, ...matrix.levels));
  for (let i = 0; i < items; i++) {
    itemHistogram(matrix, i, all, histogram);
    const total = histogram.reduce((a, b) => a + b, 0);
    if (total > 0) itemFree[i] = 1;
    else reasons[i] = 'no-responses';
  }

  for (let changed = true; changed;) {
    changed = false;
    for (let p = 0; p < persons; p++) {
      if (!personUsed[p]) continue;
      let score = 0;
      let max = 0;
      const row = p * matrix.rowLength;
      for (let i = 0; i < items; i++) {
        if (!itemFree[i]) continue;
        for (let k = 0, at = row + matrix.levelStart[i]!; k < matrix.levels[i]!; k++, at++) {
          score += k * matrix.counts[at]!;
          max += (matrix.levels[i]! - 1) * matrix.counts[at]!;
        }
      }
      if (max === 0 || score === 0 || score === max) {
        personUsed[p] = 0;
        changed = true;
      }
    }
    for (let i = 0; i < items; i++) {
      if (!itemFree[i]) continue;
      itemHistogram(matrix, i, personUsed, histogram);
      let total = 0;
      let used = 0;
      for (let k = 0; k < matrix.levels[i]!; k++) {
        total += histogram[k]!;
        if (histogram[k]! > 0) used++;
      }
      const reason: DefaultReason | null =
        total < minResponses ? 'too-few-responses' : used < 2 ? 'one-level-only' : null;
      if (reason) {
        itemFree[i] = 0;
        reasons[i] = reason;
        changed = true;
      }
    }
  }

  const blocks = connectedBlocks(collectPairs(matrix, personUsed, itemFree), persons, items);
  if (blocks.count > 1) {
    let main = 0;
    for (let b = 1; b < blocks.count; b++) if (blocks.ratings[b]! > blocks.ratings[main]!) main = b;
    for (let i = 0; i < items; i++) {
      if (itemFree[i] && blocks.itemBlock[i] !== main) {
        itemFree[i] = 0;
        reasons[i] = 'not-connected';
      }
    }
    for (let p = 0; p < persons; p++) if (blocks.personBlock[p] !== main) personUsed[p] = 0;
  }

  const personCount = personUsed.reduce((a, b) => a + b, 0);
  const freeCount = itemFree.reduce((a, b) => a + b, 0);
  if (personCount < minPersons || freeCount < minItems) {
    for (let i = 0; i < items; i++) {
      if (itemFree[i]) reasons[i] = 'too-little-data';
      itemFree[i] = 0;
    }
    personUsed.fill(0);
  }
  return { personUsed, itemFree, reasons, blocks: blocks.count };
}
