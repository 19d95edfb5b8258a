import { describe, expect, it } from 'vitest';
import { domainSummaries, ratedItems, standouts } from '../../src/core/feedback/report-summary';
import { buildInstrument, buildItem } from '../factories/instrument-factory';

const instrument = buildInstrument({
  domains: [
    {
      id: 'a',
      title: { nl: 'A', en: 'A' },
      items: [buildItem('a1'), buildItem('a2'), buildItem('a3', { reverse: true })],
    },
    {
      id: 'b',
      title: { nl: 'B', en: 'B' },
      items: [buildItem('b1'), buildItem('b2', { response: { type: 'yes-no' } })],
    },
  ],
});

describe('the report summary', () => {
  const responses = new Map([
    ['a1', { rating: 4 }],
    ['a2', { rating: 2 }],
    ['a3', { rating: 4 }],
    ['b1', { rating: 'not-observed' as const }],
  ]);

  it('places ratings on their scale, turning reverse-keyed items round', () => {
    expect(ratedItems(instrument, responses).map((r) => [r.item.id, r.value, r.position])).toEqual([
      ['a1', 4, 1],
      ['a2', 2, 1 / 3],
      ['a3', 4, 0],
    ]);
  });

  it('summarises each domain: rated of rating items, and a mean on the scale only when it means something', () => {
    const [a, b] = domainSummaries(instrument, responses);
    expect(a).toMatchObject({ domainId: 'a', ratingItems: 3, rated: 3, meanPosition: (1 + 1 / 3 + 0) / 3 });
    // A reverse-keyed item makes a mean of raw values misleading.
    expect(a!.mean).toBeUndefined();
    expect(b).toEqual({ domainId: 'b', ratingItems: 1, rated: 0 });
    const plain = domainSummaries(
      instrument,
      new Map([
        ['a1', { rating: 4 }],
        ['a2', { rating: 3 }],
      ]),
    )[0]!;
    expect(plain.mean).toBe(3.5);
    expect(plain.scale?.id).toBe('vier');
  });

  it('names the highest and lowest items, each once', () => {
    const { highest, lowest } = standouts(instrument, responses, 2);
    expect(highest.map((r) => r.item.id)).toEqual(['a1', 'a2']);
    expect(lowest.map((r) => r.item.id)).toEqual(['a3']);
    expect(standouts(instrument, new Map())).toEqual({ highest: [], lowest: [] });
  });
});

describe('the report summary of a repeated section', () => {
  const repeated = buildInstrument({
    format: 2,
    domains: [
      {
        id: 'r',
        title: { nl: 'R', en: 'R' },
        repeat: { label: { nl: 'Cyclus', en: 'Cycle' }, combine: 'max' },
        items: [buildItem('x'), buildItem('y', { reverse: true })],
      },
    ],
    rules: [],
  });

  it('counts an item once, its repetitions combined as the section says, and keeps each repetition’s value', () => {
    const rated = ratedItems(
      repeated,
      new Map([
        ['x#1', { rating: 2 }],
        ['x#3', { rating: 4 }],
        ['y#1', { rating: 'not-observed' as const }],
        ['y#2', { rating: 1 }],
      ]),
    );
    expect(rated.map((r) => [r.item.id, r.value, r.position, r.perCycle])).toEqual([
      [
        'x',
        4,
        1,
        [
          { cycle: 1, value: 2 },
          { cycle: 3, value: 4 },
        ],
      ],
      ['y', 1, 1, [{ cycle: 2, value: 1 }]],
    ]);
    expect(domainSummaries(repeated, new Map([['x#1', { rating: 2 }]]))[0]).toMatchObject({
      ratingItems: 2,
      rated: 1,
      mean: 2,
    });
  });
});
