/**
 * Which e-mail notices a change causes and when reminders and digests are due (src/core/notify), who may choose which
 * kind, and a colleague's e-mail address left out of what a person receives (src/core/sync/audience.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  digestNotice,
  isoWeek,
  noticesOfWrite,
  REMINDER_ROUNDS,
  reminderHorizonMs,
  reminderNotice,
  type SchoolCalendar,
} from '../../src/core/notify/notices';
import { digestCounts } from '../../src/core/notify/digest';
import { mailSettingsProblem, noticeKindsFor, normaliseMailSettings } from '../../src/core/notify/settings';
import { asReceived } from '../../src/core/sync/audience';
import type { Observation, ObservationRequest, Person, Reflection, RequestDecline } from '../../src/core/model/records';

const AMSTERDAM: SchoolCalendar = { timeZone: 'Europe/Amsterdam', holidays: [], every: 3 };
/** Amsterdam wall-clock time as a moment (winter: UTC+1). */
const winter = (date: string, time = '09:00') => Date.parse(`${date}T${time}:00+01:00`);

const request = (extra: Partial<ObservationRequest> = {}): ObservationRequest => ({
  id: 'r1',
  owner: 'bram',
  createdAt: 1,
  updatedAt: 1,
  requesterId: 'bram',
  observedId: 'bram',
  observerId: 'anna',
  purpose: 'peer',
  instrumentKey: 'x@1',
  context: {},
  ...extra,
});

const observation = (extra: Partial<Observation> = {}): Observation => ({
  id: 'o1',
  owner: 'anna',
  createdAt: 1,
  updatedAt: 1,
  instrumentKey: 'x@1',
  observerId: 'anna',
  observedId: 'bram',
  purpose: 'peer',
  status: 'draft',
  context: {},
  clock: { elapsedMs: 0 },
  position: {},
  startedAt: 1,
  ...extra,
});

const reflection = (extra: Partial<Reflection> = {}): Reflection => ({
  id: 'o1',
  owner: 'bram',
  createdAt: 1,
  updatedAt: 1,
  observationId: 'o1',
  teacherId: 'bram',
  text: '',
  ...extra,
});

const keys = (notices: ReturnType<typeof noticesOfWrite>) => notices.map((n) => `${n.kind}>${n.personId}:${n.key}`);

describe('notices of a request', () => {
  it('tells the observer of a new request, and the observed teacher when a coach asked', () => {
    expect(keys(noticesOfWrite('request', undefined, request()))).toEqual(['request>anna:request:r1']);
    const byCoach = request({ requesterId: 'coach', owner: 'coach' });
    expect(keys(noticesOfWrite('request', undefined, byCoach))).toEqual([
      'request>anna:request:r1',
      'request>bram:request:r1:observed',
    ]);
    // A change of an existing request is no new request.
    expect(noticesOfWrite('request', request(), request({ focusQuestion: 'x', updatedAt: 2 }))).toEqual([]);
  });

  it('invites both colleagues for a visit with a start time, again when it moves, and cancels it once', () => {
    const planned = request({ plannedOn: '2026-12-10', plannedTime: '10:30' });
    expect(keys(noticesOfWrite('request', undefined, planned)).filter((k) => k.startsWith('calendar'))).toEqual([
      'calendar>bram:calendar:r1:1:bram',
      'calendar>anna:calendar:r1:1:anna',
    ]);
    // A day without a time is no calendar event.
    expect(noticesOfWrite('request', undefined, request({ plannedOn: '2026-12-10' })).map((n) => n.kind)).toEqual([
      'request',
    ]);
    const moved = { ...planned, plannedTime: '11:00', updatedAt: 5 };
    expect(keys(noticesOfWrite('request', planned, moved))).toEqual([
      'calendar>bram:calendar:r1:5:bram',
      'calendar>anna:calendar:r1:5:anna',
    ]);
    expect(noticesOfWrite('request', planned, { ...planned, durationMinutes: 90, updatedAt: 6 })).toHaveLength(2);
    expect(noticesOfWrite('request', planned, { ...planned, focusQuestion: 'x', updatedAt: 6 })).toEqual([]);
    const withdrawn = { ...moved, withdrawnAt: 9, updatedAt: 9 };
    expect(keys(noticesOfWrite('request', moved, withdrawn))).toEqual([
      'calendar>bram:calendar:r1:cancel:bram',
      'calendar>anna:calendar:r1:cancel:anna',
    ]);
    expect(noticesOfWrite('request', withdrawn, { ...withdrawn, updatedAt: 10 })).toEqual([]);
    // Withdrawn without ever having had a time: nothing to cancel.
    expect(noticesOfWrite('request', request(), request({ withdrawnAt: 3 }))).toEqual([]);
  });

  it('cancels a planned visit when the observer declines', () => {
    const planned = request({ plannedOn: '2026-12-10', plannedTime: '10:30' });
    const decline: RequestDecline = {
      id: 'd1',
      owner: 'anna',
      createdAt: 2,
      updatedAt: 2,
      requestId: 'r1',
      observerId: 'anna',
      reason: 'x',
    };
    expect(noticesOfWrite('decline', undefined, decline, planned).map((n) => n.key)).toEqual([
      'calendar:r1:cancel:bram',
      'calendar:r1:cancel:anna',
    ]);
    expect(noticesOfWrite('decline', undefined, decline, request())).toEqual([]);
    expect(noticesOfWrite('decline', decline, { ...decline, reason: 'y' }, planned)).toEqual([]);
    expect(noticesOfWrite('decline', undefined, { ...decline, requestId: 'other' }, planned)).toEqual([]);
  });
});

describe('notices of feedback', () => {
  it('tells the observed teacher once the feedback is handed over, never for a self-assessment', () => {
    const completed = observation({ status: 'completed' });
    const shared = observation({ status: 'shared', handedOverAt: 5 });
    expect(keys(noticesOfWrite('observation', completed, shared))).toEqual(['handedOver>bram:handedOver:o1']);
    expect(noticesOfWrite('observation', shared, { ...shared, updatedAt: 6 })).toEqual([]);
    expect(noticesOfWrite('observation', observation(), completed)).toEqual([]);
    const self = observation({ purpose: 'self', observedId: 'anna', status: 'shared' });
    expect(noticesOfWrite('observation', undefined, self)).toEqual([]);
  });

  it("tells the observer of the teacher's first words and of the conversation held, each once", () => {
    const shared = observation({ status: 'shared' });
    const read = reflection({ readAt: 3 });
    expect(noticesOfWrite('reflection', undefined, read, shared)).toEqual([]);
    const written = reflection({ readAt: 3, text: 'Dank je' });
    expect(keys(noticesOfWrite('reflection', read, written, shared))).toEqual([
      'reflection>anna:reflection:o1:reflected',
    ]);
    expect(noticesOfWrite('reflection', written, { ...written, text: 'Dank je wel' }, shared)).toEqual([]);
    expect(keys(noticesOfWrite('reflection', written, { ...written, acknowledgedAt: 9 }, shared))).toEqual([
      'reflection>anna:reflection:o1:discussed',
    ]);
    // Only on feedback handed over: an observation that is not (any more) shared tells nobody.
    expect(noticesOfWrite('reflection', read, written, observation({ status: 'completed' }))).toEqual([]);
    expect(noticesOfWrite('reflection', read, written, undefined)).toEqual([]);
  });
});

describe('reminders', () => {
  const completed = observation({ status: 'completed', completedAt: winter('2026-12-07') });

  it('come after each stretch of school days, counted in the time zone, to whom the step waits for', () => {
    expect(reminderNotice(completed, undefined, winter('2026-12-09'), AMSTERDAM)).toBeUndefined();
    expect(reminderNotice(completed, undefined, winter('2026-12-10'), AMSTERDAM)).toEqual({
      kind: 'reminder',
      personId: 'anna',
      subjectId: 'o1',
      key: 'reminder:o1:completed:1',
    });
    // Monday 14 December: Tue–Fri and Mon are five school days: still the first stretch of three.
    expect(reminderNotice(completed, undefined, winter('2026-12-14'), AMSTERDAM)?.key).toBe('reminder:o1:completed:1');
    expect(reminderNotice(completed, undefined, winter('2026-12-15'), AMSTERDAM)?.key).toBe('reminder:o1:completed:2');
    const shared = observation({ status: 'shared', completedAt: 1, handedOverAt: winter('2026-12-07') });
    expect(reminderNotice(shared, undefined, winter('2026-12-10'), AMSTERDAM)).toMatchObject({
      personId: 'bram',
      key: 'reminder:o1:handed-over:1',
    });
    expect(
      reminderNotice(shared, reflection({ readAt: winter('2026-12-07') }), winter('2026-12-10'), AMSTERDAM),
    ).toMatchObject({ personId: 'bram', key: 'reminder:o1:read:1' });
    expect(
      reminderNotice(shared, reflection({ readAt: 1, acknowledgedAt: 2 }), winter('2026-12-10'), AMSTERDAM),
    ).toBeUndefined();
  });

  it('never come on a weekend or in a holiday, and stop after the last round', () => {
    expect(reminderNotice(completed, undefined, winter('2026-12-12'), AMSTERDAM)).toBeUndefined();
    // Nor at night: from the start of the working day in the school's time zone.
    expect(reminderNotice(completed, undefined, winter('2026-12-10', '06:59'), AMSTERDAM)).toBeUndefined();
    expect(reminderNotice(completed, undefined, winter('2026-12-10', '07:00'), AMSTERDAM)).toBeDefined();
    const holidays = { ...AMSTERDAM, holidays: [{ name: 'Kerst', startsOn: '2026-12-09', endsOn: '2026-12-18' }] };
    expect(reminderNotice(completed, undefined, winter('2026-12-10'), holidays)).toBeUndefined();
    // After the holiday the days in it did not count: Tue 8, then Mon 21 and Tue 22.
    expect(reminderNotice(completed, undefined, winter('2026-12-21'), holidays)).toBeUndefined();
    expect(reminderNotice(completed, undefined, winter('2026-12-22'), holidays)?.key).toBe('reminder:o1:completed:1');
    const later = winter('2027-03-01');
    expect(reminderNotice(completed, undefined, later, AMSTERDAM)).toBeUndefined();
    // Long past the last round is also past the horizon the server reads within.
    expect(later - completed.completedAt!).toBeGreaterThan(reminderHorizonMs(AMSTERDAM.every) / 2);
    expect(reminderHorizonMs(5)).toBeGreaterThan(((REMINDER_ROUNDS + 1) * 5 * 7 * 86_400_000) / 5);
    expect(REMINDER_ROUNDS).toBeGreaterThan(1);
    // A self-assessment, a draft, a removed observation: no reminders.
    expect(
      reminderNotice({ ...completed, purpose: 'self' }, undefined, winter('2026-12-10'), AMSTERDAM),
    ).toBeUndefined();
    expect(reminderNotice(observation(), undefined, winter('2026-12-10'), AMSTERDAM)).toBeUndefined();
    expect(reminderNotice({ ...completed, deletedAt: 5 }, undefined, winter('2026-12-10'), AMSTERDAM)).toBeUndefined();
  });
});

describe('the weekly digest', () => {
  it('is due once per ISO week, on a school day, from the start of the working day', () => {
    expect(isoWeek('2026-12-07')).toBe('2026-W50');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2027-01-04')).toBe('2027-W01');
    expect(digestNotice('lies', 's', winter('2026-12-07', '08:00'), AMSTERDAM)?.key).toBe('digest:lies:2026-W50');
    expect(digestNotice('lies', 's', winter('2026-12-11', '16:00'), AMSTERDAM)?.key).toBe('digest:lies:2026-W50');
    expect(digestNotice('lies', 's', winter('2026-12-07', '06:30'), AMSTERDAM)).toBeUndefined();
    expect(digestNotice('lies', 's', winter('2026-12-13', '10:00'), AMSTERDAM)).toBeUndefined();
  });

  it('counts the last seven days, and nothing at all in a school too small to count without pointing at people', () => {
    const now = winter('2026-12-07');
    const day = 86_400_000;
    const teachers = ['a', 'b', 'c'].map((id) => ({ id, role: 'teacher' as const }));
    const cycles = [
      {
        ...observation({ observedId: 'a', status: 'shared', handedOverAt: now - day, completedAt: now - day }),
        reflection: { acknowledgedAt: now - 1 },
      },
      observation({ observedId: 'b', status: 'shared', handedOverAt: now - 8 * day, completedAt: now - 8 * day }),
      observation({ observedId: 'c', status: 'completed', completedAt: now - 30 * day }),
    ];
    const requests = [
      { createdAt: now - day },
      { createdAt: now - day, withdrawnAt: now },
      { createdAt: now - 9 * day },
    ];
    expect(digestCounts(cycles, requests, teachers, [], undefined, now)).toEqual({
      requested: 1,
      handedOver: 1,
      discussed: 1,
      late: { feedback: 1, reading: 0, conversation: 0 },
    });
    expect(digestCounts(cycles, requests, teachers.slice(0, 2), [], undefined, now)).toBeUndefined();
  });
});

describe('what a person may choose', () => {
  it('offers the digest to school leaders only, and refuses what does not fit', () => {
    expect(noticeKindsFor('teacher')).not.toContain('digest');
    expect(noticeKindsFor('leader')).toContain('digest');
    expect(mailSettingsProblem({ address: 'anna@school.nl', kinds: ['request'] }, 'teacher')).toBeUndefined();
    expect(mailSettingsProblem({ address: 'anna@school', kinds: [] }, 'teacher')).toBe('invalid-address');
    // One mailbox, never something a mail header reads as a list or a name.
    for (const address of ['a,b@school.nl', 'a;b@school.nl', '"a"@school.nl', '<a@school.nl>', 'a(b)@school.nl'])
      expect(mailSettingsProblem({ address, kinds: [] }, 'teacher'), address).toBe('invalid-address');
    expect(mailSettingsProblem({ address: "o'brien+mk@school.nl", kinds: [] }, 'teacher')).toBeUndefined();
    expect(mailSettingsProblem({ address: 'a@b.nl', kinds: ['digest'] }, 'coach')).toBe('kind-not-offered');
    expect(mailSettingsProblem({ address: 'a@b.nl', kinds: ['spam' as 'digest'] }, 'leader')).toBe('unknown-kind');
    expect(normaliseMailSettings({ address: ' a@b.nl ', kinds: ['reminder', 'request', 'reminder'] })).toEqual({
      address: 'a@b.nl',
      kinds: ['request', 'reminder'],
    });
  });
});

describe('a colleague’s e-mail address', () => {
  const eva: Person = {
    id: 'eva',
    owner: 'x',
    createdAt: 1,
    updatedAt: 1,
    name: 'Eva',
    role: 'teacher',
    starter: false,
    email: 'eva@school.nl',
  };
  it('reaches the person and administrators only', () => {
    expect(asReceived({ id: 'eva', role: 'teacher' }, 'person', eva).email).toBe('eva@school.nl');
    expect(asReceived({ id: 'lies', role: 'leader' }, 'person', eva).email).toBe('eva@school.nl');
    const seen = asReceived({ id: 'fien', role: 'teacher' }, 'person', eva);
    expect('email' in seen).toBe(false);
    const { email: _email, ...withoutAddress } = eva;
    expect(seen).toEqual(withoutAddress);
    expect(asReceived({ id: 'fien', role: 'coach' }, 'observation', { id: 'o', email: 'x' })).toEqual({
      id: 'o',
      email: 'x',
    });
  });
});
