import { describe, expect, it } from 'vitest';
import {
  drawLevel,
  evenlySpacedSteps,
  expectedLevel,
  levelInformation,
  levelLogLikelihood,
  levelProbabilities,
  logistic,
  reachProbability,
} from '../../src/core/statistics/partial-credit';
import { createRandom } from '../../src/core/demo/random';

describe('the partial-credit model', () => {
  it('gives the probabilities of a worked example: θ = 0 with thresholds −1 and +1 is 1 : e : 1', () => {
    const e = Math.E;
    const probabilities = levelProbabilities(0, [-1, 1]);
    [1 / (2 + e), e / (2 + e), 1 / (2 + e)].forEach((expected, k) =>
      expect(probabilities[k]).toBeCloseTo(expected, 12),
    );
  });

  it('gives the information, the chance of reaching a level and the log-likelihood of that worked example', () => {
    const e = Math.E;
    expect(expectedLevel(0, [-1, 1])).toBeCloseTo(1, 12);
    expect(levelInformation(0, [-1, 1])).toBeCloseTo(2 / (2 + e), 12); // Σ (k − 1)² P(k)
    expect(reachProbability(0, [-1, 1], 1)).toBeCloseTo((1 + e) / (2 + e), 12);
    expect(reachProbability(0, [-1, 1], 0)).toBeCloseTo(1, 12);
    expect(levelLogLikelihood(0, [-1, 1], 1)).toBeCloseTo(Math.log(e / (2 + e)), 12);
    // Dichotomous: information p(1 − p).
    expect(levelInformation(0.4, [-0.2])).toBeCloseTo(logistic(0.6) * (1 - logistic(0.6)), 12);
  });

  it('is the dichotomous Rasch model with two levels', () => {
    for (const [theta, delta] of [
      [0, 0],
      [1.5, -0.3],
      [-2, 1],
    ] as const) {
      expect(levelProbabilities(theta, [delta])[1]).toBeCloseTo(logistic(theta - delta), 12);
    }
  });

  it('sums to one and expects a higher level from a more able teacher', () => {
    const steps = evenlySpacedSteps(0.4, 5);
    let previous = -Infinity;
    for (let theta = -4; theta <= 4; theta += 0.5) {
      const probabilities = levelProbabilities(theta, steps);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      const expected = expectedLevel(theta, steps);
      expect(expected).toBeGreaterThan(previous);
      previous = expected;
    }
  });

  it('centres evenly spaced thresholds on the difficulty', () => {
    const steps = evenlySpacedSteps(-0.7, 4, 1.2);
    expect(steps).toHaveLength(3);
    expect(steps.reduce((a, b) => a + b, 0) / steps.length).toBeCloseTo(-0.7, 12);
    expect(steps[1]! - steps[0]!).toBeCloseTo(1.2, 12);
  });

  it('draws levels as often as the model predicts', () => {
    const random = createRandom(11);
    const steps = [-1.1, 0.2, 1.4];
    const theta = 0.3;
    const counts = [0, 0, 0, 0];
    const draws = 40_000;
    for (let n = 0; n < draws; n++) counts[drawLevel(theta, steps, random.next())]!++;
    levelProbabilities(theta, steps).forEach((p, k) => {
      // Within four standard errors of a binomial proportion.
      expect(Math.abs(counts[k]! / draws - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / draws));
    });
  });
});

describe('the partial-credit model at the edges of the scale', () => {
  const steps = [-1.1, 0.2, 1.4];
  const sumsToOne = (probabilities: readonly number[]) => {
    for (const p of probabilities) expect(Number.isFinite(p)).toBe(true);
    expect(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9);
  };

  it.each([400, 800, 1e6, Number.MAX_VALUE])(
    'gives finite probabilities summing to 1 at θ = ±%d, all on the nearest end level',
    (magnitude) => {
      for (const theta of [magnitude, -magnitude]) {
        const probabilities = levelProbabilities(theta, steps);
        sumsToOne(probabilities);
        const end = theta > 0 ? steps.length : 0;
        expect(probabilities[end]).toBeCloseTo(1, 12);
        for (const value of [
          expectedLevel(theta, steps),
          levelInformation(theta, steps),
          reachProbability(theta, steps, 2),
          drawLevel(theta, steps, 0.5),
          levelLogLikelihood(theta, steps, end),
        ])
          expect(Number.isFinite(value)).toBe(true);
        expect(expectedLevel(theta, steps)).toBeCloseTo(end, 12);
        expect(drawLevel(theta, steps, 0.5)).toBe(end);
      }
    },
  );

  it('gives the exact log-likelihood far out: at θ = 400, log P(2) = −(400 − 1.4) to rounding', () => {
    // ψ = (0, 401.1, 800.9, 1199.5): P(2)/P(3) = e^(−398.6), everything else is far smaller.
    expect(levelLogLikelihood(400, steps, 3)).toBeCloseTo(0, 12);
    expect(levelLogLikelihood(400, steps, 2)).toBeCloseTo(-(400 - 1.4), 9);
    expect(levelLogLikelihood(-400, steps, 0)).toBeCloseTo(0, 12);
    expect(levelLogLikelihood(-400, steps, 1)).toBeCloseTo(-(400 - 1.1), 9);
  });

  it('takes θ = ±Infinity as its limit: everything at the top or at the bottom level', () => {
    expect(levelProbabilities(Infinity, steps)).toEqual([0, 0, 0, 1]);
    expect(levelProbabilities(-Infinity, steps)).toEqual([1, 0, 0, 0]);
    expect(levelProbabilities(Infinity, [0])).toEqual([0, 1]);
    sumsToOne(levelProbabilities(Infinity, steps));
    expect(expectedLevel(Infinity, steps)).toBe(3);
    expect(levelInformation(-Infinity, steps)).toBe(0);
    expect(reachProbability(Infinity, steps, 2)).toBe(1);
    expect(reachProbability(-Infinity, steps, 2)).toBe(0);
    expect(levelLogLikelihood(Infinity, steps, 3)).toBeCloseTo(0, 12);
    expect(levelLogLikelihood(Infinity, steps, 1)).toBe(-Infinity);
    expect(Number.isNaN(levelLogLikelihood(-Infinity, steps, 2))).toBe(false);
  });

  it('refuses an ability that is not a number, and thresholds that are not finite logits', () => {
    for (const call of [
      () => levelProbabilities(NaN, steps),
      () => expectedLevel(NaN, steps),
      () => levelInformation(NaN, steps),
      () => reachProbability(NaN, steps, 1),
      () => levelLogLikelihood(NaN, steps, 1),
      () => drawLevel(NaN, steps, 0.5),
      () => levelProbabilities(0, [0, NaN]),
      () => levelProbabilities(0, [Infinity]),
      () => levelProbabilities(0, [-1e300]),
      () => levelLogLikelihood(0, steps, 4),
      () => levelLogLikelihood(0, steps, NaN),
    ])
      expect(call).toThrow(RangeError);
  });
});
