/** The leader's page as one computation, on the demo school: everything released for the school, nothing for a team of two. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../src/core/instrument';
import { generateDemoSchool } from '../../src/core/demo/demo-school';
import { leaderView } from '../../src/core/insight/leader-view';
import type { SummaryRow } from '../../src/core/insight/aggregate';
import { instrumentKey } from '../../src/core/model/records';

const DIR = path.resolve(__dirname, '../../instruments');
const instruments = ['lesobservatie.json', 'zelfevaluatie.json', 'startersbegeleiding.json'].map(
  (file) => JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Instrument,
);
const main = instruments[0]!;
const NOW = Date.UTC(2026, 5, 17, 10, 0);
const demo = generateDemoSchool({ instruments, now: NOW });
const byKey = new Map(instruments.map((i) => [instrumentKey(i), i]));
const rows = (people = demo.people): SummaryRow[] => {
  const team = new Map(people.map((p) => [p.id, p.teamId]));
  return demo.observations
    .filter((o) => o.summary)
    .map((o) => ({
      observationId: o.id,
      observedId: o.observedId,
      observerId: o.observerId,
      purpose: o.purpose,
      instrumentId: byKey.get(o.instrumentKey)!.id,
      startedAt: o.startedAt,
      ...(team.get(o.observedId) ? { teamId: team.get(o.observedId)! } : {}),
      summary: o.summary!,
    }));
};

describe('the leader view', () => {
  it('releases every figure for the whole school of the demo', () => {
    const view = leaderView(rows(), main, demo.people, demo.teams, {
      teamId: '',
      year: '2025-2026',
      instrumentId: main.id,
      now: NOW,
    });
    expect(view.years).toEqual(['2025-2026', '2024-2025']);
    expect(view.trend.points.every((p) => p.shown)).toBe(true);
    expect(view.distribution.shown).toBe(true);
    expect(view.matrix.every((m) => m.cell.shown)).toBe(true);
    expect(view.coverage.teachers).toBe(demo.people.filter((p) => p.role === 'teacher').length);
    expect(view.activity.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(view)).not.toMatch(/meanPosition/);
  });

  it('shows nothing for a team of two, with the reason', () => {
    const [first, second] = demo.people.filter((p) => p.role === 'teacher');
    const small = { ...demo.teams[0]!, id: 'small-team', name: 'Klein' };
    const people = demo.people.map((p) => (p === first || p === second ? { ...p, teamId: small.id } : p));
    const view = leaderView(rows(people), main, people, [...demo.teams, small], {
      teamId: small.id,
      year: '2025-2026',
      instrumentId: main.id,
      now: NOW,
    });
    expect(view.trend.points.every((p) => !p.shown && p.why === 'too-few')).toBe(true);
    expect(view.distribution).toMatchObject({ shown: false, why: 'too-few' });
    expect(view.matrix.find((m) => m.teamId === small.id)?.cell).toMatchObject({ shown: false, why: 'too-few' });
  });
});
