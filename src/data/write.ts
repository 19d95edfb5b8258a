/**
 * The one door every change goes through. Nothing else in src/ calls add/put/update/modify/delete on a table (a
 * test checks it). Each write here:
 * - asks the core's rules (src/core/model/lifecycle.ts) whether this actor may make this change, so a refused change
 *   never reaches IndexedDB;
 * - stamps `updatedAt` from the injected clock (or the moment the change was made, when the caller knows it);
 * - appends one entry per change to the outbox, in the same transaction: what a sync client will push later.
 *
 * The outbox only grows until a sync client exists; `compactOutbox` folds the entries of each record into one
 * (see its comment), so typing a sentence does not leave a hundred entries behind.
 *
 * Offline: everything here is IndexedDB on this device; a write's promise resolves once its transaction committed.
 */
import type { Table } from 'dexie';
import { db, newId, type DeviceSetting, type MeekijkenDb } from './db';
import { actorId, assertMayWrite, type Actor } from '../core/model/lifecycle';
import { IN_OBSERVATION, writeIntent, type IntentLookups } from '../core/sync/write-intent';
import type {
  Amendment,
  Feedback,
  Goal,
  InstalledInstrument,
  ItemResponse,
  Note,
  Observation,
  ObservationRequest,
  Person,
  Reflection,
  RequestDecline,
  School,
  SchoolYear,
  Team,
  Timestamp,
} from '../core/model/records';
import type { ChangeOp, OutboxChange, RecordKind } from '../core/sync/change';

/** The record type of each kind. */
export interface Records {
  school: School;
  team: Team;
  person: Person;
  schoolYear: SchoolYear;
  instrument: InstalledInstrument;
  observation: Observation;
  response: ItemResponse;
  note: Note;
  amendment: Amendment;
  feedback: Feedback;
  reflection: Reflection;
  request: ObservationRequest;
  decline: RequestDecline;
  goal: Goal;
}

const TABLES = {
  school: 'schools',
  team: 'teams',
  person: 'people',
  schoolYear: 'schoolYears',
  instrument: 'instruments',
  observation: 'observations',
  response: 'responses',
  note: 'notes',
  amendment: 'amendments',
  feedback: 'feedback',
  reflection: 'reflections',
  request: 'requests',
  decline: 'declines',
  goal: 'goals',
} as const satisfies Record<RecordKind, keyof MeekijkenDb>;


let clock: () => Timestamp = () => Date.now();

/** The time writes are stamped with. Tests set a clock they control. */
export function now(): Timestamp {
  return clock();
}

export function useClock(next: () => Timestamp): void {
  clock = next;
}

function table<K extends RecordKind>(kind: K): Table<Records[K], string> {
  return db()[TABLES[kind]] as unknown as Table<Records[K], string>;
}

/**
 * Runs `body` in one read-write transaction over the tables of these kinds and the outbox (and the observations,
 * for kinds whose writer is decided by their observation). Writes inside it commit together or not at all.
 */
export function writeTransaction<T>(kinds: readonly RecordKind[], body: () => Promise<T>): Promise<T> {
  const database = db();
  const names = new Set<string>(kinds.map((kind) => TABLES[kind]));
  if (kinds.some((kind) => IN_OBSERVATION.has(kind))) names.add(TABLES.observation);
  // Handing an observation over checks its feedback (a tap's transaction, which only reads the observation, does not
  // need it: every store in a transaction's scope is a little more work before the tap is durable).
  if (kinds.includes('observation')) names.add(TABLES.feedback);
  if (kinds.includes('decline')) names.add(TABLES.request);
  // A request checks whether the teacher it is about is a starter (a coach asks only for a starter).
  if (kinds.includes('request')) names.add(TABLES.person);
  const tables: Table[] = [...names, 'outbox'].map((name) => database.table(name));
  return database.transaction('rw', tables, body);
}

export interface WriteOptions {
  /** When the change was made (a tap, a keystroke); defaults to now. Becomes `updatedAt` and the outbox's time. */
  at?: Timestamp;
  /** The observation the record belongs to, when the caller has it already (saves a read). */
  observation?: Observation;
}

/** The device's lookups for the writer rules: reads inside the write's transaction. */
const lookups: IntentLookups = {
  observation: (id) => db().observations.get(id),
  feedback: (observationId) => db().feedback.get(observationId),
  person: (id) => db().people.get(id),
  request: (id) => db().requests.get(id),
};

const plain = (record: object): Record<string, unknown> => ({ ...record });

/** The fields that differ between two versions of a record (shallow: a changed object is sent whole). */
function changedFields(before: object, after: object): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) fields[key] = b[key] ?? null;
  }
  return fields;
}

function outboxEntry(kind: RecordKind, recordId: string, op: ChangeOp, fields: Record<string, unknown>, at: Timestamp, actor: Actor): OutboxChange {
  return { id: newId(), kind, recordId, op, fields, at, actor: actorId(actor) };
}

/** Skips the rules' reads for the app's own writes, which every rule allows. */
async function check<K extends RecordKind>(actor: Actor, kind: K, op: ChangeOp, before: Records[K] | undefined, after: Records[K], options: WriteOptions): Promise<void> {
  if (actor !== 'system') assertMayWrite(actor, await writeIntent(kind, op, before, after, lookups, options.observation));
}

/**
 * Stores a record: a new one (`before` undefined) or a new version of an existing one. `updatedAt` is stamped; the
 * outbox gets the whole record for an insert, the changed fields for a patch. Returns what was stored. Writing a
 * version equal to `before` writes nothing.
 */
export async function save<K extends RecordKind>(kind: K, before: Records[K] | undefined, next: Records[K], actor: Actor, options: WriteOptions = {}): Promise<Records[K]> {
  const at = options.at ?? now();
  const op: ChangeOp = before ? 'patch' : 'insert';
  return writeTransaction([kind], async () => {
    await check(actor, kind, op, before, next, options);
    const stored = { ...next, updatedAt: before ? Math.max(before.updatedAt, at) : (next.updatedAt ?? at) } as Records[K];
    const fields = before ? changedFields(before, stored) : plain(stored);
    if (before && Object.keys(fields).every((key) => key === 'updatedAt')) return before;
    await table(kind).put(stored);
    await db().outbox.add(outboxEntry(kind, stored.id, op, fields, at, actor));
    return stored;
  });
}

/** Soft-deletes a record (`deletedAt`), so the deletion can travel to other devices. */
export async function tombstone<K extends RecordKind>(kind: K, before: Records[K], actor: Actor, options: WriteOptions = {}): Promise<void> {
  const at = options.at ?? now();
  await writeTransaction([kind], async () => {
    await check(actor, kind, 'tombstone', before, before, options);
    await table(kind).put({ ...before, deletedAt: at, updatedAt: at });
    await db().outbox.add(outboxEntry(kind, before.id, 'tombstone', { deletedAt: at, updatedAt: at }, at, actor));
  });
}

/** Inserts many new records of one kind at once (the demo school, shipped instruments), each with its outbox entry. */
export async function insertAll<K extends RecordKind>(kind: K, records: readonly Records[K][], actor: Actor, options: WriteOptions = {}): Promise<void> {
  if (records.length === 0) return;
  const at = options.at ?? now();
  await writeTransaction([kind], async () => {
    // The app's own bulk writes (demo, shipped instruments) skip the per-record checks: every rule allows them,
    // and thousands of awaits on nothing would outlive the transaction.
    if (actor !== 'system') for (const record of records) await check(actor, kind, 'insert', undefined, record, options);
    await table(kind).bulkAdd([...records]);
    await db().outbox.bulkAdd(records.map((record) => outboxEntry(kind, record.id, 'insert', plain(record), record.updatedAt ?? at, actor)));
  });
}

/** This device's own settings (who uses it): never synced, so no outbox entry and no writer rules. */
export async function saveDeviceSetting(setting: DeviceSetting): Promise<void> {
  await db().device.put(setting);
}

/** Changes waiting in the outbox, oldest first. */
export function listOutbox(): Promise<OutboxChange[]> {
  return db().outbox.orderBy('seq').toArray();
}

/** The outbox is folded once it holds more entries than this. */
export const OUTBOX_COMPACT_ABOVE = 500;

/**
 * Folds the outbox: all entries of one record become one, at the place (sequence) of its first entry, so a parent
 * still comes before the records that point at it. An insert followed by patches becomes one insert of the final
 * fields; patches become one patch; a record inserted and tombstoned before it ever left the device disappears.
 * Safe because every entry sets fields (never increments or toggles) and nothing has been pushed yet: once a sync
 * client exists, only entries it has not pushed may be folded. Runs at start when the outbox is large.
 */
export async function compactOutbox(threshold = OUTBOX_COMPACT_ABOVE): Promise<number> {
  const database = db();
  // Counted outside the write transaction: at most starts the outbox is small, and a read does not hold up the
  // first taps (whose transactions include the outbox).
  if ((await database.outbox.count()) <= threshold) return 0;
  return database.transaction('rw', database.outbox, async () => {
    const entries = await database.outbox.orderBy('seq').toArray();
    const byRecord = new Map<string, OutboxChange[]>();
    for (const entry of entries) {
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
      const seqs = group.map((entry) => entry.seq!);
      await database.outbox.bulkDelete(seqs);
      removed += group.length;
      if (inserted && deleted) continue;
      const fields = Object.assign({}, ...group.map((entry) => entry.fields)) as Record<string, unknown>;
      await database.outbox.add({ ...last, seq: first.seq, op: inserted ? 'insert' : deleted ? 'tombstone' : 'patch', fields });
      removed -= 1;
    }
    return removed;
  });
}
