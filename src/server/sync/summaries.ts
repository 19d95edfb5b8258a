/**
 * The server's own summaries of completed observations (table `summaries`), for the team figures it computes for
 * leaders (src/server/insight). Refreshed in the transaction of every change to an observation or to what is
 * recorded in it, with the core's `summarise`, so they never lag behind the responses.
 */
import type { Sql } from '../db/database';
import { summarise } from '../../core/insight/summary';
import { byResponseKey, type InstalledInstrument, type ItemResponse, type Observation } from '../../core/model/records';
import { getRecord } from '../db/records';

export async function refreshSummary(tx: Sql, schoolId: string, observationId: string): Promise<void> {
  const observation = (await getRecord(tx, schoolId, 'observation', observationId))?.data as Observation | undefined;
  const installed = observation
    ? ((await getRecord(tx, schoolId, 'instrument', observation.instrumentKey))?.data as
        InstalledInstrument | undefined)
    : undefined;
  if (!observation || !installed || observation.deletedAt !== undefined || observation.status === 'draft') {
    await tx.query('DELETE FROM summaries WHERE school_id = $1 AND observation_id = $2', [schoolId, observationId]);
    return;
  }
  const responses = await tx.query<{ data: ItemResponse }>(
    "SELECT data FROM records WHERE school_id = $1 AND observation_id = $2 AND kind = 'response'",
    [schoolId, observationId],
  );
  const alive = responses.map((row) => row.data).filter((r) => r.deletedAt === undefined);
  const summary = summarise(installed.content, byResponseKey(alive), observation);
  await tx.query(
    'INSERT INTO summaries (school_id, observation_id, data) VALUES ($1, $2, $3) ON CONFLICT (school_id, observation_id) DO UPDATE SET data = EXCLUDED.data',
    [schoolId, observationId, JSON.stringify(summary)],
  );
}
