import { describe, expect, it } from 'vitest';
import { summarise, isCurrent, SUMMARY_VERSION } from '../../src/core/insight/summary';
import { buildInstrument, buildItem } from '../factories/instrument-factory';

const instrument = buildInstrument({
  domains: [
    { id: 'a', title: { nl: 'A', en: 'A' }, items: [buildItem('a1'), buildItem('a2', { reverse: true }), buildItem('gate', { response: { type: 'yes-no' } })] },
    { id: 'b', title: { nl: 'B', en: 'B' }, items: [buildItem('b1'), buildItem('b2')] },
  ],
  rules: [{ id: 'gate-rule', when: { item: 'gate', in: ['no'] }, then: { notApplicable: ['b2'] } }],
});

describe('the summary of an observation', () => {
  it('keeps per item the level reached (turned for reverse-keyed items) and per domain the mean position', () => {
    const summary = summarise(instrument, new Map<string, { lookFors: string[]; rating?: number | 'not-observed'; answer?: 'yes' | 'no' }>([
      ['a1', { rating: 4, lookFors: [] }],
      ['a2', { rating: 4, lookFors: [] }],
      ['b1', { rating: 'not-observed', lookFors: [] }],
      ['b2', { rating: 2, lookFors: [] }],
    ]));
    expect(summary.version).toBe(SUMMARY_VERSION);
    expect(summary.items).toEqual({ a1: [3, 4], a2: [0, 4], b2: [1, 4] });
    expect(summary.domains.a).toEqual({ rated: 2, meanPosition: 0.5 });
    expect(summary.domains.b).toEqual({ rated: 1, meanPosition: 1 / 3, mean: 2 });
    expect(isCurrent(summary)).toBe(true);
    expect(isCurrent({ ...summary, version: 0 })).toBe(false);
  });

  it('leaves out what the instrument’s rules made not applicable', () => {
    const summary = summarise(instrument, new Map([
      ['gate', { answer: 'no' as const, lookFors: [] }],
      ['b2', { rating: 2, lookFors: [] }],
    ]));
    expect(summary.items).toEqual({});
    expect(summary.domains).toEqual({});
  });
});
