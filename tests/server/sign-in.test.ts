/** Sign-in codes (src/server/accounts/sign-in-codes.ts): issuing, using once, expiry, hashing, rate limits. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Person } from '../../src/core/model/records';
import { SIGN_IN_CODE_LIFETIME_MS } from '../../src/server/accounts/sign-in-codes';
import {
  formatSignInCode,
  newSignInCode,
  normaliseSignInCode,
  SIGN_IN_CODE_ALPHABET,
} from '../../src/server/accounts/secrets';
import { emptyTables, forEachDatabase, freshDatabase, type TestDatabase } from './support/databases';
import {
  addPerson,
  bearer,
  issueCode,
  sessionCookie,
  setUpSchool,
  signedInTeacher,
  signIn,
  tableCounts,
  testServer,
  type SignedInPerson,
  type TestServer,
} from './support/server';

const CODE = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}$/;

describe('sign-in code text', () => {
  it('uses no character people confuse (0/O, 1/I/L) and draws every character of its alphabet', () => {
    expect(SIGN_IN_CODE_ALPHABET).not.toMatch(/[01OIL]/);
    expect(new Set(SIGN_IN_CODE_ALPHABET).size).toBe(31);
    const seen = new Set(Array.from({ length: 300 }, () => newSignInCode()).join(''));
    expect(seen.size).toBe(31);
  });

  it('is shown in two groups and read back whatever the case, spaces or dashes', () => {
    expect(formatSignInCode('ABCDEFGH')).toBe('ABCD-EFGH');
    for (const typed of ['ABCD-EFGH', 'abcd efgh', ' abcd-efgh ', 'AbCd\u2013eFgH', 'a b c d e f g h'])
      expect(normaliseSignInCode(typed)).toBe('ABCDEFGH');
    for (const wrong of ['ABCD-EFG', 'ABCD-EFGHJ', 'ABCD-EFG0', 'ABCD-EFGI', ''])
      expect(normaliseSignInCode(wrong)).toBeUndefined();
  });
});

forEachDatabase((kind) => {
  describe(`sign-in codes on ${kind}`, () => {
    let test: TestDatabase;
    let server: TestServer;
    let admin: SignedInPerson;
    let teacher: Person;
    beforeAll(async () => {
      test = await freshDatabase(kind);
      // A high per-address limit here: the limits have their own server below.
      server = await testServer(test.database, {
        signInLimits: { perAddressPerMinute: 1000, failuresPerMinute: 1000 },
      });
      admin = await setUpSchool(server);
      teacher = await addPerson(server, admin, { name: ' Bram Jansen ', role: 'teacher', starter: true });
    });
    afterAll(async () => {
      await server.app.close();
      await test.drop();
    });

    it('adds a person as a valid person record, written by the administrator', async () => {
      expect(teacher).toEqual({
        id: teacher.id,
        owner: admin.person.id,
        createdAt: server.clock.now(),
        updatedAt: server.clock.now(),
        name: 'Bram Jansen',
        role: 'teacher',
        starter: true,
      });
      // Teams travel as records: the administrator's tablet pushes one, then people join it.
      const teamId = crypto.randomUUID();
      const at = server.clock.now();
      const team = { id: teamId, owner: admin.person.id, createdAt: at, updatedAt: at, name: 'Onderbouw' };
      const pushed = await server.app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: bearer(admin.token),
        payload: {
          changes: [
            {
              id: crypto.randomUUID(),
              kind: 'team',
              recordId: teamId,
              op: 'insert',
              fields: team,
              at,
              actor: admin.person.id,
            },
          ],
        },
      });
      expect(pushed.json().results[0].outcome).toBe('applied');
      const coach = await addPerson(server, admin, { name: 'Cas', role: 'coach', starter: false, teamId });
      expect(coach).toMatchObject({ role: 'coach', teamId });
    });

    it('issues a code valid for 15 minutes, stored only as its hash', async () => {
      const response = await server.app.inject({
        method: 'POST',
        url: `/api/people/${teacher.id}/sign-in-codes`,
        headers: bearer(admin.token),
      });
      expect(response.statusCode).toBe(201);
      const { code, expiresAt } = response.json<{ code: string; expiresAt: number }>();
      expect(code).toMatch(CODE);
      expect(expiresAt).toBe(server.clock.now() + SIGN_IN_CODE_LIFETIME_MS);
      const stored = JSON.stringify(await test.database.query('SELECT * FROM sign_in_codes'));
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace('-', ''));
    });

    it('signs a person in with the code as typed (lower case, spaces), once', async () => {
      const code = await issueCode(server, admin, teacher.id);
      const typed = ` ${code.toLowerCase().replace('-', ' ')} `;
      const response = await signIn(server, typed, 'iPad groep 5');
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<{ person: Person; school: { id: string; name: string }; sessionId: string }>();
      expect(body.person).toEqual(teacher);
      expect(body.school).toEqual({ id: admin.schoolId, name: 'De Regenboog' });
      const me = await server.app.inject({ method: 'GET', url: '/api/me', headers: bearer(sessionCookie(response)) });
      expect(me.json()).toEqual(body);

      const again = await signIn(server, code);
      expect(again.statusCode).toBe(401);
      expect(again.json()).toEqual({
        error: { code: 'invalid-code', message: expect.stringMatching(/wrong, used or expired/) },
      });
    });

    it('refuses a code from its 15th minute on', async () => {
      // Two codes issued together: one used in the last millisecond, one a millisecond later.
      const code = await issueCode(server, admin, teacher.id);
      const other = await issueCode(server, admin, admin.person.id);
      server.clock.advance(SIGN_IN_CODE_LIFETIME_MS - 1);
      expect((await signIn(server, other)).statusCode).toBe(200);
      server.clock.advance(1);
      expect((await signIn(server, code)).statusCode).toBe(401);
    });

    it('makes older unused codes of the person stop working when a new one is issued', async () => {
      const older = await issueCode(server, admin, teacher.id);
      const newer = await issueCode(server, admin, teacher.id);
      expect((await signIn(server, older)).statusCode).toBe(401);
      expect((await signIn(server, newer)).statusCode).toBe(200);
    });

    it('refuses a wrong or malformed code with 401 and changes nothing', async () => {
      await issueCode(server, admin, teacher.id);
      const before = await tableCounts(test.database);
      for (const code of ['AAAA-AAAA', 'ABCD', '0000-0000']) {
        const response = await signIn(server, code);
        expect(response.statusCode).toBe(401);
        expect(response.headers['set-cookie']).toBeUndefined();
      }
      expect(await tableCounts(test.database)).toEqual(before);
    });

    it('gives exactly one session for one code used twice at once', async () => {
      const code = await issueCode(server, admin, teacher.id);
      const responses = await Promise.all([signIn(server, code), signIn(server, code), signIn(server, code)]);
      expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 401, 401]);
    });

    it('lets only an administrator issue codes and add people', async () => {
      const bram = await signedInTeacher(server, admin, 'Bram');
      const code = await server.app.inject({
        method: 'POST',
        url: `/api/people/${bram.person.id}/sign-in-codes`,
        headers: bearer(bram.token),
      });
      expect(code.statusCode).toBe(403);
      expect(code.json<{ error: { code: string } }>().error.code).toBe('not-administrator');
      const add = await server.app.inject({
        method: 'POST',
        url: '/api/people',
        headers: bearer(bram.token),
        payload: { name: 'X', role: 'leader', starter: false },
      });
      expect(add.statusCode).toBe(403);
    });

    it('issues no code for someone unknown or archived (404), and a code of someone archived since no longer works', async () => {
      expect(
        (
          await server.app.inject({
            method: 'POST',
            url: `/api/people/${crypto.randomUUID()}/sign-in-codes`,
            headers: bearer(admin.token),
          })
        ).statusCode,
      ).toBe(404);
      const leaving = await addPerson(server, admin, { name: 'Vertrekt', role: 'teacher', starter: false });
      const code = await issueCode(server, admin, leaving.id);
      await test.database.query("UPDATE records SET data = data || jsonb_build_object('archivedAt', 1) WHERE id = $1", [
        leaving.id,
      ]);
      expect((await signIn(server, code)).statusCode).toBe(401);
      expect(
        (
          await server.app.inject({
            method: 'POST',
            url: `/api/people/${leaving.id}/sign-in-codes`,
            headers: bearer(admin.token),
          })
        ).statusCode,
      ).toBe(404);
    });

    describe('a sheet of codes for the team', () => {
      const sheet = (personIds: string[], minutes: number) =>
        server.app.inject({
          method: 'POST',
          url: '/api/sign-in-codes',
          headers: bearer(admin.token),
          payload: { personIds, minutes },
        });

      it('gives each colleague a code of their own, valid as long as chosen (at most a working day), once each', async () => {
        const anna = await addPerson(server, admin, { name: 'Anna Smit', role: 'teacher', starter: false });
        const cees = await addPerson(server, admin, { name: 'Cees Bos', role: 'coach', starter: false });
        const response = await sheet([anna.id, cees.id], 480);
        expect(response.statusCode).toBe(201);
        const { codes } = response.json<{ codes: Array<{ personId: string; code: string; expiresAt: number }> }>();
        expect(codes.map((c) => c.personId)).toEqual([anna.id, cees.id]);
        expect(new Set(codes.map((c) => c.code)).size).toBe(2);
        for (const c of codes) {
          expect(c.code).toMatch(CODE);
          expect(c.expiresAt).toBe(server.clock.now() + 480 * 60_000);
        }
        server.clock.advance(479 * 60_000);
        const signedIn = await signIn(server, codes[0]!.code);
        expect(signedIn.statusCode).toBe(200);
        expect(signedIn.json<{ person: Person }>().person.id).toBe(anna.id);
        expect((await signIn(server, codes[0]!.code)).statusCode).toBe(401);
        server.clock.advance(60_000);
        expect((await signIn(server, codes[1]!.code)).statusCode).toBe(401);
      });

      it('refuses a lifetime it does not offer (longer than a working day), an empty or repeated list, and changes nothing', async () => {
        const anna = await addPerson(server, admin, { name: 'Anna de Wit', role: 'teacher', starter: false });
        const before = await tableCounts(test.database);
        for (const [ids, minutes] of [
          [[anna.id], 481],
          [[anna.id], 1440],
          [[anna.id], 0],
          [[], 60],
          [[anna.id, anna.id], 60],
        ] as const)
          expect((await sheet([...ids], minutes)).statusCode).toBe(400);
        // One colleague of another school (or unknown) refuses the whole sheet.
        expect((await sheet([anna.id, crypto.randomUUID()], 60)).statusCode).toBe(404);
        expect(await tableCounts(test.database)).toEqual(before);
      });

      it('revokes the unused codes of a sheet: they no longer sign anyone in', async () => {
        const anna = await addPerson(server, admin, { name: 'Anna Visser', role: 'teacher', starter: false });
        const bert = await addPerson(server, admin, { name: 'Bert Visser', role: 'teacher', starter: false });
        const { codes } = (await sheet([anna.id, bert.id], 240)).json<{ codes: Array<{ code: string }> }>();
        expect((await signIn(server, codes[0]!.code)).statusCode).toBe(200);
        const revoked = await server.app.inject({
          method: 'POST',
          url: '/api/sign-in-codes/revoke',
          headers: bearer(admin.token),
          payload: { personIds: [anna.id, bert.id] },
        });
        expect(revoked.statusCode).toBe(200);
        expect(revoked.json()).toEqual({ revoked: 1 });
        expect((await signIn(server, codes[1]!.code)).statusCode).toBe(401);
      });
    });
  });

  describe(`sign-in limits on ${kind}`, () => {
    let test: TestDatabase;
    afterAll(() => test.drop());
    beforeAll(async () => {
      test = await freshDatabase(kind);
    });
    // The limits count in the database, shared by every server on it: each test starts with none counted.
    beforeEach(async () => {
      await emptyTables(test.database);
    });

    it('answers 429 from the 11th sign-in a minute from one address', async () => {
      const server = await testServer(test.database);
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await signIn(server, 'AAAA-AAAA')).statusCode);
      expect(statuses).toEqual([...Array(10).fill(401), 429]);
      const limited = await signIn(server, 'AAAA-AAAA');
      expect(limited.json<{ error: { code: string } }>().error.code).toBe('too-many-requests');
      await server.app.close();
    });

    it('stops all sign-ins for the rest of the minute once the server-wide cap of wrong codes is reached', async () => {
      const server = await testServer(test.database, {
        signInLimits: { perAddressPerMinute: 1000, failuresPerMinute: 3 },
      });
      const admin = await setUpSchool(server);
      const code = await issueCode(server, admin, admin.person.id);
      for (let i = 0; i < 3; i++) expect((await signIn(server, 'AAAA-AAAA')).statusCode).toBe(401);
      const refused = await signIn(server, code);
      expect(refused.statusCode).toBe(429);
      expect(refused.json<{ error: { code: string } }>().error.code).toBe('too-many-attempts');
      server.clock.advance(60_000);
      expect((await signIn(server, code)).statusCode).toBe(200);
      await server.app.close();
    });

    it('counts both limits together for two servers on one database, whichever takes the request', async () => {
      // Two servers as two processes behind one proxy: on PostgreSQL each has a pool of its own.
      const one = await testServer(test.database);
      const two = await testServer(await test.open());
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 11; i++) statuses.push((await signIn(i % 2 === 0 ? one : two, 'AAAA-AAAA')).statusCode);
        expect(statuses).toEqual([...Array(10).fill(401), 429]);
        expect((await signIn(one, 'AAAA-AAAA')).json<{ error: { code: string } }>().error.code).toBe(
          'too-many-requests',
        );
      } finally {
        await Promise.all([one.app.close(), two.app.close()]);
      }

      await emptyTables(test.database);
      const options = { signInLimits: { perAddressPerMinute: 1000, failuresPerMinute: 3 } };
      const first = await testServer(test.database, options);
      const second = await testServer(await test.open(), options);
      try {
        const admin = await setUpSchool(first);
        const code = await issueCode(first, admin, admin.person.id);
        expect((await signIn(first, 'AAAA-AAAA')).statusCode).toBe(401);
        expect((await signIn(second, 'AAAA-AAAA')).statusCode).toBe(401);
        expect((await signIn(second, 'AAAA-AAAA')).statusCode).toBe(401);
        // The third wrong code went to the other server; this one refuses the right code all the same.
        const refused = await signIn(first, code);
        expect(refused.statusCode).toBe(429);
        expect(refused.json<{ error: { code: string } }>().error.code).toBe('too-many-attempts');
      } finally {
        await Promise.all([first.app.close(), second.app.close()]);
      }
    });

    it('forgets windows that have ended', async () => {
      const server = await testServer(test.database, {
        signInLimits: { perAddressPerMinute: 1000, failuresPerMinute: 3 },
      });
      const keys = async () =>
        (await test.database.query<{ key: string }>('SELECT key FROM rate_limits ORDER BY key')).map((row) => row.key);
      for (let i = 0; i < 2; i++) expect((await signIn(server, 'AAAA-AAAA')).statusCode).toBe(401);
      expect(await keys()).toEqual(['/api/sign-in from 127.0.0.1', 'failed sign-ins']);
      server.clock.advance(60_000);
      // The next request counts in a new window, and the ended ones are deleted.
      await server.app.inject({ method: 'POST', url: '/api/sign-in', payload: { code: 1 } });
      expect(await keys()).toEqual(['/api/sign-in from 127.0.0.1']);
      await server.app.close();
    });
  });
});
