/**
 * Hostile clients as a property (fast-check). Six people of one school, each signed in with real sessions — two
 * teachers who observe (T1, T2), the teacher they observe most (T3, a starter), a coach (C), a school leader (L) and
 * a teacher who is not involved (X) — push random sequences of changes through the real server (`POST
 * /api/sync/push`, `GET /api/sync/pull`, driven with `inject()`):
 * - honest steps, so the school gets interesting: observing with valid ratings, notes, completing, handing over,
 *   reflecting, sharing with the leadership and taking it back, requests, declines, goals, instrument drafts;
 * - any change at all: an insert, patch or tombstone of every record kind, by anyone or by the record's own writer,
 *   under an id taken from any record (another observation's, `<observation>:<item>` of someone else's rating, a
 *   new one), with fields that borrow references (observation, teacher, observer, request, goal, owner) from records
 *   the person may not touch and values of every sort (valid and invalid, nulls that remove a field), from a device
 *   that may claim to be someone else or the app itself;
 * - moves: the observer, the observed teacher or an outsider writes a record of an observation (a rating, feedback,
 *   a reflection, …) so that it points at an observation of their own, with a new value;
 * - borrowed ids: they insert a response, feedback or reflection under an observation's id pointing at one of their
 *   own observations (a reflection shared with the leadership).
 *
 * After every step the test reads the server's `records` table and checks, with its own bookkeeping:
 * 1. identity: no record changes observation, item, teacher, observer, request or owner (the values first stored
 *    under an id are kept by the test and compared), and a response's, feedback's and reflection's id is the one its
 *    fields give (`<observation>:<item>`, `#<repetition>` in a repeated section; the observation's id);
 * 2. received: nothing anyone pulls — on their own tablet since its last pull, and on a new tablet everything since
 *   the school's frame — and no copy sent back with a refusal is a record `mayReceive` forbids them at that moment,
 *   decided from the server's records, each with its observation, observer, observed teacher and teacher as first
 *   stored (an observation is shared with the leadership by its observed teacher's own reflection);
 * 3. handed over: once an observation is handed over (status `shared`), its responses and feedback stay exactly as
 *    they were at that moment (none changes, moves out, is removed or added), and it stays handed over;
 * 4. content: every stored record passes the content check (a tombstoned one without its `deletedAt`).
 *
 * Each invariant is a property of its own, over the same kind of sequences, so a failure of one shrinks to its own
 * smallest counterexample. The failure message replays the shrunk run: every change sent and the server's answer.
 * fast-check prints its seed and path; pass them to `fc.assert` (`{ seed, path, endOnFailure: true }`) to rerun it.
 *
 * Through HTTP rather than `pushChanges`/`pullChanges`: the session decides who pushes and pulls, as for a real
 * device, and that costs only a few milliseconds a step. Every run starts from an empty database with the same
 * school, its shipped instruments and fresh sessions.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { forEachDatabase, emptyTables, migratedDatabase, seedSchool } from './support/databases';
import { bearer, testServer, type TestServer } from './support/server';
import { createSession } from '../../src/server/accounts/sessions';
import { shippedInstruments } from '../../src/server/sync/shipped-instruments';
import { mayReceive, type AudienceContext } from '../../src/core/sync/audience';
import { contentProblem } from '../../src/core/sync/content';
import { storeLookups } from '../../src/core/sync/write-intent';
import { RECORD_KINDS, type ChangeOp, type OutboxChange, type RecordKind } from '../../src/core/sync/change';
import type { PullResponse, PushResponse, PushResult, SyncRecord } from '../../src/core/sync/protocol';
import type { Instrument } from '../../src/core/instrument/types';
import type { Observation, ObservationRequest, Person, Reflection } from '../../src/core/model/records';

/** The test server's clock (support/server.ts): records are made at this time. */
const AT = Date.UTC(2026, 8, 1, 8);
const SCHOOL = 'school-h';
const INSTRUMENT = 'meekijken.lesobservatie@1.1.0';

const PEOPLE: Person[] = (
  [
    ['T1', 'Anna', 'teacher', false],
    ['T2', 'Bram', 'teacher', false],
    ['T3', 'Carla', 'teacher', true],
    ['C', 'Coen', 'coach', false],
    ['L', 'Lies', 'leader', false],
    ['X', 'Xander', 'teacher', false],
  ] as const
).map(([id, name, role, starter]) => ({ id, owner: id, createdAt: AT, updatedAt: AT, name, role, starter }));
const [T1, T2, T3, C, L, X] = [0, 1, 2, 3, 4, 5];

/** Items of the instrument: rated ones, a yes/no item, and one it does not have. */
const RATED = ['lk-respect', 'lk-contact', 'km-start'];
const ITEMS = [...RATED, 'df-subgroep', 'no-such-item'];
const RATINGS: unknown[] = [1, 2, 3, 4, 'not-observed', 99, 'hoog'];
const TOP_TIP = [
  { id: 'p1', kind: 'top', text: 'Heldere uitleg' },
  { id: 'p2', kind: 'tip', text: 'Meer wachttijd' },
];

// ---------------------------------------------------------------------------------------------------------------
// The steps a sequence is made of

type Who = number;
type Target =
  { from: 'kind' | 'observation' | 'any' | 'fresh'; n: number } | { from: 'response'; n: number; item: number };
interface Hostile {
  do: 'hostile';
  /**
   * Who pushes: `by`, or whoever writes the target record, or the observer or the observed teacher of the
   * observation it is in.
   */
  as: 'anyone' | 'writer' | 'observer' | 'observed';
  by: Who;
  kind: RecordKind;
  op: ChangeOp;
  target: Target;
  /** Fields set (by an insert over its template, by a patch, or along with a tombstone); `n` picks the value. */
  set: Array<{ field: string; n: number }>;
  /** Picks the template's references of an insert. */
  base: number;
  /** Who the device says made the change (the server must not care, except for what the app itself installs). */
  actor: 'self' | 'other' | 'system';
}
/**
 * An honest step on a record that exists (`pick` chooses which) is made by the person who may: the observer rates,
 * notes, completes and hands over; the observed teacher reflects and shares; the observer of a request declines.
 */
type Honest =
  | { do: 'observe'; by: Who; observed: Who; ratings: Array<{ item: number; rating: number }> }
  | { do: 'rate'; pick: number; item: number; rating: number }
  | { do: 'note'; pick: number }
  | { do: 'complete'; pick: number }
  | { do: 'handOver'; pick: number }
  | { do: 'reflect'; pick: number; share: boolean }
  | { do: 'share'; pick: number; on: boolean }
  | { do: 'request'; by: Who; observer: Who }
  | { do: 'decline'; pick: number }
  | { do: 'goal'; by: Who; pick: number }
  | { do: 'draft'; by: Who };
/** Who moves or borrows: the observer of the observation the record is in, the teacher it is about, or an outsider. */
type Involved = 'observer' | 'observed' | 'outsider';
/** Where a moved or borrowed record is pointed: an observation its pusher observes, or one about their lesson. */
type Destination = { to: 'observer' | 'observed'; n: number };
/**
 * Someone (`as`) writes one of the records of an observation (a patch, or an insert over its id) so that it points at
 * another observation, one they observe or one about their lesson (`to`), with a new value.
 */
interface Move extends Destination {
  do: 'move';
  kind: 'response' | 'note' | 'amendment' | 'feedback' | 'reflection';
  /** Picks the record among those of handed-over observations (when there are any), or among all. */
  handedOver: boolean;
  pick: number;
  as: Involved;
  op: 'patch' | 'insert';
  value: number;
}
/**
 * Someone (`as`) inserts a response, feedback or reflection under an observation's id (or `<observation>:<item>`),
 * pointing at another observation, one they observe or one about their lesson (`to`); a reflection shared with the
 * leadership.
 */
interface Borrow extends Destination {
  do: 'borrow';
  kind: 'response' | 'feedback' | 'reflection';
  /** Picks the observation among the handed-over ones (when there are any), or among all. */
  handedOver: boolean;
  pick: number;
  item: number;
  as: Involved;
}
type Step = Honest | Hostile | Move | Borrow;

/** The fields a hostile change sets, per kind: the references first, then values that matter to the rules. */
const HOSTILE_FIELDS: Record<RecordKind, readonly string[]> = {
  observation: [
    'observerId',
    'observedId',
    'owner',
    'status',
    'purpose',
    'requestId',
    'aboutObservationId',
    'handedOverAt',
    'instrumentKey',
  ],
  response: ['observationId', 'itemId', 'cycle', 'owner', 'rating', 'lookFors', 'evidence'],
  note: ['observationId', 'owner', 'text', 'itemId'],
  amendment: ['observationId', 'owner', 'itemId', 'after'],
  feedback: ['observationId', 'owner', 'points', 'nextStep'],
  reflection: ['observationId', 'teacherId', 'owner', 'sharedWithLeaderAt', 'text', 'goalId'],
  request: ['requesterId', 'observedId', 'observerId', 'owner', 'withdrawnAt', 'purpose'],
  decline: ['requestId', 'observerId', 'owner', 'reason'],
  goal: ['teacherId', 'observationId', 'owner', 'text', 'status'],
  instrumentDraft: ['owner', 'content'],
  person: ['role', 'archivedAt', 'name', 'starter', 'owner', 'email'],
  team: ['name', 'owner'],
  school: ['name', 'demo', 'dueAfterDays'],
  schoolYear: ['name', 'startsOn'],
  instrument: ['retiredAt', 'source', 'content'],
};
/** How often each kind is the subject of a hostile change: mostly what is recorded in observations. */
const KIND_WEIGHT: Record<RecordKind, number> = {
  observation: 4,
  response: 5,
  note: 1,
  amendment: 1,
  feedback: 4,
  reflection: 6,
  request: 2,
  decline: 1,
  goal: 1,
  instrumentDraft: 1,
  person: 2,
  team: 1,
  school: 1,
  schoolYear: 1,
  instrument: 1,
};

const who = fc.nat(PEOPLE.length - 1);
/** Who observes: mostly the two observers, the coach and the leader. */
const observer = fc.constantFrom(T1, T1, T2, T2, C, L, T3, T3, X);
/** Who is observed: mostly T3, but T1 too (so an observer has a lesson of their own handed over). */
const observed = fc.constantFrom(T3, T3, T1, T2, X);
const pick = fc.nat(9);
const target: fc.Arbitrary<Target> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ from: fc.constant('kind' as const), n: pick }) },
  { weight: 3, arbitrary: fc.record({ from: fc.constant('observation' as const), n: pick }) },
  {
    weight: 2,
    arbitrary: fc.record({ from: fc.constant('response' as const), n: pick, item: fc.nat(ITEMS.length - 1) }),
  },
  { weight: 1, arbitrary: fc.record({ from: fc.constant('any' as const), n: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ from: fc.constant('fresh' as const), n: fc.constant(0) }) },
);
const hostile: fc.Arbitrary<Step> = fc.oneof(
  ...RECORD_KINDS.map((kind) => ({
    weight: KIND_WEIGHT[kind],
    arbitrary: fc.record({
      do: fc.constant('hostile' as const),
      as: fc.constantFrom(
        'writer' as const,
        'anyone' as const,
        'observer' as const,
        'observed' as const,
        'writer' as const,
      ),
      by: who,
      kind: fc.constant(kind),
      op: fc.constantFrom<ChangeOp>('patch', 'insert', 'tombstone'),
      target,
      set: fc.array(fc.record({ field: fc.constantFrom(...HOSTILE_FIELDS[kind], 'deletedAt'), n: fc.nat(12) }), {
        minLength: 1,
        maxLength: 3,
      }),
      base: pick,
      actor: fc.constantFrom('self' as const, 'self' as const, 'other' as const, 'system' as const),
    }),
  })),
);
const involved = fc.constantFrom<Involved>('observer', 'observed', 'outsider');
const to = fc.constantFrom('observer' as const, 'observed' as const);
const move: fc.Arbitrary<Step> = fc.record({
  do: fc.constant('move' as const),
  kind: fc.constantFrom(
    'reflection' as const,
    'response' as const,
    'feedback' as const,
    'note' as const,
    'amendment' as const,
  ),
  handedOver: fc.boolean(),
  pick,
  as: involved,
  op: fc.constantFrom('patch' as const, 'insert' as const),
  value: fc.nat(RATINGS.length - 1),
  to,
  n: pick,
});
const borrow: fc.Arbitrary<Step> = fc.record({
  do: fc.constant('borrow' as const),
  kind: fc.constantFrom('reflection' as const, 'feedback' as const, 'response' as const),
  handedOver: fc.boolean(),
  pick,
  item: fc.nat(RATED.length - 1),
  as: involved,
  to,
  n: pick,
});
const rating = fc.record({ item: fc.nat(RATED.length - 1), rating: fc.nat(4) });
const honest: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      do: fc.constant('observe' as const),
      by: observer,
      observed,
      ratings: fc.array(rating, { minLength: 1, maxLength: 2 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ do: fc.constant('rate' as const), pick, item: fc.nat(RATED.length - 1), rating: fc.nat(4) }),
  },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('note' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('complete' as const), pick }) },
  { weight: 4, arbitrary: fc.record({ do: fc.constant('handOver' as const), pick }) },
  { weight: 4, arbitrary: fc.record({ do: fc.constant('reflect' as const), pick, share: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ do: fc.constant('share' as const), pick, on: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ do: fc.constant('request' as const), by: fc.constantFrom(T3, T1, C), observer: who }),
  },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('decline' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('goal' as const), by: observed, pick }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('draft' as const), by: fc.constantFrom(L, L, T1) }) },
);
/** Half the steps are hostile: half of those any change at all, the other half moves and borrowed ids. */
const steps = (maxLength: number) =>
  fc.array(
    fc.oneof(
      { weight: 4, arbitrary: honest },
      { weight: 2, arbitrary: hostile },
      { weight: 1, arbitrary: move },
      { weight: 1, arbitrary: borrow },
    ),
    { minLength: 1, maxLength, size: 'max' },
  );

// ---------------------------------------------------------------------------------------------------------------
// The test's own bookkeeping: what the server stores, and what was first stored under each id

interface Stored {
  kind: RecordKind;
  id: string;
  data: Record<string, unknown> & { id: string };
  version: number;
}
const key = (kind: RecordKind, id: string) => `${kind}:${id}`;

/** The fields that make a record the one it is: whom it belongs to. The first stored values must stay. */
const FIXED: Partial<Record<RecordKind, readonly string[]>> = {
  observation: ['observerId', 'observedId', 'owner'],
  response: ['observationId', 'itemId', 'cycle', 'owner'],
  note: ['observationId', 'owner'],
  amendment: ['observationId', 'owner'],
  feedback: ['observationId', 'owner'],
  reflection: ['observationId', 'teacherId', 'owner'],
  request: ['requesterId', 'observedId', 'owner'],
  decline: ['requestId', 'observerId', 'owner'],
  goal: ['teacherId', 'owner'],
  instrumentDraft: ['owner'],
};

/** The id a record must have, given its fields (written out here, independent of the server's rule). */
function expectedId(kind: RecordKind, data: Record<string, unknown>): string | undefined {
  if (kind === 'feedback' || kind === 'reflection') return String(data.observationId);
  if (kind === 'response')
    return `${String(data.observationId)}:${String(data.itemId)}${data.cycle === undefined ? '' : `#${String(data.cycle)}`}`;
  return undefined;
}

/** Canonical JSON (sorted keys): jsonb does not keep the order of keys. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

type Invariant = 'identity' | 'received' | 'handed over' | 'content';

/**
 * Runs per invariant, of at most 30 steps each. A run costs about 0.1 s (0.4 s for `received`, which pulls on twelve
 * tablets after every step): about 40 s per database on a quiet 2-core machine, PGlite and PostgreSQL alike, and
 * about a minute on a busy one. A failure takes longer: fast-check shrinks it. PostgreSQL runs half as many (the
 * rules are the same code on both; what differs is storage), to keep the suite within its time on two cores.
 * `MEEKIJKEN_HOSTILE_RUNS=10` runs ten times as many, for a deeper search before a release.
 */
const RUNS_FACTOR = Number(process.env.MEEKIJKEN_HOSTILE_RUNS ?? 1) || 1;
const DATABASE_FACTOR = { pglite: 1, postgres: 0.5 } as const;
const RUNS: Record<Invariant, { numRuns: number; maxSteps: number }> = {
  identity: { numRuns: 80, maxSteps: 30 },
  received: { numRuns: 30, maxSteps: 30 },
  'handed over': { numRuns: 60, maxSteps: 30 },
  content: { numRuns: 60, maxSteps: 30 },
};

forEachDatabase((databaseKind) => {
  describe(`hostile clients on ${databaseKind}`, () => {
    const test = migratedDatabase(databaseKind);
    let server: TestServer;

    beforeEach(async () => {
      server = await testServer(test.database);
    });
    afterEach(async () => {
      await server.app.close();
    });

    /** One run: a fresh school, its people signed in, and the test's bookkeeping. */
    class Run {
      /** Per person, the session of the tablet they push from, which pulls what changed since its last pull. */
      readonly tokens: string[] = [];
      readonly cursors: number[] = [];
      /**
       * Per person, a second tablet that pulls everything since the school's frame after every step, as a new device
       * would: a record that changed hands without a new version reaches it, while the first tablet's cursor is past it.
       */
      readonly newDevices: string[] = [];
      private frame = 0;
      /** The server's records after the last step. */
      records = new Map<string, Stored>();
      /** Per kind, the ids stored so far in the order they appeared: what hostile changes borrow. */
      readonly pools = new Map<RecordKind, string[]>();
      readonly all: string[] = [];
      /** Per record: its fixed fields as first stored (canonical JSON). */
      readonly first = new Map<string, Record<string, string>>();
      /** Per handed-over observation: its responses and feedback (canonical JSON) when it was handed over. */
      readonly handedOver = new Map<string, Map<string, string>>();
      readonly trace: string[] = [];
      private counter = 0;
      private changeCount = 0;

      constructor(readonly invariant: Invariant) {}

      async start(): Promise<void> {
        await emptyTables(test.database);
        await seedSchool(test.database, SCHOOL, PEOPLE, AT);
        for (const person of PEOPLE) {
          for (const list of [this.tokens, this.newDevices]) {
            const session = await test.database.transaction((tx) =>
              createSession(tx, server.clock.now(), {
                schoolId: SCHOOL,
                personId: person.id,
                deviceLabel: `tablet ${person.id}`,
              }),
            );
            list.push(session.token);
          }
        }
        await this.read();
        // Every device starts with the school's frame (people, instruments) pulled.
        const [top] = await test.database.query<{ version: number }>(
          'SELECT version FROM school_versions WHERE school_id = $1',
          [SCHOOL],
        );
        this.frame = Number(top!.version);
        this.cursors.push(...PEOPLE.map(() => this.frame));
      }

      next(prefix: string): string {
        return `${prefix}${++this.counter}`;
      }

      change(
        by: Who,
        kind: RecordKind,
        recordId: string,
        op: ChangeOp,
        fields: Record<string, unknown>,
        actor: OutboxChange['actor'] = PEOPLE[by]!.id,
      ): OutboxChange {
        return { id: randomUUID(), kind, recordId, op, fields, at: AT + ++this.changeCount, actor };
      }

      // -- reading the server's state ------------------------------------------------------------------------

      stored(kind: RecordKind, id: string): Record<string, unknown> | undefined {
        return this.records.get(key(kind, id))?.data;
      }

      alive(kind: RecordKind, where: (data: Record<string, unknown>) => boolean): string[] {
        return (this.pools.get(kind) ?? []).filter((id) => {
          const data = this.stored(kind, id);
          return data !== undefined && data.deletedAt === undefined && where(data);
        });
      }

      /** The record's fixed field as first stored. */
      firstValue(kind: RecordKind, id: string, field: string): unknown {
        const json = this.first.get(key(kind, id))?.[field];
        return json === undefined ? undefined : (JSON.parse(json) as unknown);
      }

      /** Reads every record; remembers new ids and the fixed fields of records seen for the first time. */
      async read(): Promise<string[]> {
        const rows = await test.database.query<Stored>(
          'SELECT kind, id, data, version FROM records WHERE school_id = $1 ORDER BY version',
          [SCHOOL],
        );
        this.records = new Map(rows.map((row) => [key(row.kind, row.id), { ...row, version: Number(row.version) }]));
        const problems: string[] = [];
        for (const row of rows) {
          const k = key(row.kind, row.id);
          const fixed = FIXED[row.kind] ?? [];
          const now = Object.fromEntries(fixed.map((field) => [field, canonical(row.data[field] ?? null)]));
          const first = this.first.get(k);
          if (!first) {
            this.first.set(k, now);
            this.pools.set(row.kind, [...(this.pools.get(row.kind) ?? []), row.id]);
            this.all.push(row.id);
          } else {
            for (const field of fixed)
              if (first[field] !== now[field])
                problems.push(`${row.kind} ${row.id}: ${field} was ${first[field]}, is ${now[field]}`);
          }
          const expected = expectedId(row.kind, row.data);
          if (expected !== undefined && expected !== row.id)
            problems.push(`${row.kind} ${row.id}: stored under an id its fields do not give (${expected})`);
        }
        return problems;
      }

      // -- checks ----------------------------------------------------------------------------------------------

      /** Whether this person may receive this stored record now, with its observation and teacher as first stored. */
      mayReceiveNow(person: number, kind: RecordKind, id: string): boolean {
        const me = this.stored('person', PEOPLE[person]!.id) as Person | undefined;
        // A person archived or removed has no session that works: they receive nothing.
        if (!me || me.deletedAt !== undefined || me.archivedAt !== undefined) return false;
        const data = this.stored(kind, id);
        if (!data) return false;
        const fixed = (k: RecordKind, recordId: string, record: Record<string, unknown>) => ({
          ...record,
          ...Object.fromEntries(
            (FIXED[k] ?? [])
              .map((field) => [field, this.firstValue(k, recordId, field)])
              .filter(([, value]) => value !== null),
          ),
        });
        const record = fixed(kind, id, data);
        const context: AudienceContext = {};
        const observationId =
          kind === 'observation'
            ? id
            : typeof record.observationId === 'string' &&
                ['response', 'note', 'amendment', 'feedback', 'reflection'].includes(kind)
              ? record.observationId
              : undefined;
        if (observationId !== undefined) {
          const observation = this.stored('observation', observationId);
          if (observation) {
            const o = fixed('observation', observationId, observation) as unknown as Observation;
            context.observation = o;
            // The observed teacher's own reflection on this observation decides whether it is shared.
            const reflections = (this.pools.get('reflection') ?? [])
              .filter(
                (rid) =>
                  this.firstValue('reflection', rid, 'observationId') === observationId &&
                  this.firstValue('reflection', rid, 'teacherId') === o.observedId,
              )
              .map((rid) => this.stored('reflection', rid) as unknown as Reflection);
            const reflection = reflections.find((r) => r.sharedWithLeaderAt !== undefined) ?? reflections[0];
            if (reflection) context.reflection = reflection;
          }
        }
        if (kind === 'decline') {
          const requestId = String(record.requestId);
          const request = this.stored('request', requestId);
          if (request) context.request = fixed('request', requestId, request) as unknown as ObservationRequest;
        }
        return mayReceive(me, kind, record, context);
      }

      /** Invariant 3: what each handed-over observation held when it was handed over; starts tracking new ones. */
      handedOverProblems(): string[] {
        const problems: string[] = [];
        const inObservation = (observationId: string) =>
          new Map(
            [...this.records.values()]
              .filter(
                (r) =>
                  (r.kind === 'response' || r.kind === 'feedback') &&
                  (r.data.observationId === observationId ||
                    this.firstValue(r.kind, r.id, 'observationId') === observationId),
              )
              .map((r) => [key(r.kind, r.id), canonical(r.data)]),
          );
        for (const [observationId, then] of this.handedOver) {
          const status = this.stored('observation', observationId)?.status;
          if (status !== 'shared')
            problems.push(`observation ${observationId} was handed over, is ${String(status)} now`);
          const now = inObservation(observationId);
          for (const [k, was] of then) {
            const is = now.get(k);
            if (is !== was)
              problems.push(`${k} of handed-over ${observationId} changed: was ${was}, is ${is ?? 'no longer in it'}`);
          }
          for (const [k, is] of now)
            if (!then.has(k)) problems.push(`${k} appeared in handed-over ${observationId}: ${is}`);
        }
        for (const id of this.pools.get('observation') ?? []) {
          if (!this.handedOver.has(id) && this.stored('observation', id)?.status === 'shared')
            this.handedOver.set(id, inObservation(id));
        }
        return problems;
      }

      /** Invariant 4: every stored record passes the content check (a tombstoned one without its `deletedAt`). */
      async contentProblems(): Promise<string[]> {
        const contents = new Map(shippedInstruments().map((content) => [`${content.id}@${content.version}`, content]));
        const lookups = {
          ...storeLookups({
            get: async (kind, id) => this.stored(kind, id),
            countIn: async (kind, observationId) =>
              [...this.records.values()].filter((r) => r.kind === kind && r.data.observationId === observationId)
                .length,
            now: () => server.clock.now(),
          }),
          // Installed versions never change: the shipped ones, parsed once (cheaper than the stored copies each step).
          instrument: async (instrumentKey: string) => {
            const installed = this.stored('instrument', instrumentKey);
            return installed ? (contents.get(instrumentKey) ?? (installed.content as Instrument)) : undefined;
          },
        };
        const problems: string[] = [];
        for (const { kind, id, data } of this.records.values()) {
          const record = Object.fromEntries(Object.entries(data).filter(([field]) => field !== 'deletedAt'));
          const problem = await contentProblem(kind, undefined, record, lookups);
          if (problem)
            problems.push(
              `${kind} ${id} holds what it may not (${problem.reason} at ${problem.field}): ${canonical(data).slice(0, 300)}`,
            );
        }
        return problems;
      }

      // -- talking to the server -------------------------------------------------------------------------------

      async push(by: Who, changes: OutboxChange[]): Promise<PushResult[] | undefined> {
        if (changes.length === 0) return undefined;
        const response = await server.app.inject({
          method: 'POST',
          url: '/api/sync/push',
          headers: bearer(this.tokens[by]!),
          payload: { changes },
        });
        const name = PEOPLE[by]!.id;
        if (response.statusCode === 401) {
          // A leader archived or removed this person: their device is signed out.
          this.trace.push(`${name} pushes ${changes.length} change(s) → 401, signed out`);
          return undefined;
        }
        expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
        const results = response.json<PushResponse>().results;
        changes.forEach((c, i) => {
          const result = results[i]!;
          this.trace.push(
            `${name} ${c.op} ${c.kind} ${c.recordId} ${canonical(c.fields).slice(0, 400)}${c.actor === name ? '' : ` (actor ${String(c.actor)})`} → ${result.outcome}${result.reason ? ` ${result.reason}` : ''}`,
          );
        });
        return results;
      }

      /** What a tablet pulls from `since` until nothing more waits, and its cursor then; undefined when signed out. */
      async pull(token: string, since: number): Promise<{ records: SyncRecord[]; cursor: number } | undefined> {
        const records: SyncRecord[] = [];
        let cursor = since;
        for (;;) {
          const response = await server.app.inject({
            method: 'GET',
            url: `/api/sync/pull?since=${cursor}`,
            headers: bearer(token),
          });
          if (response.statusCode === 401) return undefined;
          expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
          const page = response.json<PullResponse>();
          records.push(...page.records);
          cursor = Number(page.cursor);
          if (!page.more) return { records, cursor };
        }
      }

      // -- the steps ---------------------------------------------------------------------------------------------

      /** The changes a step makes (empty when the person has nothing to do it with). */
      changes(step: Honest): { by: Who; changes: OutboxChange[] } {
        const index = (personId: unknown) =>
          Math.max(
            0,
            PEOPLE.findIndex((p) => p.id === personId),
          );
        const choose = <T>(list: readonly T[], n: number): T | undefined =>
          list.length === 0 ? undefined : list[n % list.length];
        const none = { by: 0, changes: [] };
        const made = (by: Who, kind: RecordKind, id: string, fields: Record<string, unknown>) =>
          this.change(by, kind, id, 'insert', { id, owner: PEOPLE[by]!.id, createdAt: AT, updatedAt: AT, ...fields });
        switch (step.do) {
          case 'observe': {
            const by = step.by;
            const observed = PEOPLE[step.observed === by ? (by + 1) % PEOPLE.length : step.observed]!;
            const role = PEOPLE[by]!.role;
            const purpose = role === 'leader' ? 'leader' : role === 'coach' && observed.starter ? 'coach' : 'peer';
            const id = this.next('O');
            const observation = {
              instrumentKey: INSTRUMENT,
              observerId: PEOPLE[by]!.id,
              observedId: observed.id,
              purpose,
              status: 'draft',
              context: { group: '5' },
              clock: { elapsedMs: 0 },
              position: {},
              startedAt: AT,
            };
            const ratings = new Map(step.ratings.map((r) => [RATED[r.item]!, RATINGS[r.rating]]));
            return {
              by,
              changes: [
                made(by, 'observation', id, observation),
                ...[...ratings].map(([itemId, value]) =>
                  made(by, 'response', `${id}:${itemId}`, { observationId: id, itemId, rating: value, lookFors: [] }),
                ),
              ],
            };
          }
          case 'rate':
          case 'note': {
            const o = choose(
              this.alive('observation', (d) => d.status !== 'shared'),
              step.pick,
            );
            if (!o) return none;
            const by = index(this.stored('observation', o)!.observerId);
            if (step.do === 'note')
              return {
                by,
                changes: [
                  made(by, 'note', this.next('N'), { observationId: o, text: 'Rustige start', lessonMs: 60_000 }),
                ],
              };
            const itemId = RATED[step.item]!;
            const id = `${o}:${itemId}`;
            const value = RATINGS[step.rating];
            return {
              by,
              changes: [
                this.stored('response', id)
                  ? this.change(by, 'response', id, 'patch', { rating: value, updatedAt: AT + 1 })
                  : made(by, 'response', id, { observationId: o, itemId, rating: value, lookFors: [] }),
              ],
            };
          }
          case 'complete': {
            const o = choose(
              this.alive('observation', (d) => d.status === 'draft'),
              step.pick,
            );
            if (!o) return none;
            const by = index(this.stored('observation', o)!.observerId);
            return {
              by,
              changes: [this.change(by, 'observation', o, 'patch', { status: 'completed', completedAt: AT + 10 })],
            };
          }
          case 'handOver': {
            const o = choose(
              this.alive('observation', (d) => d.status !== 'shared' && d.purpose !== 'self'),
              step.pick,
            );
            if (!o) return none;
            const by = index(this.stored('observation', o)!.observerId);
            const changes: OutboxChange[] = [];
            if (this.stored('observation', o)!.status === 'draft')
              changes.push(this.change(by, 'observation', o, 'patch', { status: 'completed', completedAt: AT + 10 }));
            changes.push(
              this.stored('feedback', o)
                ? this.change(by, 'feedback', o, 'patch', { points: TOP_TIP, nextStep: 'Wachttijd oefenen' })
                : made(by, 'feedback', o, { observationId: o, points: TOP_TIP, nextStep: 'Wachttijd oefenen' }),
            );
            // The hand-over last: what a step hands over is checked right after it.
            changes.push(this.change(by, 'observation', o, 'patch', { status: 'shared', handedOverAt: AT + 20 }));
            return { by, changes };
          }
          case 'reflect': {
            const o = choose(
              this.alive('observation', (d) => d.status === 'shared'),
              step.pick,
            );
            if (!o) return none;
            const by = index(this.stored('observation', o)!.observedId);
            if (this.stored('reflection', o))
              return {
                by,
                changes: [
                  this.change(by, 'reflection', o, 'patch', {
                    text: `Privé: nagedacht over ${o}`,
                    sharedWithLeaderAt: step.share ? AT + 30 : null,
                  }),
                ],
              };
            const reflection = {
              observationId: o,
              teacherId: PEOPLE[by]!.id,
              text: `Privé: gelezen ${o}`,
              readAt: AT + 25,
              ...(step.share ? { sharedWithLeaderAt: AT + 30 } : {}),
            };
            return { by, changes: [made(by, 'reflection', o, reflection)] };
          }
          case 'share': {
            const r = choose(
              this.alive('reflection', () => true),
              step.pick,
            );
            if (!r) return none;
            const by = index(this.stored('reflection', r)!.teacherId);
            return {
              by,
              changes: [this.change(by, 'reflection', r, 'patch', { sharedWithLeaderAt: step.on ? AT + 40 : null })],
            };
          }
          case 'request': {
            const by = step.by;
            const coach = PEOPLE[by]!.role === 'coach';
            // A teacher asks for their own lesson, a coach for the starter's.
            const observedId = coach ? PEOPLE[T3]!.id : PEOPLE[by]!.id;
            const observerId =
              PEOPLE[step.observer]!.id === observedId
                ? PEOPLE[(step.observer + 1) % PEOPLE.length]!.id
                : PEOPLE[step.observer]!.id;
            const fields = {
              requesterId: PEOPLE[by]!.id,
              observedId,
              observerId,
              purpose: coach ? 'coach' : 'peer',
              instrumentKey: INSTRUMENT,
              context: {},
            };
            return { by, changes: [made(by, 'request', this.next('R'), fields)] };
          }
          case 'decline': {
            const r = choose(
              this.alive('request', () => true),
              step.pick,
            );
            if (!r) return none;
            const by = index(this.stored('request', r)!.observerId);
            return {
              by,
              changes: [
                made(by, 'decline', this.next('D'), { requestId: r, observerId: PEOPLE[by]!.id, reason: 'Geen tijd' }),
              ],
            };
          }
          case 'goal': {
            const me = PEOPLE[step.by]!.id;
            const o = choose(
              this.alive('observation', (d) => d.observedId === me && d.status === 'shared'),
              step.pick,
            );
            return {
              by: step.by,
              changes: [
                made(step.by, 'goal', this.next('G'), {
                  teacherId: me,
                  text: 'Meer wachttijd',
                  status: 'open',
                  itemIds: [],
                  ...(o ? { observationId: o } : {}),
                }),
              ],
            };
          }
          case 'draft':
            return {
              by: step.by,
              changes: [
                made(step.by, 'instrumentDraft', this.next('I'), {
                  content: { title: { nl: 'Kijkwijzer rekenen' } },
                  changedAt: AT,
                }),
              ],
            };
        }
      }

      /**
       * The person who moves or borrows from observation `from`: its observer, its observed teacher, or an outsider
       * (preferably one with an observation to point the record at).
       */
      involved(from: string, step: Move | Borrow): Who | undefined {
        const observation = this.stored('observation', from);
        if (!observation) return undefined;
        if (step.as !== 'outsider') {
          const index = PEOPLE.findIndex(
            (p) => p.id === observation[step.as === 'observer' ? 'observerId' : 'observedId'],
          );
          return index === -1 ? undefined : index;
        }
        const outsiders = PEOPLE.map((_, i) => i).filter(
          (i) => PEOPLE[i]!.id !== observation.observerId && PEOPLE[i]!.id !== observation.observedId,
        );
        const field = step.to === 'observer' ? 'observerId' : 'observedId';
        const placed = outsiders.filter((i) => this.alive('observation', (d) => d[field] === PEOPLE[i]!.id).length > 0);
        const list = placed.length > 0 ? placed : outsiders;
        return list[step.n % list.length];
      }

      /** An observation `person` is involved in as `to`, other than `except` (any other one when there is none). */
      destination(person: Who, { to, n }: Destination, except: string): string | undefined {
        const me = PEOPLE[person]!.id;
        const involvedIn = this.alive(
          'observation',
          (d) => d.id !== except && (to === 'observer' ? d.observerId === me : d.observedId === me),
        );
        const others = (this.pools.get('observation') ?? []).filter((id) => id !== except);
        const list = involvedIn.length > 0 ? involvedIn : others;
        return list.length === 0 ? undefined : list[n % list.length];
      }

      /** Ids of `kind`; with `handedOver`, those in a handed-over observation when there are any. */
      candidates(kind: RecordKind, handedOver: boolean): string[] {
        const all = this.pools.get(kind) ?? [];
        const observationOf = (id: string) =>
          kind === 'observation' ? id : String(this.stored(kind, id)?.observationId);
        const shared = all.filter((id) => this.stored('observation', observationOf(id))?.status === 'shared');
        return handedOver && shared.length > 0 ? shared : all;
      }

      move(step: Move): { by: Who; changes: OutboxChange[] } {
        const pool = this.candidates(step.kind, step.handedOver);
        const none = { by: 0, changes: [] };
        if (pool.length === 0) return none;
        const id = pool[step.pick % pool.length]!;
        const record = this.stored(step.kind, id)!;
        const from = String(record.observationId);
        const by = this.involved(from, step);
        if (by === undefined) return none;
        const to = this.destination(by, step, from);
        if (!to) return none;
        const values: Record<Move['kind'], Record<string, unknown>> = {
          response: { rating: RATINGS[step.value] },
          note: { text: 'Gekaapt' },
          amendment: { after: step.value },
          feedback: { nextStep: 'Gekaapt' },
          reflection: { teacherId: PEOPLE[by]!.id, sharedWithLeaderAt: AT + 70 },
        };
        const fields = { observationId: to, ...values[step.kind] };
        return {
          by,
          changes: [this.change(by, step.kind, id, step.op, step.op === 'insert' ? { ...record, ...fields } : fields)],
        };
      }

      borrow(step: Borrow): { by: Who; changes: OutboxChange[] } {
        const observations = this.candidates('observation', step.handedOver);
        const none = { by: 0, changes: [] };
        if (observations.length === 0) return none;
        const from = observations[step.pick % observations.length]!;
        const by = this.involved(from, step);
        if (by === undefined) return none;
        const to = this.destination(by, step, from);
        if (!to) return none;
        const me = PEOPLE[by]!.id;
        const base = { owner: me, createdAt: AT, updatedAt: AT, observationId: to };
        const itemId = RATED[step.item]!;
        const [id, fields] =
          step.kind === 'response'
            ? [`${from}:${itemId}`, { ...base, itemId, rating: 1, lookFors: [] }]
            : step.kind === 'feedback'
              ? [from, { ...base, points: TOP_TIP, nextStep: 'Gekaapt' }]
              : [from, { ...base, teacherId: me, text: 'Gekaapt', sharedWithLeaderAt: AT + 70 }];
        return { by, changes: [this.change(by, step.kind, id, 'insert', { id, ...fields })] };
      }

      /** The id a hostile change targets. */
      targetId(step: Hostile): string {
        const t = step.target;
        const observations = this.pools.get('observation') ?? [];
        const pickFrom = (list: readonly string[], n: number) =>
          list.length === 0 ? undefined : list[n % list.length];
        switch (t.from) {
          case 'kind':
            return pickFrom(this.pools.get(step.kind) ?? [], t.n) ?? pickFrom(this.all, t.n) ?? this.next('H');
          case 'observation':
            return pickFrom(observations, t.n) ?? this.next('H');
          case 'response':
            return `${pickFrom(observations, t.n) ?? 'O0'}:${ITEMS[t.item]}`;
          case 'any':
            return pickFrom(this.all, t.n) ?? this.next('H');
          case 'fresh':
            return this.next('H');
        }
      }

      /** A value for a field of a hostile change: references borrowed from anywhere, values valid or not. */
      value(field: string, n: number, by: Who): unknown {
        const pickFrom = (kind: RecordKind, missing: string) => {
          const list = this.pools.get(kind) ?? [];
          return list.length === 0 ? missing : list[n % list.length];
        };
        switch (field) {
          case 'observationId':
          case 'aboutObservationId': {
            // Two times in three one of the pusher's own observations (as observer, or about their lesson): where a
            // moved record would be theirs to write or to read.
            const me = PEOPLE[by]!.id;
            const own = this.alive('observation', (d) => (n % 3 === 0 ? d.observerId === me : d.observedId === me));
            return n % 3 !== 2 && own.length > 0 ? own[n % own.length] : pickFrom('observation', 'O0');
          }
          case 'requestId':
            return pickFrom('request', 'R0');
          case 'goalId':
            return pickFrom('goal', 'G0');
          case 'observerId':
          case 'observedId':
          case 'teacherId':
          case 'requesterId':
          case 'owner':
            return PEOPLE[n % PEOPLE.length]!.id;
          case 'itemId':
            return ITEMS[n % ITEMS.length];
          case 'cycle':
            return [null, 1, 2][n % 3];
          case 'rating':
            return RATINGS[n % RATINGS.length];
          case 'status':
            return ['draft', 'completed', 'shared', 'open', 'achieved'][n % 5];
          case 'purpose':
            return ['peer', 'coach', 'leader', 'self', 'calibration'][n % 5];
          case 'role':
            return ['teacher', 'leader', 'coach'][n % 3];
          case 'points':
            return [TOP_TIP, [], [{ id: 'p9', kind: 'top', text: 'Gekaapt' }]][n % 3];
          case 'lookFors':
            return [[], ['lf1'], ['zz']][n % 3];
          case 'text':
          case 'nextStep':
          case 'reason':
          case 'evidence':
          case 'name':
            return ['Gekaapt', '', 'x'.repeat(20), null][n % 4];
          case 'starter':
          case 'demo':
            return n % 2 === 0;
          case 'after':
            return n;
          case 'instrumentKey':
            return [INSTRUMENT, 'meekijken.zelfevaluatie@1.1.0', 'made.up@1.0.0'][n % 3];
          case 'content':
            return [{ title: { nl: 'Gekaapt' } }, 'x', null][n % 3];
          case 'source':
            return ['shipped', 'imported', 'stolen'][n % 3];
          case 'startsOn':
            return ['2026-08-01', '2026-02-30'][n % 2];
          default:
            // Times: removed (null), plausible, or before 2000.
            return [null, AT + n * 1000, 5][n % 3];
        }
      }

      /** The whole record a hostile insert starts from: plausible, with references chosen by `base`. */
      template(step: Hostile, recordId: string, by: Who): Record<string, unknown> {
        const me = PEOPLE[by]!.id;
        const observations = this.pools.get('observation') ?? [];
        // A derived id names its observation (and item): the template follows it, unless a field says otherwise.
        const named = recordId.includes(':') ? recordId.slice(0, recordId.indexOf(':')) : recordId;
        const observationId = observations.includes(named)
          ? named
          : (observations[step.base % Math.max(1, observations.length)] ?? 'O0');
        const itemId = recordId.includes(':')
          ? recordId.slice(recordId.indexOf(':') + 1)
          : ITEMS[step.base % ITEMS.length]!;
        const other = PEOPLE[step.base % PEOPLE.length]!.id;
        const pickFrom = (list: readonly string[], n: number) =>
          list.length === 0 ? undefined : list[n % list.length];
        const base = { id: recordId, owner: me, createdAt: AT, updatedAt: AT };
        switch (step.kind) {
          case 'observation':
            return {
              ...base,
              instrumentKey: INSTRUMENT,
              observerId: me,
              observedId: other,
              purpose: 'peer',
              status: 'draft',
              context: {},
              clock: { elapsedMs: 0 },
              position: {},
              startedAt: AT,
            };
          case 'response':
            return { ...base, observationId, itemId, rating: RATINGS[step.base % 4], lookFors: [] };
          case 'note':
            return { ...base, observationId, text: 'Gekaapt', lessonMs: 0 };
          case 'amendment':
            return { ...base, observationId, itemId: RATED[0], field: 'rating', before: 3, after: 1 };
          case 'feedback':
            return { ...base, observationId, points: TOP_TIP, nextStep: 'Gekaapt' };
          case 'reflection':
            return {
              ...base,
              observationId,
              teacherId: me,
              text: 'Gekaapt',
              ...(step.base % 2 === 0 ? { sharedWithLeaderAt: AT + 50 } : {}),
            };
          case 'request':
            return {
              ...base,
              requesterId: me,
              observedId: other,
              observerId: me,
              purpose: 'peer',
              instrumentKey: INSTRUMENT,
              context: {},
            };
          case 'decline':
            return {
              ...base,
              requestId: pickFrom(this.pools.get('request') ?? [], step.base) ?? 'R0',
              observerId: me,
              reason: 'Gekaapt',
            };
          case 'goal':
            return { ...base, teacherId: other, text: 'Gekaapt', status: 'open', itemIds: [] };
          case 'instrumentDraft':
            return { ...base, owner: other, content: { title: { nl: 'Gekaapt' } } };
          case 'person':
            return { ...base, name: 'Nieuw', role: ['teacher', 'leader', 'coach'][step.base % 3], starter: false };
          case 'team':
            return { ...base, name: 'Team' };
          case 'school':
            return { ...base, name: 'Gekaapt' };
          case 'schoolYear':
            return { ...base, owner: null, name: '2026-2027', startsOn: '2026-08-01', endsOn: '2027-07-31' };
          case 'instrument': {
            const content = shippedInstruments()[step.base % shippedInstruments().length]!;
            return {
              ...base,
              owner: null,
              instrumentId: content.id,
              version: content.version,
              content,
              source: 'imported',
            };
          }
        }
      }

      /** The person a hostile step pushes as: resolved once its target is known. */
      pusher(step: Hostile, recordId: string): Who {
        if (step.as === 'anyone') return step.by;
        const data = this.stored(step.kind, recordId);
        // The observation the record is (or would be) in: as stored, else the one its id names.
        const named = recordId.includes(':') ? recordId.slice(0, recordId.indexOf(':')) : recordId;
        const observationId =
          step.kind === 'observation' ? recordId : typeof data?.observationId === 'string' ? data.observationId : named;
        const observation = this.stored('observation', observationId);
        let id: unknown;
        if (step.as === 'observed') id = observation?.observedId;
        else if (step.as === 'observer') id = observation?.observerId;
        else if (step.kind === 'observation' || ['response', 'note', 'amendment', 'feedback'].includes(step.kind))
          id = observation?.observerId;
        else if (step.kind === 'reflection') id = observation?.observedId;
        else if (step.kind === 'request') id = data?.requesterId;
        else if (step.kind === 'decline') id = this.stored('request', String(data?.requestId))?.observerId;
        else if (step.kind === 'goal') id = data?.teacherId;
        else if (step.kind === 'instrumentDraft') id = data?.owner;
        // The school's frame: an administrator writes it.
        else id = PEOPLE[L]!.id;
        const index = PEOPLE.findIndex((p) => p.id === id);
        return index === -1 ? step.by : index;
      }

      hostileChange(step: Hostile, recordId: string, by: Who): OutboxChange {
        const set = Object.fromEntries(step.set.map(({ field, n }) => [field, this.value(field, n, by)]));
        const fields =
          step.op === 'insert'
            ? { ...this.template(step, recordId, by), ...set }
            : step.op === 'tombstone'
              ? { deletedAt: AT + 60, ...set }
              : set;
        const actor =
          step.actor === 'self'
            ? PEOPLE[by]!.id
            : step.actor === 'system'
              ? 'system'
              : PEOPLE[(by + 1 + step.base) % PEOPLE.length]!.id;
        return this.change(by, step.kind, recordId, step.op, fields, actor);
      }

      /** One step: its push, then the checks of this run's invariant. Returns what is wrong. */
      async step(step: Step): Promise<string[]> {
        let by: Who;
        let changes: OutboxChange[];
        if (step.do === 'hostile') {
          const recordId = this.targetId(step);
          by = this.pusher(step, recordId);
          changes = [this.hostileChange(step, recordId, by)];
        } else if (step.do === 'move' || step.do === 'borrow')
          ({ by, changes } = step.do === 'move' ? this.move(step) : this.borrow(step));
        else ({ by, changes } = this.changes(step));
        const results = await this.push(by, changes);
        const problems = await this.read();
        if (this.invariant === 'identity') return problems;
        if (this.invariant === 'handed over') return this.handedOverProblems();
        if (this.invariant === 'content') return this.contentProblems();
        // Received: a copy sent back with a refusal (for a single change: the state then is the state now), and
        // what every person pulls now.
        const received: string[] = [];
        if (changes.length === 1 && results?.[0]?.record) {
          const { kind, id } = results[0].record;
          if (!this.mayReceiveNow(by, kind, id))
            received.push(`${PEOPLE[by]!.id} was sent ${kind} ${id} back with a refusal, and may not receive it`);
        }
        for (let person = 0; person < PEOPLE.length; person++) {
          const pulled = await this.pull(this.tokens[person]!, this.cursors[person]!);
          if (pulled) this.cursors[person] = pulled.cursor;
          const fresh = await this.pull(this.newDevices[person]!, this.frame);
          // Pulls write no records; the state read after the push is the state they were answered from.
          for (const [device, records] of [
            ['', pulled?.records ?? []],
            [' on a new tablet', fresh?.records ?? []],
          ] as const) {
            for (const record of records) {
              if (!this.mayReceiveNow(person, record.kind, record.id))
                received.push(
                  `${PEOPLE[person]!.id} received${device} ${record.kind} ${record.id}: ${canonical(record.data).slice(0, 300)}`,
                );
            }
          }
        }
        return received;
      }
    }

    const INVARIANT_NAMES: Record<Invariant, string> = {
      identity: 'no record changes observation, teacher, observer or owner, nor takes an id its fields do not give',
      received: 'nobody pulls a record the privacy rules keep from them',
      'handed over': 'no handed-over rating or feedback changes after hand-over',
      content: 'every stored record passes the content check',
    };

    for (const invariant of Object.keys(RUNS) as Invariant[]) {
      it(`whatever hostile clients push: ${INVARIANT_NAMES[invariant]}`, async () => {
        const { maxSteps } = RUNS[invariant];
        const numRuns = Math.max(1, Math.round(RUNS[invariant].numRuns * RUNS_FACTOR * DATABASE_FACTOR[databaseKind]));
        await fc.assert(
          fc.asyncProperty(steps(maxSteps), async (sequence) => {
            const run = new Run(invariant);
            await run.start();
            for (const [i, each] of sequence.entries()) {
              const problems = await run.step(each);
              expect(
                problems,
                `after step ${i + 1} (${invariant}); the changes sent so far:\n${run.trace.join('\n')}\n`,
              ).toEqual([]);
            }
          }),
          { numRuns },
        );
      }, 600_000);
    }
  });
});
