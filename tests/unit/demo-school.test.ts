/**
 * The demo-school generator: reproducible from a seed, internally consistent (every reference resolves, every
 * answer fits its instrument), and shaped like a real school (starters grow, participation is uneven).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allItems, type Instrument, type Item } from '../../src/core/instrument';
import { instrumentKey, responseId, type ItemResponse, type Observation } from '../../src/core/model/records';
import { flattenItems, repeatKey } from '../../src/core/instrument/localize';
import { snapshotMinutes, LESSON_MINUTES_FIELD } from '../../src/core/observation/snapshots';
import { contentProblem } from '../../src/core/sync/content';
import { identityProblem } from '../../src/core/sync/identity';
import { storeLookups } from '../../src/core/sync/write-intent';
import type { RecordKind } from '../../src/core/sync/change';
import { createRandom } from '../../src/core/demo/random';
import { generateDemoSchool, type DemoSchool } from '../../src/core/demo/demo-school';
import { stagesOf, handOverProblems } from '../../src/core/feedback/stages';
import { refusal } from '../../src/core/model/lifecycle';

const DIR = path.resolve(__dirname, '../../instruments');
const load = (file: string) => JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Instrument;
const instruments = [
  'lesobservatie.json',
  'zelfevaluatie.json',
  'startersbegeleiding.json',
  'collegiale-feedback.json',
  'time-on-task.json',
  'interactie-cycli.json',
].map(load);
const byKey = new Map(instruments.map((i) => [instrumentKey(i), i]));
const MAIN_KEY = 'meekijken.lesobservatie@1.1.0';

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
    const list = out.get(name);
    if (list) list.push(r.rating);
    else out.set(name, [r.rating]);
  }
  return out;
}

describe('the demo school’s feedback stages', () => {
  const observations = new Map(school.observations.map((o) => [o.id, o]));
  const notes = new Set(school.notes.map((n) => n.id));

  it('reaches every stage, each with its time, never after now', () => {
    const steps = new Set(
      school.observations.map(
        (o) =>
          stagesOf(
            o,
            school.reflections.find((r) => r.observationId === o.id),
          ).step,
      ),
    );
    expect([...steps].sort()).toEqual(['completed', 'discussed', 'draft', 'handed-over', 'read']);
    for (const o of school.observations.filter((o) => o.status === 'shared')) {
      expect(o.handedOverAt).toBeGreaterThanOrEqual(o.completedAt!);
      expect(o.handedOverAt).toBeLessThanOrEqual(NOW);
      expect(o.purpose).not.toBe('self');
    }
    for (const r of school.reflections) {
      const o = observations.get(r.observationId)!;
      expect(r.readAt).toBeGreaterThanOrEqual(o.handedOverAt!);
      if (r.acknowledgedAt !== undefined) expect(r.acknowledgedAt).toBeGreaterThanOrEqual(r.readAt!);
      expect(Math.max(r.readAt!, r.acknowledgedAt ?? 0)).toBeLessThanOrEqual(NOW);
    }
  });

  it('gives feedback only on others’ lessons, written by the observer, handed over with a top and a tip', () => {
    expect(school.feedback.length).toBeGreaterThan(20);
    for (const f of school.feedback) {
      const o = observations.get(f.observationId)!;
      expect(f.id).toBe(o.id);
      expect(f.owner).toBe(o.observerId);
      expect(o.purpose).not.toBe('self');
      if (o.status === 'shared') expect(handOverProblems(f)).toEqual([]);
      for (const point of f.points) {
        if (point.link?.noteId) expect(notes.has(point.link.noteId)).toBe(true);
        if (point.link?.itemId)
          expect(allItems(byKey.get(o.instrumentKey)!).some((i) => i.id === point.link!.itemId)).toBe(true);
      }
    }
    for (const o of school.observations.filter((o) => o.status === 'shared'))
      expect(school.feedback.some((f) => f.observationId === o.id)).toBe(true);
  });

  it('lets only the observed teacher reflect, share and set goals, as the writer rules allow', () => {
    for (const r of school.reflections) {
      const o = observations.get(r.observationId)!;
      expect(r.teacherId).toBe(o.observedId);
      expect(
        refusal({ id: r.teacherId, role: 'teacher' }, { kind: 'reflection', op: 'insert', observation: o, after: r }),
      ).toBeUndefined();
    }
    expect(school.reflections.some((r) => r.sharedWithLeaderAt !== undefined)).toBe(true);
    expect(school.goals.length).toBeGreaterThan(0);
    for (const g of school.goals) {
      expect(g.owner).toBe(g.teacherId);
      expect(school.reflections.find((r) => r.goalId === g.id)?.teacherId).toBe(g.teacherId);
    }
    expect(school.goals.some((g) => g.status === 'achieved')).toBe(true);
  });

  it('has open requests for the coming days, one of them declined, and observations that answered a request', () => {
    const open = school.requests.filter((r) => !school.observations.some((o) => o.requestId === r.id));
    expect(open.length).toBeGreaterThanOrEqual(3);
    for (const r of open) expect(r.plannedOn! >= isoDate(NOW)).toBe(true);
    expect(school.declines).toHaveLength(1);
    expect(
      open.some((r) => r.id === school.declines[0]!.requestId && r.observerId === school.declines[0]!.observerId),
    ).toBe(true);
    const answered = school.observations.filter((o) => o.requestId);
    expect(answered.length).toBeGreaterThan(5);
    for (const o of answered) {
      const request = school.requests.find((r) => r.id === o.requestId)!;
      expect([request.observedId, request.observerId, request.plannedOn]).toEqual([
        o.observedId,
        o.observerId,
        isoDate(o.startedAt + 2 * 3_600_000),
      ]);
    }
  });
});

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
    const floats = Array.from({ length: 2000 }, () => r.next());
    expect(Math.min(...floats)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...floats)).toBeLessThan(1);
    for (let i = 0; i < 2000; i++) ints.add(r.int(3, 5));
    expect([...ints].sort()).toEqual([3, 4, 5]);
    const uuids = Array.from({ length: 2000 }, () => r.uuid());
    expect(uuids.filter((id) => !UUID_V4.test(id))).toEqual([]);
    expect(new Set(uuids).size).toBe(uuids.length);
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
    expect(school.teams.map((t) => t.name)).toEqual([
      'Onderbouw (groep 1-2)',
      'Middenbouw (groep 3-5)',
      'Bovenbouw (groep 6-8)',
    ]);
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
    const problems: string[] = [];
    const check = (ok: boolean, what: string, o: Observation) => {
      if (!ok) problems.push(`${o.id} (${o.purpose}, ${new Date(o.startedAt).toISOString()}): ${what}`);
    };
    for (const o of school.observations) {
      const observer = people.get(o.observerId);
      const observed = people.get(o.observedId);
      check(observer !== undefined, 'observer exists', o);
      check(observed?.role === 'teacher', 'observed is a teacher', o);
      check(o.owner === o.observerId, 'owned by the observer', o);
      check(byKey.has(o.instrumentKey), 'instrument is installed', o);
      const year = years.get(o.schoolYearId!);
      const date = isoDate(o.startedAt);
      check(year !== undefined && date >= year.startsOn && date <= year.endsOn, 'school year contains the lesson', o);
      check(
        o.createdAt <= o.startedAt && o.startedAt < NOW && o.updatedAt <= NOW,
        'timestamps in order, before now',
        o,
      );
      // A school day, in school hours (8:30–15:00 Dutch time is 6:30–14:00 UTC in summer, 7:30–15:00 in winter),
      // not in the summer holiday.
      const utcMinutes = (o.startedAt % 86_400_000) / 60_000;
      check([1, 2, 3, 4, 5].includes(new Date(o.startedAt).getUTCDay()), 'on a weekday', o);
      check(utcMinutes >= 6.5 * 60 && utcMinutes + o.clock.elapsedMs / 60_000 <= 15 * 60, 'in school hours', o);
      check(date.slice(5) < '07-11' || date.slice(5) > '08-24', 'not in the summer holiday', o);
      check(
        o.purpose === 'self' ? o.observerId === o.observedId : o.observerId !== o.observedId,
        'observer fits the purpose',
        o,
      );
      if (o.purpose === 'coach')
        check(observer?.role === 'coach' && observed?.starter === true, 'a coach visits a starter', o);
      if (o.purpose === 'leader') check(observer?.role === 'leader', 'the leader observes', o);
      check(typeof o.context.group === 'string' && typeof o.context.subject === 'string', 'group and subject', o);
      check(typeof o.context.pupils === 'number', 'number of pupils', o);
      if (o.status === 'draft') check(o.completedAt === undefined, 'a draft is not completed', o);
      else {
        check((o.completedAt ?? 0) > o.startedAt + o.clock.elapsedMs, 'completed after the lesson', o);
        check(o.clock.elapsedMs >= 35 * 60_000 && o.clock.elapsedMs <= 51 * 60_000, 'a 35–50 minute lesson', o);
      }
    }
    expect(problems).toEqual([]);
    // The group matches the observed teacher's team.
    const teamName = new Map(school.teams.map((t) => [t.id, t.name]));
    for (const o of school.observations.slice(0, 50)) {
      const team = teamName.get(people.get(o.observedId)!.teamId!)!;
      const [from, to] = team
        .match(/groep (\d)-(\d)/)!
        .slice(1)
        .map(Number);
      const group = Number(String(o.context.group).match(/groep (\d)/)![1]);
      expect(group >= from! && group <= to!, `${o.context.group} in ${team}`).toBe(true);
    }
  });

  it('has a mix of purposes and statuses, with one to three recent drafts', () => {
    const purposes = new Set(school.observations.map((o) => o.purpose));
    expect([...purposes].sort()).toEqual(['calibration', 'coach', 'leader', 'peer', 'self']);
    const drafts = school.observations.filter((o) => o.status === 'draft');
    expect(drafts.length).toBeGreaterThanOrEqual(1);
    expect(drafts.length).toBeLessThanOrEqual(3);
    for (const d of drafts) expect(NOW - d.startedAt).toBeLessThan(14 * 86_400_000);
    for (const status of ['completed', 'shared']) {
      expect(school.observations.some((o) => o.status === status)).toBe(true);
    }
    // Calibration: two observers of the same lesson.
    const calibrations = school.observations.filter((o) => o.purpose === 'calibration');
    expect(calibrations.length).toBeGreaterThanOrEqual(2);
    const lessons = new Map<string, Observation[]>();
    for (const o of calibrations)
      lessons.set(`${o.observedId}@${o.startedAt}`, [...(lessons.get(`${o.observedId}@${o.startedAt}`) ?? []), o]);
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
    const problems: string[] = [];
    for (const r of school.responses) {
      const o = observations.get(r.observationId);
      if (!o) {
        problems.push(`${r.id}: no observation`);
        continue;
      }
      if (r.id !== responseId(r.observationId, r.itemId, r.cycle)) problems.push(`${r.id}: id`);
      if (r.owner !== o.observerId) problems.push(`${r.id}: owner`);
      const item = itemsOf.get(o.instrumentKey)!.get(r.itemId);
      if (!item) {
        problems.push(`${r.id}: no item ${r.itemId} in ${o.instrumentKey}`);
        continue;
      }
      // An answer in a repeated section names its repetition, one that was started; no other answer does.
      const domain = byKey.get(o.instrumentKey)!.domains.find((d) => flattenItems(d.items).includes(item))!;
      const started = o.cycles?.[repeatKey(domain)]?.length ?? 0;
      if (domain.repeat ? !(r.cycle! >= 1 && r.cycle! <= started) : r.cycle !== undefined)
        problems.push(`${r.id}: cycle ${String(r.cycle)} of ${started}`);
      const lookForIds = (item.lookFors ?? []).map((l) => l.id);
      if (r.lookFors.some((id) => !lookForIds.includes(id))) problems.push(`${r.id}: look-fors ${r.lookFors.join()}`);
      if (item.response.type === 'rating') {
        ratings++;
        if (r.rating === 'not-observed') notObserved++;
        else if (
          !scaleValues
            .get(o.instrumentKey)!
            .get(item.response.scale)!
            .includes(r.rating as number)
        ) {
          problems.push(`${r.id}: rating ${String(r.rating)}`);
        }
      }
      if (item.response.type === 'yes-no' && !['yes', 'no', 'not-observed'].includes(r.answer ?? ''))
        problems.push(`${r.id}: answer`);
      if (item.response.type === 'text' && !r.text) problems.push(`${r.id}: empty text`);
    }
    expect(problems).toEqual([]);
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
    const itemIds = new Map(instruments.map((i) => [instrumentKey(i), new Set(allItems(i).map((item) => item.id))]));
    const problems: string[] = [];
    for (const n of school.notes) {
      const o = observations.get(n.observationId);
      if (!o) problems.push(`${n.id}: no observation`);
      else {
        if (n.owner !== o.observerId) problems.push(`${n.id}: owner`);
        if (n.lessonMs < 0 || n.lessonMs > o.clock.elapsedMs) problems.push(`${n.id}: lessonMs ${n.lessonMs}`);
        if (n.itemId && !itemIds.get(o.instrumentKey)!.has(n.itemId)) problems.push(`${n.id}: item ${n.itemId}`);
      }
      if (n.text.length < 5) problems.push(`${n.id}: text`);
    }
    expect(problems).toEqual([]);
    expect(school.notes.some((n) => n.itemId)).toBe(true);
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

  /** Mean ratings (main instrument) in the first and second year: the school, and the starters seen in both years. */
  function growth(demo: DemoSchool) {
    const overall = ratingsByYear(demo);
    const starters = new Set(demo.people.filter((p) => p.starter).map((p) => p.id));
    const yearName = new Map(demo.schoolYears.map((y) => [y.id, y.name]));
    const seen = new Map<string, Set<string>>();
    for (const o of demo.observations) {
      if (!starters.has(o.observedId) || o.instrumentKey !== MAIN_KEY) continue;
      seen.set(o.observedId, (seen.get(o.observedId) ?? new Set()).add(yearName.get(o.schoolYearId!)!));
    }
    const inBoth = new Set([...seen].filter(([, names]) => names.size === 2).map(([id]) => id));
    const starterRatings = ratingsByYear(demo, inBoth);
    const experienced = new Set(demo.people.filter((p) => p.role === 'teacher' && !p.starter).map((p) => p.id));
    return {
      school: [mean(overall.get('2024-2025')!), mean(overall.get('2025-2026')!)],
      starters: [mean(starterRatings.get('2024-2025') ?? []), mean(starterRatings.get('2025-2026') ?? [])],
      startersInBoth: inBoth.size,
      experiencedFirstYear: mean(ratingsByYear(demo, experienced).get('2024-2025')!),
    };
  }

  it('shows growth: the school and its starters rate higher in the second year, starters start lower', () => {
    const g = growth(school);
    expect(g.school[1]).toBeGreaterThan(g.school[0]!);
    expect(g.startersInBoth).toBeGreaterThanOrEqual(2);
    expect(g.starters[1]).toBeGreaterThan(g.starters[0]! + 0.2);
    expect(g.starters[0]).toBeLessThan(g.experiencedFirstYear - 0.3);
  });

  it('shows growth for (nearly) every seed, not just the default one', () => {
    const results = Array.from({ length: 20 }, (_, i) =>
      growth(generateDemoSchool({ instruments, now: NOW, seed: i + 1 })),
    );
    // Sampling noise (which lessons happen to be seen) may hide a year's growth now and then, but rarely.
    expect(results.filter((g) => g.school[1]! > g.school[0]!).length).toBeGreaterThanOrEqual(18);
    expect(
      results.filter((g) => g.startersInBoth >= 2 && g.starters[1]! > g.starters[0]!).length,
    ).toBeGreaterThanOrEqual(18);
    expect(mean(results.map((g) => g.school[1]! - g.school[0]!))).toBeGreaterThan(0.1);
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
    const big = generateDemoSchool({
      instruments,
      now: NOW,
      teachers: 40,
      years: 5,
      observationsPerTeacherPerYear: 20,
    });
    expect(big.observations.length).toBeGreaterThanOrEqual(3500);
    expect(big.schoolYears).toHaveLength(5);
    expect(big.schoolYears[4]!.name).toBe('2025-2026');
    expect(big.people.filter((p) => p.role === 'teacher')).toHaveLength(40);
    expect(big.responses.length).toBeGreaterThan(big.observations.length * 20);
  });

  it('needs an observation instrument, and works with only that one', () => {
    expect(() => generateDemoSchool({ instruments: [instruments[1]!], now: NOW })).toThrow(/observation/);
    const minimal = generateDemoSchool({ instruments: [instruments[0]!], now: NOW });
    expect(new Set(minimal.observations.map((o) => o.instrumentKey))).toEqual(new Set([MAIN_KEY]));
  });

  const cycles = load('interactie-cycli.json');
  const CYCLES_KEY = instrumentKey(cycles);

  it('observes a few lessons in cycles: two or more each, started in turn inside the lesson, each answered on its own', () => {
    const inCycles = school.observations.filter((o) => o.instrumentKey === CYCLES_KEY);
    expect(inCycles.length).toBeGreaterThanOrEqual(4);
    expect(new Set(inCycles.map((o) => o.purpose))).toEqual(new Set(['peer', 'leader']));
    const items = allItems(cycles);
    for (const o of inCycles) {
      expect(Object.keys(o.cycles ?? {}), o.id).toEqual(['cyclus']);
      const starts = o.cycles!.cyclus!.map((mark) => mark.startedMs);
      expect(starts.length, o.id).toBeGreaterThanOrEqual(2);
      expect(starts.length, o.id).toBeLessThanOrEqual(4);
      starts.forEach((start, n) => {
        expect(start).toBeGreaterThan(n === 0 ? 0 : starts[n - 1]! + 5 * 60_000);
        expect(start).toBeLessThan(o.clock.elapsedMs);
      });
      // Each cycle's answers as the capture screen stores them: one record per item and cycle.
      const answers = school.responses.filter((r) => r.observationId === o.id);
      for (let cycle = 1; cycle <= starts.length; cycle++) {
        const here = answers.filter((r) => r.cycle === cycle);
        expect(here.length, `${o.id} cycle ${cycle}`).toBeGreaterThan(items.length / 2);
        for (const r of here) {
          expect(r.id).toBe(responseId(o.id, r.itemId, cycle));
          expect(r.createdAt).toBeGreaterThanOrEqual(o.startedAt + starts[cycle - 1]!);
          expect(r.createdAt).toBeLessThanOrEqual(o.startedAt + o.clock.elapsedMs);
        }
      }
      expect(answers.every((r) => r.cycle !== undefined && r.cycle <= starts.length)).toBe(true);
      // Its summary counts the cycles: a score per domain, combined over them.
      expect(Object.keys(o.summary?.domainScores ?? {}).sort()).toEqual(['leerondersteuning', 'organisatie', 'sfeer']);
    }
  });

  it('passes every record about the lessons in cycles through the content and identity checks', async () => {
    const records: Partial<Record<RecordKind, Array<{ id: string }>>> = {
      school: [school.school],
      team: school.teams,
      person: school.people,
      schoolYear: school.schoolYears,
      observation: school.observations,
      response: school.responses,
      note: school.notes,
      feedback: school.feedback,
      reflection: school.reflections,
      goal: school.goals,
      request: school.requests,
      decline: school.declines,
    };
    const byId = new Map<string, object>();
    for (const list of Object.values(records)) for (const record of list) byId.set(record.id, record);
    const lookups = storeLookups({
      get: async (kind, id) => (kind === 'instrument' ? { content: byKey.get(id) } : byId.get(id)),
      countIn: async () => 0,
      now: () => NOW,
    });
    const inCycles = new Set(school.observations.filter((o) => o.instrumentKey === CYCLES_KEY).map((o) => o.id));
    const problems: string[] = [];
    let checked = 0;
    for (const [kind, list] of Object.entries(records) as Array<[RecordKind, Array<{ id: string }>]>) {
      for (const record of list) {
        const observationId = (record as { observationId?: string }).observationId ?? record.id;
        if (!inCycles.has(observationId)) continue;
        checked += 1;
        const problem =
          identityProblem(kind, undefined, record) ?? (await contentProblem(kind, undefined, record, lookups));
        if (problem) problems.push(`${kind} ${record.id}: ${JSON.stringify(problem)}`);
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('adds the lessons in cycles after all others: without that instrument the school is the same, only a little smaller', () => {
    const without = generateDemoSchool({ instruments: instruments.filter((i) => i !== instruments.at(-1)), now: NOW });
    expect(school.observations.slice(0, without.observations.length)).toEqual(without.observations);
    expect(without.observations.some((o) => o.instrumentKey === CYCLES_KEY)).toBe(false);
    expect(school.observations.length).toBeLessThanOrEqual(without.observations.length * 1.1);
    expect(school.responses.length).toBeLessThanOrEqual(without.responses.length * 1.1);
    // It does not matter where the instrument comes in the list: the main one has no repeated sections.
    const first = generateDemoSchool({ instruments: [cycles, ...instruments.slice(0, -1)], now: NOW });
    expect(first.observations.map((o) => o.instrumentKey)).toEqual(school.observations.map((o) => o.instrumentKey));
  });

  it('works with only an instrument in cycles', () => {
    const only = generateDemoSchool({ instruments: [cycles], now: NOW });
    expect(only.observations.length).toBeGreaterThan(100);
    const completed = only.observations.filter((o) => o.status !== 'draft');
    for (const o of completed) expect(o.cycles?.cyclus?.length ?? 0, o.id).toBeGreaterThanOrEqual(2);
  });

  it('places snapshots at equal parts of each lesson’s own length', () => {
    const stallings = JSON.parse(
      readFileSync(path.resolve(__dirname, '../fixtures/instruments/stallings-style.json'), 'utf8'),
    ) as Instrument;
    const snapshotItem = allItems(stallings).find((i) => i.response.type === 'snapshot')!;
    const schedule = snapshotItem.response.type === 'snapshot' ? snapshotItem.response.schedule : undefined;
    expect(schedule).toEqual({ equalParts: 10 });
    const demo = generateDemoSchool({ instruments: [{ ...stallings, kind: 'observation' }], now: NOW });
    const completed = demo.observations.filter((o) => o.status !== 'draft');
    const minutesByLength = new Map<number, string>();
    for (const o of completed) {
      const lessonMinutes = o.context[LESSON_MINUTES_FIELD] as number;
      // The lesson's length is the observation's own, as the observer would give it.
      // (A calibration's second observer ran their own clock, a minute or so off.)
      expect(Math.abs(lessonMinutes - o.clock.elapsedMs / 60_000), o.id).toBeLessThanOrEqual(1.5);
      const taken = Object.keys(
        demo.responses.find((r) => r.observationId === o.id && r.itemId === snapshotItem.id)?.snapshots ?? {},
      )
        .map(Number)
        .sort((a, b) => a - b);
      expect(taken.length, o.id).toBeGreaterThanOrEqual(9);
      for (const minute of taken) expect(minute * 60_000, o.id).toBeLessThanOrEqual(o.clock.elapsedMs);
      expect(taken, o.id).toEqual(snapshotMinutes(schedule!, lessonMinutes).slice(0, taken.length));
      minutesByLength.set(lessonMinutes, taken.join());
    }
    // Lessons of different lengths take their snapshots at different minutes.
    expect(minutesByLength.size).toBeGreaterThan(5);
    expect(new Set(minutesByLength.values()).size).toBe(minutesByLength.size);
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
