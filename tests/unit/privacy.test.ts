/**
 * Who sees an observation, as a table: every kind of viewer × every purpose × every state × shared or not with
 * the school leadership. The expected answer is written out per row from the README's rules ("From observation to conversation, and who sees what"), not computed.
 */
import { describe, expect, it } from 'vitest';
import {
  isCoachOf,
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

describe('what a starter’s coach sees', () => {
  const coach = viewers.coach;
  const starter = { id: 'observed', starter: true, coachId: 'coach' };
  const peer = observation('peer', 'shared');

  /** Every way the relation can be missing, each of which must hide everything the starter shared. */
  const notTheirCoach: Array<[string, Viewer, { id: string; starter: boolean; coachId?: string } | undefined]> = [
    ['the teacher is not told', coach, undefined],
    ['the teacher is no starter', coach, { ...starter, starter: false }],
    ['another coach coaches the starter', coach, { ...starter, coachId: 'coach-2' }],
    ['nobody was made their coach', coach, { id: 'observed', starter: true }],
    ['the coach is a teacher now', { id: 'coach', role: 'teacher' }, starter],
    ['the coach is a leader now', { id: 'coach', role: 'leader' }, starter],
    ['the record is about someone else', coach, { ...starter, id: 'colleague' }],
  ];

  it('is the coach the school chose for a starter, while they have the coach role', () => {
    expect(isCoachOf(coach, starter)).toBe(true);
    for (const [why, viewer, teacher] of notTheirCoach.filter(([why]) => why !== 'the record is about someone else'))
      expect(isCoachOf(viewer, teacher), why).toBe(false);
    // Nobody coaches themselves.
    expect(isCoachOf(coach, { id: 'coach', starter: true, coachId: 'coach' })).toBe(false);
    expect(isCoachOf(undefined, starter)).toBe(false);
  });

  it('sees a report only once it is handed over and the starter shared it with them', () => {
    expect(observationAccess(coach, peer, { sharedWithCoachAt: 5 }, starter)).toEqual({ allowed: true, as: 'coach' });
    expect(observationAccess(coach, peer, {}, starter)).toEqual({ allowed: false, why: 'not-shared' });
    // Shared with the leadership is not shared with the coach.
    expect(observationAccess(coach, peer, { sharedWithLeaderAt: 5 }, starter)).toEqual({
      allowed: false,
      why: 'not-shared',
    });
    for (const status of ['draft', 'completed'] as const)
      expect(observationAccess(coach, observation('peer', status), { sharedWithCoachAt: 5 }, starter).allowed).toBe(
        false,
      );
    // Shared with the coach is not shared with the leadership, nor with a colleague.
    expect(observationAccess(viewers.leader, peer, { sharedWithCoachAt: 5 }, starter).allowed).toBe(false);
    expect(observationAccess(viewers.colleague, peer, { sharedWithCoachAt: 5 }, starter).allowed).toBe(false);
    for (const [why, viewer, teacher] of notTheirCoach)
      expect(observationAccess(viewer, peer, { sharedWithCoachAt: 5 }, teacher).allowed, why).toBe(false);
  });

  it('sees the starter’s requests, and only the goals the starter shared with them', () => {
    const request = { requesterId: 'observed', observedId: 'observed', observerId: 'observer' };
    expect(mayViewRequest(coach, request, starter)).toBe(true);
    expect(mayViewRequest(viewers.colleague, request, starter)).toBe(false);
    const goal = { teacherId: 'observed' };
    expect(mayViewGoal(coach, goal, starter)).toBe(false);
    expect(mayViewGoal(coach, { ...goal, sharedWithCoachAt: 5 }, starter)).toBe(true);
    expect(mayViewGoal(viewers.leader, { ...goal, sharedWithCoachAt: 5 }, starter)).toBe(false);
    for (const [why, viewer, teacher] of notTheirCoach) {
      expect(mayViewRequest(viewer, request, teacher), why).toBe(false);
      expect(mayViewGoal(viewer, { ...goal, sharedWithCoachAt: 5 }, teacher), why).toBe(false);
    }
  });
});
