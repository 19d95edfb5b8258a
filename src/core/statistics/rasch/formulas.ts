/**
 * The small formulas the estimation is built from: a clamped Newton–Raphson step, Warm's correction, the JML bias
 * factor, standard errors, the moments of one rating, a small linear solver and a mean.
 */

/** The largest change in logits a single Newton–Raphson step may make, so a poor start cannot overshoot. */
export const MAX_NEWTON_STEP = 1;

/**
 * One Newton–Raphson step for maximising a concave log-likelihood in one parameter: Δ = −ℓ′ / ℓ″, with ℓ′ the first
 * derivative (`gradient`) and ℓ″ < 0 the second (`curvature`), clamped to ±`maxStep` logits.
 */
export function newtonStep(gradient: number, curvature: number, maxStep = MAX_NEWTON_STEP): number {
  if (!(curvature < 0)) return gradient > 0 ? maxStep : gradient < 0 ? -maxStep : 0;
  const step = -gradient / curvature;
  return Math.max(-maxStep, Math.min(maxStep, step));
}

/**
 * Warm's correction term J(θ) / (2 I(θ)), added to the score equation r − E(θ) = 0 to give the WLE: it removes the
 * first-order bias of the ML estimate and keeps the estimate finite for extreme scores. I is the test information
 * (Σ Var of each rating) and J = dI/dθ (Σ third central moment of each rating).
 */
export function warmCorrection(skewness: number, information: number): number {
  return skewness / (2 * information);
}

/** The JML bias correction (L − 1) / L for L ratings per person (1 when L ≤ 1). */
export function jmlBiasFactor(ratingsPerPerson: number): number {
  return ratingsPerPerson > 1 ? (ratingsPerPerson - 1) / ratingsPerPerson : 1;
}

/** The standard error of an ML-type estimate: 1 / √(information). */
export function standardErrorFromInformation(information: number): number {
  return information > 0 ? 1 / Math.sqrt(information) : Infinity;
}

/**
 * The moments of the level X of one rating at θ, from the level weights of `levelWeights` (K of them, summing to
 * `total`): out[0] = E[X] (expected score), out[1] = Var X (item information), out[2] = E[(X − E X)³] (its
 * derivative dI/dθ, the J of Warm's correction), out[3] = the fourth cumulant (dJ/dθ).
 */
export function levelMomentsInto(weights: Float64Array, levelCount: number, total: number, out: Float64Array): void {
  let mean = 0;
  for (let k = 1; k < levelCount; k++) mean += k * weights[k]!;
  mean /= total;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let k = 0; k < levelCount; k++) {
    const d = k - mean;
    const p = weights[k]! / total;
    const d2 = d * d;
    m2 += d2 * p;
    m3 += d2 * d * p;
    m4 += d2 * d2 * p;
  }
  out[0] = mean;
  out[1] = m2;
  out[2] = m3;
  out[3] = m4 - 3 * m2 * m2;
}

/** Solves the small symmetric system A·x = b in place (b becomes x) by Gaussian elimination; false if singular. */
export function solveInPlace(a: Float64Array, b: Float64Array, n: number): boolean {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++)
      if (Math.abs(a[row * n + col]!) > Math.abs(a[pivot * n + col]!)) pivot = row;
    const diagonal = a[pivot * n + col]!;
    if (!(Math.abs(diagonal) > 1e-12)) return false;
    if (pivot !== col) {
      for (let k = 0; k < n; k++) {
        const t = a[col * n + k]!;
        a[col * n + k] = a[pivot * n + k]!;
        a[pivot * n + k] = t;
      }
      const t = b[col]!;
      b[col] = b[pivot]!;
      b[pivot] = t;
    }
    for (let row = col + 1; row < n; row++) {
      const factor = a[row * n + col]! / a[col * n + col]!;
      if (factor === 0) continue;
      for (let k = col; k < n; k++) a[row * n + k] = a[row * n + k]! - factor * a[col * n + k]!;
      b[row] = b[row]! - factor * b[col]!;
    }
  }
  for (let row = n - 1; row >= 0; row--) {
    let sum = b[row]!;
    for (let k = row + 1; k < n; k++) sum -= a[row * n + k]! * b[k]!;
    b[row] = sum / a[row * n + row]!;
  }
  return true;
}

/** The arithmetic mean of the values; 0 when there are none. */
export const mean = (values: ArrayLike<number>): number => {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length > 0 ? sum / values.length : 0;
};
