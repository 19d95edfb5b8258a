/**
 * The sync rules in the core (src/core/sync): what a change does to a record, who may receive a record, the
 * writer-rule intent built from lookups (the same on a device and on the server), and a record's identity.
 */
import { describe, expect, it } from 'vitest';
import { applyChange } from '../../src/core/sync/apply-change';
import { mayReceive, observationIdOf } from '../../src/core/sync/audience';
import { storeLookups, writeIntent, type IntentLookups } from '../../src/core/sync/write-intent';
import type { RecordKind } from '../../src/core/sync/change';
import type { Instrument } from '../../src/core/instrument/types';
import { identityProblem } from '../../src/core/sync/identity';
import { refusal } from '../../src/core/model/lifecycle';
import type { Feedback, Observation, ObservationRequest, Person, Reflection } from '../../src/core/model/records';

const base = { owner: 'a', createdAt: Date.UTC(2026, 0, 5), updatedAt: Date.UTC(2026, 0, 5) };
const person = (id: string, role: Person['role'] = 'teacher'): Person => ({
  ...base,
  id,
  name: id,
  role,
  starter: false,
});
const observation = (status: Observation['status'], extra: Partial<Observation> = {}): Observation => ({
  ...base,
  id: 'o1',
  instrumentKey: 'x@1.0.0',
  observerId: 'anna',
  observedId: 'bram',
  purpose: 'peer',
  status,
  context: {},
  clock: { elapsedMs: 0 },
  position: {},
  startedAt: base.createdAt,
  ...extra,
});
/** The instrument `x@1.0.0` the observations here use: one rated item `i1` on a 1–4 scale. */
const instrument = {
  id: 'x@1.0.0',
  ...base,
  instrumentId: 'x',
  version: '1.0.0',
  source: 'imported',
  content: {
    format: 2,
    id: 'x',
    version: '1.0.0',
    scales: [{ id: 's', levels: [1, 2, 3, 4].map((value) => ({ value, label: { nl: String(value) } })) }],
    domains: [{ id: 'd', items: [{ id: 'i1', text: { nl: 'i1' }, response: { type: 'rating', scale: 's' } }] }],
    context: [],
    rules: [],
  } as unknown as Instrument,
};

/** Lookups over a few records by id (any kind), with the instrument above. */
function lookupsOver(records: Record<string, object | undefined>, extra: Partial<IntentLookups> = {}): IntentLookups {
  const all: Record<string, object | undefined> = { 'x@1.0.0': instrument, ...records };
  return {
    ...storeLookups({
      get: async (_kind: RecordKind, id: string) => all[id],
      countIn: async () => 0,
      now: () => Date.UTC(2026, 0, 6),
    }),
    person: async (id) => person(id),
    ...extra,
  };
}
const reflection = (shared: boolean): Reflection => ({
  ...base,
  id: 'o1',
  observationId: 'o1',
  teacherId: 'bram',
  text: '',
  ...(shared ? { sharedWithLeaderAt: base.createdAt } : {}),
});

describe('applying a change', () => {
  it('inserts the whole record, patches named fields, removes fields set to null, tombstones', () => {
    const inserted = applyChange(undefined, {
      recordId: 'r1',
      op: 'insert',
      fields: { id: 'r1', text: 'a', itemId: null },
    });
    expect(inserted).toEqual({ id: 'r1', text: 'a' });
    const patched = applyChange(
      { id: 'r1', text: 'a', itemId: 'i1', updatedAt: 1 },
      { recordId: 'r1', op: 'patch', fields: { text: 'b', itemId: null, updatedAt: 2, id: 'other' } },
    );
    expect(patched).toEqual({ id: 'r1', text: 'b', updatedAt: 2 });
    expect(
      applyChange(patched, { recordId: 'r1', op: 'tombstone', fields: { deletedAt: 3, updatedAt: 3 } }),
    ).toMatchObject({ deletedAt: 3, text: 'b' });
  });

  it('lets a tombstone set its times and nothing else: a removal cannot rewrite or revive a record', () => {
    const record = { id: 'r1', observerId: 'anna', text: 'a', updatedAt: 1 };
    const removed = applyChange(record, {
      recordId: 'r1',
      op: 'tombstone',
      fields: { deletedAt: 3, updatedAt: 3, observerId: 'bram', text: null, id: 'r2' },
    });
    expect(removed).toEqual({ id: 'r1', observerId: 'anna', text: 'a', updatedAt: 3, deletedAt: 3 });
  });

  it('judges a tombstone by its times only', async () => {
    const lookups = lookupsOver({});
    const goal = { ...base, id: 'g1', teacherId: 'bram', text: 'x', status: 'open', itemIds: [] };
    expect(
      (await writeIntent('goal', 'tombstone', goal, { ...goal, deletedAt: base.createdAt }, lookups)).content,
    ).toBeUndefined();
    expect((await writeIntent('goal', 'tombstone', goal, goal, lookups)).content).toEqual({
      reason: 'invalid-value',
      field: 'deletedAt',
    });
    expect(
      (await writeIntent('goal', 'tombstone', goal, { ...goal, deletedAt: Date.UTC(9999, 0, 1) }, lookups)).content,
    ).toEqual({ reason: 'implausible-date', field: 'deletedAt' });
  });

  it('has nothing to patch when the record is unknown', () => {
    expect(applyChange(undefined, { recordId: 'r1', op: 'patch', fields: { text: 'b' } })).toBeUndefined();
    expect(applyChange(undefined, { recordId: 'r1', op: 'tombstone', fields: { deletedAt: 3 } })).toBeUndefined();
  });

  it('applying the same change twice gives the same record', () => {
    const change = { recordId: 'r1', op: 'patch' as const, fields: { text: 'b' } };
    const once = applyChange({ id: 'r1', text: 'a' }, change);
    expect(applyChange(once, change)).toEqual(once);
  });
});

describe('who may receive a record', () => {
  const anna = person('anna');
  const bram = person('bram');
  const carla = person('carla');
  const leader = person('lies', 'leader');
  const response = { id: 'r1', observationId: 'o1', itemId: 'i1' };

  it('sends the school frame to everyone', () => {
    for (const kind of ['school', 'team', 'person', 'schoolYear', 'instrument'] as const)
      expect(mayReceive(carla, kind, { id: 'x' }, {})).toBe(true);
  });

  it('sends an observation and what is in it to the observer; to the observed teacher once handed over', () => {
    for (const kind of ['observation', 'response'] as const) {
      const record = kind === 'observation' ? observation('completed') : response;
      expect(mayReceive(anna, kind, record, { observation: observation('draft') })).toBe(true);
      expect(mayReceive(bram, kind, record, { observation: observation('completed') })).toBe(false);
      expect(mayReceive(bram, kind, record, { observation: observation('shared') })).toBe(true);
      expect(mayReceive(carla, kind, record, { observation: observation('shared') })).toBe(false);
    }
    // Without its observation nothing recorded in one goes anywhere.
    expect(mayReceive(anna, 'note', response, {})).toBe(false);
  });

  it('sends a peer observation to a leader only when the teacher shared it', () => {
    expect(
      mayReceive(leader, 'feedback', response, { observation: observation('shared'), reflection: reflection(false) }),
    ).toBe(false);
    expect(
      mayReceive(leader, 'feedback', response, { observation: observation('shared'), reflection: reflection(true) }),
    ).toBe(true);
    expect(mayReceive(leader, 'observation', observation('shared'), { observation: observation('shared') })).toBe(
      false,
    );
  });

  it('sends requests and declines to the three people involved, goals to their teacher', () => {
    const request: ObservationRequest = {
      ...base,
      id: 'q1',
      requesterId: 'bram',
      observedId: 'bram',
      observerId: 'anna',
      purpose: 'peer',
      instrumentKey: 'x@1.0.0',
      context: {},
    };
    expect(mayReceive(anna, 'request', request as never, {})).toBe(true);
    expect(mayReceive(carla, 'request', request as never, {})).toBe(false);
    expect(mayReceive(bram, 'decline', { id: 'd1', requestId: 'q1' }, { request })).toBe(true);
    expect(mayReceive(carla, 'decline', { id: 'd1', requestId: 'q1' }, { request })).toBe(false);
    expect(mayReceive(bram, 'decline', { id: 'd1', requestId: 'q2' }, { request })).toBe(false);
    expect(mayReceive(bram, 'goal', { id: 'g1', teacherId: 'bram' }, {})).toBe(true);
    expect(mayReceive(leader, 'goal', { id: 'g1', teacherId: 'bram' }, {})).toBe(false);
  });

  it('sends an instrument draft to its owner only (their other devices), never to another leader', () => {
    const draft = { id: 'd1', owner: 'lies', content: {} };
    expect(mayReceive(leader, 'instrumentDraft', draft, {})).toBe(true);
    expect(mayReceive(person('ruud', 'leader'), 'instrumentDraft', draft, {})).toBe(false);
    expect(mayReceive(anna, 'instrumentDraft', draft, {})).toBe(false);
    expect(mayReceive(anna, 'instrumentDraft', { id: 'd2' }, {})).toBe(false);
  });

  it('knows which observation a record belongs to', () => {
    expect(observationIdOf('observation', { id: 'o1' })).toBe('o1');
    expect(observationIdOf('note', { id: 'n1', observationId: 'o1' })).toBe('o1');
    expect(observationIdOf('goal', { id: 'g1', observationId: 'o1' })).toBeUndefined();
  });
});

describe('the writer-rule intent from lookups', () => {
  const store = { observation: observation('completed'), feedback: undefined as Feedback | undefined };
  const lookups = lookupsOver(
    {},
    { observation: async (id) => (id === 'o1' ? store.observation : undefined), feedback: async () => store.feedback },
  );

  it('refuses a response by anyone but the observer, and to an observation it does not know', async () => {
    const intent = await writeIntent('response', 'patch', response(), response(), lookups);
    expect(refusal(person('anna'), intent)).toBeUndefined();
    expect(refusal(person('bram'), intent)).toBe('not-observer');
    const orphan = await writeIntent(
      'response',
      'insert',
      undefined,
      { ...response(), id: 'nope:i1', observationId: 'nope' },
      lookups,
    );
    expect(refusal(person('anna'), orphan)).toBe('unknown-observation');
  });

  it('looks up the feedback only when handing over, and refuses a hand-over without a top and a tip', async () => {
    const intent = await writeIntent('observation', 'patch', observation('completed'), observation('shared'), lookups);
    expect(refusal(person('anna'), intent)).toBe('feedback-incomplete');
  });

  it('judges an instrument draft by its owner, before and after', async () => {
    const draft = { ...base, id: 'd1', owner: 'lies', content: {} as never };
    expect(
      refusal(person('lies', 'leader'), await writeIntent('instrumentDraft', 'insert', undefined, draft, lookups)),
    ).toBeUndefined();
    // Handing a draft to someone else moves it: no record changes owner.
    expect(
      refusal(
        person('lies', 'leader'),
        await writeIntent('instrumentDraft', 'patch', draft, { ...draft, owner: 'ruud' }, lookups),
      ),
    ).toBe('moved-record');
    expect(
      refusal(person('ruud', 'leader'), await writeIntent('instrumentDraft', 'patch', draft, draft, lookups)),
    ).toBe('not-owner');
  });

  function response() {
    return { ...base, id: 'o1:i1', observationId: 'o1', itemId: 'i1', lookFors: [] };
  }
});

describe("a record's identity (src/core/sync/identity.ts)", () => {
  const anna = person('anna');
  const bram = person('bram');
  const own = observation('draft', { id: 'own', observerId: 'bram', observedId: 'anna' });
  const handedOver = observation('shared');
  const lookups = lookupsOver({ o1: handedOver, own }, { person: async (id) => ({ anna, bram })[id] });
  const response = (extra: Record<string, unknown> = {}) => ({
    ...base,
    id: 'o1:i1',
    observationId: 'o1',
    itemId: 'i1',
    rating: 3,
    lookFors: [],
    ...extra,
  });

  it('gives responses, feedback and reflections the ids their fields give', () => {
    expect(identityProblem('response', undefined, response())).toBeUndefined();
    expect(identityProblem('response', undefined, response({ id: 'o1:i1#2', cycle: 2 }))).toBeUndefined();
    expect(identityProblem('response', undefined, response({ id: 'o1:i2' }))).toBe('wrong-id');
    expect(identityProblem('response', undefined, response({ cycle: 2 }))).toBe('wrong-id');
    expect(
      identityProblem('feedback', undefined, { ...base, id: 'o2', observationId: 'o1', points: [], nextStep: '' }),
    ).toBe('wrong-id');
    expect(identityProblem('reflection', undefined, { ...reflection(false), id: 'o6' })).toBe('wrong-id');
    // A note's or an amendment's id is its own.
    expect(
      identityProblem('note', undefined, { ...base, id: 'n1', observationId: 'o1', text: 'x', lessonMs: 0 }),
    ).toBeUndefined();
  });

  it('never lets a record change observation, item, repetition, teacher, request, observer or owner', () => {
    const note = { ...base, id: 'n1', observationId: 'o1', text: 'x', lessonMs: 0 };
    expect(identityProblem('note', note, { ...note, text: 'y' })).toBeUndefined();
    expect(identityProblem('note', note, { ...note, observationId: 'own' })).toBe('moved-record');
    expect(identityProblem('response', response(), response({ observationId: 'own' }))).toBe('wrong-id');
    expect(identityProblem('reflection', reflection(false), { ...reflection(false), teacherId: 'anna' })).toBe(
      'moved-record',
    );
    expect(
      identityProblem(
        'decline',
        { ...base, id: 'd1', requestId: 'q1', observerId: 'anna', reason: '' },
        { ...base, id: 'd1', requestId: 'q2', observerId: 'anna', reason: '' },
      ),
    ).toBe('moved-record');
    expect(
      identityProblem(
        'goal',
        { ...base, id: 'g1', teacherId: 'bram', text: 'x', status: 'open', itemIds: [] },
        { ...base, id: 'g1', teacherId: 'anna', text: 'x', status: 'open', itemIds: [] },
      ),
    ).toBe('moved-record');
    // A request keeps who asked, whose lesson and who is asked: another colleague is a new request (and a new visit).
    const request = {
      ...base,
      id: 'q1',
      requesterId: 'bram',
      observedId: 'bram',
      observerId: 'anna',
      purpose: 'peer',
      instrumentKey: 'x@1',
      context: {},
    };
    expect(identityProblem('request', request, { ...request, plannedOn: '2026-12-10' })).toBeUndefined();
    for (const field of ['requesterId', 'observedId', 'observerId'])
      expect(identityProblem('request', request, { ...request, [field]: 'carla' }), field).toBe('moved-record');
    // Nor who made it, whatever its kind.
    expect(identityProblem('response', response({ owner: 'anna' }), response({ owner: 'bram' }))).toBe('moved-record');
    expect(
      identityProblem(
        'team',
        { ...base, id: 't1', owner: 'lies', name: 'A' },
        { ...base, id: 't1', owner: 'ruud', name: 'A' },
      ),
    ).toBe('moved-record');
  });

  it('refuses moving a handed-over rating to an observation of the one who moves it, whoever writes it', async () => {
    // Bram, the observed teacher, observes Anna in `own`: he writes there, but the rating Anna handed over stays hers.
    const moved = { ...response(), observationId: 'own', rating: 1 };
    const intent = await writeIntent('response', 'patch', response(), moved, lookups);
    expect(refusal(bram, intent)).toBe('wrong-id');
    const note = { ...base, id: 'n1', observationId: 'o1', text: 'x', lessonMs: 0 };
    expect(refusal(bram, await writeIntent('note', 'patch', note, { ...note, observationId: 'own' }, lookups))).toBe(
      'moved-record',
    );
    // The same change within its own observation is judged as before: handed over, so nobody changes it.
    expect(refusal(anna, await writeIntent('response', 'patch', response(), response({ rating: 1 }), lookups))).toBe(
      'handed-over',
    );
  });

  it("refuses a reflection under another observation's id, so an observer cannot share a colleague's lesson", async () => {
    // Anna observed Bram in o1; she is the observed teacher in `mine`, and writes a reflection with id o1 there.
    const mine = observation('shared', { id: 'mine', observerId: 'bram', observedId: 'anna' });
    const withMine: IntentLookups = { ...lookups, observation: async (id) => ({ o1: handedOver, mine })[id] };
    const forged: Reflection = {
      ...base,
      id: 'o1',
      observationId: 'mine',
      teacherId: 'anna',
      text: '',
      sharedWithLeaderAt: base.createdAt,
    };
    expect(refusal(anna, await writeIntent('reflection', 'insert', undefined, forged, withMine))).toBe('wrong-id');
    expect(
      refusal(anna, await writeIntent('reflection', 'insert', undefined, { ...forged, id: 'mine' }, withMine)),
    ).toBeUndefined();
  });
});
