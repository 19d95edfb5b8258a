/**
 * What a queued notice says, written when it is sent from the records as they are then. A message names colleagues,
 * a planned day and time and a link into the app; it never holds what was observed, rated, written as a top or tip,
 * reflected, nor a request's focus question or the lesson's group and subject (those stay in the app, behind its
 * privacy rules). Dutch first, English below. A notice that no longer applies (the person stopped that kind of
 * e-mail or left, the feedback was taken back, the step it reminds of was done) is dropped with the reason.
 */
import type { Sql } from '../db/database';
import { getRecords, readRecord } from '../db/records';
import type { QueuedNotice } from './queue';
import { unsubscribeQuery } from './unsubscribe';
import { escapeHtml } from '../http/html';
import type { MailConfig } from '../config';
import type {
  Observation,
  ObservationRequest,
  Person,
  Reflection,
  RequestDecline,
  School,
  Team,
} from '../../core/model/records';
import type { NoticeKind } from '../../core/notify/settings';
import { stagesOf } from '../../core/feedback/stages';
import { isVisitCancelled, visitCalendar, visitMoment, visitSequence } from '../../core/notify/calendar';
import { digestCounts, DIGEST_DAYS } from '../../core/notify/digest';
import { remindAfterSchoolDaysOf, timeZoneOf } from '../../core/notify/school-days';
import { reminderNotice } from '../../core/notify/notices';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /**
   * A calendar invitation or cancellation (text/calendar, sent as an alternative and an attachment), with the
   * SEQUENCE it carries (kept when sent).
   */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string; sequence: number };
}

export type Rendered = { message: MailMessage } | { drop: string };

/** Two languages side by side: each part of a message is written in both. */
interface Both {
  nl: string;
  en: string;
}

interface Body {
  subject: Both;
  lines: Both[];
  /** Where the message leads: a path in the app, or (a confirmation) a link of its own. */
  link: { path: string; label: Both } | { url: string; label: Both };
  calendar?: MailMessage['calendar'];
}

const alive = (record: { deletedAt?: number } | undefined): boolean => !!record && record.deletedAt === undefined;
const present = (person: Person | undefined): person is Person => alive(person) && person!.archivedAt === undefined;

/** A person's one-click unsubscribe link (RFC 8058), as every message carries it. */
const unsubscribeLink = async (sql: Sql, config: MailConfig, schoolId: string, personId: string, now: number) =>
  `${config.publicUrl}/api/mail/unsubscribe?${await unsubscribeQuery(sql, schoolId, personId, now)}`;

/**
 * A test message to a person's own address (their account screen's "Stuur een test-e-mail"): it shows that the
 * school's mail server takes e-mail from Meekijken and that the address receives it. Like every message it carries
 * the unsubscribe link.
 */
export async function testMessage(
  sql: Sql,
  schoolId: string,
  personId: string,
  address: string,
  config: MailConfig,
  now: number,
): Promise<MailMessage> {
  const unsubscribe = await unsubscribeLink(sql, config, schoolId, personId, now);
  const body: Body = {
    subject: { nl: 'Test: e-mail van Meekijken komt aan', en: 'Test: e-mail from Meekijken arrives' },
    lines: [
      {
        nl: 'Deze e-mail vroeg je zelf aan in Meekijken. Komt hij aan, dan krijg je hier voortaan de e-mail die je koos.',
        en: 'You asked for this e-mail in Meekijken. If it arrives, the e-mail you chose will come here from now on.',
      },
    ],
    link: { path: '/account', label: { nl: 'Kies wat je krijgt', en: 'Choose what you get' } },
  };
  return compose(address, body, config, unsubscribe, 'test');
}

/** The link that confirms an address: sent to it when a person chose it (src/server/mail/confirm.ts). */
export async function confirmMessage(
  sql: Sql,
  schoolId: string,
  personId: string,
  address: string,
  link: string,
  config: MailConfig,
  now: number,
): Promise<MailMessage> {
  const unsubscribe = await unsubscribeLink(sql, config, schoolId, personId, now);
  const body: Body = {
    subject: { nl: 'Bevestig je e-mailadres voor Meekijken', en: 'Confirm your e-mail address for Meekijken' },
    lines: [
      {
        nl: 'Dit adres is in Meekijken gekozen om e-mail te krijgen over lesbezoeken en feedback. Was jij dat? Bevestig het met de link hieronder; hij werkt 7 dagen. Was jij het niet, dan hoef je niets te doen: zonder bevestiging komt er geen e-mail.',
        en: 'This address was chosen in Meekijken to receive e-mail about lesson visits and feedback. Was that you? Confirm it with the link below; it works for 7 days. If it was not you, do nothing: without confirmation no e-mail comes.',
      },
    ],
    link: { url: link, label: { nl: 'Bevestig dit adres', en: 'Confirm this address' } },
  };
  return compose(address, body, config, unsubscribe, 'confirm');
}

export async function renderNotice(sql: Sql, notice: QueuedNotice, config: MailConfig, now: number): Promise<Rendered> {
  const [settings] = await sql.query<{ address: string; kinds: NoticeKind[] }>(
    'SELECT address, kinds FROM mail_settings WHERE school_id = $1 AND person_id = $2 AND confirmed_at IS NOT NULL',
    [notice.school_id, notice.person_id],
  );
  if (!settings || !settings.kinds.includes(notice.kind)) return { drop: 'stopped' };
  const recipient = await readRecord<Person>(sql, notice.school_id, 'person', notice.person_id);
  if (!present(recipient)) return { drop: 'person-gone' };
  const school = await readRecord<School>(sql, notice.school_id, 'school', notice.school_id);
  const context: Context = {
    sql,
    notice,
    recipient,
    address: settings.address,
    school,
    now,
    timeZone: timeZoneOf(school),
    config,
  };
  const body = await bodyOf(context);
  if ('drop' in body) return body;
  const unsubscribe = await unsubscribeLink(sql, config, notice.school_id, notice.person_id, now);
  return { message: compose(settings.address, body, config, unsubscribe, notice.kind) };
}

interface Context {
  sql: Sql;
  notice: QueuedNotice;
  recipient: Person;
  /** The recipient's confirmed address. */
  address: string;
  school: School | undefined;
  now: number;
  timeZone: string;
  config: MailConfig;
}

async function bodyOf(context: Context): Promise<Body | { drop: string }> {
  switch (context.notice.kind) {
    case 'request':
      return requestBody(context);
    case 'calendar':
      return calendarBody(context);
    case 'handedOver':
    case 'reflection':
    case 'reminder':
      return observationBody(context);
    case 'digest':
      return digestBody(context);
  }
}

async function peopleOf(context: Context, ids: readonly string[]): Promise<Map<string, Person>> {
  return (await getRecords(context.sql, context.notice.school_id, 'person', ids)) as unknown as Map<string, Person>;
}

const nameOf = (people: Map<string, Person>, id: string): string => people.get(id)?.name ?? '?';

/** "dinsdag 8 december om 10:30" / "Tuesday 8 December at 10:30": the planned day (and time) of a visit. */
function plannedWords(request: ObservationRequest, timeZone: string): Both | undefined {
  if (!request.plannedOn) return undefined;
  const moment = visitMoment(request, timeZone);
  const day = (locale: string) =>
    new Intl.DateTimeFormat(locale, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      timeZone: moment ? timeZone : 'UTC',
    }).format(moment ? moment.start : Date.parse(`${request.plannedOn}T12:00:00Z`));
  const time = request.plannedTime;
  return { nl: `${day('nl-NL')}${time ? ` om ${time}` : ''}`, en: `${day('en-GB')}${time ? ` at ${time}` : ''}` };
}

async function requestBody(context: Context): Promise<Body | { drop: string }> {
  const request = await readRecord<ObservationRequest>(
    context.sql,
    context.notice.school_id,
    'request',
    context.notice.subject_id,
  );
  if (!alive(request) || request!.withdrawnAt !== undefined) return { drop: 'obsolete' };
  const people = await peopleOf(context, [request!.requesterId, request!.observerId, request!.observedId]);
  const asker = nameOf(people, request!.requesterId);
  const when = plannedWords(request!, context.timeZone);
  const observer = context.recipient.id === request!.observerId;
  return {
    subject: observer
      ? { nl: `${asker} vraagt je om mee te kijken`, en: `${asker} asks you to observe a lesson` }
      : { nl: `${asker} vraagt een collega in je les`, en: `${asker} asked a colleague into your lesson` },
    lines: [
      observer
        ? request!.requesterId === request!.observedId
          ? {
              nl: `${asker} vraagt je om te komen meekijken in de klas${when ? `, ${when.nl}` : ''}.`,
              en: `${asker} asks you to come and observe a lesson${when ? `, ${when.en}` : ''}.`,
            }
          : {
              nl: `${asker} vraagt je om mee te kijken in de les van ${nameOf(people, request!.observedId)}${when ? `, ${when.nl}` : ''}.`,
              en: `${asker} asks you to observe ${nameOf(people, request!.observedId)}'s lesson${when ? `, ${when.en}` : ''}.`,
            }
        : {
            nl: `${asker} vraagt ${nameOf(people, request!.observerId)} om mee te kijken in jouw les${when ? `, ${when.nl}` : ''}.`,
            en: `${asker} asked ${nameOf(people, request!.observerId)} to observe your lesson${when ? `, ${when.en}` : ''}.`,
          },
    ],
    link: {
      path: `/requests/${encodeURIComponent(request!.id)}`,
      label: { nl: 'Open het verzoek', en: 'Open the request' },
    },
  };
}

async function calendarBody(context: Context): Promise<Body | { drop: string }> {
  const { sql, notice } = context;
  const request = await readRecord<ObservationRequest>(sql, notice.school_id, 'request', notice.subject_id);
  if (!request || ![request.observerId, request.observedId].includes(context.recipient.id)) return { drop: 'obsolete' };
  const declines = await sql.query<{ data: RequestDecline }>(
    `SELECT data FROM records WHERE school_id = $1 AND kind = 'decline' AND data->>'requestId' = $2
      AND NOT data ? 'deletedAt' ORDER BY version DESC LIMIT 1`,
    [notice.school_id, request.id],
  );
  const decline = declines[0]?.data;
  const cancelled = isVisitCancelled(request, decline);
  // An invitation whose visit was called off before it went out is not sent; the cancellation is its own notice.
  if (cancelled !== (notice.key === `calendar:${request.id}:cancel:${context.recipient.id}`))
    return { drop: 'obsolete' };
  const people = await peopleOf(context, [request.requesterId, request.observerId, request.observedId]);
  // Only the recipient's own address goes in their invitation: a colleague's address is theirs (and the
  // administrators') to see. The colleague is named, not addressed.
  const person = (id: string) => ({
    id,
    name: nameOf(people, id),
    ...(id === context.recipient.id ? { email: context.address } : {}),
  });
  // Never lower than what this person's calendar already has: one more than the last SEQUENCE sent to them for this
  // visit, whatever the tablets' clocks said when the request changed.
  const [last] = await sql.query<{ n: number | null }>(
    `SELECT max(sequence)::int8 AS n FROM mail_queue
      WHERE school_id = $1 AND kind = 'calendar' AND subject_id = $2 AND person_id = $3 AND sent_at IS NOT NULL`,
    [notice.school_id, request.id, context.recipient.id],
  );
  const sequence = Math.max(visitSequence(request, decline), (last?.n ?? -1) + 1);
  const from = parseFrom(context.config.from);
  const url = `${context.config.publicUrl}/requests/${encodeURIComponent(request.id)}`;
  const content = visitCalendar({
    request,
    ...(decline ? { decline } : {}),
    requester: person(request.requesterId),
    observer: person(request.observerId),
    observed: person(request.observedId),
    timeZone: context.timeZone,
    method: 'REQUEST',
    organizer: from,
    url,
    language: 'nl',
    now: context.now,
    atLeastSequence: sequence,
  });
  if (!content) return { drop: 'obsolete' };
  const when = plannedWords(request, context.timeZone)!;
  const other =
    context.recipient.id === request.observerId
      ? {
          nl: `in de les van ${nameOf(people, request.observedId)}`,
          en: `${nameOf(people, request.observedId)}'s lesson`,
        }
      : {
          nl: `${nameOf(people, request.observerId)} kijkt mee in jouw les`,
          en: `${nameOf(people, request.observerId)} observes your lesson`,
        };
  return {
    subject: cancelled
      ? { nl: `Geannuleerd: lesbezoek ${when.nl}`, en: `Cancelled: lesson visit ${when.en}` }
      : { nl: `Lesbezoek ${when.nl}`, en: `Lesson visit ${when.en}` },
    lines: cancelled
      ? [
          {
            nl: `Het lesbezoek (${other.nl}) van ${when.nl} gaat niet door.`,
            en: `The lesson visit (${other.en}) of ${when.en} is off.`,
          },
        ]
      : [
          {
            nl: `Lesbezoek ${when.nl}: ${other.nl}. De uitnodiging zit bij deze e-mail.`,
            en: `Lesson visit ${when.en}: ${other.en}. The invitation is attached.`,
          },
        ],
    link: {
      path: `/requests/${encodeURIComponent(request.id)}`,
      label: { nl: 'Open het verzoek', en: 'Open the request' },
    },
    calendar: { method: cancelled ? 'CANCEL' : 'REQUEST', content, sequence },
  };
}

/** `Meekijken <meekijken@school.nl>` or a bare address, as ORGANIZER. */
function parseFrom(from: string): { name: string; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  return match
    ? { name: match[1]!.trim() || 'Meekijken', email: match[2]!.trim() }
    : { name: 'Meekijken', email: from.trim() };
}

async function observationBody(context: Context): Promise<Body | { drop: string }> {
  const { sql, notice, recipient } = context;
  const observation = await readRecord<Observation>(sql, notice.school_id, 'observation', notice.subject_id);
  if (!alive(observation)) return { drop: 'obsolete' };
  const reflection = await readRecord<Reflection>(sql, notice.school_id, 'reflection', observation!.id);
  const people = await peopleOf(context, [observation!.observerId, observation!.observedId]);
  const observer = nameOf(people, observation!.observerId);
  const observed = nameOf(people, observation!.observedId);
  const report = {
    path: `/observations/${encodeURIComponent(observation!.id)}/report`,
    label: { nl: 'Open het verslag', en: 'Open the report' },
  };
  const feedback = {
    path: `/observations/${encodeURIComponent(observation!.id)}/feedback`,
    label: { nl: 'Open de feedback', en: 'Open the feedback' },
  };
  if (notice.kind === 'handedOver') {
    if (observation!.status !== 'shared' || recipient.id !== observation!.observedId) return { drop: 'obsolete' };
    return {
      subject: {
        nl: `${observer} heeft feedback op je les klaargezet`,
        en: `${observer} handed you feedback on your lesson`,
      },
      lines: [
        {
          nl: `${observer} keek mee in je les en heeft de feedback aan je overgedragen.`,
          en: `${observer} observed your lesson and handed the feedback over to you.`,
        },
      ],
      link: report,
    };
  }
  if (notice.kind === 'reflection') {
    if (observation!.status !== 'shared' || recipient.id !== observation!.observerId) return { drop: 'obsolete' };
    const discussed = notice.key.endsWith(':discussed');
    return {
      subject: discussed
        ? {
            nl: `${observed} heeft het gesprek over je feedback afgerond`,
            en: `${observed} marked the conversation about your feedback as held`,
          }
        : { nl: `${observed} heeft gereageerd op je feedback`, en: `${observed} reflected on your feedback` },
      lines: [
        discussed
          ? {
              nl: `${observed} heeft aangegeven dat jullie de feedback hebben besproken.`,
              en: `${observed} noted that you discussed the feedback.`,
            }
          : {
              nl: `${observed} heeft een reflectie geschreven bij de feedback die je gaf.`,
              en: `${observed} wrote a reflection on the feedback you gave.`,
            },
      ],
      link: feedback,
    };
  }
  // A reminder: only while the step it was queued for still waits for this person (asked as of when it was queued:
  // a retry at night still goes).
  const due = reminderNotice(observation!, reflection, notice.created_at, {
    timeZone: context.timeZone,
    holidays: context.school?.holidays ?? [],
    every: remindAfterSchoolDaysOf(context.school),
  });
  const step = stagesOf(observation!, reflection).step;
  if (!due || due.personId !== recipient.id || !notice.key.startsWith(`reminder:${observation!.id}:${step}:`))
    return { drop: 'moved-on' };
  const days = remindAfterSchoolDaysOf(context.school);
  if (step === 'completed')
    return {
      subject: { nl: `Je feedback voor ${observed} wacht nog`, en: `Your feedback for ${observed} is still waiting` },
      lines: [
        {
          nl: `Je keek mee in de les van ${observed}; de feedback is nog niet overgedragen (al minstens ${days} schooldagen).`,
          en: `You observed ${observed}'s lesson; the feedback has not been handed over yet (at least ${days} school days).`,
        },
      ],
      link: feedback,
    };
  if (step === 'handed-over')
    return {
      subject: { nl: `Feedback van ${observer} wacht op je`, en: `Feedback from ${observer} is waiting for you` },
      lines: [
        {
          nl: `${observer} heeft feedback op je les overgedragen die je nog niet hebt gelezen (al minstens ${days} schooldagen).`,
          en: `${observer} handed over feedback on your lesson that you have not read yet (at least ${days} school days).`,
        },
      ],
      link: report,
    };
  return {
    subject: {
      nl: `Het gesprek over de feedback van ${observer} staat nog open`,
      en: `The conversation about ${observer}'s feedback is still open`,
    },
    lines: [
      {
        nl: `Je hebt de feedback van ${observer} gelezen; het gesprek erover is nog niet als gevoerd gemarkeerd (al minstens ${days} schooldagen).`,
        en: `You read ${observer}'s feedback; the conversation about it has not been marked as held yet (at least ${days} school days).`,
      },
    ],
    link: report,
  };
}

async function digestBody(context: Context): Promise<Body | { drop: string }> {
  const { sql, notice, recipient } = context;
  if (recipient.role !== 'leader') return { drop: 'not-a-leader' };
  // Removed records count for nothing (a removed observation is no late cycle, a removed reflection no reading).
  const of = async <T>(kind: string) =>
    (
      await sql.query<{ data: T }>(
        "SELECT data FROM records WHERE school_id = $1 AND kind = $2 AND NOT data ? 'deletedAt'",
        [notice.school_id, kind],
      )
    ).map((row) => row.data);
  const observations = await of<Observation>('observation');
  const reflections = new Map((await of<Reflection>('reflection')).map((r) => [r.observationId, r]));
  const counts = digestCounts(
    observations.map((o) => {
      const reflection = reflections.get(o.id);
      return { ...o, ...(reflection ? { reflection } : {}) };
    }),
    await of<ObservationRequest>('request'),
    await of<Person>('person'),
    await of<Team>('team'),
    context.school,
    context.now,
  );
  const subject = { nl: 'Meekijken: de week in cijfers', en: 'Meekijken: the week in numbers' };
  const link = { path: '/', label: { nl: 'Open Meekijken', en: 'Open Meekijken' } };
  if (!counts)
    return {
      subject,
      lines: [
        {
          nl: 'Jullie team is te klein om aantallen per week te tonen zonder naar personen te wijzen. Kijk in de app hoe het gaat.',
          en: 'Your team is too small to show weekly counts without pointing at people. See how it goes in the app.',
        },
      ],
      link,
    };
  const late = counts.late.feedback + counts.late.reading + counts.late.conversation;
  return {
    subject,
    lines: [
      { nl: `De afgelopen ${DIGEST_DAYS} dagen:`, en: `The last ${DIGEST_DAYS} days:` },
      { nl: `• ${counts.requested} lesbezoeken gevraagd`, en: `• ${counts.requested} lesson visits asked for` },
      {
        nl: `• ${counts.handedOver} keer feedback overgedragen`,
        en: `• feedback handed over ${counts.handedOver} times`,
      },
      {
        nl: `• ${counts.discussed} feedbackgesprekken gevoerd`,
        en: `• ${counts.discussed} feedback conversations held`,
      },
      {
        nl: `Nu wachten ${late} feedbackcycli langer dan de school afsprak (${counts.late.feedback} op feedback, ${counts.late.reading} op lezen, ${counts.late.conversation} op het gesprek).`,
        en: `${late} feedback cycles now wait longer than the school agreed (${counts.late.feedback} for feedback, ${counts.late.reading} for reading, ${counts.late.conversation} for the conversation).`,
      },
    ],
    link,
  };
}

/** A header value on one line: names come from records, and a line break must never start a header of its own. */
const oneLine = (text: string): string => text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();

function compose(to: string, body: Body, config: MailConfig, unsubscribe: string, kind: string): MailMessage {
  const link = 'url' in body.link ? body.link.url : `${config.publicUrl}${body.link.path}`;
  const settingsLink = `${config.publicUrl}/account`;
  const footer: Both = {
    nl: `Je krijgt deze e-mail omdat je dit in Meekijken hebt aangezet. Wat er in een observatie staat, lees je alleen in de app. Kiezen wat je krijgt: ${settingsLink} — stoppen met deze e-mails: ${unsubscribe}`,
    en: `You get this e-mail because you turned it on in Meekijken. What an observation holds is only in the app. Choose what you get: ${settingsLink} — stop these e-mails: ${unsubscribe}`,
  };
  const text = [
    ...body.lines.map((line) => line.nl),
    '',
    `${body.link.label.nl}: ${link}`,
    '',
    '— English —',
    ...body.lines.map((line) => line.en),
    '',
    `${body.link.label.en}: ${link}`,
    '',
    '--',
    footer.nl,
    footer.en,
  ].join('\n');
  const paragraph = (line: string) => `<p>${escapeHtml(line)}</p>`;
  const html = [
    '<!doctype html><html lang="nl"><body>',
    ...body.lines.map((line) => paragraph(line.nl)),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(body.link.label.nl)}</a></p>`,
    '<hr><div lang="en">',
    ...body.lines.map((line) => paragraph(line.en)),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(body.link.label.en)}</a></p>`,
    '</div><hr>',
    `<p><small>Je krijgt deze e-mail omdat je dit in Meekijken hebt aangezet. Wat er in een observatie staat, lees je alleen in de app. <a href="${escapeHtml(settingsLink)}">Kies wat je krijgt</a> of <a href="${escapeHtml(unsubscribe)}">stop met deze e-mails</a>.</small></p>`,
    `<p lang="en"><small>You get this e-mail because you turned it on in Meekijken. What an observation holds is only in the app. <a href="${escapeHtml(settingsLink)}">Choose what you get</a> or <a href="${escapeHtml(unsubscribe)}">stop these e-mails</a>.</small></p>`,
    '</body></html>',
  ].join('\n');
  return {
    to,
    subject: oneLine(`${body.subject.nl} · ${body.subject.en}`),
    text,
    html,
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'X-Meekijken-Notice': kind,
    },
    ...(body.calendar ? { calendar: body.calendar } : {}),
  };
}
