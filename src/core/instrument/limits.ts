/**
 * How large an instrument file may be before the validator looks at its content. The limits sit far above any real
 * instrument (the largest we ship is under 100 KB, about 1,500 values, 12 levels deep, its longest text under 800
 * characters) and far below what would make a check slow or break it:
 *
 * | limit                   | value            | why                                                            |
 * | ----------------------- | ---------------- | -------------------------------------------------------------- |
 * | file size               | 5 MB (5,242,880 bytes) | a school's file is read whole, on a tablet                |
 * | nesting of { } and [ ]  | 64 levels        | the format needs about 15; the checks walk the file depth-first |
 * | values in the file      | 100,000          | every object, list, text, number, true/false and null counts   |
 * | entries in one list     | 1,000            | the format's longest list allows 200                          |
 * | fields in one object    | 1,000            | the format's largest object (descriptors) has one per level    |
 * | characters in one text  | 10,000           | counted as a person counts them; the format allows 2,000       |
 *
 * A file beyond a limit gets one clear problem for it (at most MAX_LIMIT_PROBLEMS in all) and no further checks:
 * the schema and semantic checks only ever see a value within these limits. Nesting and size are also checked on the
 * text before it is parsed (json-text.ts, validate.ts), so a file of a million brackets is refused without building
 * it. The README's instrument section repeats this table; change both together.
 */
import { formatPath } from './json-path';
import type { ProblemParams } from './problems';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_DEPTH = 64;
export const MAX_VALUES = 100_000;
export const MAX_LIST_LENGTH = 1_000;
export const MAX_OBJECT_KEYS = 1_000;
export const MAX_TEXT_LENGTH = 10_000;
/** More than this many limits broken and the file is not worth listing further. */
const MAX_LIMIT_PROBLEMS = 20;

type Segments = Array<string | number>;

/** A limit the value breaks: where, which (a problem code of problems.ts) and the figures its message names. */
export interface LimitBreach {
  path: string;
  code: 'tooLong' | 'tooManyValues' | 'tooDeep' | 'tooMany';
  params: ProblemParams;
}

/** "5 MB", "812 KB", "97 bytes": a size the way a person reads it (powers of 1,024, one decimal above 10 MB). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const megabytes = bytes / 1024 / 1024;
  return `${Number.isInteger(megabytes) ? megabytes : megabytes.toFixed(1)} MB`;
}

/** Code points, counted without building an array (a text may be megabytes long). */
function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/**
 * Walks the value and reports every limit it breaks, without descending below a broken one. Safe on any value:
 * a circular reference or a thousand levels stop at MAX_DEPTH, and the walk stops after MAX_VALUES values.
 */
export function checkLimits(data: unknown): LimitBreach[] {
  const problems: LimitBreach[] = [];
  const path: Segments = [];
  let values = 0;
  let stopped = false;
  const report = (found: LimitBreach) => {
    problems.push(found);
    if (problems.length >= MAX_LIMIT_PROBLEMS) stopped = true;
  };
  /** Whether the text is within the limit; reports it at the current path (or beside it, for a key) when not. */
  const text = (value: string, key?: 'key'): boolean => {
    if (value.length <= MAX_TEXT_LENGTH) return true;
    const actual = codePointLength(value);
    if (actual <= MAX_TEXT_LENGTH) return true;
    // A path that repeats a key of megabytes helps nobody: show its start.
    const where = key ? formatPath([...path.slice(0, -1), `${value.slice(0, 20)}…`]) : formatPath(path);
    report({ path: where, code: 'tooLong', params: { limit: MAX_TEXT_LENGTH, actual } });
    return false;
  };
  const visit = (value: unknown, depth: number) => {
    if (stopped) return;
    if (++values > MAX_VALUES) {
      report({ path: '$', code: 'tooManyValues', params: { limit: MAX_VALUES } });
      stopped = true;
      return;
    }
    if (typeof value === 'string') {
      text(value);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (depth >= MAX_DEPTH) return report({ path: formatPath(path), code: 'tooDeep', params: { limit: MAX_DEPTH } });
    if (Array.isArray(value)) {
      if (value.length > MAX_LIST_LENGTH) {
        return report({
          path: formatPath(path),
          code: 'tooMany',
          params: { limit: MAX_LIST_LENGTH, actual: value.length },
        });
      }
      for (let i = 0; i < value.length && !stopped; i++) {
        path.push(i);
        visit(value[i], depth + 1);
        path.pop();
      }
      return;
    }
    const keys = Object.keys(value);
    if (keys.length > MAX_OBJECT_KEYS) {
      return report({
        path: formatPath(path),
        code: 'tooMany',
        params: { limit: MAX_OBJECT_KEYS, actual: keys.length },
      });
    }
    for (const key of keys) {
      if (stopped) return;
      path.push(key);
      if (text(key, 'key')) visit((value as Record<string, unknown>)[key], depth + 1);
      path.pop();
    }
  };
  visit(data, 0);
  return problems;
}
