/**
 * The outbox: one entry per change made on this device, in order, for the sync client of a signed-in account to
 * push (src/data/sync/sync.ts). Entries are added only inside a local write's transaction (local.ts); they leave
 * only when the school server answered them (`applyRemote` in remote.ts). On a device-only school the outbox only
 * grows, and `compactOutbox` folds the entries of each record into one, so typing a sentence does not leave a
 * hundred entries behind.
 */
import { db, newId, type MeekijkenDb } from '../database/db';
import { actorId, type Actor } from '../../core/model/lifecycle';
import type { ChangeOp, OutboxChange, RecordKind } from '../../core/sync/change';
import type { Timestamp } from '../../core/model/records';

/** Outbox entries added by this page so far, and who wants to hear when a write added some. */
let outboxAdded = 0;
const outboxListeners = new Set<() => void>();

/**
 * Calls `listener` after each write transaction that added outbox entries has committed (a sync client pushes
 * soon after). Returns a function that stops listening.
 */
export function watchOutboxGrowth(listener: () => void): () => void {
  outboxListeners.add(listener);
  return () => outboxListeners.delete(listener);
}

/** How many outbox entries this page has added so far: a write transaction compares it before and after. */
export const outboxAddedSoFar = (): number => outboxAdded;

/** Whether anyone listens for outbox growth (a write transaction without listeners skips the bookkeeping). */
export const outboxWatched = (): boolean => outboxListeners.size > 0;

/** Tells every listener that a committed write added outbox entries. */
export function outboxGrew(): void {
  for (const listener of [...outboxListeners]) listener();
}

/** A new outbox entry for a change (counted as added by this page). */
export function outboxEntry(
  kind: RecordKind,
  recordId: string,
  op: ChangeOp,
  fields: Record<string, unknown>,
  at: Timestamp,
  actor: Actor,
): OutboxChange {
  outboxAdded++;
  return { id: newId(), kind, recordId, op, fields, at, actor: actorId(actor) };
}

/**
 * Kinds whose every keystroke rewrites a large field (a draft's whole instrument): a new change of such a record
 * folds into its entry still waiting in the outbox instead of adding one, so an afternoon of typing leaves one
 * entry per draft, not thousands of copies of the instrument. The same folding as `compactOutbox`, and safe for
 * the same reason: only an entry never sent is changed, and every entry sets fields.
 */
export const FOLDED_KINDS: ReadonlySet<RecordKind> = new Set<RecordKind>(['instrumentDraft']);

/** Adds the outbox entry of a change, or folds it into the record's last entry that was never sent. */
export async function addToOutbox(entry: OutboxChange): Promise<void> {
  const database = db();
  if (FOLDED_KINDS.has(entry.kind)) {
    const sent = await sentUpTo(database);
    const waiting = await database.outbox
      .where('[kind+recordId]')
      .equals([entry.kind, entry.recordId])
      .filter((e) => (e.seq ?? 0) > sent)
      .last();
    if (waiting?.op === 'insert' && entry.op === 'tombstone') {
      // Made and thrown away before it ever left this device: nothing to tell anyone.
      await database.outbox.delete(waiting.seq!);
      return;
    }
    if (waiting) {
      const op = waiting.op === 'insert' ? 'insert' : entry.op;
      await database.outbox.put({ ...entry, seq: waiting.seq, op, fields: { ...waiting.fields, ...entry.fields } });
      return;
    }
  }
  await database.outbox.add(entry);
}

/** Adds the outbox entries of many new records at once (the demo school, shipped instruments). */
export async function addAllToOutbox(entries: readonly OutboxChange[]): Promise<void> {
  await db().outbox.bulkAdd([...entries]);
}

/** Changes waiting in the outbox, oldest first. */
export function listOutbox(): Promise<OutboxChange[]> {
  return db().outbox.orderBy('seq').toArray();
}

/** The outbox is folded once it holds more entries than this. */
const OUTBOX_COMPACT_ABOVE = 500;

/** The highest outbox sequence ever sent to the server (0: none). Call inside a transaction over the device table. */
async function sentUpTo(database: MeekijkenDb): Promise<number> {
  return Number((await database.device.get('outboxSentUpTo'))?.value ?? 0);
}

/**
 * Folds the entries of one record that were never sent into one, at the place (sequence) of its first entry, so a
 * parent still comes before the records that point at it. An insert followed by patches becomes one insert of the
 * final fields; patches become one patch; a record inserted and tombstoned before it ever left the device
 * disappears. Safe because every entry sets fields (never increments or toggles) and only entries that were never
 * sent are folded: an entry sent once may have reached the server even when its answer was lost (`takePushBatch`
 * records how far sending got, in the same transaction that reads the batch). `kinds`: only records of these kinds
 * (all when absent). Returns how many entries fewer the outbox holds. Call inside a transaction over the outbox and
 * the device table.
 */
async function foldUnsent(database: MeekijkenDb, kinds?: ReadonlySet<RecordKind>): Promise<number> {
  const sent = await sentUpTo(database);
  const entries = await database.outbox.where('seq').above(sent).toArray();
  const byRecord = new Map<string, OutboxChange[]>();
  for (const entry of entries) {
    if (kinds && !kinds.has(entry.kind)) continue;
    const key = `${entry.kind}:${entry.recordId}`;
    byRecord.set(key, [...(byRecord.get(key) ?? []), entry]);
  }
  let removed = 0;
  for (const group of byRecord.values()) {
    if (group.length < 2) continue;
    const first = group[0]!;
    const last = group.at(-1)!;
    const inserted = first.op === 'insert';
    const deleted = last.op === 'tombstone';
    await database.outbox.bulkDelete(group.map((entry) => entry.seq!));
    removed += group.length;
    if (inserted && deleted) continue;
    const fields = Object.assign({}, ...group.map((entry) => entry.fields)) as Record<string, unknown>;
    await database.outbox.add({
      ...last,
      seq: first.seq,
      op: inserted ? 'insert' : deleted ? 'tombstone' : 'patch',
      fields,
    });
    removed -= 1;
  }
  return removed;
}

/**
 * Folds the whole outbox (`foldUnsent`, every kind) once more than `threshold` entries have been added since it was
 * last folded. Runs at start: on a device-only school the outbox only grows. Only new entries can be folded with
 * anything, so an outbox that is large but has nothing left to fold (every record of a device-only school, one entry
 * each) is not read whole at every start again.
 */
export async function compactOutbox(threshold = OUTBOX_COMPACT_ABOVE): Promise<number> {
  const database = db();
  // Counted outside the write transaction, from the key alone: at most starts little was added, and a read does not
  // hold up the first taps (whose transactions include the outbox).
  const folded = Number((await database.device.get('outboxFoldedUpTo'))?.value ?? 0);
  if ((await database.outbox.where('seq').above(folded).count()) <= threshold) return 0;
  return database.transaction('rw', database.outbox, database.device, async () => {
    const removed = await foldUnsent(database);
    const last = await database.outbox.toCollection().lastKey();
    if (last !== undefined) await database.device.put({ key: 'outboxFoldedUpTo', value: String(last) });
    return removed;
  });
}

/**
 * The kinds whose unsent entries are folded before every push: every keystroke of an evidence text, a note or a
 * feedback point is an entry with the whole text so far, and the server needs only the last. These records carry
 * content only: their writer rules do not depend on the order of their own changes, so one change with the newest
 * value of each field is judged as the many would be. An observation is not folded (its status moves through steps
 * the rules check one at a time), and an instrument draft folds as it is written (`FOLDED_KINDS`).
 */
const FOLDED_BEFORE_PUSH: ReadonlySet<RecordKind> = new Set<RecordKind>(['response', 'note', 'feedback']);

/**
 * The oldest `limit` outbox entries, to push. With `fold` (a push's first batch) the unsent entries of content
 * records are folded first (`FOLDED_BEFORE_PUSH`): once per push, because folding reads every unsent entry. In the
 * same transaction it notes how far sending got, so that no fold ever changes an entry the server may already hold
 * (an answer lost on the way back).
 */
export async function takePushBatch(limit: number, fold = false): Promise<OutboxChange[]> {
  const database = db();
  return database.transaction('rw', database.outbox, database.device, async () => {
    if (fold) await foldUnsent(database, FOLDED_BEFORE_PUSH);
    const batch = await database.outbox.orderBy('seq').limit(limit).toArray();
    const last = batch.at(-1)?.seq;
    if (last !== undefined && last > (await sentUpTo(database)))
      await database.device.put({ key: 'outboxSentUpTo', value: String(last) });
    return batch;
  });
}
