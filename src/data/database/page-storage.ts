/**
 * The page's localStorage: where the write-ahead journal lives (src/data/writes/journal.ts) and the tablet's list of
 * accounts (src/data/sync/accounts.ts). Tests pass a map that behaves the same.
 */

/** The part of the Web Storage API the data layer uses (localStorage in the app, a map in tests). */
export interface SyncStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  key(index: number): string | null;
  readonly length: number;
}

/** The page's localStorage, or undefined when the browser's settings block it (writes go ahead without a journal). */
export function pageStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
