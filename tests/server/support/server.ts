/**
 * A school server for a test: built on a fresh, migrated database, driven with `inject()`, with a clock the test
 * moves. Plus the steps most tests start with: set up a school, add a person, give them a code, sign in.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Person } from '../../../src/core/model/records';
import { buildServer, type BuildServerOptions } from '../../../src/server/app';
import { issueSetupToken } from '../../../src/server/accounts/setup';
import type { Database } from '../../../src/server/db/database';
import { migrate } from '../../../src/server/db/migrate';

interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

/** 1 September 2026, 08:00 UTC: a school morning. */
function testClock(start = Date.UTC(2026, 8, 1, 8)): TestClock {
  let at = start;
  return { now: () => at, advance: (ms) => (at += ms) };
}

export interface TestServer {
  app: FastifyInstance;
  database: Database;
  clock: TestClock;
}

export async function testServer(database: Database, options: Partial<BuildServerOptions> = {}): Promise<TestServer> {
  const clock = testClock();
  await migrate(database);
  const app = await buildServer({ database, now: clock.now, ...options });
  return { app, database, clock };
}

/** The session token a response set in its cookie (either name). */
export function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((each) => /^(__Host-)?meekijken-/.test(each.name));
  expect(cookie, `a session cookie in ${JSON.stringify(response.headers['set-cookie'])}`).toBeDefined();
  return cookie!.value;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface SignedInPerson {
  token: string;
  person: Person;
  schoolId: string;
  sessionId: string;
}

/** A new school through a set-up link; returns its administrator, signed in. */
export async function setUpSchool(
  server: TestServer,
  names = { schoolName: 'De Regenboog', adminName: 'Anna de Vries' },
): Promise<SignedInPerson> {
  const setupToken = await issueSetupToken(server.database, server.clock.now());
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/setup',
    payload: { token: setupToken, ...names, deviceLabel: 'laptop' },
  });
  expect(response.statusCode, response.body).toBe(201);
  const body = response.json<{ person: Person; school: { id: string }; sessionId: string }>();
  return { token: sessionCookie(response), person: body.person, schoolId: body.school.id, sessionId: body.sessionId };
}

export async function addPerson(
  server: TestServer,
  admin: SignedInPerson,
  body: Record<string, unknown> = { name: 'Bram Jansen', role: 'teacher', starter: false },
): Promise<Person> {
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/people',
    headers: bearer(admin.token),
    payload: body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Person>();
}

export async function issueCode(server: TestServer, admin: SignedInPerson, personId: string): Promise<string> {
  const response = await server.app.inject({
    method: 'POST',
    url: `/api/people/${personId}/sign-in-codes`,
    headers: bearer(admin.token),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ code: string }>().code;
}

export async function signIn(
  server: TestServer,
  code: string,
  deviceLabel = 'iPad groep 5',
): Promise<LightMyRequestResponse> {
  return server.app.inject({ method: 'POST', url: '/api/sign-in', payload: { code, deviceLabel } });
}

/** A teacher of the admin's school, signed in on a device. */
export async function signedInTeacher(
  server: TestServer,
  admin: SignedInPerson,
  name = 'Bram Jansen',
): Promise<SignedInPerson> {
  const person = await addPerson(server, admin, { name, role: 'teacher', starter: false });
  const response = await signIn(server, await issueCode(server, admin, person.id));
  expect(response.statusCode, response.body).toBe(200);
  return {
    token: sessionCookie(response),
    person,
    schoolId: admin.schoolId,
    sessionId: response.json<{ sessionId: string }>().sessionId,
  };
}

/** Row counts of every account table: a refused request must leave them as they were. */
export async function tableCounts(database: Database): Promise<Record<string, number>> {
  const tables = ['schools', 'school_versions', 'records', 'setup_tokens', 'sign_in_codes', 'sessions'];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await database.query<{ count: number }>(`SELECT count(*) AS count FROM ${table}`);
    counts[table] = row!.count;
  }
  const [versions] = await database.query<{ sum: number | null }>(
    'SELECT sum(version)::int8 AS sum FROM school_versions',
  );
  counts.versionSum = versions!.sum ?? 0;
  const [revoked] = await database.query<{ count: number }>(
    'SELECT count(*) AS count FROM sessions WHERE revoked_at IS NOT NULL',
  );
  counts.revokedSessions = revoked!.count;
  const [used] = await database.query<{ count: number }>(
    'SELECT count(*) AS count FROM sign_in_codes WHERE used_at IS NOT NULL',
  );
  counts.usedCodes = used!.count;
  return counts;
}
