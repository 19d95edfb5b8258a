/**
 * The sync routes over HTTP: push and pull as a signed-in person, a leader's team figures, the demo school and an
 * upload by an administrator; and every route refuses what it must (no session, malformed, oversized, wrong role)
 * with a clear 4xx that changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { forEachDatabase, freshDatabase, migratedDatabase, scalar } from './support/databases';
import {
  bearer,
  setUpSchool,
  signedInTeacher,
  testServer,
  type SignedInPerson,
  type TestServer,
} from './support/server';
import type { PullResponse, PushResponse } from '../../src/core/sync/protocol';
import { STREAMS_PER_SESSION } from '../../src/server/sync/event-streams';

/** When the records here were made: a time in a school year (times before 2000 are refused as implausible). */
const T = Date.UTC(2026, 0, 5);

forEachDatabase((kind) => {
  describe(`sync routes on ${kind}`, () => {
    const test = migratedDatabase(kind);
    let server: TestServer;
    let admin: SignedInPerson;
    let teacher: SignedInPerson;

    beforeEach(async () => {
      server = await testServer(test.database);
      admin = await setUpSchool(server);
      teacher = await signedInTeacher(server, admin);
    });
    afterEach(async () => {
      await server.app.close();
    });

    const records = () => scalar(test.database, 'SELECT count(*)::int8 FROM records');

    it('pushes an observation and pulls it back, with the school frame', async () => {
      const id = randomUUID();
      const observation = {
        id,
        owner: teacher.person.id,
        createdAt: T + 1,
        updatedAt: T + 1,
        instrumentKey: 'meekijken.lesobservatie@1.1.0',
        observerId: teacher.person.id,
        observedId: admin.person.id,
        purpose: 'peer',
        status: 'draft',
        context: {},
        clock: { elapsedMs: 0 },
        position: {},
        startedAt: T,
      };
      const push = await server.app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: bearer(teacher.token),
        payload: {
          changes: [
            {
              id: randomUUID(),
              kind: 'observation',
              recordId: id,
              op: 'insert',
              fields: observation,
              at: T,
              actor: teacher.person.id,
            },
          ],
        },
      });
      expect(push.statusCode, push.body).toBe(200);
      expect(push.json<PushResponse>().results[0]?.outcome).toBe('applied');
      const pull = await server.app.inject({
        method: 'GET',
        url: '/api/sync/pull?since=0',
        headers: bearer(teacher.token),
      });
      expect(pull.statusCode).toBe(200);
      const body = pull.json<PullResponse>();
      expect(body.records.map((r) => r.kind)).toEqual(
        expect.arrayContaining(['school', 'person', 'instrument', 'observation']),
      );
      expect(body.records.find((r) => r.kind === 'observation')?.data).toMatchObject({ id, status: 'draft' });
      expect(body.more).toBe(false);
    });

    it('refuses what it must with a 4xx and changes nothing', async () => {
      const before = await records();
      const change = {
        id: randomUUID(),
        kind: 'team',
        recordId: 't1',
        op: 'insert',
        fields: { id: 't1', name: 'x' },
        at: T,
        actor: null,
      };
      const cases = [
        { request: { method: 'POST' as const, url: '/api/sync/push', payload: { changes: [change] } }, status: 401 },
        { request: { method: 'GET' as const, url: '/api/sync/pull?since=0' }, status: 401 },
        {
          request: {
            method: 'POST' as const,
            url: '/api/sync/push',
            headers: { ...bearer(teacher.token), 'content-type': 'application/json' },
            payload: '{"changes": [',
          },
          status: 400,
        },
        {
          request: {
            method: 'POST' as const,
            url: '/api/sync/push',
            headers: bearer(teacher.token),
            payload: { changes: [{ ...change, kind: 'secret' }] },
          },
          status: 400,
        },
        {
          request: {
            method: 'POST' as const,
            url: '/api/sync/push',
            headers: bearer(teacher.token),
            payload: { changes: Array.from({ length: 201 }, () => change) },
          },
          status: 400,
        },
        {
          request: {
            method: 'POST' as const,
            url: '/api/sync/push',
            headers: bearer(teacher.token),
            payload: { changes: [{ ...change, fields: { id: 't1', name: 'x'.repeat(6_000_000) } }] },
          },
          status: 413,
        },
        {
          request: { method: 'GET' as const, url: '/api/sync/pull?since=-1', headers: bearer(teacher.token) },
          status: 400,
        },
        { request: { method: 'GET' as const, url: '/api/insight/team', headers: bearer(teacher.token) }, status: 403 },
        { request: { method: 'POST' as const, url: '/api/school/demo', headers: bearer(teacher.token) }, status: 403 },
        {
          request: {
            method: 'POST' as const,
            url: '/api/school/records',
            headers: bearer(teacher.token),
            payload: { tables: {} },
          },
          status: 403,
        },
        {
          request: {
            method: 'POST' as const,
            url: '/api/school/records',
            headers: bearer(admin.token),
            payload: { tables: { secrets: [{ id: 'x' }] } },
          },
          status: 400,
        },
      ];
      for (const { request, status } of cases) {
        const response = await server.app.inject(request);
        expect(response.statusCode, `${request.method} ${request.url}: ${response.body.slice(0, 200)}`).toBe(status);
        expect(response.json<{ error: { code: string; message: string } }>().error.message.length).toBeGreaterThan(0);
      }
      // A teacher's team insert is refused by the writer rules, not applied.
      const refused = await server.app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: bearer(teacher.token),
        payload: { changes: [change] },
      });
      expect(refused.json<PushResponse>().results[0]).toMatchObject({
        outcome: 'refused',
        reason: 'not-administrator',
      });
      expect(await records()).toBe(before);
    });

    it('loads the demo school once and gives a leader the team figures', async () => {
      const demo = await server.app.inject({ method: 'POST', url: '/api/school/demo', headers: bearer(admin.token) });
      expect(demo.statusCode, demo.body).toBe(200);
      expect(demo.json<{ added: number }>().added).toBeGreaterThan(1000);
      const again = await server.app.inject({ method: 'POST', url: '/api/school/demo', headers: bearer(admin.token) });
      expect(again.statusCode).toBe(409);
      const insight = await server.app.inject({
        method: 'GET',
        url: '/api/insight/team?teamId=&year=',
        headers: bearer(admin.token),
      });
      expect(insight.statusCode, insight.body).toBe(200);
      const body = insight.json<{
        view: { trend: { points: Array<{ shown: boolean }> } };
        themes: { members: number };
      }>();
      expect(body.view.trend.points.some((p) => p.shown)).toBe(true);
    });

    it('takes a device-only school’s records once: the same upload again adds nothing', async () => {
      const teamId = randomUUID();
      const tables = {
        teams: [{ id: teamId, owner: null, createdAt: T + 1, updatedAt: T + 1, name: 'Onderbouw' }],
        schools: [{ id: 'local-school', owner: null, createdAt: T + 1, updatedAt: T + 1, name: 'De Regenboog' }],
      };
      const first = await server.app.inject({
        method: 'POST',
        url: '/api/school/records',
        headers: bearer(admin.token),
        payload: { format: 'meekijken-backup', tables },
      });
      expect(first.json()).toEqual({ added: 1, skipped: 1 });
      const second = await server.app.inject({
        method: 'POST',
        url: '/api/school/records',
        headers: bearer(admin.token),
        payload: { format: 'meekijken-backup', tables },
      });
      expect(second.json()).toEqual({ added: 0, skipped: 2 });
    });

    it('takes people who refer to each other in one upload: a starter and the coach the school chose', async () => {
      const coachId = randomUUID();
      const starterId = randomUUID();
      const person = (id: string, name: string, extra: object) => ({
        id,
        owner: null,
        createdAt: T + 1,
        updatedAt: T + 1,
        name,
        ...extra,
      });
      // The starter comes first, as a device's table may list them: the coach is not stored yet when she is judged.
      const people = [
        person(starterId, 'Sanne', { role: 'teacher', starter: true, coachId }),
        person(coachId, 'Dirk', { role: 'coach', starter: false }),
      ];
      const upload = (tables: object) =>
        server.app.inject({
          method: 'POST',
          url: '/api/school/records',
          headers: bearer(admin.token),
          payload: { format: 'meekijken-backup', tables },
        });
      const taken = await upload({ people });
      expect(taken.json(), taken.body).toEqual({ added: 2, skipped: 0 });
      // A coach who is not in the school, nor in the upload, is still refused.
      const stranger = await upload({
        people: [person(randomUUID(), 'Eva', { role: 'teacher', starter: true, coachId: randomUUID() })],
      });
      expect(stranger.statusCode).toBe(400);
      expect(stranger.json()).toEqual({
        error: { code: 'upload-refused', message: expect.stringMatching(/coachId/) },
      });
    });
  });
});

describe('change events', () => {
  /** Opens a stream over real HTTP; `ended` resolves once the server closed it. */
  async function openStream(address: string, token: string) {
    const response = await fetch(`${address}/api/sync/events`, { headers: bearer(token) });
    if (response.status !== 200) return { response, ended: Promise.resolve(true) };
    const reader = response.body!.getReader();
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return true;
    })().catch(() => true);
    return { response, ended };
  }

  it("keeps a few streams per session (a new one closes the oldest) and refuses one beyond the school's limit with 429", async () => {
    const test = await freshDatabase('pglite');
    const server = await testServer(test.database, { streamLimits: { perSession: 2, perSchool: 3 } });
    try {
      const admin = await setUpSchool(server);
      const bram = await signedInTeacher(server, admin);
      const carla = await signedInTeacher(server, admin, 'Carla');
      const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
      const streams = server.app.meekijken.streams;
      const a1 = await openStream(address, admin.token);
      const a2 = await openStream(address, admin.token);
      const a3 = await openStream(address, admin.token);
      expect([a1, a2, a3].map((each) => each.response.status)).toEqual([200, 200, 200]);
      expect(await a1.ended).toBe(true);
      expect(streams.count(admin.schoolId)).toBe(2);
      const b1 = await openStream(address, bram.token);
      expect(b1.response.status).toBe(200);
      const refused = await openStream(address, carla.token);
      expect(refused.response.status).toBe(429);
      expect(refused.response.headers.get('retry-after')).toBe('60');
      expect(await refused.response.json()).toEqual({
        error: { code: 'too-many-streams', message: expect.stringMatching(/next sync/) },
      });
      // Bram's second stream would not close one of his own: the school is full.
      expect((await openStream(address, bram.token)).response.status).toBe(429);
      // The leader's third closes her oldest, so it fits.
      const a4 = await openStream(address, admin.token);
      expect(a4.response.status).toBe(200);
      expect(await a2.ended).toBe(true);
      expect(streams.count(admin.schoolId)).toBe(3);
      // Signing out ends the session's streams at once.
      const out = await server.app.inject({ method: 'POST', url: '/api/sign-out', headers: bearer(admin.token) });
      expect(out.statusCode).toBe(204);
      expect(await Promise.all([a3.ended, a4.ended])).toEqual([true, true]);
      expect(streams.count(admin.schoolId)).toBe(1);
    } finally {
      await server.app.close();
      await test.drop();
    }
  });

  it('keeps at most four streams of one session open by default, however many it opens', async () => {
    const test = await freshDatabase('pglite');
    const server = await testServer(test.database);
    try {
      const admin = await setUpSchool(server);
      const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
      const opened = [];
      for (let i = 0; i < 30; i++) opened.push(await openStream(address, admin.token));
      expect(opened.every((each) => each.response.status === 200)).toBe(true);
      expect(await Promise.all(opened.slice(0, 30 - STREAMS_PER_SESSION).map((each) => each.ended))).toEqual(
        Array(30 - STREAMS_PER_SESSION).fill(true),
      );
      expect(server.app.meekijken.streams.count()).toBe(STREAMS_PER_SESSION);
      expect(server.app.meekijken.changes.size).toBe(STREAMS_PER_SESSION);
    } finally {
      await server.app.close();
      await test.drop();
    }
  });

  it('tells the devices of a school that something changed, and only that school; closing the server ends the streams', async () => {
    const test = await freshDatabase('pglite');
    const server = await testServer(test.database);
    try {
      const admin = await setUpSchool(server);
      const teacher = await signedInTeacher(server, admin);
      const other = await setUpSchool(server, { schoolName: 'De Klimop', adminName: 'Karim' });
      const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
      const listen = async (token: string) => {
        const response = await fetch(`${address}/api/sync/events`, { headers: bearer(token) });
        expect(response.headers.get('content-type')).toContain('text/event-stream');
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        let text = '';
        return {
          /** Reads until the stream has said `needle` (or ends). */
          async until(needle: string) {
            while (!text.includes(needle)) {
              const { value, done } = await reader.read();
              if (done) return false;
              text += decoder.decode(value);
            }
            return true;
          },
          get text() {
            return text;
          },
        };
      };
      const mine = await listen(admin.token);
      const theirs = await listen(other.token);
      expect(await mine.until('retry: 5000')).toBe(true);
      expect(await theirs.until('retry: 5000')).toBe(true);
      expect(server.app.meekijken.changes.size).toBe(2);
      const change = {
        id: randomUUID(),
        kind: 'goal',
        recordId: randomUUID(),
        op: 'insert',
        fields: {
          owner: teacher.person.id,
          createdAt: T + 1,
          updatedAt: T + 1,
          teacherId: teacher.person.id,
          text: 'Lesdoel noemen',
          status: 'open',
          itemIds: [],
        },
        at: T,
        actor: teacher.person.id,
      };
      const push = await server.app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: bearer(teacher.token),
        payload: { changes: [change] },
      });
      expect(push.json<PushResponse>().results[0]?.outcome).toBe('applied');
      expect(await mine.until('event: changed')).toBe(true);
      await server.app.close();
      // The other school heard nothing, and its stream ended with the server.
      expect(await theirs.until('event: changed')).toBe(false);
      expect(server.app.meekijken.changes.size).toBe(0);
    } finally {
      await server.app.close();
      await test.drop();
    }
  });
});
