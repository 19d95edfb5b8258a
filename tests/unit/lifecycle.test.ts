import { describe, expect, it } from 'vitest';
import {
  isAdministrator,
  refusal,
  type Actor,
  type RefusalReason,
  type WriteIntent,
} from '../../src/core/model/lifecycle';
import type {
  InstalledInstrument,
  Observation,
  ObservationStatus,
  Person,
  Purpose,
} from '../../src/core/model/records';
import type { Instrument } from '../../src/core/instrument';
import sevenPoint from '../fixtures/formats/seven-point-reverse.json';

const leader: Actor = { id: 'leader', role: 'leader' };
const observer: Actor = { id: 'observer', role: 'teacher' };
const observed: Actor = { id: 'observed', role: 'teacher' };
const coach: Actor = { id: 'coach', role: 'coach' };

const observation = (
  status: ObservationStatus,
  purpose: Purpose = 'peer',
): Pick<Observation, 'observerId' | 'observedId' | 'status' | 'purpose'> => ({
  observerId: 'observer',
  observedId: purpose === 'self' ? 'observer' : 'observed',
  status,
  purpose,
});
const top = { id: 't', kind: 'top' as const, text: 'Rustige start' };
const tip = { id: 'p', kind: 'tip' as const, text: 'Noem het lesdoel' };
const request = (requesterId: string, observedId: string) => ({ requesterId, observedId });
const person = (id: string, extra: Partial<Person> = {}): Person => ({
  id,
  owner: null,
  createdAt: 1,
  updatedAt: 1,
  name: 'Anna',
  role: 'teacher',
  starter: false,
  ...extra,
});

type Row = [string, Actor, WriteIntent, RefusalReason | undefined];

const rows: Row[] = [
  // School records: administrators (a leader, nobody during set-up, the app itself).
  ['a leader adds a team', leader, { kind: 'team', op: 'insert' }, undefined],
  ['set-up (nobody chosen) adds a team', null, { kind: 'team', op: 'insert' }, undefined],
  ['a teacher adds a team', observer, { kind: 'team', op: 'insert' }, 'not-administrator'],
  [
    'a teacher adds a colleague',
    observer,
    { kind: 'person', op: 'insert', before: undefined, after: person('x') },
    'not-administrator',
  ],
  [
    'a teacher changes their own focus question',
    observed,
    {
      kind: 'person',
      op: 'patch',
      before: person('observed'),
      after: person('observed', { focusQuestion: 'Beurten?' }),
    },
    undefined,
  ],
  [
    'a teacher makes themselves a leader',
    observed,
    { kind: 'person', op: 'patch', before: person('observed'), after: person('observed', { role: 'leader' }) },
    'not-administrator',
  ],
  [
    "a teacher changes a colleague's focus question",
    observer,
    { kind: 'person', op: 'patch', before: person('observed'), after: person('observed', { focusQuestion: 'x' }) },
    'not-administrator',
  ],
  // Observations: the observer, and the lifecycle.
  [
    'the observer starts a draft',
    observer,
    { kind: 'observation', op: 'insert', after: observation('draft') },
    undefined,
  ],
  [
    'someone starts an observation in another observer’s name',
    observed,
    { kind: 'observation', op: 'insert', after: observation('draft') },
    'not-observer',
  ],
  [
    'the observer starts one that is already completed',
    observer,
    { kind: 'observation', op: 'insert', after: observation('completed') },
    'not-a-draft',
  ],
  [
    'the observer completes a draft',
    observer,
    { kind: 'observation', op: 'patch', before: observation('draft'), after: observation('completed') },
    undefined,
  ],
  [
    'the observed teacher completes it',
    observed,
    { kind: 'observation', op: 'patch', before: observation('draft'), after: observation('completed') },
    'not-observer',
  ],
  [
    'a completed observation back to draft',
    observer,
    { kind: 'observation', op: 'patch', before: observation('completed'), after: observation('draft') },
    'no-status-change',
  ],
  [
    'a draft straight to shared',
    observer,
    { kind: 'observation', op: 'patch', before: observation('draft'), after: observation('shared') },
    'not-completed',
  ],
  [
    'the observer hands the observation to someone else',
    observer,
    {
      kind: 'observation',
      op: 'patch',
      before: observation('draft'),
      after: { observerId: 'observed', status: 'draft' },
    },
    'not-observer',
  ],
  [
    'the observer throws a draft away',
    observer,
    { kind: 'observation', op: 'tombstone', before: observation('draft') },
    undefined,
  ],
  [
    'the observer throws a completed one away',
    observer,
    { kind: 'observation', op: 'tombstone', before: observation('completed') },
    'not-a-draft',
  ],
  // What is recorded in it: only the observer, also after completion (as amendments).
  [
    'the observer rates during the lesson',
    observer,
    { kind: 'response', op: 'patch', observation: observation('draft') },
    undefined,
  ],
  [
    'the observer amends after completion',
    observer,
    { kind: 'response', op: 'patch', observation: observation('completed') },
    undefined,
  ],
  [
    'the observer changes a rating after handing it over',
    observer,
    { kind: 'response', op: 'patch', observation: observation('shared') },
    'handed-over',
  ],
  [
    'the observer adds a note after handing it over',
    observer,
    { kind: 'note', op: 'insert', observation: observation('shared') },
    'handed-over',
  ],
  [
    'the observer points an observation at another teacher',
    observer,
    {
      kind: 'observation',
      op: 'patch',
      before: observation('completed'),
      after: { ...observation('completed'), observedId: 'someone' },
    },
    'fixed-field',
  ],
  [
    'the observer turns a peer observation into a classroom visit',
    observer,
    { kind: 'observation', op: 'patch', before: observation('draft'), after: observation('draft', 'leader') },
    'fixed-field',
  ],
  [
    'the observed teacher changes a rating',
    observed,
    { kind: 'response', op: 'patch', observation: observation('completed') },
    'not-observer',
  ],
  [
    'a leader changes a note',
    leader,
    { kind: 'note', op: 'patch', observation: observation('shared') },
    'not-observer',
  ],
  [
    'an amendment on a draft',
    observer,
    { kind: 'amendment', op: 'insert', observation: observation('draft') },
    'not-completed',
  ],
  [
    'a response for an unknown observation',
    observer,
    { kind: 'response', op: 'insert', observation: undefined },
    'unknown-observation',
  ],
  // Feedback: the observer, until it is handed over; handing over needs a top and a tip.
  [
    'the observer writes feedback after the lesson',
    observer,
    { kind: 'feedback', op: 'patch', observation: observation('completed') },
    undefined,
  ],
  [
    'the observer jots a top during the lesson',
    observer,
    { kind: 'feedback', op: 'insert', observation: observation('draft') },
    undefined,
  ],
  [
    'the observed teacher edits the feedback',
    observed,
    { kind: 'feedback', op: 'patch', observation: observation('completed') },
    'not-observer',
  ],
  [
    'the observer changes feedback already handed over',
    observer,
    { kind: 'feedback', op: 'patch', observation: observation('shared') },
    'handed-over',
  ],
  [
    'the observer hands over with a top and a tip',
    observer,
    {
      kind: 'observation',
      op: 'patch',
      before: observation('completed'),
      after: observation('shared'),
      feedback: { points: [top, tip] },
    },
    undefined,
  ],
  [
    'the observer hands over with only a top',
    observer,
    {
      kind: 'observation',
      op: 'patch',
      before: observation('completed'),
      after: observation('shared'),
      feedback: { points: [top] },
    },
    'feedback-incomplete',
  ],
  [
    'the observer hands over without feedback',
    observer,
    { kind: 'observation', op: 'patch', before: observation('completed'), after: observation('shared') },
    'feedback-incomplete',
  ],
  [
    'a tip of only spaces does not count',
    observer,
    {
      kind: 'observation',
      op: 'patch',
      before: observation('completed'),
      after: observation('shared'),
      feedback: { points: [top, { ...tip, text: '  ' }] },
    },
    'feedback-incomplete',
  ],
  [
    'a self-assessment is handed over',
    observer,
    {
      kind: 'observation',
      op: 'patch',
      before: observation('completed', 'self'),
      after: observation('shared', 'self'),
      feedback: { points: [top, tip] },
    },
    'no-status-change',
  ],
  [
    'the observed teacher hands it over',
    observed,
    {
      kind: 'observation',
      op: 'patch',
      before: observation('completed'),
      after: observation('shared'),
      feedback: { points: [top, tip] },
    },
    'not-observer',
  ],
  [
    'a handed-over observation goes back',
    observer,
    { kind: 'observation', op: 'patch', before: observation('shared'), after: observation('completed') },
    'handed-over',
  ],
  [
    'the observer changes the context of a handed-over observation',
    observer,
    {
      kind: 'observation',
      op: 'patch',
      before: { ...observation('shared'), context: { groep: '5' } },
      after: { ...observation('shared'), context: { groep: '6' } },
    } as WriteIntent,
    'handed-over',
  ],
  [
    'a handed-over observation sent back with its keys in another order',
    observer,
    {
      kind: 'observation',
      op: 'patch',
      before: { ...observation('shared'), context: { groep: '5', vak: 'rekenen' } },
      after: { ...observation('shared'), context: { vak: 'rekenen', groep: '5' } },
    } as WriteIntent,
    undefined,
  ],
  [
    'the app stores a new summary of a handed-over observation',
    observer,
    {
      kind: 'observation',
      op: 'patch',
      before: { ...observation('shared'), updatedAt: 1 },
      after: { ...observation('shared'), updatedAt: 2, summary: {} },
    } as WriteIntent,
    undefined,
  ],
  [
    'the observer changes the context of a completed observation',
    observer,
    {
      kind: 'observation',
      op: 'patch',
      before: { ...observation('completed'), context: { groep: '5' } },
      after: { ...observation('completed'), context: { groep: '6' } },
    } as WriteIntent,
    undefined,
  ],
  // The teacher's side: reflection (read, discussed, shared with the leadership), after it was handed over.
  [
    'the observed teacher reflects on feedback handed over',
    observed,
    { kind: 'reflection', op: 'insert', observation: observation('shared'), after: { teacherId: 'observed' } },
    undefined,
  ],
  [
    'the observed teacher reflects before it is handed over',
    observed,
    { kind: 'reflection', op: 'insert', observation: observation('completed'), after: { teacherId: 'observed' } },
    'not-handed-over',
  ],
  [
    'the observer writes the teacher’s reflection',
    observer,
    { kind: 'reflection', op: 'patch', observation: observation('shared'), after: { teacherId: 'observed' } },
    'not-observed-teacher',
  ],
  [
    'a leader marks it discussed',
    leader,
    { kind: 'reflection', op: 'patch', observation: observation('shared'), after: { teacherId: 'observed' } },
    'not-observed-teacher',
  ],
  [
    'the observed teacher writes a reflection in another’s name',
    observed,
    { kind: 'reflection', op: 'insert', observation: observation('shared'), after: { teacherId: 'observer' } },
    'not-observed-teacher',
  ],
  // Requests: the teacher who asks (or a coach for a starter); the observer declines.
  [
    'a teacher asks for an observation of their own lesson',
    observed,
    { kind: 'request', op: 'insert', before: undefined, after: request('observed', 'observed') },
    undefined,
  ],
  [
    'a teacher asks in a colleague’s name',
    observer,
    { kind: 'request', op: 'insert', before: undefined, after: request('observed', 'observed') },
    'not-requester',
  ],
  [
    'a teacher asks for an observation of a colleague’s lesson',
    observer,
    { kind: 'request', op: 'insert', before: undefined, after: request('observer', 'observed') },
    'not-requester',
  ],
  [
    'a coach asks for an observation of a starter',
    coach,
    {
      kind: 'request',
      op: 'insert',
      before: undefined,
      after: request('coach', 'observed'),
      observed: { id: 'observed', starter: true, coachId: 'coach' },
    },
    undefined,
  ],
  [
    'a coach asks for an observation of a starter someone else coaches',
    coach,
    {
      kind: 'request',
      op: 'insert',
      before: undefined,
      after: request('coach', 'observed'),
      observed: { id: 'observed', starter: true, coachId: 'another-coach' },
    },
    'not-requester',
  ],
  [
    'a coach asks for an observation of a starter nobody was made coach of',
    coach,
    {
      kind: 'request',
      op: 'insert',
      before: undefined,
      after: request('coach', 'observed'),
      observed: { id: 'observed', starter: true },
    },
    'not-requester',
  ],
  [
    'a coach asks for an observation of an experienced teacher',
    coach,
    {
      kind: 'request',
      op: 'insert',
      before: undefined,
      after: request('coach', 'observed'),
      observed: { id: 'observed', starter: false, coachId: 'coach' },
    },
    'not-requester',
  ],
  [
    'a teacher asks for an observation of a starter as if they were the coach',
    observer,
    {
      kind: 'request',
      op: 'insert',
      before: undefined,
      after: request('observer', 'observed'),
      observed: { id: 'observed', starter: true, coachId: 'observer' },
    },
    'not-requester',
  ],
  [
    'the one who asked withdraws it',
    observed,
    { kind: 'request', op: 'patch', before: request('observed', 'observed'), after: request('observed', 'observed') },
    undefined,
  ],
  [
    'a request changes hands',
    observed,
    { kind: 'request', op: 'patch', before: request('observer', 'observer'), after: request('observed', 'observed') },
    'not-requester',
  ],
  [
    'the asked observer declines',
    observer,
    { kind: 'decline', op: 'insert', request: { observerId: 'observer' }, after: { observerId: 'observer' } },
    undefined,
  ],
  [
    'someone else declines for the observer',
    observed,
    { kind: 'decline', op: 'insert', request: { observerId: 'observer' }, after: { observerId: 'observed' } },
    'not-observer',
  ],
  [
    'a decline of an unknown request',
    observer,
    { kind: 'decline', op: 'insert', request: undefined, after: { observerId: 'observer' } },
    'unknown-request',
  ],
  // Goals: the teacher's own.
  [
    'a teacher sets a goal',
    observed,
    { kind: 'goal', op: 'insert', before: undefined, after: { teacherId: 'observed' } },
    undefined,
  ],
  [
    'a leader sets a teacher’s goal',
    leader,
    { kind: 'goal', op: 'insert', before: undefined, after: { teacherId: 'observed' } },
    'not-own-goal',
  ],
  [
    'a teacher takes over a colleague’s goal',
    observed,
    { kind: 'goal', op: 'patch', before: { teacherId: 'observer' }, after: { teacherId: 'observed' } },
    'not-own-goal',
  ],
  // Instrument drafts: an administrator starts one as its owner; only the owner writes it.
  [
    'a leader starts an instrument draft',
    leader,
    { kind: 'instrumentDraft', op: 'insert', before: undefined, after: { owner: 'leader' } },
    undefined,
  ],
  [
    'a teacher starts an instrument draft',
    observer,
    { kind: 'instrumentDraft', op: 'insert', before: undefined, after: { owner: 'observer' } },
    'not-administrator',
  ],
  [
    'a leader starts a draft in a colleague’s name',
    leader,
    { kind: 'instrumentDraft', op: 'insert', before: undefined, after: { owner: 'observer' } },
    'not-owner',
  ],
  [
    'set-up (nobody chosen) starts a draft',
    null,
    { kind: 'instrumentDraft', op: 'insert', before: undefined, after: { owner: 'leader' } },
    'not-owner',
  ],
  [
    'the owner types in their draft',
    leader,
    { kind: 'instrumentDraft', op: 'patch', before: { owner: 'leader' }, after: { owner: 'leader' } },
    undefined,
  ],
  [
    'another leader types in someone’s draft',
    { id: 'leader-2', role: 'leader' },
    { kind: 'instrumentDraft', op: 'patch', before: { owner: 'leader' }, after: { owner: 'leader' } },
    'not-owner',
  ],
  [
    'a draft changes hands',
    leader,
    { kind: 'instrumentDraft', op: 'patch', before: { owner: 'observer' }, after: { owner: 'leader' } },
    'not-owner',
  ],
  [
    'a former leader throws their own draft away',
    observer,
    { kind: 'instrumentDraft', op: 'tombstone', before: { owner: 'observer' }, after: { owner: 'observer' } },
    undefined,
  ],
];

describe('one writer per record, and the lifecycle', () => {
  it.each(rows)('%s', (_, actor, intent, expected) => {
    expect(refusal(actor, intent)).toBe(expected);
  });

  it('knows who administers the school', () => {
    expect(
      ([leader, null, 'system', observer, coach] satisfies Actor[]).map((actor) => isAdministrator(actor)),
    ).toEqual([true, true, true, false, false]);
  });
});

describe('installed instruments: administrators install valid versions, which never change and are never deleted', () => {
  const content = sevenPoint as unknown as Instrument;
  const version = (extra: Partial<InstalledInstrument> = {}): InstalledInstrument => ({
    id: `${content.id}@${content.version}`,
    owner: null,
    createdAt: 1,
    updatedAt: 1,
    instrumentId: content.id,
    version: content.version,
    content,
    source: 'imported',
    ...extra,
  });
  const install = (after: InstalledInstrument, contentValid = true): WriteIntent => ({
    kind: 'instrument',
    op: 'insert',
    before: undefined,
    after,
    contentValid,
  });
  const patch = (after: InstalledInstrument): WriteIntent => ({
    kind: 'instrument',
    op: 'patch',
    before: version(),
    after,
    contentValid: true,
  });

  const instrumentRows: Row[] = [
    ['a leader installs a valid instrument', leader, install(version()), undefined],
    ['set-up (nobody chosen) installs one', null, install(version()), undefined],
    ['the app installs a shipped one', 'system', install(version({ source: 'shipped' })), undefined],
    ['a coach installs one', coach, install(version()), 'not-administrator'],
    ['a teacher installs one', observer, install(version()), 'not-administrator'],
    ['a leader installs content the validator refuses', leader, install(version(), false), 'invalid-instrument'],
    [
      'the key is not the content’s id and version',
      leader,
      install(version({ id: 'other@1.0.0' })),
      'invalid-instrument',
    ],
    ['the version field is not the content’s', leader, install(version({ version: '2.0.0' })), 'invalid-instrument'],
    [
      'the instrument id is not the content’s',
      leader,
      install(version({ instrumentId: 'other' })),
      'invalid-instrument',
    ],
    [
      'an unknown source',
      leader,
      install(version({ source: 'borrowed' as InstalledInstrument['source'] })),
      'invalid-instrument',
    ],
    ['a leader retires it', leader, patch(version({ retiredAt: 5, updatedAt: 5 })), undefined],
    [
      'a leader uses it again',
      leader,
      {
        kind: 'instrument',
        op: 'patch',
        before: version({ retiredAt: 5 }),
        after: version({ updatedAt: 6 }),
        contentValid: true,
      },
      undefined,
    ],
    ['a teacher retires it', observer, patch(version({ retiredAt: 5 })), 'not-administrator'],
    [
      'a leader changes an installed version’s text',
      leader,
      patch(version({ content: { ...content, title: { en: 'Changed' } } })),
      'fixed-field',
    ],
    ['a leader changes its version number', leader, patch(version({ version: '1.0.1' })), 'fixed-field'],
    ['a leader turns a shipped one into an imported one', leader, patch(version({ source: 'shipped' })), 'fixed-field'],
    ['a leader deletes it through a patch', leader, patch(version({ deletedAt: 5 })), 'fixed-field'],
    [
      'a leader deletes an installed version',
      leader,
      { kind: 'instrument', op: 'tombstone', before: version(), after: version(), contentValid: true },
      'instrument-kept',
    ],
    // The same version with the same content installed on a second tablet before they synced is the same install.
    ['the same install from a second tablet', leader, patch(version({ createdAt: 9, updatedAt: 9 })), undefined],
    [
      'the same content with its keys in another order',
      leader,
      patch(version({ content: Object.fromEntries(Object.entries(content).reverse()) as unknown as Instrument })),
      undefined,
    ],
  ];

  it.each(instrumentRows)('%s', (_, actor, intent, expected) => {
    expect(refusal(actor, intent)).toBe(expected);
  });
});
