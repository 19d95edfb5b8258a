/**
 * Small guards for reading raw, unchecked instrument data: the semantic checks run on the same data as the schema
 * check (so one pass reports everything), and therefore never trust its shape.
 */
export type Segments = Array<string | number>;
export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const objects = (v: unknown): Array<[Json, number]> =>
  arrayOf(v).flatMap((x, i): Array<[Json, number]> => (isObject(x) ? [[x, i]] : []));
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** The string ids of a list of objects, in order (entries without one are skipped). */
export const idsOf = (v: unknown): string[] => objects(v).flatMap(([o]) => (typeof o.id === 'string' ? [o.id] : []));
/**
 * A value from the file as a message quotes it. Never `String(value)` or `${value}` on the file's data: an object with
 * a key "toString" that is not a function (`{"toString": 1}`) makes both throw.
 */
export function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v !== 'object' || v === null) return String(v);
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '…';
  }
}
