/**
 * Writes every change at once, with at most one write in flight per record; changes that arrive meanwhile wait and
 * follow as one write the moment it completes, newest value per field. Each change is journalled (see journal.ts)
 * before anything else happens, and taken out of the journal once its write has committed.
 *
 * Why one write per record at a time: two writes of the same record started together would each read the record
 * and put their own version, and IndexedDB would run them in order, but a failed first write followed by a second
 * one must not let the older value come back on retry. Queuing per record keeps "the newest change wins" simple:
 * every write carries the time of each change, and the data layer never replaces a newer field value with an
 * older one, also when writes are replayed.
 */
import { measure } from '../database/measure';
import type { Actor } from '../../core/model/lifecycle';
import type { Journal, JournalChange, JournalEntry } from './journal';

/**
 * The name of the measure per change, for benchmarks: from the change (a keystroke, a tap) until a write holding
 * it, or a newer value of its field, committed. This is how long a change is at risk if the browser is killed.
 */
const CHANGE_DURABLE_MEASURE = 'meekijken:change-durable';

interface Waiter {
  field: string;
  seq: number;
  /** `performance.now()` when the change was submitted. */
  since: number;
  resolve: (committed: boolean) => void;
}

interface RecordQueue<C extends JournalChange> {
  /** Changes not yet handed to a write, newest per field. */
  queued: Map<string, JournalEntry<C>>;
  /** Writes started and not finished (normally one; more only after `startAll`). */
  inFlight: number;
  running?: Promise<void>;
  /** The last write's error, until a write of this record commits. */
  error?: unknown;
  waiters: Waiter[];
}

export interface DurableFailure {
  key: string;
  error: unknown;
}

export class DurableWrites<C extends JournalChange = JournalChange> {
  private seq = 0;
  private readonly records = new Map<string, RecordQueue<C>>();

  constructor(
    private readonly journal: Journal<C>,
    private readonly onChange: () => void = () => {},
    private readonly write: (entries: readonly JournalEntry<C>[]) => Promise<void> = journal.kinds.write,
  ) {}

  private recordKey(change: C): string {
    return this.journal.kinds.recordKey(change);
  }

  private fieldKey(change: C): string {
    return this.journal.kinds.fieldKey(change);
  }

  /**
   * Journals the change and writes it as soon as no other write of its record is in flight. Resolves true once
   * the change (or a newer change of the same field) has committed, false when the write failed; a failed change
   * stays queued and is written by the record's next change or by `retry`.
   */
  submit(change: C, actor: Actor, at = Date.now()): Promise<boolean> {
    const entry: JournalEntry<C> = { change, actor, at, seq: ++this.seq };
    this.journal.write(entry);
    const key = this.recordKey(change);
    let queue = this.records.get(key);
    if (!queue) {
      queue = { queued: new Map(), inFlight: 0, waiters: [] };
      this.records.set(key, queue);
    }
    const field = this.fieldKey(change);
    queue.queued.delete(field);
    queue.queued.set(field, entry);
    const since = performance.now();
    const done = new Promise<boolean>((resolve) => queue.waiters.push({ field, seq: entry.seq, since, resolve }));
    this.drain(key, queue);
    this.onChange();
    return done;
  }

  /** Whether changes are waiting or being written (failed ones that wait for a retry do not count). */
  get writing(): boolean {
    for (const queue of this.records.values())
      if (queue.inFlight > 0 || (queue.queued.size > 0 && queue.error === undefined)) return true;
    return false;
  }

  failures(): DurableFailure[] {
    return [...this.records]
      .filter(([, queue]) => queue.error !== undefined)
      .map(([key, queue]) => ({ key, error: queue.error }));
  }

  /** Writes every failed record again; resolves true when all of them committed. */
  async retry(): Promise<boolean> {
    const failed = [...this.records].filter(([, queue]) => queue.error !== undefined);
    for (const [key, queue] of failed) {
      this.drain(key, queue);
      await queue.running;
    }
    return this.failures().length === 0;
  }

  /** Resolves when nothing is queued or in flight (failed records aside), or after `timeoutMs`. */
  async settled(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const running = [...this.records.values()].flatMap((q) => (q.running ? [q.running] : []));
      if (running.length === 0) return;
      await Promise.race([
        Promise.allSettled(running),
        new Promise((resolve) => setTimeout(resolve, deadline - Date.now())),
      ]);
    }
  }

  /**
   * The page is being hidden or left: start every queued change now instead of after the write in flight. This
   * tab may not live to see that write complete; IndexedDB runs the new write after the one in flight, and the
   * data layer's newest-wins rule makes the order irrelevant anyway.
   */
  startAll(): void {
    for (const queue of this.records.values()) {
      if (queue.inFlight > 0 && queue.queued.size > 0) void this.writeBatch(queue).then(({ notify }) => notify());
    }
  }

  private drain(key: string, queue: RecordQueue<C>): void {
    if (queue.running) return;
    queue.running = (async () => {
      let committed = true;
      while (committed && queue.queued.size > 0) {
        const result = await this.writeBatch(queue);
        committed = result.committed;
        // Decide whether this drain goes on before anyone hears of the outcome: a change submitted in reaction to
        // it must either find this drain still running (and be written by it) or start a new one.
        if (!committed || queue.queued.size === 0) {
          queue.running = undefined;
          if (queue.queued.size === 0 && queue.inFlight === 0 && queue.error === undefined) this.records.delete(key);
        }
        result.notify();
      }
    })();
  }

  /**
   * Writes everything queued for a record in one transaction. The caller calls `notify` to resolve the waiting
   * submits once it has updated its own state.
   */
  private async writeBatch(queue: RecordQueue<C>): Promise<{ committed: boolean; notify: () => void }> {
    const batch = [...queue.queued.values()];
    queue.queued.clear();
    queue.inFlight++;
    try {
      await this.write(batch);
      queue.error = undefined;
      this.journal.settle(batch);
      return {
        committed: true,
        notify: () => {
          this.resolve(
            queue,
            (waiter) => batch.some((entry) => this.fieldKey(entry.change) === waiter.field && entry.seq >= waiter.seq),
            true,
          );
          this.onChange();
        },
      };
    } catch (error) {
      console.error('Meekijken could not save', error);
      queue.error = error;
      // Back in the queue, unless a newer change of the same field arrived while this write ran.
      for (const entry of batch) {
        const field = this.fieldKey(entry.change);
        if (!queue.queued.has(field)) queue.queued.set(field, entry);
      }
      return {
        committed: false,
        notify: () => {
          this.resolve(queue, () => true, false);
          this.onChange();
        },
      };
    } finally {
      queue.inFlight--;
    }
  }

  private resolve(queue: RecordQueue<C>, matches: (waiter: Waiter) => boolean, committed: boolean): void {
    const left: Waiter[] = [];
    for (const waiter of queue.waiters) {
      if (!matches(waiter)) {
        left.push(waiter);
        continue;
      }
      if (committed) measure(CHANGE_DURABLE_MEASURE, waiter.since, { field: waiter.field });
      waiter.resolve(committed);
    }
    queue.waiters = left;
  }
}
