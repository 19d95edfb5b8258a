/**
 * The school's holidays as a school leader enters them (`School.holidays`): what makes one valid, and the order they
 * are kept in. The same checks as a synced school record gets (src/core/sync/content.ts), so the app says what is
 * wrong before the server would refuse it.
 */
import type { Holiday } from './records';
import { isPlausibleDate, isValidName } from '../sync/content';

/**
 * - `name`: empty, on more than one line, or too long;
 * - `startsOn` / `endsOn`: not a real day between 2000 and 2100;
 * - `order`: it ends before it starts (a holiday of one day starts and ends on the same day).
 */
export type HolidayProblem = 'name' | 'startsOn' | 'endsOn' | 'order';

/** Why this holiday cannot be kept, or undefined. Its name is trimmed first. */
export function holidayProblem(holiday: Holiday): HolidayProblem | undefined {
  if (!isValidName(holiday.name.trim())) return 'name';
  if (!isPlausibleDate(holiday.startsOn)) return 'startsOn';
  if (!isPlausibleDate(holiday.endsOn)) return 'endsOn';
  if (holiday.endsOn < holiday.startsOn) return 'order';
  return undefined;
}

/** The holidays in the order of the calendar (then by end and by name), each name trimmed. */
export const sortedHolidays = (holidays: readonly Holiday[]): Holiday[] =>
  holidays
    .map((holiday) => ({ name: holiday.name.trim(), startsOn: holiday.startsOn, endsOn: holiday.endsOn }))
    .sort(
      (a, b) =>
        a.startsOn.localeCompare(b.startsOn) || a.endsOn.localeCompare(b.endsOn) || a.name.localeCompare(b.name),
    );
