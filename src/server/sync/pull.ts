/**
 * A device pulls what changed since its cursor (src/core/sync/protocol.ts). The server reads the school's records
 * in version order, a page at a time, and sends each one only when the signed-in person may hold it
 * (`mayReceive`, the core's privacy rules). What the person may not see is skipped, but the cursor moves past it,
 * so a page can be empty and still say `more`. Records of observations the person has nothing to do with are not
 * even read: if that changes (a share), they are renumbered and come by again.
 *
 * Taking back: every change of who may see an observation renumbers everything recorded in it (push.ts), so it
 * comes by again. A device that was sent the observation before (`deliveries`, per device) and whose person may no
 * longer see it is told it is `gone`; a device that never had it learns nothing, not even that it exists.
 */
import type { Database } from '../db/database';
import type { PullResponse } from '../../core/sync/protocol';
import { mayReceive } from '../../core/sync/audience';
import { PULL_PAGE } from '../../core/sync/protocol';
import { receivedContext } from './context';
import type { StoredRecord } from '../db/records';
import type { SyncSession } from './push';

export async function pullChanges(
  database: Database,
  session: SyncSession,
  since: number,
  limit = PULL_PAGE,
): Promise<PullResponse> {
  return database.transaction(async (tx) => {
    // A first narrowing in SQL: of what is recorded in observations, only those the person takes part in, those
    // shared with the leadership (for a leader) and those this device was sent (it may have to hear they are gone).
    // `mayReceive` below still decides every record; this only spares reading the rest of the school.
    const rows = await tx.query<StoredRecord>(
      `WITH candidates AS (
         SELECT o.id FROM records o
         WHERE o.school_id = $1 AND o.kind = 'observation'
           AND (o.data->>'observerId' = $4 OR o.data->>'observedId' = $4
                OR ($5 AND EXISTS (SELECT 1 FROM records r WHERE r.school_id = $1 AND r.kind = 'reflection' AND r.id = o.id AND r.data ? 'sharedWithLeaderAt')))
         UNION SELECT observation_id FROM deliveries WHERE session_id = $6
       )
       SELECT kind, id, data, version, observation_id FROM records
       WHERE school_id = $1 AND version > $2 AND (observation_id IS NULL OR observation_id IN (SELECT id FROM candidates))
       ORDER BY version LIMIT $3`,
      [session.schoolId, since, limit, session.person.id, session.person.role === 'leader', session.sessionId],
    );
    const context = await receivedContext(tx, session.schoolId, rows);
    const observationIds = [...new Set(rows.flatMap((r) => (r.observation_id ? [r.observation_id] : [])))];
    const delivered = new Set(
      observationIds.length === 0
        ? []
        : (
            await tx.query<{ observation_id: string }>(
              'SELECT observation_id FROM deliveries WHERE session_id = $1 AND observation_id = ANY($2)',
              [session.sessionId, observationIds],
            )
          ).map((row) => row.observation_id),
    );
    const response: PullResponse = {
      records: [],
      gone: [],
      cursor: String(rows.at(-1)?.version ?? since),
      more: rows.length === limit,
    };
    const sent = new Set<string>();
    const taken = new Set<string>();
    for (const row of rows) {
      if (mayReceive(session.person, row.kind, row.data, context(row))) {
        response.records.push({ kind: row.kind, id: row.id, version: row.version, data: row.data });
        if (row.observation_id) sent.add(row.observation_id);
      } else if (row.observation_id && delivered.has(row.observation_id) && !taken.has(row.observation_id)) {
        taken.add(row.observation_id);
        response.gone.push({ kind: 'observation', id: row.observation_id });
      }
    }
    const fresh = [...sent].filter((id) => !delivered.has(id));
    if (fresh.length > 0) {
      await tx.query(
        'INSERT INTO deliveries (session_id, observation_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING',
        [session.sessionId, fresh],
      );
    }
    if (taken.size > 0)
      await tx.query('DELETE FROM deliveries WHERE session_id = $1 AND observation_id = ANY($2)', [
        session.sessionId,
        [...taken],
      ]);
    return response;
  });
}
