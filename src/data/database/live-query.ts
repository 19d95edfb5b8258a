/**
 * Reads that stay current: the UI's one way to watch the database (src/ui/shared/live.svelte.ts wraps it as
 * `{ current, isLoading, error }`). Any write to the tables a query read, in this tab or another, re-runs it.
 */
import { liveQuery } from 'dexie';

export interface Watcher<T> {
  next: (value: T) => void;
  error: (error: unknown) => void;
}

/** Runs `query` now and after every change to what it read; returns a function that stops watching. */
export function watch<T>(query: () => Promise<T> | T, watcher: Watcher<T>): () => void {
  const subscription = liveQuery(query).subscribe(watcher);
  return () => subscription.unsubscribe();
}
