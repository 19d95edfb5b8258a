/**
 * A device pulls what changed since its cursor (src/core/sync/protocol.ts). The server reads the school's records
 * in version order, a page at a time, and sends each one only when the signed-in person may hold it
 * (`mayReceive`, the core's privacy rules). What the person may not see is skipped, but the cursor moves past it,
 * so a page can be empty and still say `more`. Records of observations the person has nothing to do with are not
 * even read: if that changes (a share), they are renumbered and come by again.
 *
 * Taking back: every change of who may see an observation renumbers everything recorded in it (push.ts), so it
 * comes by again. A device that was sent the observation before (`deliveries`, per device) and whose person may no
 * longer see it is told it is `gone`; a device that never had it learns nothing, not even that it exists. Goals and
 * requests are taken back the same way (a starter withdraws a goal shared with their coach, the school gives a
 * starter another coach): their deliveries are kept under `goal:<id>` and `request:<id>` (a decline under its
 * request's), so a key never meets an observation's id.
 *
 * A colleague's e-mail address is left out of a person's record for anyone but that person and the administrators
 * (`asReceived`).
 */
import type { Database } from '../db/database';
import type { PullResponse } from '../../core/sync/protocol';
import { asReceived, mayReceive } from '../../core/sync/audience';
import { PULL_PAGE } from '../../core/sync/protocol';
import { receivedContext } from './context';
import type { StoredRecord } from '../db/records';
import type { SyncSession } from './push';
import type { RecordKind } from '../../core/sync/change';

/**
 * What a device's delivery of a record is kept under, for taking it back, and what it is then told is gone: the
 * observation for what is recorded in one, the goal itself, the request for a request and its declines.
 */
function deliveryOf(row: Pick<StoredRecord, 'kind' | 'id' | 'data' | 'observation_id'>):
  | {
      key: string;
      gone: { kind: RecordKind; id: string };
    }
  | undefined {
  if (row.observation_id) return { key: row.observation_id, gone: { kind: 'observation', id: row.observation_id } };
  if (row.kind === 'goal') return { key: `goal:${row.id}`, gone: { kind: 'goal', id: row.id } };
  const requestId = row.kind === 'request' ? row.id : row.kind === 'decline' ? row.data.requestId : undefined;
  if (typeof requestId === 'string') return { key: `request:${requestId}`, gone: { kind: 'request', id: requestId } };
  return undefined;
}

export async function pullChanges(
  database: Database,
  session: SyncSession,
  since: number,
  limit = PULL_PAGE,
): Promise<PullResponse> {
  return database.transaction(async (tx) => {
    // A first narrowing in SQL: of what is recorded in observations, only those the person takes part in, those
    // shared with the leadership (for a leader), those a starter shared with their coach (for that coach) and those
    // this device was sent (it may have to hear they are gone).
    // `mayReceive` below still decides every record; this only spares reading the rest of the school.
    const rows = await tx.query<StoredRecord>(
      `WITH candidates AS (
         SELECT o.id FROM records o
         WHERE o.school_id = $1 AND o.kind = 'observation'
           AND (o.data->>'observerId' = $4 OR o.data->>'observedId' = $4
                OR ($5 AND EXISTS (SELECT 1 FROM records r WHERE r.school_id = $1 AND r.kind = 'reflection' AND r.id = o.id AND r.data ? 'sharedWithLeaderAt'))
                OR ($7 AND EXISTS (SELECT 1 FROM records r WHERE r.school_id = $1 AND r.kind = 'reflection' AND r.id = o.id AND r.data ? 'sharedWithCoachAt')
                       AND EXISTS (SELECT 1 FROM records p WHERE p.school_id = $1 AND p.kind = 'person' AND p.id = o.data->>'observedId' AND p.data->>'coachId' = $4)))
         UNION SELECT observation_id FROM deliveries WHERE session_id = $6
       )
       SELECT kind, id, data, version, observation_id FROM records
       WHERE school_id = $1 AND version > $2 AND (observation_id IS NULL OR observation_id IN (SELECT id FROM candidates))
       ORDER BY version LIMIT $3`,
      [
        session.schoolId,
        since,
        limit,
        session.person.id,
        session.person.role === 'leader',
        session.sessionId,
        session.person.role === 'coach',
      ],
    );
    const context = await receivedContext(tx, session.schoolId, rows, session.person.role === 'coach');
    const keys = [...new Set(rows.flatMap((row) => deliveryOf(row)?.key ?? []))];
    const delivered = new Set(
      keys.length === 0
        ? []
        : (
            await tx.query<{ observation_id: string }>(
              'SELECT observation_id FROM deliveries WHERE session_id = $1 AND observation_id = ANY($2)',
              [session.sessionId, keys],
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
      const delivery = deliveryOf(row);
      if (mayReceive(session.person, row.kind, row.data, context(row))) {
        response.records.push({
          kind: row.kind,
          id: row.id,
          version: row.version,
          data: asReceived(session.person, row.kind, row.data),
        });
        if (delivery) sent.add(delivery.key);
      } else if (delivery && delivered.has(delivery.key) && !taken.has(delivery.key)) {
        taken.add(delivery.key);
        response.gone.push(delivery.gone);
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
