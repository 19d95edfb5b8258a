/**
 * What people do in the feedback cycle, one function each. Typing (feedback points, the next step, a reflection) is
 * journalled and written at once like every change made while observing (saveStatus.submit); the other steps are
 * single writes (saveStatus.run), each with its own save key. The write path refuses what is not the actor's.
 */
import { askForObservation, declineRequest, withdrawRequest, type RequestInput } from '../../../data/requests';
import { handOver } from '../../../data/feedback';
import { linkGoal, markRead, setDiscussed, setSharedWithLeader } from '../../../data/reflections';
import { addGoal, setGoalStatus, type GoalInput } from '../../../data/goals';
import type { FeedbackChange } from '../../../core/feedback/feedback-change';
import type { Actor } from '../../../core/model/lifecycle';
import type { GoalStatus, ObservationRequest, Person, Uuid } from '../../../core/model/records';
import { saveStatus } from '../../shared/save-status.svelte';
import { requestSync } from '../../../data/sync';

export async function askColleague(input: RequestInput, actor: Actor): Promise<ObservationRequest | undefined> {
  let asked: ObservationRequest | undefined;
  await saveStatus.run('request:new', async () => {
    asked = await askForObservation(input, actor);
  });
  return asked;
}

export const withdraw = (id: Uuid, actor: Actor) => saveStatus.run(`request:${id}`, () => withdrawRequest(id, actor));
export const decline = (id: Uuid, reason: string, actor: Actor) => saveStatus.run(`decline:${id}`, () => declineRequest(id, reason, actor));

/** A keystroke in a top, a tip or the next step; resolves true once stored. */
export const changeFeedback = (observationId: Uuid, change: FeedbackChange, actor: Actor, at = Date.now()) =>
  saveStatus.submit({ kind: 'feedback', observationId, change }, actor, at);

/**
 * Hands the feedback over once the last keystrokes are stored. While a write has failed, nothing is handed over:
 * the teacher would get older words than the observer sees (the save status offers "opnieuw").
 */
export async function handOverFeedback(observationId: Uuid, actor: Actor): Promise<boolean> {
  await saveStatus.settled();
  if (saveStatus.state !== 'saved') return false;
  const handed = await saveStatus.run(`handover:${observationId}`, () => handOver(observationId, actor));
  // A signed-in account sends it at once: the teacher is waiting for it on their own tablet.
  if (handed) requestSync('handed-over');
  return handed;
}

export const markAsRead = (observationId: Uuid, actor: Actor) => saveStatus.run(`read:${observationId}`, () => markRead(observationId, actor));

/** A keystroke in the reflection. */
export const reflect = (observationId: Uuid, text: string, actor: Actor, at = Date.now()) =>
  saveStatus.submit({ kind: 'reflection', observationId, text }, actor, at);

export const confirmDiscussed = (observationId: Uuid, discussed: boolean, actor: Actor) =>
  saveStatus.run(`discussed:${observationId}`, () => setDiscussed(observationId, discussed, actor));

export const shareWithLeadership = (observationId: Uuid, shared: boolean, actor: Actor) =>
  saveStatus.run(`share:${observationId}`, () => setSharedWithLeader(observationId, shared, actor));

/** Turns the agreed next step into a development goal, linked to the observation it came from. */
export const agreeGoal = (me: Person, observationId: Uuid | undefined, input: GoalInput) =>
  saveStatus.run(`goal:new:${observationId ?? ''}`, async () => {
    const goal = await addGoal(me.id, { ...input, ...(observationId ? { observationId } : {}) }, me);
    if (observationId) await linkGoal(observationId, goal.id, me);
  });

export const markGoal = (id: Uuid, status: GoalStatus, actor: Actor) => saveStatus.run(`goal:${id}`, () => setGoalStatus(id, status, actor));
