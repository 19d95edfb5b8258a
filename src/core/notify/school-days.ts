/**
 * The school's calendar as notices need it: its time zone (IANA, `School.timeZone`, Europe/Amsterdam unless the
 * school chose another), the days it is open (Monday to Friday, outside the holidays it entered) and how many school
 * days something has waited. Server and device read the same rules, so an invitation downloaded in the app and one
 * sent by e-mail name the same moment, and a reminder never comes on a day the school is closed.
 */
import type { Holiday, School, Timestamp } from '../model/records';

export const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';

/**
 * After how many school days something that waits for someone gets a reminder (`School.remindAfterSchoolDays`), and
 * again after each such stretch while it keeps waiting.
 */
export const REMIND_SCHOOL_DAYS = { default: 5, min: 1, max: 30 } as const;

/** At most this many holiday stretches per school (a school year has some six, a board enters a few years ahead). */
export const MAX_HOLIDAYS = 60;

/** Whether the runtime knows this IANA time zone name (`Europe/Amsterdam`); only such names are stored. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value === '' || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneOf = (school: Pick<School, 'timeZone'> | undefined): string =>
  school?.timeZone && isTimeZone(school.timeZone) ? school.timeZone : DEFAULT_TIME_ZONE;

export const remindAfterSchoolDaysOf = (school: Pick<School, 'remindAfterSchoolDays'> | undefined): number =>
  school?.remindAfterSchoolDays ?? REMIND_SCHOOL_DAYS.default;

const DAY_MS = 24 * 60 * 60 * 1000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** The wall clock in a time zone at a moment: `{ date: 'YYYY-MM-DD', time: 'HH:MM' }` and the offset from UTC. */
export function wallClock(at: Timestamp, timeZone: string): { date: string; time: string; offsetMs: number } {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}`;
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return { date, time, offsetMs: asUtc - Math.floor(at / 1000) * 1000 };
}

/**
 * The moment a wall-clock date and time (`YYYY-MM-DD`, `HH:MM`) happen in a time zone. A time the clocks skip (the
 * spring change) is read with the offset from before the change, so 02:30 on the night clocks go from 02:00 to 03:00
 * is 03:30; a time that happens twice (autumn) is the first.
 */
export function zonedMoment(date: string, time: string, timeZone: string): Timestamp {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  // The offsets a day before and a day after: no zone changes its clocks twice in two days, so the moment is one of
  // the two readings. Both can fit (the autumn repeat: the earlier wins) or neither (the spring gap: the offset from
  // before the change).
  const before = naive - wallClock(naive - DAY_MS, timeZone).offsetMs;
  const after = naive - wallClock(naive + DAY_MS, timeZone).offsetMs;
  const fits = [before, after].filter((at) => {
    const clock = wallClock(at, timeZone);
    return clock.date === date && clock.time === time;
  });
  return fits.length > 0 ? Math.min(...fits) : before;
}

/** The day after an ISO date. */
export const nextDay = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** Whether the school is open on an ISO date: Monday to Friday, outside every holiday (both ends included). */
export function isSchoolDay(date: string, holidays: readonly Holiday[] = []): boolean {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !holidays.some((holiday) => holiday.startsOn <= date && date <= holiday.endsOn);
}

/**
 * How many school days lie after the day of `since` up to and including the day of `now`, in the school's time zone:
 * something handed over on a Friday has waited one school day on Monday. Counting stops at a year, which is more
 * than any reminder asks.
 */
export function schoolDaysSince(
  since: Timestamp,
  now: Timestamp,
  timeZone: string,
  holidays: readonly Holiday[] = [],
  /** Stop counting here: the caller needs to know no more than that it is at least this many. */
  enough = Infinity,
): number {
  const last = wallClock(now, timeZone).date;
  let day = wallClock(since, timeZone).date;
  let count = 0;
  for (let steps = 0; day < last && steps < 366 && count < enough; steps++) {
    day = nextDay(day);
    if (isSchoolDay(day, holidays)) count++;
  }
  return count;
}
