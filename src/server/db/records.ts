/**
 * The synced records of a school (table `records`): what the devices hold, one row per record, with the school
 * version of its last write.
 *
 * Versions in commit order. A pull reads "everything after version n", so a change must never commit with a version
 * below one a pull has already read. Every transaction that hands out versions therefore takes them from the
 * school's counter row (`school_versions`) with an UPDATE, which holds that row's lock until the transaction ends,
 * and commits at once after: the next transaction can only number its changes after this one committed (or rolled
 * back). The committed versions are always 1…n without a gap that fills later. (A PostgreSQL sequence would not do:
 * numbers are taken at once but commits land in any order.)
 *
 * A push does its work first, holding only the locks of the record groups it writes (`lockRecordGroups`), and takes
 * the counter last, in the statement that numbers what it wrote (`numberWrites`): the counter is held for that one
 * statement and the commit, not for the push's work, so devices of one school writing different observations do not
 * wait for each other. Writers that hold the counter for longer (an upload of a device-only school) first lock the
 * whole school (`lockSchoolWrites`, exclusive) so no push holds a group lock they could wait for.
 */
import type { BaseRecord } from '../../core/model/records';
import type { RecordKind } from '../../core/sync/change';
import type { Sql } from './database';
import { observationIdOf } from '../../core/sync/audience';
import type { PlainRecord } from '../../core/sync/apply-change';

/**
 * Writes a new record with the school's next version (see "Versions in commit order" above); returns that version.
 * For records no device has yet (a new person, a new school): nothing else can hold a lock on them.
 */
export async function insertRecord(tx: Sql, schoolId: string, kind: RecordKind, data: BaseRecord): Promise<number> {
  await lockSchool(tx, schoolId);
  const version = await takeVersions(tx, schoolId, 1);
  await putRecord(tx, schoolId, kind, data, version);
  return version;
}

/** One record of a school, or undefined when the school has none of that kind and id. */
export async function readRecord<T extends BaseRecord>(
  sql: Sql,
  schoolId: string,
  kind: RecordKind,
  id: string,
): Promise<T | undefined> {
  const [row] = await sql.query<{ data: T }>(
    'SELECT data FROM records WHERE school_id = $1 AND kind = $2 AND id = $3',
    [schoolId, kind, id],
  );
  return row?.data;
}

export interface StoredRecord {
  kind: RecordKind;
  id: string;
  data: PlainRecord;
  version: number;
  observation_id: string | null;
}

/**
 * Locks the school's version counter until the transaction ends; returns the latest version handed out. Only for
 * writers that number records as they go; call `lockSchoolWrites(tx, schoolId, 'exclusive')` before it.
 */
export async function lockSchool(tx: Sql, schoolId: string): Promise<number> {
  const [row] = await tx.query<{ version: number }>(
    'SELECT version FROM school_versions WHERE school_id = $1 FOR UPDATE',
    [schoolId],
  );
  if (!row) throw new Error(`school ${schoolId} has no version counter`);
  return row.version;
}

/** Takes the next `count` versions (call `lockSchool` first in the same transaction); returns the first. */
export async function takeVersions(tx: Sql, schoolId: string, count: number): Promise<number> {
  const [row] = await tx.query<{ version: number }>(
    'UPDATE school_versions SET version = version + $2 WHERE school_id = $1 RETURNING version',
    [schoolId, count],
  );
  return row!.version - count + 1;
}

export async function getRecord(
  tx: Sql,
  schoolId: string,
  kind: RecordKind,
  id: string,
): Promise<StoredRecord | undefined> {
  const [row] = await tx.query<StoredRecord>(
    'SELECT kind, id, data, version, observation_id FROM records WHERE school_id = $1 AND kind = $2 AND id = $3',
    [schoolId, kind, id],
  );
  return row;
}

/** Records of one kind by id, for lookups of many at once. */
export async function getRecords(
  tx: Sql,
  schoolId: string,
  kind: RecordKind,
  ids: readonly string[],
): Promise<Map<string, PlainRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<{ id: string; data: PlainRecord }>(
    'SELECT id, data FROM records WHERE school_id = $1 AND kind = $2 AND id = ANY($3)',
    [schoolId, kind, [...ids]],
  );
  return new Map(rows.map((row) => [row.id, row.data]));
}

/** Stores a record under a version taken from the school's counter. */
export async function putRecord(
  tx: Sql,
  schoolId: string,
  kind: RecordKind,
  data: { id: string },
  version: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO records (school_id, kind, id, data, version, observation_id) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (school_id, kind, id) DO UPDATE SET data = EXCLUDED.data, version = EXCLUDED.version, observation_id = EXCLUDED.observation_id`,
    [schoolId, kind, data.id, JSON.stringify(data), version, observationIdOf(kind, data) ?? null],
  );
}

/** Stores new records under consecutive versions from `first`, many per statement; records it has are left alone. */
export async function insertRecords(
  tx: Sql,
  schoolId: string,
  kind: RecordKind,
  records: readonly PlainRecord[],
  first: number,
): Promise<void> {
  const CHUNK = 500;
  for (let start = 0; start < records.length; start += CHUNK) {
    const chunk = records.slice(start, start + CHUNK);
    await tx.query(
      `INSERT INTO records (school_id, kind, id, data, version, observation_id)
       SELECT $1, $2, t.id, t.data::jsonb, t.version, t.observation_id FROM unnest($3::text[], $4::text[], $5::int8[], $6::text[]) AS t(id, data, version, observation_id)
       ON CONFLICT (school_id, kind, id) DO NOTHING`,
      [
        schoolId,
        kind,
        chunk.map((r) => r.id),
        chunk.map((r) => JSON.stringify(r)),
        chunk.map((_, i) => first + start + i),
        chunk.map((r) => observationIdOf(kind, r) ?? null),
      ],
    );
  }
}

/**
 * Advisory locks of a push, for the rest of its transaction: first the school's (shared by every push; exclusive for a
 * writer that changes what the whole school sees or numbers records as it goes), then each record group it writes,
 * in one order for everyone (by the lock's key) so two pushes never wait for each other in a circle.
 */
export async function lockSchoolWrites(tx: Sql, schoolId: string, mode: 'shared' | 'exclusive'): Promise<void> {
  const lock = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await tx.query(`SELECT ${lock}(hashtextextended($1, 0))`, [`school\n${schoolId}`]);
}

/**
 * Locks record groups (`group` names them: an observation with everything recorded in it, or a record of its own) of
 * a school until the transaction ends, in the order of their lock keys. Two pushes that write one group run one
 * after the other; pushes that write different groups do not wait for each other.
 */
export async function lockRecordGroups(tx: Sql, schoolId: string, groups: readonly string[]): Promise<void> {
  if (groups.length === 0) return;
  await tx.query(
    `SELECT count(pg_advisory_xact_lock(key)) FROM (
       SELECT DISTINCT hashtextextended($1 || '\n' || g, 0) AS key FROM unnest($2::text[]) AS g ORDER BY key
     ) AS keys`,
    [schoolId, [...groups]],
  );
}

/** The lock group of a record: its observation for what is recorded in one, else the record itself. */
export function recordGroup(kind: RecordKind, id: string, observationId: string | null | undefined): string {
  return observationId ? `observation:${observationId}` : `${kind}:${id}`;
}

/** Reads records of a school by kind and id, in one statement. */
export async function readRecords(
  tx: Sql,
  schoolId: string,
  keys: readonly { kind: string; id: string }[],
): Promise<StoredRecord[]> {
  if (keys.length === 0) return [];
  return tx.query<StoredRecord>(
    `SELECT r.kind, r.id, r.data, r.version, r.observation_id FROM records r
     JOIN unnest($2::text[], $3::text[]) AS k(kind, id) ON r.kind = k.kind AND r.id = k.id
     WHERE r.school_id = $1`,
    [schoolId, keys.map((k) => k.kind), keys.map((k) => k.id)],
  );
}

/**
 * Stores records as they are now, in one statement, under version 0 until `numberWrites` numbers them in the same
 * transaction (nobody else sees them before it commits).
 */
export async function writeRecords(
  tx: Sql,
  schoolId: string,
  records: readonly { kind: RecordKind; data: PlainRecord }[],
): Promise<void> {
  if (records.length === 0) return;
  await tx.query(
    `INSERT INTO records (school_id, kind, id, data, version, observation_id)
     SELECT $1, t.kind, t.id, t.data::jsonb, 0, t.observation_id FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(kind, id, data, observation_id)
     ON CONFLICT (school_id, kind, id) DO UPDATE SET data = EXCLUDED.data, version = EXCLUDED.version, observation_id = EXCLUDED.observation_id`,
    [
      schoolId,
      records.map((r) => r.kind),
      records.map((r) => r.data.id),
      records.map((r) => JSON.stringify(r.data)),
      records.map((r) => observationIdOf(r.kind, r.data) ?? null),
    ],
  );
}

/** The records of these observations (each observation and what is recorded in it), oldest version first. */
export async function recordsOfObservations(
  tx: Sql,
  schoolId: string,
  observationIds: readonly string[],
): Promise<Array<{ kind: string; id: string }>> {
  if (observationIds.length === 0) return [];
  return tx.query<{ kind: string; id: string }>(
    'SELECT kind, id FROM records WHERE school_id = $1 AND observation_id = ANY($2) ORDER BY version',
    [schoolId, [...observationIds]],
  );
}

/**
 * Numbers what a transaction wrote, in one statement, as its last before the commit: takes `records.length` versions
 * from the school's counter (its row stays locked until the commit; see "Versions in commit order" above), gives the
 * records the next versions in the order given, and each applied change the version of the record it wrote
 * (`record`: its index in `records`). Returns the version before the first.
 */
export async function numberWrites(
  tx: Sql,
  schoolId: string,
  records: readonly { kind: string; id: string }[],
  changes: readonly { changeId: string; record: number }[],
): Promise<number> {
  if (records.length === 0) return 0;
  const [row] = await tx.query<{ base: number }>(
    `WITH counter AS (
       UPDATE school_versions SET version = version + $2 WHERE school_id = $1 RETURNING version - $2 AS base
     ), numbered AS (
       UPDATE records AS r SET version = counter.base + n.position
       FROM counter, unnest($3::text[], $4::text[]) WITH ORDINALITY AS n(kind, id, position)
       WHERE r.school_id = $1 AND r.kind = n.kind AND r.id = n.id
       RETURNING 1
     ), applied AS (
       UPDATE applied_changes AS a SET version = counter.base + c.position
       FROM counter, unnest($5::text[], $6::int8[]) AS c(change_id, position)
       WHERE a.school_id = $1 AND a.change_id = c.change_id
       RETURNING 1
     )
     SELECT base, (SELECT count(*) FROM numbered) AS records, (SELECT count(*) FROM applied) AS changes FROM counter`,
    [
      schoolId,
      records.length,
      records.map((r) => r.kind),
      records.map((r) => r.id),
      changes.map((c) => c.changeId),
      changes.map((c) => c.record + 1),
    ],
  );
  return row!.base;
}
