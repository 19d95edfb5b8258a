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

/**
 * The unnormalised weights exp(Σ_{j≤k} (θ − δ_j)) of each level k, written into `into` (reused to spare garbage
 * when drawing many ratings), and their sum. Level 0 has weight 1.
 */
export function levelWeights(
  theta: number,
  steps: ArrayLike<number>,
  into: Float64Array = new Float64Array(steps.length + 1),
): number {
  let psi = 0;
  let total = 1;
  into[0] = 1;
  for (let j = 0; j < steps.length; j++) {
    psi += theta - steps[j]!;
    const weight = Math.exp(psi);
    into[j + 1] = weight;
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

/** The log-likelihood of one rating, log P(level | θ, δ) = Σ_{j≤level} (θ − δ_j) − log Σ_h exp(Σ_{j≤h} (θ − δ_j)). */
export function levelLogLikelihood(theta: number, steps: ArrayLike<number>, level: number): number {
  let psi = 0;
  for (let j = 0; j < level; j++) psi += theta - steps[j]!;
  return psi - Math.log(levelWeights(theta, steps));
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
