/**
 * Reads from IndexedDB that stay current: a Dexie liveQuery wrapped as `{ current, isLoading, error }`. Any write
 * to the tables a query read (in this tab or another one) re-runs it, which is how two tabs on the same
 * observation keep each other up to date. Create it while a component initialises; it unsubscribes with it.
 */
import { watch } from '../../data/database/live-query';

export class Live<T> {
  /** Replaced as a whole on every result (not deeply reactive): results are read-only snapshots. */
  current = $state.raw<T | undefined>(undefined);
  isLoading = $state(true);
  error = $state.raw<unknown>(undefined);
  /** Bumped by `retry`: the effect reads it, so changing it subscribes again. */
  private attempt = $state(0);

  /** `deps` lists reactive values the query depends on (such as an id prop); a change re-subscribes. */
  constructor(query: () => Promise<T> | T, deps?: () => unknown) {
    $effect(() => {
      deps?.();
      void this.attempt;
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

  /** Reads again after an error (a "try again" button). */
  retry(): void {
    this.isLoading = true;
    this.error = undefined;
    this.attempt++;
  }
}

/**
 * The reads a screen needs together: the first failure among them, whether any is still loading, and one "try
 * again" for those that failed. A screen shows `error` with LoadError instead of its content, never as empty lists.
 */
export class Reads {
  private readonly lives: ReadonlyArray<Live<unknown>>;
  constructor(...lives: Array<Live<unknown>>) {
    this.lives = lives;
  }

  get error(): unknown {
    return this.lives.find((live) => live.error !== undefined)?.error;
  }

  get isLoading(): boolean {
    return this.lives.some((live) => live.isLoading);
  }

  retry(): void {
    for (const live of this.lives) if (live.error !== undefined) live.retry();
  }
}
