/**
 * The server's own summaries of completed observations (table `summaries`), for the team figures it computes for
 * leaders (src/server/insight). Refreshed in the transaction of every push that changes an observation or what is
 * recorded in it, with the core's `summarise`, so they never lag behind the responses.
 */
import type { Sql } from '../db/database';
import { summarise } from '../../core/insight/summary';
import { byResponseKey, type InstalledInstrument, type ItemResponse, type Observation } from '../../core/model/records';
import { getRecords } from '../db/records';

/** Computes the summaries of these observations again from what the transaction sees, in four statements. */
export async function refreshSummaries(tx: Sql, schoolId: string, observationIds: readonly string[]): Promise<void> {
  if (observationIds.length === 0) return;
  const observations = (await getRecords(tx, schoolId, 'observation', observationIds)) as unknown as Map<
    string,
    Observation
  >;
  const counted = [...observations.values()].filter((o) => o.deletedAt === undefined && o.status !== 'draft');
  const keys = [...new Set(counted.map((o) => o.instrumentKey))];
  const instruments = (await getRecords(tx, schoolId, 'instrument', keys)) as unknown as Map<
    string,
    InstalledInstrument
  >;
  const summarised = counted.filter((o) => instruments.has(o.instrumentKey));
  const responses = new Map<string, ItemResponse[]>(summarised.map((o) => [o.id, []]));
  if (summarised.length > 0) {
    const rows = await tx.query<{ data: ItemResponse }>(
      "SELECT data FROM records WHERE school_id = $1 AND observation_id = ANY($2) AND kind = 'response'",
      [schoolId, summarised.map((o) => o.id)],
    );
    for (const { data } of rows) if (data.deletedAt === undefined) responses.get(data.observationId)?.push(data);
  }
  const summaries = summarised.map((o) => ({
    id: o.id,
    summary: summarise(instruments.get(o.instrumentKey)!.content, byResponseKey(responses.get(o.id)!), o),
  }));
  // No summary for a draft, a deleted or an unknown observation, or one whose instrument the server lacks.
  const kept = new Set(summaries.map((s) => s.id));
  const dropped = observationIds.filter((id) => !kept.has(id));
  if (dropped.length > 0)
    await tx.query('DELETE FROM summaries WHERE school_id = $1 AND observation_id = ANY($2)', [schoolId, dropped]);
  if (summaries.length > 0)
    await tx.query(
      `INSERT INTO summaries (school_id, observation_id, data)
       SELECT $1, s.id, s.data::jsonb FROM unnest($2::text[], $3::text[]) AS s(id, data)
       ON CONFLICT (school_id, observation_id) DO UPDATE SET data = EXCLUDED.data`,
      [schoolId, summaries.map((s) => s.id), summaries.map((s) => JSON.stringify(s.summary))],
    );
}

/** Computes one observation's summary again. */
export function refreshSummary(tx: Sql, schoolId: string, observationId: string): Promise<void> {
  return refreshSummaries(tx, schoolId, [observationId]);
}
