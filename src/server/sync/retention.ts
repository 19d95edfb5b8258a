/**
 * What the server keeps of its sync bookkeeping, and for how long (README, "School server"):
 * - `applied_changes`, the answer to each change id, so a change sent again is answered as before: a row goes as soon
 *   as the session that sent it pushes a change its device numbered later (push.ts, `acknowledge`: a device removes a
 *   change from its outbox only once it heard the answer, pushes the oldest first, and one sync runs at a time on it).
 *   A device whose session ended before it heard (revoked, or unused for 60 days: a tablet in a drawer for a term)
 *   sends what waits again after its person signs in anew, under a new session: so rows of an ended session stay
 *   `ANSWERS_KEPT_MS` after they arrived, longer than any device stays away and still holds its outbox in practice.
 * - `deliveries`, which observations a session was sent (to tell it what it may no longer see): gone with the session.
 * Each process prunes at start and every `PRUNE_EVERY_MS`; deleting what another process deleted already is harmless.
 */
import type { Database } from '../db/database';
import { LIVE } from '../accounts/sessions';

const DAY_MS = 24 * 60 * 60_000;
/** Eighteen months: a school year and a half. */
export const ANSWERS_KEPT_MS = 548 * DAY_MS;
const PRUNE_EVERY_MS = 6 * 60 * 60_000;

export interface Pruned {
  answers: number;
  deliveries: number;
}

/** Deletes the bookkeeping no device can need any more (see above), at `now`. */
export async function pruneBookkeeping(database: Database, now: number): Promise<Pruned> {
  const [answers] = await database.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM applied_changes a WHERE a.received_at < $1
         AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = a.session_id AND ${LIVE('$2')})
       RETURNING 1
     ) SELECT count(*)::int AS n FROM gone`,
    [now - ANSWERS_KEPT_MS, now],
  );
  const [deliveries] = await database.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM deliveries d WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = d.session_id AND ${LIVE('$1')})
       RETURNING 1
     ) SELECT count(*)::int AS n FROM gone`,
    [now],
  );
  return { answers: answers?.n ?? 0, deliveries: deliveries?.n ?? 0 };
}

/** Prunes now and every few hours until the returned function is called; failures are logged, never thrown. */
export function schedulePruning(
  database: Database,
  now: () => number,
  log: { info(details: object, message: string): void; warn(details: object, message: string): void },
): () => void {
  const prune = () =>
    pruneBookkeeping(database, now()).then(
      (pruned) => {
        if (pruned.answers + pruned.deliveries > 0) log.info(pruned, 'sync bookkeeping pruned');
      },
      (error: unknown) => log.warn({ err: error }, 'sync bookkeeping could not be pruned; trying again later'),
    );
  void prune();
  const timer = setInterval(() => void prune(), PRUNE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
