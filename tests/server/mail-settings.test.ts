/**
 * A person's e-mail choice on the school server (`/api/mail/settings`): one's own read, saved and stopped; the core's
 * rules for an address and the kinds; an administrator reading and stopping a colleague's, and nobody else; another
 * school's person not found; the staff list's address proposed to its owner only; whether the server sends at all.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MailConfig } from '../../src/server/config';
import { unsubscribeQuery } from '../../src/server/mail/unsubscribe';
import type { MailSettingsAnswer } from '../../src/core/notify/settings';
import { forEachDatabase, migratedDatabase, scalar } from './support/databases';
import {
  addPerson,
  bearer,
  issueCode,
  sessionCookie,
  setUpSchool,
  signIn,
  signedInTeacher,
  testServer,
  type SignedInPerson,
  type TestServer,
} from './support/server';

const MAIL: MailConfig = {
  // Nothing is queued in these tests, so nothing is sent; were it, it would not leave this machine.
  smtp: { host: '127.0.0.1', port: 2525, secure: false, requireTls: false },
  from: 'Meekijken <meekijken@school.nl>',
  publicUrl: 'https://meekijken.school.nl',
};

const EVERY_KIND_BUT_DIGEST = ['request', 'handedOver', 'reflection', 'calendar', 'reminder'];

forEachDatabase((kind) => {
  describe(`e-mail settings on ${kind}`, () => {
    const db = migratedDatabase(kind);
    let server: TestServer;
    let admin: SignedInPerson;
    let logged: string[];

    beforeEach(async () => {
      logged = [];
      const stream = new Writable({
        write: (chunk: Buffer, _encoding, done) => (logged.push(chunk.toString()), done()),
      });
      server = await testServer(db.database, {
        signInLimits: { perAddressPerMinute: 1_000 },
        logger: { level: 'info', stream },
      });
      admin = await setUpSchool(server);
    });
    afterEach(() => server.app.close());

    const get = (who: SignedInPerson, personId?: string) =>
      server.app.inject({
        method: 'GET',
        url: `/api/mail/settings${personId ? `?personId=${personId}` : ''}`,
        headers: bearer(who.token),
      });
    const put = (who: SignedInPerson, payload: Record<string, unknown>) =>
      server.app.inject({ method: 'PUT', url: '/api/mail/settings', headers: bearer(who.token), payload });
    const remove = (who: SignedInPerson, personId?: string) =>
      server.app.inject({
        method: 'DELETE',
        url: `/api/mail/settings${personId ? `?personId=${personId}` : ''}`,
        headers: bearer(who.token),
      });
    const rows = (personId: string) =>
      scalar(db.database, 'SELECT count(*)::int8 AS n FROM mail_settings WHERE person_id = $1', [personId]);

    /** A change to a person record, as an administrator's push makes it. */
    async function patchPerson(personId: string, fields: Record<string, unknown>) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: bearer(admin.token),
        payload: {
          changes: [
            {
              id: randomUUID(),
              kind: 'person',
              recordId: personId,
              op: 'patch',
              fields,
              at: server.clock.now(),
              actor: admin.person.id,
            },
          ],
        },
      });
      expect(response.json<{ results: Array<{ outcome: string }> }>().results[0]?.outcome).toBe('applied');
    }

    /** The staff list's address on a person record. */
    const giveEmail = (person: SignedInPerson, email: string) => patchPerson(person.person.id, { email });

    it('saves my own address and kinds, trimmed and in a fixed order, and answers them when asked again', async () => {
      const bram = await signedInTeacher(server, admin);
      const before = await get(bram);
      expect(before.statusCode, before.body).toBe(200);
      expect(before.json()).toEqual({ sending: false, offered: EVERY_KIND_BUT_DIGEST });

      const saved = await put(bram, { address: '  bram@school.nl ', kinds: ['reminder', 'handedOver'] });
      expect(saved.statusCode, saved.body).toBe(200);
      const expected: MailSettingsAnswer = {
        sending: false,
        offered: EVERY_KIND_BUT_DIGEST as MailSettingsAnswer['offered'],
        settings: { address: 'bram@school.nl', kinds: ['handedOver', 'reminder'] },
        // Not the staff list's address (Bram has none): it waits for the link sent to it.
        confirmed: false,
      };
      expect(saved.json()).toEqual(expected);
      expect((await get(bram)).json()).toEqual(expected);
      const [row] = await db.database.query<{ updated_at: number; kinds: unknown }>(
        'SELECT updated_at, kinds FROM mail_settings WHERE school_id = $1 AND person_id = $2',
        [admin.schoolId, bram.person.id],
      );
      expect(row).toEqual({ updated_at: server.clock.now(), kinds: ['handedOver', 'reminder'] });

      // Another address, and no kinds at all: the address is kept, nothing is sent.
      server.clock.advance(1_000);
      const none = await put(bram, { address: 'b.jansen@school.nl', kinds: [] });
      expect(none.json<MailSettingsAnswer>().settings).toEqual({ address: 'b.jansen@school.nl', kinds: [] });
      expect(await rows(bram.person.id)).toBe(1);
      // The log says that it changed, never to which address.
      expect(logged.join('')).toContain('mail settings saved');
      expect(logged.join('')).not.toMatch(/school\.nl"|bram@|b\.jansen@/);
    });

    it('refuses an invalid address, an unknown kind, a kind twice, other fields, and the digest for a non-leader', async () => {
      const bram = await signedInTeacher(server, admin);
      const refusals: Array<[Record<string, unknown>, string]> = [
        [{ address: 'bram at school', kinds: ['request'] }, 'invalid-address'],
        [{ address: 'bram@school', kinds: ['request'] }, 'invalid-address'],
        [{ address: '   ', kinds: [] }, 'invalid-address'],
        [{ address: `${'b'.repeat(250)}@school.nl`, kinds: [] }, 'invalid-request'],
        [{ address: 'bram@school.nl', kinds: ['gossip'] }, 'invalid-request'],
        [{ address: 'bram@school.nl', kinds: ['request', 'request'] }, 'invalid-request'],
        [{ address: 'bram@school.nl', kinds: ['request'], personId: admin.person.id }, 'invalid-request'],
        [{ address: 'bram@school.nl' }, 'invalid-request'],
        [{ address: 'bram@school.nl', kinds: ['digest'] }, 'kind-not-offered'],
      ];
      for (const [payload, code] of refusals) {
        const response = await put(bram, payload);
        expect(response.statusCode, JSON.stringify(payload)).toBe(400);
        expect(response.json<{ error: { code: string } }>().error.code, JSON.stringify(payload)).toBe(code);
      }
      expect(await rows(bram.person.id)).toBe(0);

      // The digest is a school leader's: offered to them, and kept.
      expect((await get(admin)).json<MailSettingsAnswer>().offered).toEqual([...EVERY_KIND_BUT_DIGEST, 'digest']);
      const leader = await put(admin, { address: 'anna@school.nl', kinds: ['digest'] });
      expect(leader.statusCode, leader.body).toBe(200);
      expect(leader.json<MailSettingsAnswer>().settings?.kinds).toEqual(['digest']);
    });

    it("takes the staff list's address as confirmed, and asks any other to be confirmed again", async () => {
      const bram = await signedInTeacher(server, admin);
      await giveEmail(bram, 'bram@school.nl');
      const confirmed = async (address: string) =>
        (await put(bram, { address, kinds: ['request'] })).json<MailSettingsAnswer>().confirmed;
      expect(await confirmed('Bram@School.nl')).toBe(true);
      // The same address again (another choice of kinds) stays confirmed; another address does not.
      expect(await confirmed('bram@school.nl')).toBe(true);
      expect(await confirmed('bram.thuis@example.nl')).toBe(false);
      expect(await confirmed('bram.thuis@example.nl')).toBe(false);
      expect(await confirmed('bram@school.nl')).toBe(true);
    });

    it("shows another person's settings to an administrator only, and a person of another school to nobody", async () => {
      const bram = await signedInTeacher(server, admin);
      const carla = await signedInTeacher(server, admin, 'Carla');
      await giveEmail(bram, 'bram@school.nl');
      expect((await put(bram, { address: 'bram.thuis@example.nl', kinds: ['request'] })).statusCode).toBe(200);

      // A teacher may not look at a colleague's, nor stop them.
      expect((await get(carla, bram.person.id)).statusCode).toBe(403);
      expect((await remove(carla, bram.person.id)).statusCode).toBe(403);
      expect(await rows(bram.person.id)).toBe(1);

      // The administrator sees the choice, but never the staff list's address as a proposal: that is for Bram.
      const seen = await get(admin, bram.person.id);
      expect(seen.statusCode, seen.body).toBe(200);
      expect(seen.json()).toEqual({
        sending: false,
        offered: EVERY_KIND_BUT_DIGEST,
        settings: { address: 'bram.thuis@example.nl', kinds: ['request'] },
        confirmed: false,
      });
      expect((await get(bram)).json<MailSettingsAnswer>().suggestedAddress).toBe('bram@school.nl');
      // Asking about oneself by id is asking about oneself.
      expect((await get(bram, bram.person.id)).json<MailSettingsAnswer>().suggestedAddress).toBe('bram@school.nl');
      expect((await get(carla)).json<MailSettingsAnswer>().suggestedAddress).toBeUndefined();

      // Another school's leader, with the ids of this one: not found, and nothing removed.
      const other = await setUpSchool(server, { schoolName: 'De Klimop', adminName: 'Bert' });
      expect((await get(other, bram.person.id)).statusCode).toBe(404);
      expect((await remove(other, bram.person.id)).statusCode).toBe(404);
      expect((await get(admin, randomUUID())).statusCode).toBe(404);
      expect(await rows(bram.person.id)).toBe(1);
      // Only one's own may be changed: PUT takes no personId, not even from an administrator.
      const sneaky = await server.app.inject({
        method: 'PUT',
        url: `/api/mail/settings?personId=${bram.person.id}`,
        headers: bearer(admin.token),
        payload: { address: 'anna@school.nl', kinds: [] },
      });
      expect(sneaky.statusCode).toBe(400);
      expect((await get(admin, bram.person.id)).json<MailSettingsAnswer>().settings?.address).toBe(
        'bram.thuis@example.nl',
      );
      expect((await get(admin)).json<MailSettingsAnswer>().settings).toBeUndefined();
    });

    it('stops e-mail: my own, or a colleague’s by an administrator, with what waited unsent for them', async () => {
      const bram = await signedInTeacher(server, admin);
      const carla = await signedInTeacher(server, admin, 'Carla');
      for (const who of [bram, carla])
        expect(
          (await put(who, { address: `${who.person.name.split(' ')[0]}@school.nl`, kinds: ['request'] })).statusCode,
        ).toBe(200);
      const queue = async (personId: string, sent: boolean) =>
        db.database.query(
          `INSERT INTO mail_queue (id, school_id, person_id, kind, key, subject_id, created_at, next_attempt_at, sent_at)
           VALUES ($1, $2, $3, 'request', $4, $5, 1, 1, $6)`,
          [randomUUID(), admin.schoolId, personId, `request:${randomUUID()}`, randomUUID(), sent ? 2 : null],
        );
      const queued = (personId: string) =>
        scalar(db.database, 'SELECT count(*)::int8 AS n FROM mail_queue WHERE person_id = $1', [personId]);
      await queue(bram.person.id, false);
      await queue(bram.person.id, true);
      await queue(carla.person.id, false);

      expect((await remove(bram)).statusCode).toBe(204);
      expect(await rows(bram.person.id)).toBe(0);
      // The sent row stays as the record of what went out; Carla's is untouched.
      expect(await queued(bram.person.id)).toBe(1);
      expect(await queued(carla.person.id)).toBe(1);
      expect((await get(bram)).json<MailSettingsAnswer>().settings).toBeUndefined();
      // Stopping what was stopped already changes nothing.
      expect((await remove(bram)).statusCode).toBe(204);

      expect((await remove(admin, carla.person.id)).statusCode).toBe(204);
      expect(await rows(carla.person.id)).toBe(0);
      expect(await queued(carla.person.id)).toBe(0);
      expect(logged.join('')).toContain('mail settings removed');
    });

    it('answers only what the role offers now: a leader who became a teacher no longer has the digest', async () => {
      const yara = await addPerson(server, admin, { name: 'Yara', role: 'leader', starter: false });
      const response = await signIn(server, await issueCode(server, admin, yara.id));
      const signedIn: SignedInPerson = {
        token: sessionCookie(response),
        person: yara,
        schoolId: admin.schoolId,
        sessionId: response.json<{ sessionId: string }>().sessionId,
      };
      expect((await put(signedIn, { address: 'yara@school.nl', kinds: ['request', 'digest'] })).statusCode).toBe(200);
      await patchPerson(yara.id, { role: 'teacher' });
      const answer = (await get(signedIn)).json<MailSettingsAnswer>();
      expect(answer.offered).toEqual(EVERY_KIND_BUT_DIGEST);
      expect(answer.settings?.kinds).toEqual(['request']);
    });

    it('never logs the token of an unsubscribe link', async () => {
      const query = await unsubscribeQuery(db.database, admin.schoolId, admin.person.id, server.clock.now());
      const token = new URLSearchParams(query).get('t')!;
      for (const method of ['GET', 'POST'] as const) {
        const response = await server.app.inject({ method, url: `/api/mail/unsubscribe?${query}` });
        expect(response.statusCode).toBe(200);
      }
      const lines = logged.join('');
      expect(lines).toContain('/api/mail/unsubscribe?…');
      expect(lines).not.toContain(token);
      expect(lines).not.toContain(admin.person.id);
    });

    it('needs a session', async () => {
      for (const method of ['GET', 'PUT', 'DELETE'] as const) {
        const response = await server.app.inject({
          method,
          url: '/api/mail/settings',
          ...(method === 'PUT' ? { payload: { address: 'a@school.nl', kinds: [] } } : {}),
        });
        expect(response.statusCode, method).toBe(401);
      }
    });
  });

  describe(`a server that sends e-mail, on ${kind}`, () => {
    const db = migratedDatabase(kind);

    it('says so when it has SMTP settings', async () => {
      const server = await testServer(db.database, { mail: MAIL });
      try {
        const admin = await setUpSchool(server);
        const response = await server.app.inject({
          method: 'GET',
          url: '/api/mail/settings',
          headers: bearer(admin.token),
        });
        expect(response.json<MailSettingsAnswer>().sending).toBe(true);
      } finally {
        await server.app.close();
      }
    });
  });
});
