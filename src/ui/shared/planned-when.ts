import type { ObservationRequest } from '../../core/model/records';
import { formatDate } from '../i18n/locale.svelte';

type Plan = Pick<ObservationRequest, 'plannedOn' | 'plannedTime' | 'durationMinutes'>;

/**
 * A planned day and time as the wall clock says them, read and formatted in UTC: the school's own day and time as
 * the teacher chose them, whatever time zone the tablet is set to (and even on the night the clocks change).
 */
const wallClock = (date: string, time = '12:00') => Date.parse(`${date}T${time}:00Z`);

/** The start time, or the start and end ("09:30–10:30") with `withEnd`, formatted for the language. */
function plannedTimes(plan: Plan, withEnd = false): string {
  if (!plan.plannedOn || !plan.plannedTime) return '';
  const start = wallClock(plan.plannedOn, plan.plannedTime);
  const time = (at: number) => formatDate(at, { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  if (!withEnd) return time(start);
  return `${time(start)}–${time(start + (plan.durationMinutes ?? 60) * 60_000)}`;
}

/**
 * When a requested lesson is, for a list or a screen: its day ("dinsdag 1 december"), with its start time when it
 * has one ("dinsdag 1 december, 10:15"), or with start and end (`withEnd`); empty without a day.
 */
export function plannedWhen(plan: Plan, options: { weekday?: 'long' | 'short'; withEnd?: boolean } = {}): string {
  if (!plan.plannedOn) return '';
  const day = formatDate(wallClock(plan.plannedOn), {
    weekday: options.weekday ?? 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  });
  return plan.plannedTime ? `${day}, ${plannedTimes(plan, options.withEnd)}` : day;
}

/** Today on this device's calendar (`YYYY-MM-DD`): the first day a lesson can be planned for. */
export function localToday(now = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}
