/**
 * The demo school's calendar: Dutch school days (no weekends, roughly the Dutch school holidays), lesson start times
 * in local time, and the Netherlands' offset from UTC. Pure functions of dates; no clock.
 */
import type { Timestamp } from '../model/records';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const YEAR = 365.25 * DAY;

/** Lesson start times (minutes after local midnight), 8:30 to 14:00 (+ a few minutes), so lessons end by 15:00. */
const MORNING_SLOTS = [510, 525, 540, 555, 570, 585, 600, 615, 630, 645, 660, 675];
const AFTERNOON_SLOTS = [780, 795, 810, 825, 840];
export const ALL_SLOTS = [...MORNING_SLOTS, ...AFTERNOON_SLOTS];
/** Most primary schools are closed on Wednesday afternoon. */
export const WEDNESDAY_SLOTS = MORNING_SLOTS.slice(0, 9);

/** Holidays as [month, day] ranges (month 1–12, inclusive), roughly the Dutch school holidays; summer both ends. */
const HOLIDAYS: Array<[number, number, number, number]> = [
  [8, 1, 8, 24], // zomervakantie (end)
  [10, 18, 10, 26], // herfstvakantie
  [12, 20, 12, 31], // kerstvakantie
  [1, 1, 1, 4],
  [2, 14, 2, 22], // voorjaarsvakantie
  [4, 25, 5, 5], // meivakantie (with Koningsdag and Bevrijdingsdag)
  [7, 11, 7, 31], // zomervakantie (start)
];

function isHoliday(month: number, day: number): boolean {
  const md = month * 100 + day;
  for (const [m1, d1, m2, d2] of HOLIDAYS) if (md >= m1 * 100 + d1 && md <= m2 * 100 + d2) return true;
  return false;
}

/** The Netherlands' UTC offset in hours on a calendar date: summer time from the last Sunday of March to the last Sunday of October. */
export function amsterdamOffset(dateUtc: number): number {
  const date = new Date(dateUtc);
  const year = date.getUTCFullYear();
  const lastSunday = (month: number) => {
    const last = Date.UTC(year, month + 1, 0);
    return last - new Date(last).getUTCDay() * DAY;
  };
  return dateUtc >= lastSunday(2) && dateUtc < lastSunday(9) ? 2 : 1;
}

export interface SchoolDay {
  /** Date.UTC of the calendar date: comparable with other dates. */
  date: number;
  /** The instant of local (Dutch) midnight. */
  localMidnight: Timestamp;
  weekday: number;
}

/** The school days of the school year that starts on 1 August of `startYear`. */
export function schoolDays(startYear: number): SchoolDay[] {
  const out: SchoolDay[] = [];
  const end = Date.UTC(startYear + 1, 6, 31);
  for (let date = Date.UTC(startYear, 7, 1); date <= end; date += DAY) {
    const d = new Date(date);
    const weekday = d.getUTCDay();
    if (weekday === 0 || weekday === 6 || isHoliday(d.getUTCMonth() + 1, d.getUTCDate())) continue;
    out.push({ date, localMidnight: date - amsterdamOffset(date) * HOUR, weekday });
  }
  return out;
}
