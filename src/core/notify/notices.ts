/**
 * Which e-mail notices a change causes, who gets them and what makes each one unique (its `key`: a notice with a key
 * the school has seen is never sent again). Notices say only *that* something waits and where: a kind, a person and
 * the record it is about. What a message says is written when it is sent (src/server/mail/messages.ts), from the
 * records as they are then, and never holds what was observed, rated, written as a top or tip, or reflected.
 *
 * - a request: the colleague asked to observe hears it, and the observed teacher when a coach asked for them;
 * - feedback handed over: the observed teacher;
 * - a reflection written, or the conversation marked held: the observer who gave the feedback;
 * - a planned visit with a start time: both colleagues get the invitation, again when the time changes, and its
 *   cancellation when the request is withdrawn, removed or declined (src/core/notify/calendar.ts);
 * - a reminder: a step that waits (feedback to hand over, to read, to discuss) after every stretch of the school's
 *   number of school days, at most REMINDER_ROUNDS times, and only on a school day;
 * - the weekly digest: each school leader, once per ISO week, on a school day.
 * Reminders and digests go on school days from 07:00 in the school's time zone.
 */
import { hasFeedback, stagesOf } from '../feedback/stages';
import type { Holiday, Observation, ObservationRequest, Reflection, RequestDecline, Timestamp } from '../model/records';
import type { NoticeKind } from './settings';
import { isSchoolDay, schoolDaysSince, wallClock } from './school-days';

export interface Notice {
  kind: NoticeKind;
  /** Who receives it. */
  personId: string;
  /** What it is about: a request, an observation, or (the digest) the school. */
  subjectId: string;
  /** Unique per school: the same key is never queued twice. */
  key: string;
}

/** The planned slot of a visit, as far as a calendar cares; undefined without a start time. */
const slotOf = (request: Partial<ObservationRequest> | undefined): string | undefined =>
  request?.plannedOn && request.plannedTime
    ? `${request.plannedOn}T${request.plannedTime}/${request.durationMinutes ?? 60}`
    : undefined;

const isOff = (request: Partial<ObservationRequest> | undefined): boolean =>
  !request || request.withdrawnAt !== undefined || request.deletedAt !== undefined;

/** Both colleagues of a visit (the observed teacher and the observer), each once. */
const bothOf = (request: Pick<ObservationRequest, 'observedId' | 'observerId'>): string[] => [
  ...new Set([request.observedId, request.observerId]),
];

function calendarNotices(request: ObservationRequest, key: string): Notice[] {
  return bothOf(request).map((personId) => ({
    kind: 'calendar',
    personId,
    subjectId: request.id,
    key: `calendar:${request.id}:${key}:${personId}`,
  }));
}

/** What a stored write of a request causes. `before`: the request as the server had it (undefined: new). */
function requestNotices(before: ObservationRequest | undefined, after: ObservationRequest): Notice[] {
  const notices: Notice[] = [];
  const wasOff = before !== undefined && isOff(before);
  if (!before && !isOff(after)) {
    notices.push({ kind: 'request', personId: after.observerId, subjectId: after.id, key: `request:${after.id}` });
    if (after.requesterId !== after.observedId)
      notices.push({
        kind: 'request',
        personId: after.observedId,
        subjectId: after.id,
        key: `request:${after.id}:observed`,
      });
  }
  if (isOff(after)) {
    if (!wasOff && slotOf(before)) notices.push(...calendarNotices(after, 'cancel'));
    return notices;
  }
  const slot = slotOf(after);
  // A new slot, or a slot moved: an invitation (the same slot again, after a move back, is a new one).
  if (slot && slot !== slotOf(before)) notices.push(...calendarNotices(after, `${after.updatedAt}`));
  return notices;
}

/** A decline cancels the visit in both calendars, when it had a start time. */
function declineNotices(decline: RequestDecline, request: ObservationRequest | undefined): Notice[] {
  if (!request || isOff(request) || !slotOf(request) || request.id !== decline.requestId) return [];
  return calendarNotices(request, 'cancel');
}

/** The feedback reaches the observed teacher: the observation became `shared`. */
function observationNotices(before: Observation | undefined, after: Observation): Notice[] {
  if (after.status !== 'shared' || before?.status === 'shared' || !hasFeedback(after) || after.deletedAt) return [];
  if (after.observedId === after.observerId) return [];
  return [{ kind: 'handedOver', personId: after.observedId, subjectId: after.id, key: `handedOver:${after.id}` }];
}

/** The observer hears that the teacher reflected (the first words) and that the conversation was held. */
function reflectionNotices(
  before: Reflection | undefined,
  after: Reflection,
  observation: Observation | undefined,
): Notice[] {
  if (!observation || observation.id !== after.observationId || observation.status !== 'shared') return [];
  if (observation.observerId === after.teacherId || after.deletedAt) return [];
  const notice = (step: string): Notice => ({
    kind: 'reflection',
    personId: observation.observerId,
    subjectId: observation.id,
    key: `reflection:${observation.id}:${step}`,
  });
  const notices: Notice[] = [];
  if (after.text.trim() !== '' && !(before?.text ?? '').trim()) notices.push(notice('reflected'));
  if (after.acknowledgedAt !== undefined && before?.acknowledgedAt === undefined) notices.push(notice('discussed'));
  return notices;
}

/** Reminders and digests go from this time of a school day on: at the start of the working day, not at night. */
const WORKDAY_STARTS = '07:00';

/** Whether it is a school day in the school's time zone, from the start of its working day. */
function isWorkingHours(now: Timestamp, calendar: Pick<SchoolCalendar, 'timeZone' | 'holidays'>): boolean {
  const { date, time } = wallClock(now, calendar.timeZone);
  return isSchoolDay(date, calendar.holidays) && time >= WORKDAY_STARTS;
}

/** At most this many reminders per step of one observation: a reminder that keeps coming is one nobody reads. */
export const REMINDER_ROUNDS = 3;

/**
 * How far back a step can have been reached and still be due for a reminder: past the last round in school days, with
 * room for weekends and a summer holiday. The server reads only observations whose step is this recent.
 */
export const reminderHorizonMs = (every: number): number =>
  (Math.ceil(((REMINDER_ROUNDS + 1) * every * 7) / 5) + 120) * 86_400_000;

/** Where reminders and the digest look: the school's days, counted in its time zone. */
export interface SchoolCalendar {
  timeZone: string;
  holidays: readonly Holiday[];
  /** After how many school days (and again after each such stretch). */
  every: number;
}

/**
 * The reminder an observation's step is due for now, or undefined: the observer for feedback not handed over, the
 * observed teacher for feedback not read or not discussed. Never on a day the school is closed.
 */
export function reminderNotice(
  observation: Observation,
  reflection: Reflection | undefined,
  now: Timestamp,
  calendar: SchoolCalendar,
): Notice | undefined {
  if (!hasFeedback(observation) || observation.deletedAt) return undefined;
  if (!isWorkingHours(now, calendar)) return undefined;
  const stages = stagesOf(observation, reflection);
  const personId =
    stages.step === 'completed'
      ? observation.observerId
      : stages.step === 'handed-over' || stages.step === 'read'
        ? observation.observedId
        : undefined;
  const since = stages.at[stages.step];
  if (personId === undefined || since === undefined) return undefined;
  const days = schoolDaysSince(
    since,
    now,
    calendar.timeZone,
    calendar.holidays,
    (REMINDER_ROUNDS + 1) * calendar.every,
  );
  const round = Math.floor(days / calendar.every);
  // After the last round nothing more comes (and a server that was off during the rounds does not catch up).
  if (round < 1 || round > REMINDER_ROUNDS) return undefined;
  return {
    kind: 'reminder',
    personId,
    subjectId: observation.id,
    key: `reminder:${observation.id}:${stages.step}:${round}`,
  };
}

/** The ISO week of a date (`2026-W50`): the digest's once-a-week key. */
export function isoWeek(date: string): string {
  const day = new Date(`${date}T12:00:00Z`);
  const weekday = (day.getUTCDay() + 6) % 7;
  const thursday = new Date(day.getTime() + (3 - weekday) * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = 1 + Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000));
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The weekly digest for a school leader: once per ISO week, on its first school day, from WORKDAY_STARTS. */
export function digestNotice(
  leaderId: string,
  schoolId: string,
  now: Timestamp,
  calendar: Pick<SchoolCalendar, 'timeZone' | 'holidays'>,
): Notice | undefined {
  if (!isWorkingHours(now, calendar)) return undefined;
  const today = wallClock(now, calendar.timeZone).date;
  return { kind: 'digest', personId: leaderId, subjectId: schoolId, key: `digest:${leaderId}:${isoWeek(today)}` };
}

/**
 * The notices of one stored write: `before` and `after` the record of that kind; `related` is the observation of a
 * reflection, or the request of a decline, as the write left them.
 */
export function noticesOfWrite(kind: string, before: object | undefined, after: object, related?: object): Notice[] {
  switch (kind) {
    case 'request':
      return requestNotices(before as ObservationRequest | undefined, after as ObservationRequest);
    case 'decline':
      return before ? [] : declineNotices(after as RequestDecline, related as ObservationRequest | undefined);
    case 'observation':
      return observationNotices(before as Observation | undefined, after as Observation);
    case 'reflection':
      return reflectionNotices(
        before as Reflection | undefined,
        after as Reflection,
        related as Observation | undefined,
      );
    default:
      return [];
  }
}
