/**
 * The one door every local change goes through. Nothing else in src/ calls add/put/update/modify/delete on a table
 * (a test checks it), except the outbox (outbox.ts), the server's records (remote.ts) and the schema's upgrades.
 * Each write here:
 * - asks the core's rules (src/core/model/lifecycle.ts) whether this actor may make this change, so a refused change
 *   never reaches IndexedDB;
 * - stamps `updatedAt` from the injected clock (or the moment the change was made, when the caller knows it);
 * - appends one entry per change to the outbox (outbox.ts), in the same transaction: what a sync client will push
 *   later.
 *
 * Offline: everything here is IndexedDB on this device; a write's promise resolves once its transaction committed.
 */
import Dexie, { type Table } from 'dexie';
import { db, type DeviceSetting, type MeekijkenDb } from '../database/db';
import { table, TABLES, type Records } from './tables';
import {
  addAllToOutbox,
  addToOutbox,
  FOLDED_KINDS,
  outboxAddedSoFar,
  outboxEntry,
  outboxGrew,
  outboxWatched,
} from './outbox';
import { assertMayWrite, type Actor } from '../../core/model/lifecycle';
import { IN_OBSERVATION, storeLookups, writeIntent, type IntentLookups } from '../../core/sync/write-intent';
import type { Observation, Timestamp } from '../../core/model/records';
import type { ChangeOp, RecordKind } from '../../core/sync/change';
import type { InstrumentValidation } from '../../core/instrument/validate';
import type { Instrument } from '../../core/instrument/types';
import {
  BACKUP_TABLES,
  mergeVersions,
  type BackupProblem,
  type BackupTables,
  type RestoreChange,
  type StoredRecord,
} from '../../core/backup/backup';

/**
 * The record a change is for no longer exists on this device (deleted, or gone from this person's view): a
 * journalled change of it has nothing left to write into, and replay drops it.
 */
export class RecordGone extends Error {}

let clock: () => Timestamp = () => Date.now();

/** The time writes are stamped with. Tests set a clock they control. */
export function now(): Timestamp {
  return clock();
}

export function useClock(next: () => Timestamp): void {
  clock = next;
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
  if (Dexie.currentTransaction || !outboxWatched()) return database.transaction('rw', tables, body);
  const before = outboxAddedSoFar();
  return database.transaction('rw', tables, body).then((result) => {
    if (outboxAddedSoFar() !== before) outboxGrew();
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
    if (!instrumentValidator)
      throw new Error('Installing an instrument: call loadInstrumentValidator() before the write');
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
    const { validateInstrument } = await import('../../core/instrument/validate');
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

/** Skips the rules' reads for the app's own writes, which every rule allows. */
async function check<K extends RecordKind>(
  actor: Actor,
  kind: K,
  op: ChangeOp,
  before: Records[K] | undefined,
  after: Records[K],
  options: WriteOptions,
): Promise<void> {
  if (actor !== 'system')
    assertMayWrite(actor, await writeIntent(kind, op, before, after, lookups, options.observation));
}

/**
 * Stores a record: a new one (`before` undefined) or a new version of an existing one. `updatedAt` is stamped; the
 * outbox gets the whole record for an insert, the changed fields for a patch. Returns what was stored. Writing a
 * version equal to `before` writes nothing.
 */
export async function save<K extends RecordKind>(
  kind: K,
  before: Records[K] | undefined,
  next: Records[K],
  actor: Actor,
  options: WriteOptions = {},
): Promise<Records[K]> {
  const at = options.at ?? now();
  const op: ChangeOp = before ? 'patch' : 'insert';
  return writeTransaction([kind], async () => {
    await check(actor, kind, op, before, next, options);
    const stored = {
      ...next,
      updatedAt: before ? Math.max(before.updatedAt, at) : (next.updatedAt ?? at),
    } as Records[K];
    const fields = before ? changedFields(before, stored) : plain(stored);
    if (before && Object.keys(fields).every((key) => key === 'updatedAt')) return before;
    await table(kind).put(stored);
    await addToOutbox(outboxEntry(kind, stored.id, op, fields, at, actor));
    return stored;
  });
}

/** Soft-deletes a record (`deletedAt`), so the deletion can travel to other devices. */
export async function tombstone<K extends RecordKind>(
  kind: K,
  before: Records[K],
  actor: Actor,
  options: WriteOptions = {},
): Promise<void> {
  const at = options.at ?? now();
  await writeTransaction([kind], async () => {
    const removed = { ...before, deletedAt: at, updatedAt: at };
    await check(actor, kind, 'tombstone', before, removed, options);
    await table(kind).put(removed);
    await addToOutbox(outboxEntry(kind, before.id, 'tombstone', { deletedAt: at, updatedAt: at }, at, actor));
  });
}

/** Inserts many new records of one kind at once (the demo school, shipped instruments), each with its outbox entry. */
export async function insertAll<K extends RecordKind>(
  kind: K,
  records: readonly Records[K][],
  actor: Actor,
  options: WriteOptions = {},
): Promise<void> {
  if (records.length === 0) return;
  const at = options.at ?? now();
  await writeTransaction([kind], async () => {
    // The app's own bulk writes (demo, shipped instruments) skip the per-record checks: every rule allows them,
    // and thousands of awaits on nothing would outlive the transaction.
    if (actor !== 'system')
      for (const record of records) await check(actor, kind, 'insert', undefined, record, options);
    await table(kind).bulkAdd([...records]);
    await addAllToOutbox(
      records.map((record) => outboxEntry(kind, record.id, 'insert', plain(record), record.updatedAt ?? at, actor)),
    );
  });
}

/** This device's own settings (who uses it): never synced, so no outbox entry and no writer rules. */
export async function saveDeviceSetting(setting: DeviceSetting): Promise<void> {
  await db().device.put(setting);
}

/** How a backup comes back: instead of what the device holds, or into it (see `mergeVersions`). */
export type RestoreMode = 'replace' | 'merge';

/** What a restore wrote. */
export interface RestoreOutcome {
  /** Records written: new ones and newer versions (on `replace`, every record of the backup). */
  written: number;
  /** Records of the backup the device already held as they are, or newer (on `merge`). */
  kept: number;
  /** Records left out because the person restoring may not write them (a signed-in tablet). */
  notYours: number;
}

/** A restore the school's rules refuse, as `judge` found it: nothing was written. */
export class RestoreRefused extends Error {
  constructor(readonly problem: BackupProblem) {
    super(`The backup cannot be restored: ${problem.reason}${problem.id ? ` (${problem.id})` : ''}`);
    this.name = 'RestoreRefused';
  }
}

/** The records a restore writes, and the school it makes. */
interface RestorePlan {
  school: BackupTables;
  writes: RestoreChange[];
  kept: number;
}

/** `leftOut`: changes (`kind:id`) not to make; the school keeps what the device holds for those. */
function planRestore(
  tables: BackupTables,
  stored: BackupTables,
  leftOut: ReadonlySet<string> = new Set(),
): RestorePlan {
  const school: BackupTables = {};
  const writes: RestorePlan['writes'] = [];
  let kept = 0;
  for (const [name, kind] of BACKUP_TABLES) {
    const held = new Map((stored[name] ?? []).map((record) => [record.id, record]));
    for (const record of tables[name] ?? []) {
      if (leftOut.has(`${kind}:${record.id}`)) continue;
      const before = held.get(record.id);
      const winner = before ? mergeVersions(kind, before, record) : record;
      if (winner === before) kept++;
      else writes.push({ kind, record: winner, ...(before ? { before } : {}) });
      held.set(record.id, winner);
    }
    school[name] = [...held.values()];
  }
  return { school, writes, kept };
}

/**
 * Whether the device changed since a merge read it: a change of its own (the outbox grew), or one that came from the
 * school server into a record the merge would write (a pull writes no outbox entry). Call inside the write's
 * transaction.
 */
async function changedSince(lastChange: unknown, writes: readonly RestoreChange[]): Promise<boolean> {
  if ((await db().outbox.toCollection().lastKey()) !== lastChange) return true;
  for (const [, kind] of BACKUP_TABLES) {
    const ofKind = writes.filter((write) => write.kind === kind);
    if (ofKind.length === 0) continue;
    const now = await table(kind).bulkGet(ofKind.map((write) => write.record.id));
    const moved = ofKind.some((write, i) => {
      const current = now[i] as { updatedAt?: number; deletedAt?: number } | undefined;
      return write.before
        ? current?.updatedAt !== write.before.updatedAt || current?.deletedAt !== write.before.deletedAt
        : current !== undefined;
    });
    if (moved) return true;
  }
  return false;
}

/** How often a merge is planned again when the device changed while it was being judged. */
const RESTORE_ATTEMPTS = 3;

/**
 * Puts a school read from a backup (src/core/backup/backup.ts, checked and upgraded) into this database, in one
 * transaction over every school table and the outbox: all of it or nothing. `replace` empties the school's tables
 * first (the outbox too: what it held was of records that are gone); `merge` keeps, record by record, what
 * `mergeVersions` says, and may only merge a backup of this same school. `judge` is asked about the school as it
 * will be before anything is written; a problem it returns refuses the whole restore (`RestoreRefused`). Judging
 * takes longer than a transaction may wait, so a merge reads what the device holds first and writes only if nothing
 * changed in between (`changedSince`); else it plans again.
 * Written by the app itself ("system"): the backup's records are history, judged by `judge`; on a signed-in tablet by
 * its person (see `person`). Every record written gets its outbox entry, as any other change.
 */
export async function restoreSchool(
  tables: BackupTables,
  mode: RestoreMode,
  judge: (school: BackupTables) => Promise<BackupProblem | undefined>,
  at: Timestamp = now(),
  /**
   * A signed-in tablet's person: the restore merges only, each change is theirs (judged by the writer rules here,
   * and by the school server when it is sent), and what they may not write is left out (`notAllowed`, as `kind:id`).
   */
  person?: { actor: Actor; notAllowed: (changes: RestoreChange[], school: BackupTables) => Promise<Set<string>> },
): Promise<RestoreOutcome> {
  if (person && mode !== 'merge') throw new Error('A signed-in tablet only merges a backup into what it holds.');
  const database = db();
  const kinds = BACKUP_TABLES.map(([, kind]) => kind);
  const scope = [...kinds.map((kind) => table(kind)), database.outbox];
  const writer: Actor = person?.actor ?? 'system';
  for (let attempt = 0; attempt < RESTORE_ATTEMPTS; attempt++) {
    const seen = await database.transaction('r', scope, async () => {
      const stored: BackupTables = {};
      if (mode === 'merge')
        for (const [name, kind] of BACKUP_TABLES)
          stored[name] = (await table(kind).toArray()) as unknown as StoredRecord[];
      return { stored, lastChange: await database.outbox.toCollection().lastKey() };
    });
    if (mode === 'merge') {
      const storedSchool = (seen.stored.schools ?? []).find((school) => school.deletedAt === undefined);
      const incomingSchool = (tables.schools ?? []).find((school) => school.deletedAt === undefined);
      if (storedSchool && incomingSchool && storedSchool.id !== incomingSchool.id)
        throw new RestoreRefused({ reason: 'not-its-school', table: 'schools', id: incomingSchool.id });
    }
    let plan = planRestore(tables, seen.stored);
    let notYours = 0;
    if (person) {
      const leftOut = await person.notAllowed(plan.writes, plan.school);
      notYours = leftOut.size;
      if (leftOut.size > 0) plan = planRestore(tables, seen.stored, leftOut);
    }
    const problem = await judge(plan.school);
    if (problem) throw new RestoreRefused(problem);

    const outcome = await database.transaction('rw', scope, async () => {
      if (mode === 'merge' && (await changedSince(seen.lastChange, plan.writes))) return undefined;
      if (mode === 'replace') {
        for (const kind of kinds) await table(kind).clear();
        await database.outbox.clear();
      }
      for (const [, kind] of BACKUP_TABLES) {
        const ofKind = plan.writes.filter((write) => write.kind === kind).map((write) => write.record);
        if (ofKind.length > 0) await table(kind).bulkPut(ofKind as unknown as Records[typeof kind][]);
      }
      await addAllToOutbox(
        plan.writes
          .filter((write) => write.record.deletedAt === undefined || write.before)
          .map(({ kind, record, before }) =>
            record.deletedAt !== undefined
              ? outboxEntry(
                  kind,
                  record.id,
                  'tombstone',
                  { deletedAt: record.deletedAt, updatedAt: record.updatedAt },
                  at,
                  writer,
                )
              : before
                ? outboxEntry(kind, record.id, 'patch', changedFields(before, record), at, writer)
                : outboxEntry(kind, record.id, 'insert', plain(record), at, writer),
          ),
      );
      return { written: plan.writes.length, kept: plan.kept, notYours };
    });
    if (outcome) {
      // Installed instrument versions are read once per database (`installedContent`): a restored school may hold others.
      instrumentContents.delete(database);
      return outcome;
    }
  }
  throw new Error('The device kept changing while the backup was being read in: try again.');
}
