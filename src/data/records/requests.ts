/**
 * Requests to be observed: a teacher (or a coach, for a starter) asks a colleague to come and look. The observer
 * answers by starting an observation from it (which remembers the request) or by declining with a reason.
 */
import { alive, baseRecord, db } from '../database/db';
import { now as clockNow, save, writeTransaction } from '../writes/local';
import type { Actor } from '../../core/model/lifecycle';
import type { Observation, ObservationRequest, RequestDecline, Uuid } from '../../core/model/records';

export type RequestInput = Pick<
  ObservationRequest,
  'requesterId' | 'observedId' | 'observerId' | 'purpose' | 'instrumentKey' | 'context'
> &
  Partial<Pick<ObservationRequest, 'focusQuestion'>> &
  RequestPlan;

/** When the lesson is: its day, and on that day its start time and length (both optional). */
export type RequestPlan = Partial<Pick<ObservationRequest, 'plannedOn' | 'plannedTime' | 'durationMinutes'>>;

/** The plan as a request holds it: a start time only with a day, a length only with a start time. */
function planFields(plan: RequestPlan): RequestPlan {
  if (!plan.plannedOn) return {};
  if (!plan.plannedTime) return { plannedOn: plan.plannedOn };
  return {
    plannedOn: plan.plannedOn,
    plannedTime: plan.plannedTime,
    ...(plan.durationMinutes !== undefined ? { durationMinutes: plan.durationMinutes } : {}),
  };
}

/**
 * When a change to a request is stamped: now, but at least in the next whole second after its last change. A
 * calendar takes an update only with a higher SEQUENCE, which counts whole seconds of `updatedAt`
 * (src/core/notify/calendar.ts), so a change in the same second as the last must not look like it.
 */
const changeTime = (before: ObservationRequest, now: number) =>
  Math.max(now, Math.floor(before.updatedAt / 1000) * 1000 + 1000);

/** Where a request stands: waiting for the observer, declined, or answered by an observation. */
export type RequestState =
  | { state: 'open' }
  | { state: 'declined'; decline: RequestDecline }
  | { state: 'observed'; observation: Observation }
  | { state: 'withdrawn' };

export interface RequestWithState {
  request: ObservationRequest;
  status: RequestState;
}

export async function askForObservation(
  input: RequestInput,
  actor: Actor,
  now = clockNow(),
): Promise<ObservationRequest> {
  const focusQuestion = input.focusQuestion?.trim();
  const request: ObservationRequest = {
    ...baseRecord(input.requesterId, now),
    requesterId: input.requesterId,
    observedId: input.observedId,
    observerId: input.observerId,
    purpose: input.purpose,
    instrumentKey: input.instrumentKey,
    context: input.context,
    ...(focusQuestion ? { focusQuestion } : {}),
    ...planFields(input),
  };
  return save('request', undefined, request, actor, { at: now });
}

export async function getRequest(id: Uuid): Promise<ObservationRequest | undefined> {
  const request = await db().requests.get(id);
  return alive(request) ? request : undefined;
}

/** The observer's decline of a request, if there is one (also after the request was withdrawn). */
export async function getDeclineOf(requestId: Uuid): Promise<RequestDecline | undefined> {
  return (await db().declines.where('requestId').equals(requestId).toArray()).find((decline) => alive(decline));
}

/** The one who asked takes the request back. */
export async function withdrawRequest(id: Uuid, actor: Actor, now = clockNow()): Promise<void> {
  await writeTransaction(['request'], async () => {
    const before = await getRequest(id);
    if (before && before.withdrawnAt === undefined)
      await save('request', before, { ...before, withdrawnAt: now }, actor, { at: changeTime(before, now) });
  });
}

/**
 * The one who asked changes when the lesson is (its day, start time and length) while the request is still open:
 * not withdrawn, not declined, no observation started from it. Returns whether the request is open to change.
 */
export async function replanRequest(id: Uuid, plan: RequestPlan, actor: Actor, now = clockNow()): Promise<boolean> {
  return writeTransaction(['request', 'decline', 'observation'], async () => {
    const before = await getRequest(id);
    if (!before || (await getRequestState(before)).state !== 'open') return false;
    const { plannedOn: _day, plannedTime: _time, durationMinutes: _length, ...rest } = before;
    await save('request', before, { ...rest, ...planFields(plan) }, actor, { at: changeTime(before, now) });
    return true;
  });
}

/** The observer says no, this time, with a short reason. Only an open request is declined, once. */
export async function declineRequest(requestId: Uuid, reason: string, actor: Actor, now = clockNow()): Promise<void> {
  await writeTransaction(['decline', 'observation'], async () => {
    const request = await getRequest(requestId);
    if (!request || (await getRequestState(request)).state !== 'open') return;
    const decline: RequestDecline = {
      ...baseRecord(request.observerId, now),
      requestId,
      observerId: request.observerId,
      reason: reason.trim(),
    };
    await save('decline', undefined, decline, actor, { at: now });
  });
}

async function withStates(requests: ObservationRequest[]): Promise<RequestWithState[]> {
  const ids = requests.map((r) => r.id);
  const [declines, observations] = await Promise.all([
    db().declines.where('requestId').anyOf(ids).toArray(),
    db()
      .observations.where('observerId')
      .anyOf([...new Set(requests.map((r) => r.observerId))])
      .toArray(),
  ]);
  const declined = new Map(declines.filter((d) => alive(d)).map((d) => [d.requestId, d]));
  const answered = new Map(observations.filter((o) => alive(o) && o.requestId).map((o) => [o.requestId!, o]));
  return requests.map((request) => {
    const observation = answered.get(request.id);
    const decline = declined.get(request.id);
    // Taken back (also after a decline, to clear it from the list) counts before declined.
    const status: RequestState = observation
      ? { state: 'observed', observation }
      : request.withdrawnAt !== undefined
        ? { state: 'withdrawn' }
        : decline
          ? { state: 'declined', decline }
          : { state: 'open' };
    return { request, status };
  });
}

/** Where one request stands. */
export async function getRequestState(request: ObservationRequest): Promise<RequestState> {
  return (await withStates([request]))[0]!.status;
}

const byPlannedDate = (a: RequestWithState, b: RequestWithState) =>
  (a.request.plannedOn ?? '9999').localeCompare(b.request.plannedOn ?? '9999') ||
  a.request.createdAt - b.request.createdAt;

/** Open requests to this observer ("Gevraagd"), the soonest lesson first. */
export async function listRequestsTo(observerId: Uuid): Promise<RequestWithState[]> {
  const requests = (await db().requests.where('observerId').equals(observerId).toArray()).filter((r) => alive(r));
  return (await withStates(requests)).filter((r) => r.status.state === 'open').sort(byPlannedDate);
}

/** Requests about a teacher's lessons that still wait for an observation (open or declined), the soonest first. */
export async function listOpenRequestsAbout(teacherId: Uuid): Promise<RequestWithState[]> {
  const requests = (await db().requests.where('observedId').equals(teacherId).toArray()).filter((r) => alive(r));
  return (await withStates(requests))
    .filter((r) => r.status.state === 'open' || r.status.state === 'declined')
    .sort(byPlannedDate);
}

/** Requests this person made (or that are about their lessons), with where each stands; newest first. */
export async function listRequestsBy(personId: Uuid): Promise<RequestWithState[]> {
  const [asked, about] = await Promise.all([
    db().requests.where('requesterId').equals(personId).toArray(),
    db().requests.where('observedId').equals(personId).toArray(),
  ]);
  const unique = [...new Map([...asked, ...about].filter((r) => alive(r)).map((r) => [r.id, r])).values()];
  return (await withStates(unique)).sort((a, b) => b.request.createdAt - a.request.createdAt);
}
