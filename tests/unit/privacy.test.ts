/**
 * Who sees an observation, as a table: every kind of viewer × every purpose × every state × shared or not with
 * the school leadership. The expected answer is written out per row from the README's rules ("From observation to conversation, and who sees what"), not computed.
 */
import { describe, expect, it } from 'vitest';
import {
  mayView,
  mayViewGoal,
  mayViewRequest,
  observationAccess,
  type Access,
  type Viewer,
} from '../../src/core/privacy/visibility';
import {
  OBSERVATION_STATUSES,
  PURPOSES,
  type Observation,
  type ObservationStatus,
  type Purpose,
} from '../../src/core/model/records';

const teacher = (id: string): Viewer => ({ id, role: 'teacher' });
const viewers = {
  observer: teacher('observer'),
  observed: teacher('observed'),
  colleague: teacher('colleague'),
  coach: { id: 'coach', role: 'coach' } as Viewer,
  leader: { id: 'leader', role: 'leader' } as Viewer,
};
type ViewerName = keyof typeof viewers | 'nobody';

/** The observation: a leader's classroom visit is made by the leader; a self-assessment by the teacher on themselves. */
function observation(
  purpose: Purpose,
  status: ObservationStatus,
): Pick<Observation, 'observerId' | 'observedId' | 'purpose' | 'status'> {
  const observerId =
    purpose === 'leader' ? 'leader' : purpose === 'coach' ? 'coach' : purpose === 'self' ? 'observed' : 'observer';
  return { observerId, observedId: 'observed', purpose, status };
}

/** The rule, written per viewer. */
function expected(viewer: ViewerName, purpose: Purpose, status: ObservationStatus, shared: boolean): Access {
  const made = observation(purpose, status).observerId;
  if (viewer === 'nobody') return { allowed: false, why: 'not-involved' };
  if (viewers[viewer].id === made) return { allowed: true, as: 'observer' };
  if (viewer === 'observed')
    return status === 'shared' ? { allowed: true, as: 'observed' } : { allowed: false, why: 'not-handed-over' };
  if (viewer === 'leader')
    return shared && status === 'shared' ? { allowed: true, as: 'leader' } : { allowed: false, why: 'not-shared' };
  return { allowed: false, why: 'not-involved' };
}

const rows = (['observer', 'observed', 'colleague', 'coach', 'leader', 'nobody'] as const).flatMap((viewer) =>
  PURPOSES.flatMap((purpose) =>
    OBSERVATION_STATUSES.flatMap((status) => [false, true].map((shared) => [viewer, purpose, status, shared] as const)),
  ),
);

describe('who may see an observation', () => {
  it.each(rows)('%s · %s · %s · shared with the leadership: %s', (viewer, purpose, status, shared) => {
    const reflection = shared ? { sharedWithLeaderAt: 1 } : {};
    const who = viewer === 'nobody' ? undefined : viewers[viewer];
    const access = observationAccess(who, observation(purpose, status), reflection);
    expect(access).toEqual(expected(viewer, purpose, status, shared));
    expect(mayView(who, observation(purpose, status), reflection)).toBe(access.allowed);
  });

  it('spells out the cases that matter most', () => {
    const peer = observation('peer', 'shared');
    expect(observationAccess(viewers.leader, peer)).toEqual({ allowed: false, why: 'not-shared' });
    expect(observationAccess(viewers.leader, peer, { sharedWithLeaderAt: 5 })).toEqual({ allowed: true, as: 'leader' });
    expect(observationAccess(viewers.leader, observation('leader', 'completed'))).toEqual({
      allowed: true,
      as: 'observer',
    });
    expect(observationAccess(viewers.observed, observation('peer', 'completed'))).toEqual({
      allowed: false,
      why: 'not-handed-over',
    });
    expect(observationAccess(viewers.observed, observation('self', 'draft'))).toEqual({
      allowed: true,
      as: 'observer',
    });
    expect(observationAccess(viewers.coach, peer, { sharedWithLeaderAt: 5 })).toEqual({
      allowed: false,
      why: 'not-involved',
    });
    // Another leader than the one who made a classroom visit sees it only when the teacher shares it.
    const otherLeader: Viewer = { id: 'leader-2', role: 'leader' };
    expect(observationAccess(otherLeader, observation('leader', 'shared'))).toEqual({
      allowed: false,
      why: 'not-shared',
    });
  });

  it('shows requests to the three people in them, and goals to their teacher alone', () => {
    const request = { requesterId: 'coach', observedId: 'observed', observerId: 'observer' };
    expect(Object.values(viewers).map((v) => mayViewRequest(v, request))).toEqual([true, true, false, true, false]);
    expect(Object.values(viewers).map((v) => mayViewGoal(v, { teacherId: 'observed' }))).toEqual([
      false,
      true,
      false,
      false,
      false,
    ]);
  });
});
