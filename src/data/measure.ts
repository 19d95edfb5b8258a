/**
 * Performance measures for `npm run bench` (and anyone profiling on a device). The browser keeps every measure until
 * the page goes, so each name keeps at most the last `MAX_PER_NAME`: a lesson of thousands of keystrokes must not
 * grow memory for a figure nobody reads.
 */
const MAX_PER_NAME = 1000;
const counts = new Map<string, number>();

export function measure(name: string, start: number, detail?: unknown): void {
  const count = (counts.get(name) ?? 0) + 1;
  if (count > MAX_PER_NAME) {
    performance.clearMeasures(name);
    counts.set(name, 1);
  } else {
    counts.set(name, count);
  }
  performance.measure(name, { start, end: performance.now(), detail });
}
