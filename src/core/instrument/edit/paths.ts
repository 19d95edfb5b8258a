/**
 * Values at a path in an instrument, read and changed without touching anything beside them: the ground every other
 * step of the editor stands on, and the plain setters for a yes/no or a number field.
 */
import type { Instrument } from '../types';

export type Segment = string | number;
export type Path = readonly Segment[];

export type Json = Record<string, unknown>;
export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at `path`, or undefined when the path leads nowhere. */
export function getAt(root: unknown, path: Path): unknown {
  let here: unknown = root;
  for (const segment of path) {
    if (Array.isArray(here) && typeof segment === 'number') here = here[segment];
    else if (isObject(here) && typeof segment === 'string') here = here[segment];
    else return undefined;
  }
  return here;
}

/**
 * A copy of `root` with `value` at `path`: each object and list on the way is copied, everything else is shared.
 * `undefined` removes an object's key (an optional field switched off); missing objects on the way are created.
 */
export function setAt<T>(root: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path as [Segment, ...Segment[]];
  if (Array.isArray(root) && typeof head === 'number') {
    const copy = [...root];
    copy[head] = setAt(copy[head], rest, value);
    return copy as T;
  }
  const copy: Json = isObject(root) ? { ...root } : {};
  const key = String(head);
  const next = setAt(copy[key], rest, value);
  if (next === undefined) delete copy[key];
  else copy[key] = next;
  return copy as T;
}

/** A copy of `root` with the value at `path` replaced by `change(value)`. */
export function updateAt<T, V>(root: T, path: Path, change: (value: V) => unknown): T {
  return setAt(root, path, change(getAt(root, path) as V));
}

/** A deep copy of plain JSON data (an installed instrument the editor starts from). */
export const cloneJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

// ---------------------------------------------------------------------------------------------------------------
// Plain fields: a yes/no or a number, absent when off or empty.

/** Sets a yes/no field (reverse, required, "not observed" allowed): off removes it, since absent means no. */
export const setFlag = (instrument: Instrument, path: Path, on: boolean): Instrument =>
  setAt(instrument, path, on ? true : undefined);

/** Sets a number field; an empty or unreadable input removes it. */
export const setNumber = (instrument: Instrument, path: Path, value: number | undefined): Instrument =>
  setAt(instrument, path, value === undefined || Number.isNaN(value) ? undefined : value);

/** Format 2 for an instrument that takes one of its parts (a format 1 file may not use them); newer stays newer. */
export const inFormat2 = (instrument: Instrument): Instrument =>
  instrument.format >= 2 ? instrument : { ...instrument, format: 2 };

/**
 * Format 3 for an instrument that takes one of its parts (what changes how scores are worked out: a ratio, a pattern,
 * bands on a score, a part read through a map, …), so an older reader refuses it instead of giving other numbers.
 */
export const inFormat3 = (instrument: Instrument): Instrument =>
  instrument.format >= 3 ? instrument : { ...instrument, format: 3 };
