/**
 * Rasch estimation: item difficulties from a school's own observations, and every teacher's ability, under the
 * partial-credit model of `../partial-credit.ts` (items rated in ordered levels 0 … K−1, each item with its own
 * step thresholds δ_i1 … δ_i(K−1); the rating-scale model and the dichotomous Rasch model are special cases).
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
 * Numbers at the edges: a rating whose level is not one of 0 … K−1 (NaN, negative, too high, not a whole number) is
 * left out and counted (`outOfScaleLevels`, within `ignoredResponses`); a default difficulty that is not a finite
 * number within ±100 logits is left out and counted (`ignoredDefaults`); an option that is not a finite number in its
 * range takes its default. With the partial-credit model's own guards (`../partial-credit.ts`) no NaN or Infinity
 * reaches the results: thresholds, abilities and standard errors are finite.
 *
 * Unconnected data: when the teachers and items that take part fall apart in blocks that share no rating (teachers A
 * and B rated only on items 1–3, C and D only on items 4–6), the data say nothing about how far one block lies from
 * another, and a joint estimate would only look like one (`connectivity.ts`). Then the block with the most ratings is
 * estimated, as if the others' ratings were not there, and put on the defaults' scale as always; the other blocks'
 * items keep their defaults with the reason 'not-connected', and their teachers are measured against those defaults,
 * as in a school with too little data. The result says how many blocks there were (`blocks`). Why this and not the
 * alternatives: estimating each block on its own would need an anchor per block, and the only one is each block's
 * mean default difficulty (or 0 without defaults), which is an assumption the data cannot check, now made once per
 * block; falling back to the defaults everywhere would throw away what the largest block does identify. Keeping one
 * estimated block makes no assumption beyond the one every mixed estimate already makes (the estimated items' mean
 * equals their mean default). If that block is below the data thresholds, nothing is estimated ('too-little-data';
 * the other blocks' items stay 'not-connected').
 *
 * The files, each depending only on the ones listed before it:
 * - `types.ts`: the input and result shapes;
 * - `formulas.ts`: the small formulas (Newton step, Warm's correction, the JML bias factor, moments of a rating);
 * - `response-matrix.ts`: the ratings counted per (teacher, item, level), from objects or compact arrays, and per
 *   (teacher, item) pair;
 * - `connectivity.ts`: the connected blocks of teachers and items (union-find over their pairs);
 * - `selection.ts`: the data thresholds, and which teachers and items take part in the item estimation;
 * - `joint-maximum-likelihood.ts`: the item thresholds' parameters and the JML loop;
 * - `abilities.ts`: Warm's weighted likelihood estimate of every teacher's ability (`estimateAbilities`);
 * - `estimate.ts`: `estimateRasch`, which puts them together.
 * This file is the folder's public face: it re-exports what code outside the folder uses.
 */
export { estimateRasch } from './estimate';
export { estimateAbilities, weightedLikelihoodAbility } from './abilities';
export { MIN_PERSONS_FOR_ESTIMATION, MIN_RESPONSES_PER_ITEM } from './selection';
export { jmlBiasFactor, levelMomentsInto, newtonStep, warmCorrection } from './formulas';
export type { RaschEstimate, RaschItem, RaschObservation, RaschRatings } from './types';
