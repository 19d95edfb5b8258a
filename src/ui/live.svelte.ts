/**
 * Reads from IndexedDB that stay current: a Dexie liveQuery wrapped as `{ current, isLoading, error }`. Any write
 * to the tables a query read (in this tab or another one) re-runs it, which is how two tabs on the same
 * observation keep each other up to date. Create it while a component initialises; it unsubscribes with it.
 */
import { watch } from '../data/live-query';

export class Live<T> {
  /** Replaced as a whole on every result (not deeply reactive): results are read-only snapshots. */
  current = $state.raw<T | undefined>(undefined);
  isLoading = $state(true);
  error = $state.raw<unknown>(undefined);

  /** `deps` lists reactive values the query depends on (such as an id prop); a change re-subscribes. */
  constructor(query: () => Promise<T> | T, deps?: () => unknown) {
    $effect(() => {
      deps?.();
      return watch(query, {
        next: (value) => {
          this.current = value;
          this.isLoading = false;
          this.error = undefined;
        },
        error: (error: unknown) => {
          this.error = error;
          this.isLoading = false;
        },
      });
    });
  }
}
