/**
 * People, as the accounts see them: synced records of kind 'person' (src/core/model/records.ts), written with
 * the school's next version like every other record.
 */
import { randomUUID } from 'node:crypto';
import { newRecordBase, type Person, type Role, type Uuid } from '../../core/model/records';
import type { Sql } from '../db/database';
import { insertRecord, readRecord } from '../db/records';

export interface PersonInput {
  name: string;
  role: Role;
  teamId?: Uuid;
  starter: boolean;
  /** A starter's coach; dropped for someone who is not a starter. */
  coachId?: Uuid;
}

/**
 * A new person record. `owner` is who writes it: the administrator who adds them, or the person themself at set-up.
 * `id`: a given id (set-up from a tablet whose device-only school already holds this person), else a new one.
 */
export function newPerson(input: PersonInput, owner: Uuid | 'self', at: number, id: Uuid = randomUUID()): Person {
  return {
    ...newRecordBase(id, owner === 'self' ? id : owner, at),
    name: input.name.trim(),
    role: input.role,
    starter: input.starter,
    ...(input.teamId ? { teamId: input.teamId } : {}),
    ...(input.starter && input.coachId ? { coachId: input.coachId } : {}),
  };
}

export async function addPerson(tx: Sql, schoolId: string, person: Person): Promise<Person> {
  await insertRecord(tx, schoolId, 'person', person);
  return person;
}

/** A person of this school who may use the app: not deleted, not archived (someone who left). */
export async function findActivePerson(sql: Sql, schoolId: string, personId: string): Promise<Person | undefined> {
  const person = await readRecord<Person>(sql, schoolId, 'person', personId);
  return person && person.deletedAt == null && person.archivedAt == null ? person : undefined;
}
