/**
 * One writer per record, and the observation's lifecycle: who may create and change each kind of record, and in
 * which state. The data layer's write path asks before every write, so a refused change never reaches IndexedDB;
 * screens ask the same questions to show a read-only view; a school server will ask them again before accepting a
 * pushed change. Plain functions on plain records.
 *
 * The rules (PRODUCT.md, "Privacy and trust" and "Architecture"):
 * - An observation, its responses, notes and amendments (and, later, its feedback) are written by its observer.
 *   The observed teacher reads them and never changes them; later they write their own requests, reflections and
 *   goals.
 * - School records (the school, teams, people, school years, instruments) are written by an administrator: a
 *   school leader, or anyone while nobody has been chosen on the device yet (setting up a school). A person may
 *   change their own name and focus question.
 * - The app itself ("system") installs shipped instruments, school years and a demo school.
 * - Lifecycle: only a draft is completed or thrown away; a completed observation changes only as amendments.
 */
import type { Observation, ObservationStatus, Person, Uuid } from './records';
import type { RecordKind } from '../sync/change';

/** Who is writing: a person on the device, nobody yet (first run), or the app itself. */
export type Actor = Pick<Person, 'id' | 'role'> | null | 'system';

export type RefusalReason = 'not-administrator' | 'not-observer' | 'not-a-draft' | 'not-completed' | 'no-status-change' | 'unknown-observation';

export class WriteRefused extends Error {
  constructor(
    readonly kind: RecordKind,
    readonly reason: RefusalReason,
  ) {
    super(`Write to ${kind} refused: ${reason}`);
    this.name = 'WriteRefused';
  }
}

export const actorId = (actor: Actor): Uuid | null | 'system' => (actor === null || actor === 'system' ? actor : actor.id);

/** Administrators manage the school's people, teams, school years and instruments. */
export function isAdministrator(actor: Actor): boolean {
  return actor === null || actor === 'system' || actor.role === 'leader';
}

/** Whether this actor writes the observation and everything recorded in it. */
export function isObserver(actor: Actor, observation: Pick<Observation, 'observerId'>): boolean {
  return actor === 'system' || (actor !== null && actor.id === observation.observerId);
}

/** Fields of their own record a person changes themselves: how they are called and what observers should look at. */
const OWN_FIELDS = new Set(['name', 'focusQuestion', 'updatedAt']);

export function mayEditOwnRecord(actor: Actor, before: Person, after: Person): boolean {
  if (actor === null || actor === 'system' || actor.id !== before.id) return false;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].every((key) => OWN_FIELDS.has(key) || JSON.stringify(before[key as keyof Person]) === JSON.stringify(after[key as keyof Person]));
}

const ALLOWED_STATUS_CHANGES: Record<ObservationStatus, readonly ObservationStatus[]> = {
  draft: ['completed'],
  completed: ['shared'],
  shared: ['acknowledged'],
  acknowledged: [],
};

/** What a write does, as the rules need to see it. */
export type WriteIntent =
  | { kind: 'school' | 'team' | 'schoolYear' | 'instrument'; op: 'insert' | 'patch' | 'tombstone' }
  | { kind: 'person'; op: 'insert' | 'patch' | 'tombstone'; before: Person | undefined; after: Person }
  | { kind: 'observation'; op: 'insert'; after: Pick<Observation, 'observerId' | 'status'> }
  | { kind: 'observation'; op: 'patch'; before: Pick<Observation, 'observerId' | 'status'>; after: Pick<Observation, 'observerId' | 'status'> }
  | { kind: 'observation'; op: 'tombstone'; before: Pick<Observation, 'observerId' | 'status'> }
  | { kind: 'response' | 'note' | 'amendment'; op: 'insert' | 'patch' | 'tombstone'; observation: Pick<Observation, 'observerId' | 'status'> | undefined };

/** Why this write may not happen, or undefined when it may. */
export function refusal(actor: Actor, intent: WriteIntent): RefusalReason | undefined {
  // The app itself (shipped instruments, school years, the demo school, upgrades) writes what it generates.
  if (actor === 'system') return undefined;
  switch (intent.kind) {
    case 'person':
      if (isAdministrator(actor)) return undefined;
      return intent.op === 'patch' && intent.before && mayEditOwnRecord(actor, intent.before, intent.after) ? undefined : 'not-administrator';
    case 'school':
    case 'team':
    case 'schoolYear':
    case 'instrument':
      return isAdministrator(actor) ? undefined : 'not-administrator';
    case 'observation':
      if (intent.op === 'insert') {
        if (!isObserver(actor, intent.after)) return 'not-observer';
        return intent.after.status === 'draft' ? undefined : 'not-a-draft';
      }
      if (intent.op === 'tombstone') {
        if (!isObserver(actor, intent.before)) return 'not-observer';
        return intent.before.status === 'draft' ? undefined : 'not-a-draft';
      }
      if (!isObserver(actor, intent.before) || intent.after.observerId !== intent.before.observerId) return 'not-observer';
      if (intent.after.status === intent.before.status) return undefined;
      return ALLOWED_STATUS_CHANGES[intent.before.status].includes(intent.after.status) ? undefined : intent.before.status === 'draft' ? 'not-completed' : 'no-status-change';
    case 'response':
    case 'note':
    case 'amendment':
      if (!intent.observation) return 'unknown-observation';
      if (!isObserver(actor, intent.observation)) return 'not-observer';
      // Amendments record changes after completion; they are never written for a draft.
      if (intent.kind === 'amendment' && intent.observation.status === 'draft') return 'not-completed';
      return undefined;
  }
}

/** Throws `WriteRefused` when the write may not happen. */
export function assertMayWrite(actor: Actor, intent: WriteIntent): void {
  const reason = refusal(actor, intent);
  if (reason) throw new WriteRefused(intent.kind, reason);
}
