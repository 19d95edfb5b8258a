/**
 * The HTTP surface: health, errors as JSON, bad input refused without changing anything, security headers and the
 * Origin check.
 */
import { request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../../src/server/app';
import { CONTENT_SECURITY_POLICY } from '../../src/server/http/security';
import { forEachDatabase, freshDatabase, type TestDatabase } from './support/databases';
import {
  bearer,
  setUpSchool,
  signedInTeacher,
  tableCounts,
  testServer,
  type SignedInPerson,
  type TestServer,
} from './support/server';

type Method = 'GET' | 'POST' | 'DELETE';
const withoutIds = (url: string) => url.replace(/[0-9a-f-]{36}/, ':id');

forEachDatabase((kind) => {
  describe(`health on ${kind}`, () => {
    it('answers ok with the database kind and version after asking the database, and 503 once the database is gone', async () => {
      const test = await freshDatabase(kind);
      const server = await testServer(test.database);
      const ok = await server.app.inject({ method: 'GET', url: '/api/health' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ ok: true, database: kind, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
      await test.drop();
      const down = await server.app.inject({ method: 'GET', url: '/api/health' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ error: { code: 'database-unavailable', message: expect.any(String) } });
      expect(down.body).not.toMatch(/\bat .*\.(ts|js):\d+/);
      await server.app.close();
    });
  });

  describe(`bad input on ${kind}`, () => {
    let test: TestDatabase;
    let server: TestServer;
    let admin: SignedInPerson;
    let teacher: SignedInPerson;
    beforeAll(async () => {
      test = await freshDatabase(kind);
      server = await testServer(test.database);
      admin = await setUpSchool(server);
      teacher = await signedInTeacher(server, admin);
    });
    afterAll(async () => {
      await server.app.close();
      await test.drop();
    });

    const json = { 'content-type': 'application/json' };
    const cases: {
      name: string;
      method: Method;
      url: () => string;
      headers?: () => Record<string, string>;
      body?: string;
      status: number;
      code: string;
    }[] = [
      // Malformed JSON on every route that takes a body, signed in or not (the body is read before authentication).
      ...['/api/setup', '/api/sign-in', '/api/people'].map((url) => ({
        name: `malformed JSON to ${url}`,
        method: 'POST' as const,
        url: () => url,
        headers: () => ({ ...json, ...bearer(admin.token) }),
        body: '{"name": "Anna",',
        status: 400,
        code: 'malformed-json',
      })),
      {
        name: 'an empty JSON body',
        method: 'POST',
        url: () => '/api/sign-in',
        headers: () => json,
        body: '',
        status: 400,
        code: 'malformed-json',
      },
      {
        name: 'text instead of JSON',
        method: 'POST',
        url: () => '/api/sign-in',
        headers: () => ({ 'content-type': 'text/plain' }),
        body: 'ABCD-EFGH',
        status: 415,
        code: 'unsupported-media-type',
      },
      // Wrong types are refused, not coerced.
      {
        name: 'a number as token',
        method: 'POST',
        url: () => '/api/setup',
        headers: () => json,
        body: JSON.stringify({ token: 123, schoolName: 'S', adminName: 'A' }),
        status: 400,
        code: 'invalid-request',
      },
      {
        name: 'a blank school name',
        method: 'POST',
        url: () => '/api/setup',
        headers: () => json,
        body: JSON.stringify({ token: 'x', schoolName: '   ', adminName: 'A' }),
        status: 400,
        code: 'invalid-request',
      },
      {
        name: 'a missing field',
        method: 'POST',
        url: () => '/api/setup',
        headers: () => json,
        body: JSON.stringify({ token: 'x', schoolName: 'S' }),
        status: 400,
        code: 'invalid-request',
      },
      {
        name: 'a number as code',
        method: 'POST',
        url: () => '/api/sign-in',
        headers: () => json,
        body: JSON.stringify({ code: 12345678 }),
        status: 400,
        code: 'invalid-request',
      },
      {
        name: 'an unknown field',
        method: 'POST',
        url: () => '/api/sign-in',
        headers: () => json,
        body: JSON.stringify({ code: 'ABCD-EFGH', admin: true }),
        status: 400,
        code: 'invalid-request',
      },
      {
        name: 'an unknown role',
        method: 'POST',
        url: () => '/api/people',
        headers: () => ({ ...json, ...bearer(admin.token) }),
        body: JSON.stringify({ name: 'X', role: 'boss', starter: false }),
        status: 400,
        code: 'invalid-request',
      },
      {
        name: 'starter as a string',
        method: 'POST',
        url: () => '/api/people',
        headers: () => ({ ...json, ...bearer(admin.token) }),
        body: JSON.stringify({ name: 'X', role: 'teacher', starter: 'true' }),
        status: 400,
        code: 'invalid-request',
      },
      {
        name: 'a team id that is no id',
        method: 'POST',
        url: () => '/api/people',
        headers: () => ({ ...json, ...bearer(admin.token) }),
        body: JSON.stringify({ name: 'X', role: 'teacher', starter: false, teamId: 'team 1' }),
        status: 400,
        code: 'invalid-request',
      },
      {
        name: 'a person id that is no id',
        method: 'POST',
        url: () => '/api/people/abc/sign-in-codes',
        headers: () => bearer(admin.token),
        status: 400,
        code: 'invalid-request',
      },
      {
        name: 'a session id that is no id',
        method: 'DELETE',
        url: () => '/api/sessions/abc',
        headers: () => bearer(admin.token),
        status: 400,
        code: 'invalid-request',
      },
      {
        name: 'an unknown query parameter',
        method: 'GET',
        url: () => '/api/sessions?all=1',
        headers: () => bearer(admin.token),
        status: 400,
        code: 'invalid-request',
      },
      // A body over the limit is refused before it is read into memory.
      ...['/api/setup', '/api/sign-in', '/api/people'].map((url) => ({
        name: `an oversized body to ${url}`,
        method: 'POST' as const,
        url: () => url,
        headers: () => ({ ...json, ...bearer(admin.token) }),
        body: JSON.stringify({ name: 'x'.repeat(BODY_LIMIT) }),
        status: 413,
        code: 'body-too-large',
      })),
      // No session, or one the server does not know.
      ...(
        [
          ['GET', '/api/me'],
          ['GET', '/api/sessions'],
          ['DELETE', `/api/sessions/${crypto.randomUUID()}`],
          ['POST', '/api/sign-out'],
          ['POST', `/api/people/${crypto.randomUUID()}/sign-in-codes`],
        ] as const
      ).flatMap(([method, url]) => [
        {
          name: `${method} ${withoutIds(url)} without a session`,
          method,
          url: () => url,
          status: 401,
          code: 'not-signed-in',
        },
        {
          name: `${method} ${withoutIds(url)} with an unknown cookie`,
          method,
          url: () => url,
          headers: () => ({ cookie: '__Host-meekijken=AAAA' }),
          status: 401,
          code: 'not-signed-in',
        },
      ]),
      {
        name: 'adding a person without a session',
        method: 'POST',
        url: () => '/api/people',
        headers: () => json,
        body: JSON.stringify({ name: 'X', role: 'teacher', starter: false }),
        status: 401,
        code: 'not-signed-in',
      },
      {
        name: 'adding a person as a teacher',
        method: 'POST',
        url: () => '/api/people',
        headers: () => ({ ...json, ...bearer(teacher.token) }),
        body: JSON.stringify({ name: 'X', role: 'teacher', starter: false }),
        status: 403,
        code: 'not-administrator',
      },
      { name: 'an unknown API route', method: 'GET', url: () => '/api/observations', status: 404, code: 'not-found' },
      { name: 'an unknown API method', method: 'POST', url: () => '/api/me', status: 404, code: 'not-found' },
    ];

    it.each(cases.map((c) => [c.name, c]))('refuses %s, as JSON, changing nothing', async (_, c) => {
      const before = await tableCounts(test.database);
      const response = await server.app.inject({
        method: c.method,
        url: c.url(),
        headers: c.headers?.() ?? {},
        ...(c.body !== undefined ? { payload: c.body } : {}),
      });
      expect(response.statusCode, response.body).toBe(c.status);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual({ error: { code: c.code, message: expect.any(String) } });
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(await tableCounts(test.database)).toEqual(before);
    });

    it('answers an oversized body over real HTTP with a readable 413, with or without a length, and keeps serving', async () => {
      const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = new URL(address);
      const tooLarge = {
        error: { code: 'body-too-large', message: expect.stringMatching(/larger than the server accepts \(5 MB\)/) },
      };
      const before = await tableCounts(test.database);
      const push = JSON.stringify({ changes: [{ note: 'x'.repeat(BODY_LIMIT + 1_000_000) }] });
      const sized = await fetch(`${address}/api/sync/push`, {
        method: 'POST',
        headers: { ...json, ...bearer(teacher.token) },
        body: push,
      });
      expect(sized.status).toBe(413);
      expect(await sized.json()).toEqual(tooLarge);
      // Chunked, so the server learns the size only while reading.
      const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/sync/push',
            headers: { ...json, ...bearer(teacher.token) },
          },
          (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk.toString()));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
          },
        );
        request.on('error', reject);
        for (let i = 0; i < 6; i++) request.write('x'.repeat(1024 * 1024));
        request.end();
      });
      expect(chunked.status).toBe(413);
      expect(JSON.parse(chunked.body)).toEqual(tooLarge);
      expect(await tableCounts(test.database)).toEqual(before);
      expect((await fetch(`${address}/api/health`)).status).toBe(200);
    });

    it('hides the details of an unexpected failure (500) and logs them', async () => {
      const logged: string[] = [];
      const stream = new Writable({
        write: (chunk: Buffer, _encoding, done) => (logged.push(chunk.toString()), done()),
      });
      const failing = await testServer(test.database, { logger: { level: 'error', stream } });
      failing.app.get('/api/boom', async () => {
        throw new Error('secret detail in /srv/meekijken/src/thing.ts:12');
      });
      const response = await failing.app.inject({ method: 'GET', url: '/api/boom' });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ error: { code: 'internal-error', message: expect.any(String) } });
      expect(response.body).not.toContain('secret detail');
      expect(logged.join('')).toContain('secret detail');
      await failing.app.close();
    });

    it('puts security headers on every answer: API, errors and files', async () => {
      for (const url of ['/api/health', '/api/me', '/nowhere.js']) {
        const response = await server.app.inject({ method: 'GET', url });
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['referrer-policy']).toBe('same-origin');
        expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
        if (url.startsWith('/api/')) expect(response.headers['cache-control']).toBe('no-store');
      }
      // Scripts from the app's origin only: no inline script, no code built from strings.
      expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
      expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
      expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
      expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    });

    it('refuses a state-changing request from another origin (403), and accepts its own origin or none', async () => {
      const before = await tableCounts(test.database);
      const post = (origin?: string) =>
        server.app.inject({
          method: 'POST',
          url: '/api/sign-out',
          headers: { host: 'meekijken.school.nl', ...(origin ? { origin } : {}), ...bearer(teacher.token) },
        });
      for (const origin of ['https://evil.example', 'null', 'https://meekijken.school.nl.evil.example', 'not a url']) {
        const response = await post(origin);
        expect(response.statusCode, origin).toBe(403);
        expect(response.json<{ error: { code: string } }>().error.code).toBe('cross-origin');
      }
      expect(await tableCounts(test.database)).toEqual(before);
      // A cross-site GET changes nothing, so it passes (the session still decides what it may read).
      expect(
        (
          await server.app.inject({
            method: 'GET',
            url: '/api/me',
            headers: { origin: 'https://evil.example', ...bearer(teacher.token) },
          })
        ).statusCode,
      ).toBe(200);
      expect((await post('https://meekijken.school.nl')).statusCode).toBe(204);
    });

    it('accepts its own origin with the port, as a browser on http://localhost:4173 sends it', async () => {
      const other = await signedInTeacher(server, admin, 'Dirk');
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/sign-out',
        headers: { host: 'localhost:4173', origin: 'http://localhost:4173', ...bearer(other.token) },
      });
      expect(response.statusCode).toBe(204);
    });
  });
});
