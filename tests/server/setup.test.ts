/** Setting up a school with a set-up link (src/server/accounts/setup.ts, POST /api/setup). */
import { shippedInstruments } from '../../src/server/sync/shipped-instruments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Person, type School } from '../../src/core/model/records';
import {
  issueSetupToken,
  SETUP_LINK_LIFETIME_MS,
  setupLink,
  setupLinkNeed,
  validUntil,
} from '../../src/server/accounts/setup';
import { sha256 } from '../../src/server/accounts/secrets';
import { readRecord } from '../../src/server/db/records';
import { forEachDatabase, freshDatabase, type TestDatabase } from './support/databases';
import { bearer, sessionCookie, tableCounts, testServer, type TestServer } from './support/server';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Checks a person record the way the devices would read it: every field of `Person`, nothing else. */
function expectValidPerson(person: Person): void {
  expect(person.id).toMatch(UUID);
  expect(ROLES).toContain(person.role);
  expect(typeof person.name).toBe('string');
  expect(person.name.trim()).toBe(person.name);
  expect(typeof person.starter).toBe('boolean');
  expect(Number.isInteger(person.createdAt) && Number.isInteger(person.updatedAt)).toBe(true);
  const allowed = [
    'id',
    'owner',
    'createdAt',
    'updatedAt',
    'deletedAt',
    'name',
    'role',
    'teamId',
    'starter',
    'focusQuestion',
    'archivedAt',
  ];
  for (const key of Object.keys(person)) expect(allowed).toContain(key);
}

forEachDatabase((kind) => {
  describe(`set-up on ${kind}`, () => {
    let test: TestDatabase;
    let server: TestServer;
    beforeAll(async () => {
      test = await freshDatabase(kind);
      server = await testServer(test.database);
    });
    afterAll(async () => {
      await server.app.close();
      await test.drop();
    });

    it('asks for a link while there is no school and no unused link, and never stores the token itself', async () => {
      expect(await setupLinkNeed(test.database, server.clock.now())).toBe('issue');
      const token = await issueSetupToken(test.database, server.clock.now());
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(setupLink('http://localhost:4173/', token)).toBe(`http://localhost:4173/setup#token=${token}`);
      expect(await setupLinkNeed(test.database, server.clock.now())).toBe('unused-exists');
      // An unused link older than a week is no link: start-up issues a new one.
      expect(await setupLinkNeed(test.database, server.clock.now() + SETUP_LINK_LIFETIME_MS - 1)).toBe('unused-exists');
      expect(await setupLinkNeed(test.database, server.clock.now() + SETUP_LINK_LIFETIME_MS)).toBe('issue');
      const stored = JSON.stringify(await test.database.query('SELECT * FROM setup_tokens'));
      expect(stored).not.toContain(token);
      expect(stored).toContain(sha256(token));
    });

    it('creates the school, its first administrator (a leader) and a signed-in session, once', async () => {
      const token = await issueSetupToken(test.database, server.clock.now());
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/setup',
        payload: { token, schoolName: '  De Regenboog ', adminName: ' Anna de Vries ' },
      });
      expect(response.statusCode, response.body).toBe(201);
      const body = response.json<{ person: Person; school: { id: string; name: string }; sessionId: string }>();
      expect(body.school.name).toBe('De Regenboog');
      expectValidPerson(body.person);
      expect(body.person).toEqual({
        id: body.person.id,
        owner: body.person.id,
        createdAt: server.clock.now(),
        updatedAt: server.clock.now(),
        name: 'Anna de Vries',
        role: 'leader',
        starter: false,
      });
      // Stored as synced records with the school's versions: 1 the school, 2 the person, then the shipped instruments.
      expect(await readRecord<Person>(test.database, body.school.id, 'person', body.person.id)).toEqual(body.person);
      expect(await readRecord<School>(test.database, body.school.id, 'school', body.school.id)).toMatchObject({
        id: body.school.id,
        name: 'De Regenboog',
        owner: body.person.id,
      });
      expect(
        await test.database.query('SELECT kind, version FROM records WHERE school_id = $1 ORDER BY version', [
          body.school.id,
        ]),
      ).toEqual([
        { kind: 'school', version: 1 },
        { kind: 'person', version: 2 },
        ...shippedInstruments().map((_, i) => ({ kind: 'instrument', version: 3 + i })),
      ]);
      expect(
        await test.database.query('SELECT version FROM school_versions WHERE school_id = $1', [body.school.id]),
      ).toEqual([{ version: 2 + shippedInstruments().length }]);
      expect(
        await test.database.query('SELECT school_id, used_at FROM setup_tokens WHERE token_hash = $1', [sha256(token)]),
      ).toEqual([{ school_id: body.school.id, used_at: server.clock.now() }]);

      const me = await server.app.inject({ method: 'GET', url: '/api/me', headers: bearer(sessionCookie(response)) });
      expect(me.json()).toEqual(body);
      expect(await setupLinkNeed(test.database, server.clock.now())).toBe('none');

      const again = await server.app.inject({
        method: 'POST',
        url: '/api/setup',
        payload: { token, schoolName: 'Tweede', adminName: 'Eva' },
      });
      expect(again.statusCode).toBe(403);
      expect(again.json()).toEqual({
        error: { code: 'invalid-setup-token', message: expect.stringMatching(/not valid, has expired .* or was used/) },
      });
    });

    it('lets a link work for a week: an older one sets up nothing', async () => {
      const old = await issueSetupToken(test.database, server.clock.now());
      server.clock.advance(SETUP_LINK_LIFETIME_MS);
      const before = await tableCounts(test.database);
      const late = await server.app.inject({
        method: 'POST',
        url: '/api/setup',
        payload: { token: old, schoolName: 'Te laat', adminName: 'Eva' },
      });
      expect(late.statusCode).toBe(403);
      expect(late.json()).toEqual({
        error: {
          code: 'invalid-setup-token',
          message: expect.stringMatching(/has expired \(a link works for a week\)/),
        },
      });
      expect(await tableCounts(test.database)).toEqual(before);
      // One issued just before the week is over still works.
      const fresh = await issueSetupToken(test.database, server.clock.now() - SETUP_LINK_LIFETIME_MS + 60_000);
      const inTime = await server.app.inject({
        method: 'POST',
        url: '/api/setup',
        payload: { token: fresh, schoolName: 'Op tijd', adminName: 'Eva' },
      });
      expect(inTime.statusCode, inTime.body).toBe(201);
    });

    it('prints when a link stops working', () => {
      expect(validUntil(Date.UTC(2026, 11, 6, 9, 30))).toBe('(valid for 7 days, until 2026-12-13 09:30 UTC)');
    });

    it('refuses a wrong token with 403 and changes nothing', async () => {
      const before = await tableCounts(test.database);
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/setup',
        payload: { token: 'not-a-token', schoolName: 'X', adminName: 'Y' },
      });
      expect(response.statusCode).toBe(403);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(await tableCounts(test.database)).toEqual(before);
    });

    it('lets exactly one of two simultaneous uses of a token through', async () => {
      const token = await issueSetupToken(test.database, server.clock.now());
      const before = await tableCounts(test.database);
      const responses = await Promise.all(
        ['Eerste', 'Tweede', 'Derde'].map((schoolName) =>
          server.app.inject({ method: 'POST', url: '/api/setup', payload: { token, schoolName, adminName: 'Anna' } }),
        ),
      );
      expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 403, 403]);
      const after = await tableCounts(test.database);
      expect(after.schools).toBe(before.schools! + 1);
      expect(after.sessions).toBe(before.sessions! + 1);
    });

    it('creates the administrator with the id the tablet gives (its device-only school holds this leader already)', async () => {
      const token = await issueSetupToken(test.database, server.clock.now());
      const personId = '3f2b8c1e-7d4a-4e6b-9c0d-1a2b3c4d5e6f';
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/setup',
        payload: { token, schoolName: 'De Linde', adminName: 'Anna', personId },
      });
      expect(response.statusCode, response.body).toBe(201);
      const body = response.json<{ person: Person; school: { id: string } }>();
      expect(body.person).toMatchObject({ id: personId, owner: personId, role: 'leader', name: 'Anna' });
      expect(await readRecord<Person>(test.database, body.school.id, 'person', personId)).toEqual(body.person);
    });

    it('refuses a personId that is not a uuid with 400, and keeps the link usable', async () => {
      const token = await issueSetupToken(test.database, server.clock.now());
      const before = await tableCounts(test.database);
      for (const personId of ['anna', '3f2b8c1e-7d4a-4e6b-9c0d', '', 42]) {
        const response = await server.app.inject({
          method: 'POST',
          url: '/api/setup',
          payload: { token, schoolName: 'X', adminName: 'Y', personId },
        });
        expect(response.statusCode, String(personId)).toBe(400);
      }
      expect(await tableCounts(test.database)).toEqual(before);
      const ok = await server.app.inject({
        method: 'POST',
        url: '/api/setup',
        payload: { token, schoolName: 'X', adminName: 'Y' },
      });
      expect(ok.statusCode).toBe(201);
    });

    it('sets up another school with another link (a board): schools stay apart', async () => {
      const token = await issueSetupToken(test.database, server.clock.now());
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/setup',
        payload: { token, schoolName: 'De Klimop', adminName: 'Karim' },
      });
      expect(response.statusCode).toBe(201);
      const schoolId = response.json<{ school: { id: string } }>().school.id;
      expect(await test.database.query('SELECT version FROM school_versions WHERE school_id = $1', [schoolId])).toEqual(
        [{ version: 2 + shippedInstruments().length }],
      );
    });
  });
});
