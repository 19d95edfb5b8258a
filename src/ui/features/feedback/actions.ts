/**
 * What people do from asking for an observation to the conversation, one function each. Typing (feedback points, the next step, a reflection) is
 * journalled and written at once like every change made while observing (`pageWrites.submit`); the other steps are
 * single writes (`pageWrites.run`), each with its own save key. The write path refuses what is not the actor's.
 */
import {
  askForObservation,
  declineRequest,
  replanRequest,
  withdrawRequest,
  type RequestInput,
  type RequestPlan,
} from '../../../data/records/requests';
import { handOver } from '../../../data/records/feedback';
import {
  linkGoal,
  markRead,
  setDiscussed,
  setSharedWithCoach,
  setSharedWithLeader,
} from '../../../data/records/reflections';
import { addGoal, setGoalSharedWithCoach, setGoalStatus, type GoalInput } from '../../../data/records/goals';
import type { FeedbackChange } from '../../../core/feedback/feedback-change';
import type { Actor } from '../../../core/model/lifecycle';
import type { GoalStatus, ObservationRequest, Person, Uuid } from '../../../core/model/records';
import { pageWrites } from '../../../data/records/page-writes';
import { requestSync } from '../../../data/sync/sync-requests';

export async function askColleague(input: RequestInput, actor: Actor): Promise<ObservationRequest | undefined> {
  let asked: ObservationRequest | undefined;
  await pageWrites.run('request:new', async () => {
    asked = await askForObservation(input, actor);
  });
  return asked;
}

export const withdraw = (id: Uuid, actor: Actor) => pageWrites.run(`request:${id}`, () => withdrawRequest(id, actor));
/**
 * The one who asked changes when the lesson is (day, start time, length). True once stored; false also when the
 * request is no longer open to change (withdrawn, declined or observed meanwhile).
 */
export async function replan(id: Uuid, plan: RequestPlan, actor: Actor): Promise<boolean> {
  let changed = false;
  const stored = await pageWrites.run(`request:${id}`, async () => {
    changed = await replanRequest(id, plan, actor);
  });
  return stored && changed;
}

export const decline = (id: Uuid, reason: string, actor: Actor) =>
  pageWrites.run(`decline:${id}`, () => declineRequest(id, reason, actor));

/** A keystroke in a top, a tip or the next step; resolves true once stored. */
export const changeFeedback = (observationId: Uuid, change: FeedbackChange, actor: Actor, at = Date.now()) =>
  pageWrites.submit({ kind: 'feedback', observationId, change }, actor, at);

/**
 * Hands the feedback over once the last keystrokes are stored. While a write has failed, nothing is handed over:
 * the teacher would get older words than the observer sees (the save status offers "opnieuw").
 */
export async function handOverFeedback(observationId: Uuid, actor: Actor): Promise<boolean> {
  await pageWrites.settled();
  if (pageWrites.state !== 'saved') return false;
  const handed = await pageWrites.run(`handover:${observationId}`, () => handOver(observationId, actor));
  // A signed-in account sends it at once: the teacher is waiting for it on their own tablet.
  if (handed) requestSync('handed-over');
  return handed;
}

export const markAsRead = (observationId: Uuid, actor: Actor) =>
  pageWrites.run(`read:${observationId}`, () => markRead(observationId, actor));

export const confirmDiscussed = (observationId: Uuid, discussed: boolean, actor: Actor) =>
  pageWrites.run(`discussed:${observationId}`, () => setDiscussed(observationId, discussed, actor));

export const shareWithLeadership = (observationId: Uuid, shared: boolean, actor: Actor) =>
  pageWrites.run(`share:${observationId}`, () => setSharedWithLeader(observationId, shared, actor));

/** A starter shares the observation with their coach, or takes that back. */
export const shareWithCoach = (observationId: Uuid, shared: boolean, actor: Actor) =>
  pageWrites.run(`share-coach:${observationId}`, () => setSharedWithCoach(observationId, shared, actor));

/** A starter shares a goal with their coach, or takes that back. */
export const shareGoalWithCoach = (id: Uuid, shared: boolean, actor: Actor) =>
  pageWrites.run(`goal-coach:${id}`, () => setGoalSharedWithCoach(id, shared, actor));

/** Turns the agreed next step into a development goal, linked to the observation it came from. */
export const agreeGoal = (me: Person, observationId: Uuid | undefined, input: GoalInput) =>
  pageWrites.run(`goal:new:${observationId ?? ''}`, async () => {
    const goal = await addGoal(me.id, { ...input, ...(observationId ? { observationId } : {}) }, me);
    if (observationId) await linkGoal(observationId, goal.id, me);
  });

export const markGoal = (id: Uuid, status: GoalStatus, actor: Actor) =>
  pageWrites.run(`goal:${id}`, () => setGoalStatus(id, status, actor));

/** A tick that could not be stored goes back, so the box never shows what is not so (the save status says why). */
export async function storeTick(box: HTMLInputElement, store: (on: boolean) => Promise<boolean>): Promise<void> {
  const on = box.checked;
  if (!(await store(on))) box.checked = !on;
}
