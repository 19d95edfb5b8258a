/**
 * Who may see an observation (README, "From observation to conversation, and who sees what"). Peer-observation content belongs to the observed
 * teacher and the observer. A school leader sees an individual observation only when the leader made it, or when
 * the teacher chose to share it with the school leadership. The observed teacher sees the observation once the
 * observer has handed it over (until then the observer may still be writing). A self-assessment is the teacher's own.
 *
 * A starter's coach (the person an administrator made their coach, `Person.coachId`, while they have the coach role)
 * sees the starter's requests, and only the reports and goals the starter chose to share with them, like sharing
 * with the leadership.
 *
 * Every screen and every query asks these functions; the school server will ask them before sending anything.
 */
import type { Goal, Observation, Person, Reflection } from '../model/records';

export type Viewer = Pick<Person, 'id' | 'role'>;

/** The teacher a record is about (whose lesson, whose goal), as far as coaching goes. */
export type Coached = Pick<Person, 'id' | 'starter' | 'coachId'>;

/** Whether the viewer coaches this teacher: the coach the school chose for this starter, while they are a coach. */
export const isCoachOf = (viewer: Viewer | undefined, teacher: Coached | undefined): boolean =>
  !!viewer &&
  !!teacher &&
  viewer.role === 'coach' &&
  teacher.starter &&
  teacher.coachId === viewer.id &&
  teacher.id !== viewer.id;

/** Why someone sees an observation. */
export type AccessRole = 'observer' | 'observed' | 'leader' | 'coach';
/** Why someone does not: not theirs, not shared with the leadership, or not yet handed over to them. */
export type AccessDenied = 'not-involved' | 'not-shared' | 'not-handed-over';

export type Access = { allowed: true; as: AccessRole } | { allowed: false; why: AccessDenied };

type Seen = Pick<Observation, 'observerId' | 'observedId' | 'purpose' | 'status'>;
type Shares = Pick<Reflection, 'sharedWithLeaderAt' | 'sharedWithCoachAt'>;

/** Whether the observed teacher shares this observation with the school leadership. */
const isSharedWithLeader = (
  observation: Pick<Observation, 'status'>,
  reflection: Pick<Reflection, 'sharedWithLeaderAt'> | undefined,
): boolean => observation.status === 'shared' && reflection?.sharedWithLeaderAt !== undefined;

/**
 * `reflection`: the observed teacher's, which says what they shared; `observed`: the observed teacher, which says
 * who coaches them (without it nobody sees the observation as a coach).
 */
export function observationAccess(
  viewer: Viewer | undefined,
  observation: Seen,
  reflection?: Shares,
  observed?: Coached,
): Access {
  if (!viewer) return { allowed: false, why: 'not-involved' };
  if (viewer.id === observation.observerId) return { allowed: true, as: 'observer' };
  if (viewer.id === observation.observedId) {
    return observation.status === 'shared'
      ? { allowed: true, as: 'observed' }
      : { allowed: false, why: 'not-handed-over' };
  }
  if (viewer.role === 'leader') {
    return isSharedWithLeader(observation, reflection)
      ? { allowed: true, as: 'leader' }
      : { allowed: false, why: 'not-shared' };
  }
  if (observed?.id === observation.observedId && isCoachOf(viewer, observed)) {
    return observation.status === 'shared' && reflection?.sharedWithCoachAt !== undefined
      ? { allowed: true, as: 'coach' }
      : { allowed: false, why: 'not-shared' };
  }
  return { allowed: false, why: 'not-involved' };
}

export const mayView = (
  viewer: Viewer | undefined,
  observation: Seen,
  reflection?: Shares,
  observed?: Coached,
): boolean => observationAccess(viewer, observation, reflection, observed).allowed;

/**
 * A request is seen by who asked, whose lesson it is, and who is asked to observe; and by the coach of the starter
 * whose lesson it is (`observed`), who plans the starter's observations with them.
 */
export const mayViewRequest = (
  viewer: Viewer | undefined,
  request: { requesterId: string; observedId: string; observerId: string },
  observed?: Coached,
): boolean =>
  !!viewer &&
  ([request.requesterId, request.observedId, request.observerId].includes(viewer.id) ||
    (observed?.id === request.observedId && isCoachOf(viewer, observed)));

/** A development goal is the teacher's own; a starter may share one with their coach (`teacher`: whose goal it is). */
export const mayViewGoal = (
  viewer: Viewer | undefined,
  goal: Pick<Goal, 'teacherId' | 'sharedWithCoachAt'>,
  teacher?: Coached,
): boolean =>
  !!viewer &&
  (viewer.id === goal.teacherId ||
    (goal.sharedWithCoachAt !== undefined && teacher?.id === goal.teacherId && isCoachOf(viewer, teacher)));
