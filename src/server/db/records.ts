/**
 * The synced records of a school (table `records`): what the devices hold, one row per record, with the school
 * version of its last write.
 *
 * Versions in commit order: `lockSchool` locks the school's counter row for the rest of the transaction. Every
 * transaction that hands out versions takes that lock first, so the next one can only number its changes after
 * this one committed (or rolled back). The committed versions are therefore always 1…n without a gap that fills
 * later, and a pull that has read up to n never misses a change numbered below n. (A PostgreSQL sequence would not
 * do: numbers are taken at once but commits land in any order.)
 */
import type { BaseRecord } from '../../core/model/records';
import type { RecordKind } from '../../core/sync/change';
import type { Sql } from './database';
import { observationIdOf } from '../../core/sync/audience';
import type { PlainRecord } from '../../core/sync/apply-change';

/** Writes a record with the school's next version (see "Versions in commit order" above); returns that version. */
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

/** Locks the school's version counter until the transaction ends; returns the latest version handed out. */
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
 * Gives every record of these observations (the observation and what is recorded in it) a new version, so the
 * next pull of every device looks at them again: after a change of who may see them, those who may now see them
 * receive them and those who held them and may not any more are told they are gone. Call after `lockSchool`.
 */
export async function renumberObservations(
  tx: Sql,
  schoolId: string,
  observationIds: readonly string[],
): Promise<void> {
  if (observationIds.length === 0) return;
  const rows = await tx.query<{ kind: string; id: string }>(
    'SELECT kind, id FROM records WHERE school_id = $1 AND observation_id = ANY($2) ORDER BY version',
    [schoolId, [...observationIds]],
  );
  if (rows.length === 0) return;
  const first = await takeVersions(tx, schoolId, rows.length);
  await tx.query(
    `UPDATE records AS r SET version = $2 + n.position - 1
     FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS n(kind, id, position)
     WHERE r.school_id = $1 AND r.kind = n.kind AND r.id = n.id`,
    [schoolId, first, rows.map((r) => r.kind), rows.map((r) => r.id)],
  );
}
