/**
 * (format 2) Scoring maps: a value (a level, a derived score) turned into a score by ranges, e.g. 1–2 → 0 and
 * 3–4 → 1. A new map, its entries, and whether an entry's range ends at `max` (inclusive) or just `below` a value.
 * A map removed or renamed is removed or renamed wherever it is used (`removeEntry`, `renameId`).
 */
import type { Instrument, ScoringMap, ScoringMapEntry } from '../types';
import { getAt, inFormat2 } from './paths';
import { setRangeEnd } from './scores-format-3';
import { freshId } from './ids';
import { insertEntry } from './lists';

/** A new map: the lower half of the first scale's levels scores 0, the upper half 1 (seen / not seen). */
export function addScoringMap(instrument: Instrument): { instrument: Instrument; index: number } {
  const values = (instrument.scales[0]?.levels ?? [])
    .map((level) => level.value)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const lowest = values[0] ?? 1;
  const highest = values.at(-1) ?? 4;
  const split = values[Math.max(0, Math.ceil(values.length / 2) - 1)] ?? lowest;
  const entries: ScoringMapEntry[] =
    highest > split
      ? [
          { min: lowest, max: split, score: 0 },
          { min: values.find((v) => v > split) ?? split + 1, max: highest, score: 1 },
        ]
      : [{ min: lowest, max: highest, score: 1 }];
  // Its name may stay empty (the report then shows its ranges): it starts without one.
  const map: ScoringMap = { id: freshId(instrument, ['scoringMaps'], 'map'), entries };
  return insertEntry(inFormat2(instrument), ['scoringMaps'], map);
}

/** An entry after the last: its range starts where the last one ends, and it scores one more. */
export function addMapEntry(instrument: Instrument, mapIndex: number): { instrument: Instrument; index: number } {
  const listPath = ['scoringMaps', mapIndex, 'entries'];
  const entries = getAt(instrument, listPath);
  const last = Array.isArray(entries) ? (entries.at(-1) as ScoringMapEntry | undefined) : undefined;
  const min = last ? (last.below ?? (last.max ?? last.min) + 1) : 1;
  const entry: ScoringMapEntry = { min, max: min, score: last ? last.score + 1 : 0 };
  return insertEntry(instrument, listPath, entry);
}

/**
 * Whether an entry's range ends at `max` (inclusive: 1–2) or just `below` a value (0 up to 0.5, for scores that
 * are not whole numbers). Switching keeps what it can: 1–2 becomes "1 up to 3", and back.
 */
export function setMapEntryEnd(
  instrument: Instrument,
  mapIndex: number,
  entryIndex: number,
  end: 'max' | 'below',
): Instrument {
  return setRangeEnd(instrument, ['scoringMaps', mapIndex, 'entries', entryIndex], end);
}
