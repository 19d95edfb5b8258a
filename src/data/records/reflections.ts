/**
 * The observed teacher's side of an observation: reading it, the reflection, the agreed goal, confirming the
 * conversation took place, and sharing it with the school leadership (and taking that back).
 */
import { alive, db } from '../database/db';
import { ObservationGoneError } from './observations';
import { now as clockNow, save, writeTransaction } from '../writes/local';
import type { Actor } from '../../core/model/lifecycle';
import { applyReflectionText } from '../../core/feedback/feedback-change';
import { newRecordBase, type Reflection, type Timestamp, type Uuid } from '../../core/model/records';
import { latestEntry, type JournalledKind } from '../writes/journal';

export async function getReflection(observationId: Uuid): Promise<Reflection | undefined> {
  const reflection = await db().reflections.get(observationId);
  return alive(reflection) ? reflection : undefined;
}

/** Reads, changes and writes the teacher's reflection in one transaction (creating it for the observed teacher). */
async function change(
  observationId: Uuid,
  actor: Actor,
  at: Timestamp,
  next: (reflection: Reflection) => Reflection,
): Promise<void> {
  await writeTransaction(['reflection'], async () => {
    const observation = await db().observations.get(observationId);
    if (!alive(observation)) throw new ObservationGoneError(observationId);
    const existing = await getReflection(observationId);
    const teacherId = observation.observedId;
    const base: Reflection = existing ?? {
      ...newRecordBase(observationId, teacherId, at),
      observationId,
      teacherId,
      text: '',
    };
    const after = next(base);
    if (existing && after === existing) return;
    await save('reflection', existing, after, actor, { at, observation });
  });
}

/** The observed teacher opened the feedback: the observer sees it was read. Only the first reading counts. */
export const markRead = (observationId: Uuid, actor: Actor, now = clockNow()) =>
  change(observationId, actor, now, (r) => (r.readAt !== undefined ? r : { ...r, readAt: now }));

export const writeReflection = (observationId: Uuid, text: string, actor: Actor, at = clockNow()) =>
  change(observationId, actor, at, (r) => applyReflectionText({ ...r, readAt: r.readAt ?? at }, text, at));

/** "We had the conversation" (besproken); taking it back is possible while it was a mistake. */
export const setDiscussed = (observationId: Uuid, discussed: boolean, actor: Actor, now = clockNow()) =>
  change(observationId, actor, now, (r) => {
    const { acknowledgedAt: _gone, ...rest } = r;
    return discussed ? { ...r, readAt: r.readAt ?? now, acknowledgedAt: r.acknowledgedAt ?? now } : rest;
  });

/** Shares the observation with the school leadership, or takes that back. */
export const setSharedWithLeader = (observationId: Uuid, shared: boolean, actor: Actor, now = clockNow()) =>
  change(observationId, actor, now, (r) => {
    const { sharedWithLeaderAt: _gone, ...rest } = r;
    return shared ? { ...r, readAt: r.readAt ?? now, sharedWithLeaderAt: r.sharedWithLeaderAt ?? now } : rest;
  });

/** A starter shares the observation with their coach, or takes that back. */
export const setSharedWithCoach = (observationId: Uuid, shared: boolean, actor: Actor, now = clockNow()) =>
  change(observationId, actor, now, (r) => {
    const { sharedWithCoachAt: _gone, ...rest } = r;
    return shared ? { ...r, readAt: r.readAt ?? now, sharedWithCoachAt: r.sharedWithCoachAt ?? now } : rest;
  });

export const linkGoal = (observationId: Uuid, goalId: Uuid, actor: Actor, now = clockNow()) =>
  change(observationId, actor, now, (r) => (r.goalId === goalId ? r : { ...r, goalId }));

/** The observed teacher's reflection as it stands after a keystroke, journalled before it is written. */
export interface JournalledReflection {
  kind: 'reflection';
  observationId: Uuid;
  text: string;
}

/** Reflections in the journal: the text is one field. */
export const reflectionJournal: JournalledKind<JournalledReflection> = {
  kind: 'reflection',
  recordKey: (change) => `reflection:${change.observationId}`,
  fieldKey: (change) => `reflection:${change.observationId}`,
  write: async (entries) => {
    const latest = latestEntry(entries);
    await writeReflection(latest.change.observationId, latest.change.text, latest.actor, latest.at);
  },
};
