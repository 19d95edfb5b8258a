/**
 * The report's table of a repeated section: one row per item with a score, per repetition the item's score and,
 * for a reverse-keyed rating, the level the observer gave as well. A reverse-keyed item's score turns the answer
 * round (on 1–7 an answer of 7 counts as 1), so a row of its scores alone would show numbers nobody entered beside
 * the answers of the other items: the row keeps both, and says it is reversed, so the screen can say so too.
 */
import type { Domain, Item } from '../instrument/types';
import { flattenItems } from '../instrument/localize';
import type { ScoreSheet } from '../instrument/scoring';
import type { ResponseContent } from '../observation/progress';
import { responseKey } from '../model/records';

interface CycleCell {
  cycle: number;
  /** The item's score in this repetition (turned round for a reverse-keyed item); undefined: none. */
  score?: number;
  /** For a reverse-keyed rating: the level value the observer gave (the score is this level turned round). */
  answer?: number;
}

export interface CycleRow {
  item: Item;
  /** A reverse-keyed rating: its scores, combined one included, are its answers turned round. */
  reversed: boolean;
  cells: CycleCell[];
  /** The item's score over the repetitions (`repeat.combine`). */
  combined?: number;
}

/**
 * The rows of a repeated section's table, in reading order: every item scored in any repetition or combined.
 * `responses` by `responseKey`.
 */
export function cycleRows(
  domain: Domain,
  sheet: ScoreSheet,
  responses: ReadonlyMap<string, Pick<ResponseContent, 'rating'>>,
): CycleRow[] {
  const cycles = sheet.perCycle.get(domain.id) ?? [];
  return flattenItems(domain.items)
    .filter((item) => sheet.items.has(item.id) || cycles.some((c) => c.items.has(item.id)))
    .map((item) => {
      const reversed = item.reverse === true && item.response.type === 'rating';
      const cells = cycles.map(({ cycle, items }): CycleCell => {
        const score = items.get(item.id);
        const rating = reversed ? responses.get(responseKey(item.id, cycle))?.rating : undefined;
        // Only a rating that was scored: "not observed", or one the rules ruled out, has nothing to turn round.
        const answer = score !== undefined && typeof rating === 'number' ? rating : undefined;
        return {
          cycle,
          ...(score !== undefined ? { score } : {}),
          ...(answer !== undefined ? { answer } : {}),
        };
      });
      const combined = sheet.items.get(item.id);
      return { item, reversed, cells, ...(combined !== undefined ? { combined } : {}) };
    });
}
