/**
 * Who may do what on the school server, as one table: every route (and, for sync, every kind of write that matters)
 * against every kind of caller. The expected answer of each cell is written out below, as the product should answer
 * it (README, "School server" and "Who may write what"); one test per cell runs the request and compares.
 *
 * The callers, all of school A unless said otherwise:
 * - `none`: no session at all;
 * - `teacher`: Tessa, a plain teacher with nothing to do with the lesson at hand;
 * - `observer`: Olga, who observes Otto's lesson ("O");
 * - `observed`: Otto, the observed teacher of O, a starter (startbekwaam), coached by Coen;
 * - `coach`: Coen, a person with the role `coach`, Otto's coach (who may ask for an observation of his lesson, and
 *   sees what Otto shares with him), not involved in O;
 * - `leader`: Anna, the school leader and administrator of school A;
 * - `otherLeader`: Bert, the leader of school B on the same server, using the ids of school A.
 *
 * O exists in several copies, one per state (before hand-over, handed over and kept private, shared with the
 * leadership, ready to hand over, handed over without a reflection yet), so a cell that changes one never spoils
 * another, and any single cell can run alone.
 *
 * Cells read:
 * - a number: the HTTP status;
 * - `applied` / `refused:<reason>`: the push's answer for the one change sent; `+copy` when the refusal came with the
 *   server's copy of the record (only someone who may hold it gets one). A push cell also checks that school A's
 *   record is what the answer says: changed as sent when applied, untouched otherwise;
 * - `receives` / `nothing`: whether a pull from scratch brings the caller O's records (the observation and
 *   everything recorded in it, as school A holds them).
 *
 * Cells where the server is known to answer otherwise are listed in `KNOWN_WRONG`, with what it does instead, and
 * run as `it.fails`: they keep the expected answer, and turn red once the server is fixed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { LightMyRequestResponse } from 'fastify';
import { unsubscribeQuery } from '../../src/server/mail/unsubscribe';
import { forEachDatabase, freshDatabase, type DatabaseKind, type TestDatabase } from './support/databases';
import {
  addPerson,
  bearer,
  issueCode,
  sessionCookie,
  setUpSchool,
  signIn,
  testServer,
  type SignedInPerson,
  type TestServer,
} from './support/server';
import { issueSetupToken } from '../../src/server/accounts/setup';
import type { Person } from '../../src/core/model/records';
import type { OutboxChange, RecordKind } from '../../src/core/sync/change';
import type { PullResponse, PushResponse } from '../../src/core/sync/protocol';
import { applyChange, type PlainRecord } from '../../src/core/sync/apply-change';

const CALLERS = ['none', 'teacher', 'observer', 'observed', 'coach', 'leader', 'otherLeader'] as const;
type Caller = (typeof CALLERS)[number];
type SignedInCaller = Exclude<Caller, 'none'>;

type Cell = number | string;
type Row = readonly [Cell, Cell, Cell, Cell, Cell, Cell, Cell];

const TABLE = {
  //                                                                     none  teacher                            observer                              observed                           coach                              leader                           otherLeader
  'GET /api/health': [200, 200, 200, 200, 200, 200, 200],
  // An unsubscribe link is its own proof (it comes in the person's e-mail): whoever holds it may use it, with or
  // without a session; a link the server did not make, or one person's token on another's id, works for nobody.
  "GET /api/mail/unsubscribe, the observer's link": [200, 200, 200, 200, 200, 200, 200],
  "POST /api/mail/unsubscribe, the observer's link": [200, 200, 200, 200, 200, 200, 200],
  "POST /api/mail/unsubscribe, the observer's token on the observed teacher's id": [404, 404, 404, 404, 404, 404, 404],
  // A confirmation link likewise: the page asks first, and only the latest link's token confirms.
  'GET /api/mail/confirm, any link': [200, 200, 200, 200, 200, 200, 200],
  'POST /api/mail/confirm, a token the server did not send': [404, 404, 404, 404, 404, 404, 404],
  'POST /api/setup, a used set-up link': [403, 403, 403, 403, 403, 403, 403],
  'POST /api/setup, a fresh set-up link': [201, 201, 201, 201, 201, 201, 201],
  'POST /api/sign-in, a wrong code': [401, 401, 401, 401, 401, 401, 401],
  'POST /api/sign-in, a fresh code of a person of A': [200, 200, 200, 200, 200, 200, 200],
  'POST /api/people': [401, 403, 403, 403, 403, 201, 201],
  'POST /api/people, in a team of A': [401, 403, 403, 403, 403, 201, 400],
  'POST /api/people/<observed>/sign-in-codes': [401, 403, 403, 403, 403, 201, 404],
  'POST /api/sign-in-codes for <observed> and <teacher>': [401, 403, 403, 403, 403, 201, 404],
  'POST /api/sign-in-codes/revoke for <observed>': [401, 403, 403, 403, 403, 200, 404],
  'GET /api/me': [401, 200, 200, 200, 200, 200, 200],
  'GET /api/sessions (own devices)': [401, 200, 200, 200, 200, 200, 200],
  'GET /api/sessions?personId=<observed>': [401, 403, 403, 200, 403, 200, 404],
  "DELETE /api/sessions/<observed's other device>": [401, 404, 404, 204, 404, 204, 404],
  "POST /api/sign-out (the caller's other device)": [401, 204, 204, 204, 204, 204, 204],
  'GET /api/sync/events': [401, 200, 200, 200, 200, 200, 200],
  'GET /api/sync/pull: O before hand-over': [401, 'nothing', 'receives', 'nothing', 'nothing', 'nothing', 'nothing'],
  'GET /api/sync/pull: O handed over, kept private': [
    401,
    'nothing',
    'receives',
    'receives',
    'nothing',
    'nothing',
    'nothing',
  ],
  'GET /api/sync/pull: O shared with the leadership': [
    401,
    'nothing',
    'receives',
    'receives',
    'nothing',
    'receives',
    'nothing',
  ],
  'GET /api/sync/pull: O shared with the starter’s coach': [
    401,
    'nothing',
    'receives',
    'receives',
    'receives',
    'nothing',
    'nothing',
  ],
  "GET /api/sync/pull: the coach's request for the starter's lesson": [
    401,
    'nothing',
    'receives',
    'receives',
    'receives',
    'nothing',
    'nothing',
  ],
  'push: patch a rating of O before hand-over': [
    401,
    'refused:not-observer',
    'applied',
    'refused:not-observer',
    'refused:not-observer',
    'refused:not-observer',
    'refused:unknown-record',
  ],
  'push: patch a rating of O before hand-over, to the value it holds': [
    401,
    'refused:not-observer',
    'applied',
    'refused:not-observer',
    'refused:not-observer',
    'refused:not-observer',
    'refused:unknown-record',
  ],
  'push: patch a rating of O after hand-over': [
    401,
    'refused:not-observer',
    'refused:handed-over+copy',
    'refused:not-observer+copy',
    'refused:not-observer',
    'refused:not-observer',
    'refused:unknown-record',
  ],
  'push: insert a note into O before hand-over': [
    401,
    'refused:not-observer',
    'applied',
    'refused:not-observer',
    'refused:not-observer',
    'refused:not-observer',
    'refused:unknown-observation',
  ],
  'push: insert a reflection on O before hand-over, as its teacher': [
    401,
    'refused:not-observed-teacher',
    'refused:not-observed-teacher',
    'refused:not-handed-over',
    'refused:not-observed-teacher',
    'refused:not-observed-teacher',
    'refused:unknown-observation',
  ],
  'push: patch the reflection on O after hand-over': [
    401,
    'refused:not-observed-teacher',
    'refused:not-observed-teacher+copy',
    'applied',
    'refused:not-observed-teacher',
    'refused:not-observed-teacher',
    'refused:unknown-record',
  ],
  'push: patch the feedback of O shared with the leadership': [
    401,
    'refused:not-observer',
    'refused:handed-over+copy',
    'refused:not-observer+copy',
    'refused:not-observer',
    'refused:not-observer+copy',
    'refused:unknown-record',
  ],
  'push: insert an observation under the id of O after hand-over': [
    401,
    'refused:moved-record',
    'refused:fixed-field+copy',
    'refused:moved-record+copy',
    'refused:moved-record',
    'refused:moved-record',
    'applied',
  ],
  'push: hand O over': [
    401,
    'refused:not-observer',
    'applied',
    'refused:not-observer',
    'refused:not-observer',
    'refused:not-observer',
    'refused:unknown-record',
  ],
  "push: ask for an observation of the starter's lesson": [
    401,
    'refused:not-requester',
    'refused:not-requester',
    'applied',
    'applied',
    'refused:not-requester',
    'refused:not-requester',
  ],
  'push: throw O away, shared with the leadership': [
    401,
    'refused:not-observer',
    'refused:not-a-draft+copy',
    'refused:not-observer+copy',
    'refused:not-observer',
    'refused:not-observer+copy',
    'refused:unknown-record',
  ],
  "push: decline the coach's request": [
    401,
    'refused:not-observer',
    'applied',
    'refused:not-observer',
    'refused:not-observer',
    'refused:not-observer',
    'refused:unknown-request',
  ],
  'push: make oneself a school leader': [
    401,
    'refused:not-administrator+copy',
    'refused:not-administrator+copy',
    'refused:not-administrator+copy',
    'refused:not-administrator+copy',
    'applied',
    'applied',
  ],
  'GET /api/insight/team?teamId=<team of A>': [401, 403, 403, 403, 403, 200, 200],
  'GET /api/insight/stalled': [401, 403, 403, 403, 403, 200, 200],
  'POST /api/school/records, a new team': [401, 403, 403, 403, 403, 200, 200],
  'POST /api/school/records, a reflection sharing O, then pull': [401, 403, 403, 403, 403, 'nothing', 'nothing'],
  'POST /api/school/demo': [401, 403, 403, 403, 403, 409, 409],
  'GET /api/mail/settings (own)': [401, 200, 200, 200, 200, 200, 200],
  'GET /api/mail/settings?personId=<observed>': [401, 403, 403, 200, 403, 200, 404],
  'PUT /api/mail/settings (own)': [401, 200, 200, 200, 200, 200, 200],
  'DELETE /api/mail/settings?personId=<observed>': [401, 403, 403, 204, 403, 204, 404],
  // Only to one's own saved address, and only from a server that sends e-mail (this one has no SMTP).
  'POST /api/mail/test (own address)': [401, 409, 409, 409, 409, 409, 409],
} as const satisfies Record<string, Row>;

type RowName = keyof typeof TABLE;

/** Cells the server answers differently today (what it answers instead, for whoever reads a failure). */
const KNOWN_WRONG: ReadonlyArray<{ row: RowName; callers: readonly Caller[]; got: string }> = [];

const INSTRUMENT = 'meekijken.lesobservatie@1.1.0';
const ITEM = 'lk-respect';
/** When the records here were made: the day before the test clock's school morning. */
const T = Date.UTC(2026, 7, 31, 12);

interface Lessons {
  /** O before hand-over: a draft with one rating. */
  draft: string;
  /** O handed over, with Otto's reflection kept to himself. */
  handedOver: string;
  /** O handed over, and shared with the leadership in Otto's reflection. */
  sharedWithLeader: string;
  /** O handed over, and shared with his coach in Otto's reflection. */
  sharedWithCoach: string;
  /** O completed with a top and a tip: ready to hand over. */
  readyToHandOver: string;
  /** O handed over, without a reflection yet. */
  withoutReflection: string;
}

interface World {
  test: TestDatabase;
  server: TestServer;
  /** Where the server listens, for the event stream (inject cannot end a stream that never ends). */
  address: string;
  people: Record<SignedInCaller, SignedInPerson>;
  /** A teacher of school B. */
  bea: Person;
  teamOfA: string;
  lessons: Lessons;
  /** Coen asks Olga to observe Otto, a starter. */
  coachRequest: string;
  usedSetupToken: string;
}

const schoolA = (world: World) => world.people.leader.schoolId;
const headersOf = (world: World, caller: Caller): Record<string, string> =>
  caller === 'none' ? {} : bearer(world.people[caller].token);
const idOf = (world: World, caller: Caller): string | null =>
  caller === 'none' ? null : world.people[caller].person.id;
/** The administrator of the caller's school (school A for a caller without a session). */
const adminOf = (world: World, caller: Caller): SignedInPerson =>
  caller === 'otherLeader' ? world.people.otherLeader : world.people.leader;

function change(
  world: World,
  caller: Caller,
  kind: RecordKind,
  recordId: string,
  op: OutboxChange['op'],
  fields: Record<string, unknown>,
): OutboxChange {
  return { id: randomUUID(), kind, recordId, op, fields, at: T, actor: idOf(world, caller) };
}

/** The query of a person's unsubscribe link, as their e-mail carries it. */
const unsubscribeLink = (world: World, personId: string): Promise<string> =>
  unsubscribeQuery(world.server.database, schoolA(world), personId, world.server.clock.now());

async function statusOf(response: LightMyRequestResponse | Promise<LightMyRequestResponse>): Promise<number> {
  return (await response).statusCode;
}

async function me(world: World, token: string): Promise<number> {
  return statusOf(world.server.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) }));
}

/** A person of the admin's school, signed in on a device of their own. */
async function signedInAs(
  server: TestServer,
  admin: SignedInPerson,
  body: { name: string; role: Person['role']; starter: boolean; coachId?: string },
): Promise<SignedInPerson> {
  const person = await addPerson(server, admin, body);
  const response = await signIn(server, await issueCode(server, admin, person.id));
  expect(response.statusCode, response.body).toBe(200);
  return {
    token: sessionCookie(response),
    person,
    schoolId: admin.schoolId,
    sessionId: response.json<{ sessionId: string }>().sessionId,
  };
}

/** The same person signed in on another device: a session a cell may sign out or revoke. */
async function anotherDevice(world: World, caller: SignedInCaller): Promise<SignedInPerson> {
  const who = world.people[caller];
  const response = await signIn(
    world.server,
    await issueCode(world.server, adminOf(world, caller), who.person.id),
    'tweede tablet',
  );
  expect(response.statusCode, response.body).toBe(200);
  return { ...who, token: sessionCookie(response), sessionId: response.json<{ sessionId: string }>().sessionId };
}

/** Pushes changes that must all be applied (the fixtures). */
async function pushAll(world: Pick<World, 'server'>, who: SignedInPerson, changes: OutboxChange[]): Promise<void> {
  const response = await world.server.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: bearer(who.token),
    payload: { changes },
  });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.json<PushResponse>().results.map((r) => r.reason ?? r.outcome)).toEqual(changes.map(() => 'applied'));
}

async function recordOfA(world: World, kind: RecordKind, id: string): Promise<PlainRecord | undefined> {
  const [row] = await world.test.database.query<{ data: PlainRecord }>(
    'SELECT data FROM records WHERE school_id = $1 AND kind = $2 AND id = $3',
    [schoolA(world), kind, id],
  );
  return row?.data;
}

/**
 * Pushes one change as the caller; answers the status, or the change's outcome (`+copy` when `copy` is asked and
 * the refusal carried the server's copy). School A's record must agree with the answer.
 */
async function pushOne(
  world: World,
  caller: Caller,
  sent: OutboxChange,
  options: { copy: boolean } = { copy: true },
): Promise<Cell> {
  const before = await recordOfA(world, sent.kind, sent.recordId);
  const response = await world.server.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: headersOf(world, caller),
    payload: { changes: [sent] },
  });
  if (response.statusCode !== 200) return response.statusCode;
  const results = response.json<PushResponse>().results;
  if (results.length !== 1) return `${results.length} answers to one change`;
  const result = results[0]!;
  const outcome =
    result.outcome === 'refused'
      ? `refused:${result.reason}${options.copy && result.record ? '+copy' : ''}`
      : result.outcome;
  const after = await recordOfA(world, sent.kind, sent.recordId);
  // Applied in school A: the record as sent. Refused, or applied in school B: school A's record untouched.
  const expected = outcome === 'applied' && caller !== 'otherLeader' ? applyChange(before, sent) : before;
  if (!isDeepStrictEqual(after, expected))
    return `${outcome}, but school A's record ${after === undefined ? 'is missing' : 'is not what that answer says'}`;
  if (result.record && !isDeepStrictEqual(result.record.data, after))
    return `${outcome}, with a copy that is not the server's record`;
  return outcome;
}

/** Every record the caller receives, pulling from scratch; or the status of a refused pull. */
async function pullEverything(world: World, caller: Caller): Promise<PullResponse['records'] | number> {
  const records: PullResponse['records'] = [];
  let since = '0';
  for (;;) {
    const response = await world.server.app.inject({
      method: 'GET',
      url: `/api/sync/pull?since=${since}`,
      headers: headersOf(world, caller),
    });
    if (response.statusCode !== 200) return response.statusCode;
    const page = response.json<PullResponse>();
    records.push(...page.records);
    if (!page.more) return records;
    since = page.cursor;
  }
}

/**
 * Whether a pull from scratch brings the caller these records of school A, as school A holds them: all of them
 * (`receives`), none (`nothing`), or some (named, a failure either way). A record of school B that happens to have
 * the same id is not school A's record.
 */
async function receives(
  world: World,
  caller: Caller,
  wanted: ReadonlyArray<{ kind: string; id: string; data: PlainRecord }>,
): Promise<Cell> {
  const received = await pullEverything(world, caller);
  if (typeof received === 'number') return received;
  const got = wanted.filter((record) =>
    received.some((r) => r.kind === record.kind && r.id === record.id && isDeepStrictEqual(r.data, record.data)),
  );
  if (got.length === 0) return 'nothing';
  if (got.length === wanted.length) return 'receives';
  return `part of it: ${got.map((r) => r.kind).join(', ')}`;
}

/** The observation and everything recorded in it, as school A holds them. */
async function lessonRecords(world: World, observationId: string) {
  const rows = await world.test.database.query<{ kind: string; id: string; data: PlainRecord }>(
    'SELECT kind, id, data FROM records WHERE school_id = $1 AND observation_id = $2 ORDER BY kind',
    [schoolA(world), observationId],
  );
  expect(rows.map((r) => r.kind)).toContain('observation');
  return rows;
}

async function receivesLesson(world: World, caller: Caller, observationId: string): Promise<Cell> {
  return receives(world, caller, await lessonRecords(world, observationId));
}

/** A rating on the lesson observation's four-point scale other than this one. */
const otherRating = (rating: unknown): number => (rating === 3 ? 2 : 3);

async function ratingOf(world: World, observationId: string): Promise<unknown> {
  return (await recordOfA(world, 'response', `${observationId}:${ITEM}`))?.rating;
}

/** Opens the event stream over a real connection, reads its first line, and closes it. */
async function openEvents(world: World, caller: Caller): Promise<Cell> {
  const controller = new AbortController();
  try {
    const response = await fetch(`${world.address}/api/sync/events`, {
      headers: headersOf(world, caller),
      signal: controller.signal,
    });
    if (response.status !== 200) {
      await response.text();
      return response.status;
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream')) return `200 with ${type}`;
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('retry: 5000')) {
      const { value, done } = await reader.read();
      if (done) return `200, but the stream ended after ${JSON.stringify(text)}`;
      text += decoder.decode(value);
    }
    await reader.cancel();
    return 200;
  } finally {
    controller.abort();
  }
}

type Action = (world: World, caller: Caller) => Promise<Cell>;

const ACTIONS: Record<RowName, Action> = {
  'GET /api/health': (world, caller) =>
    statusOf(world.server.app.inject({ method: 'GET', url: '/api/health', headers: headersOf(world, caller) })),
  "GET /api/mail/unsubscribe, the observer's link": async (world, caller) =>
    statusOf(
      world.server.app.inject({
        method: 'GET',
        url: `/api/mail/unsubscribe?${await unsubscribeLink(world, world.people.observer.person.id)}`,
        headers: headersOf(world, caller),
      }),
    ),
  "POST /api/mail/unsubscribe, the observer's link": async (world, caller) =>
    statusOf(
      world.server.app.inject({
        method: 'POST',
        url: `/api/mail/unsubscribe?${await unsubscribeLink(world, world.people.observer.person.id)}`,
        payload: 'List-Unsubscribe=One-Click',
        headers: { ...headersOf(world, caller), 'content-type': 'application/x-www-form-urlencoded' },
      }),
    ),
  "POST /api/mail/unsubscribe, the observer's token on the observed teacher's id": async (world, caller) => {
    const link = new URLSearchParams(await unsubscribeLink(world, world.people.observer.person.id));
    link.set('p', world.people.observed.person.id);
    return statusOf(
      world.server.app.inject({
        method: 'POST',
        url: `/api/mail/unsubscribe?${link}`,
        payload: 'List-Unsubscribe=One-Click',
        headers: { ...headersOf(world, caller), 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
  },

  'POST /api/setup, a used set-up link': (world, caller) =>
    statusOf(
      world.server.app.inject({
        method: 'POST',
        url: '/api/setup',
        headers: headersOf(world, caller),
        payload: { token: world.usedSetupToken, schoolName: 'Nog een', adminName: 'Iemand' },
      }),
    ),

  'POST /api/setup, a fresh set-up link': async (world, caller) => {
    const token = await issueSetupToken(world.test.database, world.server.clock.now());
    return statusOf(
      world.server.app.inject({
        method: 'POST',
        url: '/api/setup',
        headers: headersOf(world, caller),
        payload: { token, schoolName: `School van ${caller}`, adminName: 'Iemand' },
      }),
    );
  },

  'POST /api/sign-in, a wrong code': (world, caller) =>
    statusOf(
      world.server.app.inject({
        method: 'POST',
        url: '/api/sign-in',
        headers: headersOf(world, caller),
        payload: { code: 'AAAA-AAAA' },
      }),
    ),

  'POST /api/sign-in, a fresh code of a person of A': async (world, caller) => {
    const person = await addPerson(world.server, world.people.leader, {
      name: `Nieuw voor ${caller}`,
      role: 'teacher',
      starter: false,
    });
    const code = await issueCode(world.server, world.people.leader, person.id);
    const response = await world.server.app.inject({
      method: 'POST',
      url: '/api/sign-in',
      headers: headersOf(world, caller),
      payload: { code },
    });
    if (response.statusCode === 200 && response.json<{ person: Person }>().person.id !== person.id)
      return '200, signed in as someone else';
    return response.statusCode;
  },

  'POST /api/people': (world, caller) =>
    statusOf(
      world.server.app.inject({
        method: 'POST',
        url: '/api/people',
        headers: headersOf(world, caller),
        payload: { name: 'Nieuwe collega', role: 'teacher', starter: false },
      }),
    ),

  'POST /api/people, in a team of A': (world, caller) =>
    statusOf(
      world.server.app.inject({
        method: 'POST',
        url: '/api/people',
        headers: headersOf(world, caller),
        payload: { name: 'Nieuwe collega', role: 'teacher', starter: false, teamId: world.teamOfA },
      }),
    ),

  'POST /api/people/<observed>/sign-in-codes': (world, caller) =>
    statusOf(
      world.server.app.inject({
        method: 'POST',
        url: `/api/people/${world.people.observed.person.id}/sign-in-codes`,
        headers: headersOf(world, caller),
      }),
    ),

  'POST /api/sign-in-codes for <observed> and <teacher>': (world, caller) =>
    statusOf(
      world.server.app.inject({
        method: 'POST',
        url: '/api/sign-in-codes',
        headers: headersOf(world, caller),
        payload: { personIds: [world.people.observed.person.id, world.people.teacher.person.id], minutes: 480 },
      }),
    ),

  'POST /api/sign-in-codes/revoke for <observed>': (world, caller) =>
    statusOf(
      world.server.app.inject({
        method: 'POST',
        url: '/api/sign-in-codes/revoke',
        headers: headersOf(world, caller),
        payload: { personIds: [world.people.observed.person.id] },
      }),
    ),

  'GET /api/me': async (world, caller) => {
    const response = await world.server.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: headersOf(world, caller),
    });
    if (response.statusCode === 200 && response.json<{ person: Person }>().person.id !== idOf(world, caller))
      return '200, about someone else';
    return response.statusCode;
  },

  'GET /api/sessions (own devices)': async (world, caller) => {
    const response = await world.server.app.inject({
      method: 'GET',
      url: '/api/sessions',
      headers: headersOf(world, caller),
    });
    if (response.statusCode === 200) {
      const sessions = response.json<{ sessions: Array<{ personId: string }> }>().sessions;
      if (sessions.length === 0 || sessions.some((s) => s.personId !== idOf(world, caller)))
        return "200, not the caller's devices";
    }
    return response.statusCode;
  },

  'GET /api/sessions?personId=<observed>': async (world, caller) => {
    const response = await world.server.app.inject({
      method: 'GET',
      url: `/api/sessions?personId=${world.people.observed.person.id}`,
      headers: headersOf(world, caller),
    });
    if (
      response.statusCode === 200 &&
      !response
        .json<{ sessions: Array<{ id: string }> }>()
        .sessions.some((s) => s.id === world.people.observed.sessionId)
    )
      return "200, without Otto's device";
    return response.statusCode;
  },

  "DELETE /api/sessions/<observed's other device>": async (world, caller) => {
    const victim = await anotherDevice(world, 'observed');
    const status = await statusOf(
      world.server.app.inject({
        method: 'DELETE',
        url: `/api/sessions/${victim.sessionId}`,
        headers: headersOf(world, caller),
      }),
    );
    const signedOut = (await me(world, victim.token)) === 401;
    if (signedOut !== (status === 204))
      return `${status}, and the device is ${signedOut ? 'signed out' : 'still signed in'}`;
    return status;
  },

  "POST /api/sign-out (the caller's other device)": async (world, caller) => {
    if (caller === 'none') return statusOf(world.server.app.inject({ method: 'POST', url: '/api/sign-out' }));
    const spare = await anotherDevice(world, caller);
    const status = await statusOf(
      world.server.app.inject({ method: 'POST', url: '/api/sign-out', headers: bearer(spare.token) }),
    );
    const signedOut = (await me(world, spare.token)) === 401;
    if (signedOut !== (status === 204))
      return `${status}, and the device is ${signedOut ? 'signed out' : 'still signed in'}`;
    if ((await me(world, world.people[caller].token)) !== 200)
      return `${status}, and the caller's own device was signed out too`;
    return status;
  },

  'GET /api/sync/events': openEvents,

  'GET /api/sync/pull: O before hand-over': (world, caller) => receivesLesson(world, caller, world.lessons.draft),
  'GET /api/sync/pull: O handed over, kept private': (world, caller) =>
    receivesLesson(world, caller, world.lessons.handedOver),
  'GET /api/sync/pull: O shared with the leadership': (world, caller) =>
    receivesLesson(world, caller, world.lessons.sharedWithLeader),
  'GET /api/sync/pull: O shared with the starter’s coach': (world, caller) =>
    receivesLesson(world, caller, world.lessons.sharedWithCoach),
  "GET /api/sync/pull: the coach's request for the starter's lesson": async (world, caller) => {
    const request = await recordOfA(world, 'request', world.coachRequest);
    return receives(world, caller, [{ kind: 'request', id: world.coachRequest, data: request! }]);
  },

  'push: patch a rating of O before hand-over': async (world, caller) => {
    const { draft } = world.lessons;
    return pushOne(
      world,
      caller,
      change(world, caller, 'response', `${draft}:${ITEM}`, 'patch', {
        rating: otherRating(await ratingOf(world, draft)),
      }),
    );
  },

  'push: patch a rating of O before hand-over, to the value it holds': async (world, caller) => {
    const { draft } = world.lessons;
    return pushOne(
      world,
      caller,
      change(world, caller, 'response', `${draft}:${ITEM}`, 'patch', { rating: await ratingOf(world, draft) }),
    );
  },

  'push: patch a rating of O after hand-over': async (world, caller) => {
    const { handedOver } = world.lessons;
    return pushOne(
      world,
      caller,
      change(world, caller, 'response', `${handedOver}:${ITEM}`, 'patch', {
        rating: otherRating(await ratingOf(world, handedOver)),
      }),
    );
  },

  'push: insert a note into O before hand-over': (world, caller) => {
    const id = randomUUID();
    const note = {
      id,
      owner: idOf(world, caller),
      createdAt: T,
      updatedAt: T,
      observationId: world.lessons.draft,
      text: `Notitie van ${caller}`,
      lessonMs: 60_000,
    };
    return pushOne(world, caller, change(world, caller, 'note', id, 'insert', note));
  },

  'push: insert a reflection on O before hand-over, as its teacher': (world, caller) => {
    const { draft } = world.lessons;
    const reflection = {
      id: draft,
      owner: idOf(world, caller),
      createdAt: T,
      updatedAt: T,
      observationId: draft,
      teacherId: idOf(world, caller) ?? randomUUID(),
      text: 'Mijn reflectie',
    };
    return pushOne(world, caller, change(world, caller, 'reflection', draft, 'insert', reflection));
  },

  'push: patch the reflection on O after hand-over': (world, caller) =>
    pushOne(
      world,
      caller,
      change(world, caller, 'reflection', world.lessons.handedOver, 'patch', {
        text: `Reflectie, geschreven door ${caller} (${randomUUID()})`,
      }),
    ),

  'push: patch the feedback of O shared with the leadership': (world, caller) =>
    pushOne(
      world,
      caller,
      change(world, caller, 'feedback', world.lessons.sharedWithLeader, 'patch', {
        nextStep: `Volgende stap van ${caller} (${randomUUID()})`,
      }),
    ),

  'push: insert an observation under the id of O after hand-over': (world, caller) => {
    const { handedOver } = world.lessons;
    const self = idOf(world, caller) ?? randomUUID();
    // Someone of the caller's own school whose lesson it would be.
    const colleague =
      caller === 'otherLeader'
        ? world.bea.id
        : caller === 'teacher'
          ? world.people.observed.person.id
          : world.people.teacher.person.id;
    const observation = lessonRecord(self, colleague, handedOver);
    return pushOne(world, caller, change(world, caller, 'observation', handedOver, 'insert', observation));
  },

  // Whether a refusal carries a copy depends on whether Olga's cell (which hands it over) ran before: not compared.
  'push: hand O over': (world, caller) =>
    pushOne(
      world,
      caller,
      change(world, caller, 'observation', world.lessons.readyToHandOver, 'patch', {
        status: 'shared',
        handedOverAt: T + 1_000 + CALLERS.indexOf(caller),
      }),
      { copy: false },
    ),

  "push: ask for an observation of the starter's lesson": (world, caller) => {
    const id = randomUUID();
    const requester = idOf(world, caller) ?? randomUUID();
    const request = {
      id,
      owner: requester,
      createdAt: T,
      updatedAt: T,
      requesterId: requester,
      observedId: world.people.observed.person.id,
      observerId: world.people.observer.person.id,
      purpose: caller === 'coach' ? 'coach' : 'peer',
      instrumentKey: INSTRUMENT,
      context: {},
    };
    return pushOne(world, caller, change(world, caller, 'request', id, 'insert', request));
  },

  'push: throw O away, shared with the leadership': (world, caller) =>
    pushOne(
      world,
      caller,
      change(world, caller, 'observation', world.lessons.sharedWithLeader, 'tombstone', { deletedAt: T + 2_000 }),
    ),

  "push: decline the coach's request": (world, caller) => {
    const id = randomUUID();
    const decline = {
      id,
      owner: idOf(world, caller),
      createdAt: T,
      updatedAt: T,
      requestId: world.coachRequest,
      observerId: idOf(world, caller) ?? randomUUID(),
      reason: 'Die week heb ik geen tijd',
    };
    return pushOne(world, caller, change(world, caller, 'decline', id, 'insert', decline));
  },

  // A leader already is one: for them (and for school B's leader, in school B) the change changes nothing.
  'push: make oneself a school leader': (world, caller) =>
    pushOne(
      world,
      caller,
      change(world, caller, 'person', idOf(world, caller) ?? randomUUID(), 'patch', { role: 'leader' }),
    ),

  'GET /api/insight/stalled': async (world, caller) =>
    (
      await world.server.app.inject({
        method: 'GET',
        url: '/api/insight/stalled',
        headers: headersOf(world, caller),
      })
    ).statusCode,

  'GET /api/insight/team?teamId=<team of A>': async (world, caller) => {
    const insight = (teamId: string) =>
      world.server.app.inject({
        method: 'GET',
        url: `/api/insight/team?teamId=${teamId}`,
        headers: headersOf(world, caller),
      });
    const response = await insight(world.teamOfA);
    // Another school's team is answered as any team that does not exist: its id is not confirmed.
    if (caller === 'otherLeader' && response.statusCode === 200 && response.body !== (await insight(randomUUID())).body)
      return "200, and it tells school A's team from a made-up one";
    return response.statusCode;
  },

  'POST /api/school/records, a new team': (world, caller) => {
    const team = {
      id: randomUUID(),
      owner: idOf(world, caller),
      createdAt: T,
      updatedAt: T,
      name: `Team van ${caller}`,
    };
    return statusOf(
      world.server.app.inject({
        method: 'POST',
        url: '/api/school/records',
        headers: headersOf(world, caller),
        payload: { format: 'meekijken-backup', tables: { teams: [team] } },
      }),
    );
  },

  'POST /api/school/records, a reflection sharing O, then pull': async (world, caller) => {
    const lesson = world.lessons.withoutReflection;
    const observed = world.people.observed.person.id;
    const reflection = {
      id: lesson,
      owner: observed,
      createdAt: T,
      updatedAt: T,
      observationId: lesson,
      teacherId: observed,
      text: '',
      sharedWithLeaderAt: T + 500,
    };
    const response = await world.server.app.inject({
      method: 'POST',
      url: '/api/school/records',
      headers: headersOf(world, caller),
      payload: { format: 'meekijken-backup', tables: { reflections: [reflection] } },
    });
    if (response.statusCode !== 200 && response.statusCode !== 400) return response.statusCode;
    // Refused whole (400) or taken: what matters is that the leader is not sent a lesson nobody shared.
    const records = (await lessonRecords(world, lesson)).filter((r) => r.kind !== 'reflection');
    return receives(world, caller, records);
  },

  'POST /api/school/demo': (world, caller) =>
    statusOf(world.server.app.inject({ method: 'POST', url: '/api/school/demo', headers: headersOf(world, caller) })),

  'POST /api/mail/test (own address)': async (world, caller) => {
    if (caller !== 'none') await setMailOf(world, caller);
    return statusOf(
      world.server.app.inject({ method: 'POST', url: '/api/mail/test', headers: headersOf(world, caller) }),
    );
  },

  'GET /api/mail/confirm, any link': (world, caller) =>
    statusOf(
      world.server.app.inject({
        method: 'GET',
        url: `/api/mail/confirm?s=${schoolA(world)}&p=${world.people.observer.person.id}&t=made-up`,
        headers: headersOf(world, caller),
      }),
    ),
  'POST /api/mail/confirm, a token the server did not send': async (world, caller) => {
    await setMailOf(world, 'observer');
    return statusOf(
      world.server.app.inject({
        method: 'POST',
        url: `/api/mail/confirm?s=${schoolA(world)}&p=${world.people.observer.person.id}&t=made-up`,
        headers: { ...headersOf(world, caller), 'content-type': 'application/x-www-form-urlencoded' },
        payload: '',
      }),
    );
  },

  'GET /api/mail/settings (own)': async (world, caller) => {
    if (caller !== 'none') await setMailOf(world, caller);
    const response = await world.server.app.inject({
      method: 'GET',
      url: '/api/mail/settings',
      headers: headersOf(world, caller),
    });
    if (response.statusCode === 200 && response.json<MailAnswer>().settings?.address !== mailAddressOf(caller))
      return "200, without the caller's address";
    return response.statusCode;
  },

  'GET /api/mail/settings?personId=<observed>': async (world, caller) => {
    await setMailOf(world, 'observed');
    const response = await world.server.app.inject({
      method: 'GET',
      url: `/api/mail/settings?personId=${world.people.observed.person.id}`,
      headers: headersOf(world, caller),
    });
    if (response.statusCode === 200 && response.json<MailAnswer>().settings?.address !== mailAddressOf('observed'))
      return "200, without Otto's address";
    return response.statusCode;
  },

  'PUT /api/mail/settings (own)': async (world, caller) => {
    const address = `nieuw.${caller}@school.nl`;
    const response = await world.server.app.inject({
      method: 'PUT',
      url: '/api/mail/settings',
      headers: headersOf(world, caller),
      payload: { address, kinds: ['request'] },
    });
    if (response.statusCode !== 200) return response.statusCode;
    const who = world.people[caller as SignedInCaller];
    if ((await mailRowOf(world, who)) !== address) return "200, but the caller's row does not hold it";
    return 200;
  },

  'DELETE /api/mail/settings?personId=<observed>': async (world, caller) => {
    const otto = world.people.observed;
    await setMailOf(world, 'observed');
    const status = await statusOf(
      world.server.app.inject({
        method: 'DELETE',
        url: `/api/mail/settings?personId=${otto.person.id}`,
        headers: headersOf(world, caller),
      }),
    );
    const gone = (await mailRowOf(world, otto)) === undefined;
    if (gone !== (status === 204)) return `${status}, and Otto's settings are ${gone ? 'gone' : 'still there'}`;
    return status;
  },
};

interface MailAnswer {
  settings?: { address: string };
}

const mailAddressOf = (caller: Caller) => `${caller}@school.nl`;

/** A caller's e-mail choice, as saving it would leave it (written straight into the table, as a fixture). */
async function setMailOf(world: World, caller: SignedInCaller): Promise<void> {
  const who = world.people[caller];
  await world.test.database.query(
    `INSERT INTO mail_settings (school_id, person_id, address, kinds, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (school_id, person_id) DO UPDATE SET address = EXCLUDED.address, kinds = EXCLUDED.kinds`,
    [who.schoolId, who.person.id, mailAddressOf(caller), JSON.stringify(['request']), T],
  );
}

async function mailRowOf(world: World, who: SignedInPerson): Promise<string | undefined> {
  const [row] = await world.test.database.query<{ address: string }>(
    'SELECT address FROM mail_settings WHERE school_id = $1 AND person_id = $2',
    [who.schoolId, who.person.id],
  );
  return row?.address;
}

/** Olga's observation of Otto's lesson (or another observer's of another lesson), as a draft. */
function lessonRecord(observerId: string, observedId: string, id: string = randomUUID()) {
  return {
    id,
    owner: observerId,
    createdAt: T,
    updatedAt: T,
    instrumentKey: INSTRUMENT,
    observerId,
    observedId,
    purpose: 'peer',
    status: 'draft',
    context: {},
    clock: { elapsedMs: 0 },
    position: {},
    startedAt: T,
  };
}

/** O in one state, made as the app makes it: Olga's pushes, then Otto's. */
async function lesson(
  world: Pick<World, 'server'>,
  olga: SignedInPerson,
  otto: SignedInPerson,
  stage: 'draft' | 'ready' | 'handed-over' | 'reflected' | 'shared' | 'shared-with-coach',
): Promise<string> {
  const o = lessonRecord(olga.person.id, otto.person.id);
  const by = (
    who: SignedInPerson,
    kind: RecordKind,
    recordId: string,
    op: OutboxChange['op'],
    fields: Record<string, unknown>,
  ): OutboxChange => ({ id: randomUUID(), kind, recordId, op, fields, at: T, actor: who.person.id });
  const observer: OutboxChange[] = [
    by(olga, 'observation', o.id, 'insert', o),
    by(olga, 'response', `${o.id}:${ITEM}`, 'insert', {
      id: `${o.id}:${ITEM}`,
      owner: olga.person.id,
      createdAt: T,
      updatedAt: T,
      observationId: o.id,
      itemId: ITEM,
      rating: 2,
      lookFors: [],
    }),
  ];
  if (stage !== 'draft') {
    const points = [
      { id: 'p1', kind: 'top', text: 'Heldere uitleg' },
      { id: 'p2', kind: 'tip', text: 'Meer wachttijd' },
    ];
    observer.push(
      by(olga, 'observation', o.id, 'patch', { status: 'completed', completedAt: T + 10 }),
      by(olga, 'feedback', o.id, 'insert', {
        id: o.id,
        owner: olga.person.id,
        createdAt: T,
        updatedAt: T,
        observationId: o.id,
        points,
        nextStep: 'Wachttijd na een vraag',
      }),
    );
  }
  if (stage === 'handed-over' || stage === 'reflected' || stage === 'shared' || stage === 'shared-with-coach')
    observer.push(by(olga, 'observation', o.id, 'patch', { status: 'shared', handedOverAt: T + 20 }));
  await pushAll(world, olga, observer);
  if (stage === 'reflected' || stage === 'shared' || stage === 'shared-with-coach') {
    const reflection = {
      id: o.id,
      owner: otto.person.id,
      createdAt: T,
      updatedAt: T,
      observationId: o.id,
      teacherId: otto.person.id,
      text: 'Ik ga oefenen',
      readAt: T + 30,
      ...(stage === 'shared' ? { sharedWithLeaderAt: T + 40 } : {}),
      ...(stage === 'shared-with-coach' ? { sharedWithCoachAt: T + 40 } : {}),
    };
    await pushAll(world, otto, [by(otto, 'reflection', o.id, 'insert', reflection)]);
  }
  return o.id;
}

async function buildWorld(kind: DatabaseKind): Promise<World> {
  const test = await freshDatabase(kind);
  // Many sign-ins from one address in a few seconds: the per-address limit is not what this file tests.
  const server = await testServer(test.database, { signInLimits: { perAddressPerMinute: 10_000 } });
  const leader = await setUpSchool(server, { schoolName: 'De Regenboog', adminName: 'Anna de Vries' });
  const otherLeader = await setUpSchool(server, { schoolName: 'De Klimop', adminName: 'Bert Bakker' });
  const teacher = await signedInAs(server, leader, { name: 'Tessa', role: 'teacher', starter: false });
  const observer = await signedInAs(server, leader, { name: 'Olga', role: 'teacher', starter: false });
  const coach = await signedInAs(server, leader, { name: 'Coen', role: 'coach', starter: false });
  const observed = await signedInAs(server, leader, {
    name: 'Otto',
    role: 'teacher',
    starter: true,
    coachId: coach.person.id,
  });
  const bea = await addPerson(server, otherLeader, { name: 'Bea', role: 'teacher', starter: false });

  // A link used once already.
  const usedSetupToken = await issueSetupToken(test.database, server.clock.now());
  const used = await server.app.inject({
    method: 'POST',
    url: '/api/setup',
    payload: { token: usedSetupToken, schoolName: 'De Eerste', adminName: 'Eva' },
  });
  expect(used.statusCode, used.body).toBe(201);

  const world = { server };
  const teamOfA = randomUUID();
  await pushAll(world, leader, [
    {
      id: randomUUID(),
      kind: 'team',
      recordId: teamOfA,
      op: 'insert',
      fields: { id: teamOfA, owner: leader.person.id, createdAt: T, updatedAt: T, name: 'Bovenbouw' },
      at: T,
      actor: leader.person.id,
    },
  ]);
  const lessons: Lessons = {
    draft: await lesson(world, observer, observed, 'draft'),
    handedOver: await lesson(world, observer, observed, 'reflected'),
    sharedWithLeader: await lesson(world, observer, observed, 'shared'),
    sharedWithCoach: await lesson(world, observer, observed, 'shared-with-coach'),
    readyToHandOver: await lesson(world, observer, observed, 'ready'),
    withoutReflection: await lesson(world, observer, observed, 'handed-over'),
  };
  const coachRequest = randomUUID();
  const request = {
    id: coachRequest,
    owner: coach.person.id,
    createdAt: T,
    updatedAt: T,
    requesterId: coach.person.id,
    observedId: observed.person.id,
    observerId: observer.person.id,
    purpose: 'coach',
    instrumentKey: INSTRUMENT,
    context: {},
    focusQuestion: 'Hoe start de les?',
  };
  await pushAll(world, coach, [
    {
      id: randomUUID(),
      kind: 'request',
      recordId: coachRequest,
      op: 'insert',
      fields: request,
      at: T,
      actor: coach.person.id,
    },
  ]);
  // School B has a lesson of its own, so neither school takes the demo.
  const lessonInB = lessonRecord(otherLeader.person.id, bea.id);
  await pushAll(world, otherLeader, [
    {
      id: randomUUID(),
      kind: 'observation',
      recordId: lessonInB.id,
      op: 'insert',
      fields: lessonInB,
      at: T,
      actor: otherLeader.person.id,
    },
  ]);

  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    test,
    server,
    address,
    people: { teacher, observer, observed, coach, leader, otherLeader },
    bea,
    teamOfA,
    lessons,
    coachRequest,
    usedSetupToken,
  };
}

/** The routes the table has rows for (the push rows are `push: …`). A new route fails the last test until it has rows. */
const ROUTES = [
  'GET /api/health',
  'GET /api/mail/unsubscribe',
  'POST /api/mail/unsubscribe',
  'GET /api/mail/confirm',
  'POST /api/mail/confirm',
  'POST /api/setup',
  'POST /api/sign-in',
  'POST /api/people',
  'POST /api/people/:personId/sign-in-codes',
  'POST /api/sign-in-codes',
  'POST /api/sign-in-codes/revoke',
  'GET /api/me',
  'GET /api/sessions',
  'DELETE /api/sessions/:id',
  'POST /api/sign-out',
  'GET /api/sync/events',
  'GET /api/sync/pull',
  'POST /api/sync/push',
  'GET /api/insight/team',
  'GET /api/insight/stalled',
  'POST /api/school/records',
  'POST /api/school/demo',
  'GET /api/mail/settings',
  'PUT /api/mail/settings',
  'DELETE /api/mail/settings',
  'POST /api/mail/test',
] as const;

/** `METHOD /path` of every route in Fastify's route tree (`printRoutes`), HEAD left out, sorted. */
function serverRoutes(tree: string): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const path = stack.join('');
    for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes.sort();
}

const show = (cell: Cell) => (typeof cell === 'number' ? String(cell) : cell);

forEachDatabase((kind) => {
  describe(`who may do what, on ${kind}`, () => {
    let world: World | undefined;
    beforeAll(async () => {
      world = await buildWorld(kind);
    });
    afterAll(async () => {
      await world?.server.app.close();
      await world?.test.drop();
    });

    for (const [row, cells] of Object.entries(TABLE) as Array<[RowName, Row]>) {
      describe(row, () => {
        CALLERS.forEach((caller, column) => {
          const expected = cells[column]!;
          const wrong = KNOWN_WRONG.find((known) => known.row === row && known.callers.includes(caller));
          const cell = wrong ? it.fails : it;
          cell(`${caller} → ${show(expected)}${wrong ? ` (the server answers ${wrong.got})` : ''}`, async () => {
            if (!world) throw new Error('the schools were not set up');
            let actual: Cell;
            try {
              actual = await ACTIONS[row](world, caller);
            } catch (error) {
              // A known-wrong cell must fail on its known answer, not on a broken request: passing here turns it red.
              if (wrong) return;
              throw error;
            }
            // Likewise when the server answers anything but the known wrong answer: fixed (drop it from KNOWN_WRONG)
            // or wrong in a new way.
            if (wrong && actual !== wrong.got) return;
            expect(actual, `${row}, as ${caller}`).toBe(expected);
          });
        });
      });
    }

    it('has rows for every route the server has, and no route it lacks', () => {
      expect(serverRoutes(world!.server.app.printRoutes({ commonPrefix: false }))).toEqual([...ROUTES].sort());
    });
  });
});
