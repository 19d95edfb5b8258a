/**
 * E-mail notices end to end on the server (src/server/mail): pushes queue notices in their transaction, the mail loop
 * sends them to a real SMTP server in this process (the `smtp-server` package), and every message is read back:
 * the right person, the unsubscribe headers (RFC 8058), nothing of what only the app may show (asserted on every
 * header, body and attachment, decoded), no duplicates across a restart, retries after the SMTP server refuses, and
 * calendar invitations read back with ical.js.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import ICAL from 'ical.js';
import type { Database } from '../../src/server/db/database';
import { forEachDatabase, migratedDatabase, scalar, seedSchool } from './support/databases';
import { bearer, setUpSchool, signedInTeacher, testServer, type TestServer } from './support/server';
import { pushChanges, type SyncSession } from '../../src/server/sync/push';
import { pullChanges } from '../../src/server/sync/pull';
import type { OutboxChange, RecordKind } from '../../src/core/sync/change';
import type { Observation, Person, School } from '../../src/core/model/records';
import type { MailSettingsAnswer, NoticeKind } from '../../src/core/notify/settings';
import type { MailConfig } from '../../src/server/config';
import { MAX_ATTEMPTS } from '../../src/server/mail/queue';
import { lockSchool, putRecord, takeVersions } from '../../src/server/db/records';

/** Words that only the app may show: none of them may appear in any e-mail. */
const SECRETS = {
  focus: 'GEHEIMKIJKVRAAG',
  group: 'GEHEIMGROEP',
  top: 'GEHEIMTOP',
  tip: 'GEHEIMTIP',
  reflection: 'GEHEIMREFLECTIE',
  note: 'GEHEIMNOTITIE',
};

interface Received {
  raw: string;
  envelopeTo: string[];
  parsed: ParsedMail;
}

/** An SMTP server in this process that keeps what it receives, and can be told to refuse. */
class TestSmtp {
  readonly received: Received[] = [];
  refuse: false | 'temporary' | 'permanent' = false;
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo: (_address, _session, callback) => {
      if (!this.refuse) return callback();
      const error = Object.assign(new Error(this.refuse === 'temporary' ? 'Try again later' : 'No such user'), {
        responseCode: this.refuse === 'temporary' ? 451 : 550,
      });
      callback(error);
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            this.received.push({ raw, envelopeTo: session.envelope.rcptTo.map((r) => r.address), parsed });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  to(address: string): Received[] {
    return this.received.filter((message) => message.envelopeTo.includes(address));
  }
}

const SCHOOL = 'school-mail';
const PUBLIC_URL = 'https://meekijken.school.test';

function person(name: string, role: Person['role'] = 'teacher', extra: Partial<Person> = {}): Person {
  const id = randomUUID();
  return {
    id,
    owner: id,
    createdAt: 1_780_000_000_000,
    updatedAt: 1_780_000_000_000,
    name,
    role,
    starter: false,
    ...extra,
  };
}

/** Everything a message shows anyone: every header, both bodies and every attachment, decoded. */
function everything(message: Received): string {
  const { parsed } = message;
  const headers = [...parsed.headers.entries()].map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  return [
    message.raw,
    ...headers,
    parsed.subject ?? '',
    parsed.text ?? '',
    typeof parsed.html === 'string' ? parsed.html : '',
    ...parsed.attachments.map((attachment) => attachment.content.toString('utf8')),
  ].join('\n');
}

/** A header as it was sent (mailparser folds some, like List-*, into objects of its own). */
function header(message: Received, name: string): string | undefined {
  const line = message.parsed.headerLines.find((each) => each.key === name.toLowerCase())?.line;
  return line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\r?\n\s+/g, ' ')
    .trim();
}

/** The calendar of a message (its text/calendar part), parsed by ical.js. */
function calendarOf(message: Received): ICAL.Component {
  const part = message.parsed.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  expect(part, `a calendar in "${message.parsed.subject}"`).toBeDefined();
  return new ICAL.Component(ICAL.parse(part!.content.toString('utf8')));
}

forEachDatabase((kind) => {
  describe(`e-mail notices on ${kind}`, () => {
    const shared = migratedDatabase(kind);
    const smtp = new TestSmtp();
    let database: Database;
    let server: TestServer;
    let mail: MailConfig;
    const anna = person('Anna Smit');
    const bram = person('Bram de Wit');
    const carla = person('Carla Bos');
    const dirk = person('Dirk Vos');
    const lies = person('Lies Kok', 'leader');
    const address = (who: Person) => `${who.name.split(' ')[0]!.toLowerCase()}@school.test`;
    const session = (who: Person): SyncSession => ({ sessionId: `session-${who.id}`, schoolId: SCHOOL, person: who });

    beforeAll(() => smtp.start());
    afterAll(() => smtp.stop());

    beforeEach(async () => {
      database = shared.database;
      smtp.received.length = 0;
      smtp.refuse = false;
      await seedSchool(database, SCHOOL, [anna, bram, carla, dirk, lies]);
      mail = {
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false, requireTls: false },
        from: 'Meekijken <meekijken@school.test>',
        publicUrl: PUBLIC_URL,
      };
      server = await testServer(database, { mail });
      // 7 December 2026, a Monday, 08:00 in Amsterdam.
      server.clock.advance(Date.UTC(2026, 11, 7, 7) - server.clock.now());
    });
    afterEach(() => server.app.close());

    async function choose(who: Person, kinds: NoticeKind[]): Promise<void> {
      await database.query(
        `INSERT INTO mail_settings (school_id, person_id, address, kinds, updated_at, confirmed_at)
         VALUES ($1, $2, $3, $4, 0, 0)
         ON CONFLICT (school_id, person_id) DO UPDATE SET kinds = excluded.kinds`,
        [SCHOOL, who.id, address(who), JSON.stringify(kinds)],
      );
    }

    let count = 0;
    const change = (
      kind: RecordKind,
      recordId: string,
      op: OutboxChange['op'],
      fields: Record<string, unknown>,
    ): OutboxChange => ({ id: randomUUID(), kind, recordId, op, fields, at: server.clock.now() + ++count, actor: 'x' });

    async function push(who: Person, changes: OutboxChange[], notify = true) {
      const results = await pushChanges(database, session(who), changes, server.clock.now(), undefined, { notify });
      expect(results.map((r) => r.reason ?? r.outcome)).toEqual(changes.map(() => 'applied'));
    }

    const send = () => server.app.meekijken.mailer!.sendDue();

    function request(extra: Record<string, unknown> = {}) {
      const id = randomUUID();
      const at = server.clock.now();
      return {
        id,
        owner: bram.id,
        createdAt: at,
        updatedAt: at,
        requesterId: bram.id,
        observedId: bram.id,
        observerId: anna.id,
        purpose: 'peer',
        instrumentKey: 'meekijken.lesobservatie@1.1.0',
        focusQuestion: SECRETS.focus,
        context: { group: SECRETS.group },
        plannedOn: '2026-12-10',
        plannedTime: '10:30',
        durationMinutes: 45,
        ...extra,
      };
    }

    /** Anna observes Bram's lesson, completes it and (optionally) hands her feedback over. */
    async function observe(handOver: boolean, notify = true): Promise<Observation> {
      const at = server.clock.now();
      const id = randomUUID();
      const base = { owner: anna.id, createdAt: at, updatedAt: at };
      const observation = {
        id,
        ...base,
        instrumentKey: 'meekijken.lesobservatie@1.1.0',
        observerId: anna.id,
        observedId: bram.id,
        purpose: 'peer',
        status: 'draft',
        context: { group: SECRETS.group },
        clock: { elapsedMs: 0 },
        position: {},
        startedAt: at,
      };
      const changes = [
        change('observation', id, 'insert', observation),
        change('response', `${id}:lk-respect`, 'insert', {
          id: `${id}:lk-respect`,
          ...base,
          observationId: id,
          itemId: 'lk-respect',
          rating: 3,
          lookFors: [],
          evidence: SECRETS.note,
        }),
        change('observation', id, 'patch', { status: 'completed', completedAt: at }),
      ];
      if (handOver)
        changes.push(
          change('feedback', id, 'insert', {
            id,
            ...base,
            observationId: id,
            points: [
              { id: 'p1', kind: 'top', text: SECRETS.top },
              { id: 'p2', kind: 'tip', text: SECRETS.tip },
            ],
            nextStep: '',
          }),
          change('observation', id, 'patch', { status: 'shared', handedOverAt: at }),
        );
      await push(anna, changes, notify);
      return observation as unknown as Observation;
    }

    function reflect(observationId: string, fields: Record<string, unknown>, op: OutboxChange['op'] = 'insert') {
      const at = server.clock.now();
      return change(
        'reflection',
        observationId,
        op,
        op === 'insert'
          ? {
              id: observationId,
              owner: bram.id,
              createdAt: at,
              updatedAt: at,
              observationId,
              teacherId: bram.id,
              text: '',
              ...fields,
            }
          : fields,
      );
    }

    function expectNothingSecret() {
      expect(smtp.received.length).toBeGreaterThan(0);
      for (const message of smtp.received) {
        const text = everything(message);
        for (const secret of Object.values(SECRETS)) expect(text, message.parsed.subject).not.toContain(secret);
        // Only the recipient's own address: a colleague's is theirs to see.
        for (const who of [anna, bram, carla, dirk, lies])
          if (!message.envelopeTo.includes(address(who))) expect(text).not.toContain(address(who));
      }
    }

    it('tells the observer of a request and puts the planned visit in both calendars, and nothing else', async () => {
      await choose(anna, ['request', 'calendar']);
      await choose(bram, ['request', 'calendar']);
      await choose(carla, ['request', 'calendar', 'handedOver']);
      const asked = request();
      await push(bram, [change('request', asked.id, 'insert', asked)]);
      await send();

      const toAnna = smtp.to(address(anna));
      expect(toAnna.map((m) => header(m, 'X-Meekijken-Notice')).sort()).toEqual(['calendar', 'request']);
      const requestMail = toAnna.find((m) => header(m, 'X-Meekijken-Notice') === 'request')!;
      expect(requestMail.parsed.subject).toContain('Bram de Wit vraagt je om mee te kijken');
      expect(requestMail.parsed.text).toContain(`${PUBLIC_URL}/requests/${asked.id}`);
      expect(requestMail.parsed.text).toContain('donderdag 10 december om 10:30');
      // Bram asked for himself: he gets the invitation, not a notice of his own request. Carla is not involved.
      expect(smtp.to(address(bram)).map((m) => header(m, 'X-Meekijken-Notice'))).toEqual(['calendar']);
      expect(smtp.to(address(carla))).toEqual([]);

      for (const who of [anna, bram]) {
        const [invitation] = smtp.to(address(who)).filter((m) => header(m, 'X-Meekijken-Notice') === 'calendar');
        const calendar = calendarOf(invitation!);
        expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
        const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
        expect(event.uid).toBe(`${asked.id}@meekijken`);
        // 10:30 in Amsterdam in December is 09:30 UTC; 45 minutes long.
        expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-10T09:30:00.000Z');
        expect(event.endDate.toJSDate().toISOString()).toBe('2026-12-10T10:15:00.000Z');
        const attendees = event.attendees.map((a) => String(a.getFirstValue()).toLowerCase());
        expect(attendees).toEqual([`mailto:${address(who)}`]);
      }
      expectNothingSecret();
    });

    it('sends an update with a higher SEQUENCE when the plan moves, and a cancellation when it is withdrawn', async () => {
      await choose(anna, ['calendar']);
      const asked = request();
      await push(bram, [change('request', asked.id, 'insert', asked)]);
      await send();
      server.clock.advance(60_000);
      await push(bram, [change('request', asked.id, 'patch', { plannedTime: '13:15', updatedAt: server.clock.now() })]);
      await send();
      // A change that does not move the visit sends nothing.
      server.clock.advance(60_000);
      await push(bram, [
        change('request', asked.id, 'patch', { focusQuestion: 'Iets anders', updatedAt: server.clock.now() }),
      ]);
      await send();
      server.clock.advance(60_000);
      await push(bram, [
        change('request', asked.id, 'patch', { withdrawnAt: server.clock.now(), updatedAt: server.clock.now() }),
      ]);
      await send();

      const calendars = smtp.to(address(anna)).map(calendarOf);
      expect(calendars.map((c) => c.getFirstPropertyValue('method'))).toEqual(['REQUEST', 'REQUEST', 'CANCEL']);
      const events = calendars.map((c) => new ICAL.Event(c.getFirstSubcomponent('vevent')!));
      expect(new Set(events.map((e) => e.uid))).toEqual(new Set([`${asked.id}@meekijken`]));
      const sequences = events.map((e) => e.sequence);
      expect(sequences[1]).toBeGreaterThan(sequences[0]!);
      expect(sequences[2]).toBeGreaterThan(sequences[1]!);
      expect(events[1]!.startDate.toJSDate().toISOString()).toBe('2026-12-10T12:15:00.000Z');
      expect(calendars[2]!.getFirstSubcomponent('vevent')!.getFirstPropertyValue('status')).toBe('CANCELLED');
      expect(smtp.to(address(anna))[2]!.parsed.subject).toContain('Geannuleerd');
      expectNothingSecret();
    });

    it('sends one invitation for a visit moved several times before the mail went, and never a lower SEQUENCE', async () => {
      await choose(anna, ['calendar']);
      // A tablet whose clock runs a day ahead asks.
      const ahead = server.clock.now() + 24 * 3_600_000;
      const asked = request({ createdAt: ahead, updatedAt: ahead });
      await push(bram, [change('request', asked.id, 'insert', asked)]);
      await send();
      // A tablet with the right time moves it three times before the next send.
      for (const time of ['11:00', '11:30', '12:00']) {
        server.clock.advance(60_000);
        await push(bram, [change('request', asked.id, 'patch', { plannedTime: time, updatedAt: server.clock.now() })]);
      }
      await send();
      const events = smtp.to(address(anna)).map((m) => new ICAL.Event(calendarOf(m).getFirstSubcomponent('vevent')!));
      expect(events).toHaveLength(2);
      expect(events[1]!.startDate.toJSDate().toISOString()).toBe('2026-12-10T11:00:00.000Z');
      expect(events[1]!.sequence).toBeGreaterThan(events[0]!.sequence);
    });

    it('cancels the visit in both calendars when the observer declines', async () => {
      await choose(anna, ['calendar']);
      await choose(bram, ['calendar']);
      const asked = request();
      await push(bram, [change('request', asked.id, 'insert', asked)]);
      await send();
      server.clock.advance(60_000);
      const at = server.clock.now();
      const declineId = randomUUID();
      await push(anna, [
        change('decline', declineId, 'insert', {
          id: declineId,
          owner: anna.id,
          createdAt: at,
          updatedAt: at,
          requestId: asked.id,
          observerId: anna.id,
          reason: 'Die dag ben ik op cursus',
        }),
      ]);
      await send();
      for (const who of [anna, bram]) {
        const methods = smtp.to(address(who)).map((m) => calendarOf(m).getFirstPropertyValue('method'));
        expect(methods).toEqual(['REQUEST', 'CANCEL']);
      }
      for (const message of smtp.received) expect(everything(message)).not.toContain('cursus');
    });

    it('tells the teacher of feedback handed over, and the observer of a reflection and a conversation held', async () => {
      await choose(anna, ['reflection']);
      await choose(bram, ['handedOver']);
      const observation = await observe(true);
      await send();
      const toBram = smtp.to(address(bram));
      expect(toBram).toHaveLength(1);
      expect(toBram[0]!.parsed.subject).toContain('Anna Smit heeft feedback op je les klaargezet');
      expect(toBram[0]!.parsed.text).toContain(`${PUBLIC_URL}/observations/${observation.id}/report`);

      // Reading alone tells nobody; the first words of a reflection do, once; the conversation held does, once.
      await push(bram, [reflect(observation.id, { readAt: server.clock.now() })]);
      await push(bram, [reflect(observation.id, { text: SECRETS.reflection }, 'patch')]);
      await push(bram, [reflect(observation.id, { text: `${SECRETS.reflection} en meer` }, 'patch')]);
      await push(bram, [reflect(observation.id, { acknowledgedAt: server.clock.now() }, 'patch')]);
      await send();
      const toAnna = smtp.to(address(anna));
      expect(toAnna.map((m) => m.parsed.subject).sort()).toEqual([
        expect.stringContaining('Bram de Wit heeft gereageerd op je feedback'),
        expect.stringContaining('Bram de Wit heeft het gesprek over je feedback afgerond'),
      ]);
      expectNothingSecret();
    });

    it('carries a one-click unsubscribe (RFC 8058) that stops every e-mail, and a page that asks first', async () => {
      await choose(bram, ['handedOver']);
      await observe(true);
      await send();
      const [message] = smtp.to(address(bram));
      expect(header(message!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      const link = new URL(/^<([^>]+)>$/.exec(header(message!, 'List-Unsubscribe') ?? '')![1]!);
      expect(link.origin).toBe(PUBLIC_URL);

      const path = `${link.pathname}${link.search}`;
      // Opening the link (a person, or a mail scanner) stops nothing.
      const page = await server.app.inject({ method: 'GET', url: path });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<form method="post"');
      expect(
        await scalar(database, `SELECT jsonb_array_length(kinds)::int8 FROM mail_settings WHERE person_id = $1`, [
          bram.id,
        ]),
      ).toBe(1);
      // A forged token, or another person's id with this token: refused, and nothing changes.
      const forged = new URL(link);
      forged.searchParams.set('p', anna.id);
      const refused = await server.app.inject({
        method: 'POST',
        url: `${forged.pathname}${forged.search}`,
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(refused.statusCode).toBe(404);

      const stopped = await server.app.inject({
        method: 'POST',
        url: path,
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(stopped.statusCode).toBe(200);
      expect(
        await scalar(database, `SELECT jsonb_array_length(kinds)::int8 FROM mail_settings WHERE person_id = $1`, [
          bram.id,
        ]),
      ).toBe(0);
      await observe(true);
      await send();
      expect(smtp.to(address(bram))).toHaveLength(1);
    });

    it('sends nothing twice across a restart, and what was left in the queue once', async () => {
      await choose(bram, ['handedOver']);
      await choose(anna, ['reflection']);
      const first = await observe(true);
      await send();
      expect(smtp.received).toHaveLength(1);
      // The SMTP server refuses for now: the next notice waits in the queue when the server stops.
      smtp.refuse = 'temporary';
      await push(bram, [reflect(first.id, { text: 'Dank je' })]);
      await send();
      expect(smtp.received).toHaveLength(1);
      await server.app.close();

      smtp.refuse = false;
      // The device sends the hand-over again (its answer was lost): nothing new is queued.
      await push(anna, [change('observation', first.id, 'patch', { status: 'shared' })]);
      server = {
        ...server,
        app: await (await import('../../src/server/app')).buildServer({ database, now: server.clock.now, mail }),
      };
      server.clock.advance(5 * 60_000);
      await server.app.ready();
      await send();
      await send();
      const keys = smtp.received.map((m) => header(m, 'X-Meekijken-Notice'));
      expect(keys.sort()).toEqual(['handedOver', 'reflection']);
      expect(new Set(smtp.received.map((m) => m.parsed.messageId)).size).toBe(2);
    });

    it('sends each notice once when two server processes send from the same queue at the same time', async () => {
      await choose(bram, ['handedOver']);
      for (let i = 0; i < 12; i++) await observe(true);
      const { buildServer } = await import('../../src/server/app');
      const second = await buildServer({ database, now: server.clock.now, mail });
      try {
        await Promise.all([send(), second.meekijken.mailer!.sendDue(), send(), second.meekijken.mailer!.sendDue()]);
      } finally {
        await second.close();
      }
      expect(smtp.to(address(bram))).toHaveLength(12);
      expect(new Set(smtp.received.map((m) => m.parsed.messageId)).size).toBe(12);
      expect(await scalar(database, 'SELECT count(*)::int8 FROM mail_queue WHERE sent_at IS NOT NULL')).toBe(12);
    });

    it('retries with backoff after the SMTP server refuses, and gives up after the last attempt', async () => {
      await choose(bram, ['handedOver']);
      smtp.refuse = 'temporary';
      await observe(true);
      await send();
      const row = async () =>
        (
          await database.query<{
            attempts: number;
            next_attempt_at: number;
            last_error: string | null;
            sent_at: number | null;
            given_up_at: number | null;
          }>('SELECT attempts, next_attempt_at, last_error, sent_at, given_up_at FROM mail_queue')
        )[0]!;
      expect(await row()).toMatchObject({ attempts: 1, last_error: 'smtp 451', sent_at: null });
      // Not again before its time.
      const waitFor = (await row()).next_attempt_at - server.clock.now();
      expect(waitFor).toBeGreaterThan(0);
      await send();
      expect((await row()).attempts).toBe(1);
      server.clock.advance(waitFor);
      smtp.refuse = false;
      await send();
      expect((await row()).sent_at).toBe(server.clock.now());
      expect(smtp.to(address(bram))).toHaveLength(1);

      // A recipient refused for good: tried MAX_ATTEMPTS times, then given up, never sent.
      smtp.refuse = 'permanent';
      await observe(true);
      for (let attempt = 0; attempt < MAX_ATTEMPTS + 2; attempt++) {
        await send();
        server.clock.advance(24 * 3_600_000);
      }
      const rows = await database.query<{ attempts: number; given_up_at: number | null; last_error: string }>(
        'SELECT attempts, given_up_at, last_error FROM mail_queue WHERE sent_at IS NULL',
      );
      expect(rows).toEqual([{ attempts: MAX_ATTEMPTS, given_up_at: expect.any(Number), last_error: 'smtp 550' }]);
    });

    it('reminds after the school days the school chose, once per stretch, never on a closed day', async () => {
      const at = server.clock.now();
      const school: School = {
        id: SCHOOL,
        owner: lies.id,
        createdAt: at,
        updatedAt: at,
        name: 'De Linde',
        remindAfterSchoolDays: 2,
        holidays: [{ name: 'Kerstvakantie', startsOn: '2026-12-21', endsOn: '2027-01-01' }],
      };
      await database.transaction(async (tx) => {
        await lockSchool(tx, SCHOOL);
        await putRecord(tx, SCHOOL, 'school', school, await takeVersions(tx, SCHOOL, 1));
      });
      await choose(anna, ['reminder']);
      await choose(bram, ['reminder']);
      // Monday 7 December: Anna completes without handing over; Bram waits for nothing yet.
      const observation = await observe(false);
      const rounds = async () => {
        await server.app.meekijken.mailer!.rounds();
      };
      const day = 24 * 3_600_000;
      await rounds();
      server.clock.advance(day); // Tuesday: one school day
      await rounds();
      expect(smtp.received).toHaveLength(0);
      server.clock.advance(day); // Wednesday: two school days
      await rounds();
      await rounds();
      expect(smtp.to(address(anna)).map((m) => m.parsed.subject)).toEqual([
        expect.stringContaining('Je feedback voor Bram de Wit wacht nog'),
      ]);
      expect(smtp.to(address(anna))[0]!.parsed.text).toContain(`/observations/${observation.id}/feedback`);
      server.clock.advance(3 * day); // Saturday: closed, and the fourth school day was Friday
      await rounds();
      expect(smtp.received).toHaveLength(1);
      server.clock.advance(2 * day); // Monday 14 December: five school days, the second stretch
      await rounds();
      expect(smtp.to(address(anna))).toHaveLength(2);
      // The holiday: nothing, however long it lasts.
      server.clock.advance(8 * day); // Tuesday 22 December
      await rounds();
      expect(smtp.received).toHaveLength(2);
      expect(smtp.to(address(bram))).toHaveLength(0);
      expectNothingSecret();
    });

    it('sends school leaders a weekly digest of counts, once a week', async () => {
      await choose(lies, ['digest']);
      await choose(anna, ['digest']);
      await observe(true);
      await observe(true);
      await server.app.meekijken.mailer!.rounds();
      await server.app.meekijken.mailer!.rounds();
      // Anna is no leader: even a digest she chose by writing to the database is not sent.
      expect(smtp.received.map((m) => m.envelopeTo)).toEqual([[address(lies)]]);
      const [digest] = smtp.received;
      expect(digest!.parsed.subject).toContain('de week in cijfers');
      expect(digest!.parsed.text).toContain('2 keer feedback overgedragen');
      for (const who of [anna, bram]) expect(everything(digest!)).not.toContain(who.name);
      server.clock.advance(7 * 24 * 3_600_000);
      await server.app.meekijken.mailer!.rounds();
      expect(smtp.to(address(lies))).toHaveLength(2);
      expectNothingSecret();
    });

    it('sends nothing to an address not confirmed yet', async () => {
      await database.query(
        `INSERT INTO mail_settings (school_id, person_id, address, kinds, updated_at) VALUES ($1, $2, $3, '["handedOver"]', 0)`,
        [SCHOOL, bram.id, address(bram)],
      );
      await observe(true);
      await send();
      expect(await scalar(database, 'SELECT count(*)::int8 FROM mail_queue')).toBe(0);
      expect(smtp.received).toEqual([]);
    });

    it('queues nothing without SMTP, and forgets the address of a person who leaves', async () => {
      await choose(bram, ['handedOver']);
      await choose(dirk, ['handedOver']);
      await observe(true).then(() => undefined);
      const queued = await scalar(database, 'SELECT count(*)::int8 FROM mail_queue');
      expect(queued).toBe(1);
      // The same hand-over on a server without SMTP: nothing is queued.
      await observe(true, false);
      expect(await scalar(database, 'SELECT count(*)::int8 FROM mail_queue')).toBe(queued);
      const at = server.clock.now();
      await push(lies, [change('person', dirk.id, 'patch', { archivedAt: at, updatedAt: at })]);
      expect(await scalar(database, 'SELECT count(*)::int8 FROM mail_settings WHERE person_id = $1', [dirk.id])).toBe(
        0,
      );
      expect(await scalar(database, 'SELECT count(*)::int8 FROM mail_settings WHERE person_id = $1', [bram.id])).toBe(
        1,
      );
    });
  });

  describe(`e-mail through the running server on ${kind}`, () => {
    const shared = migratedDatabase(kind);
    const smtp = new TestSmtp();
    beforeAll(() => smtp.start());
    afterAll(() => smtp.stop());

    it("reaches the colleague within seconds of a push, with nothing but the server's own loop", async () => {
      const server = await testServer(shared.database, {
        mail: {
          smtp: { host: '127.0.0.1', port: smtp.port, secure: false, requireTls: false },
          from: 'meekijken@school.test',
          publicUrl: PUBLIC_URL,
        },
      });
      try {
        const admin = await setUpSchool(server);
        const teacher = await signedInTeacher(server, admin, 'Bram de Wit');
        const observer = await signedInTeacher(server, admin, 'Anna Smit');
        await shared.database.query(
          `INSERT INTO mail_settings (school_id, person_id, address, kinds, updated_at, confirmed_at) VALUES ($1, $2, 'anna@school.test', '["request"]', 0, 0)`,
          [admin.schoolId, observer.person.id],
        );
        const at = server.clock.now();
        const id = randomUUID();
        const pushed = await server.app.inject({
          method: 'POST',
          url: '/api/sync/push',
          headers: bearer(teacher.token),
          payload: {
            changes: [
              {
                id: randomUUID(),
                kind: 'request',
                recordId: id,
                op: 'insert',
                at,
                actor: teacher.person.id,
                fields: {
                  id,
                  owner: teacher.person.id,
                  createdAt: at,
                  updatedAt: at,
                  requesterId: teacher.person.id,
                  observedId: teacher.person.id,
                  observerId: observer.person.id,
                  purpose: 'peer',
                  instrumentKey: 'meekijken.lesobservatie@1.1.0',
                  context: {},
                },
              },
            ],
          },
        });
        expect(pushed.json<{ results: Array<{ outcome: string }> }>().results[0]!.outcome).toBe('applied');
        await expect.poll(() => smtp.to('anna@school.test').length, { timeout: 15_000 }).toBe(1);
        expect(smtp.received).toHaveLength(1);
        expect(smtp.received[0]!.parsed.subject).toContain('Bram de Wit vraagt je om mee te kijken');
      } finally {
        await server.app.close();
      }
    });

    it("confirms an address by a link before sending anything there, then sends a test e-mail at once with the mail server's answer", async () => {
      const config = {
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false, requireTls: false },
        from: 'meekijken@school.test',
        publicUrl: PUBLIC_URL,
      };
      const server = await testServer(shared.database, { mail: config });
      try {
        const admin = await setUpSchool(server);
        const teacher = await signedInTeacher(server, admin, 'Bram de Wit');
        const test = () => server.app.inject({ method: 'POST', url: '/api/mail/test', headers: bearer(teacher.token) });
        const first = await test();
        expect(first.statusCode).toBe(409);
        expect(first.json<{ error: { code: string } }>().error.code).toBe('no-address');
        smtp.received.length = 0;
        const put = (address: string) =>
          server.app.inject({
            method: 'PUT',
            url: '/api/mail/settings',
            headers: bearer(teacher.token),
            payload: { address, kinds: ['handedOver'] },
          });
        const saved = await put('bram@school.test');
        expect(saved.statusCode, saved.body).toBe(200);
        expect(saved.json<MailSettingsAnswer>().confirmed).toBe(false);
        // The address is not the staff list's: a link to confirm it goes there first, and nothing else until then.
        const linkIn = (message: Received) =>
          /https:\/\/\S+\/api\/mail\/confirm\?\S+/.exec(message.parsed.text ?? '')![0];
        expect(smtp.to('bram@school.test').map((m) => header(m, 'X-Meekijken-Notice'))).toEqual(['confirm']);
        const firstLink = linkIn(smtp.received[0]!);
        // Asking for a test sends the link again (the first one then stops working).
        expect((await test()).json()).toEqual({ sent: true, confirmation: true });
        const link = new URL(linkIn(smtp.received[1]!));
        const confirm = (url: URL, method: 'GET' | 'POST') =>
          server.app.inject({ method, url: `${url.pathname}${url.search}` });
        expect((await confirm(new URL(firstLink), 'POST')).statusCode).toBe(404);
        // Opening the link asks first; a mail scanner opening it confirms nothing.
        expect((await confirm(link, 'GET')).body).toContain('<form method="post"');
        expect((await test()).json()).toEqual({ sent: true, confirmation: true });
        const latest = new URL(linkIn(smtp.received[2]!));
        expect((await confirm(latest, 'POST')).statusCode).toBe(200);
        expect((await confirm(latest, 'POST')).statusCode).toBe(404);
        smtp.received.length = 0;
        expect((await test()).json()).toEqual({ sent: true });
        expect(smtp.to('bram@school.test').map((m) => header(m, 'X-Meekijken-Notice'))).toEqual(['test']);
        expect(header(smtp.received[0]!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
        smtp.refuse = 'permanent';
        expect((await test()).json()).toEqual({ sent: false, why: 'smtp 550' });
        smtp.refuse = false;
        // Five an hour, no more: not a way to send mail in bulk.
        expect((await test()).statusCode).toBe(429);
      } finally {
        await server.app.close();
      }
      const without = await testServer(shared.database);
      try {
        const admin = await setUpSchool(without, { schoolName: 'De Ster', adminName: 'Dina Ster' });
        const refused = await without.app.inject({
          method: 'POST',
          url: '/api/mail/test',
          headers: bearer(admin.token),
        });
        expect(refused.statusCode).toBe(409);
        expect(refused.json<{ error: { code: string } }>().error.code).toBe('mail-off');
      } finally {
        await without.app.close();
      }
    });
  });

  describe(`e-mail addresses on ${kind}`, () => {
    const shared = migratedDatabase(kind);
    it('reach only their owner and the administrators', async () => {
      const teacher = person('Eva Mol', 'teacher', { email: 'eva@school.test' });
      const colleague = person('Fien Bak', 'teacher', { email: 'fien@school.test' });
      const leader = person('Gert Post', 'leader');
      await seedSchool(shared.database, SCHOOL, [teacher, colleague, leader]);
      const emailsSeenBy = async (who: Person) => {
        const page = await pullChanges(
          shared.database,
          { sessionId: `s-${who.id}`, schoolId: SCHOOL, person: who },
          0,
          500,
        );
        return page.records
          .filter((r) => r.kind === 'person')
          .map((r) => (r.data as Partial<Person>).email)
          .filter(Boolean)
          .sort();
      };
      expect(await emailsSeenBy(teacher)).toEqual(['eva@school.test']);
      expect(await emailsSeenBy(colleague)).toEqual(['fien@school.test']);
      expect(await emailsSeenBy(leader)).toEqual(['eva@school.test', 'fien@school.test']);

      // Another leader makes Gert a teacher: his device's next pull brings the colleagues again, without addresses.
      const other = person('Hanna Wit', 'leader');
      await shared.database.transaction(async (tx) => {
        await lockSchool(tx, SCHOOL);
        await putRecord(tx, SCHOOL, 'person', other, await takeVersions(tx, SCHOOL, 1));
      });
      const gert = { sessionId: `s-${leader.id}`, schoolId: SCHOOL, person: leader };
      const cursor = Number((await pullChanges(shared.database, gert, 0, 500)).cursor);
      const at = Date.UTC(2026, 11, 7, 9);
      const demoted = await pushChanges(
        shared.database,
        { sessionId: `s-${other.id}`, schoolId: SCHOOL, person: other },
        [
          {
            id: randomUUID(),
            kind: 'person',
            recordId: leader.id,
            op: 'patch',
            fields: { role: 'teacher', updatedAt: at },
            at,
            actor: other.id,
          },
        ],
        at,
      );
      expect(demoted.map((r) => r.outcome)).toEqual(['applied']);
      const again = await pullChanges(
        shared.database,
        { ...gert, person: { ...leader, role: 'teacher' } },
        cursor,
        500,
      );
      const colleagues = again.records.filter((r) => r.kind === 'person' && r.id !== leader.id);
      expect(colleagues.map((r) => r.id).sort()).toEqual([teacher.id, colleague.id].sort());
      expect(colleagues.every((r) => !('email' in (r.data as object)))).toBe(true);
    });
  });
});
