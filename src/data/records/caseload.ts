/**
 * A coach's caseload: the starters the school made them coach, each with the requests about their lessons that
 * still wait, and the goals and reports the starter chose to share with them. Every read asks the core's privacy
 * rules (src/core/privacy/visibility.ts), on a device-only tablet that holds the whole school as on a coach's own.
 */
import { alive, db } from '../database/db';
import { listPeople } from './people';
import { listOpenRequestsAbout, type RequestWithState } from './requests';
import { stagesOf, type ObservationStages } from '../../core/feedback/stages';
import { isCoachOf, mayViewGoal, mayViewRequest, observationAccess, type Viewer } from '../../core/privacy/visibility';
import type { Goal, Observation, Person, Reflection } from '../../core/model/records';

interface SharedReport {
  observation: Observation;
  reflection: Reflection;
  stages: ObservationStages;
}

export interface StarterCase {
  starter: Person;
  /** Requests about the starter's lessons not yet observed (open or declined), the soonest first. */
  requests: RequestWithState[];
  /** Goals the starter shared: open first, newest first within each. */
  goals: Goal[];
  /** Reports the starter shared, newest shared first. */
  reports: SharedReport[];
}

/** The viewer's starters, in name order; empty for anyone who coaches nobody. */
export async function loadCaseload(viewer: Viewer): Promise<StarterCase[]> {
  if (viewer.role !== 'coach') return [];
  const starters = (await listPeople()).filter((person) => isCoachOf(viewer, person));
  return Promise.all(starters.map((starter) => caseOf(viewer, starter)));
}

async function caseOf(viewer: Viewer, starter: Person): Promise<StarterCase> {
  const [requests, goals, observations] = await Promise.all([
    listOpenRequestsAbout(starter.id),
    db().goals.where('teacherId').equals(starter.id).toArray(),
    db().observations.where('observedId').equals(starter.id).toArray(),
  ]);
  const handedOver = observations.filter((o) => alive(o) && o.status === 'shared');
  const reflections = await db().reflections.bulkGet(handedOver.map((o) => o.id));
  const reports = handedOver.flatMap((observation, i): SharedReport[] => {
    const reflection = reflections[i];
    if (!alive(reflection)) return [];
    const access = observationAccess(viewer, observation, reflection, starter);
    return access.allowed && access.as === 'coach'
      ? [{ observation, reflection, stages: stagesOf(observation, reflection) }]
      : [];
  });
  return {
    starter,
    requests: requests.filter((r) => mayViewRequest(viewer, r.request, starter)),
    goals: goals
      .filter((goal) => alive(goal) && mayViewGoal(viewer, goal, starter))
      .sort((a, b) => (a.status === b.status ? b.createdAt - a.createdAt : a.status === 'open' ? -1 : 1)),
    reports: reports.sort((a, b) => (b.reflection.sharedWithCoachAt ?? 0) - (a.reflection.sharedWithCoachAt ?? 0)),
  };
}
