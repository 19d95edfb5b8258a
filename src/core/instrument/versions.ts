/**
 * Versions of an instrument. Installed versions are immutable and live side by side: an observation keeps the
 * version it was made with, and screens that describe an instrument as it is now use its newest version.
 */

/** Semantic versions compared part by part as numbers ("1.10.0" is newer than "1.9.3"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The newest version of each instrument id, in the order each id first appears. */
export function newestVersions<T extends { id: string; version: string }>(instruments: Iterable<T>): T[] {
  const newest = new Map<string, T>();
  for (const instrument of instruments) {
    const current = newest.get(instrument.id);
    if (!current || compareVersions(instrument.version, current.version) > 0) newest.set(instrument.id, instrument);
  }
  return [...newest.values()];
}
