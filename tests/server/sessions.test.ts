/** Sessions: the cookie, authentication, the list of devices, revoking and signing out. */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSetupToken } from '../../src/server/accounts/setup';
import { LAST_SEEN_RESOLUTION_MS, SESSION_IDLE_MS, SESSION_MAX_MS } from '../../src/server/accounts/sessions';
import { forEachDatabase, freshDatabase, type TestDatabase } from './support/databases';
import {
  bearer,
  setUpSchool,
  signedInTeacher,
  testServer,
  type SignedInPerson,
  type TestServer,
} from './support/server';

interface DeviceList {
  sessions: {
    id: string;
    personId: string;
    deviceLabel: string;
    createdAt: number;
    lastSeenAt: number;
    current: boolean;
  }[];
}

forEachDatabase((kind) => {
  describe(`the session cookie on ${kind}`, () => {
    let test: TestDatabase;
    beforeAll(async () => {
      test = await freshDatabase(kind);
    });
    afterAll(() => test.drop());

    async function setUpOver(headers: Record<string, string>, trustProxy = 0) {
      const lines: string[] = [];
      const stream = new Writable({
        write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()),
      });
      const server = await testServer(test.database, { trustProxy, logger: { level: 'warn', stream } });
      const token = await issueSetupToken(test.database, server.clock.now());
      const post = () =>
        server.app.inject({
          method: 'POST',
          url: '/api/setup',
          headers,
          payload: { token, schoolName: 'S', adminName: 'A' },
        });
      const response = await post();
      expect(response.statusCode, response.body).toBe(201);
      const cookie = response.cookies[0]!;
      // The session works on the next request with the cookie as the browser sends it back.
      const me = await server.app.inject({
        method: 'GET',
        url: '/api/me',
        headers,
        cookies: { [cookie.name]: cookie.value },
      });
      expect(me.statusCode).toBe(200);
      // A second plain-HTTP sign-in does not warn again.
      await post();
      await server.app.close();
      return {
        cookie,
        header: String(response.headers['set-cookie']),
        warnings: lines.filter((line) => line.includes('plain HTTP')),
      };
    }

    it('is __Host-meekijken-<person>, Secure, HttpOnly, SameSite=Strict, Path=/ on localhost', async () => {
      const { cookie, header, warnings } = await setUpOver({ host: 'localhost:4173' });
      expect(cookie).toMatchObject({ path: '/', httpOnly: true, secure: true, sameSite: 'Strict' });
      expect(cookie.name).toMatch(/^__Host-meekijken-[0-9a-f-]{36}$/);
      expect(header).not.toMatch(/Domain=/i);
      expect(warnings).toEqual([]);
    });

    it('is __Host-meekijken over HTTPS behind a trusted proxy (TRUST_PROXY=1), lasting as long as a session may', async () => {
      const { cookie } = await setUpOver({ host: 'meekijken.school.nl', 'x-forwarded-proto': 'https' }, 1);
      expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict', maxAge: SESSION_MAX_MS / 1000 });
      expect(cookie.name).toMatch(/^__Host-meekijken-/);
    });

    it('asks browsers for HTTPS only (HSTS) when served over HTTPS, never over plain HTTP', async () => {
      const server = await testServer(test.database, { trustProxy: 1 });
      const get = (headers: Record<string, string>) =>
        server.app.inject({ method: 'GET', url: '/api/health', headers });
      expect(
        (await get({ host: 'meekijken.school.nl', 'x-forwarded-proto': 'https' })).headers['strict-transport-security'],
      ).toBe('max-age=31536000');
      expect((await get({ host: 'meekijken.school.nl' })).headers['strict-transport-security']).toBeUndefined();
      expect((await get({ host: 'localhost:4173' })).headers['strict-transport-security']).toBeUndefined();
      await server.app.close();
      // Without TRUST_PROXY a forwarded "https" is anyone's word: no HSTS.
      const direct = await testServer(test.database);
      const forged = await direct.app.inject({
        method: 'GET',
        url: '/api/health',
        headers: { host: 'meekijken.school.nl', 'x-forwarded-proto': 'https' },
      });
      expect(forged.headers['strict-transport-security']).toBeUndefined();
      await direct.app.close();
    });

    it('believes no X-Forwarded-Proto without TRUST_PROXY: plain `meekijken` without Secure, and one warning to add TLS', async () => {
      const { cookie, warnings } = await setUpOver({ host: '192.168.1.20:4173', 'x-forwarded-proto': 'https' });
      expect(cookie).toMatchObject({ path: '/', httpOnly: true, sameSite: 'Strict' });
      expect(cookie.name).toMatch(/^meekijken-/);
      expect(cookie.secure).toBeUndefined();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/TLS/);
    });
  });

  describe(`sessions on ${kind}`, () => {
    let test: TestDatabase;
    let server: TestServer;
    let admin: SignedInPerson;
    beforeAll(async () => {
      test = await freshDatabase(kind);
      // More sign-ins than one address may make in a minute (their limit has tests of its own).
      server = await testServer(test.database, { signInLimits: { perAddressPerMinute: 1_000 } });
      admin = await setUpSchool(server);
    });
    afterAll(async () => {
      await server.app.close();
      await test.drop();
    });

    const me = (headers: Record<string, string>) => server.app.inject({ method: 'GET', url: '/api/me', headers });

    it('authenticates by the cookie of the connection or a Bearer token, and refuses a missing or unknown one with 401', async () => {
      const withCookie = (name: string, host = 'localhost') =>
        server.app.inject({
          method: 'GET',
          url: '/api/me',
          headers: { host },
          cookies: { [`${name}-${admin.person.id}`]: admin.token },
        });
      expect((await withCookie('__Host-meekijken')).statusCode).toBe(200);
      expect((await withCookie('meekijken', '192.168.1.20')).statusCode).toBe(200);
      // Where the secure cookie is possible, a plain one (which anyone on the network can plant) does not count.
      expect((await withCookie('meekijken')).statusCode).toBe(401);
      expect((await me(bearer(admin.token))).statusCode).toBe(200);
      const refused: Record<string, string>[] = [
        {},
        bearer('unknown'),
        { cookie: `__Host-meekijken-${admin.person.id}=unknown` },
        { authorization: 'Basic abc' },
      ];
      for (const headers of refused) {
        const response = await me(headers);
        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual({ error: { code: 'not-signed-in', message: expect.any(String) } });
      }
    });

    it('lists my devices, the current one marked, and notes when a device was last seen at most once a minute', async () => {
      const bram = await signedInTeacher(server, admin);
      const list = async () =>
        (
          await server.app.inject({ method: 'GET', url: '/api/sessions', headers: bearer(bram.token) })
        ).json<DeviceList>().sessions;
      const start = server.clock.now();
      expect(await list()).toEqual([
        {
          id: bram.sessionId,
          personId: bram.person.id,
          deviceLabel: 'iPad groep 5',
          createdAt: start,
          lastSeenAt: start,
          current: true,
        },
      ]);
      server.clock.advance(LAST_SEEN_RESOLUTION_MS - 1);
      expect((await list())[0]!.lastSeenAt).toBe(start);
      server.clock.advance(1);
      await list();
      expect((await list())[0]!.lastSeenAt).toBe(start + LAST_SEEN_RESOLUTION_MS);
    });

    it('revokes a device at once: its next request is refused', async () => {
      const bram = await signedInTeacher(server, admin);
      const other = await signedInTeacher(server, admin, 'Bram op een tweede tablet');
      expect((await me(bearer(bram.token))).statusCode).toBe(200);
      const revoke = await server.app.inject({
        method: 'DELETE',
        url: `/api/sessions/${bram.sessionId}`,
        headers: bearer(bram.token),
      });
      expect(revoke.statusCode).toBe(204);
      expect((await me(bearer(bram.token))).statusCode).toBe(401);
      expect((await me(bearer(other.token))).statusCode).toBe(200);
    });

    it("lets an administrator list and revoke anyone's devices in the school, and nobody else", async () => {
      const bram = await signedInTeacher(server, admin);
      const carla = await signedInTeacher(server, admin, 'Carla');
      const listed = await server.app.inject({
        method: 'GET',
        url: `/api/sessions?personId=${bram.person.id}`,
        headers: bearer(admin.token),
      });
      expect(listed.json<DeviceList>().sessions.map((s) => [s.id, s.current])).toEqual([[bram.sessionId, false]]);

      // A teacher may not look at or revoke a colleague's devices; revoking says "not found", confirming nothing.
      expect(
        (
          await server.app.inject({
            method: 'GET',
            url: `/api/sessions?personId=${bram.person.id}`,
            headers: bearer(carla.token),
          })
        ).statusCode,
      ).toBe(403);
      expect(
        (
          await server.app.inject({
            method: 'DELETE',
            url: `/api/sessions/${bram.sessionId}`,
            headers: bearer(carla.token),
          })
        ).statusCode,
      ).toBe(404);
      expect((await me(bearer(bram.token))).statusCode).toBe(200);

      expect(
        (
          await server.app.inject({
            method: 'DELETE',
            url: `/api/sessions/${bram.sessionId}`,
            headers: bearer(admin.token),
          })
        ).statusCode,
      ).toBe(204);
      expect((await me(bearer(bram.token))).statusCode).toBe(401);
      // Already revoked: gone from the list, and "not found" now.
      expect(
        (
          await server.app.inject({
            method: 'DELETE',
            url: `/api/sessions/${bram.sessionId}`,
            headers: bearer(admin.token),
          })
        ).statusCode,
      ).toBe(404);
    });

    it('signs out: revokes this session and clears the cookie', async () => {
      const bram = await signedInTeacher(server, admin);
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/sign-out',
        cookies: { [`__Host-meekijken-${bram.person.id}`]: bram.token },
      });
      expect(response.statusCode).toBe(204);
      const cleared = response.cookies.find((c) => c.name === `__Host-meekijken-${bram.person.id}`);
      expect(cleared?.value).toBe('');
      expect((await me(bearer(bram.token))).statusCode).toBe(401);
      expect(
        (await server.app.inject({ method: 'POST', url: '/api/sign-out', headers: bearer(bram.token) })).statusCode,
      ).toBe(401);
    });

    it('keeps two colleagues signed in on one shared tablet: the request names whose session it is', async () => {
      const anna = await signedInTeacher(server, admin, 'Anna Jansen');
      const bram = await signedInTeacher(server, admin, 'Bram de Vries');
      // One browser's cookie jar holds both cookies.
      const jar = {
        [`__Host-meekijken-${anna.person.id}`]: anna.token,
        [`__Host-meekijken-${bram.person.id}`]: bram.token,
      };
      const meAs = (account?: string, url = '/api/me') =>
        server.app.inject({
          method: 'GET',
          url,
          headers: account ? { 'x-meekijken-account': account } : {},
          cookies: jar,
        });
      expect((await meAs(anna.person.id)).json<{ person: { id: string } }>().person.id).toBe(anna.person.id);
      expect((await meAs(bram.person.id)).json<{ person: { id: string } }>().person.id).toBe(bram.person.id);
      // The event stream cannot send headers: it names the account in its address.
      expect(
        (await meAs(undefined, `/api/me?account=${bram.person.id}`)).json<{ person: { id: string } }>().person.id,
      ).toBe(bram.person.id);
      // Without saying whose, two sessions are no session; an account without a cookie is none either.
      expect((await meAs()).statusCode).toBe(401);
      expect((await meAs(admin.person.id)).statusCode).toBe(401);
      // Anna signs out: Bram stays signed in.
      const out = await server.app.inject({
        method: 'POST',
        url: '/api/sign-out',
        headers: { 'x-meekijken-account': anna.person.id },
        cookies: jar,
      });
      expect(out.statusCode).toBe(204);
      expect(out.cookies.map((c) => c.name)).toEqual([`__Host-meekijken-${anna.person.id}`]);
      expect((await meAs(bram.person.id)).statusCode).toBe(200);
    });

    it('ends the sessions of someone archived (who left the school)', async () => {
      const bram = await signedInTeacher(server, admin);
      await test.database.query("UPDATE records SET data = data || jsonb_build_object('archivedAt', 1) WHERE id = $1", [
        bram.person.id,
      ]);
      expect((await me(bearer(bram.token))).statusCode).toBe(401);
    });

    // These move the clock by months: they come last.
    it('ends a session idle for 60 days; any request before then renews it', async () => {
      const leader = await setUpSchool(server, { schoolName: 'Idle', adminName: 'Ida' });
      const bram = await signedInTeacher(server, leader);
      const carla = await signedInTeacher(server, leader, 'Carla');
      const devices = async () =>
        (
          await server.app.inject({
            method: 'GET',
            url: `/api/sessions?personId=${bram.person.id}`,
            headers: bearer(leader.token),
          })
        ).json<DeviceList>().sessions;
      // Carla's and the leader's tablets sync now and then; Bram's lies in a cupboard.
      server.clock.advance(SESSION_IDLE_MS - 1);
      expect((await me(bearer(carla.token))).statusCode).toBe(200);
      expect(await devices()).toHaveLength(1);
      server.clock.advance(1);
      const idle = await me(bearer(bram.token));
      expect(idle.statusCode).toBe(401);
      expect(idle.json()).toMatchObject({ error: { code: 'not-signed-in' } });
      // An expired device no longer shows in the person's list of signed-in devices.
      expect(await devices()).toEqual([]);
      // Carla's use renewed hers: 60 days after her last request, not after signing in.
      server.clock.advance(SESSION_IDLE_MS - 2);
      expect((await me(bearer(carla.token))).statusCode).toBe(200);
    });

    it('ends a session a year after signing in, however much it is used, and lists it no more', async () => {
      const leader = await setUpSchool(server, { schoolName: 'Jaar', adminName: 'Jan' });
      const bram = await signedInTeacher(server, leader);
      const devices = async () =>
        (
          await server.app.inject({
            method: 'GET',
            url: `/api/sessions?personId=${bram.person.id}`,
            headers: bearer(leader.token),
          })
        ).json<DeviceList>().sessions;
      for (let used = 0; used + SESSION_IDLE_MS / 2 < SESSION_MAX_MS; used += SESSION_IDLE_MS / 2) {
        expect((await me(bearer(bram.token))).statusCode).toBe(200);
        expect((await me(bearer(leader.token))).statusCode).toBe(200);
        server.clock.advance(SESSION_IDLE_MS / 2);
      }
      server.clock.advance((SESSION_MAX_MS % (SESSION_IDLE_MS / 2)) - 1);
      expect((await me(bearer(bram.token))).statusCode).toBe(200);
      expect(await devices()).toHaveLength(1);
      server.clock.advance(1);
      expect((await me(bearer(bram.token))).statusCode).toBe(401);
      // The leader signed in at the same moment: her session ended too; a new code signs Bram in again.
      expect((await me(bearer(leader.token))).statusCode).toBe(401);
      const again = await setUpSchool(server, { schoolName: 'Jaar 2', adminName: 'Jan' });
      expect((await me(bearer(again.token))).statusCode).toBe(200);
    });
  });
});
