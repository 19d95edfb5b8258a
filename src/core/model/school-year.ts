import type { Timestamp } from './records';

/**
 * The Dutch school year a moment falls in: 1 August to 31 July, named "2025-2026". Uses the UTC calendar date,
 * which is the school's local date for every time of day a lesson is given in the Netherlands or Flanders.
 */
export function schoolYearOf(at: Timestamp): { name: string; startsOn: string; endsOn: string } {
  const date = new Date(at);
  const year = date.getUTCFullYear();
  const startYear = date.getUTCMonth() >= 7 ? year : year - 1; // months are 0-based: 7 is August
  return { name: `${startYear}-${startYear + 1}`, startsOn: `${startYear}-08-01`, endsOn: `${startYear + 1}-07-31` };
}

/**
 * The id of a school year the app creates itself: the same on every device, so two tablets that each start the
 * year offline create one record, not two, once they meet on the school server.
 */
export const schoolYearId = (name: string): string => `school-year-${name}`;
