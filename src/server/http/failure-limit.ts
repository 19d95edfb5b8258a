/**
 * A cap on failed sign-ins per minute for the whole server, on top of the per-address limit: an attacker with
 * many addresses still gets only so many guesses. With at most 100 wrong codes a minute and, say, 100 live codes
 * among 31^8 ≈ 8.5·10^11, one guess in about 8.5·10^9 hits: decades of guessing per expected hit. The cost is that
 * during an attack people with a right code also wait for the next minute; the log says it happens.
 */
export const FAILED_SIGN_INS_PER_MINUTE = 100;
const MINUTE_MS = 60_000;

export interface FailureLimit {
  /** Whether this minute's failures are used up. */
  exhausted(): boolean;
  record(): void;
}

export function failureLimit(max: number, now: () => number): FailureLimit {
  let windowStart = Number.NEGATIVE_INFINITY;
  let failures = 0;
  const roll = () => {
    const at = now();
    if (at - windowStart >= MINUTE_MS) {
      windowStart = at;
      failures = 0;
    }
  };
  return {
    exhausted() {
      roll();
      return failures >= max;
    },
    record() {
      roll();
      failures += 1;
    },
  };
}
