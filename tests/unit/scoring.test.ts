import { describe, expect, it } from 'vitest';
import { combineValues, formatScore, mapValue, scoreObservation } from '../../src/core/instrument/scoring';
import type { Instrument, Item } from '../../src/core/instrument';
import type { ResponseContent } from '../../src/core/observation/progress';
import { validateInstrument } from '../../src/core/instrument/validate';
import { both, buildInstrument } from '../factories/instrument-factory';

const rating = (id: string, extra: Partial<Item> = {}): Item => ({
  id,
  text: both(id),
  response: { type: 'rating', scale: 'zeven' },
  ...extra,
});
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
      {
        id: 'vier',
        label: both('Vier'),
        levels: [1, 2, 3, 4].map((value) => ({ value, label: both(String(value)) })),
        scoring: 'dicho',
      },
    ],
    scoringMaps: [
      {
        id: 'dicho',
        entries: [
          { min: 1, max: 2, score: 0 },
          { min: 3, max: 4, score: 1 },
        ],
      },
    ],
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
    scores: [
      {
        id: 'totaal',
        label: both('Totaal'),
        method: 'mean',
        weights: { steun: 2 },
        from: [{ domain: 'steun' }, { domain: 'lijst' }],
      },
    ],
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

  it('never scores more repetitions than the section allows, whatever a response claims', () => {
    // Scoring up to the claimed repetition would run a billion times: the test would time out instead of passing.
    const sheet = scoreObservation(
      cyclesInstrument(),
      answers({ 'positief#1': { rating: 5 }, 'positief#1000000000': { rating: 1 } }),
    );
    expect(sheet.perCycle.get('steun')!.length).toBe(6); // the section's max
    expect(sheet.items.get('positief')).toBe(5);
    const asked = scoreObservation(cyclesInstrument(), answers({}), { cycles: { steun: 1e9 } });
    expect(asked.perCycle.get('steun')!.length).toBe(6);
  });

  it('leaves out what was not answered, not observed or ruled out, and has no score for nothing', () => {
    const instrument = cyclesInstrument();
    instrument.rules = [{ id: 'r', when: { item: 'i1', in: [1] }, then: { notApplicable: ['i2'] } }];
    const sheet = scoreObservation(
      instrument,
      answers({ i1: { rating: 1 }, i2: { rating: 4 }, 'positief#1': { rating: 'not-observed' } }),
    );
    expect(sheet.items.has('i2')).toBe(false);
    expect(sheet.items.has('positief')).toBe(false);
    expect(sheet.domains.has('steun')).toBe(false);
    expect(sheet.domains.get('lijst')).toBe(0);
    // Unanswered seen / not-seen look-fors are left out: no score rather than 0.
    expect(sheet.items.has('kijk')).toBe(false);
  });
});

describe('format 2 scores from snapshots, ranges that meet, and levels', () => {
  const snapshotInstrument = (): Instrument =>
    buildInstrument({
      format: 2,
      scoringMaps: [
        {
          id: 'deel',
          entries: [
            { min: 0, below: 0.5, score: 0 },
            { min: 0.5, max: 1, score: 1 },
          ],
        },
      ],
      rules: [],
      domains: [
        {
          id: 'tijd',
          title: both('Tijd'),
          items: [
            {
              id: 'moment',
              text: both('Moment'),
              response: {
                type: 'snapshot',
                schedule: { equalParts: 4 },
                fields: [
                  {
                    id: 'activiteit',
                    label: both('Activiteit'),
                    response: {
                      type: 'choice',
                      options: ['uitleg', 'oefenen', 'orde'].map((id) => ({ id, label: both(id) })),
                    },
                  },
                  { id: 'onrust', label: both('Onrust'), reverse: true, response: { type: 'rating', scale: 'vier' } },
                  {
                    id: 'weg',
                    label: both('Niet bij de les'),
                    response: {
                      type: 'counter',
                      bands: [
                        { id: 'hoog', label: both('Hoog'), min: 0, max: 1 },
                        { id: 'midden', label: both('Midden'), min: 2, max: 5 },
                        { id: 'laag', label: both('Laag'), min: 6 },
                      ],
                    },
                  },
                ],
              },
            },
            {
              id: 'leertijd',
              text: both('Leertijd'),
              response: {
                type: 'score',
                method: 'mean',
                from: { snapshot: 'moment', field: 'activiteit', in: ['uitleg', 'oefenen'] },
              },
            },
            {
              id: 'leertijd-ok',
              text: both('Genoeg leertijd'),
              response: {
                type: 'score',
                method: 'mean',
                map: 'deel',
                from: { snapshot: 'moment', field: 'activiteit', in: ['uitleg', 'oefenen'] },
              },
            },
            {
              id: 'rust',
              text: both('Rust'),
              response: { type: 'score', method: 'mean', scale: 'vier', from: { snapshot: 'moment', field: 'onrust' } },
            },
            {
              id: 'weg-gemiddeld',
              text: both('Gemiddeld niet bij de les'),
              response: { type: 'score', method: 'mean', from: { snapshot: 'moment', field: 'weg' } },
            },
            {
              id: 'weg-hoog',
              text: both('Aandeel hoog'),
              response: {
                type: 'score',
                method: 'mean',
                percent: true,
                from: { snapshot: 'moment', field: 'weg', in: ['hoog'] },
              },
            },
            {
              id: 'weg-genoeg',
              text: both('Genoeg momenten'),
              response: { type: 'score', method: 'mean', minParts: 3, from: { snapshot: 'moment', field: 'weg' } },
            },
          ],
        },
      ],
    });

  it('is valid', () => {
    expect(validateInstrument(snapshotInstrument()).problems).toEqual([]);
  });

  it('gives the share of snapshots, a field’s mean turned round, and a map over ranges that meet', () => {
    const sheet = scoreObservation(
      snapshotInstrument(),
      answers({
        moment: {
          snapshots: {
            '5.6': { activiteit: 'uitleg', onrust: 1, weg: 2 },
            '16.9': { activiteit: 'orde', onrust: 4, weg: 6 },
            '28.1': { activiteit: 'oefenen', onrust: 2 },
            '39.4': { activiteit: 'orde' },
          },
        },
      }),
    );
    expect(sheet.items.get('leertijd')).toBe(0.5);
    expect(sheet.items.get('leertijd-ok')).toBe(1); // 0.5 is not below 0.5
    // Unrest reversed on 1–4: 4, 1, 3 → mean 2.67 → nearest level 3.
    expect(sheet.items.get('rust')).toBe(3);
    expect(sheet.items.get('weg-gemiddeld')).toBe(4);
    // Counts 2 and 6 fall in the bands "midden" and "laag": none of two snapshots is "hoog".
    expect(sheet.items.get('weg-hoog')).toBe(0);
    // Only two snapshots have a count: fewer than the three parts this score asks for.
    expect(sheet.items.has('weg-genoeg')).toBe(false);
  });

  it('names counter bands in a share and shows it as a percentage', () => {
    const sheet = scoreObservation(
      snapshotInstrument(),
      answers({ moment: { snapshots: { '1': { weg: 1 }, '2': { weg: 0 }, '3': { weg: 7 } } } }),
    );
    expect(sheet.items.get('weg-hoog')).toBeCloseTo(2 / 3);
    expect(formatScore(sheet.items.get('weg-hoog')!, { method: 'mean', percent: true }, 'nl')).toBe('67%');
    expect(sheet.items.get('weg-genoeg')).toBeCloseTo(8 / 3);
  });

  it('reads a score exactly between two levels as the higher one', () => {
    const instrument = snapshotInstrument();
    const sheet = scoreObservation(
      instrument,
      answers({ moment: { snapshots: { '1': { onrust: 2 }, '2': { onrust: 3 } } } }),
    );
    expect(sheet.items.get('rust')).toBe(3); // reversed 3 and 2 → 2.5 → 3
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
    const map = {
      id: 'm',
      entries: [
        { min: 1, max: 2, score: 0 },
        { min: 3, max: 4, score: 1 },
      ],
    };
    expect([1, 2, 3, 4].map((v) => mapValue(map, v))).toEqual([0, 0, 1, 1]);
    expect(mapValue(map, 2.5)).toBeUndefined();
    const meeting = {
      id: 'm',
      entries: [
        { min: 0, below: 0.2, score: 1 },
        { min: 0.2, below: 0.4, score: 2 },
        { min: 0.4, max: 1, score: 3 },
      ],
    };
    expect([0, 0.195, 0.2, 0.399, 0.4, 1].map((v) => mapValue(meeting, v))).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('formats with the rule’s decimals', () => {
    expect(formatScore(3.456, { method: 'mean' }, 'en')).toBe('3.5');
    expect(formatScore(3.456, { method: 'mean' }, 'nl')).toBe('3,5');
    expect(formatScore(3, { method: 'sum', decimals: 2 }, 'en')).toBe('3.00');
  });
});
