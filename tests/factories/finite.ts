/**
 * Every number in a result that is not finite, by its path (`items[3].thresholds[1]`): an empty list means no NaN or
 * Infinity anywhere in it, however deeply nested (arrays, typed arrays, plain objects, maps).
 */
export function nonFiniteNumbers(value: unknown, path = 'result'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} = ${value}`];
  if (value === null || typeof value !== 'object') return [];
  if (value instanceof Map) return [...value].flatMap(([key, entry]) => nonFiniteNumbers(entry, `${path}.get(${key})`));
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>).flatMap((entry, i) =>
      nonFiniteNumbers(entry, `${path}[${i}]`),
    );
  if (Array.isArray(value)) return value.flatMap((entry, i) => nonFiniteNumbers(entry, `${path}[${i}]`));
  return Object.entries(value).flatMap(([key, entry]) => nonFiniteNumbers(entry, `${path}.${key}`));
}
