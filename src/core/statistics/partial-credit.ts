/**
 * The partial-credit model (Masters, 1982), the Rasch model for items scored in ordered levels 0 … K−1.
 *
 * A teacher has an ability θ and an item with K levels has K−1 step thresholds δ_1 … δ_{K−1}, all on the same logit
 * scale. The probability of level k is
 *
 *     P(k | θ, δ) = exp(Σ_{j≤k} (θ − δ_j)) / Σ_{h=0}^{K−1} exp(Σ_{j≤h} (θ − δ_j)),   with the empty sum (k = 0) being 0.
 *
 * With two levels it is the dichotomous Rasch model, P(1) = logistic(θ − δ). When all items share their thresholds'
 * spacing it is the rating-scale model. The demo school draws ratings from it; the estimation of item difficulties
 * and abilities from a school's own observations uses the same functions.
 *
 * At the edges of the scale: the weights are computed as exp(ψ_k − max ψ) (log-sum-exp), so no exponential overflows,
 * and θ is first held within `SATURATION` logits of the outermost thresholds. Beyond that every level but the end one
 * has a weight below e^−800 against it, which is 0 in doubles (the smallest is about e^−745), so holding θ there
 * changes no probability; it makes θ = ±Infinity its limit (all at the top or at the bottom level) and keeps any
 * finite θ, however large, from overflowing ψ. Every finite or infinite θ thus gives finite probabilities summing to
 * 1. An ability that is not a number, or a threshold that is not a logit within ±`MAX_THRESHOLD`, is refused with a
 * RangeError: there is no probability to give for it.
 */

/** The logistic function 1 / (1 + e^(−x)): the dichotomous Rasch probability of success at θ − δ = x. */
export const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

/** The spacing in logits between neighbouring step thresholds when an instrument gives only one difficulty. */
export const DEFAULT_STEP_SPACING = 1.2;

/**
 * Step thresholds spaced `spacing` logits apart and centred on an item's difficulty, so the item's location (the
 * mean of its thresholds) is `difficulty`. Used where an instrument gives one difficulty per item.
 */
export function evenlySpacedSteps(difficulty: number, levelCount: number, spacing = DEFAULT_STEP_SPACING): number[] {
  const steps: number[] = [];
  for (let j = 0; j < levelCount - 1; j++) steps.push(difficulty + spacing * (j - (levelCount - 2) / 2));
  return steps;
}

/** θ is held within this many logits beyond the outermost thresholds: further out nothing changes in doubles. */
const SATURATION = 800;

/**
 * The largest threshold, in logits, the model takes. A rating scale's thresholds span a few logits (the instrument
 * format allows difficulties of ±6, and estimates stay within a few dozen); one beyond ±1e6 is a mistake.
 */
const MAX_THRESHOLD = 1e6;

/** Whether every threshold is a finite logit within ±`MAX_THRESHOLD`: thresholds the model can work with. */
export function usableThresholds(steps: ArrayLike<number>): boolean {
  for (let j = 0; j < steps.length; j++) if (!(Math.abs(steps[j]!) <= MAX_THRESHOLD)) return false;
  return true;
}

/** θ held within `SATURATION` logits of the outermost thresholds (see the file comment); refuses NaN and bad steps. */
function heldTheta(theta: number, steps: ArrayLike<number>): number {
  if (Number.isNaN(theta)) throw new RangeError('partial-credit model: the ability is not a number');
  if (!usableThresholds(steps))
    throw new RangeError(`partial-credit model: thresholds must be finite logits within ±${MAX_THRESHOLD}`);
  if (steps.length === 0) return 0;
  let lowest = Infinity;
  let highest = -Infinity;
  for (let j = 0; j < steps.length; j++) {
    lowest = Math.min(lowest, steps[j]!);
    highest = Math.max(highest, steps[j]!);
  }
  return Math.min(highest + SATURATION, Math.max(lowest - SATURATION, theta));
}

/**
 * The weights exp(Σ_{j≤k} (θ − δ_j) − max) of each level k, proportional to its probability and scaled so the
 * largest is 1 (log-sum-exp: no overflow), written into `into` (reused to spare garbage when drawing many ratings),
 * and their sum (at least 1). Only their ratios mean anything.
 */
export function levelWeights(
  theta: number,
  steps: ArrayLike<number>,
  into: Float64Array = new Float64Array(steps.length + 1),
): number {
  const held = heldTheta(theta, steps);
  let psi = 0;
  let largest = 0;
  into[0] = 0;
  for (let j = 0; j < steps.length; j++) {
    psi += held - steps[j]!;
    into[j + 1] = psi;
    if (psi > largest) largest = psi;
  }
  let total = 0;
  for (let k = 0; k <= steps.length; k++) {
    const weight = Math.exp(into[k]! - largest);
    into[k] = weight;
    total += weight;
  }
  return total;
}

/** P(k | θ, δ) for every level k = 0 … K−1. */
export function levelProbabilities(theta: number, steps: ArrayLike<number>): number[] {
  const weights = new Float64Array(steps.length + 1);
  const total = levelWeights(theta, steps, weights);
  return Array.from(weights, (w) => w / total);
}

/** The expected level E[k | θ, δ] = Σ k · P(k). */
export function expectedLevel(theta: number, steps: ArrayLike<number>): number {
  return levelProbabilities(theta, steps).reduce((sum, p, k) => sum + k * p, 0);
}

/**
 * The item's information at θ, I(θ) = Var[k | θ, δ] = Σ k² · P(k) − E[k]²: how much one rating tells about θ
 * (the curvature of its log-likelihood). A test's information is the sum over its ratings.
 */
export function levelInformation(theta: number, steps: ArrayLike<number>): number {
  const probabilities = levelProbabilities(theta, steps);
  const mean = probabilities.reduce((sum, p, k) => sum + k * p, 0);
  return probabilities.reduce((sum, p, k) => sum + (k - mean) * (k - mean) * p, 0);
}

/** P(k ≥ level | θ, δ): the probability of reaching at least `level` (1 for level 0). */
export function reachProbability(theta: number, steps: ArrayLike<number>, level: number): number {
  const probabilities = levelProbabilities(theta, steps);
  let sum = 0;
  for (let k = Math.max(0, level); k < probabilities.length; k++) sum += probabilities[k]!;
  return sum;
}

/**
 * The log-likelihood of one rating, log P(level | θ, δ) = −log Σ_k exp(ψ_k − ψ_level), computed from the differences
 * ψ_k − ψ_level (a sum of θ − δ_j between the two levels) with the largest taken out, so it is exact far out too,
 * where the probability itself underflows. It is −Infinity only where that log lies beyond the doubles (a finite θ
 * beyond about ±1e308 / K, or an infinite one, for any level but the end one it points to). `level` must be one of
 * 0 … K−1.
 */
export function levelLogLikelihood(theta: number, steps: ArrayLike<number>, level: number): number {
  if (Number.isNaN(theta)) throw new RangeError('partial-credit model: the ability is not a number');
  if (!usableThresholds(steps))
    throw new RangeError(`partial-credit model: thresholds must be finite logits within ±${MAX_THRESHOLD}`);
  if (!Number.isInteger(level) || level < 0 || level > steps.length)
    throw new RangeError(`partial-credit model: level ${level} is not one of 0 … ${steps.length}`);
  // Every difference θ − δ_j has one sign once |θ| > MAX_THRESHOLD, so the sums below never meet ∞ − ∞.
  const differences = new Float64Array(steps.length + 1);
  let largest = 0;
  for (let k = level + 1, d = 0; k <= steps.length; k++) {
    d += theta - steps[k - 1]!;
    differences[k] = d;
    largest = Math.max(largest, d);
  }
  for (let k = level - 1, d = 0; k >= 0; k--) {
    d -= theta - steps[k]!;
    differences[k] = d;
    largest = Math.max(largest, d);
  }
  if (largest === Infinity) return -Infinity;
  let sum = 0;
  for (let k = 0; k <= steps.length; k++) sum += Math.exp(differences[k]! - largest);
  return -(largest + Math.log(sum));
}

const scratch = new Float64Array(32);

/** A level drawn from the model, given a uniform random number `u` in [0, 1). */
export function drawLevel(theta: number, steps: ArrayLike<number>, u: number): number {
  const weights = steps.length < scratch.length ? scratch : new Float64Array(steps.length + 1);
  const total = levelWeights(theta, steps, weights);
  let r = u * total;
  for (let k = 0; k < steps.length; k++) {
    r -= weights[k]!;
    if (r < 0) return k;
  }
  return steps.length;
}
