/**
 * The demo-school generator: reproducible from a seed, internally consistent (every reference resolves, every
 * answer fits its instrument), and shaped like a real school (starters grow, participation is uneven).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allItems, type Instrument, type Item } from '../../src/core/instrument';
import { instrumentKey, type ItemResponse, type Observation } from '../../src/core/model/records';
import { createRandom } from '../../src/core/demo/random';
import { generateDemoSchool, type DemoSchool } from '../../src/core/demo/demo-school';

const DIR = path.resolve(__dirname, '../../instruments');
const load = (file: string) => JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Instrument;
const instruments = ['lesobservatie.json', 'zelfevaluatie.json', 'startersbegeleiding.json', 'collegiale-feedback.json', 'time-on-task.json'].map(load);
const byKey = new Map(instruments.map((i) => [instrumentKey(i), i]));
const MAIN_KEY = 'meekijken.lesobservatie@1.0.0';

/** A fixed "now": mid-June 2026, near the end of the 2025-2026 school year. */
const NOW = Date.UTC(2026, 5, 17, 10, 0);
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const school = generateDemoSchool({ instruments, now: NOW });

/** Numeric ratings of the main instrument, per school year name, optionally only for some observed teachers. */
function ratingsByYear(demo: DemoSchool, observedIds?: Set<string>): Map<string, number[]> {
  const yearName = new Map(demo.schoolYears.map((y) => [y.id, y.name]));
  const observations = new Map(demo.observations.map((o) => [o.id, o]));
  const out = new Map<string, number[]>();
  for (const r of demo.responses) {
    const o = observations.get(r.observationId)!;
    if (o.instrumentKey !== MAIN_KEY || typeof r.rating !== 'number') continue;
    if (observedIds && !observedIds.has(o.observedId)) continue;
    const name = yearName.get(o.schoolYearId!)!;
    out.set(name, [...(out.get(name) ?? []), r.rating]);
  }
  return out;
}

describe('createRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const r = createRandom(seed);
      return [r.next(), r.int(1, 6), r.normal(0, 1), r.uuid(), r.pick(['a', 'b', 'c']), r.chance(0.5)];
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('stays in its ranges and makes version-4 UUIDs', () => {
    const r = createRandom(1);
    const ints = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      ints.add(r.int(3, 5));
      expect(r.uuid()).toMatch(UUID_V4);
    }
    expect([...ints].sort()).toEqual([3, 4, 5]);
    const normals = Array.from({ length: 4000 }, () => r.normal(10, 2));
    expect(mean(normals)).toBeCloseTo(10, 0);
    expect(Math.sqrt(mean(normals.map((x) => (x - 10) ** 2)))).toBeGreaterThan(1.8);
    expect(Math.sqrt(mean(normals.map((x) => (x - 10) ** 2)))).toBeLessThan(2.2);
  });
});

describe('generateDemoSchool', () => {
  it('is deterministic: the same options give the same school, another seed another one', () => {
    expect(generateDemoSchool({ instruments, now: NOW })).toEqual(school);
    const other = generateDemoSchool({ instruments, now: NOW, seed: 7 });
    expect(other.observations.map((o) => o.id)).not.toEqual(school.observations.map((o) => o.id));
    expect(other.people.map((p) => p.name)).not.toEqual(school.people.map((p) => p.name));
  });

  it('makes a school of about three teams and twenty teachers, with starters, a leader and coaches', () => {
    expect(school.school.demo).toBe(true);
    expect(school.school.name).toMatch(/\S+ \S+/);
    expect(school.teams).toHaveLength(3);
    expect(school.teams.map((t) => t.name)).toEqual(['Onderbouw (groep 1-2)', 'Middenbouw (groep 3-5)', 'Bovenbouw (groep 6-8)']);
    const teachers = school.people.filter((p) => p.role === 'teacher');
    expect(teachers).toHaveLength(20);
    expect(school.people.filter((p) => p.role === 'leader')).toHaveLength(1);
    expect(school.people.filter((p) => p.role === 'coach').length).toBeGreaterThanOrEqual(1);
    expect(school.people.filter((p) => p.role === 'coach').length).toBeLessThanOrEqual(2);
    const starters = teachers.filter((p) => p.starter);
    expect(starters.length).toBeGreaterThanOrEqual(3);
    expect(starters.length).toBeLessThanOrEqual(4);
    const teamIds = new Set(school.teams.map((t) => t.id));
    for (const t of teachers) expect(teamIds.has(t.teamId!)).toBe(true);
    expect(teachers.some((t) => t.focusQuestion)).toBe(true);
    expect(new Set(school.people.map((p) => p.name)).size).toBe(school.people.length);
    const leader = school.people.find((p) => p.role === 'leader')!;
    for (const record of [school.school, ...school.teams, ...school.people]) expect(record.owner).toBe(leader.id);
  });

  it('covers two Dutch school years, ending around now, with observations in both', () => {
    expect(school.schoolYears.map((y) => [y.name, y.startsOn, y.endsOn])).toEqual([
      ['2024-2025', '2024-08-01', '2025-07-31'],
      ['2025-2026', '2025-08-01', '2026-07-31'],
    ]);
    for (const year of school.schoolYears) {
      expect(school.observations.filter((o) => o.schoolYearId === year.id).length).toBeGreaterThan(40);
    }
    expect(school.observations.length).toBeGreaterThanOrEqual(140);
    expect(school.observations.length).toBeLessThanOrEqual(220);
  });

  it('gives every observation existing people, an installed instrument and the school year of its date', () => {
    const people = new Map(school.people.map((p) => [p.id, p]));
    const years = new Map(school.schoolYears.map((y) => [y.id, y]));
    for (const o of school.observations) {
      const observer = people.get(o.observerId);
      const observed = people.get(o.observedId);
      expect(observer).toBeDefined();
      expect(observed?.role).toBe('teacher');
      expect(o.owner).toBe(o.observerId);
      expect(byKey.has(o.instrumentKey)).toBe(true);
      const year = years.get(o.schoolYearId!)!;
      expect(isoDate(o.startedAt) >= year.startsOn && isoDate(o.startedAt) <= year.endsOn).toBe(true);
      expect(o.startedAt).toBeLessThan(NOW);
      expect(o.updatedAt).toBeLessThanOrEqual(NOW);
      expect(o.createdAt).toBeLessThanOrEqual(o.startedAt);
      // A school day, during school hours (Dutch time), not in the summer holiday.
      const local = new Date(o.startedAt + 2 * 3600_000);
      expect([1, 2, 3, 4, 5]).toContain(new Date(o.startedAt).getUTCDay());
      expect(local.toISOString().slice(5, 10) < '07-11' || local.toISOString().slice(5, 10) > '08-24').toBe(true);
      expect(o.startedAt % 86_400_000).toBeGreaterThanOrEqual(6.5 * 3600_000); // 8:30 summer time
      expect(o.startedAt % 86_400_000).toBeLessThanOrEqual(14 * 3600_000); // 15:00 summer time
      if (o.purpose === 'self') expect(o.observerId).toBe(o.observedId);
      else expect(o.observerId).not.toBe(o.observedId);
      if (o.purpose === 'coach') {
        expect(observer?.role).toBe('coach');
        expect(observed?.starter).toBe(true);
      }
      if (o.purpose === 'leader') expect(observer?.role).toBe('leader');
      expect(typeof o.context.group).toBe('string');
      expect(typeof o.context.subject).toBe('string');
      expect(typeof o.context.pupils).toBe('number');
      if (o.status === 'draft') {
        expect(o.completedAt).toBeUndefined();
      } else {
        expect(o.completedAt).toBeGreaterThan(o.startedAt);
        expect(o.clock.elapsedMs).toBeGreaterThanOrEqual(34 * 60_000);
        expect(o.clock.elapsedMs).toBeLessThanOrEqual(51 * 60_000);
      }
    }
  });

  it('has a mix of purposes and statuses, with one to three recent drafts', () => {
    const purposes = new Set(school.observations.map((o) => o.purpose));
    expect([...purposes].sort()).toEqual(['calibration', 'coach', 'leader', 'peer', 'self']);
    const drafts = school.observations.filter((o) => o.status === 'draft');
    expect(drafts.length).toBeGreaterThanOrEqual(1);
    expect(drafts.length).toBeLessThanOrEqual(3);
    for (const d of drafts) expect(NOW - d.startedAt).toBeLessThan(14 * 86_400_000);
    for (const status of ['completed', 'shared', 'acknowledged']) {
      expect(school.observations.some((o) => o.status === status)).toBe(true);
    }
    // Calibration: two observers of the same lesson.
    const calibrations = school.observations.filter((o) => o.purpose === 'calibration');
    expect(calibrations.length).toBeGreaterThanOrEqual(2);
    const lessons = new Map<string, Observation[]>();
    for (const o of calibrations) lessons.set(`${o.observedId}@${o.startedAt}`, [...(lessons.get(`${o.observedId}@${o.startedAt}`) ?? []), o]);
    for (const pair of lessons.values()) {
      expect(pair).toHaveLength(2);
      expect(pair[0]!.observerId).not.toBe(pair[1]!.observerId);
    }
    // Self-assessments use the self-assessment instrument, coach visits the coaching instrument.
    for (const o of school.observations) {
      if (o.purpose === 'self') expect(byKey.get(o.instrumentKey)?.kind).toBe('self-assessment');
      if (o.purpose === 'coach') expect(byKey.get(o.instrumentKey)?.kind).toBe('coaching');
    }
  });

  it('answers only items of the observation’s instrument, within their scales', () => {
    const observations = new Map(school.observations.map((o) => [o.id, o]));
    const itemsOf = new Map<string, Map<string, Item>>(
      instruments.map((i) => [instrumentKey(i), new Map(allItems(i).map((item) => [item.id, item]))]),
    );
    const scaleValues = new Map<string, Map<string, number[]>>(
      instruments.map((i) => [instrumentKey(i), new Map(i.scales.map((s) => [s.id, s.levels.map((l) => l.value)]))]),
    );
    let notObserved = 0;
    let ratings = 0;
    for (const r of school.responses) {
      const o = observations.get(r.observationId);
      expect(o).toBeDefined();
      expect(r.id).toBe(`${r.observationId}:${r.itemId}`);
      expect(r.owner).toBe(o!.observerId);
      const item = itemsOf.get(o!.instrumentKey)!.get(r.itemId);
      expect(item, `${r.itemId} in ${o!.instrumentKey}`).toBeDefined();
      const lookForIds = (item!.lookFors ?? []).map((l) => l.id);
      for (const id of r.lookFors) expect(lookForIds).toContain(id);
      if (item!.response.type === 'rating') {
        expect(r.rating).toBeDefined();
        ratings++;
        if (r.rating === 'not-observed') notObserved++;
        else expect(scaleValues.get(o!.instrumentKey)!.get(item!.response.scale)).toContain(r.rating);
      }
      if (item!.response.type === 'yes-no') expect(['yes', 'no', 'not-observed']).toContain(r.answer);
      if (item!.response.type === 'text') expect(r.text?.length).toBeGreaterThan(0);
    }
    expect(notObserved / ratings).toBeGreaterThan(0.03);
    expect(notObserved / ratings).toBeLessThan(0.12);
    expect(school.responses.some((r) => r.evidence)).toBe(true);
  });

  it('ticks more look-fors with higher ratings, and respects the not-applicable rule', () => {
    const ticked = (level: number) =>
      mean(school.responses.filter((r: ItemResponse) => r.rating === level).map((r) => r.lookFors.length));
    expect(ticked(1)).toBeLessThan(ticked(2));
    expect(ticked(2)).toBeLessThan(ticked(3));
    expect(ticked(3)).toBeLessThan(ticked(4));
    const byObservation = new Map<string, Set<string>>();
    for (const r of school.responses) {
      if (!byObservation.has(r.observationId)) byObservation.set(r.observationId, new Set());
      byObservation.get(r.observationId)!.add(`${r.itemId}=${r.answer ?? ''}`);
    }
    let withoutSubgroup = 0;
    for (const [id, answers] of byObservation) {
      if (!answers.has('df-subgroep=no')) continue;
      withoutSubgroup++;
      const items = [...answers].map((a) => a.split('=')[0]);
      expect(items, id).not.toContain('df-indeling');
      expect(items, id).not.toContain('df-verlengde');
    }
    expect(withoutSubgroup).toBeGreaterThan(0);
  });

  it('gives notes inside the lesson, on existing observations and items', () => {
    const observations = new Map(school.observations.map((o) => [o.id, o]));
    expect(school.notes.length).toBeGreaterThan(school.observations.length);
    for (const n of school.notes) {
      const o = observations.get(n.observationId)!;
      expect(o).toBeDefined();
      expect(n.owner).toBe(o.observerId);
      expect(n.lessonMs).toBeGreaterThanOrEqual(0);
      expect(n.lessonMs).toBeLessThanOrEqual(o.clock.elapsedMs);
      expect(n.text.length).toBeGreaterThan(5);
      if (n.itemId) expect(allItems(byKey.get(o.instrumentKey)!).map((i) => i.id)).toContain(n.itemId);
    }
  });

  it('uses unique version-4 UUIDs for every record but responses', () => {
    const ids = [
      school.school.id,
      ...school.teams.map((t) => t.id),
      ...school.people.map((p) => p.id),
      ...school.schoolYears.map((y) => y.id),
      ...school.observations.map((o) => o.id),
      ...school.notes.map((n) => n.id),
    ];
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
    const responseIds = school.responses.map((r) => r.id);
    expect(new Set(responseIds).size).toBe(responseIds.length);
  });

  it.each([2026, 1, 42])('shows growth (seed %i): the school and its starters rate higher in the second year', (seed) => {
    const demo = seed === 2026 ? school : generateDemoSchool({ instruments, now: NOW, seed });
    const overall = ratingsByYear(demo);
    expect(mean(overall.get('2025-2026')!)).toBeGreaterThan(mean(overall.get('2024-2025')!));

    // Starters who were observed with the main instrument in both years.
    const starters = new Set(demo.people.filter((p) => p.starter).map((p) => p.id));
    const yearName = new Map(demo.schoolYears.map((y) => [y.id, y.name]));
    const seen = new Map<string, Set<string>>();
    for (const o of demo.observations) {
      if (!starters.has(o.observedId) || o.instrumentKey !== MAIN_KEY) continue;
      seen.set(o.observedId, (seen.get(o.observedId) ?? new Set()).add(yearName.get(o.schoolYearId!)!));
    }
    const inBoth = new Set([...seen].filter(([, names]) => names.size === 2).map(([id]) => id));
    expect(inBoth.size).toBeGreaterThanOrEqual(2);
    const starterRatings = ratingsByYear(demo, inBoth);
    expect(mean(starterRatings.get('2025-2026')!)).toBeGreaterThan(mean(starterRatings.get('2024-2025')!) + 0.2);
    // And starters begin below their experienced colleagues.
    const experienced = new Set(demo.people.filter((p) => p.role === 'teacher' && !p.starter).map((p) => p.id));
    expect(mean(starterRatings.get('2024-2025')!)).toBeLessThan(mean(ratingsByYear(demo, experienced).get('2024-2025')!));
  });

  it('has uneven participation: some teachers are observed far more often than others', () => {
    const lastYear = school.schoolYears[1]!.id;
    const received = new Map(school.people.filter((p) => p.role === 'teacher' && !p.starter).map((p) => [p.id, 0]));
    const made = new Map(school.people.filter((p) => p.role === 'teacher').map((p) => [p.id, 0]));
    for (const o of school.observations) {
      if (o.schoolYearId !== lastYear) continue;
      if (received.has(o.observedId)) received.set(o.observedId, received.get(o.observedId)! + 1);
      if (o.purpose === 'peer' && made.has(o.observerId)) made.set(o.observerId, made.get(o.observerId)! + 1);
    }
    const counts = [...received.values()];
    const min = Math.min(...counts);
    const max = Math.max(...counts);
    expect(min === 0 || max >= 3 * min).toBe(true);
    expect(max).toBeGreaterThanOrEqual(6);
    const observing = [...made.values()];
    expect(Math.max(...observing)).toBeGreaterThanOrEqual(3 * Math.max(1, Math.min(...observing)));
  });

  it('scales to a large school: 40 teachers, 5 years, 20 observations a year each', () => {
    const started = performance.now();
    const big = generateDemoSchool({ instruments, now: NOW, teachers: 40, years: 5, observationsPerTeacherPerYear: 20 });
    const ms = performance.now() - started;
    expect(big.observations.length).toBeGreaterThanOrEqual(3500);
    expect(big.schoolYears).toHaveLength(5);
    expect(big.schoolYears[4]!.name).toBe('2025-2026');
    expect(big.people.filter((p) => p.role === 'teacher')).toHaveLength(40);
    expect(big.responses.length).toBeGreaterThan(big.observations.length * 20);
    expect(ms).toBeLessThan(2000);
  });

  it('needs an observation instrument, and works with only that one', () => {
    expect(() => generateDemoSchool({ instruments: [instruments[1]!], now: NOW })).toThrow(/observation/);
    const minimal = generateDemoSchool({ instruments: [instruments[0]!], now: NOW });
    expect(new Set(minimal.observations.map((o) => o.instrumentKey))).toEqual(new Set([MAIN_KEY]));
  });

  it('ends the years around now: early in a school year, the last year is the one that just ended', () => {
    const early = generateDemoSchool({ instruments, now: Date.UTC(2026, 8, 10) });
    expect(early.schoolYears.map((y) => y.name)).toEqual(['2024-2025', '2025-2026']);
    const later = generateDemoSchool({ instruments, now: Date.UTC(2026, 10, 20) });
    expect(later.schoolYears.map((y) => y.name)).toEqual(['2025-2026', '2026-2027']);
    expect(later.observations.filter((o) => o.schoolYearId === later.schoolYears[1]!.id).length).toBeGreaterThan(0);
    for (const o of later.observations) expect(o.startedAt).toBeLessThan(Date.UTC(2026, 10, 20));
  });
});
