/**
 * The shapes of the Rasch estimation's input (items, observed lessons, options) and of its results (item and
 * teacher estimates, convergence).
 */

export interface RaschItem {
  itemId: string;
  /** The number of ordered levels K (2 for a yes/no item). */
  levels: number;
  /** The instrument's default difficulty (item location) in logits; 0 when absent. */
  defaultDifficulty?: number | undefined;
}

interface RaschResponse {
  itemId: string;
  /** The level index 0 … K−1, already turned for a reverse-keyed item. */
  level: number;
}

/** One observed lesson: a teacher's ratings on the items that were seen ('not-observed' items are left out). */
export interface RaschObservation {
  personId: string;
  responses: readonly RaschResponse[];
}

/**
 * The same lessons as compact arrays (what a Web Worker receives without copying object by object): lesson l is
 * teacher `personIds[person[l]]`'s, or left out when `person[l]` is negative; its ratings are `ratingStart[l]` …
 * `ratingStart[l + 1] − 1`, each an index into the items passed to the estimation (`item`) and a level 0 … K−1
 * (`level`, already turned for a reverse-keyed item). A rating of an unknown item or outside 0 … K−1 is ignored, as
 * in the object form.
 */
export interface RaschRatings {
  personIds: readonly string[];
  person: Int32Array;
  /** One more than there are lessons. */
  ratingStart: Int32Array;
  item: Uint16Array;
  level: Uint8Array;
}

/**
 * The options; one that is not a finite number, or lies outside its range, is ignored and takes its default: the
 * minimums at least 1, a step spacing from 0 (exclusive) to 10 logits, at least 1 iteration, a tolerance above 0.
 */
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
type ItemSource = 'school' | 'default';

/** Why an item kept its default. */
export type DefaultReason =
  /** the school as a whole has too few teachers or items to estimate from */
  | 'too-little-data'
  /** nobody was rated on it */
  | 'no-responses'
  /** fewer than `minResponsesPerItem` ratings from teachers in the estimation */
  | 'too-few-responses'
  /** every rating sits at one level (e.g. everyone at the maximum) */
  | 'one-level-only'
  /**
   * rated only by teachers who share no item with the larger part of the school (the data fall apart in unconnected
   * blocks): nothing in the data links it to the estimated items
   */
  | 'not-connected';

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
  /** Levels no rating in the estimation used; their thresholds are constrained (see the comment in `index.ts`). */
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
  /** Ratings left out: of unknown items or with a level outside 0 … K−1. */
  ignoredResponses: number;
  /** Of which with a level outside the item's scale 0 … K−1 (NaN, negative, too high, not a whole number). */
  outOfScaleLevels: number;
  /**
   * Items whose default difficulty was left out (the item then sits at 0, as one without a default): one that is not
   * a finite number or lies beyond ±`MAX_DEFAULT_DIFFICULTY` logits.
   */
  ignoredDefaults: number;
  /**
   * The unconnected blocks the teachers and items that could take part fell into (0 when none could): 1 when the
   * data hang together. With more, only the block with the most ratings was estimated; the other blocks' items keep
   * their defaults ('not-connected') and their teachers are measured against them (`usedForItems` false).
   */
  blocks: number;
  /** Null when nothing was estimated (all defaults). */
  convergence: RaschConvergence | null;
}

/** An item whose thresholds are known, to measure teachers against. */
export interface CalibratedItem {
  itemId: string;
  thresholds: readonly number[];
}
