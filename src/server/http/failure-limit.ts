/**
 * A cap on failed sign-ins per minute for the whole server, on top of the per-address limit: an attacker with
 * many addresses still gets only so many guesses. With at most 100 wrong codes a minute and, say, 100 live codes
 * among 31^8 ≈ 8.5·10^11, one guess in about 8.5·10^9 hits: decades of guessing per expected hit. The cost is that
 * during an attack people with a right code also wait for the next minute; the log says it happens.
 *
 * "The whole server" is every process on the database: the count lives in `rate_limits` (src/server/http/
 * rate-limits.ts), so four processes behind a proxy allow 100 wrong codes a minute together, not 400. The minute
 * starts at the first wrong code and lasts a minute; the next wrong code after it starts another.
 */
import type { RateCounters } from './rate-limits';

export const FAILED_SIGN_INS_PER_MINUTE = 100;
const MINUTE_MS = 60_000;
const KEY = 'failed sign-ins';

export interface FailureLimit {
  /** Whether this minute's failures are used up. */
  exhausted(): Promise<boolean>;
  record(): Promise<void>;
}

export function failureLimit(max: number, counters: RateCounters): FailureLimit {
  return {
    async exhausted() {
      return (await counters.count(KEY)) >= max;
    },
    async record() {
      await counters.hit(KEY, MINUTE_MS);
    },
  };
}
