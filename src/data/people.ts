import { alive, baseRecord, db } from './db';
import type { Person, Role, Uuid } from '../core/model/records';

export interface PersonInput {
  name: string;
  role: Role;
  teamId?: Uuid;
  starter: boolean;
  focusQuestion?: string;
}

/** People in name order; archived ones (who left the school) only when asked for. */
export async function listPeople(options: { includeArchived?: boolean } = {}): Promise<Person[]> {
  const people = await db().people.orderBy('name').toArray();
  return people.filter((person) => alive(person) && (options.includeArchived || person.archivedAt === undefined));
}

export async function getPerson(id: Uuid): Promise<Person | undefined> {
  const person = await db().people.get(id);
  return alive(person) ? person : undefined;
}

export async function addPerson(input: PersonInput, owner: Uuid | null): Promise<Person> {
  const person: Person = { ...baseRecord(owner), ...clean(input) };
  await db().people.add(person);
  return person;
}

export async function updatePerson(id: Uuid, input: PersonInput): Promise<void> {
  await db().people.where('id').equals(id).modify((person) => {
    Object.assign(person, clean(input));
    if (!input.teamId) delete person.teamId;
    if (!input.focusQuestion?.trim()) delete person.focusQuestion;
    person.updatedAt = Date.now();
  });
}

/** Someone who left: their observations stay (they belong to them and their colleagues), they leave the pickers. */
export async function archivePerson(id: Uuid): Promise<void> {
  const now = Date.now();
  await db().people.update(id, { archivedAt: now, updatedAt: now });
}

export async function restorePerson(id: Uuid): Promise<void> {
  await db().people.where('id').equals(id).modify((person) => {
    delete person.archivedAt;
    person.updatedAt = Date.now();
  });
}

function clean(input: PersonInput): PersonInput {
  const focusQuestion = input.focusQuestion?.trim();
  return {
    name: input.name.trim(),
    role: input.role,
    starter: input.starter,
    ...(input.teamId ? { teamId: input.teamId } : {}),
    ...(focusQuestion ? { focusQuestion } : {}),
  };
}
