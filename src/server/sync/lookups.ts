/**
 * The server's lookups for the core's writer rules and content check (src/core/sync/write-intent.ts,
 * src/core/sync/content.ts): reads of the school's records inside the caller's transaction, the same questions a
 * device asks of its own tables.
 */
import type { Database, Sql } from '../db/database';
import type { Instrument } from '../../core/instrument/types';
import { storeLookups, type IntentLookups, type RecordStore } from '../../core/sync/write-intent';
import { validateInstrument } from '../../core/instrument/validate';
import { getRecord } from '../db/records';

/**
 * Installed instrument versions never change, so their content is parsed once per database, school and version:
 * a pushed tap's content check does not read a large instrument again. Bounded: the least recently used go first.
 */
const INSTRUMENT_CACHE = 64;
const instrumentCaches = new WeakMap<Database, Map<string, Instrument>>();

/** Lookups that read the school's records in the caller's transaction. */
export function serverLookups(database: Database, tx: Sql, schoolId: string, now: number): IntentLookups {
  return lookupsOver(database, schoolId, {
    get: async (kind, id) => (await getRecord(tx, schoolId, kind, id))?.data,
    countIn: async (kind, observationId) => {
      const [row] = await tx.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM records WHERE school_id = $1 AND observation_id = $2 AND kind = $3',
        [schoolId, observationId, kind],
      );
      return Number(row?.n ?? 0);
    },
    now: () => now,
  });
}

/** Lookups over any view of the school's records (a push reads through its batch: src/server/sync/push-batch.ts). */
export function lookupsOver(database: Database, schoolId: string, records: RecordStore): IntentLookups {
  let cache = instrumentCaches.get(database);
  if (!cache) instrumentCaches.set(database, (cache = new Map()));
  const contents = cache;
  const store = storeLookups(
    records,
    // An administrator's own instrument is installed only when it passes the same validator the app uses.
    (content) => validateInstrument(content).ok,
  );
  return {
    ...store,
    instrument: async (key) => {
      const cacheKey = `${schoolId}\n${key}`;
      const cached = contents.get(cacheKey);
      if (cached) {
        contents.delete(cacheKey);
        contents.set(cacheKey, cached);
        return cached;
      }
      const content = await store.instrument(key);
      if (!content) return undefined;
      contents.set(cacheKey, content);
      if (contents.size > INSTRUMENT_CACHE) contents.delete(contents.keys().next().value!);
      return content;
    },
  };
}
