/**
 * The write-ahead journal: every change a user makes while observing (a tap, every keystroke of a note or an
 * evidence text) and every keystroke in the instrument editor is put in the page's localStorage synchronously, in
 * the input event itself, before its IndexedDB write starts, and taken out once that write has committed. On the next start `replayJournals` writes whatever is
 * still there into IndexedDB.
 *
 * Why both: an IndexedDB write needs a few milliseconds and a page that lives on; a reload or a closed tab tears the
 * page down under a write that has only read so far, and that write is lost. localStorage is written before the
 * event handler returns and the browser keeps it when the page goes. It does not survive the whole browser being
 * killed within seconds (the browser writes it to disk later), and that is what the immediate IndexedDB write is
 * for: see "Data and nothing lost" in the README.
 *
 * Each page (tab) keeps its own journal key, so two tabs never overwrite each other's entries; replay reads them
 * all. Replaying is safe at any time: changes set values and carry the moment they were made, and the writes below
 * never let an older change replace a newer one.
 */
import { recordResponseChanges } from './responses';
import { ObservationGoneError, recordObservationChanges, type ObservationChange } from './observations';
import { saveNote, type NoteDraft } from './notes';
import { recordFeedbackChanges } from './feedback';
import { writeReflection } from './reflections';
import { saveInstrumentDraftContent } from './instrument-drafts';
import type { Instrument } from '../core/instrument';
import { feedbackField, type FeedbackChange } from '../core/feedback/feedback-change';
import { patchField, type ResponsePatch } from '../core/observation/response-patch';
import { WriteRefused, type Actor } from '../core/model/lifecycle';
import { responseKey, type Timestamp, type Uuid } from '../core/model/records';

/** Every kind of change the journal carries: replay accepts exactly these. */
export const JOURNALLED_KINDS = ['response', 'note', 'observation', 'feedback', 'reflection', 'instrumentDraft'] as const;

/** A change that is journalled before it is written. */
export type DurableChange =
  /** `cycle`: the repetition of a repeated section the answer belongs to. */
  | { kind: 'response'; observationId: Uuid; itemId: string; cycle?: number; patch: ResponsePatch }
  | { kind: 'note'; note: NoteDraft }
  | { kind: 'observation'; observationId: Uuid; change: ObservationChange }
  | { kind: 'feedback'; observationId: Uuid; change: FeedbackChange }
  | { kind: 'reflection'; observationId: Uuid; text: string }
  /** The instrument editor: the whole instrument as it stands after a keystroke (the newest one wins). */
  | { kind: 'instrumentDraft'; draftId: Uuid; content: Instrument };

export interface JournalEntry {
  change: DurableChange;
  /** Who made the change: the write path checks they may (src/core/model/lifecycle.ts), also on replay. */
  actor: Actor;
  /** When the user made the change (the tap or keystroke). */
  at: Timestamp;
  /** Order of changes within one page; a later entry of the same field replaces an earlier one. */
  seq: number;
}

/** The record a change writes: changes of one record are written together, one write at a time. */
export function recordKey(change: DurableChange): string {
  switch (change.kind) {
    case 'response':
      return `response:${change.observationId}:${responseKey(change.itemId, change.cycle)}`;
    case 'note':
      return `note:${change.note.id}`;
    case 'observation':
      return `observation:${change.observationId}`;
    case 'feedback':
      return `feedback:${change.observationId}`;
    case 'reflection':
      return `reflection:${change.observationId}`;
    case 'instrumentDraft':
      return `instrumentDraft:${change.draftId}`;
  }
}

/** The field a change sets: only the newest change of a field needs writing. */
export function fieldKey(change: DurableChange): string {
  switch (change.kind) {
    case 'response':
      return `${recordKey(change)}:${patchField(change.patch)}`;
    case 'note':
      return recordKey(change);
    case 'observation':
      return `${recordKey(change)}:${change.change.field}`;
    case 'feedback':
      return `${recordKey(change)}:${feedbackField(change.change)}`;
    case 'reflection':
    case 'instrumentDraft':
      return recordKey(change);
  }
}

/** Writes the changes of one record (as grouped by `recordKey`) in one transaction. */
export async function writeEntries(entries: readonly JournalEntry[]): Promise<void> {
  const first = entries[0]?.change;
  if (!first) return;
  if (first.kind === 'response') {
    const changes = entries.flatMap((e) => (e.change.kind === 'response' ? [{ patch: e.change.patch, at: e.at }] : []));
    await recordResponseChanges(first.observationId, first.itemId, changes, entries[0]!.actor, first.cycle);
  } else if (first.kind === 'observation') {
    const changes = entries.flatMap((e) => (e.change.kind === 'observation' ? [{ ...e.change.change, at: e.at }] : []));
    await recordObservationChanges(first.observationId, changes, entries[0]!.actor);
  } else if (first.kind === 'feedback') {
    const changes = entries.flatMap((e) => (e.change.kind === 'feedback' ? [{ ...e.change.change, at: e.at }] : []));
    await recordFeedbackChanges(first.observationId, changes, entries[0]!.actor);
  } else {
    const latest = entries.reduce((a, b) => (b.at > a.at || (b.at === a.at && b.seq > a.seq) ? b : a));
    if (latest.change.kind === 'note') await saveNote(latest.change.note, latest.actor, latest.at);
    if (latest.change.kind === 'reflection') await writeReflection(latest.change.observationId, latest.change.text, latest.actor, latest.at);
    if (latest.change.kind === 'instrumentDraft') await saveInstrumentDraftContent(latest.change.draftId, latest.change.content, latest.actor, latest.at);
  }
}

/** The part of the Web Storage API the journal uses (localStorage in the app, a map in tests). */
export interface SyncStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  key(index: number): string | null;
  readonly length: number;
}

export const journalPrefix = (databaseName: string) => `meekijken-journal:${databaseName}:`;

/** One page's journal: the newest unwritten change per field. */
export class Journal {
  private readonly entries = new Map<string, JournalEntry>();
  private readonly key: string;

  constructor(
    private readonly storage: SyncStorage | undefined,
    databaseName: string,
    pageId: string = crypto.randomUUID(),
  ) {
    this.key = journalPrefix(databaseName) + pageId;
  }

  /** Notes a change before it is written. Synchronous: it is stored when this returns. */
  write(entry: JournalEntry): void {
    this.entries.set(fieldKey(entry.change), entry);
    this.persist();
  }

  /** Takes out entries whose write committed, unless a newer change of the same field came in meanwhile. */
  settle(written: readonly JournalEntry[]): void {
    let changed = false;
    for (const entry of written) {
      const key = fieldKey(entry.change);
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

function parseEntries(raw: string | null): JournalEntry[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
  } catch {
    return [];
  }
}

function isEntry(value: unknown): value is JournalEntry {
  const entry = value as Partial<JournalEntry> | null;
  return (
    !!entry &&
    typeof entry.at === 'number' &&
    typeof entry.seq === 'number' &&
    entry.actor !== undefined &&
    !!entry.change &&
    (JOURNALLED_KINDS as readonly string[]).includes(entry.change.kind)
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
export async function replayJournals(storage: SyncStorage | undefined, databaseName: string, write = writeEntries): Promise<ReplayResult> {
  if (!storage) return { written: 0, kept: 0 };
  const prefix = journalPrefix(databaseName);
  const journals: Array<{ key: string; raw: string | null; entries: JournalEntry[] }> = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(prefix)) journals.push({ key, raw: storage.getItem(key), entries: [] });
  }
  for (const journal of journals) journal.entries = parseEntries(journal.raw);
  if (journals.length === 0) return { written: 0, kept: 0 };

  const byRecord = new Map<string, JournalEntry[]>();
  for (const entry of journals.flatMap((j) => j.entries)) {
    const key = recordKey(entry.change);
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
      if (error instanceof ObservationGoneError || error instanceof WriteRefused) continue;
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
