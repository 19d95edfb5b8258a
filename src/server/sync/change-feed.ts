/**
 * How a change made through one server process reaches the event streams (`GET /api/sync/events`) of every process
 * on the same database, so a tablet hears of a hand-over within a second whichever process its stream landed on.
 *
 * - On PostgreSQL, each process keeps one listening connection (`LISTEN meekijken_changes`, outside the pool:
 *   src/server/db/postgres-listener.ts). After a transaction that changed something of a school has committed, the
 *   route calls `publish`, which sends `pg_notify('meekijken_changes', schoolId)`; PostgreSQL delivers it to every
 *   listening process, this one included, and each tells its own streams of that school (src/server/sync/
 *   school-changes.ts, which coalesces bursts). The payload is the school id and nothing else: whoever can read the
 *   channel learns that a school changed, never what.
 * - When the listening connection breaks (PostgreSQL restarts), notifications sent meanwhile are lost. It connects
 *   again by itself, and then tells every open stream "changed": the devices pull, and a pull finds whatever was
 *   missed. While it is away, this process's own changes are told to its own streams directly.
 * - On PGlite there is one process by construction (it locks its directory), so `publish` tells this process's
 *   streams directly and nothing goes through the database.
 *
 * `publish` never throws: the change is committed whatever happens to the news of it, and a device that missed the
 * news finds the change at its next periodic sync.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database';
import type { SchoolChanges } from './school-changes';

/** The channel every Meekijken process on a database listens on. Its payload is a school id. */
export const CHANGES_CHANNEL = 'meekijken_changes';
/** Longer is not a school id of ours (ids are at most 200 characters): ignored. */
const MAX_SCHOOL_ID = 200;

export interface ChangeFeed {
  /** A committed transaction changed something of this school: every process tells that school's streams. */
  publish(schoolId: string): Promise<void>;
  /** Stops listening (the server stops). */
  close(): Promise<void>;
}

export async function openChangeFeed(
  database: Database,
  changes: SchoolChanges,
  log: Pick<FastifyBaseLogger, 'info' | 'warn'>,
): Promise<ChangeFeed> {
  if (!database.listen) {
    // PGlite: this process is the only one, so its streams are all the streams there are.
    return {
      publish: async (schoolId) => changes.notify(schoolId),
      close: async () => changes.close(),
    };
  }
  const listening = await database.listen(CHANGES_CHANNEL, {
    notification(schoolId) {
      if (schoolId.length <= MAX_SCHOOL_ID) changes.notify(schoolId);
    },
    lost(error, retryInMs) {
      log.warn(
        { err: error },
        `change events: the listening connection to PostgreSQL failed (${error.message}); trying again in ${retryInMs} ms. Devices on this process hear of changes through other processes at their periodic sync meanwhile.`,
      );
    },
    restored() {
      log.info('change events: listening to PostgreSQL again; every open stream is told to sync');
      changes.notifyAll();
    },
  });
  return {
    async publish(schoolId) {
      // Without a listening connection this process would not hear its own notification: tell its streams now.
      if (!listening.active) changes.notify(schoolId);
      try {
        await database.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, schoolId]);
      } catch (error) {
        changes.notify(schoolId);
        log.warn(
          { err: error, schoolId },
          'change events: could not notify the other server processes; their devices see the change at their next sync',
        );
      }
    },
    async close() {
      changes.close();
      await listening.close();
    },
  };
}
