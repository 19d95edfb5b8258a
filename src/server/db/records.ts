/**
 * The synced records of a school (table `records`): what the devices hold, one row per record, with the school
 * version of its last write.
 */
import type { BaseRecord } from '../../core/model/records';
import type { RecordKind } from '../../core/sync/change';
import type { Sql } from './database';

/**
 * Writes a new record with the school's next version; returns that version. Call it inside a transaction.
 *
 * The UPDATE … RETURNING takes the row lock of the school's counter and keeps it until the transaction ends, so
 * two writers to one school take turns: versions are handed out in commit order, and a device that pulled
 * "everything up to version n" can never later miss a record that commits with a number at or below n.
 */
export async function insertRecord(tx: Sql, schoolId: string, kind: RecordKind, data: BaseRecord): Promise<number> {
  const [row] = await tx.query<{ version: number }>('UPDATE school_versions SET version = version + 1 WHERE school_id = $1 RETURNING version', [schoolId]);
  if (!row) throw new Error(`School ${schoolId} has no version counter`);
  await tx.query('INSERT INTO records (school_id, kind, id, data, version) VALUES ($1, $2, $3, $4, $5)', [schoolId, kind, data.id, JSON.stringify(data), row.version]);
  return row.version;
}

/** One record of a school, or undefined when the school has none of that kind and id. */
export async function readRecord<T extends BaseRecord>(sql: Sql, schoolId: string, kind: RecordKind, id: string): Promise<T | undefined> {
  const [row] = await sql.query<{ data: T }>('SELECT data FROM records WHERE school_id = $1 AND kind = $2 AND id = $3', [schoolId, kind, id]);
  return row?.data;
}
