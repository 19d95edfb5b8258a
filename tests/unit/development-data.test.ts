/**
 * The compact form of the estimation's input (src/core/insight/development-data.ts) and `development` computed from
 * it: the same result as computing from the summaries as objects (the reference below, the path the app took
 * before), on the demo school and on the cases where the two could part (calibration lessons, self-assessments,
 * unknown items, levels out of range, lessons at the same moment, a teacher no longer in the team map); and a
 * content key that changes with any of it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../src/core/instrument';
import { createRandom } from '../../src/core/demo/random';
import { generateDemoSchool } from '../../src/core/demo/demo-school';
import { development, developmentFromData, type DevelopmentInput } from '../../src/core/insight/development';
import { dataBuffers, developmentData, developmentDataKey, raschItems } from '../../src/core/insight/development-data';
import { oneRatingPerLesson, releasableTeams, type SummaryRow } from '../../src/core/insight/aggregate';
import { estimateRasch, type RaschObservation } from '../../src/core/statistics/rasch';
import { nextSteps, teamThemes, type NextStep } from '../../src/core/statistics/next-steps';
import { instrumentKey } from '../../src/core/model/records';

const DIR = path.resolve(__dirname, '../../instruments');
const instruments = ['lesobservatie.json', 'zelfevaluatie.json', 'startersbegeleiding.json'].map(
  (file) => JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Instrument,
);
const main = instruments[0]!;
const items = raschItems(main);

/** The estimation from the summaries as objects, as `development` computed it before the compact form. */
function reference({ rows, instrument, teams, options }: DevelopmentInput) {
  const used = oneRatingPerLesson(rows.filter((r) => r.instrumentId === instrument.id && r.purpose !== 'self'));
  const observations: RaschObservation[] = used.map((r) => ({
    personId: r.observedId,
    responses: Object.entries(r.summary.items).map(([itemId, [level]]) => ({ itemId, level })),
  }));
  const estimate = estimateRasch(observations, raschItems(instrument));
  const levelCount = new Map(raschItems(instrument).map((item) => [item.itemId, item.levels]));
  const latest = new Map<string, Record<string, number>>();
  for (const row of [...used].sort((a, b) => a.startedAt - b.startedAt)) {
    const levels = latest.get(row.observedId) ?? {};
    for (const [itemId, [level]] of Object.entries(row.summary.items))
      if (Number.isInteger(level) && level >= 0 && level < (levelCount.get(itemId) ?? 0)) levels[itemId] = level;
    latest.set(row.observedId, levels);
  }
  const stepItems = estimate.items.map((item) => ({ itemId: item.itemId, thresholds: item.thresholds }));
  const teachers = estimate.persons.map((person) => ({
    personId: person.personId,
    theta: person.theta,
    standardError: person.standardError,
    observations: person.observations,
    steps: nextSteps(person.theta, stepItems, { ...options, latestLevels: latest.get(person.personId) ?? {} }),
  }));
  const shownTeams = releasableTeams(
    used.map((r) => ({ ...r, ...(teams[r.observedId] ? { teamId: teams[r.observedId]! } : {}) })),
    [...new Set(Object.values(teams).filter((t): t is string => !!t))],
  );
  const byTeam = new Map<string, NextStep[][]>();
  for (const teacher of teachers) {
    const team = teams[teacher.personId];
    if (team) byTeam.set(team, [...(byTeam.get(team) ?? []), teacher.steps]);
  }
  return {
    instrumentId: instrument.id,
    source: estimate.source,
    itemLocations: Object.fromEntries(estimate.items.map((item) => [item.itemId, item.location])),
    teachers,
    themes: Object.fromEntries(
      [...byTeam].map(([team, steps]) => [
        team,
        shownTeams.has(team)
          ? teamThemes(steps)
          : { themes: [], members: steps.length, withheld: 'too-few-members' as const },
      ]),
    ),
    schoolThemes: teamThemes(teachers.map((teacher) => teacher.steps)),
    personsUsed: estimate.personsUsed,
    observationsUsed: estimate.observationsUsed,
    ignoredLevels: estimate.outOfScaleLevels,
    blocks: estimate.blocks,
    notConnectedItemIds: estimate.items.filter((i) => i.defaultReason === 'not-connected').map((i) => i.itemId),
  };
}

const demo = generateDemoSchool({ instruments, now: Date.UTC(2026, 5, 17, 10, 0) });
const byKey = new Map(instruments.map((i) => [instrumentKey(i), i]));
const demoTeams = Object.fromEntries(demo.people.map((p) => [p.id, p.teamId]));
const demoRows: SummaryRow[] = demo.observations
  .filter((o) => o.summary && o.status !== 'draft')
  .map((o) => ({
    observationId: o.id,
    observedId: o.observedId,
    observerId: o.observerId,
    purpose: o.purpose,
    instrumentId: byKey.get(o.instrumentKey)!.id,
    startedAt: o.startedAt,
    ...(demoTeams[o.observedId] ? { teamId: demoTeams[o.observedId]! } : {}),
    summary: o.summary!,
  }));

/** A lesson of `observedId` by `observerId` with seeded random levels on most of the instrument's items. */
function lesson(random: ReturnType<typeof createRandom>, observedId: string, observerId: string, startedAt: number) {
  const rated: Record<string, [number, number]> = {};
  for (const item of items) if (!random.chance(0.2)) rated[item.itemId] = [random.int(0, item.levels - 1), item.levels];
  return {
    observationId: `${observedId}-${startedAt}-${observerId}`,
    observedId,
    observerId,
    purpose: 'peer' as const,
    instrumentId: main.id,
    startedAt,
    summary: { version: 2, domains: {}, items: rated },
  };
}

describe('development from the compact form', () => {
  it('gives what the object path gives on the demo school, with its calibration lessons and self-assessments', () => {
    const purposes = new Set(demoRows.map((r) => r.purpose));
    expect(purposes).toContain('calibration');
    expect(purposes).toContain('self');
    const input = { rows: demoRows, instrument: main, teams: demoTeams };
    const result = development(input);
    expect(result.teachers.length).toBeGreaterThan(15);
    expect(result).toEqual(reference(input));
  });

  it('and with options, unknown items, levels out of range and lessons at the same moment', () => {
    const random = createRandom(17);
    const teacher = demoRows.find((r) => r.instrumentId === main.id && r.purpose === 'peer')!;
    const at = Math.max(...demoRows.map((r) => r.startedAt)) + 1000;
    const extra = [lesson(random, teacher.observedId, 'x1', at), lesson(random, teacher.observedId, 'x2', at)];
    extra[0]!.summary.items['not-an-item'] = [1, 4];
    // An older version of the instrument may have had more levels: out of range here, so left out and counted, and
    // not the latest level either.
    extra[1]!.summary.items[items[0]!.itemId] = [items[0]!.levels + 2, items[0]!.levels + 3];
    const input = {
      rows: [...demoRows, ...extra],
      instrument: main,
      teams: demoTeams,
      options: { maxItems: 5, band: { min: 0.2, max: 0.8 } },
    };
    const result = development(input);
    expect(result.teachers.find((t) => t.personId === teacher.observedId)).toBeDefined();
    expect(result.ignoredLevels).toBe(1);
    expect(result).toEqual(reference(input));
  });

  it('counts a teacher no longer in the team map in the team their lessons name, for which teams may be shown', () => {
    const random = createRandom(4);
    const start = Date.UTC(2026, 2, 2, 9);
    const members: Record<string, string> = { a: 'T1', b: 'T1', c: 'T1', d: 'T2', e: 'T2', f: 'T2' };
    const rows: SummaryRow[] = [...Object.keys(members), 'g'].flatMap((id, n) =>
      [0, 1, 2].map((k) => ({
        ...lesson(random, id, `obs-${(n + k + 1) % 7}`, start + (n * 3 + k) * 86_400_000),
        teamId: members[id] ?? 'T1',
      })),
    );
    const input = { rows, instrument: main, teams: members };
    const result = development(input);
    // With g counted in T1 no teacher is left over, so both teams show their themes; without g one would be.
    expect(result.themes.T1?.withheld).toBeNull();
    expect(result.themes.T2?.withheld).toBeNull();
    expect(result).toEqual(reference(input));
    // The rule itself: g in no team leaves one teacher over, and a team is held back.
    const withoutG = rows.map((r) => (r.observedId === 'g' ? { ...r, teamId: undefined } : r));
    expect(releasableTeams(withoutG, ['T1', 'T2']).size).toBeLessThan(2);
  });
});

describe('the compact form', () => {
  const data = developmentData(demoRows, main, demoTeams);

  it('holds the lessons rated with the instrument by others, and their ratings of its items', () => {
    const lessons = demoRows.filter((r) => r.instrumentId === main.id && r.purpose !== 'self');
    expect(data.lessons.observed).toHaveLength(lessons.length);
    expect(data.ratings.start[lessons.length]).toBe(data.ratings.item.length);
    expect(data.ratings.item.length).toBe(
      lessons.reduce(
        (sum, r) =>
          sum + Object.keys(r.summary.items).filter((id) => raschItems(main).some((i) => i.itemId === id)).length,
        0,
      ),
    );
    const l = 3;
    const row = lessons[l]!;
    expect(data.personIds[data.lessons.observed[l]!]).toBe(row.observedId);
    expect(data.personIds[data.lessons.observer[l]!]).toBe(row.observerId);
    const rated = Object.fromEntries(
      [...data.ratings.item.subarray(data.ratings.start[l], data.ratings.start[l + 1])].map((i, k) => [
        data.items[i]!.itemId,
        data.ratings.level[data.ratings.start[l]! + k],
      ]),
    );
    expect(rated).toEqual(Object.fromEntries(Object.entries(row.summary.items).map(([id, [level]]) => [id, level])));
  });

  it('marks a level outside the item’s scale as such: not a whole number from 0 to K−1', () => {
    const row = { ...demoRows.find((r) => r.instrumentId === main.id && r.purpose === 'peer')! };
    const outside = [1.5, -1, 256, NaN, Infinity, items[4]!.levels];
    row.summary = {
      ...row.summary,
      items: {
        ...Object.fromEntries(outside.map((level, k) => [items[k]!.itemId, [level, 4] as [number, number]])),
        [items[6]!.itemId]: [1, 4],
      },
    };
    const one = developmentData([row], main, demoTeams);
    expect([...one.ratings.item]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([...one.ratings.level]).toEqual([255, 255, 255, 255, 255, 255, 1]);
    expect(developmentFromData(one).ignoredLevels).toBe(outside.length);
  });

  it('computes what the object path computes, also after crossing to a worker (transferred, not copied)', () => {
    const buffers = dataBuffers(data);
    expect(new Set(buffers).size).toBe(buffers.length);
    const sent = structuredClone(developmentData(demoRows, main, demoTeams), {
      transfer: dataBuffers(developmentData(demoRows, main, demoTeams)),
    });
    expect(developmentFromData(sent)).toEqual(reference({ rows: demoRows, instrument: main, teams: demoTeams }));
  });

  it('has a key that equal data share and any change alters', () => {
    const key = developmentDataKey(data);
    expect(developmentDataKey(developmentData(structuredClone(demoRows), main, { ...demoTeams }))).toBe(key);

    const peer = demoRows.findIndex((r) => r.instrumentId === main.id && r.purpose === 'peer');
    const [itemId, [level, levels]] = Object.entries(demoRows[peer]!.summary.items)[0]!;
    const changed = (change: (row: SummaryRow) => SummaryRow) =>
      developmentDataKey(
        developmentData(
          demoRows.map((r, i) => (i === peer ? change(r) : r)),
          main,
          demoTeams,
        ),
      );
    const keys = [
      changed((r) => ({
        ...r,
        summary: { ...r.summary, items: { ...r.summary.items, [itemId]: [(level + 1) % levels, levels] } },
      })),
      changed((r) => ({ ...r, observerId: 'someone-else' })),
      changed((r) => ({ ...r, startedAt: r.startedAt + 1 })),
      changed((r) => ({ ...r, purpose: 'calibration' })),
      developmentDataKey(developmentData(demoRows.slice(1), main, demoTeams)),
      developmentDataKey(
        developmentData(demoRows, main, { ...demoTeams, [demoRows[peer]!.observedId]: 'another-team' }),
      ),
      developmentDataKey(
        developmentData(
          demoRows,
          { ...main, domains: main.domains.map((d, i) => (i ? d : { ...d, items: d.items.slice(1) })) },
          demoTeams,
        ),
      ),
    ];
    expect(new Set([key, ...keys]).size).toBe(keys.length + 1);
  });
});
