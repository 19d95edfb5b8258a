/**
 * The format's promise: well-known kinds of observation instrument can be written in it without changing code.
 * The fixtures are literal files in tests/fixtures/formats, written against the published schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInstrument } from '../../src/core/instrument/validate';
import { allItems } from '../../src/core/instrument';

const DIR = path.resolve(__dirname, '../fixtures/formats');

describe('the instrument format expresses', () => {
  const parse = (file: string) => parseInstrument(readFileSync(path.join(DIR, file), 'utf8'));

  it('every fixture, valid as written', () => {
    const files = readdirSync(DIR);
    expect(files.length).toBeGreaterThanOrEqual(3);
    const problems = Object.fromEntries(
      files
        .map((file): [string, string[]] => [file, parse(file).problems.map((p) => `${p.path}: ${p.message.en}`)])
        .filter(([, list]) => list.length > 0),
    );
    expect(problems).toEqual({});
  });

  it('a 4-domain rubric with 4 levels and per-component descriptors', () => {
    const result = parse('rubric-4x4.json');
    if (!result.ok) throw new Error('invalid');
    expect(result.instrument.domains).toHaveLength(4);
    expect(result.instrument.scales[0]?.levels).toHaveLength(4);
    expect(allItems(result.instrument).every((i) => Object.keys(i.descriptors ?? {}).length === 4)).toBe(true);
  });

  it('a 1–7 scale with a reverse-keyed dimension and behaviours under an element', () => {
    const result = parse('seven-point-reverse.json');
    if (!result.ok) throw new Error('invalid');
    expect(result.instrument.scales[0]?.levels.map((l) => l.value)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(allItems(result.instrument).find((i) => i.reverse)?.id).toBe('negative-climate');
    expect(result.instrument.domains[0]?.items[0]?.children).toHaveLength(2);
  });

  it('a time-on-task protocol at equal intervals', () => {
    const result = parse('interval-snapshots.json');
    if (!result.ok) throw new Error('invalid');
    const response = result.instrument.domains[0]?.items[0]?.response;
    expect(response?.type === 'snapshot' && response.schedule).toEqual({
      everyMinutes: 4,
      fromMinute: 2,
      untilMinute: 46,
    });
  });
});
