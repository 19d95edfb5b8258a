/**
 * `estimateRasch`, the estimation as a whole: items from the school's data where there is enough of it (defaults
 * elsewhere), their thresholds corrected for JML's bias and put on the defaults' scale, then every teacher's ability.
 */
import { DEFAULT_STEP_SPACING, evenlySpacedSteps } from '../partial-credit';
import { measurePersons } from './abilities';
import { jmlBiasFactor, mean, standardErrorFromInformation } from './formulas';
import {
  applyParameters,
  freeItemModel,
  jointMaximumLikelihood,
  startParameters,
  type FreeItem,
} from './joint-maximum-likelihood';
import { buildResponseMatrix, countRatings, itemHistogram } from './response-matrix';
import {
  MIN_ITEMS_FOR_ESTIMATION,
  MIN_PERSONS_FOR_ESTIMATION,
  MIN_RESPONSES_PER_ITEM,
  selectEstimationData,
} from './selection';
import type {
  DefaultReason,
  RaschConvergence,
  RaschEstimate,
  RaschItem,
  RaschItemEstimate,
  RaschObservation,
  RaschOptions,
  RaschRatings,
} from './types';

/**
 * A default difficulty beyond this many logits is a mistake, not a difficulty (the instrument format allows ±6), and
 * is left out, as one that is not a finite number: such an item sits at 0, as one without a default.
 */
const MAX_DEFAULT_DIFFICULTY = 100;

/** The items with their default difficulty left out where it is not usable (`MAX_DEFAULT_DIFFICULTY`). */
function usableDefaults(items: readonly RaschItem[]): { items: RaschItem[]; ignored: number } {
  let ignored = 0;
  const usable = items.map((item) => {
    const difficulty = item.defaultDifficulty;
    if (difficulty === undefined || Math.abs(difficulty) <= MAX_DEFAULT_DIFFICULTY) return item;
    ignored++;
    return { itemId: item.itemId, levels: item.levels };
  });
  return { items: usable, ignored };
}

/** `value` when it is a finite number within [min, max], else `fallback`. */
const option = (value: number | undefined, fallback: number, min: number, max = Infinity): number =>
  value !== undefined && Number.isFinite(value) && value >= min && value <= max ? value : fallback;

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

const isRatings = (observations: readonly RaschObservation[] | RaschRatings): observations is RaschRatings =>
  !Array.isArray(observations);

/**
 * Estimates the items' thresholds from a school's observations where there are enough of them (defaults elsewhere)
 * and every teacher's ability by WLE against the result. See the comment in `index.ts` for the method and the
 * thresholds.
 *
 * Speed (Node 20, one core): 2,000 teachers × 25 lessons × 30 four-level items with 20% unseen (50,000
 * observations, 1.2 million ratings) take 0.25–0.5 s, most of it counting the ratings; the 16 iterations run over
 * the 60,000 teacher × item pairs. Memory: one count per teacher × item level (Int32Array). The lessons may come as
 * compact arrays (`RaschRatings`) instead of objects: the same estimate, counted without an object per rating.
 */
export function estimateRasch(
  observations: readonly RaschObservation[] | RaschRatings,
  givenItems: readonly RaschItem[],
  options: RaschOptions = {},
): RaschEstimate {
  const { items, ignored: ignoredDefaults } = usableDefaults(givenItems);
  const spacing = option(options.stepSpacing, DEFAULT_STEP_SPACING, Number.MIN_VALUE, 10);
  const itemIds = items.map((item) => item.itemId);
  const levels = items.map((item) => item.levels);
  const matrix = isRatings(observations)
    ? countRatings(observations, itemIds, levels)
    : buildResponseMatrix(observations, itemIds, levels);
  const selection = selectEstimationData(
    matrix,
    option(options.minPersons, MIN_PERSONS_FOR_ESTIMATION, 1),
    option(options.minResponsesPerItem, MIN_RESPONSES_PER_ITEM, 1),
    option(options.minItems, MIN_ITEMS_FOR_ESTIMATION, 1),
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

  const estimates: RaschItemEstimate[] = items.map((item, i) =>
    defaultItem(item, spacing, selection.reasons[i] ?? 'too-little-data', responseTotals[i]!),
  );
  let convergence: RaschConvergence | null = null;
  let responsesUsed = 0;
  let observationsUsed = 0;
  if (models.length > 0) {
    const jml = jointMaximumLikelihood(
      matrix,
      selection,
      models,
      params,
      Math.floor(option(options.maxIterations, 500, 1)),
      option(options.tolerance, 1e-5, Number.MIN_VALUE),
    );
    responsesUsed = models.reduce((sum, model) => sum + model.responsesUsed, 0);
    const personsUsed = selection.personUsed.reduce((a, b) => a + b, 0);
    const ratingsPerPerson = responsesUsed / personsUsed;
    const biasFactor = options.biasCorrection === false ? 1 : jmlBiasFactor(ratingsPerPerson);
    convergence = { ...jml.convergence, biasFactor, ratingsPerPerson };

    // Corrected thresholds, then shifted onto the defaults' scale.
    const withDefault = models.filter((model) => items[model.item]!.defaultDifficulty !== undefined);
    const shift = mean(
      withDefault.map((model) => items[model.item]!.defaultDifficulty! - biasFactor * mean(model.thresholds)),
    );
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
    outOfScaleLevels: matrix.outOfScale,
    ignoredDefaults,
    blocks: selection.blocks,
    convergence,
  };
}
