/**
 * Whether what the user did is kept. Every write from a screen goes through `saveStatus.run`, which shows
 * "saved on this device" once IndexedDB has committed it, and a loud error with a retry when it failed (storage
 * full, storage blocked). Failed writes are kept by key and replayed in order on retry; screens keep showing what
 * the user entered meanwhile. Writes are "set" operations, so replaying one is safe.
 */

interface FailedWrite {
  key: string;
  write: () => Promise<unknown>;
}

export type SaveProblem = 'quota' | 'blocked' | 'other';

class SaveStatus {
  pending = $state(0);
  failed = $state.raw<FailedWrite[]>([]);
  problem = $state<SaveProblem | undefined>(undefined);

  get hasFailed(): boolean {
    return this.failed.length > 0;
  }

  private readonly inFlight = new Set<Promise<unknown>>();

  /** Resolves when every write started so far has finished (committed or failed), or after `timeoutMs`. */
  async settled(timeoutMs = 3000): Promise<void> {
    const timeout = new Promise((resolve) => setTimeout(resolve, timeoutMs));
    await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
  }

  /** Runs a write; resolves true when it was committed. `key` groups writes of the same field: the latest wins. */
  run(key: string, write: () => Promise<unknown>): Promise<boolean> {
    const running = this.attempt(key, write);
    this.inFlight.add(running);
    void running.finally(() => this.inFlight.delete(running));
    return running;
  }

  private async attempt(key: string, write: () => Promise<unknown>): Promise<boolean> {
    this.pending++;
    try {
      await write();
      this.failed = this.failed.filter((f) => f.key !== key);
      if (this.failed.length === 0) this.problem = undefined;
      return true;
    } catch (error) {
      console.error('Meekijken could not save', key, error);
      this.failed = [...this.failed.filter((f) => f.key !== key), { key, write }];
      this.problem = classify(error);
      return false;
    } finally {
      this.pending--;
    }
  }

  /** Tries every failed write again, oldest first. */
  async retry(): Promise<void> {
    const queue = this.failed;
    for (const { key, write } of queue) {
      if (!(await this.run(key, write))) return;
    }
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

/** Text being typed that is not written yet: flushed when the page is hidden or left. */
const unsavedText = new Set<() => void>();

export function registerUnsavedText(flush: () => void): () => void {
  unsavedText.add(flush);
  return () => unsavedText.delete(flush);
}

/** Called on `visibilitychange` (hidden) and `pagehide`: the tablet locking or the tab closing. */
export function flushUnsavedText(): void {
  for (const flush of unsavedText) flush();
}
