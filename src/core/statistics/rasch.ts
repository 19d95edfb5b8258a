/**
 * Rasch estimation: item difficulties from a school's own observations, and every teacher's ability, under the
 * partial-credit model of `partial-credit.ts` (items rated in ordered levels 0 … K−1, each item with its own step
 * thresholds δ_i1 … δ_i(K−1); the rating-scale model and the dichotomous Rasch model are special cases).
 *
 * Method: joint maximum likelihood (JML; Wright & Masters 1982, "Rating Scale Analysis"; Linacre's JMLE as in
 * Winsteps) for the item thresholds, then Warm's (1989) weighted likelihood estimate (WLE) of every ability.
 * - JML copes with missing ratings without any imputation: the likelihood is a product over the observed
 *   (teacher, item) ratings only, and in a lesson not every item is seen.
 * - A teacher observed in several lessons is one person with more ratings: the likelihood simply multiplies. So the
 *   ability is assumed constant over the observations passed in; pass a window (e.g. this school year) to measure a
 *   current level. Ratings in one teacher's lessons are not fully independent, so standard errors are a little
 *   optimistic then.
 * - It assumes no distribution of abilities (marginal ML would assume a normal team, untestable with 10–30
 *   teachers) and needs no raw-score conditioning (conditional ML for polytomous items with a different set of
 *   items per teacher needs elementary symmetric functions per missing-data pattern).
 * - It is fast: the data are reduced to counts per (teacher, item, level), so an iteration is one pass over the
 *   teacher × item pairs however many lessons there are (see `estimateRasch` for the measured time).
 * JML's known weaknesses, and what is done about them:
 * - Item estimates are spread out by about L/(L−1) for L ratings per person (Andersen 1973; Wright & Douglas 1977;
 *   exactly 2 for two dichotomous items). The thresholds are multiplied by (L−1)/L (`jmlBiasFactor`), with L the
 *   mean number of ratings per teacher in the estimation (missing ratings lower it, repeated lessons raise it; with
 *   complete data and one lesson per teacher it is the classic number of items).
 * - A teacher with an extreme score (every rating at the lowest or at the highest level) has no finite ML ability.
 *   Such teachers are left out of the item estimation, repeatedly: leaving them out can leave an item with too few
 *   ratings or a single level, and dropping that item can make another teacher's score extreme. Every teacher's
 *   reported ability is the WLE against the final items, which is finite for extreme scores too, with standard
 *   error 1/√I(θ̂) (I = test information).
 *
 * Algorithm: alternate one Newton–Raphson step per teacher (θ_n += (r_n − E_n)/I_n, the person's score equation)
 * with one Newton step per item for all its thresholds at once (the gradient is expected minus observed counts of
 * "reached step j", the Hessian is minus their covariance), each step clamped to 1 logit; after each round centre
 * the item locations (mean thresholds) at 0; stop when no parameter moved more than `tolerance` logits.
 *
 * Levels nobody used: a threshold next to an unused level has no finite ML estimate (δ → ±∞). Rather than
 * re-scoring the item, the thresholds are constrained so the model keeps all K levels:
 * - an unused level between used ones: the steps into and out of it share one threshold ("two steps at once");
 * - unused levels at the bottom or the top: their thresholds lie `stepSpacing` logits apart beyond the nearest
 *   estimated one (the instrument's default spacing, `DEFAULT_STEP_SPACING`).
 * An item whose ratings all sit at one level (everyone at the maximum, say) says nothing about where it lies: it
 * keeps its default difficulty. The constrained levels are reported per item (`unusedLevels`).
 *
 * Too little data (`MIN_PERSONS_FOR_ESTIMATION`, `MIN_RESPONSES_PER_ITEM`, `MIN_ITEMS_FOR_ESTIMATION`): below them
 * an item keeps the instrument's default difficulty with evenly spaced thresholds around it (`evenlySpacedSteps`),
 * and abilities are still estimated by WLE against those. An item without a default difficulty sits at 0.
 *
 * The scale: JML fixes the mean item location at 0; afterwards the estimated items are shifted so their mean equals
 * the mean default difficulty of the same items, so estimated items and items still at their defaults share the
 * instrument's scale. With no defaults at all the estimated items stay centred at 0.
 *
 * Not handled: a design that falls apart in unconnected blocks (teachers of one group rated only on items nobody
 * else was rated on) has no common scale; with one instrument per school this does not arise.
 */
import { DEFAULT_STEP_SPACING, evenlySpacedSteps, levelWeights } from './partial-credit';

/**
 * Fewer teachers with a non-extreme score than this and every item keeps its default. Item calibrations need
 * teachers spread along the scale: below about ten, one teacher's style decides the order of the items. (The
 * precision of an item comes from its number of ratings, `MIN_RESPONSES_PER_ITEM`, which repeated lessons help.)
 */
export const MIN_PERSONS_FOR_ESTIMATION = 10;

/**
 * An item with fewer ratings than this (from teachers in the estimation) keeps its default. About 30 ratings give
 * an item calibration within ±1 logit with 95% confidence (Linacre 1994, "Sample size and item calibration
 * stability", Rasch Measurement Transactions 7:4): coarser than that, the instrument's default is the better guess.
 */
export const MIN_RESPONSES_PER_ITEM = 30;

/** With fewer estimable items than this there is no test to locate teachers on, and every item keeps its default. */
export const MIN_ITEMS_FOR_ESTIMATION = 3;

/** The largest change in logits a single Newton–Raphson step may make, so a poor start cannot overshoot. */
export const MAX_NEWTON_STEP = 1;

// ————————————————————————————————————————————— types

export interface RaschItem {
  itemId: string;
  /** The number of ordered levels K (2 for a yes/no item). */
  levels: number;
  /** The instrument's default difficulty (item location) in logits; 0 when absent. */
  defaultDifficulty?: number | undefined;
}

export interface RaschResponse {
  itemId: string;
  /** The level index 0 … K−1, already turned for a reverse-keyed item. */
  level: number;
}

/** One observed lesson: a teacher's ratings on the items that were seen ('not-observed' items are left out). */
export interface RaschObservation {
  personId: string;
  responses: readonly RaschResponse[];
}

export interface RaschOptions {
  /** Default `MIN_PERSONS_FOR_ESTIMATION`. */
  minPersons?: number;
  /** Default `MIN_RESPONSES_PER_ITEM`. */
  minResponsesPerItem?: number;
  /** Default `MIN_ITEMS_FOR_ESTIMATION`. */
  minItems?: number;
  /** Spacing of default and extrapolated thresholds; default `DEFAULT_STEP_SPACING`. */
  stepSpacing?: number;
  /** Default 500. */
  maxIterations?: number;
  /** Convergence: the largest change of any parameter in a round, in logits. Default 1e-5. */
  tolerance?: number;
  /** Apply the (L−1)/L correction to the JML item thresholds. Default true. */
  biasCorrection?: boolean;
}

/** Where an item's thresholds come from. */
export type ItemSource = 'school' | 'default';

/** Why an item kept its default. */
export type DefaultReason =
  /** the school as a whole has too few teachers or items to estimate from */
  | 'too-little-data'
  /** nobody was rated on it */
  | 'no-responses'
  /** fewer than `minResponsesPerItem` ratings from teachers in the estimation */
  | 'too-few-responses'
  /** every rating sits at one level (e.g. everyone at the maximum) */
  | 'one-level-only';

export interface RaschItemEstimate {
  itemId: string;
  levels: number;
  /** The item's difficulty: the mean of its thresholds, in logits. */
  location: number;
  /** δ_1 … δ_{K−1}, in logits. */
  thresholds: number[];
  source: ItemSource;
  defaultReason: DefaultReason | null;
  /** Standard error of the location (school estimates only): 1/√(Σ item information), teachers held fixed. */
  standardError: number | null;
  /** Ratings of this item in the data. */
  responses: number;
  /** Of which used to estimate it (0 for a default). */
  responsesUsed: number;
  /** Levels no rating in the estimation used; their thresholds are constrained (see the file comment). */
  unusedLevels: number[];
}

export interface RaschPersonEstimate {
  personId: string;
  /** Warm's weighted likelihood estimate of the ability, in logits. */
  theta: number;
  /** 1/√I(θ), I the test information of all the teacher's ratings. */
  standardError: number;
  /** Observations (lessons) with at least one rating. */
  observations: number;
  responses: number;
  /** The sum of the teacher's levels, and its maximum possible value. */
  score: number;
  maxScore: number;
  /** All ratings at the lowest or at the highest level. */
  extreme: 'minimum' | 'maximum' | null;
  /** Whether the teacher's ratings took part in the item estimation. */
  usedForItems: boolean;
}

export interface RaschConvergence {
  converged: boolean;
  iterations: number;
  /** The largest parameter change in the last round, in logits. */
  maxChange: number;
  /** The factor (L−1)/L the thresholds were multiplied by, and the mean number of ratings per teacher L. */
  biasFactor: number;
  ratingsPerPerson: number;
}

export interface RaschEstimate {
  /** Whether the items come from the school's data, from the defaults, or some of each. */
  source: 'school' | 'defaults' | 'mixed';
  /** In the order of the item definitions. */
  items: RaschItemEstimate[];
  /** In order of first appearance; teachers without any valid rating are in `unmeasuredPersonIds` instead. */
  persons: RaschPersonEstimate[];
  unmeasuredPersonIds: string[];
  /** Teachers, observations and ratings that took part in the item estimation. */
  personsUsed: number;
  observationsUsed: number;
  responsesUsed: number;
  /** Ratings of unknown items or with a level outside 0 … K−1. */
  ignoredResponses: number;
  /** Null when nothing was estimated (all defaults). */
  convergence: RaschConvergence | null;
}

/** An item whose thresholds are known, to measure teachers against. */
export interface CalibratedItem {
  itemId: string;
  thresholds: readonly number[];
}

// ————————————————————————————————————————————— formulas

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
    for (let row = col + 1; row < n; row++) if (Math.abs(a[row * n + col]!) > Math.abs(a[pivot * n + col]!)) pivot = row;
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

// ————————————————————————————————————————————— the data as counts

/** Ratings counted per (teacher, item, level): a teacher's row holds K_i counts for each item i. */
interface ResponseMatrix {
  personIds: string[];
  levels: Int32Array;
  /** Where item i's counts start in a row; `levelStart[items]` is the row length. */
  levelStart: Int32Array;
  rowLength: number;
  counts: Int32Array;
  /** Per teacher, the observations with at least one valid rating. */
  observations: Int32Array;
  ignored: number;
}

function buildResponseMatrix(observations: readonly RaschObservation[], itemIds: readonly string[], levels: readonly number[]): ResponseMatrix {
  const itemIndex = new Map<string, number>();
  itemIds.forEach((id, i) => {
    if (itemIndex.has(id)) throw new Error(`Rasch: item ${id} is defined twice`);
    const k = levels[i]!;
    if (!Number.isInteger(k) || k < 2) throw new RangeError(`Rasch: item ${id} needs at least 2 levels, has ${k}`);
    itemIndex.set(id, i);
  });
  const levelStart = new Int32Array(itemIds.length + 1);
  levels.forEach((k, i) => (levelStart[i + 1] = levelStart[i]! + k));
  const rowLength = levelStart[itemIds.length]!;

  const personIndex = new Map<string, number>();
  const personIds: string[] = [];
  for (const observation of observations) {
    if (!personIndex.has(observation.personId)) {
      personIndex.set(observation.personId, personIds.length);
      personIds.push(observation.personId);
    }
  }
  const counts = new Int32Array(personIds.length * rowLength);
  const observationCounts = new Int32Array(personIds.length);
  let ignored = 0;
  for (const observation of observations) {
    const p = personIndex.get(observation.personId)!;
    let valid = 0;
    for (const response of observation.responses) {
      const i = itemIndex.get(response.itemId);
      const level = response.level;
      if (i === undefined || !Number.isInteger(level) || level < 0 || level >= levels[i]!) {
        ignored++;
        continue;
      }
      counts[p * rowLength + levelStart[i]! + level]!++;
      valid++;
    }
    if (valid > 0) observationCounts[p]!++;
  }
  return { personIds, levels: Int32Array.from(levels), levelStart, rowLength, counts, observations: observationCounts, ignored };
}

/** The (teacher, item) pairs with ratings, grouped by teacher: how many ratings and their sum of levels. */
interface Pairs {
  /** Teacher p's pairs are start[p] … start[p + 1] − 1. */
  start: Int32Array;
  item: Int32Array;
  count: Float64Array;
  score: Float64Array;
}

function collectPairs(matrix: ResponseMatrix, personMask: Uint8Array | null, itemMask: Uint8Array | null): Pairs {
  const persons = matrix.personIds.length;
  const items = matrix.levels.length;
  const start = new Int32Array(persons + 1);
  const item: number[] = [];
  const count: number[] = [];
  const score: number[] = [];
  for (let p = 0; p < persons; p++) {
    if (!personMask || personMask[p]) {
      const row = p * matrix.rowLength;
      for (let i = 0; i < items; i++) {
        if (itemMask && !itemMask[i]) continue;
        let n = 0;
        let s = 0;
        for (let k = 0, at = row + matrix.levelStart[i]!; k < matrix.levels[i]!; k++, at++) {
          n += matrix.counts[at]!;
          s += k * matrix.counts[at]!;
        }
        if (n > 0) {
          item.push(i);
          count.push(n);
          score.push(s);
        }
      }
    }
    start[p + 1] = item.length;
  }
  return { start, item: Int32Array.from(item), count: Float64Array.from(count), score: Float64Array.from(score) };
}

/** Item i's level counts over the teachers in `personMask`, added into `into` (length K_i). */
function itemHistogram(matrix: ResponseMatrix, i: number, personMask: Uint8Array, into: Float64Array): void {
  into.fill(0);
  const k = matrix.levels[i]!;
  for (let p = 0; p < matrix.personIds.length; p++) {
    if (!personMask[p]) continue;
    const at = p * matrix.rowLength + matrix.levelStart[i]!;
    for (let level = 0; level < k; level++) into[level] = into[level]! + matrix.counts[at + level]!;
  }
}

// ————————————————————————————————————————————— which teachers and items take part

interface Selection {
  personUsed: Uint8Array;
  itemFree: Uint8Array;
  reasons: Array<DefaultReason | null>;
}

/**
 * Leaves out teachers with an extreme score on the estimable items and items with too few ratings or a single used
 * level among the remaining teachers, until neither changes; then applies the school-wide thresholds.
 */
function selectEstimationData(matrix: ResponseMatrix, minPersons: number, minResponses: number, minItems: number): Selection {
  const persons = matrix.personIds.length;
  const items = matrix.levels.length;
  const personUsed = new Uint8Array(persons).fill(1);
  const itemFree = new Uint8Array(items);
  const reasons: Array<DefaultReason | null> = new Array<DefaultReason | null>(items).fill(null);
  const all = new Uint8Array(persons).fill(1);
  const histogram = new Float64Array(Math.max(2, ...matrix.levels));
  for (let i = 0; i < items; i++) {
    itemHistogram(matrix, i, all, histogram);
    const total = histogram.reduce((a, b) => a + b, 0);
    if (total > 0) itemFree[i] = 1;
    else reasons[i] = 'no-responses';
  }

  for (let changed = true; changed; ) {
    changed = false;
    for (let p = 0; p < persons; p++) {
      if (!personUsed[p]) continue;
      let score = 0;
      let max = 0;
      const row = p * matrix.rowLength;
      for (let i = 0; i < items; i++) {
        if (!itemFree[i]) continue;
        for (let k = 0, at = row + matrix.levelStart[i]!; k < matrix.levels[i]!; k++, at++) {
          score += k * matrix.counts[at]!;
          max += (matrix.levels[i]! - 1) * matrix.counts[at]!;
        }
      }
      if (max === 0 || score === 0 || score === max) {
        personUsed[p] = 0;
        changed = true;
      }
    }
    for (let i = 0; i < items; i++) {
      if (!itemFree[i]) continue;
      itemHistogram(matrix, i, personUsed, histogram);
      let total = 0;
      let used = 0;
      for (let k = 0; k < matrix.levels[i]!; k++) {
        total += histogram[k]!;
        if (histogram[k]! > 0) used++;
      }
      const reason: DefaultReason | null = total < minResponses ? 'too-few-responses' : used < 2 ? 'one-level-only' : null;
      if (reason) {
        itemFree[i] = 0;
        reasons[i] = reason;
        changed = true;
      }
    }
  }

  const personCount = personUsed.reduce((a, b) => a + b, 0);
  const freeCount = itemFree.reduce((a, b) => a + b, 0);
  if (personCount < minPersons || freeCount < minItems) {
    for (let i = 0; i < items; i++) {
      if (itemFree[i]) reasons[i] = 'too-little-data';
      itemFree[i] = 0;
    }
    personUsed.fill(0);
  }
  return { personUsed, itemFree, reasons };
}

// ————————————————————————————————————————————— joint maximum likelihood

/**
 * An estimated item: its thresholds are parameters plus fixed offsets, δ_j = d[param_j] + offset_j, so thresholds
 * next to unused levels can share a parameter or follow one at a fixed distance. A parameter's statistic is
 * S_g(k) = Σ_{j in group g} [k ≥ j], the number of its steps a rating at level k has taken.
 */
interface FreeItem {
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

/** Groups an item's thresholds into parameters by the levels its ratings used (see the file comment). */
function freeItemModel(item: number, histogram: Float64Array, levels: number, paramStart: number, spacing: number): FreeItem {
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
function startParameters(model: FreeItem, histogram: Float64Array, params: Float64Array): void {
  const used: number[] = [];
  for (let k = 0; k < model.levels; k++) if (histogram[k]! > 0) used.push(k);
  for (let g = 0; g < model.paramCount; g++) {
    params[model.paramStart + g] = Math.log(histogram[used[g]!]! / histogram[used[g + 1]!]!);
  }
}

function applyParameters(model: FreeItem, params: Float64Array): void {
  for (let j = 0; j < model.levels - 1; j++) model.thresholds[j] = params[model.thresholdParam[j]!]! + model.thresholdOffset[j]!;
}

const mean = (values: ArrayLike<number>): number => {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length > 0 ? sum / values.length : 0;
};

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
function personRound(pairs: Pairs, personUsed: Uint8Array, modelOf: ReadonlyArray<FreeItem | undefined>, theta: Float64Array, weights: Float64Array, moments: Float64Array): number {
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
function itemRound(pairs: Pairs, personUsed: Uint8Array, models: readonly FreeItem[], modelOf: ReadonlyArray<FreeItem | undefined>, theta: Float64Array, params: Float64Array, expected: Float64Array, covariance: Float64Array, weights: Float64Array): void {
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
          for (let level = 1; level < k; level++) sum += weights[level]! * score[g * k + level]! * score[h * k + level]!;
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

function jointMaximumLikelihood(matrix: ResponseMatrix, selection: Selection, models: readonly FreeItem[], params: Float64Array, maxIterations: number, tolerance: number): JmlResult {
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

// ————————————————————————————————————————————— Warm's weighted likelihood estimate

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
function warmEstimate(from: number, to: number, stepsOf: (e: number) => ArrayLike<number>, counts: ArrayLike<number>, score: number, start: number, weights: Float64Array): WarmResult {
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
 */
export function weightedLikelihoodAbility(ratings: ReadonlyArray<{ steps: readonly number[]; level: number; count?: number }>): { theta: number; standardError: number; iterations: number } {
  if (ratings.length === 0) throw new RangeError('weightedLikelihoodAbility: no ratings');
  const counts = ratings.map((r) => r.count ?? 1);
  const score = ratings.reduce((sum, r, e) => sum + r.level * counts[e]!, 0);
  const weights = new Float64Array(Math.max(...ratings.map((r) => r.steps.length)) + 1);
  const result = warmEstimate(0, ratings.length, (e) => ratings[e]!.steps, counts, score, 0, weights);
  return { theta: result.theta, standardError: standardErrorFromInformation(result.information), iterations: result.iterations };
}

/** The WLE of every teacher with ratings, against the items' thresholds `itemSteps` (one per item of the matrix). */
function measurePersons(matrix: ResponseMatrix, itemSteps: readonly Float64Array[], personUsed: Uint8Array | null): { persons: RaschPersonEstimate[]; unmeasured: string[] } {
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

// ————————————————————————————————————————————— the public estimators

function defaultItem(item: RaschItem, spacing: number, reason: DefaultReason, responses: number): RaschItemEstimate {
  const location = item.defaultDifficulty ?? 0;
  return {
    itemId: item.itemId,
    levels: item.levels,
    location,
    thresholds: evenlySpacedSteps(location, item.levels, spacing),
    source: 'default',
    defaultReason: reason,
    standardError: null,
    responses,
    responsesUsed: 0,
    unusedLevels: [],
  };
}

/**
 * Estimates the items' thresholds from a school's observations where there are enough of them (defaults elsewhere)
 * and every teacher's ability by WLE against the result. See the file comment for the method and the thresholds.
 *
 * Speed (Node 20, one core): 2,000 teachers × 25 lessons × 30 four-level items with 20% unseen (50,000
 * observations, 1.2 million ratings) take 0.25–0.5 s, most of it counting the ratings; the 16 iterations run over
 * the 60,000 teacher × item pairs. Memory: one count per teacher × item level (Int32Array).
 */
export function estimateRasch(observations: readonly RaschObservation[], items: readonly RaschItem[], options: RaschOptions = {}): RaschEstimate {
  const spacing = options.stepSpacing ?? DEFAULT_STEP_SPACING;
  const matrix = buildResponseMatrix(
    observations,
    items.map((item) => item.itemId),
    items.map((item) => item.levels),
  );
  const selection = selectEstimationData(
    matrix,
    options.minPersons ?? MIN_PERSONS_FOR_ESTIMATION,
    options.minResponsesPerItem ?? MIN_RESPONSES_PER_ITEM,
    options.minItems ?? MIN_ITEMS_FOR_ESTIMATION,
  );
  const everyone = new Uint8Array(matrix.personIds.length).fill(1);
  const histogram = new Float64Array(Math.max(2, ...matrix.levels));
  const responseTotals = items.map((_, i) => {
    itemHistogram(matrix, i, everyone, histogram);
    return histogram.reduce((a, b) => a + b, 0);
  });

  // The free items' models and their parameters.
  const models: FreeItem[] = [];
  let paramCount = 0;
  items.forEach((item, i) => {
    if (!selection.itemFree[i]) return;
    itemHistogram(matrix, i, selection.personUsed, histogram);
    const model = freeItemModel(i, histogram, item.levels, paramCount, spacing);
    models.push(model);
    paramCount += model.paramCount;
  });
  const params = new Float64Array(paramCount);
  for (const model of models) {
    itemHistogram(matrix, model.item, selection.personUsed, histogram);
    startParameters(model, histogram, params);
    applyParameters(model, params);
  }

  const estimates: RaschItemEstimate[] = items.map((item, i) => defaultItem(item, spacing, selection.reasons[i] ?? 'too-little-data', responseTotals[i]!));
  let convergence: RaschConvergence | null = null;
  let responsesUsed = 0;
  let observationsUsed = 0;
  if (models.length > 0) {
    const jml = jointMaximumLikelihood(
      matrix,
      selection,
      models,
      params,
      options.maxIterations ?? 500,
      options.tolerance ?? 1e-5,
    );
    responsesUsed = models.reduce((sum, model) => sum + model.responsesUsed, 0);
    const personsUsed = selection.personUsed.reduce((a, b) => a + b, 0);
    const ratingsPerPerson = responsesUsed / personsUsed;
    const biasFactor = options.biasCorrection === false ? 1 : jmlBiasFactor(ratingsPerPerson);
    convergence = { ...jml.convergence, biasFactor, ratingsPerPerson };

    // Corrected thresholds, then shifted onto the defaults' scale.
    const withDefault = models.filter((model) => items[model.item]!.defaultDifficulty !== undefined);
    const shift = mean(withDefault.map((model) => items[model.item]!.defaultDifficulty! - biasFactor * mean(model.thresholds)));
    for (const model of models) {
      const thresholds = Array.from(model.thresholds, (t) => biasFactor * t + shift);
      const information = jml.information[model.item]!;
      estimates[model.item] = {
        itemId: items[model.item]!.itemId,
        levels: model.levels,
        location: mean(thresholds),
        thresholds,
        source: 'school',
        defaultReason: null,
        standardError: biasFactor * standardErrorFromInformation(information),
        responses: responseTotals[model.item]!,
        responsesUsed: model.responsesUsed,
        unusedLevels: model.unusedLevels,
      };
    }
    selection.personUsed.forEach((used, p) => {
      if (used) observationsUsed += matrix.observations[p]!;
    });
  }

  const itemSteps = estimates.map((estimate) => Float64Array.from(estimate.thresholds));
  const { persons, unmeasured } = measurePersons(matrix, itemSteps, selection.personUsed);
  const schoolItems = estimates.filter((estimate) => estimate.source === 'school').length;
  return {
    source: schoolItems === 0 ? 'defaults' : schoolItems === estimates.length ? 'school' : 'mixed',
    items: estimates,
    persons,
    unmeasuredPersonIds: unmeasured,
    personsUsed: models.length > 0 ? selection.personUsed.reduce((a, b) => a + b, 0) : 0,
    observationsUsed,
    responsesUsed,
    ignoredResponses: matrix.ignored,
    convergence,
  };
}

/**
 * Every teacher's ability (WLE) against items whose thresholds are already known, e.g. a stored `estimateRasch`
 * result, without re-estimating the items. Ratings of items not in `items` are ignored.
 */
export function estimateAbilities(observations: readonly RaschObservation[], items: readonly CalibratedItem[]): { persons: RaschPersonEstimate[]; unmeasuredPersonIds: string[]; ignoredResponses: number } {
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
  return { persons, unmeasuredPersonIds: unmeasured, ignoredResponses: matrix.ignored };
}
