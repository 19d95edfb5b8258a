/**
 * The Rasch estimation (src/core/statistics/rasch/): recovery of known parameters from simulated schools, missing
 * and extreme data, the defaults below the data thresholds, and two independent checks:
 * (a) Warm's estimate against a brute-force grid maximisation of Warm's weighted log-likelihood, computed here from
 *     `levelProbabilities` alone, for yes/no and four-level items, and the exact JML result for two yes/no items;
 * (b) the JML item estimates against a second, independent estimator on simulated yes/no data: the pairwise
 *     conditional estimator of Choppin (1968), δ_i − δ_j ≈ log(n_ji / n_ij) with n_ij the teachers with item i
 *     right and item j wrong.
 */
import { describe, expect, it } from 'vitest';
import { evenlySpacedSteps, levelProbabilities, logistic } from '../../src/core/statistics/partial-credit';
import {
  estimateAbilities,
  estimateRasch,
  jmlBiasFactor,
  levelMomentsInto,
  MIN_PERSONS_FOR_ESTIMATION,
  MIN_RESPONSES_PER_ITEM,
  newtonStep,
  warmCorrection,
  weightedLikelihoodAbility,
  type RaschObservation,
} from '../../src/core/statistics/rasch';
import { createRandom } from '../../src/core/demo/random';
import { nonFiniteNumbers } from '../factories/finite';
import { mean, pearson, simulateSchool, type SimulatedSchool } from '../factories/rasch-simulation';

const indexOf = (id: string): number => Number(id.split('-')[1]);

function trueAbilities(school: SimulatedSchool, personIds: readonly string[]): number[] {
  return personIds.map((id) => school.abilities[indexOf(id)]!);
}

describe('Rasch estimation: recovery of simulated schools', () => {
  // 200 teachers seen in 1–3 lessons, 30 four-level items, a fifth of the items not seen in a lesson.
  it.each([2024, 7, 99])('recovers item locations and abilities, with honest standard errors (seed %i)', (seed) => {
    const school = simulateSchool({
      seed,
      persons: 200,
      items: 30,
      levels: 4,
      lessons: { min: 1, max: 3 },
      missing: 0.2,
    });
    const estimate = estimateRasch(school.observations, school.items);

    expect(estimate.source).toBe('school');
    expect(estimate.convergence?.converged).toBe(true);
    expect(estimate.items.every((item) => item.source === 'school')).toBe(true);
    expect(estimate.persons).toHaveLength(200);
    expect(estimate.observationsUsed).toBe(school.observations.length - countExtremeObservations(estimate, school));

    const locations = estimate.items.map((item) => item.location);
    expect(pearson(locations, school.locations)).toBeGreaterThanOrEqual(0.95);
    // No defaults: the estimated items are centred at 0, as the true ones are.
    expect(mean(locations)).toBeCloseTo(0, 10);

    const thetas = estimate.persons.map((person) => person.theta);
    const truth = trueAbilities(
      school,
      estimate.persons.map((person) => person.personId),
    );
    expect(pearson(thetas, truth)).toBeGreaterThanOrEqual(0.9);

    const covered = estimate.persons.filter(
      (person, n) => Math.abs(person.theta - truth[n]!) <= 1.96 * person.standardError,
    ).length;
    const coverage = covered / estimate.persons.length;
    expect(coverage).toBeGreaterThanOrEqual(0.9);
    expect(coverage).toBeLessThanOrEqual(0.98);
  });

  it('measures 4,000 observations well within two seconds', () => {
    const school = simulateSchool({
      seed: 8,
      persons: 160,
      items: 30,
      levels: 4,
      lessons: { min: 25, max: 25 },
      missing: 0.2,
    });
    expect(school.observations).toHaveLength(4000);
    const started = performance.now();
    const estimate = estimateRasch(school.observations, school.items);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(
      pearson(
        estimate.items.map((item) => item.location),
        school.locations,
      ),
    ).toBeGreaterThan(0.99);
  });
});

function countExtremeObservations(estimate: ReturnType<typeof estimateRasch>, school: SimulatedSchool): number {
  const left = new Set(estimate.persons.filter((person) => !person.usedForItems).map((person) => person.personId));
  return school.observations.filter((observation) => left.has(observation.personId)).length;
}

describe('Rasch estimation: missing, extreme and unusable data', () => {
  const school = simulateSchool({
    seed: 31,
    persons: 120,
    items: 12,
    levels: 4,
    lessons: { min: 1, max: 2 },
    missing: 0.3,
  });
  const items = [...school.items, { itemId: 'unseen', levels: 4, defaultDifficulty: 0.7 }];
  const topAndBottom: RaschObservation[] = [
    // Every rating at the top (two lessons, not all items seen) and every rating at the bottom.
    { personId: 'top', responses: school.items.slice(0, 8).map((item) => ({ itemId: item.itemId, level: 3 })) },
    { personId: 'top', responses: school.items.slice(4).map((item) => ({ itemId: item.itemId, level: 3 })) },
    { personId: 'bottom', responses: school.items.slice(2, 11).map((item) => ({ itemId: item.itemId, level: 0 })) },
  ];
  const estimate = estimateRasch([...school.observations, ...topAndBottom], items);
  const person = (id: string) => estimate.persons.find((p) => p.personId === id)!;

  it('gives all-maximum and all-minimum teachers finite abilities beyond everyone else', () => {
    const top = person('top');
    const bottom = person('bottom');
    const others = estimate.persons.filter((p) => p.extreme === null).map((p) => p.theta);
    expect(top.extreme).toBe('maximum');
    expect(bottom.extreme).toBe('minimum');
    for (const p of [top, bottom]) {
      expect(Number.isFinite(p.theta)).toBe(true);
      expect(Number.isFinite(p.standardError)).toBe(true);
      expect(p.standardError).toBeGreaterThan(0);
      expect(p.usedForItems).toBe(false);
    }
    expect(top.theta).toBeGreaterThan(Math.max(...others));
    expect(bottom.theta).toBeLessThan(Math.min(...others));
    expect(top.observations).toBe(2);
    expect(top.responses).toBe(16);
    expect(top.score).toBe(48);
    expect(top.maxScore).toBe(48);
  });

  it('estimates from the ratings that were given, leaving the missing ones out', () => {
    const given = school.observations.reduce((sum, observation) => sum + observation.responses.length, 0);
    expect(given).toBeLessThan(school.observations.length * 12 * 0.8);
    expect(estimate.responsesUsed).toBeLessThanOrEqual(given);
    expect(estimate.items.filter((item) => item.source === 'school')).toHaveLength(12);
    expect(
      pearson(
        estimate.items.slice(0, 12).map((item) => item.location),
        school.locations,
      ),
    ).toBeGreaterThan(0.95);
    for (const item of estimate.items.slice(0, 12)) expect(item.standardError).toBeGreaterThan(0);
  });

  it('keeps the default of an item nobody was rated on', () => {
    const unseen = estimate.items.find((item) => item.itemId === 'unseen')!;
    expect(unseen).toMatchObject({
      source: 'default',
      defaultReason: 'no-responses',
      location: 0.7,
      responses: 0,
      standardError: null,
    });
    expect(unseen.thresholds).toEqual(evenlySpacedSteps(0.7, 4));
    expect(estimate.source).toBe('mixed');
  });

  it("puts the estimated items on the defaults' scale", () => {
    // The true locations shifted by +0.5 as defaults: the estimate lands on that shifted scale.
    const withDefaults = school.items.map((item, i) => ({ ...item, defaultDifficulty: school.locations[i]! + 0.5 }));
    const shifted = estimateRasch(school.observations, withDefaults);
    expect(mean(shifted.items.map((item) => item.location))).toBeCloseTo(mean(school.locations) + 0.5, 10);
  });

  it('keeps the default of an item everyone reached the top of', () => {
    const everyoneTop = school.observations.map((o) => ({
      ...o,
      responses: [...o.responses, { itemId: 'easy', level: 3 }],
    }));
    const result = estimateRasch(everyoneTop, [
      ...school.items,
      { itemId: 'easy', levels: 4, defaultDifficulty: -1.5 },
    ]);
    const easy = result.items.find((item) => item.itemId === 'easy')!;
    expect(easy).toMatchObject({ source: 'default', defaultReason: 'one-level-only', location: -1.5 });
    expect(result.items.filter((item) => item.source === 'school')).toHaveLength(12);
  });

  it('constrains the thresholds next to a level nobody used', () => {
    // item-0: level 2 never given (turned into 1): the steps into and out of it share one threshold.
    // item-1: level 3 never given (turned into 2): its threshold lies one default spacing above the one below.
    const recoded = school.observations.map((o) => ({
      ...o,
      responses: o.responses.map((r) =>
        r.itemId === 'item-0' && r.level === 2
          ? { ...r, level: 1 }
          : r.itemId === 'item-1' && r.level === 3
            ? { ...r, level: 2 }
            : r,
      ),
    }));
    const result = estimateRasch(recoded, school.items);
    const [gap, top] = [result.items[0]!, result.items[1]!];
    const factor = result.convergence!.biasFactor;
    expect(gap.source).toBe('school');
    expect(gap.unusedLevels).toEqual([2]);
    expect(gap.thresholds[1]).toBeCloseTo(gap.thresholds[2]!, 10);
    expect(top.unusedLevels).toEqual([3]);
    expect(top.thresholds[2]! - top.thresholds[1]!).toBeCloseTo(1.2 * factor, 10);
    for (const t of [...gap.thresholds, ...top.thresholds]) expect(Number.isFinite(t)).toBe(true);
  });

  it('ignores ratings of unknown items and levels outside the scale, and counts them', () => {
    const result = estimateRasch(
      [
        ...school.observations,
        {
          personId: 'odd',
          responses: [
            { itemId: 'nope', level: 1 },
            { itemId: 'item-0', level: 4 },
            { itemId: 'item-0', level: 1.5 },
          ],
        },
      ],
      school.items,
    );
    expect(result.ignoredResponses).toBe(3);
    expect(result.unmeasuredPersonIds).toEqual(['odd']);
  });
});

describe('Rasch estimation: numbers that are not what they should be', () => {
  const school = simulateSchool({
    seed: 17,
    persons: 80,
    items: 10,
    levels: 4,
    lessons: { min: 1, max: 2 },
    missing: 0.2,
  });
  const clean = estimateRasch(school.observations, school.items);

  it('leaves out levels outside the scale and says how many: NaN, ±Infinity, −1, 4 on a 0 … 3 scale, 1.5', () => {
    const outside = [NaN, Infinity, -Infinity, -1, 4, 1.5, 255];
    const observations = school.observations.map((o, n) =>
      n < outside.length
        ? { ...o, responses: [...o.responses, { itemId: 'item-2', level: outside[n]! }, { itemId: 'nope', level: 1 }] }
        : o,
    );
    const result = estimateRasch(observations, school.items);
    expect(result.outOfScaleLevels).toBe(outside.length);
    expect(result.ignoredResponses).toBe(2 * outside.length);
    // Left out as if never given: the same estimate to the last bit.
    expect(result.items).toEqual(clean.items);
    expect(result.persons).toEqual(clean.persons);
    expect(clean.outOfScaleLevels).toBe(0);
  });

  it('leaves out default difficulties that are not finite or beyond ±100 logits, counts them, and stays finite', () => {
    const hostile = [NaN, Infinity, -Infinity, 1e308, -101];
    const items = school.items.map((item, i) => ({ ...item, defaultDifficulty: hostile[i] ?? 0.1 * i }));
    const result = estimateRasch(school.observations, items);
    expect(result.ignoredDefaults).toBe(hostile.length);
    expect(nonFiniteNumbers(result)).toEqual([]);
    expect(result.source).toBe('school');
    // Below the data thresholds the defaults themselves are used: those left out sit at 0.
    const few = estimateRasch(school.observations.slice(0, 5), items);
    expect(few.source).toBe('defaults');
    expect(few.ignoredDefaults).toBe(hostile.length);
    expect(nonFiniteNumbers(few)).toEqual([]);
    expect(few.items.slice(0, hostile.length).map((item) => item.location)).toEqual([0, 0, 0, 0, 0]);
    expect(few.items[6]!.location).toBeCloseTo(0.6, 12);
  });

  it('takes the default of an option that is not a finite number or out of its range', () => {
    for (const value of [NaN, Infinity, -Infinity, -3, 0]) {
      const result = estimateRasch(school.observations, school.items, {
        minPersons: value,
        minResponsesPerItem: value,
        minItems: value,
        stepSpacing: value,
        maxIterations: value,
        tolerance: value,
      });
      expect(nonFiniteNumbers(result)).toEqual([]);
      expect(result).toEqual(clean);
    }
  });

  it('keeps every number finite, whatever numbers come in (30 seeded hostile schools)', () => {
    const hostile = [NaN, Infinity, -Infinity, -1, 0.5, 1e308, -1e308, Number.MIN_VALUE, 4, 1e6];
    const random = createRandom(41);
    const pick = <T>(values: readonly T[]): T => values[random.int(0, values.length - 1)]!;
    for (let run = 0; run < 30; run++) {
      const levels = pick([2, 4, 11]);
      const base = simulateSchool({
        seed: run,
        persons: pick([3, 12, 40]),
        items: pick([2, 6]),
        levels,
        lessons: { min: 1, max: 3 },
        missing: 0.2,
        itemSpread: pick([0.5, 4]),
        abilitySd: pick([0.2, 3]),
      });
      let injected = 0;
      const observations = base.observations.map((o) => ({
        ...o,
        responses: o.responses.map((r) => {
          if (!random.chance(0.1)) return r;
          const level = pick([...hostile, levels]);
          if (!(Number.isInteger(level) && level >= 0 && level < levels)) injected++;
          return { ...r, level };
        }),
      }));
      const items = base.items.map((item) => ({
        ...item,
        defaultDifficulty: random.chance(0.5) ? pick([...hostile, 100, -100, 2]) : undefined,
      }));
      const options = random.chance(0.5)
        ? { stepSpacing: pick([...hostile, 10]), minPersons: pick([...hostile, 1]), tolerance: pick(hostile) }
        : {};
      const result = estimateRasch(observations, items, options);
      expect(nonFiniteNumbers(result)).toEqual([]);
      expect(result.outOfScaleLevels).toBe(injected);
      for (const person of result.persons) expect(person.standardError).toBeGreaterThan(0);
    }
  });

  it('measures against calibrated items, leaving out items whose thresholds are not finite logits', () => {
    const items = [
      ...clean.items,
      { itemId: 'nan', thresholds: [NaN, 0, 1] },
      { itemId: 'far', thresholds: [Infinity, 0, 1] },
    ];
    const observations = school.observations.map((o, n) =>
      n < 3
        ? {
            ...o,
            responses: [...o.responses, { itemId: 'nan', level: 1 }, { itemId: 'far', level: 2 }],
          }
        : o,
    );
    const result = estimateAbilities(observations, items);
    expect(result.ignoredResponses).toBe(6);
    expect(result.outOfScaleLevels).toBe(0);
    expect(nonFiniteNumbers(result)).toEqual([]);
    expect(result.persons).toEqual(estimateAbilities(school.observations, clean.items).persons);
  });

  it('estimates one ability from the usable ratings only, and counts the others', () => {
    const usable = [
      { steps: [-1, 0, 1], level: 2 },
      { steps: [0.5], level: 0 },
    ];
    const wle = weightedLikelihoodAbility([
      ...usable,
      { steps: [-1, 0, 1], level: NaN },
      { steps: [-1, 0, 1], level: 9 },
      { steps: [-1, 0, 1], level: -1 },
      { steps: [NaN], level: 1 },
      { steps: [0], level: 1, count: Infinity },
      { steps: [0], level: 1, count: NaN },
    ]);
    expect(wle.ignoredRatings).toBe(6);
    expect(wle.theta).toBe(weightedLikelihoodAbility(usable).theta);
    expect(nonFiniteNumbers(wle)).toEqual([]);
    expect(() => weightedLikelihoodAbility([{ steps: [0], level: NaN }])).toThrow(RangeError);
  });
});

describe('Rasch estimation: data that fall apart in unconnected blocks', () => {
  // 50 teachers, 10 items: teachers 0–29 are rated only on items 0–4, teachers 30–49 only on items 5–9.
  const school = simulateSchool({
    seed: 23,
    persons: 50,
    items: 10,
    levels: 4,
    lessons: { min: 2, max: 2 },
    missing: 0.1,
  });
  const inA = (personId: string) => indexOf(personId) < 30;
  const isItemOfA = (itemId: string) => indexOf(itemId) < 5;
  const split = school.observations.map((o) => ({
    ...o,
    responses: o.responses.filter((r) => isItemOfA(r.itemId) === inA(o.personId)),
  }));
  const items = school.items.map((item, i) => ({ ...item, defaultDifficulty: -1 + 0.2 * i }));

  it('finds the two blocks, estimates the larger and keeps the defaults of the other, saying so', () => {
    const estimate = estimateRasch(split, items);
    expect(estimate.blocks).toBe(2);
    expect(estimate.source).toBe('mixed');
    estimate.items.forEach((item, i) => {
      if (i < 5) expect(item).toMatchObject({ source: 'school', defaultReason: null });
      else
        expect(item).toMatchObject({
          source: 'default',
          defaultReason: 'not-connected',
          location: items[i]!.defaultDifficulty,
          responsesUsed: 0,
        });
    });
    for (const person of estimate.persons) if (!inA(person.personId)) expect(person.usedForItems).toBe(false);
    expect(estimate.persons.filter((p) => inA(p.personId) && p.usedForItems).length).toBeGreaterThan(20);
    expect(nonFiniteNumbers(estimate)).toEqual([]);
    // Block A is estimated as if B's ratings were not there.
    const aAlone = estimateRasch(
      split.filter((o) => inA(o.personId)),
      items,
    );
    expect(estimate.items.slice(0, 5)).toEqual(aAlone.items.slice(0, 5));
    expect(aAlone.blocks).toBe(1);
  });

  it('finds one block once a single teacher links them', () => {
    const linker = { personId: 'linker', responses: items.map((item, i) => ({ itemId: item.itemId, level: i % 4 })) };
    const estimate = estimateRasch([...split, linker], items);
    expect(estimate.blocks).toBe(1);
    expect(estimate.items.every((item) => item.source === 'school')).toBe(true);
  });

  it('estimates nothing when the larger block is below the data thresholds', () => {
    const estimate = estimateRasch(split, items, { minPersons: 40 });
    expect(estimate.blocks).toBe(2);
    expect(estimate.source).toBe('defaults');
    expect(estimate.items.slice(0, 5).every((item) => item.defaultReason === 'too-little-data')).toBe(true);
    expect(estimate.items.slice(5).every((item) => item.defaultReason === 'not-connected')).toBe(true);
    expect(nonFiniteNumbers(estimate)).toEqual([]);
  });

  it('reports one block for connected data, and none when nothing could take part', () => {
    expect(estimateRasch(school.observations, items).blocks).toBe(1);
    expect(estimateRasch([], items).blocks).toBe(0);
  });
});

describe('Rasch estimation: defaults while there is too little data', () => {
  const items = Array.from({ length: 6 }, (_, i) => ({
    itemId: `item-${i}`,
    levels: 4,
    defaultDifficulty: -1 + 0.4 * i,
  }));

  it('uses the defaults for a team below the threshold, and still measures every teacher against them', () => {
    expect(MIN_PERSONS_FOR_ESTIMATION).toBe(10);
    const school = simulateSchool({
      seed: 5,
      persons: MIN_PERSONS_FOR_ESTIMATION - 1,
      items: 6,
      levels: 4,
      lessons: { min: 10, max: 10 },
      missing: 0,
    });
    const estimate = estimateRasch(school.observations, items);
    expect(estimate.source).toBe('defaults');
    expect(estimate.convergence).toBeNull();
    expect(estimate.personsUsed).toBe(0);
    estimate.items.forEach((item, i) => {
      expect(item).toMatchObject({
        source: 'default',
        defaultReason: 'too-little-data',
        location: items[i]!.defaultDifficulty,
      });
      expect(item.thresholds).toEqual(evenlySpacedSteps(items[i]!.defaultDifficulty, 4));
    });
    expect(estimate.persons).toHaveLength(MIN_PERSONS_FOR_ESTIMATION - 1);
    // The same as measuring against the defaults directly.
    const direct = estimateAbilities(school.observations, estimate.items);
    estimate.persons.forEach((person, n) => expect(person.theta).toBeCloseTo(direct.persons[n]!.theta, 12));
  });

  it('estimates from the school once it has enough teachers', () => {
    const school = simulateSchool({
      seed: 5,
      persons: MIN_PERSONS_FOR_ESTIMATION + 10,
      items: 6,
      levels: 4,
      lessons: { min: 3, max: 3 },
      missing: 0,
    });
    const estimate = estimateRasch(school.observations, items);
    expect(estimate.personsUsed).toBeGreaterThanOrEqual(MIN_PERSONS_FOR_ESTIMATION);
    expect(estimate.source).toBe('school');
  });

  it('keeps the default of an item with too few ratings and reports it', () => {
    expect(MIN_RESPONSES_PER_ITEM).toBe(30);
    const school = simulateSchool({
      seed: 6,
      persons: 60,
      items: 6,
      levels: 4,
      lessons: { min: 1, max: 1 },
      missing: 0,
    });
    // item-5 seen only in the first 20 lessons.
    const thin = school.observations.map((o, n) =>
      n < 20 ? o : { ...o, responses: o.responses.filter((r) => r.itemId !== 'item-5') },
    );
    const estimate = estimateRasch(thin, items);
    expect(estimate.source).toBe('mixed');
    expect(estimate.items[5]).toMatchObject({
      source: 'default',
      defaultReason: 'too-few-responses',
      location: items[5]!.defaultDifficulty,
      responses: 20,
    });
    expect(estimate.items.slice(0, 5).every((item) => item.source === 'school')).toBe(true);
  });
});

describe('Rasch estimation: checks against worked examples and a second estimator', () => {
  /** Warm's weighted log-likelihood, log L(θ) + ½ log I(θ), from the category probabilities alone. */
  function warmObjective(theta: number, ratings: ReadonlyArray<{ steps: number[]; level: number }>): number {
    let logLikelihood = 0;
    let information = 0;
    for (const { steps, level } of ratings) {
      const p = levelProbabilities(theta, steps);
      logLikelihood += Math.log(p[level]!);
      const m = p.reduce((s, pk, k) => s + k * pk, 0);
      information += p.reduce((s, pk, k) => s + (k - m) ** 2 * pk, 0);
    }
    return logLikelihood + 0.5 * Math.log(information);
  }

  /** A brute-force search: every 0.01 logit on [−8, 8], then every 0.00001 around the best point. */
  function gridMaximum(ratings: ReadonlyArray<{ steps: number[]; level: number }>): number {
    const search = (from: number, to: number, step: number): number => {
      let best = -Infinity;
      let at = NaN;
      for (let i = 0; from + i * step <= to; i++) {
        const value = warmObjective(from + i * step, ratings);
        if (value > best) [best, at] = [value, from + i * step];
      }
      return at;
    };
    const coarse = search(-8, 8, 0.01);
    return search(coarse - 0.02, coarse + 0.02, 1e-5);
  }

  const difficulties = [-1.5, -0.5, 0, 0.7, 1.8];
  it.each([
    ['none right', [0, 0, 0, 0, 0]],
    ['two right', [1, 1, 0, 0, 0]],
    ['an unexpected pattern', [0, 1, 0, 1, 1]],
    ['all right', [1, 1, 1, 1, 1]],
  ])("(a) yes/no items, %s: the WLE is the maximum of Warm's weighted likelihood", (_, pattern) => {
    const ratings = difficulties.map((delta, i) => ({ steps: [delta], level: pattern[i]! }));
    const wle = weightedLikelihoodAbility(ratings);
    expect(Math.abs(wle.theta - gridMaximum(ratings))).toBeLessThan(2e-5);
    // Its standard error is 1/√(Σ p(1 − p)) at the estimate.
    const information = difficulties.reduce(
      (sum, delta) => sum + logistic(wle.theta - delta) * (1 - logistic(wle.theta - delta)),
      0,
    );
    expect(wle.standardError).toBeCloseTo(1 / Math.sqrt(information), 10);
  });

  it("(a) four-level items with repeated ratings: the WLE is the maximum of Warm's weighted likelihood", () => {
    const items = [
      [-2, -0.6, 0.9],
      [-0.4, 0.1, 1.9],
      [0.3, 1.1, 2.4],
    ];
    for (const levels of [
      [3, 3, 3],
      [2, 1, 0],
      [0, 0, 0],
      [3, 2, 1],
    ]) {
      // Item 0 rated twice: a `count` of 2 is the same as the rating listed twice.
      const ratings = items.map((steps, i) => ({ steps, level: levels[i]! }));
      const wle = weightedLikelihoodAbility([{ ...ratings[0]!, count: 2 }, ratings[1]!, ratings[2]!]);
      expect(Math.abs(wle.theta - gridMaximum([ratings[0]!, ...ratings]))).toBeLessThan(2e-5);
    }
  });

  it('(a) two yes/no items: the bias-corrected JML difference is the conditional estimate log(n₁₂ / n₂₁)', () => {
    // Andersen (1973): with two items JML doubles the conditional ML estimate, which (L − 1)/L = ½ undoes exactly.
    const observations: RaschObservation[] = [];
    const add = (count: number, a: number, b: number) => {
      for (let n = 0; n < count; n++)
        observations.push({
          personId: `p${observations.length}`,
          responses: [
            { itemId: 'a', level: a },
            { itemId: 'b', level: b },
          ],
        });
    };
    add(30, 1, 0);
    add(10, 0, 1);
    add(12, 1, 1); // extreme: left out of the item estimation
    add(5, 0, 0);
    const estimate = estimateRasch(
      observations,
      [
        { itemId: 'a', levels: 2 },
        { itemId: 'b', levels: 2 },
      ],
      { minItems: 2, minPersons: 1, minResponsesPerItem: 1 },
    );
    expect(estimate.convergence).toMatchObject({ converged: true, biasFactor: 0.5 });
    expect(estimate.personsUsed).toBe(40);
    const [a, b] = estimate.items;
    expect(b!.location - a!.location).toBeCloseTo(Math.log(30 / 10), 6);
  });

  it("(b) agrees with Choppin's pairwise estimator on simulated yes/no data", () => {
    const school = simulateSchool({
      seed: 5,
      persons: 500,
      items: 20,
      levels: 2,
      lessons: { min: 1, max: 1 },
      missing: 0.1,
      thresholdJitter: 0,
    });
    const L = school.items.length;
    const n = Array.from({ length: L }, () => new Array<number>(L).fill(0));
    for (const observation of school.observations) {
      for (const x of observation.responses) {
        for (const y of observation.responses)
          if (x.level === 1 && y.level === 0) n[indexOf(x.itemId)]![indexOf(y.itemId)]!++;
      }
    }
    // Least squares on δ_i − δ_j = log(n_ji / n_ij) over all pairs, centred: the row means.
    const pairwise = n.map((_, i) => mean(n.map((_, j) => (i === j ? 0 : Math.log(n[j]![i]! / n[i]![j]!)))));
    const jml = estimateRasch(school.observations, school.items).items.map((item) => item.location);
    const uncorrected = estimateRasch(school.observations, school.items, { biasCorrection: false }).items.map(
      (item) => item.location,
    );
    const difference = (values: number[]) => mean(values.map((value, i) => Math.abs(value - pairwise[i]!)));
    expect(pearson(jml, pairwise)).toBeGreaterThanOrEqual(0.98);
    expect(difference(jml)).toBeLessThan(0.05);
    // The (L − 1)/L correction brings JML closer to the consistent pairwise estimates.
    expect(difference(jml)).toBeLessThan(difference(uncorrected));
  });
});

describe('Rasch formulas', () => {
  it('gives the moments of a worked example: θ = 0, thresholds −1 and +1 (weights 1 : e : 1)', () => {
    const e = Math.E;
    const weights = new Float64Array([1, e, 1]);
    const out = new Float64Array(4);
    levelMomentsInto(weights, 3, 2 + e, out);
    expect(out[0]).toBeCloseTo(1, 12); // expected level
    expect(out[1]).toBeCloseTo(2 / (2 + e), 12); // information: Σ (k − 1)² P(k)
    expect(out[2]).toBeCloseTo(0, 12); // symmetric: no skew
    expect(out[3]).toBeCloseTo(2 / (2 + e) - 3 * (2 / (2 + e)) ** 2, 12);
  });

  it("takes clamped Newton steps, Warm's correction and the JML bias factor", () => {
    expect(newtonStep(0.5, -2)).toBe(0.25);
    expect(newtonStep(5, -1)).toBe(1);
    expect(newtonStep(-5, -1, 0.5)).toBe(-0.5);
    expect(warmCorrection(0.3, 1.5)).toBeCloseTo(0.1, 12);
    expect(jmlBiasFactor(30)).toBeCloseTo(29 / 30, 12);
    expect(jmlBiasFactor(1)).toBe(1);
  });
});
