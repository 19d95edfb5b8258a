/**
 * Feedback as each person sees it: the lists of their to-do screen, and one observation as its report shows it. Every
 * read here asks the core's privacy rules (src/core/privacy/visibility.ts): what a person may not see is not
 * returned, and a report that may not be opened says why.
 */
import { alive, db } from '../database/db';
import { getObservation } from './observations';
import { getInstalledInstrument, listOfferedInstruments } from './instruments';
import { listResponses } from './responses';
import { listNotes } from './notes';
import { getFeedback } from './feedback';
import { getReflection } from './reflections';
import { getPerson } from './people';
import { listAmendments } from './amendments';
import {
  agreementOfPairs,
  calibrationPairs,
  calibrationPartner,
  type CalibrationAgreement,
  type CalibrationPair,
} from '../../core/insight/calibration';
import { isCurrent } from '../../core/insight/summary';
import { flattenItems } from '../../core/instrument';
import { stagesOf, hasFeedback, type ObservationStages } from '../../core/feedback/stages';
import { canSelfAssess } from '../../core/observation/form';
import {
  mayViewGoal,
  observationAccess,
  type AccessDenied,
  type AccessRole,
  type Viewer,
} from '../../core/privacy/visibility';
import type { Instrument } from '../../core/instrument';
import type {
  Feedback,
  Goal,
  ItemResponse,
  Note,
  Observation,
  ObservationSummary,
  Person,
  Reflection,
  Uuid,
} from '../../core/model/records';

export interface FeedbackEntry {
  observation: Observation;
  feedback?: Feedback;
  reflection?: Reflection;
  stages: ObservationStages;
}

async function entries(observations: Observation[]): Promise<FeedbackEntry[]> {
  const ids = observations.map((o) => o.id);
  const [feedback, reflections] = await Promise.all([db().feedback.bulkGet(ids), db().reflections.bulkGet(ids)]);
  return observations.map((observation, i) => {
    const reflection = alive(reflections[i]) ? reflections[i] : undefined;
    return {
      observation,
      ...(alive(feedback[i]) ? { feedback: feedback[i] } : {}),
      ...(reflection ? { reflection } : {}),
      stages: stagesOf(observation, reflection),
    };
  });
}

/** "Feedback voor mij": feedback handed over to this teacher; unread first, then newest first. */
export async function listFeedbackFor(teacherId: Uuid): Promise<FeedbackEntry[]> {
  const received = (await db().observations.where('observedId').equals(teacherId).toArray()).filter(
    (o) => alive(o) && o.observerId !== teacherId && o.status === 'shared',
  );
  const list = await entries(received);
  const unread = (e: FeedbackEntry) => (e.reflection?.readAt === undefined ? 0 : 1);
  return list.sort(
    (a, b) => unread(a) - unread(b) || (b.observation.handedOverAt ?? 0) - (a.observation.handedOverAt ?? 0),
  );
}

/** "Feedback die ik gaf": this observer's observations of others, with where each stands; feedback to write first. */
export async function listFeedbackGiven(observerId: Uuid, limit = 30): Promise<FeedbackEntry[]> {
  const mine = (await db().observations.where('observerId').equals(observerId).toArray())
    .filter((o) => alive(o) && o.status !== 'draft' && hasFeedback(o))
    .sort((a, b) => (b.completedAt ?? b.startedAt) - (a.completedAt ?? a.startedAt));
  // Feedback still to write always shows, first; then the newest of the rest.
  const toWrite = mine.filter((o) => o.status === 'completed');
  const rest = mine.filter((o) => o.status !== 'completed').slice(0, Math.max(0, limit - toWrite.length));
  return entries([...toWrite, ...rest]);
}

/** A teacher's own self-assessments, newest first. */
export async function listSelfAssessments(teacherId: Uuid): Promise<Observation[]> {
  return (await db().observations.where('observerId').equals(teacherId).toArray())
    .filter((o) => alive(o) && o.purpose === 'self' && o.status !== 'draft')
    .sort((a, b) => b.startedAt - a.startedAt);
}

/** For a school leader: observations teachers shared with the leadership, newest first. */
export async function listSharedWithLeadership(viewer: Viewer): Promise<FeedbackEntry[]> {
  if (viewer.role !== 'leader') return [];
  const reflections = (await db().reflections.toArray()).filter((r) => alive(r) && r.sharedWithLeaderAt !== undefined);
  const observations = (await db().observations.bulkGet(reflections.map((r) => r.observationId))).filter(
    (o, i): o is Observation =>
      alive(o) && observationAccess(viewer, o, reflections[i]).allowed && o.observerId !== viewer.id,
  );
  return (await entries(observations)).sort(
    (a, b) => (b.reflection?.sharedWithLeaderAt ?? 0) - (a.reflection?.sharedWithLeaderAt ?? 0),
  );
}

/** Everything a report shows, read in one go. */
export interface ObservationReport {
  observation: Observation;
  instrument: Instrument;
  observer?: Person;
  observed?: Person;
  /** The observed starter's coach, with whom they may share it. */
  coach?: Person;
  responses: ItemResponse[];
  notes: Note[];
  feedback?: Feedback;
  reflection?: Reflection;
  /** The goal agreed from this observation: for the teacher, whose own it is (and a coach it was shared with). */
  goal?: Goal;
  stages: ObservationStages;
  /** Changes made after completion. */
  amendments: number;
  /** How the viewer sees it (observer, observed teacher, leader, the starter's coach). */
  as: AccessRole;
  /** For a calibration: how far this observer and the other observer of the same lesson agree. */
  calibration?: {
    otherObserver?: Person;
    agreement: CalibrationAgreement;
    /** The items both rated, each with this observer's level first: what the two compare, item by item. */
    pairs: CalibrationPair[];
  };
  /** The teacher's self-assessment of the same lesson, when there is one, with its answers. */
  self?: SelfAssessment;
  /** For the observed teacher: whether a self-assessment of this lesson can stand beside it (`canSelfAssess`). */
  selfAssessable: boolean;
}

interface SelfAssessment {
  observation: Observation;
  instrument: Instrument;
  responses: ItemResponse[];
}

export type ReportResult =
  | { found: false }
  | { found: true; allowed: false; why: AccessDenied }
  | ({ found: true; allowed: true } & ObservationReport);

export async function loadReport(id: Uuid, viewer: Viewer | undefined): Promise<ReportResult> {
  const observation = await getObservation(id);
  if (!observation) return { found: false };
  const [reflection, observed] = await Promise.all([getReflection(id), getPerson(observation.observedId)]);
  const access = observationAccess(viewer, observation, reflection, observed);
  if (!access.allowed) return { found: true, allowed: false, why: access.why };
  const [installed, observer, coach, responses, notes, feedback, goal, self, amendments, partner] = await Promise.all([
    getInstalledInstrument(observation.instrumentKey),
    getPerson(observation.observerId),
    observed?.starter && observed.coachId ? getPerson(observed.coachId) : undefined,
    listResponses(id),
    listNotes(id),
    getFeedback(id),
    reflection?.goalId ? db().goals.get(reflection.goalId) : undefined,
    selfAssessmentOf(observation, viewer),
    listAmendments(id),
    access.as === 'observer' ? calibrationPartnerOf(observation) : undefined,
  ]);
  if (!installed) return { found: false };
  const selfAssessable =
    access.as === 'observed' &&
    canSelfAssess(
      installed.content,
      (await listOfferedInstruments()).map((offered) => offered.content),
    );
  return {
    found: true,
    allowed: true,
    selfAssessable,
    observation,
    instrument: installed.content,
    ...(observer ? { observer } : {}),
    ...(observed ? { observed } : {}),
    ...(coach?.role === 'coach' ? { coach } : {}),
    responses,
    notes,
    ...(feedback ? { feedback } : {}),
    ...(reflection ? { reflection } : {}),
    // A goal is the teacher's own: the observer and a leader read the reflection, not the goal; a starter's coach
    // reads it when the starter shared it with them.
    ...(alive(goal) && mayViewGoal(viewer, goal, observed) ? { goal } : {}),
    ...(self ? { self } : {}),
    stages: stagesOf(observation, reflection),
    amendments: amendments.length,
    ...(partner && isCurrent(partner.summary) && isCurrent(observation.summary)
      ? {
          calibration: await calibrationOf(observation.summary, partner.summary, partner.observerId, installed.content),
        }
      : {}),
    as: access.as,
  };
}

/** A calibration as the report shows it: the items both rated, how far the two agree, and the other observer. */
async function calibrationOf(
  summary: ObservationSummary,
  partnerSummary: ObservationSummary,
  partnerObserverId: Uuid,
  instrument: Instrument,
): Promise<NonNullable<ObservationReport['calibration']>> {
  const itemDomain = new Map(
    instrument.domains.flatMap((d) => flattenItems(d.items).map((item) => [item.id, d.id] as const)),
  );
  const pairs = calibrationPairs(summary, partnerSummary, itemDomain);
  return { agreement: agreementOfPairs(pairs), pairs, ...(await optionalPerson(partnerObserverId)) };
}

/** The other observer's observation of the same lesson, for a calibration (the core's `calibrationPartner`). */
async function calibrationPartnerOf(observation: Observation): Promise<Observation | undefined> {
  if (observation.purpose !== 'calibration' || observation.status === 'draft') return undefined;
  const candidates = await db().observations.where('observedId').equals(observation.observedId).toArray();
  return calibrationPartner(
    observation,
    candidates.filter((o) => alive(o)),
  );
}

async function optionalPerson(id: Uuid): Promise<{ otherObserver?: Person }> {
  const person = await getPerson(id);
  return person ? { otherObserver: person } : {};
}

/** The self-assessment of the same lesson (made about this observation), when the viewer may see it. */
async function selfAssessmentOf(
  observation: Observation,
  viewer: Viewer | undefined,
): Promise<SelfAssessment | undefined> {
  if (observation.purpose === 'self') return undefined;
  const candidates = (await db().observations.where('observerId').equals(observation.observedId).toArray()).filter(
    (o) => alive(o) && o.purpose === 'self' && o.aboutObservationId === observation.id && o.status !== 'draft',
  );
  const self = candidates.sort((a, b) => b.startedAt - a.startedAt)[0];
  if (!self || !observationAccess(viewer, self).allowed) return undefined;
  const [installed, responses] = await Promise.all([
    getInstalledInstrument(self.instrumentKey),
    listResponses(self.id),
  ]);
  return installed ? { observation: self, instrument: installed.content, responses } : undefined;
}
