/**
 * The page's write queue: every write a user starts goes through `pageWrites`, which tells the save status
 * (src/ui/shared/save-status.svelte.ts) truthfully whether it is kept.
 *
 * - Changes made while typing or observing (taps, every keystroke of a text) go through `submit`: journalled at once
 *   (src/data/writes/journal.ts), then written to IndexedDB with at most one write per record in flight
 *   (src/data/writes/durable-writes.ts). The kinds journalled are listed here, each described by its own record
 *   file, so the journal itself knows no entity.
 * - Other writes (a new person, completing an observation) go through `run`.
 *
 * The state is "saving" while anything is queued or in flight, "saved" only once the last change has committed,
 * and "failed" while a write failed (storage full, storage blocked); failed writes are kept and written again, in
 * order, by `retry` or the record's next change. Writes are "set" operations that carry the moment of the change,
 * so replaying one is safe.
 */
import { databaseInUse } from '../database/connection';
import { pageStorage, type SyncStorage } from '../database/page-storage';
import { DurableWrites } from '../writes/durable-writes';
import { Journal, JournalKinds, replayJournalled, type JournalEntry, type ReplayResult } from '../writes/journal';
import { feedbackJournal, type JournalledFeedback } from './feedback';
import { instrumentDraftJournal, type JournalledInstrumentDraft } from './instrument-drafts';
import { noteJournal, type JournalledNote } from './notes';
import { observationJournal, type JournalledObservation } from './observations';
import { reflectionJournal, type JournalledReflection } from './reflections';
import { responseJournal, type JournalledResponse } from './responses';
import type { Actor } from '../../core/model/lifecycle';

/** A change that is journalled before it is written. */
export type DurableChange =
  | JournalledResponse
  | JournalledNote
  | JournalledObservation
  | JournalledFeedback
  | JournalledReflection
  | JournalledInstrumentDraft;

/** Every kind of change the page journals: replay accepts exactly these. */
export const JOURNALLED = new JournalKinds<DurableChange>([
  responseJournal,
  noteJournal,
  observationJournal,
  feedbackJournal,
  reflectionJournal,
  instrumentDraftJournal,
]);

/** A page's journal of the kinds above, in `storage` (localStorage in the app, a map in tests). */
export const pageJournal = (
  storage: SyncStorage | undefined,
  databaseName: string,
  pageId?: string,
): Journal<DurableChange> => new Journal(JOURNALLED, storage, databaseName, pageId);

/**
 * Writes every journalled change of this database into IndexedDB and takes out what was written (see
 * `replayJournalled`). The app calls it before the first screen reads anything.
 */
export const replayJournals = (
  storage: SyncStorage | undefined = pageStorage(),
  databaseName: string = databaseInUse(),
  write?: (entries: readonly JournalEntry<DurableChange>[]) => Promise<void>,
): Promise<ReplayResult> => replayJournalled(JOURNALLED, storage, databaseName, write);

/** Why writes failed, as the save status words it. */
export type SaveProblem = 'quota' | 'blocked' | 'other';
export type SaveState = 'saving' | 'saved' | 'failed';

interface FailedWrite {
  key: string;
  write: () => Promise<unknown>;
}

class PageWrites {
  /** Writes started with `run` that have not finished. */
  private pending = 0;
  /** Writes started with `run` that failed, oldest first. */
  private failed: FailedWrite[] = [];
  private problemSeen: SaveProblem | undefined;
  private durable: DurableWrites<DurableChange> | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly listeners = new Set<() => void>();

  /** `journal` makes the page's journal when the first change comes (tests pass their own storage). */
  constructor(
    private readonly journal: () => Journal<DurableChange> = () => pageJournal(pageStorage(), databaseInUse()),
  ) {}

  get state(): SaveState {
    if (this.hasFailed) return 'failed';
    return this.pending > 0 || this.durable?.writing ? 'saving' : 'saved';
  }

  get hasFailed(): boolean {
    return this.failed.length > 0 || (this.durable?.failures().length ?? 0) > 0;
  }

  /** What the last failure was, while writes are failing. */
  get problem(): SaveProblem | undefined {
    return this.hasFailed ? this.problemSeen : undefined;
  }

  /** Calls `listener` after every change of state. Returns a function that stops listening. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private writes(): DurableWrites<DurableChange> {
    this.durable ??= new DurableWrites(this.journal(), () => this.durableChanged());
    return this.durable;
  }

  /**
   * Journals a change made while typing or observing and writes it at once; resolves true once it (or a newer
   * change of the same field) is committed, false when the write failed. `at` is the moment of the tap or keystroke.
   */
  submit(change: DurableChange, actor: Actor, at = Date.now()): Promise<boolean> {
    return this.writes().submit(change, actor, at);
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
    this.changed();
    try {
      await write();
      this.failed = this.failed.filter((f) => f.key !== key);
      return true;
    } catch (error) {
      console.error('Meekijken could not save', key, error);
      this.failed = [...this.failed.filter((f) => f.key !== key), { key, write }];
      this.problemSeen = classify(error);
      return false;
    } finally {
      this.pending--;
      this.changed();
    }
  }

  /** Tries every failed write again, oldest first. */
  async retry(): Promise<void> {
    for (const { key, write } of this.failed) {
      if (!(await this.run(key, write))) return;
    }
    await this.durable?.retry();
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

  private durableChanged(): void {
    const last = this.writes().failures().at(-1);
    if (last) this.problemSeen = classify(last.error);
    this.changed();
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function classify(error: unknown): SaveProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const inner = (error as { inner?: { name?: string } } | null)?.inner?.name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if ([name, inner].includes('QuotaExceededError') || /quota/i.test(message)) return 'quota';
  if (
    [name, inner].some((n) =>
      ['InvalidStateError', 'SecurityError', 'DatabaseClosedError', 'MissingAPIError'].includes(n),
    )
  ) {
    return 'blocked';
  }
  return 'other';
}

/** This page's writes. */
export const pageWrites = new PageWrites();
