/**
 * A planned lesson visit as a calendar event (iCalendar, RFC 5545): the same text whether a teacher downloads it in the
 * app (`PUBLISH`) or the school server sends it as an invitation by e-mail (`REQUEST`, RFC 5546), so a calendar that
 * imported one recognises the other as the same event (one UID per request) and takes the newest (SEQUENCE).
 *
 * Privacy: an event holds the names of the colleagues, the time and a link to the request in the app, nothing else.
 * Calendars are shared, synced to phones and read by assistants; the focus question, the group, the subject and
 * anything about the observation stay in the app.
 *
 * Safety: every text a person typed (a name) is escaped for where it goes (RFC 5545 TEXT, a quoted parameter), with
 * line breaks and other control characters turned into something harmless, so no name can end a line and start a
 * property of its own. Lines are folded at 75 octets without splitting a character.
 */
import type { ObservationRequest, RequestDecline, Timestamp } from '../model/records';
import { DEFAULT_TIME_ZONE, isTimeZone, zonedMoment } from './school-days';

export interface VisitPerson {
  id: string;
  name: string;
  email?: string;
}

export interface VisitCalendarInput {
  request: ObservationRequest;
  /** The observer's decline, if any: the visit is cancelled. */
  decline?: RequestDecline;
  requester: VisitPerson;
  observer: VisitPerson;
  observed: VisitPerson;
  /** IANA, e.g. `timeZoneOf(school)` (src/core/notify/school-days.ts). */
  timeZone: string;
  /** 'REQUEST': an invitation sent by e-mail (needs organizer, attendees with email); 'PUBLISH': a download in the app. */
  method: 'REQUEST' | 'PUBLISH';
  /** For e-mail: the server's From address. */
  organizer?: { name: string; email: string };
  /** A link to the request in the app, put in URL and DESCRIPTION. */
  url?: string;
  language: 'nl' | 'en';
  /** DTSTAMP. */
  now: number;
  /**
   * At least this SEQUENCE: the server passes one more than the last it sent this person for this visit, so an update
   * is never ignored because a tablet's clock ran ahead when an earlier change was made.
   */
  atLeastSequence?: number;
}

/** How long a visit lasts (`ObservationRequest.durationMinutes`), in minutes: an hour unless set, 5 to 720. */
export const VISIT_MINUTES = { default: 60, min: 5, max: 12 * 60 } as const;
/** SEQUENCE counts seconds from here: a 32-bit number lasts until 2092. */
const SEQUENCE_EPOCH = Date.UTC(2024, 0, 1);
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The visit's start and end (epoch ms), or undefined without plannedOn + plannedTime. */
export function visitMoment(
  request: Pick<ObservationRequest, 'plannedOn' | 'plannedTime' | 'durationMinutes'>,
  timeZone: string,
): { start: number; end: number } | undefined {
  const { plannedOn, plannedTime } = request;
  if (!plannedOn || !plannedTime || !ISO_DATE.test(plannedOn) || !CLOCK_TIME.test(plannedTime)) return undefined;
  const start = zonedMoment(plannedOn, plannedTime, isTimeZone(timeZone) ? timeZone : DEFAULT_TIME_ZONE);
  const minutes = request.durationMinutes;
  const length =
    typeof minutes === 'number' && Number.isFinite(minutes) && minutes > 0 ? minutes : VISIT_MINUTES.default;
  return { start, end: start + Math.round(length) * 60_000 };
}

/** Whether this decline is a live decline of this request (a removed one no longer counts). */
const declines = (request: Pick<ObservationRequest, 'id'>, decline: RequestDecline | undefined): boolean =>
  decline !== undefined && decline.deletedAt === undefined && decline.requestId === request.id;

/** Whether the visit is off: the request withdrawn, deleted (deletedAt), or declined. */
export function isVisitCancelled(
  request: Pick<ObservationRequest, 'id' | 'withdrawnAt' | 'deletedAt'>,
  decline?: RequestDecline,
): boolean {
  return request.withdrawnAt !== undefined || request.deletedAt !== undefined || declines(request, decline);
}

/**
 * SEQUENCE: grows with every change of the request (and a decline), the same on every device and the server (it is
 * read from the records' own times): seconds since 2024-01-01 of the latest change. Fits a 32-bit int until 2092.
 */
export function visitSequence(
  request: Pick<ObservationRequest, 'id' | 'updatedAt' | 'withdrawnAt' | 'deletedAt'>,
  decline?: RequestDecline,
): number {
  const times = [request.updatedAt, request.withdrawnAt ?? 0, request.deletedAt ?? 0];
  if (decline !== undefined && decline.requestId === request.id) times.push(decline.updatedAt, decline.deletedAt ?? 0);
  const latest = Math.max(...times.filter((time) => Number.isFinite(time)));
  return Math.min(2 ** 31 - 1, Math.max(0, Math.floor((latest - SEQUENCE_EPOCH) / 1000)));
}

const TEXTS = {
  nl: {
    summary: (observer: string, observed: string) => `Lesbezoek: ${observer} kijkt mee bij ${observed}`,
    cancelledSummary: (observer: string, observed: string) =>
      `Lesbezoek gaat niet door: ${observer} kijkt mee bij ${observed}`,
    askedBy: (requester: string) => `Gevraagd door ${requester} in Meekijken.`,
    cancelled: 'Dit lesbezoek gaat niet door.',
    link: 'Open de vraag in Meekijken:',
  },
  en: {
    summary: (observer: string, observed: string) => `Lesson visit: ${observer} observes ${observed}`,
    cancelledSummary: (observer: string, observed: string) =>
      `Lesson visit cancelled: ${observer} observes ${observed}`,
    askedBy: (requester: string) => `Requested by ${requester} in Meekijken.`,
    cancelled: 'This lesson visit is cancelled.',
    link: 'Open the request in Meekijken:',
  },
} as const;

/**
 * The whole VCALENDAR text (CRLF line endings, lines folded at 75 octets, TEXT values escaped), or undefined when
 * the request has no planned time. When cancelled: METHOD:CANCEL (for 'REQUEST') and STATUS:CANCELLED. A 'REQUEST'
 * needs `organizer` (an invitation without one is refused by calendars); only attendees with an e-mail address are
 * listed.
 */
export function visitCalendar(input: VisitCalendarInput): string | undefined {
  const { request, requester, observer, observed, method } = input;
  // Only this request's decline counts, and only the two languages (a parameter value is never taken as given).
  const decline = input.decline?.requestId === request.id ? input.decline : undefined;
  const language = input.language === 'en' ? 'en' : 'nl';
  const moment = visitMoment(request, input.timeZone);
  if (!moment) return undefined;
  if (method === 'REQUEST' && !input.organizer) throw new TypeError('An invitation (REQUEST) needs an organizer');
  const cancelled = isVisitCancelled(request, decline);
  const texts = TEXTS[language];
  const url = input.url ? uri(input.url) : undefined;

  const description = [
    ...(cancelled ? [texts.cancelled] : []),
    texts.askedBy(requester.name),
    ...(url ? [`${texts.link} ${url}`] : []),
  ].join('\n');

  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Meekijken//Meekijken//NL',
    'CALSCALE:GREGORIAN',
    `METHOD:${method === 'REQUEST' ? (cancelled ? 'CANCEL' : 'REQUEST') : 'PUBLISH'}`,
    'BEGIN:VEVENT',
    `UID:${text(`${request.id}@meekijken`)}`,
    `DTSTAMP:${utc(input.now)}`,
    `SEQUENCE:${Math.max(visitSequence(request, decline), input.atLeastSequence ?? 0)}`,
    `DTSTART:${utc(moment.start)}`,
    `DTEND:${utc(moment.end)}`,
    `SUMMARY;LANGUAGE=${language}:${text((cancelled ? texts.cancelledSummary : texts.summary)(observer.name, observed.name))}`,
    `DESCRIPTION;LANGUAGE=${language}:${text(description)}`,
    ...(url ? [`URL:${url}`] : []),
  ];
  if (method === 'REQUEST' && input.organizer) {
    lines.push(`ORGANIZER;CN=${param(input.organizer.name)}:${mailto(input.organizer.email)}`);
    const seen = new Set<string>();
    for (const person of [observer, observed]) {
      if (!person.email || seen.has(person.email.toLowerCase())) continue;
      seen.add(person.email.toLowerCase());
      lines.push(
        `ATTENDEE;CN=${param(person.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:${mailto(person.email)}`,
      );
    }
  }
  lines.push(
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    `CREATED:${utc(request.createdAt)}`,
    `LAST-MODIFIED:${utc(Math.max(request.updatedAt, decline?.updatedAt ?? 0))}`,
    'END:VEVENT',
    'END:VCALENDAR',
  );
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** A moment as an RFC 5545 UTC date-time: `20260310T083000Z`. */
function utc(at: Timestamp): string {
  return new Date(at)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Lone surrogates (no character at all) become U+FFFD, as a UTF-8 encoder would write them. */
const wellFormed = (value: string): string =>
  value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/**
 * An RFC 5545 TEXT value: backslash, semicolon and comma escaped, every line break (CRLF, CR, LF, NEL and the Unicode
 * line and paragraph separators) as `\n`, and other control characters (which TEXT cannot hold) left out.
 */
function text(value: string): string {
  return (
    wellFormed(value)
      .replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, '\n')
      // eslint-disable-next-line no-control-regex -- removing control characters is this pattern's job
      .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '')
      .replace(/[\\;,\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))
  );
}

/**
 * A quoted parameter value (a CN). A quoted string holds no control characters and no `"`, and has no escapes in
 * RFC 5545: line breaks and controls become spaces, `"` becomes `'`. A `^` that RFC 6868 readers would take for an
 * escape (`^^`, `^n`, `^'`) is written as `^^`, so those readers show the name as it is, and others nearly so.
 */
function param(value: string): string {
  const safe = wellFormed(value)
    // eslint-disable-next-line no-control-regex -- replacing control characters is this pattern's job
    .replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, ' ')
    .replace(/"/g, "'")
    .replace(/\^(?=[\^n'])/g, '^^');
  return `"${safe}"`;
}

/**
 * A URI value: every character a URI cannot hold as it is (controls, spaces, quotes, non-ASCII) percent-encoded, so
 * it stays one value on one line.
 */
function uri(value: string): string {
  return wellFormed(value).replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, (c) => encodeURIComponent(c));
}

/** A mailto URI for an e-mail address: anything beyond the characters of a plain address percent-encoded. */
function mailto(email: string): string {
  const address = wellFormed(email.trim()).replace(/[^A-Za-z0-9.!#$&'*+/=?^_`{|}~@-]/gu, (c) => encodeURIComponent(c));
  return `mailto:${address}`;
}

const octets = (codePoint: number): number =>
  codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;

/** Folds a content line at 75 octets (UTF-8) between characters; a continuation line starts with a space. */
function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const character of line) {
    const length = octets(character.codePointAt(0)!);
    if (size + length > 75) {
      parts.push(current);
      current = ' ';
      size = 1;
    }
    current += character;
    size += length;
  }
  parts.push(current);
  return parts.join('\r\n');
}
