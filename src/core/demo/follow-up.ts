/**
 * What happens in the demo school after a lesson is observed: the observer's feedback (tops and tips tied to the
 * highest- and lowest-rated items and to notes), handing it over, and the teacher's side (reading, a reflection,
 * the conversation, sharing with the leadership, a goal). Plain records; times never pass `now`.
 */
import type {
  Feedback,
  FeedbackPoint,
  Goal,
  ItemResponse,
  Note,
  Observation,
  Reflection,
  Timestamp,
} from '../model/records';
import { DAY, HOUR, MINUTE } from './calendar';
import { NEXT_STEPS, REFLECTIONS, TIPS, TOPS } from './content';
import type { Plan } from './plan';
import type { Random } from './random';

export interface FollowUp {
  feedback?: Feedback;
  reflection?: Reflection;
  goal?: Goal;
}

/** The highest- and lowest-rated items of an observation (by level position on their scale, reverse-keyed turned). */
function extremes(plan: Plan, responses: readonly ItemResponse[]): { high?: string; low?: string } {
  let high: { id: string; score: number } | undefined;
  let low: { id: string; score: number } | undefined;
  const byId = new Map(plan.items.map((item) => [item.itemId, item]));
  for (const response of responses) {
    const item = byId.get(response.itemId);
    if (!item?.levels || typeof response.rating !== 'number') continue;
    const position = item.levels.indexOf(response.rating) / Math.max(1, item.levels.length - 1);
    const score = item.reverse ? 1 - position : position;
    if (!high || score > high.score) high = { id: response.itemId, score };
    if (!low || score < low.score) low = { id: response.itemId, score };
  }
  return { high: high?.id, low: low?.id };
}

/**
 * Follows one completed observation through its stages (not a self-assessment). `observation` is changed in place: it
 * is handed over (status "shared", `handedOverAt`) or stays "completed" with feedback still being written.
 */
export function followUp(
  rng: Random,
  observation: Observation,
  plan: Plan,
  responses: readonly ItemResponse[],
  notes: readonly Note[],
  now: Timestamp,
  /** How likely the teacher shares it with the leadership; whether they share it with their coach (a starter's). */
  sharing: { leader: number; coach: boolean },
): FollowUp {
  const completedAt = observation.completedAt ?? observation.updatedAt;
  const owner = observation.observerId;
  const { high, low } = extremes(plan, responses);
  const handedOver = observation.status === 'shared';
  // Feedback not yet handed over is often not yet written, or half written.
  if (!handedOver && rng.chance(0.6)) return {};
  const points: FeedbackPoint[] = [];
  const note = notes.length > 0 ? rng.pick(notes) : undefined;
  points.push({ id: rng.uuid(), kind: 'top', text: rng.pick(TOPS), ...(high ? { link: { itemId: high } } : {}) });
  if (rng.chance(0.4))
    points.push({ id: rng.uuid(), kind: 'top', text: rng.pick(TOPS), ...(note ? { link: { noteId: note.id } } : {}) });
  if (handedOver || rng.chance(0.5)) {
    points.push({ id: rng.uuid(), kind: 'tip', text: rng.pick(TIPS), ...(low ? { link: { itemId: low } } : {}) });
    if (rng.chance(0.3))
      points.push({ id: rng.uuid(), kind: 'tip', text: rng.pick(TIPS), link: { lessonMinute: rng.int(5, 40) } });
  }
  const nextStep = handedOver || rng.chance(0.5) ? rng.pick(NEXT_STEPS) : '';
  const writtenAt = Math.min(now, completedAt + rng.int(5, 120) * MINUTE);
  const feedback: Feedback = {
    id: observation.id,
    owner,
    createdAt: completedAt,
    updatedAt: writtenAt,
    observationId: observation.id,
    points,
    nextStep,
  };
  if (!handedOver) {
    observation.updatedAt = Math.max(observation.updatedAt, writtenAt);
    return { feedback };
  }
  const handedOverAt = Math.min(now, writtenAt + rng.int(1, 48 * 60) * MINUTE);
  observation.handedOverAt = handedOverAt;
  observation.updatedAt = Math.max(observation.updatedAt, handedOverAt);
  if (!rng.chance(0.85)) return { feedback };

  // The teacher's side: read, perhaps a reflection, the conversation, sharing, a goal.
  const teacherId = observation.observedId;
  const readAt = Math.min(now, handedOverAt + rng.int(1, 72) * HOUR);
  const reflection: Reflection = {
    id: observation.id,
    owner: teacherId,
    createdAt: readAt,
    updatedAt: readAt,
    observationId: observation.id,
    teacherId,
    readAt,
    text: rng.chance(0.6) ? rng.pick(REFLECTIONS) : '',
  };
  if (rng.chance(sharing.leader)) reflection.sharedWithLeaderAt = readAt;
  // A starter shares what colleagues and the leader saw with their coach (the coach's own visits they saw already).
  if (sharing.coach && observation.purpose !== 'coach') reflection.sharedWithCoachAt = readAt;
  if (!rng.chance(0.7)) return { feedback, reflection };
  const discussedAt = Math.min(now, readAt + rng.int(1, 10) * DAY);
  reflection.acknowledgedAt = discussedAt;
  reflection.updatedAt = discussedAt;
  if (!rng.chance(0.7)) return { feedback, reflection };
  const goal: Goal = {
    id: rng.uuid(),
    owner: teacherId,
    createdAt: discussedAt,
    updatedAt: discussedAt,
    teacherId,
    text: nextStep,
    status: 'open',
    observationId: observation.id,
    instrumentId: plan.instrument.id,
    itemIds: low ? [low] : [],
    ...(sharing.coach ? { sharedWithCoachAt: discussedAt } : {}),
  };
  if (now - discussedAt > 60 * DAY && rng.chance(0.6)) {
    goal.status = 'achieved';
    goal.achievedAt = Math.min(now, discussedAt + rng.int(20, 60) * DAY);
    goal.updatedAt = goal.achievedAt;
  }
  reflection.goalId = goal.id;
  return { feedback, reflection, goal };
}
