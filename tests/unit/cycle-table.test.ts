/**
 * The report's table of a repeated section (src/core/feedback/cycle-table.ts), on the shipped instrument in cycles:
 * a reverse-keyed dimension keeps the observer's own answers beside the turned-round scores, and says it is reversed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInstrument } from '../../src/core/instrument/validate';
import type { Instrument } from '../../src/core/instrument';
import { scoreObservation } from '../../src/core/instrument/scoring';
import { cycleRows } from '../../src/core/feedback/cycle-table';
import type { ResponseContent } from '../../src/core/observation/progress';

function shipped(file: string): Instrument {
  const result = parseInstrument(readFileSync(path.resolve(__dirname, '../../instruments', file), 'utf8'));
  if (!result.ok) throw new Error(file);
  return result.instrument;
}

const answers = (entries: Record<string, Partial<ResponseContent>>): Map<string, ResponseContent> =>
  new Map(Object.entries(entries).map(([key, value]) => [key, { lookFors: [], ...value }]));

describe('the table of a repeated section', () => {
  const instrument = shipped('interactie-cycli.json');
  const climate = instrument.domains.find((d) => d.id === 'sfeer')!;
  const responses = answers({
    'warmte#1': { rating: 6 },
    'spanning#1': { rating: 7 },
    'warmte#2': { rating: 7 },
    'spanning#2': { rating: 7 },
    'spanning#3': { rating: 6 },
    'warmte#4': { rating: 6 },
    'spanning#4': { rating: 'not-observed' },
  });
  const rows = cycleRows(climate, scoreObservation(instrument, responses, { cycles: { cyclus: 4 } }), responses);
  const row = (id: string) => rows.find((r) => r.item.id === id)!;

  it('shows a reverse-keyed dimension’s own answers per cycle, each with the turned-round score it counts as', () => {
    expect(row('spanning').reversed).toBe(true);
    expect(row('spanning').cells).toEqual([
      { cycle: 1, answer: 7, score: 1 },
      { cycle: 2, answer: 7, score: 1 },
      { cycle: 3, answer: 6, score: 2 },
      // "Not observed" has no score, and no answer to turn round.
      { cycle: 4 },
    ]);
    expect(row('spanning').combined).toBeCloseTo(4 / 3);
  });

  it('leaves a plain dimension as it was: its scores are its answers', () => {
    expect(row('warmte')).toMatchObject({
      reversed: false,
      cells: [{ cycle: 1, score: 6 }, { cycle: 2, score: 7 }, { cycle: 3 }, { cycle: 4, score: 6 }],
    });
    expect(row('warmte').cells.some((c) => 'answer' in c)).toBe(false);
    expect(rows.map((r) => r.item.id)).toEqual(['warmte', 'spanning']);
  });
});
