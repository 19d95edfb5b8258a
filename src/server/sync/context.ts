/**
 * What the privacy rules need to decide on a batch of records (src/core/sync/audience.ts): the observation each
 * one belongs to and the teacher's reflection on it (shared with the leadership or not), and the request a decline
 * answers. Read in three queries for a whole page, not per record.
 */
import type { Sql } from '../db/database';
import type { AudienceContext } from '../../core/sync/audience';
import type { Observation, ObservationRequest, Reflection } from '../../core/model/records';
import { getRecords, type StoredRecord } from '../db/records';

export async function receivedContext(
  tx: Sql,
  schoolId: string,
  records: readonly Pick<StoredRecord, 'kind' | 'data' | 'observation_id'>[],
): Promise<(record: Pick<StoredRecord, 'kind' | 'data' | 'observation_id'>) => AudienceContext> {
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
  return (record) => {
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
}
