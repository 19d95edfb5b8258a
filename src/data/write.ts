/**
 * The one door every change goes through. Nothing else in src/ calls add/put/update/modify/delete on a table (a
 * test checks it). Each write here:
 * - asks the core's rules (src/core/model/lifecycle.ts) whether this actor may make this change, so a refused change
 *   never reaches IndexedDB;
 * - stamps `updatedAt` from the injected clock (or the moment the change was made, when the caller knows it);
 * - appends one entry per change to the outbox, in the same transaction: what a sync client will push later.
 *
 * The outbox is emptied by the sync client of a signed-in account (src/data/sync.ts) as the school server answers;
 * on a device-only school it only grows, and `compactOutbox` folds the entries of each record into one (see its
 * comment), so typing a sentence does not leave a hundred entries behind. What the server sends is written by
 * `applyRemote`, the only write that skips the writer rules and the outbox: the server has decided.
 *
 * Offline: everything here is IndexedDB on this device; a write's promise resolves once its transaction committed.
 */
import Dexie, { type Table } from 'dexie';
import { db, newId, type DeviceSetting, type MeekijkenDb } from './db';
import { actorId, assertMayWrite, type Actor } from '../core/model/lifecycle';
import { IN_OBSERVATION, storeLookups, writeIntent, type IntentLookups } from '../core/sync/write-intent';
import type {
  Amendment,
  Feedback,
  Goal,
  InstalledInstrument,
  InstrumentDraft,
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
  Uuid,
} from '../core/model/records';
import type { ChangeOp, OutboxChange, RecordKind } from '../core/sync/change';
import type { InstrumentValidation } from '../core/instrument/validate';
import type { Instrument } from '../core/instrument/types';
import type { SyncRecord } from '../core/sync/protocol';

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
  instrumentDraft: InstrumentDraft;
}

/** The table of each kind of record. */
export const TABLES = {
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
  instrumentDraft: 'instrumentDrafts',
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
  // The content check (src/core/sync/content.ts) reads the instrument an answer is checked against, and the people,
  // team and request a new record names.
  for (const kind of kinds) for (const read of CONTENT_READS[kind] ?? []) names.add(TABLES[read]);
  // Folding an outbox entry reads how far sending got (see `FOLDED_KINDS`).
  if (kinds.some((kind) => FOLDED_KINDS.has(kind))) names.add('device');
  const tables: Table[] = [...names, 'outbox'].map((name) => database.table(name));
  // Inside another write transaction: that one's commit is what counts.
  if (Dexie.currentTransaction || outboxListeners.size === 0) return database.transaction('rw', tables, body);
  const before = outboxAdded;
  return database.transaction('rw', tables, body).then((result) => {
    if (outboxAdded !== before) for (const listener of [...outboxListeners]) listener();
    return result;
  });
}

export interface WriteOptions {
  /** When the change was made (a tap, a keystroke); defaults to now. Becomes `updatedAt` and the outbox's time. */
  at?: Timestamp;
  /** The observation the record belongs to, when the caller has it already (saves a read). */
  observation?: Observation;
}

/** The tables the content check reads for a kind, besides its own (see `writeTransaction`). */
const CONTENT_READS: Partial<Record<RecordKind, readonly RecordKind[]>> = {
  person: ['team'],
  observation: ['person', 'instrument', 'request'],
  request: ['instrument'],
  goal: ['person'],
  response: ['instrument'],
  note: ['instrument'],
  amendment: ['instrument'],
};

/**
 * Installed instrument versions never change (src/core/model/installed-instruments.ts), so their content is read
 * once per database: a tap's check does not read a large instrument again.
 */
const instrumentContents = new WeakMap<MeekijkenDb, Map<string, Instrument>>();

async function installedContent(key: string): Promise<Instrument | undefined> {
  const database = db();
  let known = instrumentContents.get(database);
  if (!known) instrumentContents.set(database, (known = new Map()));
  const cached = known.get(key);
  if (cached) return cached;
  const content = (await database.instruments.get(key))?.content;
  if (content) known.set(key, content);
  return content;
}

/** The device's lookups for the writer rules and the content check: reads inside the write's transaction. */
const lookups: IntentLookups = {
  ...storeLookups({
    get: (kind, id) => table(kind).get(id),
    countIn: (kind, observationId) => db()[TABLES[kind]].where('observationId').equals(observationId).count(),
    now: () => now(),
  }),
  instrument: installedContent,
  validInstrument: (content) => {
    if (!instrumentValidator) throw new Error('Installing an instrument: call loadInstrumentValidator() before the write');
    return instrumentValidator(content).ok;
  },
};

type InstrumentValidator = (content: unknown) => InstrumentValidation;
let instrumentValidator: InstrumentValidator | undefined;

/**
 * The instrument validator, for installing an instrument: the writer rules ask it too. It brings Ajv, so it is
 * loaded only when needed, and must be loaded before the write's transaction opens (a transaction that waits for a
 * module to load commits early). It remembers its verdict per content object, so the caller's check and the
 * rules' check validate once: pass it content nobody changes afterwards (a copy of your own).
 */
export async function loadInstrumentValidator(): Promise<InstrumentValidator> {
  if (!instrumentValidator) {
    const { validateInstrument } = await import('../core/instrument/validate');
    const verdicts = new WeakMap<object, InstrumentValidation>();
    instrumentValidator = (content) => {
      if (!content || typeof content !== 'object') return validateInstrument(content);
      const known = verdicts.get(content);
      if (known) return known;
      const verdict = validateInstrument(content);
      verdicts.set(content, verdict);
      return verdict;
    };
  }
  return instrumentValidator;
}

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
  outboxAdded++;
  return { id: newId(), kind, recordId, op, fields, at, actor: actorId(actor) };
}

/**
 * Kinds whose every keystroke rewrites a large field (a draft's whole instrument): a new change of such a record
 * folds into its entry still waiting in the outbox instead of adding one, so an afternoon of typing leaves one
 * entry per draft, not thousands of copies of the instrument. The same folding as `compactOutbox`, and safe for
 * the same reason: only an entry never sent is changed, and every entry sets fields.
 */
const FOLDED_KINDS: ReadonlySet<RecordKind> = new Set<RecordKind>(['instrumentDraft']);

/** Adds the outbox entry of a change, or folds it into the record's last entry that was never sent. */
async function addToOutbox(entry: OutboxChange): Promise<void> {
  const database = db();
  if (FOLDED_KINDS.has(entry.kind)) {
    const sent = await sentUpTo(database);
    const waiting = await database.outbox.where('[kind+recordId]').equals([entry.kind, entry.recordId]).filter((e) => (e.seq ?? 0) > sent).last();
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
    await addToOutbox(outboxEntry(kind, stored.id, op, fields, at, actor));
    return stored;
  });
}

/** Soft-deletes a record (`deletedAt`), so the deletion can travel to other devices. */
export async function tombstone<K extends RecordKind>(kind: K, before: Records[K], actor: Actor, options: WriteOptions = {}): Promise<void> {
  const at = options.at ?? now();
  await writeTransaction([kind], async () => {
    const removed = { ...before, deletedAt: at, updatedAt: at };
    await check(actor, kind, 'tombstone', before, removed, options);
    await table(kind).put(removed);
    await addToOutbox(outboxEntry(kind, before.id, 'tombstone', { deletedAt: at, updatedAt: at }, at, actor));
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

/** The highest outbox sequence ever sent to the server (0: none). Call inside a transaction over the device table. */
async function sentUpTo(database: MeekijkenDb): Promise<number> {
  return Number((await database.device.get('outboxSentUpTo'))?.value ?? 0);
}

/**
 * Folds the outbox: all entries of one record become one, at the place (sequence) of its first entry, so a parent
 * still comes before the records that point at it. An insert followed by patches becomes one insert of the final
 * fields; patches become one patch; a record inserted and tombstoned before it ever left the device disappears.
 * Safe because every entry sets fields (never increments or toggles) and only entries that were never sent are
 * folded: an entry sent once may have reached the server even when its answer was lost (`takePushBatch` records
 * how far sending got, in the same transaction that reads the batch). Runs at start when the outbox is large.
 */
export async function compactOutbox(threshold = OUTBOX_COMPACT_ABOVE): Promise<number> {
  const database = db();
  // Counted outside the write transaction: at most starts the outbox is small, and a read does not hold up the
  // first taps (whose transactions include the outbox).
  if ((await database.outbox.count()) <= threshold) return 0;
  return database.transaction('rw', database.outbox, database.device, async () => {
    const sent = await sentUpTo(database);
    const entries = await database.outbox.where('seq').above(sent).toArray();
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

/**
 * The oldest `limit` outbox entries, to push. In the same transaction it notes how far sending got, so that
 * `compactOutbox` never folds an entry the server may already hold (an answer lost on the way back).
 */
export async function takePushBatch(limit: number): Promise<OutboxChange[]> {
  const database = db();
  return database.transaction('rw', database.outbox, database.device, async () => {
    const batch = await database.outbox.orderBy('seq').limit(limit).toArray();
    const last = batch.at(-1)?.seq;
    if (last !== undefined && last > (await sentUpTo(database))) await database.device.put({ key: 'outboxSentUpTo', value: String(last) });
    return batch;
  });
}

/** What `applyRemote` does besides writing records, in the same transaction. */
export interface RemoteOptions {
  /** Outbox entries the server answered: they leave the outbox (each only while it is still the same change). */
  answered?: ReadonlyArray<Pick<OutboxChange, 'seq' | 'id'>>;
  /**
   * The server refused this device's change and sent its own version back: write it even though the outbox may
   * still hold entries of the record. (Without this, a record with entries waiting is left as it is.)
   */
  overwrite?: boolean;
  /**
   * A pull page's cursor, stored with the page: a crash between the two cannot skip a page. Not stored when a
   * record of the page was left as it is (see `applyRemote`).
   */
  cursor?: string;
  /** This database's person: observations newly handed over to them are remembered as new feedback. */
  me?: Uuid;
}

export interface RemoteOutcome {
  /** Records written. */
  written: number;
  /** Records left as they are because this device's own change of them waits in the outbox. */
  skipped: number;
  /** Records removed (gone, or dropped after a refusal, with what was recorded in a removed observation). */
  removed: number;
}

/** Kinds recorded in an observation under their own ids; an observation's feedback and reflection carry its id. */
const RECORDED_IN_OBSERVATION = ['response', 'note', 'amendment'] as const;

/**
 * Writes what the school server sent: records as the server has them, and removes records this person may no
 * longer see (`gone`). One transaction, with the options' outbox removals and cursor. No writer rules and no
 * outbox entries: the server decided, and these changes are not this device's to send back.
 *
 * - A record that still has an entry in this device's outbox is not overwritten (unless `overwrite`): the local
 *   change is newer and will be pushed, and the pull after that brings the server's merged version (the page's
 *   cursor is then not stored, so the page comes again).
 * - `gone` removes the record from this device for real (not a tombstone: nobody deleted it, this person may only
 *   no longer see it, e.g. a share taken back). A gone observation takes its responses, notes, amendments,
 *   feedback and reflection along. Gone always wins over waiting local changes: what this person may not see does
 *   not stay on their tablet. Those changes stay in the outbox and are still pushed (the server decides on them).
 * - An observation that arrives without a current summary gets one computed by the dashboards' loader
 *   (`loadInsight` in insight.ts), so nothing here has to.
 */
export async function applyRemote(records: readonly SyncRecord[], gone: ReadonlyArray<{ kind: RecordKind; id: string }>, options: RemoteOptions = {}): Promise<RemoteOutcome> {
  const database = db();
  const tables = [...new Set<string>(Object.values(TABLES)), 'outbox', 'device'].map((name) => database.table(name));
  return database.transaction('rw', tables, async () => {
    for (const { seq, id } of options.answered ?? []) {
      if (seq !== undefined && (await database.outbox.get(seq))?.id === id) await database.outbox.delete(seq);
    }
    // Records with local changes waiting, read from the index alone (no entry is loaded).
    const waiting = options.overwrite
      ? new Set<string>()
      : new Set((await database.outbox.orderBy('[kind+recordId]').uniqueKeys()).map((key) => (Array.isArray(key) ? key.join(':') : String(key))));
    const outcome: RemoteOutcome = { written: 0, skipped: 0, removed: 0 };
    const byKind = new Map<RecordKind, Array<Record<string, unknown>>>();
    for (const record of records) {
      if (waiting.has(`${record.kind}:${record.id}`)) {
        outcome.skipped++;
        continue;
      }
      byKind.set(record.kind, [...(byKind.get(record.kind) ?? []), { ...record.data, id: record.id }]);
    }
    const arriving = (byKind.get('observation') ?? []) as unknown as Observation[];
    const before = options.me && arriving.length ? await database.observations.bulkGet(arriving.map((o) => o.id)) : [];
    for (const [kind, rows] of byKind) {
      await database.table(TABLES[kind]).bulkPut(rows);
      outcome.written += rows.length;
    }
    for (const { kind, id } of gone) outcome.removed += await removeRecord(database, kind, id);
    // A page with a record left as it is keeps the old cursor: the page comes again after the next push, when the
    // record's entries are answered. (Moving on would lose the server's version of it for good when that version
    // already holds this device's change, e.g. after an answer lost on the way back: nothing newer would follow.)
    if (options.cursor !== undefined && outcome.skipped === 0) await database.device.put({ key: 'syncCursor', value: options.cursor });
    if (options.me) await rememberNewFeedback(database, options.me, arriving.filter((o, i) => handedOverTo(options.me!, o) && !handedOverTo(options.me!, before[i])));
    return outcome;
  });
}

const handedOverTo = (me: Uuid, observation: Observation | undefined): boolean =>
  !!observation && observation.deletedAt === undefined && observation.observedId === me && observation.observerId !== me && observation.status === 'shared';

/** Removes a record from this device (an observation with what is recorded in it); returns how many went. */
async function removeRecord(database: MeekijkenDb, kind: RecordKind, id: string): Promise<number> {
  const table = database.table(TABLES[kind]);
  if (kind !== 'observation') {
    const present = (await table.get(id)) !== undefined;
    await table.delete(id);
    return present ? 1 : 0;
  }
  let removed = 0;
  for (const child of RECORDED_IN_OBSERVATION) {
    const keys = await database.table(TABLES[child]).where('observationId').equals(id).primaryKeys();
    await database.table(TABLES[child]).bulkDelete(keys);
    removed += keys.length;
  }
  // The observation's feedback and reflection carry its id.
  for (const childTable of [database.feedback, database.reflections, database.observations] as Table[]) {
    if ((await childTable.get(id)) !== undefined) removed++;
    await childTable.delete(id);
  }
  return removed;
}

/**
 * Keeps the list of observations a pull brought that were newly handed over to this person (the status line says
 * "Nieuwe feedback"), without those read or gone since.
 */
async function rememberNewFeedback(database: MeekijkenDb, me: Uuid, arrived: readonly Observation[]): Promise<void> {
  const stored = await database.device.get('syncNewFeedback');
  const ids = [...new Set([...parseIds(stored?.value), ...arrived.map((o) => o.id)])];
  const [observations, reflections] = await Promise.all([database.observations.bulkGet(ids), database.reflections.bulkGet(ids)]);
  const unread = ids.filter((_, i) => handedOverTo(me, observations[i]) && reflections[i]?.readAt === undefined);
  if (unread.length === 0 && !stored) return;
  await database.device.put({ key: 'syncNewFeedback', value: JSON.stringify(unread) });
}

/** A JSON list of ids stored in a device setting; anything else is an empty list. */
export function parseIds(value: string | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(value ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}
