import { VISIT_MINUTES } from '../../../core/notify/calendar';
import type { RequestPlan } from '../../../data/records/requests';

/** The plan as typed: a day (or none), a start time (or none) and a length in minutes (null while empty). */
export interface PlanFields {
  plannedOn: string;
  plannedTime: string;
  durationMinutes: number | null;
}

/** The fields of a request's plan, as the form shows them: a visit without a length is an hour. */
export const fieldsOf = (plan: RequestPlan): PlanFields => ({
  plannedOn: plan.plannedOn ?? '',
  plannedTime: plan.plannedTime ?? '',
  durationMinutes: plan.durationMinutes ?? VISIT_MINUTES.default,
});

/**
 * The plan to store, or undefined while it cannot be (a length that is not whole minutes from 5 to 720). A time
 * without a day and a length without a time are left out (the fields hide them).
 */
export function planOf(fields: PlanFields): RequestPlan | undefined {
  if (!fields.plannedOn) return {};
  if (!fields.plannedTime) return { plannedOn: fields.plannedOn };
  const minutes = fields.durationMinutes;
  if (minutes === null || !Number.isInteger(minutes) || minutes < VISIT_MINUTES.min || minutes > VISIT_MINUTES.max)
    return undefined;
  return { plannedOn: fields.plannedOn, plannedTime: fields.plannedTime, durationMinutes: minutes };
}
