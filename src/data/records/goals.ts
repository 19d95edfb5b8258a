/** A teacher's development goals: agreed next steps, open or achieved. Written by the teacher alone. */
import { alive, baseRecord, db } from '../database/db';
import { now as clockNow, save, writeTransaction } from '../writes/local';
import type { Actor } from '../../core/model/lifecycle';
import type { Goal, GoalStatus, Uuid } from '../../core/model/records';

export type GoalInput = Pick<Goal, 'text'> &
  Partial<Pick<Goal, 'observationId' | 'instrumentId' | 'itemIds' | 'targetOn'>>;

export async function listGoals(teacherId: Uuid): Promise<Goal[]> {
  const goals = (await db().goals.where('teacherId').equals(teacherId).toArray()).filter((g) => alive(g));
  // Open goals first, newest first within each.
  return goals.sort((a, b) => (a.status === b.status ? b.createdAt - a.createdAt : a.status === 'open' ? -1 : 1));
}

export async function addGoal(teacherId: Uuid, input: GoalInput, actor: Actor, now = clockNow()): Promise<Goal> {
  const goal: Goal = {
    ...baseRecord(teacherId, now),
    teacherId,
    text: input.text.trim(),
    status: 'open',
    itemIds: input.itemIds ?? [],
    ...(input.observationId ? { observationId: input.observationId } : {}),
    ...(input.instrumentId ? { instrumentId: input.instrumentId } : {}),
    ...(input.targetOn ? { targetOn: input.targetOn } : {}),
  };
  return save('goal', undefined, goal, actor, { at: now });
}

async function change(id: Uuid, actor: Actor, now: number, next: (goal: Goal) => Goal): Promise<void> {
  await writeTransaction(['goal'], async () => {
    const before = await db().goals.get(id);
    if (alive(before)) await save('goal', before, next(before), actor, { at: now });
  });
}

export const setGoalStatus = (id: Uuid, status: GoalStatus, actor: Actor, now = clockNow()) =>
  change(id, actor, now, (goal) => {
    const { achievedAt: _gone, ...rest } = goal;
    return status === 'achieved' ? { ...goal, status, achievedAt: goal.achievedAt ?? now } : { ...rest, status };
  });

/** A starter shares the goal with their coach, or takes that back. */
export const setGoalSharedWithCoach = (id: Uuid, shared: boolean, actor: Actor, now = clockNow()) =>
  change(id, actor, now, (goal) => {
    const { sharedWithCoachAt: _gone, ...rest } = goal;
    return shared ? { ...goal, sharedWithCoachAt: goal.sharedWithCoachAt ?? now } : rest;
  });
