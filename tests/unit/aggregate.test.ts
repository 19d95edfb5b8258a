/**
 * Team and teacher aggregates from observation summaries, against hand-computed values, and the privacy rules:
 * the minimum group of three observed teachers and the complement rule against differencing.
 */
import { describe, expect, it } from 'vitest';
import {
  MIN_GROUP,
  coverage,
  domainMeans,
  domainTrend,
  levelDistribution,
  observationPairs,
  oneRatingPerLesson,
  participation,
  periodOf,
  release,
  releasableTeams,
  inReleasedTerms,
  teacherTrend,
  teamDomainMatrix,
  type SummaryRow,
} from '../../src/core/insight/aggregate';
import type { Purpose } from '../../src/core/model/records';

const AUTUMN_2025 = Date.UTC(2025, 9, 1);
const WINTER_2026 = Date.UTC(2026, 1, 1);
const SPRING_2026 = Date.UTC(2026, 4, 1);

let n = 0;
function row(
  observedId: string,
  teamId: string,
  startedAt: number,
  a: number | undefined,
  b?: number,
  extra: Partial<SummaryRow> = {},
): SummaryRow {
  n++;
  const domains: SummaryRow['summary']['domains'] = {};
  if (a !== undefined) domains.a = { rated: 2, meanPosition: a };
  if (b !== undefined) domains.b = { rated: 1, meanPosition: b };
  return {
    observationId: `o${n}`,
    observedId,
    observerId: extra.observerId ?? `obs-${observedId}`,
    purpose: (extra.purpose ?? 'peer') as Purpose,
    instrumentId: 'main',
    startedAt,
    teamId,
    summary: { version: 1, domains, items: extra.summary?.items ?? {} },
  };
}

describe('periods', () => {
  it('splits the school year into three terms, in time order', () => {
    expect(periodOf(AUTUMN_2025, 'year')).toBe('2025-2026');
    expect([AUTUMN_2025, WINTER_2026, SPRING_2026].map((t) => periodOf(t, 'term'))).toEqual([
      '2025-2026/1',
      '2025-2026/2',
      '2025-2026/3',
    ]);
    expect(periodOf(Date.UTC(2026, 6, 31), 'term')).toBe('2025-2026/3');
    expect(periodOf(Date.UTC(2026, 7, 1), 'term')).toBe('2026-2027/1');
  });
});

describe('team aggregates', () => {
  it('averages each domain over observations, skipping those that did not rate it', () => {
    const rows = [row('t1', 'x', AUTUMN_2025, 0.5, 1), row('t2', 'x', AUTUMN_2025, 1), row('t3', 'x', AUTUMN_2025, 0)];
    expect(domainMeans(rows, ['a', 'b', 'c'])).toEqual([0.5, 1, null]);
  });

  it('shows nothing that combines fewer than three observed teachers, however many observations', () => {
    const two = [row('t1', 'x', AUTUMN_2025, 0.5), row('t1', 'x', AUTUMN_2025, 0.7), row('t2', 'x', AUTUMN_2025, 0.9)];
    expect(MIN_GROUP).toBe(3);
    expect(release(two, (r) => r.length)).toEqual({ shown: false, why: 'too-few', teachers: 2 });
    expect(release([...two, row('t3', 'x', AUTUMN_2025, 0.1)], (r) => r.length)).toEqual({
      shown: true,
      value: 4,
      teachers: 3,
    });
  });

  it('hides a team when the rest of the school is one or two teachers (the school minus the team would reveal them)', () => {
    const big = ['t1', 't2', 't3', 't4'].map((t) => row(t, 'big', AUTUMN_2025, 0.5));
    const small = ['t5', 't6'].map((t) => row(t, 'small', AUTUMN_2025, 0.9));
    const school = [...big, ...small];
    expect(release(big, (rows) => domainMeans(rows, ['a']), school)).toMatchObject({
      shown: false,
      why: 'complement-too-few',
    });
    const matrix = teamDomainMatrix(school, ['big', 'small'], ['a']);
    expect(matrix.map((m) => m.cell.shown)).toEqual([false, false]);
    // With a third teacher in the small team, both are shown: neither can be read off from the other.
    const matrix2 = teamDomainMatrix([...school, row('t7', 'small', AUTUMN_2025, 0.3)], ['big', 'small'], ['a']);
    expect(matrix2.map((m) => (m.cell.shown ? m.cell.value : null))).toEqual([[0.5], [(0.9 + 0.9 + 0.3) / 3]]);
  });

  it('holds back a team when the teams shown would leave one or two teachers over (school minus every team)', () => {
    const a = ['a1', 'a2', 'a3', 'a4', 'a5'].map((t) => row(t, 'A', AUTUMN_2025, 0.5));
    const b = ['b1', 'b2', 'b3', 'b4'].map((t) => row(t, 'B', AUTUMN_2025, 0.6));
    const loner = { ...row('x1', 'none', AUTUMN_2025, 0.1), teamId: undefined } as SummaryRow;
    // Each team alone passes the complement rule; together they would reveal the teacher in no team.
    expect([...releasableTeams([...a, ...b, loner], ['A', 'B'])]).toEqual(['A']);
    expect(teamDomainMatrix([...a, ...b, loner], ['A', 'B'], ['a']).map((m) => m.cell.shown)).toEqual([true, false]);
    expect([...releasableTeams([...a, ...b], ['A', 'B'])].sort()).toEqual(['A', 'B']);
  });

  it('lets a year count only the terms that could be shown on their own', () => {
    const autumn = ['t1', 't2', 't3'].map((t) => row(t, 'x', AUTUMN_2025, 0.5));
    const winter = [row('t1', 'x', WINTER_2026, 0.9)];
    expect(inReleasedTerms([...autumn, ...winter]).map((r) => r.observationId)).toEqual(
      autumn.map((r) => r.observationId),
    );
  });

  it('gives a trend per term, each term released on its own', () => {
    const rows = [
      ...['t1', 't2', 't3'].map((t, i) => row(t, 'x', AUTUMN_2025, [0.2, 0.4, 0.6][i], 1)),
      ...['t1', 't2'].map((t) => row(t, 'x', WINTER_2026, 0.8)),
    ];
    const trend = domainTrend(rows, ['a', 'b'], 'term');
    expect(trend.periods).toEqual(['2025-2026/1', '2025-2026/2']);
    expect(trend.points[0]).toMatchObject({ shown: true, teachers: 3 });
    expect(trend.points[0]!.shown && trend.points[0]!.value[0]).toBeCloseTo(0.4, 12);
    expect(trend.points[0]!.shown && trend.points[0]!.value[1]).toBe(1);
    expect(trend.points[1]).toEqual({ shown: false, why: 'too-few', teachers: 2 });
  });

  it('counts how often each level was given per domain', () => {
    const items = (levels: Record<string, [number, number]>) => ({
      summary: { version: 1, domains: {}, items: levels },
    });
    const rows = [
      row('t1', 'x', AUTUMN_2025, undefined, undefined, items({ i1: [3, 4], i2: [0, 4], j1: [2, 4], k: [1, 5] })),
      row('t2', 'x', AUTUMN_2025, undefined, undefined, items({ i1: [3, 4], j1: [1, 4] })),
    ];
    const itemDomain = new Map([
      ['i1', 0],
      ['i2', 0],
      ['j1', 1],
      ['k', 1],
    ]);
    expect(levelDistribution(rows, itemDomain, 2, 4)).toEqual([
      [1, 0, 0, 2],
      [0, 1, 1, 0],
    ]);
  });

  it('counts participation and coverage without scores', () => {
    const rows = [
      row('t1', 'x', AUTUMN_2025, 0.5, undefined, { observerId: 't2' }),
      row('t1', 'x', AUTUMN_2025, 0.5, undefined, { observerId: 't2' }),
      row('t2', 'x', AUTUMN_2025, 0.5, undefined, { observerId: 't3' }),
      row('t3', 'x', AUTUMN_2025, 0.5, undefined, { observerId: 't3', purpose: 'self' }),
      row('t3', 'x', WINTER_2026, 0.5, undefined, { observerId: 't1' }),
    ];
    expect(participation(rows, 'term')).toEqual([
      { period: '2025-2026/1', observations: 3, observers: 2, observed: 2 },
      { period: '2025-2026/2', observations: 1, observers: 1, observed: 1 },
    ]);
    expect(observationPairs(rows)[0]).toEqual({ observerId: 't2', observedId: 't1', count: 2 });
    expect(observationPairs(rows)).toHaveLength(3);
    expect(coverage(rows, ['t1', 't2', 't3', 't4'], '2025-2026/1', 'term')).toEqual({
      observed: 2,
      teachers: 4,
      share: 0.5,
    });
  });
});

describe('a teacher’s own trend', () => {
  it('keeps what observers saw apart from the teacher’s self-assessments', () => {
    const rows = [
      row('me', 'x', AUTUMN_2025, 0.4, undefined, { observerId: 'c1' }),
      row('me', 'x', AUTUMN_2025, 0.6, undefined, { observerId: 'c2' }),
      row('me', 'x', AUTUMN_2025, 0.9, undefined, { observerId: 'me', purpose: 'self' }),
      row('other', 'x', AUTUMN_2025, 0.1),
    ];
    const [autumn] = teacherTrend(rows, 'me', ['a'], 'year');
    expect(autumn!.period).toBe('2025-2026');
    expect(autumn!.observers[0]).toBeCloseTo(0.5, 12);
    expect(autumn!.self).toEqual([0.9]);
  });
});

describe('calibration lessons', () => {
  it('count their scores once but every observation as participation', () => {
    const start = AUTUMN_2025 + 9 * 3_600_000;
    const first = row('t1', 'x', start, 0.5, undefined, { observerId: 'a', purpose: 'calibration' });
    const second = row('t1', 'x', start + 5 * 60_000, 1, undefined, { observerId: 'b', purpose: 'calibration' });
    // The same teacher calibrated again the next day: another lesson.
    const nextDay = row('t1', 'x', start + 86_400_000, 0, undefined, { observerId: 'b', purpose: 'calibration' });
    const peer = row('t1', 'x', start + 10 * 60_000, 0.25, undefined, { observerId: 'c' });
    const rows = [second, peer, first, nextDay];
    expect(oneRatingPerLesson(rows)).toEqual([peer, first, nextDay]);
    expect(domainMeans(oneRatingPerLesson(rows), ['a'])).toEqual([0.25]);
    expect(participation(rows, 'term')[0]?.observations).toBe(4);
  });
});
