/**
 * The zone of next development: for a teacher at ability θ, the items just above their current level on the Rasch
 * ladder, and for a team the items that turn up most often in its members' zones (candidate themes for team
 * learning). Items and abilities come from `rasch/`; the model is the partial-credit model.
 *
 * Success on an item means reaching its "sufficient" level: the upper half of the scale, level ⌈K/2⌉ of 0 … K−1
 * (the third of four levels, the second of two; configurable). An item's mastery point is the ability at which the
 * model gives even odds of reaching that level (a Thurstone threshold); for a yes/no item it is the difficulty, and
 * for evenly spaced thresholds on an even number of levels it is the item's location (its mean threshold).
 *
 * An item is a next step when
 * - it is not mastered: the teacher's latest rating of it (if any) is below the sufficient level, and
 * - the model's probability of success lies in the band (default 0.35 – 0.65): for a yes/no item its difficulty
 *   lies within ±0.62 logits of θ (items with more levels have steeper success curves, so a little less). That is
 *   one to two standard errors of a teacher's ability after a single lesson (about 0.3 logits with 24 four-level
 *   items seen, 0.4 – 0.5 with 10 – 15), so these are the items the data cannot tell apart from the teacher's own
 *   level: not yet secure, within reach.
 *   Items above the band are for later, items below it the model expects already (a latest rating below sufficient
 *   on such an item is a gap, which is a different conversation than the next step).
 * The steps are ordered by the distance of their mastery point from θ (closest first; at equal distance the one
 * just above the level first), at most three by default.
 *
 * Numbers that are not what they should be are left out, never passed on: an ability that is not a finite number
 * has no next steps (NaN says nothing; at ±Infinity every item is mastered or out of reach), an item whose
 * thresholds are not finite logits (`usableThresholds`) or whose sufficient level is not one of 1 … K−1 is skipped,
 * a latest level that is not a whole level of the item's scale (NaN, −1, 9 on a four-level item, 1.5) counts as no
 * observation, and a band or maximum that is not a number takes the default.
 */
import { reachProbability, usableThresholds } from './partial-credit';

/** Probability of reaching the sufficient level that makes an item a next step, inclusive at both ends. */
export const DEFAULT_NEXT_STEP_BAND: Readonly<{ min: number; max: number }> = { min: 0.35, max: 0.65 };
const DEFAULT_MAX_NEXT_STEPS = 3;
/** Team figures combine at least three observed teachers (README, "Insight", privacy). */
export const MIN_TEAM_MEMBERS_FOR_THEMES = 3;
/** An item is a team theme when it is a next step of at least this many members: a theme is shared. */
const MIN_MEMBERS_PER_THEME = 2;

/** An item with known thresholds (an estimate from `estimateRasch` fits). */
export interface NextStepItem {
  itemId: string;
  thresholds: readonly number[];
}

export interface NextStepOptions {
  band?: { min: number; max: number };
  maxItems?: number;
  /** The level (0 … K−1) that counts as sufficient for an item with K levels; default `sufficientLevel`. */
  sufficientLevel?: (levelCount: number) => number;
  /** The teacher's latest observed level per item id (0 … K−1, reverse-keyed items already turned). */
  latestLevels?: Readonly<Record<string, number | undefined>>;
}

type NextStepReason =
  /** the mastery point lies above θ: success is a little less likely than not */
  | 'just-above-level'
  /** the mastery point lies at or just below θ, but the item has not been observed at the sufficient level */
  | 'at-level';

export interface NextStep {
  itemId: string;
  /** The item's difficulty, the mean of its thresholds. */
  location: number;
  /** The θ at which reaching the sufficient level has probability ½. */
  masteryPoint: number;
  /** masteryPoint − θ: positive above the teacher's level. */
  distance: number;
  /** P(level ≥ sufficient | θ). */
  probability: number;
  sufficientLevel: number;
  reason: NextStepReason;
  /** Whether the teacher was observed on it, below the sufficient level, or not yet. */
  evidence: 'observed-below-sufficient' | 'not-yet-observed';
  latestLevel: number | null;
}

/** The default sufficient level: the upper half of the scale, ⌈K/2⌉ (K = 4 → 2; K = 2 → 1; K = 5 → 3). */
export const sufficientLevel = (levelCount: number): number => Math.ceil(levelCount / 2);

/**
 * The mastery point: the θ where P(level ≥ `level`) = ½ (`reachProbability`). That probability rises with θ, so
 * bisection finds it; it lies between the lowest and the highest threshold, and the search starts well outside them.
 */
export function masteryPoint(thresholds: readonly number[], level: number): number {
  if (thresholds.length === 0 || !usableThresholds(thresholds))
    throw new RangeError('masteryPoint: thresholds must be finite logits');
  let lo = Math.min(...thresholds) - 20;
  let hi = Math.max(...thresholds) + 20;
  for (let i = 0; i < 100 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    if (reachProbability(mid, thresholds, level) < 0.5) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The teacher's next steps at ability θ: see the file comment for the rule. */
export function nextSteps(theta: number, items: readonly NextStepItem[], options: NextStepOptions = {}): NextStep[] {
  if (!Number.isFinite(theta)) return [];
  const band =
    options.band && Number.isFinite(options.band.min) && Number.isFinite(options.band.max)
      ? options.band
      : DEFAULT_NEXT_STEP_BAND;
  const maxItems = Number.isNaN(options.maxItems)
    ? DEFAULT_MAX_NEXT_STEPS
    : (options.maxItems ?? DEFAULT_MAX_NEXT_STEPS);
  const sufficientOf = options.sufficientLevel ?? sufficientLevel;
  const candidates: NextStep[] = [];
  for (const item of items) {
    const levels = item.thresholds.length + 1;
    if (levels < 2 || !usableThresholds(item.thresholds)) continue;
    const sufficient = sufficientOf(levels);
    if (!Number.isInteger(sufficient) || sufficient < 1 || sufficient >= levels) continue;
    const given = options.latestLevels?.[item.itemId];
    const latest = Number.isInteger(given) && given! >= 0 && given! < levels ? given : undefined;
    if (latest !== undefined && latest >= sufficient) continue; // mastered
    const probability = reachProbability(theta, item.thresholds, sufficient);
    if (!(probability >= band.min && probability <= band.max)) continue;
    const point = masteryPoint(item.thresholds, sufficient);
    candidates.push({
      itemId: item.itemId,
      location: item.thresholds.reduce((a, b) => a + b, 0) / item.thresholds.length,
      masteryPoint: point,
      distance: point - theta,
      probability,
      sufficientLevel: sufficient,
      reason: probability < 0.5 ? 'just-above-level' : 'at-level',
      evidence: latest === undefined ? 'not-yet-observed' : 'observed-below-sufficient',
      latestLevel: latest ?? null,
    });
  }
  return candidates.sort(byCloseness).slice(0, Math.max(0, maxItems));
}

/** Closest mastery point first; at equal distance the one above θ; then by item id, so the order is stable. */
function byCloseness(a: NextStep, b: NextStep): number {
  const closeness = Math.abs(a.distance) - Math.abs(b.distance);
  if (Math.abs(closeness) > 1e-9) return closeness;
  if (a.distance !== b.distance) return b.distance - a.distance;
  return a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0;
}

interface TeamTheme {
  itemId: string;
  /** Members with this item among their next steps. */
  count: number;
  /** count / members. */
  share: number;
  /** The item's mean position (1 = first) in those members' lists. */
  meanRank: number;
}

export interface TeamThemes {
  themes: TeamTheme[];
  members: number;
  /** Why no themes are shown: fewer members than `MIN_TEAM_MEMBERS_FOR_THEMES`. */
  withheld: 'too-few-members' | null;
}

/**
 * The items most often in members' next steps: most members first, then the lower mean position in their lists
 * (an item that is many members' first step before one that is everyone's third), then item id. Only items shared
 * by at least `minCount` members (default `MIN_MEMBERS_PER_THEME`), and nothing for a team of fewer than
 * `MIN_TEAM_MEMBERS_FOR_THEMES`. The result names no member.
 */
export function teamThemes(
  memberSteps: ReadonlyArray<ReadonlyArray<Pick<NextStep, 'itemId'>>>,
  options: { maxThemes?: number; minCount?: number; minMembers?: number } = {},
): TeamThemes {
  const members = memberSteps.length;
  if (members < (options.minMembers ?? MIN_TEAM_MEMBERS_FOR_THEMES))
    return { themes: [], members, withheld: 'too-few-members' };
  const tally = new Map<string, { count: number; rankSum: number }>();
  for (const steps of memberSteps) {
    const seen = new Set<string>();
    steps.forEach((step, position) => {
      if (seen.has(step.itemId)) return;
      seen.add(step.itemId);
      const entry = tally.get(step.itemId) ?? { count: 0, rankSum: 0 };
      entry.count++;
      entry.rankSum += position + 1;
      tally.set(step.itemId, entry);
    });
  }
  const minCount = options.minCount ?? MIN_MEMBERS_PER_THEME;
  const themes = [...tally]
    .filter(([, entry]) => entry.count >= minCount)
    .map(([itemId, entry]): TeamTheme => ({
      itemId,
      count: entry.count,
      share: entry.count / members,
      meanRank: entry.rankSum / entry.count,
    }))
    .sort(
      (a, b) =>
        b.count - a.count || a.meanRank - b.meanRank || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0),
    );
  return { themes: themes.slice(0, options.maxThemes ?? themes.length), members, withheld: null };
}
