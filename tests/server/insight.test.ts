/**
 * Loading whole records on the server (the demo school, a tablet's upload) and the team figures the server computes
 * for leaders: released by the core's rules, and nothing per teacher in them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/server/db/database';
import { forEachDatabase, freshDatabase, scalar, type TestDatabase } from './support/databases';
import { migrate } from '../../src/server/db/migrate';
import { importRecords, type RecordsByKind } from '../../src/server/sync/import-records';
import { TeamFigures } from '../../src/server/insight/team-figures';
import type { TeamInsight, TeamInsightRequest } from '../../src/server/insight/team-insight';
import { demoRecords, generateDemo } from '../../src/server/sync/demo-records';
import { schoolStalledCycles } from '../../src/server/insight/stalled';
import { stalledCycles, type Cycle } from '../../src/core/feedback/stalled';
import { DUE_DAYS } from '../../src/core/feedback/stages';
import type { Person, Reflection, Team } from '../../src/core/model/records';

let database: Database;
const SCHOOL = 'school-demo';
const SMALL_TEAM = 'team-small';
const NOW = Date.UTC(2026, 10, 25, 12);

/** The demo school with a team of two teachers added (two of the first team move to it). */
function schoolWithSmallTeam(): RecordsByKind {
  const demo = generateDemo(NOW);
  const small = { ...demo.teams[0]!, id: SMALL_TEAM, name: 'Klein team' };
  const movers = new Set(
    demo.people
      .filter((p) => p.role === 'teacher' && p.teamId === demo.teams[0]!.id)
      .slice(0, 2)
      .map((p) => p.id),
  );
  return demoRecords(
    {
      ...demo,
      teams: [...demo.teams, small],
      people: demo.people.map((p) => (movers.has(p.id) ? { ...p, teamId: SMALL_TEAM } : p)),
    },
    NOW,
  );
}

forEachDatabase((kind) => {
  describe(`on ${kind}`, () => {
    let handle: TestDatabase;

    beforeAll(async () => {
      handle = await freshDatabase(kind);
      database = handle.database;
      await migrate(database);
      await database.query('INSERT INTO schools (id, name, created_at) VALUES ($1, $2, $3)', [SCHOOL, 'Demo', NOW]);
      await database.query('INSERT INTO school_versions (school_id) VALUES ($1)', [SCHOOL]);
    }, 60_000);
    afterAll(async () => {
      await handle.drop();
    });

    describe('loading records whole', () => {
      it('adds the demo school once: loading it again adds nothing', async () => {
        const records = schoolWithSmallTeam();
        const total = Object.values(records).reduce((sum, list) => sum + (list?.length ?? 0), 0);
        const first = await database.transaction((tx) => importRecords(tx, SCHOOL, records));
        expect(first).toEqual({ added: total, skipped: 0 });
        const again = await database.transaction((tx) => importRecords(tx, SCHOOL, records));
        expect(again).toEqual({ added: 0, skipped: total });
        const count = await scalar(database, 'SELECT count(*)::int8 AS count FROM records WHERE school_id = $1', [
          SCHOOL,
        ]);
        expect(count).toBe(total);
        const [school] = await database.query<{ id: string }>("SELECT id FROM records WHERE kind = 'school'");
        expect(school?.id).toBe(SCHOOL);
        const completed = (records.observation as unknown as Array<{ status: string; deletedAt?: number }>).filter(
          (o) => o.status !== 'draft' && o.deletedAt === undefined,
        ).length;
        const summaries = await scalar(database, 'SELECT count(*)::int8 AS summaries FROM summaries');
        expect(summaries).toBe(completed);
      }, 120_000);
    });

    describe('stalled feedback cycles', () => {
      it('counts the whole school as the core rule does over the same records, per team, counts only', async () => {
        const records = schoolWithSmallTeam();
        await database.transaction((tx) => importRecords(tx, SCHOOL, records));
        const counted = await schoolStalledCycles(database, SCHOOL, NOW);
        // The same rule over the records in memory: the server's reading loses and adds nothing.
        type Kinds = { observation: Cycle[]; reflection: Array<Reflection>; person: Person[]; team: Team[] };
        const all = records as unknown as Kinds;
        const reflections = new Map(all.reflection.filter((r) => !r.deletedAt).map((r) => [r.observationId, r]));
        const cycles = (all.observation as Array<Cycle & { id: string; deletedAt?: number }>)
          .filter((o) => !o.deletedAt && o.status !== 'draft')
          .map((o) => (reflections.has(o.id) ? { ...o, reflection: reflections.get(o.id)! } : o));
        const expected = stalledCycles(cycles, all.person, all.team, NOW, DUE_DAYS.default);
        expect(counted).toEqual(expected);
        // The demo school has feedback that waits too long, and the team of two is never shown on its own.
        expect(counted.school).not.toBeNull();
        expect(Object.values(counted.school!).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
        expect(counted.teams.map((row) => row.teamId)).not.toContain(SMALL_TEAM);
        expect(counted.others).not.toBeNull();
        // Nothing about a person leaves: no person id anywhere in the answer.
        const text = JSON.stringify(counted);
        for (const person of all.person) expect(text).not.toContain(person.id);
      }, 120_000);

      it('follows the school’s own number of days', async () => {
        const before = await schoolStalledCycles(database, SCHOOL, NOW);
        await database.query(
          `UPDATE records SET data = jsonb_set(data, '{dueAfterDays}', '60') WHERE school_id = $1 AND kind = 'school'`,
          [SCHOOL],
        );
        const after = await schoolStalledCycles(database, SCHOOL, NOW);
        expect(after.dueAfterDays).toBe(60);
        const sum = (c: typeof before) => Object.values(c.school!).reduce((a, b) => a + b, 0);
        expect(sum(after)).toBeLessThan(sum(before));
      });
    });

    describe('an upload in parts', () => {
      it('summarises an observation whose responses arrive in a later part', async () => {
        const records = schoolWithSmallTeam();
        const observation = (records.observation as unknown as Array<{ id: string; status: string }>).find(
          (o) => o.status !== 'draft',
        )!;
        const responses = (records.response as unknown as Array<{ id: string; observationId: string }>).filter(
          (r) => r.observationId === observation.id,
        );
        expect(responses.length).toBeGreaterThan(0);
        const other = await freshDatabase(kind);
        try {
          await migrate(other.database);
          await other.database.query("INSERT INTO schools (id, name, created_at) VALUES ('s2', 'S', 1)");
          await other.database.query("INSERT INTO school_versions (school_id) VALUES ('s2')");
          await other.database.transaction((tx) =>
            importRecords(tx, 's2', { instrument: records.instrument, observation: [observation] }),
          );
          const before = await other.database.query<{ data: { items: Record<string, unknown> } }>(
            'SELECT data FROM summaries WHERE observation_id = $1',
            [observation.id],
          );
          expect(Object.keys(before[0]?.data.items ?? {})).toHaveLength(0);
          await other.database.transaction((tx) => importRecords(tx, 's2', { response: responses }));
          const after = await other.database.query<{ data: { items: Record<string, unknown> } }>(
            'SELECT data FROM summaries WHERE observation_id = $1',
            [observation.id],
          );
          expect(Object.keys(after[0]?.data.items ?? {}).length).toBeGreaterThan(0);
        } finally {
          await other.drop();
        }
      }, 60_000);
    });

    describe('team figures for leaders', () => {
      // As the server computes them: in a worker thread, from its copy of the school (src/server/insight).
      let figures: TeamFigures;
      const teamInsight = async (on: TeamFigures, request: TeamInsightRequest) =>
        JSON.parse(await on.figures(SCHOOL, request)) as TeamInsight;
      beforeAll(() => {
        figures = new TeamFigures(database, { workers: 1 });
      });
      afterAll(async () => {
        await figures.close();
      });

      it('draws the school with trends and themes, and sends nothing per teacher', async () => {
        const insight = await teamInsight(figures, { teamId: '', year: '', now: NOW });
        expect(insight.instrumentIds.length).toBeGreaterThan(0);
        expect(insight.view?.trend.points.some((p) => p.shown)).toBe(true);
        expect(insight.themes?.members).toBeGreaterThanOrEqual(3);
        // What the leader should know about the estimate, as the device would say it over the same data.
        expect(insight.estimation).toEqual({
          defaultsUsed: expect.any(Boolean),
          notConnected: expect.any(Boolean),
          ignoredLevels: 0,
        });
        const text = JSON.stringify(insight);
        for (const field of ['theta', 'standardError', 'summary', 'meanPosition"', 'steps'])
          expect(text).not.toContain(field);
      }, 60_000);

      it('computes a summary stored by an older version again before using it', async () => {
        const [row] = await database.query<{ observation_id: string; data: unknown }>(
          'SELECT observation_id, data FROM summaries WHERE school_id = $1 LIMIT 1',
          [SCHOOL],
        );
        await database.query('UPDATE summaries SET data = $1 WHERE school_id = $2 AND observation_id = $3', [
          JSON.stringify({ version: 1, domains: {}, items: {} }),
          SCHOOL,
          row!.observation_id,
        ]);
        // A server started after SUMMARY_VERSION went up reads the school anew and finds the old summary.
        const restarted = new TeamFigures(database, { workers: 1 });
        try {
          await teamInsight(restarted, { teamId: '', year: '', now: NOW });
        } finally {
          await restarted.close();
        }
        const [after] = await database.query<{ data: unknown }>(
          'SELECT data FROM summaries WHERE school_id = $1 AND observation_id = $2',
          [SCHOOL, row!.observation_id],
        );
        expect(after?.data).toEqual(row!.data);
      }, 60_000);

      it('says why a team of fewer than three observed teachers is not shown', async () => {
        const insight = await teamInsight(figures, { teamId: SMALL_TEAM, year: '', now: NOW });
        expect(insight.view?.trend.points.every((p) => !p.shown)).toBe(true);
        expect(insight.themes?.withheld).toBe('too-few-members');
      }, 60_000);
    });
  });
});
