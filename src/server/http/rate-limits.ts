/**
 * Rate limits kept in the database (`rate_limits`, migration 003), so that every server process on one PostgreSQL
 * counts together: a board that runs four processes behind its proxy still allows 10 sign-ins a minute per address
 * and 100 failed ones a minute in all, not four times as many. On PGlite (one process) the same table serves one.
 *
 * Each key is a fixed window that starts at its first counted request and lasts `windowMs`; a request after its end
 * starts a new one. Counting is a single upsert, atomic in the database: two processes counting the same key at the
 * same moment both count, and the one that crosses the limit is refused wherever it arrived. Windows that have ended
 * are deleted now and then (at most once a minute per process), so the table holds only the current minute's keys.
 *
 * Keys name what is counted in words (`/api/sign-in from 192.0.2.7`, `failed sign-ins`) and hold no secret. Times are
 * the server's injected clock (`app.meekijken.now`), like every other time on the server.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Sql } from '../db/database';

/** How often one process deletes ended windows. */
const PRUNE_EVERY_MS = 60_000;

export interface RateCounters {
  /** Counts one more for `key` in its running window (a new window when none runs); the count and the window's end. */
  hit(key: string, windowMs: number): Promise<{ count: number; windowEnds: number }>;
  /** How many were counted for `key` in its running window (0 when none runs). */
  count(key: string): Promise<number>;
}

export function rateCounters(database: Sql, now: () => number): RateCounters {
  let prunedAt = Number.NEGATIVE_INFINITY;
  return {
    async hit(key, windowMs) {
      const at = now();
      const [row] = await database.query<{ count: number; window_ends: number }>(
        `INSERT INTO rate_limits (key, window_ends, count) VALUES ($1, $3, 1)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN rate_limits.window_ends <= $2 THEN 1 ELSE rate_limits.count + 1 END,
           window_ends = CASE WHEN rate_limits.window_ends <= $2 THEN $3 ELSE rate_limits.window_ends END
         RETURNING count, window_ends`,
        [key, at, at + windowMs],
      );
      if (at - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = at;
        await database.query('DELETE FROM rate_limits WHERE window_ends <= $1', [at]);
      }
      return { count: row!.count, windowEnds: row!.window_ends };
    },
    async count(key) {
      const [row] = await database.query<{ count: number }>(
        'SELECT count FROM rate_limits WHERE key = $1 AND window_ends > $2',
        [key, now()],
      );
      return row?.count ?? 0;
    },
  };
}

/**
 * A store for @fastify/rate-limit that counts in the database. The plugin asks it per request (`incr`, with the
 * route's window); a route's limit gets a child that puts the route's path in its keys, so two limited routes never
 * share a count. The key the plugin passes is the client's address (an IPv6 address as its /56 network).
 */
export function databaseRateLimitStore(counters: RateCounters, now: () => number): FastifyRateLimitStoreCtor {
  class DatabaseStore implements FastifyRateLimitStore {
    private readonly scope: string;

    constructor(_options?: unknown, scope = 'requests') {
      this.scope = scope;
    }

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      counters.hit(`${this.scope} from ${key}`, timeWindow).then(
        ({ count, windowEnds }) => callback(null, { current: count, ttl: Math.max(0, windowEnds - now()) }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    child(routeOptions: unknown): FastifyRateLimitStore {
      // At run time the plugin passes the route's merged limit options, with the route itself as `routeInfo`.
      const route = (routeOptions as { routeInfo?: { url?: string } }).routeInfo;
      return new DatabaseStore(undefined, route?.url ?? this.scope);
    }
  }
  return DatabaseStore;
}
