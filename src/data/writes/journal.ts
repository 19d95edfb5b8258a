/**
 * The write-ahead journal: every change a user makes while observing (a tap, every keystroke of a note or an
 * evidence text) and every keystroke in the instrument editor is put in the page's localStorage synchronously, in
 * the input event itself, before its IndexedDB write starts, and taken out once that write has committed. On the
 * next start `replayJournals` (src/data/records/page-writes.ts) writes whatever is still there into IndexedDB.
 *
 * Why both: an IndexedDB write needs a few milliseconds and a page that lives on; a reload or a closed tab tears the
 * page down under a write that has only read so far, and that write is lost. localStorage is written before the
 * event handler returns and the browser keeps it when the page goes. It does not survive the whole browser being
 * killed within seconds (the browser writes it to disk later), and that is what the immediate IndexedDB write is
 * for: see "Data and nothing lost" in the README.
 *
 * The journal knows no entity: each kind of record that is journalled describes its own changes (`JournalledKind`:
 * which record and field a change sets, and how to write them), and the page's list of them is
 * src/data/records/page-writes.ts.
 *
 * Each page (tab) keeps its own journal key, so two tabs never overwrite each other's entries; replay reads them
 * all. Replaying is safe at any time: changes set values and carry the moment they were made, and the writes below
 * never let an older change replace a newer one.
 */
import { WriteRefused, type Actor } from '../../core/model/lifecycle';
import type { Timestamp } from '../../core/model/records';
import type { SyncStorage } from '../database/page-storage';
import { RecordGone } from './local';

/** A change that is journalled before it is written: each kind of record journalled has its own shape. */
export interface JournalChange {
  kind: string;
}

export interface JournalEntry<C extends JournalChange = JournalChange> {
  change: C;
  /** Who made the change: the write path checks they may (src/core/model/lifecycle.ts), also on replay. */
  actor: Actor;
  /** When the user made the change (the tap or keystroke). */
  at: Timestamp;
  /** Order of changes within one page; a later entry of the same field replaces an earlier one. */
  seq: number;
}

/** What a kind of record tells the journal about its changes. */
export interface JournalledKind<C extends JournalChange> {
  kind: C['kind'];
  /** The record a change writes: changes of one record are written together, one write at a time. */
  recordKey(change: C): string;
  /** The field a change sets: only the newest change of a field needs writing. */
  fieldKey(change: C): string;
  /** Writes the changes of one record (oldest first) in one transaction. */
  write(entries: readonly JournalEntry<C>[]): Promise<void>;
}

/** The kinds of change a page journals, looked up by a change's `kind`. Replay accepts exactly these. */
export class JournalKinds<C extends JournalChange> {
  private readonly byKind: ReadonlyMap<string, JournalledKind<JournalChange>>;

  constructor(kinds: ReadonlyArray<{ [K in C['kind']]: JournalledKind<Extract<C, { kind: K }>> }[C['kind']]>) {
    this.byKind = new Map(kinds.map((kind) => [kind.kind, kind as unknown as JournalledKind<JournalChange>]));
  }

  has(kind: unknown): boolean {
    return typeof kind === 'string' && this.byKind.has(kind);
  }

  private of(change: JournalChange): JournalledKind<JournalChange> {
    const known = this.byKind.get(change.kind);
    if (!known) throw new Error(`No journalled kind "${change.kind}"`);
    return known;
  }

  recordKey(change: C): string {
    return this.of(change).recordKey(change);
  }

  fieldKey(change: C): string {
    return this.of(change).fieldKey(change);
  }

  /** Writes the changes of one record (as grouped by `recordKey`) in one transaction. */
  write = async (entries: readonly JournalEntry<C>[]): Promise<void> => {
    const first = entries[0];
    if (first) await this.of(first.change).write(entries);
  };
}

/** The newest of a record's entries (for kinds whose change holds the whole record, such as a note). */
export const latestEntry = <C extends JournalChange>(entries: readonly JournalEntry<C>[]): JournalEntry<C> =>
  entries.reduce((a, b) => (b.at > a.at || (b.at === a.at && b.seq > a.seq) ? b : a));

export const journalPrefix = (databaseName: string) => `meekijken-journal:${databaseName}:`;

/** One page's journal: the newest unwritten change per field. */
export class Journal<C extends JournalChange = JournalChange> {
  private readonly entries = new Map<string, JournalEntry<C>>();
  private readonly key: string;

  constructor(
    readonly kinds: JournalKinds<C>,
    private readonly storage: SyncStorage | undefined,
    databaseName: string,
    pageId: string = crypto.randomUUID(),
  ) {
    this.key = journalPrefix(databaseName) + pageId;
  }

  /** Notes a change before it is written. Synchronous: it is stored when this returns. */
  write(entry: JournalEntry<C>): void {
    this.entries.set(this.kinds.fieldKey(entry.change), entry);
    this.persist();
  }

  /** Takes out entries whose write committed, unless a newer change of the same field came in meanwhile. */
  settle(written: readonly JournalEntry<C>[]): void {
    let changed = false;
    for (const entry of written) {
      const key = this.kinds.fieldKey(entry.change);
      if (this.entries.get(key)?.seq === entry.seq) {
        this.entries.delete(key);
        changed = true;
      }
    }
    if (changed) this.persist();
  }

  get size(): number {
    return this.entries.size;
  }

  private persist(): void {
    if (!this.storage) return;
    try {
      if (this.entries.size === 0) this.storage.removeItem(this.key);
      else this.storage.setItem(this.key, JSON.stringify([...this.entries.values()]));
    } catch (error) {
      // localStorage full or blocked: the IndexedDB write goes ahead regardless and the save status tells its
      // outcome; only the protection against a reload in the write's first milliseconds is missing.
      console.warn('Meekijken could not journal a change', error);
    }
  }
}

function parseEntries(kinds: JournalKinds<JournalChange>, raw: string | null): JournalEntry[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((value) => isEntry(kinds, value)) : [];
  } catch {
    return [];
  }
}

function isEntry(kinds: JournalKinds<JournalChange>, value: unknown): value is JournalEntry {
  const entry = value as Partial<JournalEntry> | null;
  return (
    !!entry &&
    typeof entry.at === 'number' &&
    typeof entry.seq === 'number' &&
    entry.actor !== undefined &&
    !!entry.change &&
    kinds.has(entry.change.kind)
  );
}

export interface ReplayResult {
  /** Records written from the journal. */
  written: number;
  /** Entries kept for the next start because their write failed. */
  kept: number;
}

/**
 * Writes every journalled change of this database into IndexedDB, oldest first per record, and takes out what was
 * written. Changes for an observation that no longer exists, or that the write path refuses, are dropped; other
 * failures keep their entries for the next start. Called before the first screen reads anything.
 */
export async function replayJournalled<C extends JournalChange>(
  kinds: JournalKinds<C>,
  storage: SyncStorage | undefined,
  databaseName: string,
  write: (entries: readonly JournalEntry<C>[]) => Promise<void> = kinds.write,
): Promise<ReplayResult> {
  if (!storage) return { written: 0, kept: 0 };
  const prefix = journalPrefix(databaseName);
  const journals: Array<{ key: string; raw: string | null; entries: JournalEntry[] }> = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(prefix)) journals.push({ key, raw: storage.getItem(key), entries: [] });
  }
  for (const journal of journals)
    journal.entries = parseEntries(kinds as unknown as JournalKinds<JournalChange>, journal.raw);
  if (journals.length === 0) return { written: 0, kept: 0 };

  const byRecord = new Map<string, JournalEntry<C>[]>();
  for (const entry of journals.flatMap((j) => j.entries as JournalEntry<C>[])) {
    const key = kinds.recordKey(entry.change);
    byRecord.set(key, [...(byRecord.get(key) ?? []), entry]);
  }
  const failed = new Set<JournalEntry>();
  let written = 0;
  for (const entries of byRecord.values()) {
    entries.sort((a, b) => a.at - b.at || a.seq - b.seq);
    try {
      await write(entries);
      written++;
    } catch (error) {
      // Nothing to write into any more, or not this person's to write: dropping it loses nothing of theirs.
      if (error instanceof RecordGone || error instanceof WriteRefused) continue;
      console.error('Meekijken could not replay journalled changes', error);
      for (const entry of entries) failed.add(entry);
    }
  }
  for (const journal of journals) {
    // A tab that is still open may have journalled something new meanwhile: leave its key alone then.
    if (storage.getItem(journal.key) !== journal.raw) continue;
    const left = journal.entries.filter((e) => failed.has(e));
    if (left.length === 0) storage.removeItem(journal.key);
    else storage.setItem(journal.key, JSON.stringify(left));
  }
  return { written, kept: failed.size };
}

/** Forgets every journal of a database (it was deleted from this device, see `signOut` in sync.ts). */
export function dropJournals(storage: SyncStorage | undefined, databaseName: string): void {
  if (!storage) return;
  const prefix = journalPrefix(databaseName);
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}
