/**
 * Schools on this server: one for a school's own server, several for a board's. Each has its version counter
 * and its own synced school record (kind 'school', the same id), so devices pull the school like any record.
 */
import { randomUUID } from 'node:crypto';
import { newRecordBase, type School, type Uuid } from '../../core/model/records';
import type { Sql } from '../db/database';
import { insertRecord } from '../db/records';

export interface SchoolSummary {
  id: string;
  name: string;
}

/** A new school: its row, its version counter at 0, and its school record written by `ownerId` (the first administrator). */
export async function createSchool(tx: Sql, name: string, ownerId: Uuid, at: number): Promise<SchoolSummary> {
  const id = randomUUID();
  const trimmed = name.trim();
  await tx.query('INSERT INTO schools (id, name, created_at) VALUES ($1, $2, $3)', [id, trimmed, at]);
  await tx.query('INSERT INTO school_versions (school_id, version) VALUES ($1, 0)', [id]);
  const record: School = { ...newRecordBase(id, ownerId, at), name: trimmed };
  await insertRecord(tx, id, 'school', record);
  return { id, name: trimmed };
}

export async function findSchool(sql: Sql, id: string): Promise<SchoolSummary | undefined> {
  const [row] = await sql.query<SchoolSummary>('SELECT id, name FROM schools WHERE id = $1', [id]);
  return row;
}

export async function countSchools(sql: Sql): Promise<number> {
  const [row] = await sql.query<{ count: number }>('SELECT count(*) AS count FROM schools');
  return row?.count ?? 0;
}
