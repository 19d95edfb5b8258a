/**
 * Whether what the user did is kept, told truthfully.
 *
 * - Changes made while observing (taps, every keystroke of a text) go through `saveStatus.submit`: journalled at
 *   once, then written to IndexedDB with at most one write per record in flight (src/data/durable-writes.ts).
 * - Other writes (a new person, completing an observation) go through `saveStatus.run`.
 *
 * `state` is "saving" while anything is queued or in flight, "saved" only once the last change has committed, and
 * "failed" while a write failed (storage full, storage blocked); failed writes are kept and written again, in order,
 * by `retry` or the record's next change. Screens keep showing what the user entered meanwhile. Writes are "set"
 * operations that carry the moment of the change, so replaying one is safe.
 */
import { databaseInUse } from '../../data/connection';
import { DurableWrites } from '../../data/durable-writes';
import { Journal, type DurableChange } from '../../data/journal';
import type { Actor } from '../../core/model/lifecycle';

interface FailedWrite {
  key: string;
  write: () => Promise<unknown>;
}

export type SaveProblem = 'quota' | 'blocked' | 'other';
export type SaveState = 'saving' | 'saved' | 'failed';

/** A short save ("Opslaan…" for a few milliseconds per keystroke) is not worth a screen reader's words. */
const ANNOUNCE_SAVING_AFTER_MS = 2000;

class SaveStatus {
  /** Writes started with `run` that have not finished. */
  pending = $state(0);
  /** Writes started with `run` that failed, oldest first. */
  failed = $state.raw<FailedWrite[]>([]);
  problem = $state<SaveProblem | undefined>(undefined);
  /** Whether journalled changes are queued or in flight, and which records failed to be written. */
  private durableWriting = $state(false);
  private durableFailed = $state(0);
  /** The state as screen readers were last told it: changes once per change of state, never per keystroke. */
  announced = $state<SaveState>('saved');
  private announceTimer: ReturnType<typeof setTimeout> | undefined;

  private durable: DurableWrites | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  get hasFailed(): boolean {
    return this.failed.length > 0 || this.durableFailed > 0;
  }

  get state(): SaveState {
    if (this.hasFailed) return 'failed';
    return this.pending > 0 || this.durableWriting ? 'saving' : 'saved';
  }

  private writes(): DurableWrites {
    this.durable ??= new DurableWrites(new Journal(pageStorage(), databaseInUse()), () => this.durableChanged());
    return this.durable;
  }

  /**
   * Journals a change made while observing and writes it at once; resolves true once it (or a newer change of the
   * same field) is committed, false when the write failed. `at` is the moment of the tap or keystroke.
   */
  submit(change: DurableChange, actor: Actor, at = Date.now()): Promise<boolean> {
    return this.writes().submit(change, actor, at);
  }

  /** Resolves when every write started so far has finished (committed or failed), or after `timeoutMs`. */
  async settled(timeoutMs = 3000): Promise<void> {
    const timeout = new Promise((resolve) => setTimeout(resolve, timeoutMs));
    await Promise.race([Promise.allSettled([...this.inFlight, this.durable?.settled(timeoutMs)]), timeout]);
  }

  /** The page is being hidden or left: start every queued change now (see `DurableWrites.startAll`). */
  startAll(): void {
    this.durable?.startAll();
  }

  /** Runs a write; resolves true when it was committed. `key` groups writes of the same thing: the latest wins. */
  run(key: string, write: () => Promise<unknown>): Promise<boolean> {
    const running = this.attempt(key, write);
    this.inFlight.add(running);
    void running.finally(() => this.inFlight.delete(running));
    return running;
  }

  private async attempt(key: string, write: () => Promise<unknown>): Promise<boolean> {
    this.pending++;
    this.stateChanged();
    try {
      await write();
      this.failed = this.failed.filter((f) => f.key !== key);
      if (!this.hasFailed) this.problem = undefined;
      return true;
    } catch (error) {
      console.error('Meekijken could not save', key, error);
      this.failed = [...this.failed.filter((f) => f.key !== key), { key, write }];
      this.problem = classify(error);
      return false;
    } finally {
      this.pending--;
      this.stateChanged();
    }
  }

  /** Tries every failed write again, oldest first. */
  async retry(): Promise<void> {
    const queue = this.failed;
    for (const { key, write } of queue) {
      if (!(await this.run(key, write))) return;
    }
    await this.durable?.retry();
  }

  private durableChanged(): void {
    const durable = this.writes();
    const failures = durable.failures();
    this.durableWriting = durable.writing;
    this.durableFailed = failures.length;
    const last = failures.at(-1);
    if (last) this.problem = classify(last.error);
    else if (!this.hasFailed) this.problem = undefined;
    this.stateChanged();
  }

  /**
   * Keeps `announced` (a live region's text) at the state, but only tells a screen reader what matters: a failure
   * at once, "saved" again after a failure or a long save, and "saving" only when it lasts.
   */
  private stateChanged(): void {
    const state = this.state;
    clearTimeout(this.announceTimer);
    if (state === this.announced) return;
    if (state === 'failed' || state === 'saved') this.announced = state;
    else this.announceTimer = setTimeout(() => (this.announced = this.state), ANNOUNCE_SAVING_AFTER_MS);
  }
}

/** The page's localStorage, where the journal lives. */
export function pageStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    // Storage blocked by the browser's settings: the writes go ahead without a journal.
    return undefined;
  }
}

function classify(error: unknown): SaveProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const inner = (error as { inner?: { name?: string } } | null)?.inner?.name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if ([name, inner].includes('QuotaExceededError') || /quota/i.test(message)) return 'quota';
  if ([name, inner].some((n) => ['InvalidStateError', 'SecurityError', 'DatabaseClosedError', 'MissingAPIError'].includes(n))) {
    return 'blocked';
  }
  return 'other';
}

export const saveStatus = new SaveStatus();
