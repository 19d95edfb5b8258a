/** People of the school. Written by an administrator (src/core/model/lifecycle.ts). */
import { alive, baseRecord, db } from '../database/db';
import { now, save } from '../writes/local';
import { actorId, type Actor } from '../../core/model/lifecycle';
import type { Person, Role, Uuid } from '../../core/model/records';

export interface PersonInput {
  name: string;
  role: Role;
  teamId?: Uuid;
  starter: boolean;
  /** A starter's coach (someone with the coach role); dropped for someone who is not a starter. */
  coachId?: Uuid;
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

/** The owner a new record gets: the person writing it, or nobody (first run, the app itself). */
export const ownerOf = (actor: Actor): Uuid | null => {
  const id = actorId(actor);
  return id === 'system' ? null : id;
};

export async function addPerson(input: PersonInput, actor: Actor): Promise<Person> {
  return save('person', undefined, { ...baseRecord(ownerOf(actor), now()), ...clean(input) }, actor);
}

async function change(id: Uuid, actor: Actor, next: (person: Person) => Person): Promise<void> {
  const before = await getPerson(id);
  if (before) await save('person', before, next(before), actor);
}

export function updatePerson(id: Uuid, input: PersonInput, actor: Actor): Promise<void> {
  return change(id, actor, (person) => {
    const { teamId: _team, focusQuestion: _question, coachId: _coach, ...rest } = person;
    return { ...rest, ...clean(input) };
  });
}

/** Someone who left: their observations stay (they belong to them and their colleagues), they leave the pickers. */
export function archivePerson(id: Uuid, actor: Actor): Promise<void> {
  return change(id, actor, (person) => ({ ...person, archivedAt: now() }));
}

export function restorePerson(id: Uuid, actor: Actor): Promise<void> {
  return change(id, actor, ({ archivedAt: _archived, ...person }) => person);
}

function clean(input: PersonInput): PersonInput {
  const focusQuestion = input.focusQuestion?.trim();
  return {
    name: input.name.trim(),
    role: input.role,
    starter: input.starter,
    ...(input.teamId ? { teamId: input.teamId } : {}),
    ...(input.starter && input.coachId ? { coachId: input.coachId } : {}),
    ...(focusQuestion ? { focusQuestion } : {}),
  };
}
