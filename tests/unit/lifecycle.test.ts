import { describe, expect, it } from 'vitest';
import { isAdministrator, refusal, type Actor, type RefusalReason, type WriteIntent } from '../../src/core/model/lifecycle';
import type { Observation, ObservationStatus, Person } from '../../src/core/model/records';

const leader: Actor = { id: 'leader', role: 'leader' };
const observer: Actor = { id: 'observer', role: 'teacher' };
const observed: Actor = { id: 'observed', role: 'teacher' };
const coach: Actor = { id: 'coach', role: 'coach' };

const observation = (status: ObservationStatus): Pick<Observation, 'observerId' | 'status'> => ({ observerId: 'observer', status });
const person = (id: string, extra: Partial<Person> = {}): Person => ({ id, owner: null, createdAt: 1, updatedAt: 1, name: 'Anna', role: 'teacher', starter: false, ...extra });

type Row = [string, Actor, WriteIntent, RefusalReason | undefined];

const rows: Row[] = [
  // School records: administrators (a leader, nobody during set-up, the app itself).
  ['a leader adds a team', leader, { kind: 'team', op: 'insert' }, undefined],
  ['set-up (nobody chosen) adds a team', null, { kind: 'team', op: 'insert' }, undefined],
  ['a teacher adds a team', observer, { kind: 'team', op: 'insert' }, 'not-administrator'],
  ['a coach installs an instrument', coach, { kind: 'instrument', op: 'insert' }, 'not-administrator'],
  ['the app installs an instrument', 'system', { kind: 'instrument', op: 'insert' }, undefined],
  ['a teacher adds a colleague', observer, { kind: 'person', op: 'insert', before: undefined, after: person('x') }, 'not-administrator'],
  ['a teacher changes their own focus question', observed, { kind: 'person', op: 'patch', before: person('observed'), after: person('observed', { focusQuestion: 'Beurten?' }) }, undefined],
  ['a teacher makes themselves a leader', observed, { kind: 'person', op: 'patch', before: person('observed'), after: person('observed', { role: 'leader' }) }, 'not-administrator'],
  ["a teacher changes a colleague's focus question", observer, { kind: 'person', op: 'patch', before: person('observed'), after: person('observed', { focusQuestion: 'x' }) }, 'not-administrator'],
  // Observations: the observer, and the lifecycle.
  ['the observer starts a draft', observer, { kind: 'observation', op: 'insert', after: observation('draft') }, undefined],
  ['someone starts an observation in another observer’s name', observed, { kind: 'observation', op: 'insert', after: observation('draft') }, 'not-observer'],
  ['the observer starts one that is already completed', observer, { kind: 'observation', op: 'insert', after: observation('completed') }, 'not-a-draft'],
  ['the observer completes a draft', observer, { kind: 'observation', op: 'patch', before: observation('draft'), after: observation('completed') }, undefined],
  ['the observed teacher completes it', observed, { kind: 'observation', op: 'patch', before: observation('draft'), after: observation('completed') }, 'not-observer'],
  ['a completed observation back to draft', observer, { kind: 'observation', op: 'patch', before: observation('completed'), after: observation('draft') }, 'no-status-change'],
  ['a draft straight to shared', observer, { kind: 'observation', op: 'patch', before: observation('draft'), after: observation('shared') }, 'not-completed'],
  ['the observer hands the observation to someone else', observer, { kind: 'observation', op: 'patch', before: observation('draft'), after: { observerId: 'observed', status: 'draft' } }, 'not-observer'],
  ['the observer throws a draft away', observer, { kind: 'observation', op: 'tombstone', before: observation('draft') }, undefined],
  ['the observer throws a completed one away', observer, { kind: 'observation', op: 'tombstone', before: observation('completed') }, 'not-a-draft'],
  // What is recorded in it: only the observer, also after completion (as amendments).
  ['the observer rates during the lesson', observer, { kind: 'response', op: 'patch', observation: observation('draft') }, undefined],
  ['the observer amends after completion', observer, { kind: 'response', op: 'patch', observation: observation('completed') }, undefined],
  ['the observed teacher changes a rating', observed, { kind: 'response', op: 'patch', observation: observation('completed') }, 'not-observer'],
  ['a leader changes a note', leader, { kind: 'note', op: 'patch', observation: observation('shared') }, 'not-observer'],
  ['an amendment on a draft', observer, { kind: 'amendment', op: 'insert', observation: observation('draft') }, 'not-completed'],
  ['a response for an unknown observation', observer, { kind: 'response', op: 'insert', observation: undefined }, 'unknown-observation'],
];

describe('one writer per record, and the lifecycle', () => {
  it.each(rows)('%s', (_, actor, intent, expected) => {
    expect(refusal(actor, intent)).toBe(expected);
  });

  it('knows who administers the school', () => {
    expect(([leader, null, 'system', observer, coach] satisfies Actor[]).map((actor) => isAdministrator(actor))).toEqual([true, true, true, false, false]);
  });
});
