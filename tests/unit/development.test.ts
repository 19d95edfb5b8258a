/** Next steps and team themes from the demo school's own summaries: the path the app's worker runs. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../src/core/instrument';
import { generateDemoSchool } from '../../src/core/demo/demo-school';
import { development, raschItems } from '../../src/core/insight/development';
import type { SummaryRow } from '../../src/core/insight/aggregate';
import { instrumentKey } from '../../src/core/model/records';

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
