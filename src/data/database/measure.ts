/**
 * Performance measures for `npm run bench` (and anyone profiling on a device). The browser keeps every measure until
 * the page goes, so each name keeps at most `MAX_PER_NAME`: a lesson of thousands of keystrokes must not grow memory
 * for a figure nobody reads. The count is the browser's own (so a reader that clears the measures starts afresh),
 * looked at only every `CHECK_EVERY` measures, and never inside the measured time.
 */
const MAX_PER_NAME = 1000;
const CHECK_EVERY = 100;
const since = new Map<string, number>();

export function measure(name: string, start: number, detail?: unknown): void {
  const end = performance.now();
  performance.measure(name, { start, end, detail });
  const count = (since.get(name) ?? 0) + 1;
  since.set(name, count % CHECK_EVERY);
  if (count % CHECK_EVERY === 0 && performance.getEntriesByName(name, 'measure').length > MAX_PER_NAME)
    performance.clearMeasures(name);
}
