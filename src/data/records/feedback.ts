/**
 * The observer's feedback on an observation (tops, tips, a next step) and handing it over. Feedback is typed like
 * notes: every keystroke journalled and written at once (see journal.ts), newest change per field winning.
 */
import { alive, db } from '../database/db';
import { ObservationGoneError } from './observations';
import { now as clockNow, save, writeTransaction } from '../writes/local';
import type { Actor } from '../../core/model/lifecycle';
import { applyFeedbackChanges, feedbackField, type FeedbackChange } from '../../core/feedback/feedback-change';
import { newRecordBase, type Feedback, type Timestamp, type Uuid } from '../../core/model/records';
import type { JournalledKind } from '../writes/journal';

export async function getFeedback(observationId: Uuid): Promise<Feedback | undefined> {
  const feedback = await db().feedback.get(observationId);
  return alive(feedback) ? feedback : undefined;
}

/** Writes typed changes to an observation's feedback in one transaction (creating it on the first change). */
export async function recordFeedbackChanges(
  observationId: Uuid,
  changes: ReadonlyArray<FeedbackChange & { at: Timestamp }>,
  actor: Actor,
): Promise<void> {
  await writeTransaction(['feedback'], async () => {
    const observation = await db().observations.get(observationId);
    if (!alive(observation)) throw new ObservationGoneError(observationId);
    const existing = await getFeedback(observationId);
    const first = changes[0]?.at ?? clockNow();
    const base: Feedback = existing ?? {
      ...newRecordBase(observationId, observation.observerId, first),
      observationId,
      points: [],
      nextStep: '',
    };
    const next = applyFeedbackChanges(base, changes);
    if (next !== base) await save('feedback', existing, next, actor, { at: next.updatedAt, observation });
  });
}

/**
 * Hands the feedback over to the observed teacher: the observation becomes "shared" with its time. The write path
 * refuses it without a top and a tip (and for a self-assessment). Handing over twice changes nothing.
 */
export async function handOver(observationId: Uuid, actor: Actor, now = clockNow()): Promise<void> {
  await writeTransaction(['observation', 'feedback'], async () => {
    const observation = await db().observations.get(observationId);
    if (!alive(observation)) throw new ObservationGoneError(observationId);
    if (observation.status === 'shared') return;
    // Handing over comes after completing: a draft is refused by the writer rules as "not completed".
    await save('observation', observation, { ...observation, status: 'shared', handedOverAt: now }, actor, { at: now });
  });
}

/** A change to the feedback on an observation, journalled before it is written. */
export interface JournalledFeedback {
  kind: 'feedback';
  observationId: Uuid;
  change: FeedbackChange;
}

/** Feedback in the journal: one field per point and text. */
export const feedbackJournal: JournalledKind<JournalledFeedback> = {
  kind: 'feedback',
  recordKey: (change) => `feedback:${change.observationId}`,
  fieldKey: (change) => `feedback:${change.observationId}:${feedbackField(change.change)}`,
  write: (entries) =>
    recordFeedbackChanges(
      entries[0]!.change.observationId,
      entries.map((e) => ({ ...e.change.change, at: e.at })),
      entries[0]!.actor,
    ),
};
