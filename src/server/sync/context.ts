/**
 * What the privacy rules need to decide on a batch of records (src/core/sync/audience.ts): the observation each
 * one belongs to and the teacher's reflection on it (shared with the leadership or a coach, or not), the request a
 * decline answers, and, for a coach, the teacher each record is about (whose coach they are). Read in a few queries
 * for a whole page, not per record.
 */
import type { Sql } from '../db/database';
import { teacherIdOf, type AudienceContext } from '../../core/sync/audience';
import type { Observation, ObservationRequest, Person, Reflection } from '../../core/model/records';
import { getRecords, type StoredRecord } from '../db/records';

type Received = Pick<StoredRecord, 'kind' | 'data' | 'observation_id'>;

/** `coaching`: the person receiving is a coach, who may receive what a starter shared with them. */
export async function receivedContext(
  tx: Sql,
  schoolId: string,
  records: readonly Received[],
  coaching: boolean,
): Promise<(record: Received) => AudienceContext> {
  const observationIds = [...new Set(records.flatMap((r) => (r.observation_id ? [r.observation_id] : [])))];
  const requestIds = [
    ...new Set(
      records.flatMap((r) => (r.kind === 'decline' && typeof r.data.requestId === 'string' ? [r.data.requestId] : [])),
    ),
  ];
  // A reflection's id is its observation's id (one per observation). One after the other: a transaction is one
  // connection, which runs one query at a time (pg warns about queries queued on a busy client).
  const observations = await getRecords(tx, schoolId, 'observation', observationIds);
  const reflections = await getRecords(tx, schoolId, 'reflection', observationIds);
  const requests = await getRecords(tx, schoolId, 'request', requestIds);
  const withoutTeacher = (record: Received): AudienceContext => {
    const context: AudienceContext = {};
    if (record.observation_id) {
      const observation = observations.get(record.observation_id) as Observation | undefined;
      const reflection = reflections.get(record.observation_id) as Reflection | undefined;
      if (observation) context.observation = observation;
      if (reflection) context.reflection = reflection;
    }
    if (record.kind === 'decline') {
      const request = requests.get(String(record.data.requestId)) as ObservationRequest | undefined;
      if (request) context.request = request;
    }
    return context;
  };
  if (!coaching) return withoutTeacher;
  const teacherIds = [...new Set(records.flatMap((r) => teacherIdOf(r.kind, r.data, withoutTeacher(r)) ?? []))];
  const teachers = await getRecords(tx, schoolId, 'person', teacherIds);
  return (record) => {
    const context = withoutTeacher(record);
    const teacherId = teacherIdOf(record.kind, record.data, context);
    const teacher = teacherId === undefined ? undefined : (teachers.get(teacherId) as Person | undefined);
    return teacher ? { ...context, teacher } : context;
  };
}
