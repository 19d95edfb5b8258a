/**
 * Performance measures for `npm run bench` (and anyone profiling on a device). The browser keeps every measure until
 * the page goes, so each name keeps at most `MAX_PER_NAME`: a lesson of thousands of keystrokes must not grow memory
 * for a figure nobody reads. The count is the browser's own, so a reader that clears the measures starts afresh.
 */
const MAX_PER_NAME = 1000;

export function measure(name: string, start: number, detail?: unknown): void {
  if (performance.getEntriesByName(name, 'measure').length >= MAX_PER_NAME) performance.clearMeasures(name);
  performance.measure(name, { start, end: performance.now(), detail });
}
