/**
 * Joint maximum likelihood of the item thresholds: each estimated item's thresholds as parameters (shared or at a
 * fixed distance next to unused levels), their start values, and the loop of Newton rounds over teachers and items
 * until no parameter moves more than the tolerance.
 */
import { levelWeights } from '../partial-credit';
import { levelMomentsInto, MAX_NEWTON_STEP, mean, newtonStep, solveInPlace } from './formulas';
import { collectPairs, type Pairs, type ResponseMatrix } from './response-matrix';
import type { Selection } from './selection';
import type { RaschConvergence } from './types';

/**
 * An estimated item: its thresholds are parameters plus fixed offsets, δ_j = d[param_j] + offset_j, so thresholds
 * next to unused levels can share a parameter or follow one at a fixed distance. A parameter's statistic is
 * S_g(k) = Σ_{j in group g} [k ≥ j], the number of its steps a rating at level k has taken.
 */
export interface FreeItem {
  item: number;
  levels: number;
  thresholds: Float64Array;
  paramStart: number;
  paramCount: number;
  /** Per threshold, its parameter (global index) and offset. */
  thresholdParam: Int32Array;
  thresholdOffset: Float64Array;
  /** S_g(k), row-major paramCount × levels. */
  groupScore: Float64Array;
  /** Σ over the item's ratings of S_g(level). */
  observed: Float64Array;
  /** Where its paramCount × paramCount covariance block starts. */
  covarianceStart: number;
  unusedLevels: number[];
  responsesUsed: number;
}

/** Groups an item's thresholds into parameters by the levels its ratings used (see the comment in `index.ts`). */
export function freeItemModel(
  item: number,
  histogram: Float64Array,
  levels: number,
  paramStart: number,
  spacing: number,
): FreeItem {
  const used: number[] = [];
  const unusedLevels: number[] = [];
  for (let k = 0; k < levels; k++) (histogram[k]! > 0 ? used : unusedLevels).push(k);
  const paramCount = used.length - 1;
  const thresholdParam = new Int32Array(levels - 1);
  const thresholdOffset = new Float64Array(levels - 1);
  const first = used[0]!;
  const last = used[used.length - 1]!;
  for (let j = 1; j < levels; j++) {
    // Threshold j is the step from level j − 1 to level j.
    let group: number;
    let offset = 0;
    if (j <= first) {
      group = 0;
      offset = -(first + 1 - j) * spacing;
    } else if (j > last) {
      group = paramCount - 1;
      offset = (j - last) * spacing;
    } else {
      group = used.findIndex((level) => level >= j) - 1;
    }
    thresholdParam[j - 1] = paramStart + group;
    thresholdOffset[j - 1] = offset;
  }
  const groupScore = new Float64Array(paramCount * levels);
  for (let j = 1; j < levels; j++) {
    const g = thresholdParam[j - 1]! - paramStart;
    for (let k = j; k < levels; k++) groupScore[g * levels + k] = groupScore[g * levels + k]! + 1;
  }
  const observed = new Float64Array(paramCount);
  let responsesUsed = 0;
  for (let k = 0; k < levels; k++) {
    responsesUsed += histogram[k]!;
    for (let g = 0; g < paramCount; g++) observed[g] = observed[g]! + histogram[k]! * groupScore[g * levels + k]!;
  }
  return {
    item,
    levels,
    thresholds: new Float64Array(levels - 1),
    paramStart,
    paramCount,
    thresholdParam,
    thresholdOffset,
    groupScore,
    observed,
    covarianceStart: 0,
    unusedLevels,
    responsesUsed,
  };
}

/** Start values: each parameter at the log-odds of the neighbouring used levels' counts. */
export function startParameters(model: FreeItem, histogram: Float64Array, params: Float64Array): void {
  const used: number[] = [];
  for (let k = 0; k < model.levels; k++) if (histogram[k]! > 0) used.push(k);
  for (let g = 0; g < model.paramCount; g++) {
    params[model.paramStart + g] = Math.log(histogram[used[g]!]! / histogram[used[g + 1]!]!);
  }
}

export function applyParameters(model: FreeItem, params: Float64Array): void {
  for (let j = 0; j < model.levels - 1; j++)
    model.thresholds[j] = params[model.thresholdParam[j]!]! + model.thresholdOffset[j]!;
}

/** Shifts all parameters so the mean item location (mean threshold) is 0. */
function centreItems(models: readonly FreeItem[], params: Float64Array): void {
  for (const model of models) applyParameters(model, params);
  const centre = models.reduce((sum, model) => sum + mean(model.thresholds), 0) / models.length;
  for (let q = 0; q < params.length; q++) params[q] = params[q]! - centre;
  for (const model of models) applyParameters(model, params);
}

interface JmlResult {
  convergence: Omit<RaschConvergence, 'biasFactor' | 'ratingsPerPerson'>;
  theta: Float64Array;
  /** Σ item information per free item at the final abilities. */
  information: Float64Array;
}

/**
 * One round of person steps: θ_n += (r_n − Σ E) / Σ Var, the Newton step on teacher n's score equation, for every
 * teacher in the estimation. Returns the largest change.
 */
function personRound(
  pairs: Pairs,
  personUsed: Uint8Array,
  modelOf: ReadonlyArray<FreeItem | undefined>,
  theta: Float64Array,
  weights: Float64Array,
  moments: Float64Array,
): number {
  let maxChange = 0;
  for (let p = 0; p < theta.length; p++) {
    if (!personUsed[p]) continue;
    let score = 0;
    let expected = 0;
    let information = 0;
    const t = theta[p]!;
    for (let e = pairs.start[p]!; e < pairs.start[p + 1]!; e++) {
      const model = modelOf[pairs.item[e]!]!;
      const total = levelWeights(t, model.thresholds, weights);
      levelMomentsInto(weights, model.levels, total, moments);
      const c = pairs.count[e]!;
      score += pairs.score[e]!;
      expected += c * moments[0]!;
      information += c * moments[1]!;
    }
    const step = newtonStep(score - expected, -information);
    theta[p] = t + step;
    maxChange = Math.max(maxChange, Math.abs(step));
  }
  return maxChange;
}

/**
 * One round of item steps: for each item, the Newton step on all its parameters at once. The gradient of the
 * log-likelihood in parameter g is Σ (E[S_g] − S_g(x)) over the item's ratings, the Hessian −Σ Cov(S_g, S_h).
 */
function itemRound(
  pairs: Pairs,
  personUsed: Uint8Array,
  models: readonly FreeItem[],
  modelOf: ReadonlyArray<FreeItem | undefined>,
  theta: Float64Array,
  params: Float64Array,
  expected: Float64Array,
  covariance: Float64Array,
  weights: Float64Array,
): void {
  expected.fill(0);
  covariance.fill(0);
  const es = new Float64Array(models.reduce((most, model) => Math.max(most, model.paramCount), 1));
  for (let p = 0; p < theta.length; p++) {
    if (!personUsed[p]) continue;
    const t = theta[p]!;
    for (let e = pairs.start[p]!; e < pairs.start[p + 1]!; e++) {
      const model = modelOf[pairs.item[e]!]!;
      const k = model.levels;
      const total = levelWeights(t, model.thresholds, weights);
      const c = pairs.count[e]! / total;
      const gCount = model.paramCount;
      const score = model.groupScore;
      for (let g = 0; g < gCount; g++) {
        let sum = 0;
        for (let level = 1; level < k; level++) sum += weights[level]! * score[g * k + level]!;
        es[g] = sum / total;
        expected[model.paramStart + g] = expected[model.paramStart + g]! + pairs.count[e]! * es[g]!;
      }
      for (let g = 0; g < gCount; g++) {
        for (let h = g; h < gCount; h++) {
          let sum = 0;
          for (let level = 1; level < k; level++)
            sum += weights[level]! * score[g * k + level]! * score[h * k + level]!;
          const cov = c * sum - pairs.count[e]! * es[g]! * es[h]!;
          const at = model.covarianceStart + g * gCount + h;
          covariance[at] = covariance[at]! + cov;
        }
      }
    }
  }
  for (const model of models) {
    const n = model.paramCount;
    const a = new Float64Array(n * n);
    const b = new Float64Array(n);
    for (let g = 0; g < n; g++) {
      b[g] = expected[model.paramStart + g]! - model.observed[g]!;
      for (let h = g; h < n; h++) {
        const value = covariance[model.covarianceStart + g * n + h]!;
        a[g * n + h] = value;
        a[h * n + g] = value;
      }
    }
    const diagonal = Array.from({ length: n }, (_, g) => a[g * n + g]!);
    if (!solveInPlace(a, b, n)) for (let g = 0; g < n; g++) b[g] = newtonStep(b[g]!, -diagonal[g]!, Infinity);
    let largest = 0;
    for (let g = 0; g < n; g++) largest = Math.max(largest, Math.abs(b[g]!));
    const scale = largest > MAX_NEWTON_STEP ? MAX_NEWTON_STEP / largest : 1;
    for (let g = 0; g < n; g++) params[model.paramStart + g] = params[model.paramStart + g]! + scale * b[g]!;
  }
}

export function jointMaximumLikelihood(
  matrix: ResponseMatrix,
  selection: Selection,
  models: readonly FreeItem[],
  params: Float64Array,
  maxIterations: number,
  tolerance: number,
): JmlResult {
  const persons = matrix.personIds.length;
  const modelOf: Array<FreeItem | undefined> = new Array<FreeItem | undefined>(matrix.levels.length);
  for (const model of models) modelOf[model.item] = model;
  const pairs = collectPairs(matrix, selection.personUsed, selection.itemFree);
  const weights = new Float64Array(Math.max(2, ...matrix.levels) + 1);
  const moments = new Float64Array(4);

  let covarianceSize = 0;
  for (const model of models) {
    model.covarianceStart = covarianceSize;
    covarianceSize += model.paramCount * model.paramCount;
  }
  const expected = new Float64Array(params.length);
  const covariance = new Float64Array(covarianceSize);
  centreItems(models, params);

  // Start each teacher at the log-odds of their score.
  const theta = new Float64Array(persons);
  for (let p = 0; p < persons; p++) {
    let score = 0;
    let max = 0;
    for (let e = pairs.start[p]!; e < pairs.start[p + 1]!; e++) {
      score += pairs.score[e]!;
      max += pairs.count[e]! * (matrix.levels[pairs.item[e]!]! - 1);
    }
    theta[p] = Math.log((score + 0.5) / (max - score + 0.5));
  }

  const previous = new Float64Array(params.length);
  let iterations = 0;
  let maxChange = Infinity;
  while (iterations < maxIterations && maxChange >= tolerance) {
    iterations++;
    maxChange = personRound(pairs, selection.personUsed, modelOf, theta, weights, moments);
    previous.set(params);
    itemRound(pairs, selection.personUsed, models, modelOf, theta, params, expected, covariance, weights);
    centreItems(models, params);
    for (let q = 0; q < params.length; q++) maxChange = Math.max(maxChange, Math.abs(params[q]! - previous[q]!));
  }

  const information = new Float64Array(matrix.levels.length);
  for (let p = 0; p < persons; p++) {
    if (!selection.personUsed[p]) continue;
    for (let e = pairs.start[p]!; e < pairs.start[p + 1]!; e++) {
      const i = pairs.item[e]!;
      const model = modelOf[i]!;
      const total = levelWeights(theta[p]!, model.thresholds, weights);
      levelMomentsInto(weights, model.levels, total, moments);
      information[i] = information[i]! + pairs.count[e]! * moments[1]!;
    }
  }
  return { convergence: { converged: maxChange < tolerance, iterations, maxChange }, theta, information };
}
