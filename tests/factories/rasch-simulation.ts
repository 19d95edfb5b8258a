/**
 * Simulated schools for the Rasch tests: teachers with known abilities rated on items with known thresholds, drawn
 * from the partial-credit model with the core's own seeded generator, so every run sees the same data.
 */
import { createRandom } from '../../src/core/demo/random';
import { drawLevel, evenlySpacedSteps } from '../../src/core/statistics/partial-credit';
import type { RaschItem, RaschObservation } from '../../src/core/statistics/rasch';

export interface SimulationPlan {
  seed: number;
  persons: number;
  items: number;
  /** Levels per item (K). */
  levels: number;
  /** Lessons per teacher, drawn uniformly from [min, max]. */
  lessons: { min: number; max: number };
  /** Chance that an item is not seen in a lesson. */
  missing: number;
  /** Spread of the true item locations (uniform on ±spread) and abilities (normal, sd). */
  itemSpread?: number;
  abilitySd?: number;
  /** Random jitter (sd) of each threshold around evenly spaced steps, so items differ in their spacing. */
  thresholdJitter?: number;
}

export interface SimulatedSchool {
  items: RaschItem[];
  /** True thresholds per item, their locations centred at 0 (the estimator's own origin). */
  thresholds: number[][];
  locations: number[];
  abilities: number[];
  observations: RaschObservation[];
}

export function simulateSchool(plan: SimulationPlan): SimulatedSchool {
  const random = createRandom(plan.seed);
  const spread = plan.itemSpread ?? 2;
  const raw = Array.from({ length: plan.items }, () => (random.next() * 2 - 1) * spread);
  const centre = raw.reduce((a, b) => a + b, 0) / raw.length;
  const thresholds = raw.map((location) => {
    const steps = evenlySpacedSteps(location - centre, plan.levels).map(
      (step) => step + random.normal(0, plan.thresholdJitter ?? 0.3),
    );
    steps.sort((a, b) => a - b);
    return steps;
  });
  // Re-centre after the jitter so the true locations have mean 0 exactly.
  const shift = thresholds.reduce((sum, steps) => sum + mean(steps), 0) / thresholds.length;
  thresholds.forEach((steps) => steps.forEach((_, j) => (steps[j] = steps[j]! - shift)));
  const locations = thresholds.map(mean);
  const abilities = Array.from({ length: plan.persons }, () => random.normal(0, plan.abilitySd ?? 1));
  const items: RaschItem[] = thresholds.map((_, i) => ({ itemId: `item-${i}`, levels: plan.levels }));
  const observations: RaschObservation[] = [];
  abilities.forEach((theta, p) => {
    const lessons = random.int(plan.lessons.min, plan.lessons.max);
    for (let l = 0; l < lessons; l++) {
      const responses = [];
      for (let i = 0; i < plan.items; i++) {
        if (random.chance(plan.missing)) continue;
        responses.push({ itemId: `item-${i}`, level: drawLevel(theta, thresholds[i]!, random.next()) });
      }
      observations.push({ personId: `teacher-${p}`, responses });
    }
  });
  return { items, thresholds, locations, abilities, observations };
}

export const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** Pearson's product-moment correlation. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((xi, i) => {
    const dx = xi - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  });
  return sxy / Math.sqrt(sxx * syy);
}
