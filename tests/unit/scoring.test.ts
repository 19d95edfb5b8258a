import { describe, expect, it } from 'vitest';
import { combineValues, formatScore, mapValue, scoreObservation } from '../../src/core/instrument/scoring';
import type { Instrument, Item } from '../../src/core/instrument';
import type { ResponseContent } from '../../src/core/observation/progress';
import { validateInstrument } from '../../src/core/instrument/validate';
import { both, buildInstrument } from '../factories/instrument-factory';

const rating = (id: string, extra: Partial<Item> = {}): Item => ({ id, text: both(id), response: { type: 'rating', scale: 'zeven' }, ...extra });
const answers = (entries: Record<string, Partial<ResponseContent>>): Map<string, ResponseContent> =>
  new Map(Object.entries(entries).map(([key, value]) => [key, { lookFors: [], ...value }]));

/** A CLASS-like instrument: a 1–7 scale with bands, a reverse-keyed dimension, cycles, domain and overall scores. */
function cyclesInstrument(): Instrument {
  return buildInstrument({
    format: 2,
    scales: [
      {
        id: 'zeven',
        label: both('Zeven'),
        levels: [1, 2, 3, 4, 5, 6, 7].map((value) => ({ value, label: both(String(value)) })),
        bands: [
          { id: 'laag', label: both('Laag'), min: 1, max: 2 },
          { id: 'midden', label: both('Midden'), min: 3, max: 5 },
          { id: 'hoog', label: both('Hoog'), min: 6, max: 7 },
        ],
      },
      { id: 'vier', label: both('Vier'), levels: [1, 2, 3, 4].map((value) => ({ value, label: both(String(value)) })), scoring: 'dicho' },
    ],
    scoringMaps: [{ id: 'dicho', entries: [{ min: 1, max: 2, score: 0 }, { min: 3, max: 4, score: 1 }] }],
    context: [],
    domains: [
      {
        id: 'steun',
        title: both('Steun'),
        repeat: { label: both('Cyclus'), min: 1, max: 6, minutes: 15 },
        score: { method: 'mean' },
        items: [rating('positief'), rating('negatief', { reverse: true }), rating('sensitief')],
      },
      {
        id: 'lijst',
        title: both('Lijst'),
        score: { method: 'sum' },
        items: [
          { id: 'i1', text: both('i1'), response: { type: 'rating', scale: 'vier' } },
          { id: 'i2', text: both('i2'), response: { type: 'rating', scale: 'vier' } },
          {
            id: 'element',
            text: both('Element'),
            response: { type: 'score', from: 'children', method: 'min' },
            children: [
              { id: 'gedrag-a', text: both('a'), response: { type: 'yes-no' } },
              { id: 'gedrag-b', text: both('b'), response: { type: 'yes-no' } },
            ],
          },
          {
            id: 'kijk',
            text: both('Kijk'),
            lookForAnswer: 'seen-not-seen',
            lookFors: ['a', 'b', 'c', 'd'].map((id) => ({ id, text: both(id) })),
            response: { type: 'score', from: 'lookFors', method: 'mean', decimals: 2 },
          },
        ],
      },
    ],
    rules: [],
    scores: [{ id: 'totaal', label: both('Totaal'), method: 'mean', weights: { steun: 2 }, from: [{ domain: 'steun' }, { domain: 'lijst' }] }],
  });
}

describe('scoreObservation', () => {
  it('is a valid format-2 instrument to begin with', () => {
    const result = validateInstrument(cyclesInstrument());
    expect(result.problems).toEqual([]);
  });

  it('scores each cycle, turns reverse-keyed items round, and combines the cycles before the domain', () => {
    const sheet = scoreObservation(
      cyclesInstrument(),
      answers({
        'positief#1': { rating: 5 },
        'negatief#1': { rating: 2 }, // reversed on 1–7: 6
        'sensitief#1': { rating: 4 },
        'positief#2': { rating: 7 },
        'negatief#2': { rating: 1 }, // 7
        // sensitief not rated in cycle 2: the cycle's mean leaves it out instead of counting it as zero
      }),
    );
    const cycles = sheet.perCycle.get('steun')!;
    expect(cycles.map((c) => c.cycle)).toEqual([1, 2]);
    expect(cycles[0]!.domain).toBeCloseTo((5 + 6 + 4) / 3);
    expect(cycles[1]!.domain).toBeCloseTo((7 + 7) / 2);
    expect(sheet.items.get('positief')).toBe(6);
    expect(sheet.items.get('negatief')).toBe(6.5);
    expect(sheet.items.get('sensitief')).toBe(4);
    // Combined: mean of the combined items, not the mean of the cycle means.
    expect(sheet.domains.get('steun')).toBeCloseTo((6 + 6.5 + 4) / 3);
  });

  it('applies scoring maps, derives elements from behaviours and look-fors, and weights named scores', () => {
    const sheet = scoreObservation(
      cyclesInstrument(),
      answers({
        'positief#1': { rating: 4 },
        'negatief#1': { rating: 4 },
        'sensitief#1': { rating: 4 },
        i1: { rating: 2 }, // → 0
        i2: { rating: 3 }, // → 1
        'gedrag-a': { answer: 'yes' },
        'gedrag-b': { answer: 'no' },
        kijk: { lookFors: ['a', 'b', 'c'], notSeen: ['d'] },
      }),
    );
    expect(sheet.items.get('i1')).toBe(0);
    expect(sheet.items.get('i2')).toBe(1);
    expect(sheet.items.get('element')).toBe(0);
    expect(sheet.items.get('kijk')).toBe(0.75);
    expect(sheet.domains.get('lijst')).toBe(0 + 1 + 0 + 0.75);
    expect(sheet.scores.get('totaal')).toBeCloseTo((4 * 2 + 1.75) / 3);
  });

  it('leaves out what was not answered, not observed or ruled out, and has no score for nothing', () => {
    const instrument = cyclesInstrument();
    instrument.rules = [{ id: 'r', when: { item: 'i1', in: [1] }, then: { notApplicable: ['i2'] } }];
    const sheet = scoreObservation(instrument, answers({ i1: { rating: 1 }, i2: { rating: 4 }, 'positief#1': { rating: 'not-observed' } }));
    expect(sheet.items.has('i2')).toBe(false);
    expect(sheet.items.has('positief')).toBe(false);
    expect(sheet.domains.has('steun')).toBe(false);
    expect(sheet.domains.get('lijst')).toBe(0);
    // Unanswered seen / not-seen look-fors are left out: no score rather than 0.
    expect(sheet.items.has('kijk')).toBe(false);
  });
});

describe('combining values', () => {
  const parts = (...values: number[]) => values.map((value, i) => ({ id: `p${i}`, value }));
  it.each([
    ['mean', [1, 2, 6], 3],
    ['sum', [1, 2, 6], 9],
    ['min', [4, 2, 6], 2],
    ['max', [4, 2, 6], 6],
    ['median', [4, 2, 6, 10], 5],
    ['mode', [3, 1, 3, 1, 2], 1],
  ] as const)('%s of %j is %d', (method, values, expected) => {
    expect(combineValues(method, parts(...values))).toBe(expected);
  });

  it('weights a mean and a sum, and has nothing to say about no parts', () => {
    expect(combineValues('mean', parts(1, 4), { p1: 2 })).toBe(3);
    expect(combineValues('sum', parts(1, 4), { p1: 0.5 })).toBe(3);
    expect(combineValues('mean', [])).toBeUndefined();
  });

  it('maps by the first inclusive range and refuses values outside every range', () => {
    const map = { id: 'm', entries: [{ min: 1, max: 2, score: 0 }, { min: 3, max: 4, score: 1 }] };
    expect([1, 2, 3, 4].map((v) => mapValue(map, v))).toEqual([0, 0, 1, 1]);
    expect(mapValue(map, 2.5)).toBeUndefined();
  });

  it('formats with the rule’s decimals', () => {
    expect(formatScore(3.456, { method: 'mean' }, 'en')).toBe('3.5');
    expect(formatScore(3.456, { method: 'mean' }, 'nl')).toBe('3,5');
    expect(formatScore(3, { method: 'sum', decimals: 2 }, 'en')).toBe('3.00');
  });
});
