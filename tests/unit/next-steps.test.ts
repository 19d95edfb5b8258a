/**
 * The zone of next development (src/core/statistics/next-steps.ts): hand-computed cases of the selection rule, the
 * configurable band, mastered items, the order, and the team themes.
 */
import { describe, expect, it } from 'vitest';
import { evenlySpacedSteps, logistic } from '../../src/core/statistics/partial-credit';
import {
  DEFAULT_NEXT_STEP_BAND,
  masteryPoint,
  MIN_TEAM_MEMBERS_FOR_THEMES,
  nextSteps,
  sufficientLevel,
  teamThemes,
} from '../../src/core/statistics/next-steps';
import { estimateRasch } from '../../src/core/statistics/rasch';
import { simulateSchool } from '../factories/rasch-simulation';

/** Yes/no items a … e at −2, −0.5, 0.3, 0.8 and 2.5 logits. */
const ladder = [-2, -0.5, 0.3, 0.8, 2.5].map((delta, i) => ({ itemId: 'abcde'[i]!, thresholds: [delta] }));

describe('next steps', () => {
  it('picks, for a teacher at θ = 0, the items with a success probability of 0.35 – 0.65, closest first', () => {
    // P(success) = logistic(0 − δ): a 0.881, b 0.622, c 0.426, d 0.310, e 0.076. In the band: c (0.3 above), b (0.5 below).
    expect(DEFAULT_NEXT_STEP_BAND).toEqual({ min: 0.35, max: 0.65 });
    const steps = nextSteps(0, ladder);
    expect(steps.map((step) => step.itemId)).toEqual(['c', 'b']);
    expect(steps[0]).toMatchObject({
      reason: 'just-above-level',
      evidence: 'not-yet-observed',
      sufficientLevel: 1,
      latestLevel: null,
    });
    expect(steps[0]!.probability).toBeCloseTo(logistic(-0.3), 12);
    expect(steps[0]!.distance).toBeCloseTo(0.3, 8);
    expect(steps[0]!.location).toBe(0.3);
    expect(steps[1]).toMatchObject({ reason: 'at-level' });
    expect(steps[1]!.probability).toBeCloseTo(logistic(0.5), 12);
    expect(steps[1]!.distance).toBeCloseTo(-0.5, 8);
  });

  it('takes the band and the number of steps from the options', () => {
    // 0.25 – 0.5: only items above θ, c (0.426) and d (0.310).
    expect(nextSteps(0, ladder, { band: { min: 0.25, max: 0.5 } }).map((step) => step.itemId)).toEqual(['c', 'd']);
    expect(nextSteps(0, ladder, { band: { min: 0.05, max: 0.95 } }).map((step) => step.itemId)).toEqual([
      'c',
      'b',
      'd',
    ]);
    expect(nextSteps(0, ladder, { band: { min: 0.05, max: 0.95 }, maxItems: 5 }).map((step) => step.itemId)).toEqual([
      'c',
      'b',
      'd',
      'a',
      'e',
    ]);
    expect(nextSteps(0, ladder, { maxItems: 1 }).map((step) => step.itemId)).toEqual(['c']);
    // A more able teacher moves up the ladder: at θ = 1, d (0.2 above) and c (0.7 below, P = 0.668 is outside).
    expect(nextSteps(1, ladder).map((step) => step.itemId)).toEqual(['d']);
  });

  it('leaves out items the teacher was last rated sufficient on, and says when an item was rated below it', () => {
    expect(nextSteps(0, ladder, { latestLevels: { c: 1 } }).map((step) => step.itemId)).toEqual(['b']);
    const steps = nextSteps(0, ladder, { latestLevels: { c: 0 } });
    expect(steps.map((step) => step.itemId)).toEqual(['c', 'b']);
    expect(steps[0]).toMatchObject({ evidence: 'observed-below-sufficient', latestLevel: 0 });
  });

  it('prefers the item just above at equal distance, then the item id', () => {
    const items = [
      { itemId: 'below', thresholds: [-0.4] },
      { itemId: 'above', thresholds: [0.4] },
      { itemId: 'twin-b', thresholds: [0.4] },
    ];
    expect(nextSteps(0, items).map((step) => step.itemId)).toEqual(['above', 'twin-b', 'below']);
  });

  it('reads four-level items by the chance of reaching the upper half of the scale', () => {
    expect([2, 3, 4, 5].map(sufficientLevel)).toEqual([1, 2, 2, 3]);
    // Evenly spaced thresholds around 0.3: even odds of level ≥ 2 at θ = 0.3, by symmetry.
    const steps = evenlySpacedSteps(0.3, 4);
    expect(masteryPoint(steps, 2)).toBeCloseTo(0.3, 8);
    expect(masteryPoint([0.7], 1)).toBeCloseTo(0.7, 8);
    const [step] = nextSteps(0, [{ itemId: 'x', thresholds: steps }]);
    expect(step).toMatchObject({ itemId: 'x', sufficientLevel: 2, reason: 'just-above-level' });
    expect(step!.masteryPoint).toBeCloseTo(0.3, 8);
    // With "sufficient" at the top level the item is out of reach for now.
    expect(nextSteps(0, [{ itemId: 'x', thresholds: steps }], { sufficientLevel: (k) => k - 1 })).toEqual([]);
  });

  it('works on estimated items and abilities', () => {
    const school = simulateSchool({
      seed: 3,
      persons: 60,
      items: 20,
      levels: 4,
      lessons: { min: 2, max: 2 },
      missing: 0.2,
    });
    const estimate = estimateRasch(school.observations, school.items);
    for (const person of estimate.persons.slice(0, 10)) {
      const steps = nextSteps(person.theta, estimate.items);
      expect(steps.length).toBeLessThanOrEqual(3);
      for (const step of steps) {
        expect(step.probability).toBeGreaterThanOrEqual(0.35);
        expect(step.probability).toBeLessThanOrEqual(0.65);
      }
    }
  });
});

describe('team themes', () => {
  const step = (itemId: string) => ({ itemId });

  it("counts the items in members' next steps: most members first, then the lower mean position", () => {
    const members = [[step('a'), step('b'), step('c')], [step('b'), step('a')], [step('b'), step('d')], [step('c')]];
    const { themes, members: count, withheld } = teamThemes(members);
    expect(withheld).toBeNull();
    expect(count).toBe(4);
    // b: 3 members (positions 2, 1, 1); a: 2 (1, 2) → 1.5; c: 2 (3, 1) → 2; d: only one member, no theme.
    expect(themes.map((theme) => theme.itemId)).toEqual(['b', 'a', 'c']);
    expect(themes[0]).toEqual({ itemId: 'b', count: 3, share: 0.75, meanRank: 4 / 3 });
    expect(themes[1]).toMatchObject({ count: 2, share: 0.5, meanRank: 1.5 });
    expect(themes[2]).toMatchObject({ count: 2, share: 0.5, meanRank: 2 });
    expect(teamThemes(members, { maxThemes: 1 }).themes.map((theme) => theme.itemId)).toEqual(['b']);
    expect(teamThemes(members, { minCount: 1 }).themes.map((theme) => theme.itemId)).toEqual(['b', 'a', 'c', 'd']);
  });

  it('breaks full ties by item id and counts members without steps in the share', () => {
    const { themes } = teamThemes([[step('y'), step('x')], [step('x'), step('y')], []]);
    expect(themes).toEqual([
      { itemId: 'x', count: 2, share: 2 / 3, meanRank: 1.5 },
      { itemId: 'y', count: 2, share: 2 / 3, meanRank: 1.5 },
    ]);
  });

  it('shows nothing for a team of fewer than three teachers', () => {
    expect(MIN_TEAM_MEMBERS_FOR_THEMES).toBe(3);
    expect(teamThemes([[step('a')], [step('a')]])).toEqual({ themes: [], members: 2, withheld: 'too-few-members' });
  });
});

describe('next steps at the edges', () => {
  const wide = { band: { min: 0, max: 1 }, maxItems: Infinity };
  const everyNumberFinite = (steps: ReturnType<typeof nextSteps>) => {
    for (const step of steps)
      for (const value of [step.location, step.masteryPoint, step.distance, step.probability, step.sufficientLevel])
        expect(Number.isFinite(value)).toBe(true);
  };

  it('gives no next steps for an ability of NaN or ±Infinity, even with a band of 0 – 1', () => {
    for (const theta of [NaN, Infinity, -Infinity]) {
      expect(nextSteps(theta, ladder)).toEqual([]);
      expect(nextSteps(theta, ladder, wide)).toEqual([]);
    }
  });

  it('keeps every number finite far out on the scale', () => {
    for (const theta of [400, -400, 1e6, -1e6, Number.MAX_VALUE, -Number.MAX_VALUE]) {
      const steps = nextSteps(theta, ladder, wide);
      expect(steps).toHaveLength(ladder.length);
      everyNumberFinite(steps);
      // Far above every item all are as good as mastered, far below all out of reach: none in the default band.
      expect(nextSteps(theta, ladder)).toEqual([]);
    }
  });

  it('counts a latest level outside the scale as no observation', () => {
    // c is yes/no (levels 0 and 1): NaN, 9, −1 and 0.5 are none of them; 9 must not make it mastered.
    for (const level of [NaN, 9, -1, 0.5, Infinity]) {
      const steps = nextSteps(0, ladder, { latestLevels: { c: level } });
      expect(steps.map((step) => step.itemId)).toEqual(['c', 'b']);
      expect(steps[0]).toMatchObject({ evidence: 'not-yet-observed', latestLevel: null });
      everyNumberFinite(steps);
    }
  });

  it('skips items whose thresholds or sufficient level are not usable, and takes the defaults for a band of NaN', () => {
    const broken = [
      { itemId: 'nan', thresholds: [NaN] },
      { itemId: 'infinite', thresholds: [-Infinity, 0, Infinity] },
      { itemId: 'none', thresholds: [] },
      ...ladder,
    ];
    expect(nextSteps(0, broken, wide).map((step) => step.itemId)).toEqual(['c', 'b', 'd', 'a', 'e']);
    expect(nextSteps(0, ladder, { band: { min: NaN, max: NaN } }).map((step) => step.itemId)).toEqual(['c', 'b']);
    expect(nextSteps(0, ladder, { maxItems: NaN }).map((step) => step.itemId)).toEqual(['c', 'b']);
    expect(nextSteps(0, ladder, { ...wide, sufficientLevel: () => NaN })).toEqual([]);
    expect(nextSteps(0, ladder, { ...wide, sufficientLevel: (k) => k })).toEqual([]);
  });
});
