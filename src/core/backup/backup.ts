/**
 * A backup: a device's school as one JSON document (written by src/data/database/backup.ts), read back in on the
 * same or another device. Reading one back is judged here, once, for the device and the school server alike:
 *
 * 1. `checkBackup`: the document's shape (format, schema version, tables, records with ids, no duplicates, one
 *    school). A backup of an earlier schema version is brought up to date by the core's own frozen migrations
 *    (model/migrations), as the database's upgrades are; one of a newer version is refused (update the app first).
 * 2. `judgeBackup`: every record as history (`historyRefusal`, as an upload of a device-only school is judged on the
 *    server): what makes it the record it is, what it may hold against its instrument version, a valid instrument,
 *    and that what it names (a person, a team, an instrument, a request, an observation) is in the school after the
 *    restore.
 *
 * Any problem refuses the whole backup, naming the table, the record and the field, so nothing of a broken file is
 * ever half read in. `mergeVersions` decides, record by record, what a merge keeps.
 */
import type { RecordKind } from '../sync/change';
import { storeLookups, writeIntent, type RecordStore } from '../sync/write-intent';
import { historyRefusal, refusal, type Actor } from '../model/lifecycle';
import { upObservationToV2, type ObservationBeforeV2 } from '../model/migrations/v2-completed-status';
import { upObservationToV4, type ObservationBeforeV4 } from '../model/migrations/v4-feedback-cycle';
import { OBSERVATION_STATUSES, type Observation, type School } from '../model/records';

export const BACKUP_FORMAT = 'meekijken-backup';

/** The tables of a backup and the kind of record each holds, parents first (an observation before its responses). */
export const BACKUP_TABLES = [
  ['schools', 'school'],
  ['teams', 'team'],
  ['people', 'person'],
  ['schoolYears', 'schoolYear'],
  ['instruments', 'instrument'],
  ['requests', 'request'],
  ['declines', 'decline'],
  ['observations', 'observation'],
  ['responses', 'response'],
  ['notes', 'note'],
  ['amendments', 'amendment'],
  ['feedback', 'feedback'],
  ['reflections', 'reflection'],
  ['goals', 'goal'],
  ['instrumentDrafts', 'instrumentDraft'],
] as const satisfies ReadonlyArray<readonly [string, RecordKind]>;

export type BackupTable = (typeof BACKUP_TABLES)[number][0];
const TABLE_KIND = new Map<string, RecordKind>(BACKUP_TABLES);

/** The kind of record a backup table holds; undefined for a table Meekijken does not know. */
export const kindOfTable = (table: string): RecordKind | undefined => TABLE_KIND.get(table);

/** At most this many records in one backup: a school of 60 teachers over ten years is well under it. */
const BACKUP_RECORD_LIMIT = 1_000_000;

/** A record as it is stored: an object with an id (what else it holds is judged by `judgeBackup`). */
export interface StoredRecord {
  id: string;
  updatedAt?: number;
  deletedAt?: number;
  [field: string]: unknown;
}

export type BackupTables = Partial<Record<BackupTable, StoredRecord[]>>;

/** A backup whose shape is right, brought up to the current schema version. */
export interface CheckedBackup {
  /** The schema version it was written with (its records are now of the current one). */
  schemaVersion: number;
  exportedAt: string;
  tables: BackupTables;
}

type BackupProblemReason =
  | 'not-json'
  | 'not-a-backup'
  | 'newer-version'
  | 'invalid-version'
  | 'invalid-date'
  | 'unknown-table'
  | 'not-a-list'
  | 'not-a-record'
  | 'invalid-id'
  | 'duplicate-id'
  | 'too-many'
  | 'no-school'
  | 'several-schools'
  | 'invalid-record'
  | 'not-its-school';

/** Why a backup is refused, and where: the table, the record's place and id, and the field, when one is to blame. */
export interface BackupProblem {
  reason: BackupProblemReason;
  table?: string;
  /** The record's place in its table, counted from 1, as a person counts. */
  position?: number;
  id?: string;
  field?: string;
  /** For `invalid-record`: the rule's own reason (src/core/model/lifecycle.ts, src/core/sync/content.ts). */
  detail?: string;
}

export type BackupCheck = { ok: true; backup: CheckedBackup } | { ok: false; problem: BackupProblem };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first problem with a backup's shape, or the backup brought up to `currentVersion`. */
export function checkBackup(value: unknown, currentVersion: number): BackupCheck {
  const refuse = (problem: BackupProblem): BackupCheck => ({ ok: false, problem });
  if (!isObject(value) || value.format !== BACKUP_FORMAT || !isObject(value.tables))
    return refuse({ reason: 'not-a-backup' });
  const version = value.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return refuse({ reason: 'invalid-version', field: 'schemaVersion' });
  if (version > currentVersion) return refuse({ reason: 'newer-version', field: 'schemaVersion' });
  const exportedAt = value.exportedAt;
  if (typeof exportedAt !== 'string' || exportedAt.length > 40 || Number.isNaN(Date.parse(exportedAt)))
    return refuse({ reason: 'invalid-date', field: 'exportedAt' });

  const tables: BackupTables = {};
  let count = 0;
  for (const [table, list] of Object.entries(value.tables)) {
    const kind = kindOfTable(table);
    if (!kind) return refuse({ reason: 'unknown-table', table: table.slice(0, 60) });
    if (!Array.isArray(list)) return refuse({ reason: 'not-a-list', table });
    count += list.length;
    if (count > BACKUP_RECORD_LIMIT) return refuse({ reason: 'too-many', table });
    const ids = new Set<string>();
    for (const [index, record] of list.entries()) {
      const where = { table, position: index + 1 };
      if (!isObject(record)) return refuse({ reason: 'not-a-record', ...where });
      const id = record.id;
      if (typeof id !== 'string' || id.length === 0 || id.length > 200)
        return refuse({ reason: 'invalid-id', ...where, field: 'id' });
      if (ids.has(id)) return refuse({ reason: 'duplicate-id', ...where, id, field: 'id' });
      ids.add(id);
    }
    tables[table as BackupTable] = list as StoredRecord[];
  }
  const schools = (tables.schools ?? []).filter((school) => school.deletedAt === undefined);
  if (schools.length === 0) return refuse({ reason: 'no-school', table: 'schools' });
  if (schools.length > 1) return refuse({ reason: 'several-schools', table: 'schools' });
  return { ok: true, backup: { schemaVersion: version, exportedAt, tables: upgradeTables(tables, version) } };
}

/**
 * The records of a backup written with schema version `from`, as the current version stores them: the same frozen
 * upgrades the database runs (src/data/database/schema.ts), applied in order. Records are copied, never changed.
 */
function upgradeTables(tables: BackupTables, from: number): BackupTables {
  let observations = tables.observations;
  let reflections = tables.reflections;
  if (from < 2 && observations)
    observations = observations.map(
      (record) => upObservationToV2(record as unknown as ObservationBeforeV2) as unknown as StoredRecord,
    );
  if (from < 4 && observations) {
    const upgraded = observations.map((record) => upObservationToV4(record as unknown as ObservationBeforeV4));
    observations = upgraded.map((result) => result.observation as unknown as StoredRecord);
    const added = upgraded.flatMap((result) =>
      result.reflection ? [result.reflection as unknown as StoredRecord] : [],
    );
    if (added.length > 0) {
      const kept = new Set((reflections ?? []).map((record) => record.id));
      reflections = [...(reflections ?? []), ...added.filter((record) => !kept.has(record.id))];
    }
  }
  return {
    ...tables,
    ...(observations ? { observations } : {}),
    ...(reflections ? { reflections } : {}),
  };
}

/** The records of a school by kind and id, as a store the core's rules read from. */
class SchoolRecords implements RecordStore {
  private readonly byKind = new Map<RecordKind, Map<string, StoredRecord>>();
  private readonly counts = new Map<string, number>();

  constructor(
    tables: BackupTables,
    private readonly clock: () => number,
  ) {
    for (const [table, kind] of BACKUP_TABLES) {
      const records = new Map<string, StoredRecord>();
      for (const record of tables[table] ?? []) {
        records.set(record.id, record);
        if ((kind === 'note' || kind === 'amendment') && record.deletedAt === undefined) {
          const key = `${kind}\n${String(record.observationId)}`;
          this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
        }
      }
      this.byKind.set(kind, records);
    }
  }

  async get(kind: RecordKind, id: string): Promise<object | undefined> {
    const record = this.byKind.get(kind)?.get(id);
    return record && record.deletedAt === undefined ? record : undefined;
  }

  async countIn(kind: 'note' | 'amendment', observationId: string): Promise<number> {
    return this.counts.get(`${kind}\n${observationId}`) ?? 0;
  }

  now(): number {
    return this.clock();
  }
}

/**
 * The first record of `tables` that may not join a school's history as it is, judged against the school those
 * tables make (`tables` is the school after the restore: the backup itself, or the backup merged into what the
 * device holds). `validInstrument` is the instrument validator (src/core/instrument/validate.ts), passed in because
 * it is large. Undefined when every record may be restored.
 */
export async function judgeBackup(
  tables: BackupTables,
  options: { now: number; validInstrument: (content: unknown) => boolean },
): Promise<BackupProblem | undefined> {
  const store = new SchoolRecords(tables, () => options.now);
  const lookups = storeLookups(store, options.validInstrument);
  for (const [table, kind] of BACKUP_TABLES) {
    for (const [index, record] of (tables[table] ?? []).entries()) {
      let reason: string | undefined;
      let field: string | undefined;
      try {
        const intent = await writeIntent(kind, 'insert', undefined, record, lookups);
        reason = historyRefusal(intent);
        field = intent.content?.field;
      } catch {
        // A record so malformed that reading it throws (a field of the wrong type deep inside).
        reason = 'malformed';
      }
      if (reason) return { reason: 'invalid-record', table, position: index + 1, id: record.id, field, detail: reason };
    }
  }
  return undefined;
}

/** A change a restore would make: a record new to the device, or a newer version of one it holds (`before`). */
export interface RestoreChange {
  kind: RecordKind;
  record: StoredRecord;
  before?: StoredRecord;
}

/**
 * For a restore by a person (a tablet signed in to a school server, where every change is that person's and goes
 * through the server's rules): the changes the writer rules do not let them make, as `kind:id`. They are left out,
 * as the server would refuse them. `school` is the school after the restore, for the rules' lookups.
 */
export async function refusedChanges(
  changes: readonly RestoreChange[],
  school: BackupTables,
  actor: Actor,
  options: { now: number; validInstrument: (content: unknown) => boolean },
): Promise<Set<string>> {
  const lookups = storeLookups(new SchoolRecords(school, () => options.now), options.validInstrument);
  const refused = new Set<string>();
  for (const { kind, record, before } of changes) {
    const op = !before
      ? 'insert'
      : record.deletedAt !== undefined && before.deletedAt === undefined
        ? 'tombstone'
        : 'patch';
    try {
      if (refusal(actor, await writeIntent(kind, op, before, record, lookups))) refused.add(`${kind}:${record.id}`);
    } catch {
      refused.add(`${kind}:${record.id}`);
    }
  }
  return refused;
}

/** The order an observation moves through: a merge never takes one back. */
const STATUS_RANK = new Map<string, number>(OBSERVATION_STATUSES.map((status, rank) => [status, rank]));

/**
 * Which version of one record a merge keeps: the one the device holds (`stored`) or the backup's (`incoming`).
 * A deletion is kept whichever side made it (a merge never brings back what someone removed); an observation never
 * goes back in its stages (a completed one is not reopened by an older draft); otherwise the newer version wins, and
 * on a tie what the device holds.
 */
export function mergeVersions(kind: RecordKind, stored: StoredRecord, incoming: StoredRecord): StoredRecord {
  const storedDeleted = stored.deletedAt !== undefined;
  const incomingDeleted = incoming.deletedAt !== undefined;
  if (storedDeleted !== incomingDeleted) return storedDeleted ? stored : incoming;
  if (kind === 'observation' && !storedDeleted) {
    const rank = (record: StoredRecord) => STATUS_RANK.get(String((record as unknown as Observation).status)) ?? -1;
    if (rank(stored) !== rank(incoming)) return rank(incoming) > rank(stored) ? incoming : stored;
  }
  return (incoming.updatedAt ?? 0) > (stored.updatedAt ?? 0) ? incoming : stored;
}

/** What a backup holds, for the person about to restore it. */
export interface BackupSummary {
  schoolName: string;
  exportedAt: string;
  schemaVersion: number;
  /** Records per table, without deleted ones. */
  counts: Partial<Record<BackupTable, number>>;
  /** The first and the last lesson observed (epoch ms), when there are observations. */
  firstLesson?: number;
  lastLesson?: number;
}

export function summarizeBackup(backup: CheckedBackup): BackupSummary {
  const alive = (table: BackupTable) => (backup.tables[table] ?? []).filter((record) => record.deletedAt === undefined);
  const counts: Partial<Record<BackupTable, number>> = {};
  for (const [table] of BACKUP_TABLES) {
    const n = alive(table).length;
    if (n > 0) counts[table] = n;
  }
  const school = alive('schools')[0] as unknown as School | undefined;
  let firstLesson = Infinity;
  let lastLesson = -Infinity;
  for (const record of alive('observations')) {
    const at = (record as unknown as Observation).startedAt;
    if (typeof at !== 'number' || !Number.isFinite(at)) continue;
    firstLesson = Math.min(firstLesson, at);
    lastLesson = Math.max(lastLesson, at);
  }
  return {
    schoolName: typeof school?.name === 'string' ? school.name : '',
    exportedAt: backup.exportedAt,
    schemaVersion: backup.schemaVersion,
    counts,
    ...(firstLesson <= lastLesson ? { firstLesson, lastLesson } : {}),
  };
}
