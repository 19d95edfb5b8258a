/**
 * (format 3) What changes how a score is worked out, edited without JSON: a score by pattern (its cases, each with
 * counts of parts within a range and a score), bands that name ranges of a score, and a named score's format 3
 * parts (a domain's items each a part of its own, a number answered about the lesson, a part read through a scoring
 * map). Every step that adds one of them raises the file to format 3 (`inFormat3`); a rule is found by its path, so
 * a domain's score, a named score and a score item are edited alike.
 */
import type { DerivedScore, Instrument, PartCount, ScoreBand, ScoreRule } from '../types';
import { getAt, inFormat3, isObject, setAt, updateAt, type Path } from './paths';
import { freshId } from './ids';
import { emptyText } from './texts';
import { insertEntry } from './lists';
import { anyPartCount, firstPatterns, newPartCount, partIds, scorePartIds, setWeight } from './scores';

/** A case of a pattern score, as the file holds it. */
type ScorePattern = NonNullable<ScoreRule['patterns']>[number];

// ---------------------------------------------------------------------------------------------------------------
// A score by pattern: its cases, in order, and the counts each case holds when.

/**
 * A case after the last: "otherwise", one that holds whenever any part has a value (a copy of the last would hold
 * only when the last does, and never give its score), scoring one more; the first case is made as `firstPatterns`
 * makes it. After a case that already holds for anything, the validator says the new one is never reached.
 */
export function addPatternCase(instrument: Instrument, rulePath: Path): { instrument: Instrument; index: number } {
  const listPath = [...rulePath, 'patterns'];
  const list = getAt(instrument, listPath);
  const last = Array.isArray(list) ? (list.at(-1) as ScorePattern | undefined) : undefined;
  const next: ScorePattern =
    last && Array.isArray(last.when) && last.when.length > 0
      ? { when: [anyPartCount(instrument)], score: (typeof last.score === 'number' ? last.score : 0) + 1 }
      : firstPatterns(instrument)[0]!;
  return insertEntry(inFormat3(instrument), listPath, next);
}

/** Another count a case must hold (all of its counts hold for it to give its score). */
export function addPartCount(instrument: Instrument, casePath: Path): { instrument: Instrument; index: number } {
  return insertEntry(inFormat3(instrument), [...casePath, 'when'], newPartCount(instrument));
}

/**
 * How a count reads: "at least N" or "at most N" of the parts, or (a share of the parts that have a value) "more
 * than", "less than", "at least" or "at most" a share. `moreThan` and `lessThan` as numbers of parts are allowed by
 * the format but not offered: "more than 2" is "at least 3".
 */
export type CountKind =
  | 'atLeast'
  | 'atMost'
  | 'moreThan'
  | 'lessThan'
  | 'atLeast-share'
  | 'atMost-share'
  | 'moreThan-share'
  | 'lessThan-share';
export const COUNT_KINDS: readonly CountKind[] = [
  'atLeast',
  'atMost',
  'moreThan-share',
  'lessThan-share',
  'atLeast-share',
  'atMost-share',
];
const BOUNDS = ['atLeast', 'atMost', 'moreThan', 'lessThan'] as const;
type Bound = (typeof BOUNDS)[number];

/** The bound a count reads by: the first it has (a count made by hand may have two), else the kind's default. */
export function countBound(count: Partial<PartCount>): Bound {
  return BOUNDS.find((bound) => count[bound] !== undefined) ?? (count.share ? 'moreThan' : 'atLeast');
}

export const countKind = (count: Partial<PartCount>): CountKind =>
  count.share ? (`${countBound(count)}-share` as CountKind) : countBound(count);

/** The shares a count offers by name: a quarter, a third, half, two thirds, three quarters, all. */
export const SHARES: readonly number[] = [0.25, 1 / 3, 0.5, 2 / 3, 0.75, 1];

/**
 * What a count reads by: its bound and whether it counts parts or a share of them. The number stays when the kind
 * of number stays (a count stays 2, a share stays half); otherwise it starts over at 1 part or half of them. Other
 * bounds go: a count reads by one.
 */
export function setCountKind(instrument: Instrument, countPath: Path, kind: CountKind): Instrument {
  const current = getAt(instrument, countPath);
  if (!isObject(current) || countKind(current) === kind) return instrument;
  return updateAt<Instrument, PartCount>(instrument, countPath, (count) => {
    const [bound, share] = kind.split('-') as [Bound, string | undefined];
    const old = count[countBound(count)];
    const value = !!share === !!count.share && typeof old === 'number' ? old : share ? 0.5 : 1;
    const rest: Record<string, unknown> = { ...count };
    for (const other of BOUNDS) delete rest[other];
    delete rest.share;
    return { ...rest, ...(share ? { share: true } : {}), [bound]: value };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Bands: names for ranges of a score ("low" below 3, "middle" 3 to below 6, "high" 6–7), on any score rule.

/**
 * A band after the last: from where the last one ends up to one more (from 1 up to 2 for the first), with a fresh
 * id and an empty name to fill in. The first band raises the file to format 3.
 */
export function addScoreBand(instrument: Instrument, rulePath: Path): { instrument: Instrument; index: number } {
  const listPath = [...rulePath, 'bands'];
  const list = getAt(instrument, listPath);
  const last = Array.isArray(list) ? (list.at(-1) as ScoreBand | undefined) : undefined;
  const min = last ? (last.below ?? (last.max ?? last.min) + 1) : 1;
  const band: ScoreBand = {
    id: freshId(instrument, listPath, 'band'),
    label: emptyText(instrument.languages),
    min,
    ...(last?.below !== undefined ? { below: min + 1 } : { max: min + 1 }),
  };
  return insertEntry(inFormat3(instrument), listPath, band);
}

/**
 * Whether a range (a band's, or a scoring map entry's) ends at `max` (inclusive) or just `below` a value; switching
 * keeps what it can: 1–2 becomes "1 up to 3", and back.
 */
export function setRangeEnd(instrument: Instrument, rangePath: Path, end: 'max' | 'below'): Instrument {
  const range = getAt(instrument, rangePath) as { min: number; max?: number; below?: number } | undefined;
  if (!isObject(range) || (end === 'below') === (range.below !== undefined)) return instrument;
  const { max, below, ...rest } = range;
  return setAt(
    instrument,
    rangePath,
    end === 'below' ? { ...rest, below: (max ?? rest.min) + 1 } : { ...rest, max: (below ?? rest.min + 1) - 1 },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// A named score's parts: in order (a ratio divides the first by the second), each maybe read through a map.

/**
 * Removes a named score's part (by its place in the list), with the weights of what it was; a weight another part
 * still gives (an item also read as one of its domain's items) stays.
 */
export function removeScorePart(instrument: Instrument, scoreIndex: number, partIndex: number): Instrument {
  const path = ['scores', scoreIndex];
  const score = getAt(instrument, path) as DerivedScore | undefined;
  const from = Array.isArray(score?.from) ? score.from : [];
  const removed = from[partIndex];
  if (!isObject(removed)) return instrument;
  const rest = from.filter((_, i) => i !== partIndex);
  let next = setAt(instrument, [...path, 'from'], rest);
  const still = new Set(scorePartIds(next, rest));
  for (const id of partIds(instrument, removed)) if (!still.has(id)) next = setWeight(next, path, id, undefined);
  return next;
}

/** Reads a part through a scoring map (format 3), or as it is scored (`undefined`). */
export function setPartThrough(
  instrument: Instrument,
  scoreIndex: number,
  partIndex: number,
  map: string | undefined,
): Instrument {
  const path = ['scores', scoreIndex, 'from', partIndex];
  if (!isObject(getAt(instrument, path))) return instrument;
  const next = setAt(instrument, [...path, 'through'], map || undefined);
  return map ? inFormat3(next) : next;
}
