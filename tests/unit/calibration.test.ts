import { describe, expect, it } from 'vitest';
import {
  CALIBRATION_WINDOW_MS,
  calibrationAgreement,
  calibrationPartner,
  quadraticWeight,
  weightedKappa,
} from '../../src/core/insight/calibration';

describe('calibration', () => {
  it('computes quadratic-weighted kappa as by hand', () => {
    // Two raters, 4 levels, 5 items: (0,0) (1,1) (2,3) (3,3) (1,2).
    // Weights w = ((i−j)/3)²: observed Σw/n = (0 + 0 + 1/9 + 0 + 1/9) / 5 = 2/45.
    // Rater A levels: 0,1,2,3,1 → shares [.2,.4,.2,.2]; rater B: 0,1,3,3,2 → [.2,.2,.2,.4].
    const pairs: Array<[number, number]> = [
      [0, 0],
      [1, 1],
      [2, 3],
      [3, 3],
      [1, 2],
    ];
    const a = [0.2, 0.4, 0.2, 0.2];
    const b = [0.2, 0.2, 0.2, 0.4];
    let expected = 0;
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expected += ((i - j) / 3) ** 2 * a[i]! * b[j]!;
    // On paper: Σ w·a·b = (0.92 + 0.8 + 0.28 + 0.56) / 9 = 2.56 / 9 = 64/225; observed = 2/45 = 10/225.
    expect(expected).toBeCloseTo(64 / 225, 12);
    // κ_w = 1 − (10/225) / (64/225) = 54/64 = 27/32.
    expect(weightedKappa(pairs, 4)).toBeCloseTo(27 / 32, 12);
    expect(quadraticWeight(0, 3, 4)).toBe(1);
  });

  it('is 1 for perfect agreement, about 0 for chance, negative for systematic opposites', () => {
    expect(
      weightedKappa(
        [
          [0, 0],
          [1, 1],
          [3, 3],
        ],
        4,
      ),
    ).toBe(1);
    expect(
      weightedKappa(
        [
          [0, 3],
          [3, 0],
          [1, 2],
          [2, 1],
        ],
        4,
      ),
    ).toBeLessThan(0);
    expect(weightedKappa([], 4)).toBeUndefined();
    // Both observers used one level only: chance agreement is complete, kappa undefined.
    expect(
      weightedKappa(
        [
          [2, 2],
          [2, 2],
        ],
        4,
      ),
    ).toBeUndefined();
  });

  it('gives exact and adjacent agreement per domain and overall, over items both rated', () => {
    const a = {
      version: 1,
      domains: {},
      items: { i1: [0, 4], i2: [1, 4], i3: [2, 4], j1: [3, 4], j2: [0, 4] } as Record<string, [number, number]>,
    };
    const b = {
      version: 1,
      domains: {},
      items: { i1: [0, 4], i2: [2, 4], i3: [0, 4], j1: [3, 4], x: [1, 4] } as Record<string, [number, number]>,
    };
    const domains = new Map([
      ['i1', 'I'],
      ['i2', 'I'],
      ['i3', 'I'],
      ['j1', 'J'],
      ['j2', 'J'],
    ]);
    const result = calibrationAgreement(a, b, domains);
    expect(result.overall).toMatchObject({ items: 4, exact: 0.5, adjacent: 0.75 });
    expect(result.domains.I).toMatchObject({ items: 3, exact: 1 / 3, adjacent: 2 / 3 });
    expect(result.domains.J).toMatchObject({ items: 1, exact: 1, adjacent: 1 });
  });

  describe('the other observation of a calibration lesson', () => {
    const T0 = Date.UTC(2027, 0, 12, 9, 0);
    const lesson = (id: string, changes: Partial<Parameters<typeof calibrationPartner>[0]> = {}) => ({
      id,
      purpose: 'calibration' as const,
      status: 'completed' as const,
      observedId: 'anna',
      observerId: 'bram',
      instrumentKey: 'meekijken.lesobservatie@1.1.0',
      startedAt: T0,
      ...changes,
    });
    const mine = lesson('mine');

    it('is found across versions of the instrument: a tablet not yet updated still compares the same lesson', () => {
      const partner = lesson('other', { observerId: 'lieke', instrumentKey: 'meekijken.lesobservatie@1.0.0' });
      expect(calibrationPartner(mine, [mine, partner])).toBe(partner);
      expect(calibrationPartner(partner, [mine, partner])).toBe(mine);
    });

    it('is by another observer, of the same teacher, with the same instrument, completed and in the window', () => {
      const others = [
        lesson('same-observer', { startedAt: T0 + 60_000 }),
        lesson('other-teacher', { observerId: 'lieke', observedId: 'carla' }),
        lesson('other-instrument', { observerId: 'lieke', instrumentKey: 'meekijken.lesobservatie-kort@1.1.0' }),
        lesson('draft', { observerId: 'lieke', status: 'draft' }),
        lesson('peer', { observerId: 'lieke', purpose: 'peer' }),
        lesson('too-late', { observerId: 'lieke', startedAt: T0 + CALIBRATION_WINDOW_MS + 1 }),
      ];
      expect(calibrationPartner(mine, [mine, ...others])).toBeUndefined();
      const near = lesson('near', { observerId: 'lieke', startedAt: T0 - 5 * 60_000 });
      const nearer = lesson('nearer', { observerId: 'daan', startedAt: T0 + 2 * 60_000 });
      expect(calibrationPartner(mine, [...others, near, nearer])).toBe(nearer);
      expect(calibrationPartner({ ...mine, purpose: 'peer' }, [near])).toBeUndefined();
    });
  });
});
