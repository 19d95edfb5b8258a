/**
 * Feedback cycles that stall, as a school leader sees them: how many cycles wait longer than the school allows, per
 * step (for the feedback, for reading it, for the conversation), counted per team, never per person.
 *
 * A cycle counts in the team of its observed teacher (whose cycle it is), while that teacher is at the school. A team's counts are shown only where the
 * team's figures may be shown beside the school's (`releasableTeams`, src/core/insight/aggregate.ts, over the
 * members of the teams rather than over observations: at least MIN_GROUP teachers in the team, and none or at least
 * MIN_GROUP left over, so the school's total minus the shown teams never points at one or two people). The rest is one
 * "other" row; the school's total is shown when the school has at least MIN_GROUP teachers. Only counts leave this
 * function: on the school server it runs over the whole school and sends its answer to the leader's device.
 */
import { MIN_GROUP, releasableTeams } from '../insight/aggregate';
import type { Observation, Person, Reflection, Team, Timestamp } from '../model/records';
import { stagesOf, waitingAtStep } from './stages';

/** What a late cycle waits for. */
export const WAITING_FOR = ['feedback', 'reading', 'conversation'] as const;
type WaitingFor = (typeof WAITING_FOR)[number];
export type StalledCount = Record<WaitingFor, number>;

/** One feedback cycle: the fields of its observation and of the observed teacher's reflection that say where it is. */
export type Cycle = Pick<
  Observation,
  'observedId' | 'purpose' | 'status' | 'startedAt' | 'completedAt' | 'handedOverAt'
> & { reflection?: Pick<Reflection, 'readAt' | 'acknowledgedAt'> };

export interface StalledCycles {
  dueAfterDays: number;
  /** The whole school; null when the school has fewer than MIN_GROUP teachers. */
  school: StalledCount | null;
  /** Teams that may be shown on their own, in the order given. */
  teams: Array<{ teamId: string; count: StalledCount }>;
  /** Teachers in no shown team (small teams, or none): one row; null when there are none. */
  others: StalledCount | null;
}

const STEP_WAITS: Partial<Record<string, WaitingFor>> = {
  completed: 'feedback',
  'handed-over': 'reading',
  read: 'conversation',
};

const none = (): StalledCount => ({ feedback: 0, reading: 0, conversation: 0 });

export function stalledCycles(
  cycles: readonly Cycle[],
  people: readonly Pick<Person, 'id' | 'role' | 'teamId' | 'archivedAt' | 'deletedAt'>[],
  teams: readonly Pick<Team, 'id' | 'archivedAt' | 'deletedAt'>[],
  now: Timestamp,
  dueAfterDays: number,
): StalledCycles {
  const teachers = people.filter((p) => p.role !== 'leader' && p.archivedAt === undefined && p.deletedAt === undefined);
  const teamIds = teams.filter((t) => t.archivedAt === undefined && t.deletedAt === undefined).map((t) => t.id);
  const shown = releasableTeams(
    teachers.map((p) => ({ observedId: p.id, teamId: p.teamId })),
    teamIds,
  );
  const teamOf = new Map(teachers.map((p) => [p.id, p.teamId]));
  const school = none();
  const perTeam = new Map(teamIds.filter((id) => shown.has(id)).map((id) => [id, none()]));
  const others = none();
  for (const cycle of cycles) {
    // A cycle of someone who left (or of a leader) waits for nobody the leader can ask about it.
    if (!teamOf.has(cycle.observedId)) continue;
    const stages = stagesOf(cycle, cycle.reflection);
    const waiting = waitingAtStep(cycle, stages, now, dueAfterDays);
    const waitsFor = STEP_WAITS[stages.step];
    if (!waiting?.late || !waitsFor) continue;
    school[waitsFor]++;
    const teamId = teamOf.get(cycle.observedId);
    (teamId !== undefined ? (perTeam.get(teamId) ?? others) : others)[waitsFor]++;
  }
  const inShownTeams = teachers.filter((p) => p.teamId !== undefined && shown.has(p.teamId)).length;
  return {
    dueAfterDays,
    school: teachers.length >= MIN_GROUP ? school : null,
    teams: [...perTeam].map(([teamId, count]) => ({ teamId, count })),
    others: teachers.length >= MIN_GROUP && inShownTeams < teachers.length ? others : null,
  };
}
