import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import {
  isVisitCancelled,
  visitCalendar,
  visitMoment,
  visitSequence,
  type VisitCalendarInput,
  type VisitPerson,
} from '../../src/core/notify/calendar';
import type { ObservationRequest, RequestDecline } from '../../src/core/model/records';

const CREATED = Date.parse('2026-01-05T10:00:00Z');
const NOW = Date.parse('2026-01-06T12:00:00Z');
const FOCUS = 'FOCUS-SECRET: krijgen de stille leerlingen ook beurten?';
const GROUP = 'GROUP-SECRET groep 5';
const SUBJECT = 'SUBJECT-SECRET rekenen';
const INSTRUMENT = 'INSTRUMENT-SECRET@1.0.0';

function request(changes: Partial<ObservationRequest> = {}): ObservationRequest {
  return {
    id: '0b4a2f6e-6d0c-4b8e-9a57-3f1c2d4e5f60',
    owner: 'anna',
    createdAt: CREATED,
    updatedAt: CREATED,
    requesterId: 'anna',
    observedId: 'anna',
    observerId: 'bram',
    purpose: 'peer',
    instrumentKey: INSTRUMENT,
    focusQuestion: FOCUS,
    context: { group: GROUP, subject: SUBJECT },
    plannedOn: '2026-01-15',
    plannedTime: '09:00',
    ...changes,
  };
}

function decline(changes: Partial<RequestDecline> = {}): RequestDecline {
  return {
    id: 'decline-1',
    owner: 'bram',
    createdAt: CREATED + 60_000,
    updatedAt: CREATED + 60_000,
    requestId: request().id,
    observerId: 'bram',
    reason: 'REASON-SECRET: die ochtend sta ik zelf voor de groep',
    ...changes,
  };
}

const anna: VisitPerson = { id: 'anna', name: 'Anna de Vries', email: 'anna@school.example' };
const bram: VisitPerson = { id: 'bram', name: 'Bram Jansen', email: 'bram@school.example' };

function input(changes: Partial<VisitCalendarInput> = {}): VisitCalendarInput {
  return {
    request: request(),
    requester: anna,
    observer: bram,
    observed: anna,
    timeZone: 'Europe/Amsterdam',
    method: 'PUBLISH',
    url: 'https://meekijken.school.example/requests/0b4a2f6e-6d0c-4b8e-9a57-3f1c2d4e5f60',
    language: 'nl',
    now: NOW,
    ...changes,
  };
}

const invitation = (changes: Partial<VisitCalendarInput> = {}) =>
  input({ method: 'REQUEST', organizer: { name: 'Meekijken', email: 'noreply@school.example' }, ...changes });

function calendar(changes: Partial<VisitCalendarInput> = {}): string {
  const text = visitCalendar(input(changes));
  if (text === undefined) throw new Error('no calendar');
  return text;
}

/** The calendar as ical.js reads it: the calendar component and its one event. */
function parse(text: string) {
  const root = new ICAL.Component(ICAL.parse(text));
  const events = root.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  return { root, event: events[0]! };
}

const utcMs = (event: ICAL.Component, name: string) =>
  (event.getFirstPropertyValue(name) as ICAL.Time).toJSDate().getTime();

function sequenceOf(event: ICAL.Component): number {
  const value: unknown = event.getFirstPropertyValue('sequence');
  if (typeof value !== 'number') throw new Error(`SEQUENCE is ${String(value)}`);
  return value;
}

describe('visitMoment', () => {
  it('is the planned wall-clock time in the school’s zone, winter and summer, for an hour unless told', () => {
    expect(visitMoment(request(), 'Europe/Amsterdam')).toEqual({
      start: Date.parse('2026-01-15T08:00:00Z'),
      end: Date.parse('2026-01-15T09:00:00Z'),
    });
    expect(visitMoment(request({ plannedOn: '2026-06-15', durationMinutes: 45 }), 'Europe/Amsterdam')).toEqual({
      start: Date.parse('2026-06-15T07:00:00Z'),
      end: Date.parse('2026-06-15T07:45:00Z'),
    });
    expect(visitMoment(request(), 'America/New_York')?.start).toBe(Date.parse('2026-01-15T14:00:00Z'));
  });

  it('is undefined without a date and a time, and reads an unknown zone as Amsterdam', () => {
    expect(visitMoment(request({ plannedTime: undefined }), 'Europe/Amsterdam')).toBeUndefined();
    expect(visitMoment(request({ plannedOn: undefined }), 'Europe/Amsterdam')).toBeUndefined();
    expect(visitMoment(request({ plannedTime: '25:00' }), 'Europe/Amsterdam')).toBeUndefined();
    expect(visitMoment(request(), 'Nowhere/Special')?.start).toBe(Date.parse('2026-01-15T08:00:00Z'));
  });
});

describe('isVisitCancelled and visitSequence', () => {
  it('calls a withdrawn, deleted or declined request off, but not one whose decline was removed', () => {
    expect(isVisitCancelled(request())).toBe(false);
    expect(isVisitCancelled(request({ withdrawnAt: NOW }))).toBe(true);
    expect(isVisitCancelled(request({ deletedAt: NOW }))).toBe(true);
    expect(isVisitCancelled(request(), decline())).toBe(true);
    expect(isVisitCancelled(request(), decline({ deletedAt: NOW }))).toBe(false);
    expect(isVisitCancelled(request(), decline({ requestId: 'another' }))).toBe(false);
  });

  it('grows with every change of the request and with a decline, and fits 32 bits for decades', () => {
    const first = visitSequence(request());
    const changed = visitSequence(request({ updatedAt: CREATED + 5_000 }));
    const declined = visitSequence(request({ updatedAt: CREATED + 5_000 }), decline({ updatedAt: CREATED + 9_000 }));
    expect(changed).toBeGreaterThan(first);
    expect(declined).toBeGreaterThan(changed);
    expect(visitSequence(request({ updatedAt: Date.parse('2090-01-01T00:00:00Z') }))).toBeLessThan(2 ** 31);
    expect(Number.isInteger(first) && first >= 0).toBe(true);
  });
});

describe('visitCalendar', () => {
  it('is undefined for a request without a planned time', () => {
    expect(visitCalendar(input({ request: request({ plannedTime: undefined }) }))).toBeUndefined();
  });

  it('names the planned time in UTC, so a calendar shows it in local time (winter, summer, New York)', () => {
    const winter = parse(calendar()).event;
    expect(utcMs(winter, 'dtstart')).toBe(Date.parse('2026-01-15T08:00:00Z'));
    expect(utcMs(winter, 'dtend')).toBe(Date.parse('2026-01-15T09:00:00Z'));
    expect((winter.getFirstPropertyValue('dtstart') as ICAL.Time).zone).toBe(ICAL.Timezone.utcTimezone);

    const summer = parse(calendar({ request: request({ plannedOn: '2026-07-01', plannedTime: '13:15' }) })).event;
    expect(utcMs(summer, 'dtstart')).toBe(Date.parse('2026-07-01T11:15:00Z'));
    expect(utcMs(summer, 'dtend')).toBe(Date.parse('2026-07-01T12:15:00Z'));

    const newYork = parse(calendar({ timeZone: 'America/New_York', request: request({ durationMinutes: 90 }) })).event;
    expect(utcMs(newYork, 'dtstart')).toBe(Date.parse('2026-01-15T14:00:00Z'));
    expect(utcMs(newYork, 'dtend')).toBe(Date.parse('2026-01-15T15:30:00Z'));
  });

  it('puts a visit on the day the clocks go forward at the right moment', () => {
    const morning = parse(calendar({ request: request({ plannedOn: '2026-03-29', plannedTime: '08:30' }) })).event;
    expect(utcMs(morning, 'dtstart')).toBe(Date.parse('2026-03-29T06:30:00Z'));
    // 02:30 does not exist that night: it is read as 03:30 summer time.
    const skipped = parse(calendar({ request: request({ plannedOn: '2026-03-29', plannedTime: '02:30' }) })).event;
    expect(utcMs(skipped, 'dtstart')).toBe(Date.parse('2026-03-29T01:30:00Z'));
  });

  it('keeps one UID per request and raises SEQUENCE after a change', () => {
    const before = parse(calendar()).event;
    const after = parse(
      calendar({ request: request({ plannedTime: '10:30', updatedAt: CREATED + 3_600_000 }), now: NOW + 1 }),
    ).event;
    const mailed = parse(visitCalendar(invitation())!).event;
    expect(before.getFirstPropertyValue('uid')).toBe(`${request().id}@meekijken`);
    expect(after.getFirstPropertyValue('uid')).toBe(before.getFirstPropertyValue('uid'));
    expect(mailed.getFirstPropertyValue('uid')).toBe(before.getFirstPropertyValue('uid'));
    expect(sequenceOf(after)).toBeGreaterThan(sequenceOf(before));
    expect(sequenceOf(mailed)).toBe(sequenceOf(before));
    expect(utcMs(after, 'dtstart')).toBe(Date.parse('2026-01-15T09:30:00Z'));
    expect(utcMs(after, 'dtstamp')).toBe(NOW);
  });

  it('says the visit is confirmed while it is on, and cancelled after a withdrawal, a decline or a deletion', () => {
    const on = parse(calendar());
    expect(on.root.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(on.event.getFirstPropertyValue('status')).toBe('CONFIRMED');
    const onBySequence = sequenceOf(on.event);

    const cases: Array<Partial<VisitCalendarInput>> = [
      { request: request({ withdrawnAt: CREATED + 120_000, updatedAt: CREATED + 120_000 }) },
      { decline: decline() },
      { request: request({ deletedAt: CREATED + 120_000, updatedAt: CREATED + 120_000 }) },
    ];
    for (const changes of cases) {
      const published = parse(calendar(changes));
      expect(published.root.getFirstPropertyValue('method')).toBe('PUBLISH');
      expect(published.event.getFirstPropertyValue('status')).toBe('CANCELLED');
      expect(sequenceOf(published.event)).toBeGreaterThan(onBySequence);
      expect(published.event.getFirstPropertyValue('summary')).toBe(
        'Lesbezoek gaat niet door: Bram Jansen kijkt mee bij Anna de Vries',
      );
      const mailed = parse(visitCalendar(invitation(changes))!);
      expect(mailed.root.getFirstPropertyValue('method')).toBe('CANCEL');
      expect(mailed.event.getFirstPropertyValue('status')).toBe('CANCELLED');
      expect(mailed.event.getFirstPropertyValue('uid')).toBe(on.event.getFirstPropertyValue('uid'));
    }
    // A decline that was taken back leaves the visit on.
    const undone = parse(visitCalendar(invitation({ decline: decline({ deletedAt: NOW, updatedAt: NOW }) }))!);
    expect(undone.root.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(undone.event.getFirstPropertyValue('status')).toBe('CONFIRMED');
  });

  it('names only the people in Dutch or English, with the link', () => {
    const nl = parse(calendar()).event;
    expect(nl.getFirstPropertyValue('summary')).toBe('Lesbezoek: Bram Jansen kijkt mee bij Anna de Vries');
    expect(nl.getFirstProperty('summary')!.getParameter('language')).toBe('nl');
    expect(nl.getFirstPropertyValue('url')).toBe(input().url);
    expect(nl.getFirstPropertyValue('description')).toContain(input().url);
    const en = parse(calendar({ language: 'en' })).event;
    expect(en.getFirstPropertyValue('summary')).toBe('Lesson visit: Bram Jansen observes Anna de Vries');
    const noLink = parse(calendar({ url: undefined })).event;
    expect(noLink.getFirstProperty('url')).toBeNull();
  });

  it('holds no focus question, context, instrument or reason for declining, wherever it is looked for', () => {
    for (const text of [
      calendar(),
      calendar({ decline: decline() }),
      visitCalendar(invitation())!,
      visitCalendar(invitation({ language: 'en', decline: decline() }))!,
    ]) {
      const unfolded = text.replace(/\r\n[ \t]/g, '');
      const values = JSON.stringify(ICAL.parse(text));
      for (const secret of ['SECRET', 'stille leerlingen', 'groep 5', 'rekenen', 'INSTRUMENT', 'voor de groep'])
        for (const haystack of [text, unfolded, values]) expect(haystack).not.toContain(secret);
    }
  });

  it('lists organizer and attendees only in an invitation, with their addresses and names', () => {
    const published = parse(calendar()).event;
    expect(published.getFirstProperty('organizer')).toBeNull();
    expect(published.getAllProperties('attendee')).toHaveLength(0);

    const mailed = parse(visitCalendar(invitation())!).event;
    const organizer = mailed.getFirstProperty('organizer')!;
    expect(organizer.getFirstValue()).toBe('mailto:noreply@school.example');
    expect(organizer.getParameter('cn')).toBe('Meekijken');
    const attendees = mailed.getAllProperties('attendee');
    expect(attendees.map((a) => [a.getFirstValue(), a.getParameter('cn')])).toEqual([
      ['mailto:bram@school.example', 'Bram Jansen'],
      ['mailto:anna@school.example', 'Anna de Vries'],
    ]);
    for (const attendee of attendees) {
      expect(attendee.getParameter('role')).toBe('REQ-PARTICIPANT');
      expect(attendee.getParameter('partstat')).toBe('NEEDS-ACTION');
      expect(attendee.getParameter('rsvp')).toBe('FALSE');
    }
    // Someone without an address is not an attendee.
    const withoutAddress = parse(visitCalendar(invitation({ observed: { id: 'anna', name: 'Anna' } }))!).event;
    expect(withoutAddress.getAllProperties('attendee')).toHaveLength(1);
    expect(() => visitCalendar(input({ method: 'REQUEST' }))).toThrow(/organizer/);
  });

  describe('hostile names', () => {
    const HOSTILE = [
      'de Vries, Anna; "Ans" \\ jr.',
      'Eve\r\nATTENDEE;CN=x:mailto:eve@evil.example',
      'Mallory\nEND:VEVENT\nBEGIN:VEVENT\nUID:stolen',
      'Carol\rSTATUS:CANCELLED',
      'Trudy\\nMETHOD:CANCEL',
      'Juf Ümit 👩🏽‍🏫 Çelik-Øster',
      "Caret ^n ^' ^^ ^",
      'Tab\there\u0000and\u001bnull\u2028line\u0085next\u009bcsi',
      'Lone \uD83D surrogate',
      'Ω'.repeat(120),
    ];

    /** What a TEXT value can hold of a name: every line break one LF, other control characters gone. */
    const asText = (name: string) =>
      name
        .replace(/\r\n|[\r\u0085\u2028\u2029]/g, '\n')
        .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '')
        .replace(/\uD83D(?![\uDC00-\uDFFF])/g, '\uFFFD');
    /** What a quoted CN can hold: controls as spaces, `"` as `'`. */
    const asParameter = (name: string) =>
      name
        .replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, ' ')
        .replace(/"/g, "'")
        .replace(/\uD83D(?![\uDC00-\uDFFF])/g, '\uFFFD');

    /** A `^` that an RFC 6868 reader would take for an escape, doubled. */
    const rfc6868 = (value: string) => value.replace(/\^(?=[\^n'])/g, '^^');
    /** How ical.js reads back a parameter: as TEXT. */
    const icalJsText = (value: string) =>
      value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

    const PROPERTIES = [
      'uid',
      'dtstamp',
      'sequence',
      'dtstart',
      'dtend',
      'summary',
      'description',
      'url',
      'organizer',
      'attendee',
      'attendee',
      'status',
      'transp',
      'created',
      'last-modified',
    ];

    for (const name of HOSTILE) {
      it(`keeps ${JSON.stringify(name).slice(0, 40)} a name, in SUMMARY, DESCRIPTION and CN`, () => {
        const observer: VisitPerson = { id: 'bram', name, email: 'bram@school.example' };
        const requester: VisitPerson = { id: 'anna', name: `${name} (2)`, email: 'anna@school.example' };
        const text = visitCalendar(invitation({ observer, requester, observed: requester }))!;
        const { root, event } = parse(text);

        // Nothing new: the calendar's and the event's properties are exactly those written, once each.
        expect(root.getAllProperties().map((p) => p.name)).toEqual(['version', 'prodid', 'calscale', 'method']);
        expect(root.getFirstPropertyValue('method')).toBe('REQUEST');
        expect(event.getAllProperties().map((p) => p.name)).toEqual(PROPERTIES);
        expect(event.getFirstPropertyValue('status')).toBe('CONFIRMED');
        expect(event.getFirstPropertyValue('uid')).toBe(`${request().id}@meekijken`);
        // Every physical line is a property of ours or a continuation.
        for (const line of text.split('\r\n').filter(Boolean))
          expect(line).toMatch(
            /^( |(BEGIN|END|VERSION|PRODID|CALSCALE|METHOD|UID|DTSTAMP|SEQUENCE|DTSTART|DTEND|SUMMARY|DESCRIPTION|URL|ORGANIZER|ATTENDEE|STATUS|TRANSP|CREATED|LAST-MODIFIED)[;:])/,
          );

        expect(event.getFirstPropertyValue('summary')).toBe(
          `Lesbezoek: ${asText(name)} kijkt mee bij ${asText(name)} (2)`,
        );
        expect(event.getFirstPropertyValue('description')).toContain(`Gevraagd door ${asText(name)} (2) in Meekijken.`);
        const attendees = event.getAllProperties('attendee');
        // As written: the quoted string holds the name as it is, bar what a quoted string cannot hold.
        const unfolded = text.replace(/\r\n /g, '');
        const written = [...unfolded.matchAll(/^ATTENDEE;CN="([^"]*)";/gm)].map((match) => match[1]);
        expect(written).toEqual([rfc6868(asParameter(name)), rfc6868(`${asParameter(name)} (2)`)]);
        // As read: ical.js also undoes TEXT escapes in a parameter (`\n`, `\,`), which RFC 5545 does not have.
        expect(attendees.map((a) => a.getParameter('cn'))).toEqual([
          icalJsText(asParameter(name)),
          icalJsText(`${asParameter(name)} (2)`),
        ]);
        expect(attendees.map((a) => a.getFirstValue())).toEqual([
          'mailto:bram@school.example',
          'mailto:anna@school.example',
        ]);
      });
    }

    it('round-trips a name without control characters exactly', () => {
      const name = 'de Vries, Anna; "Ans" \\ jr. 👩🏽‍🏫 ^n';
      const event = parse(calendar({ observer: { id: 'bram', name } })).event;
      expect(event.getFirstPropertyValue('summary')).toBe(`Lesbezoek: ${name} kijkt mee bij Anna de Vries`);
    });

    it('takes no language but Dutch and English into a parameter', () => {
      const text = calendar({ language: 'en\r\nSTATUS:CANCELLED' as 'en' });
      expect(text).not.toContain('STATUS:CANCELLED');
      expect(parse(text).event.getFirstProperty('summary')!.getParameter('language')).toBe('nl');
    });

    it('keeps an address with a line break or quotes one value', () => {
      const observer: VisitPerson = { id: 'bram', name: 'Bram', email: 'bram@x.example\r\nATTENDEE:mailto:eve@evil' };
      const text = visitCalendar(invitation({ observer }))!;
      const event = parse(text).event;
      expect(event.getAllProperties('attendee')).toHaveLength(2);
      expect(event.getAllProperties('attendee')[0]!.getFirstValue()).toBe(
        'mailto:bram@x.example%0D%0AATTENDEE%3Amailto%3Aeve@evil',
      );
      const url = 'https://school.example/requests/a b"\r\nSTATUS:CANCELLED';
      const linked = parse(calendar({ url })).event;
      expect(linked.getFirstPropertyValue('status')).toBe('CONFIRMED');
      expect(linked.getFirstPropertyValue('url')).toBe(
        'https://school.example/requests/a%20b%22%0D%0ASTATUS:CANCELLED',
      );
    });
  });

  it('ends every line with CRLF and folds it at 75 octets, never inside a character', () => {
    const long = 'Ümit 👩🏽‍🏫 Çelik-Øster '.repeat(8);
    for (const text of [
      calendar({ observer: { id: 'bram', name: long }, observed: { id: 'anna', name: 'é'.repeat(100) } }),
      visitCalendar(invitation({ observer: { id: 'bram', name: long, email: 'bram@school.example' } }))!,
    ]) {
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      const bytes = Buffer.from(text, 'utf8');
      let start = 0;
      let folded = 0;
      const decoder = new TextDecoder('utf-8', { fatal: true });
      for (let i = 0; i + 1 < bytes.length; i++) {
        if (bytes[i] !== 0x0d || bytes[i + 1] !== 0x0a) continue;
        const line = bytes.subarray(start, i);
        expect(line.length).toBeLessThanOrEqual(75);
        // Each physical line is whole UTF-8 on its own: no character was cut in two.
        expect(() => decoder.decode(line)).not.toThrow();
        if (line[0] === 0x20) folded++;
        start = i + 2;
      }
      expect(folded).toBeGreaterThan(3);
      // And the unfolded text holds the names as they were.
      const event = parse(text).event;
      expect(event.getFirstPropertyValue('summary')).toContain(long);
    }
  });
});
