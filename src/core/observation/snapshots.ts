import type { Domain, SnapshotResponse, SnapshotSchedule } from '../instrument/types';
import type { SnapshotValues } from '../model/records';

/** Lesson length used for equal-part snapshots when neither the observation nor the instrument gives one. */
export const DEFAULT_LESSON_MINUTES = 45;

/** The well-known context field with the actual lesson length in minutes. */
export const LESSON_MINUTES_FIELD = 'lesson-minutes';

/** The lesson length equal-part snapshots divide: the observation's answer, else the instrument's, else 45. */
export function actualLessonMinutes(
  context: Readonly<Record<string, string | number>>,
  instrumentMinutes: number | undefined,
): number {
  const given = Number(context[LESSON_MINUTES_FIELD]);
  return Number.isFinite(given) && given > 0 ? given : (instrumentMinutes ?? DEFAULT_LESSON_MINUTES);
}

/**
 * The minutes a snapshot's schedule spans: the lesson (`lessonMinutes`), or in a repeated section whose repetitions
 * have an intended length (`repeat.minutes`), one repetition; there its minutes count from the repetition's start,
 * so equal parts divide the repetition. A repeated section without a length falls back to the lesson's.
 */
export const snapshotSpan = (
  domain: Pick<Domain, 'repeat'> | undefined,
  lessonMinutes: number | undefined,
): number | undefined => domain?.repeat?.minutes ?? lessonMinutes;

/**
 * The lesson minutes at which snapshots are taken. Equal parts divide the actual lesson (`lessonMinutes`: the
 * observation's answer, else the instrument's length, else 45) and take each snapshot in the middle of its part,
 * rounded to a tenth of a minute (the minute is the snapshot's key).
 */
export function snapshotMinutes(schedule: SnapshotSchedule, lessonMinutes = DEFAULT_LESSON_MINUTES): number[] {
  if ('atMinutes' in schedule) return [...schedule.atMinutes];
  if ('equalParts' in schedule) {
    const part = lessonMinutes / schedule.equalParts;
    return Array.from({ length: schedule.equalParts }, (_, i) => Math.round((i + 0.5) * part * 10) / 10);
  }
  const minutes: number[] = [];
  for (let m = schedule.fromMinute; m <= schedule.untilMinute; m += schedule.everyMinutes) minutes.push(m);
  return minutes;
}

/**
 * The snapshot to take now: the latest scheduled minute the lesson clock has reached that has not been recorded
 * (`recorded`: the minutes whose every field is filled, so a half-filled snapshot stays due).
 * A snapshot stays due until it is recorded or the next one comes due (an observer who was busy can still fill
 * in the last one, but older ones are left: a snapshot is about that moment).
 */
export function dueSnapshot(minutes: number[], elapsedMs: number, recorded: ReadonlySet<number>): number | undefined {
  const elapsedMinutes = elapsedMs / 60_000;
  const reached = minutes.filter((m) => m <= elapsedMinutes);
  const latest = reached.at(-1);
  return latest !== undefined && !recorded.has(latest) ? latest : undefined;
}

/** Whether one field of a snapshot holds a value (an emptied choice is not one). */
export function isFieldFilled(value: SnapshotValues[string] | null | undefined): boolean {
  if (value === undefined || value === null || value === '') return false;
  return !Array.isArray(value) || value.length > 0;
}

/** One snapshot as progress sees it: how many of its fields are filled. */
export interface SnapshotFill {
  minute: number;
  filled: number;
  fields: number;
}

/** Whether every field of a snapshot is filled. */
export const isSnapshotComplete = (snapshot: SnapshotFill): boolean => snapshot.filled === snapshot.fields;

/**
 * The snapshots an observer is asked for so far, with how many of their fields are filled: every scheduled minute
 * the lesson clock has reached, and every snapshot that holds a value (also one filled in before its minute, or
 * with the clock never started). A snapshot not yet reached is not asked for: in a lesson that ends early, the
 * minutes after the end are never due. `elapsedMs` undefined: only what holds a value.
 */
export function snapshotsToFill(
  response: SnapshotResponse,
  recorded: Readonly<Record<string, SnapshotValues>> | undefined,
  elapsedMs?: number,
  lessonMinutes?: number,
): SnapshotFill[] {
  const reachedUntil = elapsedMs === undefined ? -Infinity : elapsedMs / 60_000;
  const minutes = new Set(snapshotMinutes(response.schedule, lessonMinutes).filter((m) => m <= reachedUntil));
  for (const [minute, values] of Object.entries(recorded ?? {})) {
    if (Object.values(values).some(isFieldFilled)) minutes.add(Number(minute));
  }
  return [...minutes]
    .sort((a, b) => a - b)
    .map((minute) => {
      const values = recorded?.[String(minute)];
      return {
        minute,
        filled: response.fields.filter((field) => isFieldFilled(values?.[field.id])).length,
        fields: response.fields.length,
      };
    });
}
