/**
 * Person measures: Warm's weighted likelihood estimate (WLE) of a teacher's ability against items with known
 * thresholds, with its standard error, for one set of ratings or for every teacher in a set of observations.
 */
import { levelWeights, usableThresholds } from '../partial-credit';
import { levelMomentsInto, newtonStep, standardErrorFromInformation, warmCorrection } from './formulas';
import { buildResponseMatrix, collectPairs, type ResponseMatrix } from './response-matrix';
import type { CalibratedItem, RaschObservation, RaschPersonEstimate } from './types';

interface WarmResult {
  theta: number;
  information: number;
  iterations: number;
}

/**
 * Warm's WLE for one teacher: the root of r − Σ c·E[X] + J/(2I) = 0 over their rating groups e (c_e ratings of an
 * item with thresholds `stepsOf(e)`, `score` the sum of all their levels), by Newton–Raphson on that equation (its
 * derivative is −I + (J′·I − J²)/(2I²), with J′ = Σ c·κ₄), each step clamped to 1 logit.
 */
function warmEstimate(
  from: number,
  to: number,
  stepsOf: (e: number) => ArrayLike<number>,
  counts: ArrayLike<number>,
  score: number,
  start: number,
  weights: Float64Array,
): WarmResult {
  const moments = new Float64Array(4);
  const evaluate = (theta: number): [number, number, number, number] => {
    let expected = 0;
    let information = 0;
    let skewness = 0;
    let kurtosis = 0;
    for (let e = from; e < to; e++) {
      const steps = stepsOf(e);
      const total = levelWeights(theta, steps, weights);
      levelMomentsInto(weights, steps.length + 1, total, moments);
      const c = counts[e]!;
      expected += c * moments[0]!;
      information += c * moments[1]!;
      skewness += c * moments[2]!;
      kurtosis += c * moments[3]!;
    }
    return [expected, information, skewness, kurtosis];
  };
  let theta = start;
  let iterations = 0;
  for (; iterations < 100; iterations++) {
    const [expected, information, skewness, kurtosis] = evaluate(theta);
    const equation = score - expected + warmCorrection(skewness, information);
    const slope = -information + (kurtosis * information - skewness * skewness) / (2 * information * information);
    const step = newtonStep(equation, slope < 0 ? slope : -information);
    theta += step;
    if (Math.abs(step) < 1e-10) break;
  }
  return { theta, information: evaluate(theta)[1], iterations };
}

/**
 * Warm's weighted likelihood estimate of one ability from ratings on items with known thresholds (`count` repeats
 * of the same rating, default 1), with its standard error 1/√I(θ̂). It maximises log L(θ) + ½ log I(θ).
 * A rating whose level is not one of 0 … K−1, whose thresholds are not finite logits or whose count is not a
 * positive finite number is left out and counted (`ignoredRatings`).
 */
export function weightedLikelihoodAbility(
  given: ReadonlyArray<{ steps: readonly number[]; level: number; count?: number }>,
): { theta: number; standardError: number; iterations: number; ignoredRatings: number } {
  const ratings = given.filter(
    (r) =>
      r.steps.length > 0 &&
      usableThresholds(r.steps) &&
      Number.isInteger(r.level) &&
      r.level >= 0 &&
      r.level <= r.steps.length &&
      (r.count === undefined || (Number.isFinite(r.count) && r.count > 0)),
  );
  if (ratings.length === 0) throw new RangeError('weightedLikelihoodAbility: no usable ratings');
  const counts = ratings.map((r) => r.count ?? 1);
  const score = ratings.reduce((sum, r, e) => sum + r.level * counts[e]!, 0);
  const weights = new Float64Array(Math.max(...ratings.map((r) => r.steps.length)) + 1);
  const result = warmEstimate(0, ratings.length, (e) => ratings[e]!.steps, counts, score, 0, weights);
  return {
    theta: result.theta,
    standardError: standardErrorFromInformation(result.information),
    iterations: result.iterations,
    ignoredRatings: given.length - ratings.length,
  };
}

/** The WLE of every teacher with ratings, against the items' thresholds `itemSteps` (one per item of the matrix). */
export function measurePersons(
  matrix: ResponseMatrix,
  itemSteps: readonly Float64Array[],
  personUsed: Uint8Array | null,
): { persons: RaschPersonEstimate[]; unmeasured: string[] } {
  const pairs = collectPairs(matrix, null, null);
  const weights = new Float64Array(Math.max(2, ...matrix.levels) + 1);
  const persons: RaschPersonEstimate[] = [];
  const unmeasured: string[] = [];
  const stepsOf = (e: number): Float64Array => itemSteps[pairs.item[e]!]!;
  matrix.personIds.forEach((personId, p) => {
    const from = pairs.start[p]!;
    const to = pairs.start[p + 1]!;
    if (from === to) {
      unmeasured.push(personId);
      return;
    }
    let score = 0;
    let maxScore = 0;
    let responses = 0;
    for (let e = from; e < to; e++) {
      score += pairs.score[e]!;
      maxScore += pairs.count[e]! * (matrix.levels[pairs.item[e]!]! - 1);
      responses += pairs.count[e]!;
    }
    const start = Math.log((score + 0.5) / (maxScore - score + 0.5));
    const wle = warmEstimate(from, to, stepsOf, pairs.count, score, start, weights);
    persons.push({
      personId,
      theta: wle.theta,
      standardError: standardErrorFromInformation(wle.information),
      observations: matrix.observations[p]!,
      responses,
      score,
      maxScore,
      extreme: score === 0 ? 'minimum' : score === maxScore ? 'maximum' : null,
      usedForItems: personUsed ? personUsed[p] === 1 : false,
    });
  });
  return { persons, unmeasured };
}

/**
 * Every teacher's ability (WLE) against items whose thresholds are already known, e.g. a stored `estimateRasch`
 * result, without re-estimating the items. Ratings of items not in `items`, of items whose thresholds are not
 * finite logits (`usableThresholds`), or with a level outside the item's scale are ignored and counted.
 */
export function estimateAbilities(
  observations: readonly RaschObservation[],
  calibrated: readonly CalibratedItem[],
): {
  persons: RaschPersonEstimate[];
  unmeasuredPersonIds: string[];
  ignoredResponses: number;
  outOfScaleLevels: number;
} {
  const items = calibrated.filter((item) => item.thresholds.length > 0 && usableThresholds(item.thresholds));
  const matrix = buildResponseMatrix(
    observations,
    items.map((item) => item.itemId),
    items.map((item) => item.thresholds.length + 1),
  );
  const { persons, unmeasured } = measurePersons(
    matrix,
    items.map((item) => Float64Array.from(item.thresholds)),
    null,
  );
  return {
    persons,
    unmeasuredPersonIds: unmeasured,
    ignoredResponses: matrix.ignored,
    outOfScaleLevels: matrix.outOfScale,
  };
}
