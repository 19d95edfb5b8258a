/**
 * Who may see an observation (README, "From observation to conversation, and who sees what"). Peer-observation content belongs to the observed
 * teacher and the observer. A school leader sees an individual observation only when the leader made it, or when
 * the teacher chose to share it with the school leadership. The observed teacher sees the observation once the
 * observer has handed it over (until then the observer may still be writing). A self-assessment is the teacher's own.
 *
 * Every screen and every query asks these functions; the school server will ask them before sending anything.
 */
import type { Observation, Person, Reflection } from '../model/records';

export type Viewer = Pick<Person, 'id' | 'role'>;

/** Why someone sees an observation. */
export type AccessRole = 'observer' | 'observed' | 'leader';
/** Why someone does not: not theirs, not shared with the leadership, or not yet handed over to them. */
export type AccessDenied = 'not-involved' | 'not-shared' | 'not-handed-over';

export type Access = { allowed: true; as: AccessRole } | { allowed: false; why: AccessDenied };

type Seen = Pick<Observation, 'observerId' | 'observedId' | 'purpose' | 'status'>;

/** Whether the observed teacher shares this observation with the school leadership. */
const isSharedWithLeader = (
  observation: Pick<Observation, 'status'>,
  reflection: Pick<Reflection, 'sharedWithLeaderAt'> | undefined,
): boolean => observation.status === 'shared' && reflection?.sharedWithLeaderAt !== undefined;

export function observationAccess(
  viewer: Viewer | undefined,
  observation: Seen,
  reflection?: Pick<Reflection, 'sharedWithLeaderAt'>,
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
  return { allowed: false, why: 'not-involved' };
}

export const mayView = (
  viewer: Viewer | undefined,
  observation: Seen,
  reflection?: Pick<Reflection, 'sharedWithLeaderAt'>,
): boolean => observationAccess(viewer, observation, reflection).allowed;

/** A request is seen by who asked, whose lesson it is, and who is asked to observe. */
export const mayViewRequest = (
  viewer: Viewer | undefined,
  request: { requesterId: string; observedId: string; observerId: string },
): boolean => !!viewer && [request.requesterId, request.observedId, request.observerId].includes(viewer.id);

/** A development goal is the teacher's own. */
export const mayViewGoal = (viewer: Viewer | undefined, goal: { teacherId: string }): boolean =>
  viewer?.id === goal.teacherId;
