/**
 * A person's choice of e-mail notices (README, "E-mail and calendars"): reading it (`GET /api/mail/settings`, an
 * administrator also anyone's in the school), choosing an address and the kinds of notice (`PUT`, only one's own),
 * stopping all e-mail (`DELETE`, one's own, or an administrator anyone's: the row goes, and with it whatever
 * waited unsent for that person), and a test e-mail to one's own address (`POST /api/mail/test`), sent at once, with
 * the mail server's answer. An address other than the staff list's is confirmed by a link sent to it before anything
 * else goes there (src/server/mail/confirm.ts); the test then sends that link again. The rules of what may be chosen are the core's (src/core/notify/settings.ts).
 * An address is shown only to its owner and the school's administrators, and never logged.
 */
import type { FastifyInstance } from 'fastify';
import { isAdministrator } from '../../core/model/lifecycle';
import type { Person } from '../../core/model/records';
import {
  mailSettingsProblem,
  normaliseMailSettings,
  NOTICE_KINDS,
  noticeKindsFor,
  type MailSettings,
  type MailSettingsAnswer,
  type NoticeKind,
} from '../../core/notify/settings';
import { findActivePerson } from '../accounts/people';
import { forgetMailOf } from '../mail/queue';
import { testMessage } from '../mail/messages';
import { isStaffAddress, sendConfirmation } from '../mail/confirm';
import type { SessionContext } from '../accounts/sessions';
import type { Sql } from '../db/database';
import { ApiError, errorResponses } from '../http/errors';
import { noContent, uuidSchema } from '../http/schemas';
import { requireSession, signedIn } from '../http/session';

/**
 * Test e-mails per hour per person: enough to try an address or two, too few to send anyone mail in bulk from the
 * school's domain (the address is not confirmed).
 */
const TESTS_PER_HOUR = 5;

/** The longest address a mail system accepts (RFC 5321). */
const ADDRESS_LENGTH = 254;

const kindsSchema = {
  type: 'array',
  maxItems: NOTICE_KINDS.length,
  uniqueItems: true,
  items: { type: 'string', enum: NOTICE_KINDS },
} as const;

const answerSchema = {
  type: 'object',
  required: ['sending', 'offered'],
  properties: {
    sending: { type: 'boolean' },
    offered: kindsSchema,
    settings: {
      type: 'object',
      required: ['address', 'kinds'],
      properties: { address: { type: 'string' }, kinds: kindsSchema },
    },
    suggestedAddress: { type: 'string' },
    confirmed: { type: 'boolean' },
  },
} as const;

const personQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { personId: uuidSchema },
} as const;

const PROBLEM_MESSAGES = {
  'invalid-address': 'The e-mail address is not valid.',
  'unknown-kind': 'There is no such kind of notice.',
  'kind-not-offered': 'That kind of notice is not for your role (the weekly digest is for school leaders).',
} as const;

/**
 * Whose settings a request is about: the caller's own, or (`personId`) another person's of the school, for an
 * administrator only. Someone not in the school is "not found", so ids are not confirmed across schools.
 */
async function subjectOf(sql: Sql, session: SessionContext, personId: string | undefined): Promise<Person> {
  const { schoolId, person } = session;
  if (personId === undefined || personId === person.id) return person;
  if (!isAdministrator(person))
    throw new ApiError(403, 'not-administrator', "Only an administrator may see or stop another person's e-mail.");
  const subject = await findActivePerson(sql, schoolId, personId);
  if (!subject) throw new ApiError(404, 'person-not-found', 'There is no such person in your school.');
  return subject;
}

async function storedSettings(
  sql: Sql,
  schoolId: string,
  personId: string,
): Promise<(MailSettings & { confirmed: boolean }) | undefined> {
  const [row] = await sql.query<{ address: string; kinds: unknown; confirmed_at: number | null }>(
    'SELECT address, kinds, confirmed_at FROM mail_settings WHERE school_id = $1 AND person_id = $2',
    [schoolId, personId],
  );
  if (!row) return undefined;
  const stored = Array.isArray(row.kinds) ? (row.kinds as unknown[]) : [];
  return {
    address: row.address,
    kinds: NOTICE_KINDS.filter((kind) => stored.includes(kind)),
    confirmed: row.confirmed_at !== null,
  };
}

export function mailSettingsRoutes(app: FastifyInstance): void {
  /**
   * The answer about `subject`: the kinds are those the person's role offers now (a leader who became a teacher no
   * longer receives the digest, though the row still names it), the staff list's address only to the person themself.
   */
  async function answer(sql: Sql, session: SessionContext, subject: Person): Promise<MailSettingsAnswer> {
    const offered = noticeKindsFor(subject.role);
    const settings = await storedSettings(sql, session.schoolId, subject.id);
    const self = subject.id === session.person.id;
    return {
      sending: app.meekijken.mail !== undefined,
      offered,
      ...(settings
        ? {
            settings: { address: settings.address, kinds: settings.kinds.filter((kind) => offered.includes(kind)) },
            confirmed: settings.confirmed,
          }
        : {}),
      ...(self && subject.email ? { suggestedAddress: subject.email } : {}),
    };
  }

  app.get<{ Querystring: { personId?: string } }>(
    '/api/mail/settings',
    {
      preHandler: requireSession,
      schema: { querystring: personQuery, response: { 200: answerSchema, ...errorResponses } },
    },
    async (request) => {
      const { database } = app.meekijken;
      const session = signedIn(request);
      return answer(database, session, await subjectOf(database, session, request.query.personId));
    },
  );

  app.put<{ Body: { address: string; kinds: NoticeKind[] } }>(
    '/api/mail/settings',
    {
      preHandler: requireSession,
      schema: {
        // Only one's own: no personId, nor anything else, in the query.
        querystring: { type: 'object', additionalProperties: false, properties: {} },
        body: {
          type: 'object',
          required: ['address', 'kinds'],
          additionalProperties: false,
          properties: { address: { type: 'string', maxLength: ADDRESS_LENGTH }, kinds: kindsSchema },
        },
        response: { 200: answerSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { database, now } = app.meekijken;
      const session = signedIn(request);
      const { schoolId, person } = session;
      const settings = normaliseMailSettings(request.body);
      const problem = mailSettingsProblem(settings, person.role);
      if (problem) throw new ApiError(400, problem, PROBLEM_MESSAGES[problem]);
      // The staff list's address is confirmed by the school; another one, new or changed, by a link sent to it.
      const before = await storedSettings(database, schoolId, person.id);
      const changed = !before || before.address.toLowerCase() !== settings.address.toLowerCase();
      const staff = isStaffAddress(settings.address, person.email);
      const confirmed = staff || (!changed && before.confirmed);
      await database.query(
        `INSERT INTO mail_settings (school_id, person_id, address, kinds, updated_at, confirmed_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (school_id, person_id)
         DO UPDATE SET address = EXCLUDED.address, kinds = EXCLUDED.kinds, updated_at = EXCLUDED.updated_at,
                       confirmed_at = CASE WHEN $7 THEN mail_settings.confirmed_at ELSE EXCLUDED.confirmed_at END,
                       confirm_hash = CASE WHEN $7 THEN mail_settings.confirm_hash ELSE NULL END`,
        [
          schoolId,
          person.id,
          settings.address,
          JSON.stringify(settings.kinds),
          now(),
          confirmed ? now() : null,
          !changed && !staff,
        ],
      );
      const { mail, mailer } = app.meekijken;
      if (!confirmed && changed && mail && mailer) {
        const why = await sendConfirmation(database, mailer, mail, schoolId, person.id, settings.address, now());
        request.log.info({ schoolId, personId: person.id, sent: why === undefined, why }, 'mail: confirmation sent');
      }
      request.log.info({ schoolId, personId: person.id, kinds: settings.kinds, confirmed }, 'mail settings saved');
      return answer(database, session, person);
    },
  );

  app.post(
    '/api/mail/test',
    {
      preHandler: requireSession,
      // A few an hour per person (counted after the session is known): checking one's address, not a way to send
      // mail in bulk.
      config: {
        rateLimit: {
          max: TESTS_PER_HOUR,
          timeWindow: 3_600_000,
          hook: 'preHandler',
          keyGenerator: (request) => `mail-test:${request.session?.person.id ?? request.ip}`,
        },
      },
      schema: {
        querystring: { type: 'object', additionalProperties: false, properties: {} },
        response: {
          200: {
            type: 'object',
            required: ['sent'],
            properties: { sent: { type: 'boolean' }, why: { type: 'string' }, confirmation: { type: 'boolean' } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { database, now, mail, mailer } = app.meekijken;
      const { schoolId, person } = signedIn(request);
      if (!mail || !mailer) throw new ApiError(409, 'mail-off', 'This server sends no e-mail (no SMTP configured).');
      const settings = await storedSettings(database, schoolId, person.id);
      if (!settings) throw new ApiError(409, 'no-address', 'Save an e-mail address first.');
      // An address not confirmed yet gets its confirmation link again, nothing else.
      const why = settings.confirmed
        ? await mailer.sendNow(await testMessage(database, schoolId, person.id, settings.address, mail, now()))
        : await sendConfirmation(database, mailer, mail, schoolId, person.id, settings.address, now());
      const confirmation = !settings.confirmed;
      request.log.info({ schoolId, personId: person.id, sent: why === undefined, why, confirmation }, 'mail: test');
      return {
        sent: why === undefined,
        ...(why === undefined ? {} : { why }),
        ...(confirmation ? { confirmation } : {}),
      };
    },
  );

  app.delete<{ Querystring: { personId?: string } }>(
    '/api/mail/settings',
    {
      preHandler: requireSession,
      schema: { querystring: personQuery, response: { 204: noContent, ...errorResponses } },
    },
    async (request, reply) => {
      const { database } = app.meekijken;
      const session = signedIn(request);
      const { schoolId, person } = session;
      const subject = await subjectOf(database, session, request.query.personId);
      // Stopping means no e-mail from now on: what waited unsent for them goes too.
      await database.transaction((tx) => forgetMailOf(tx, schoolId, subject.id));
      request.log.info({ schoolId, personId: subject.id, by: person.id }, 'mail settings removed');
      return reply.status(204).send();
    },
  );
}
