/**
 * A teacher's own records, for their competence portfolio (bekwaamheidsdossier) and files of their own: the
 * observations of their lessons they received (handed over to them) and their self-assessments, their goals and
 * their reflections. Only what is theirs to see: feedback that was not handed over yet is not in it.
 */
import { alive, db } from '../database/db';
import { listFeedbackFor, listSelfAssessments, loadReport, type ObservationReport } from './feedback-views';
import { listGoals } from './goals';
import type { Goal, Observation, Person, Reflection, Uuid } from '../../core/model/records';
import type { Instrument } from '../../core/instrument';

export interface MyRecords {
  observations: Array<{
    observation: Observation;
    observer?: Person;
    instrument?: Instrument;
    reflection?: Reflection;
  }>;
  goals: Goal[];
}

export async function loadMyRecords(teacherId: Uuid): Promise<MyRecords> {
  const [received, selfAssessments, goals] = await Promise.all([
    listFeedbackFor(teacherId),
    listSelfAssessments(teacherId),
    listGoals(teacherId),
  ]);
  const list = [
    ...received.map((entry) => ({ observation: entry.observation, reflection: entry.reflection })),
    ...selfAssessments.map((observation) => ({ observation, reflection: undefined })),
  ].sort((a, b) => a.observation.startedAt - b.observation.startedAt);
  const [people, instruments] = await Promise.all([
    db().people.bulkGet([...new Set(list.map((entry) => entry.observation.observerId))]),
    db().instruments.bulkGet([...new Set(list.map((entry) => entry.observation.instrumentKey))]),
  ]);
  const person = new Map(people.filter(alive).map((p) => [p!.id, p!]));
  const instrument = new Map(instruments.filter(alive).map((i) => [i!.id, i!.content]));
  return {
    observations: list.map(({ observation, reflection }) => ({
      observation,
      ...(person.get(observation.observerId) ? { observer: person.get(observation.observerId)! } : {}),
      ...(instrument.get(observation.instrumentKey) ? { instrument: instrument.get(observation.instrumentKey)! } : {}),
      ...(reflection ? { reflection } : {}),
    })),
    goals,
  };
}

/**
 * The reports for a portfolio, as the report screen loads them (`loadReport`, which applies the privacy rules):
 * only those the teacher may open, in the order chosen.
 */
export async function loadPortfolioReports(ids: readonly Uuid[], teacher: Person): Promise<ObservationReport[]> {
  const results = await Promise.all(ids.map((id) => loadReport(id, teacher)));
  return results.flatMap((result) => (result.found && result.allowed ? [result] : []));
}
