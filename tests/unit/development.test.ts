/** Next steps and team themes from the demo school's own summaries: the path the app's worker runs. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../src/core/instrument';
import { generateDemoSchool } from '../../src/core/demo/demo-school';
import { development, estimationNotes, raschItems } from '../../src/core/insight/development';
import type { SummaryRow } from '../../src/core/insight/aggregate';
import { instrumentKey } from '../../src/core/model/records';
import { createRandom } from '../../src/core/demo/random';
import { nonFiniteNumbers } from '../factories/finite';

const DIR = path.resolve(__dirname, '../../instruments');
const instruments = [
  'lesobservatie.json',
  'zelfevaluatie.json',
  'startersbegeleiding.json',
  'collegiale-feedback.json',
  'time-on-task.json',
].map((file) => JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Instrument);
const main = instruments[0]!;
const demo = generateDemoSchool({ instruments, now: Date.UTC(2026, 5, 17, 10, 0) });
const byKey = new Map(instruments.map((i) => [instrumentKey(i), i]));
const rows: SummaryRow[] = demo.observations
  .filter((o) => o.summary)
  .map((o) => ({
    observationId: o.id,
    observedId: o.observedId,
    observerId: o.observerId,
    purpose: o.purpose,
    instrumentId: byKey.get(o.instrumentKey)!.id,
    startedAt: o.startedAt,
    summary: o.summary!,
  }));
const teams = Object.fromEntries(demo.people.map((p) => [p.id, p.teamId]));

describe('development from the school’s own data', () => {
  const result = development({ rows, instrument: main, teams });

  it('estimates from the school’s ratings and gives every observed teacher a level and at most three next steps', () => {
    expect(raschItems(main).length).toBeGreaterThan(25);
    expect(result.source).not.toBe('defaults');
    expect(result.teachers.length).toBeGreaterThan(15);
    for (const teacher of result.teachers) {
      expect(Number.isFinite(teacher.theta)).toBe(true);
      expect(teacher.steps.length).toBeLessThanOrEqual(3);
      for (const step of teacher.steps) expect(step.probability).toBeGreaterThanOrEqual(0.35);
    }
    expect(result.teachers.some((t) => t.steps.length > 0)).toBe(true);
  });

  it('orders the items as the instrument intends: the first domains are easier than the last', () => {
    const domainMean = (d: number) => {
      const ids = main.domains[d]!.items.map((i) => i.id).filter((id) => result.itemLocations[id] !== undefined);
      return ids.reduce((sum, id) => sum + result.itemLocations[id]!, 0) / ids.length;
    };
    expect(domainMean(0)).toBeLessThan(domainMean(4));
    expect(domainMean(1)).toBeLessThan(domainMean(5));
  });

  it('gives each team of three or more its themes, without naming anyone', () => {
    const themed = Object.values(result.themes).filter((t) => t.withheld === null);
    expect(themed.length).toBeGreaterThan(0);
    for (const team of themed) for (const theme of team.themes) expect(theme.count).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(result.themes)).not.toMatch(/personId/);
  });
});

describe('development at the edges', () => {
  const clean = development({ rows, instrument: main, teams });
  const items = raschItems(main);
  const peer = rows.find((r) => r.instrumentId === main.id && r.purpose === 'peer')!;
  const later = Math.max(...rows.map((r) => r.startedAt)) + 60_000;

  it('leaves out a latest level of NaN, 9 or −1, counts it, and keeps the earlier level the latest', () => {
    const outside: Array<[number, number]> = [
      [NaN, 4],
      [9, 4],
      [-1, 4],
    ];
    const odd: SummaryRow = {
      ...peer,
      observationId: 'odd-levels',
      observerId: 'someone',
      startedAt: later,
      summary: {
        ...peer.summary,
        items: Object.fromEntries(outside.map((level, k) => [items[k]!.itemId, level])),
      },
    };
    const result = development({ rows: [...rows, odd], instrument: main, teams });
    expect(result.ignoredLevels).toBe(3);
    expect(clean.ignoredLevels).toBe(0);
    // What a leader reads under the themes, on the device and from the server alike.
    expect(estimationNotes(result)).toEqual({ defaultsUsed: false, notConnected: false, ignoredLevels: 3 });
    expect(nonFiniteNumbers(result)).toEqual([]);
    // As if the lesson had not been there: no level, no observation, no latest level (9 does not master an item).
    expect({ ...result, ignoredLevels: 0 }).toEqual(clean);
  });

  it('says which items lie in a smaller unconnected block, and stays finite', () => {
    // Teachers a0–a29 rated on the first half of the items only, b0–b19 on the second half only.
    const random = createRandom(12);
    const half = Math.floor(items.length / 2);
    const group = (prefix: string, count: number, rated: typeof items): SummaryRow[] =>
      Array.from({ length: count }, (_, n) =>
        [0, 1].map((lesson) => ({
          observationId: `${prefix}${n}-${lesson}`,
          observedId: `${prefix}${n}`,
          observerId: `observer-${(n + lesson) % 5}`,
          purpose: 'peer' as const,
          instrumentId: main.id,
          startedAt: Date.UTC(2026, 1, 1 + n, 9 + lesson),
          summary: {
            version: 2,
            domains: {},
            items: Object.fromEntries(
              rated.map((item) => [item.itemId, [random.int(0, item.levels - 1), item.levels] as [number, number]]),
            ),
          },
        })),
      ).flat();
    const split = [...group('a', 30, items.slice(0, half)), ...group('b', 20, items.slice(half))];
    const result = development({ rows: split, instrument: main, teams: {} });
    expect(result.blocks).toBe(2);
    expect(result.notConnectedItemIds).toEqual(items.slice(half).map((item) => item.itemId));
    expect(result.source).toBe('mixed');
    expect(estimationNotes(result)).toEqual({ defaultsUsed: false, notConnected: true, ignoredLevels: 0 });
    expect(nonFiniteNumbers(result)).toEqual([]);
  });

  it('stays finite with options that are not numbers', () => {
    const result = development({
      rows,
      instrument: main,
      teams,
      options: { band: { min: NaN, max: Infinity }, maxItems: NaN, sufficientLevel: () => NaN },
    });
    expect(nonFiniteNumbers(result)).toEqual([]);
    expect(result.teachers.every((teacher) => teacher.steps.length === 0)).toBe(true);
  });
});
