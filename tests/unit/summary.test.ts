import { describe, expect, it } from 'vitest';
import { summarise, isCurrent, SUMMARY_VERSION } from '../../src/core/insight/summary';
import { buildInstrument, buildItem } from '../factories/instrument-factory';

const instrument = buildInstrument({
  domains: [
    {
      id: 'a',
      title: { nl: 'A', en: 'A' },
      items: [buildItem('a1'), buildItem('a2', { reverse: true }), buildItem('gate', { response: { type: 'yes-no' } })],
    },
    { id: 'b', title: { nl: 'B', en: 'B' }, items: [buildItem('b1'), buildItem('b2')] },
  ],
  rules: [{ id: 'gate-rule', when: { item: 'gate', in: ['no'] }, then: { notApplicable: ['b2'] } }],
});

describe('the summary of an observation', () => {
  it('keeps per item the level reached (turned for reverse-keyed items) and per domain the mean position', () => {
    const summary = summarise(
      instrument,
      new Map<string, { lookFors: string[]; rating?: number | 'not-observed'; answer?: 'yes' | 'no' }>([
        ['a1', { rating: 4, lookFors: [] }],
        ['a2', { rating: 4, lookFors: [] }],
        ['b1', { rating: 'not-observed', lookFors: [] }],
        ['b2', { rating: 2, lookFors: [] }],
      ]),
    );
    expect(summary.version).toBe(SUMMARY_VERSION);
    expect(summary.items).toEqual({ a1: [3, 4], a2: [0, 4], b2: [1, 4] });
    expect(summary.domains.a).toEqual({ rated: 2, meanPosition: 0.5 });
    expect(summary.domains.b).toEqual({ rated: 1, meanPosition: 1 / 3, mean: 2 });
    expect(isCurrent(summary)).toBe(true);
    expect(isCurrent({ ...summary, version: 0 })).toBe(false);
  });

  it('leaves out what the instrument’s rules made not applicable', () => {
    const summary = summarise(
      instrument,
      new Map([
        ['gate', { answer: 'no' as const, lookFors: [] }],
        ['b2', { rating: 2, lookFors: [] }],
      ]),
    );
    expect(summary.items).toEqual({});
    expect(summary.domains).toEqual({});
  });
});

describe('the summary of a format 2 observation', () => {
  const both = (text: string) => ({ nl: text, en: text });
  const rating = (id: string, scale = 'zeven', extra = {}) => ({
    id,
    text: both(id),
    response: { type: 'rating' as const, scale },
    ...extra,
  });
  const format2 = buildInstrument({
    format: 2,
    scales: [
      {
        id: 'zeven',
        label: both('Zeven'),
        levels: [1, 2, 3, 4, 5, 6, 7].map((value) => ({ value, label: both(String(value)) })),
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
    domains: [
      {
        id: 'ronde',
        title: both('Ronde'),
        repeat: { label: both('Ronde'), combine: 'mean' },
        score: { method: 'mean' },
        items: [
          rating('toon'),
          rating('spanning', 'zeven', { reverse: true }),
          { id: 'poort', text: both('Poort'), response: { type: 'yes-no' as const } },
          rating('extra'),
        ],
      },
      { id: 'lijst', title: both('Lijst'), items: [rating('l1', 'vier'), rating('l2', 'vier')] },
    ],
    rules: [{ id: 'r', when: { item: 'poort', in: ['no'] }, then: { notApplicable: ['extra'] } }],
    scores: [{ id: 'alles', label: both('Alles'), method: 'mean', from: [{ domain: 'ronde' }, { item: 'l1' }] }],
  });
  const answers = (entries: Record<string, { rating?: number; answer?: 'yes' | 'no' }>) =>
    new Map(Object.entries(entries).map(([key, value]) => [key, { lookFors: [], ...value }]));

  it('combines the repetitions of an item, turns reverse-keyed ones, and leaves out what a rule ruled out in that repetition', () => {
    const summary = summarise(
      format2,
      answers({
        'toon#1': { rating: 7 },
        'toon#2': { rating: 4 },
        'spanning#1': { rating: 2 },
        'spanning#2': { rating: 1 },
        'poort#1': { answer: 'no' },
        'extra#1': { rating: 7 },
        'extra#2': { rating: 1 },
      }),
      { cycles: { ronde: [{ startedMs: 0 }, { startedMs: 900_000 }] } },
    );
    // toon: levels 6 and 3 of 0..6 → 4.5 → 5 (rounded); spanning turned: 5 and 6 → 5.5 → 6; extra only in round 2: 0.
    expect(summary.items).toMatchObject({ toon: [5, 7], spanning: [6, 7], extra: [0, 7] });
    expect(summary.domains.ronde!.rated).toBe(3);
    expect(summary.domains.ronde!.meanPosition).toBeCloseTo((4.5 / 6 + 5.5 / 6 + 0) / 3);
    // A reverse-keyed item makes a mean on the scale meaningless.
    expect(summary.domains.ronde).not.toHaveProperty('mean');
    // The derived domain score: per item the repetitions' mean of their scores, then the mean (poort: yes/no → 0).
    expect(summary.domainScores?.ronde).toBeCloseTo((5.5 + 6.5 + 0 + 1) / 4);
  });

  it('places a rating read through a scoring map among the map’s scores, and keeps the named scores', () => {
    const summary = summarise(format2, answers({ l1: { rating: 3 }, l2: { rating: 2 } }));
    expect(summary.items).toEqual({ l1: [1, 2], l2: [0, 2] });
    expect(summary.domains.lijst).toEqual({ rated: 2, meanPosition: 0.5 });
    expect(summary.scores).toEqual({ alles: 1 });
    expect(summary.version).toBe(SUMMARY_VERSION);
    expect(SUMMARY_VERSION).toBeGreaterThan(1);
  });

  it('counts the repetitions that hold answers when the observation’s starts are not given', () => {
    const summary = summarise(format2, answers({ 'toon#2': { rating: 7 } }));
    expect(summary.items.toon).toEqual([6, 7]);
  });
});
