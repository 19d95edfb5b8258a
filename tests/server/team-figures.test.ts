/**
 * Team figures off the request path (src/server/insight/team-figures.ts): computed in a worker thread from the
 * worker's copy of the school, cached per school and selection until the school's data change.
 *
 * - The figures are the ones the core computes in this process from the same school (the generator's records),
 *   for every team, year and instrument, through the real route.
 * - The cache answers the same text until a write; a write that leaves the figures' inputs as they were (a note) is
 *   read but computes nothing; a changed rating, a teacher moved to another team, a deleted observation compute
 *   again, and the copy brought up to date with only the changes gives what a server reading the school anew gives.
 * - A failing computation answers 500 and the worker goes on; a worker killed mid-request answers 500, and one that
 *   crashes between requests is replaced: the next request works and reads the school anew.
 * - The bounds: a worker that may hold fewer observations lets a school go and reads it again; a cache too small to
 *   hold an answer computes every time; requests beyond those that may wait for a worker answer 503.
 * - The event loop stays free during the figures of a large school: while the server reads and computes them, the
 *   main thread never runs for more than a small share of what the same computation holds it when run there.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { periodOf, summaryRow } from '../../src/core/insight/aggregate';
import { development, estimationNotes } from '../../src/core/insight/development';
import { leaderView } from '../../src/core/insight/leader-view';
import { SUMMARY_VERSION } from '../../src/core/insight/summary';
import type { TeamInsight } from '../../src/core/insight/team-insight';
import { newestVersions } from '../../src/core/instrument/versions';
import { mainFirst } from '../../src/core/instrument/suggest';
import { generateDemoSchool, type DemoSchool } from '../../src/core/demo/demo-school';
import {
  instrumentKey,
  type ItemResponse,
  type Observation,
  type Person,
  type Team,
} from '../../src/core/model/records';
import type { RecordKind } from '../../src/core/sync/change';
import type { BuildServerOptions } from '../../src/server/app';
import type { Database } from '../../src/server/db/database';
import { lockSchool, putRecord, takeVersions } from '../../src/server/db/records';
import { TeamFigures } from '../../src/server/insight/team-figures';
import { generateDemo } from '../../src/server/sync/demo-records';
import { shippedInstruments } from '../../src/server/sync/shipped-instruments';
import { refreshSummary } from '../../src/server/sync/summaries';
import { forEachDatabase, migratedDatabase } from './support/databases';
import { fillSchool } from './support/board';
import { bearer, setUpSchool, testServer, type SignedInPerson, type TestServer } from './support/server';

interface Selection {
  teamId: string;
  year: string;
  instrumentId?: string;
}

/**
 * What the core computes in this process from a school's records: the rows of its completed observations (with the
 * summaries the app computed on completion), in id order as a device reads them, and the server's choice of
 * instrument, year and themes as it always made it.
 */
function expectedFigures(
  school: { observations: readonly Observation[]; people: readonly Person[]; teams: readonly Team[] },
  selection: Selection,
  now: number,
): TeamInsight {
  const installed = new Map(shippedInstruments().map((i) => [instrumentKey(i), i]));
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const people = school.people.filter((p) => p.deletedAt === undefined).sort(byId);
  const teams = school.teams.filter((t) => t.deletedAt === undefined).sort(byId);
  const teamOf = new Map(people.map((p) => [p.id, p.teamId]));
  const rows = school.observations
    .filter((o) => o.status !== 'draft' && o.deletedAt === undefined && o.summary && installed.has(o.instrumentKey))
    .sort(byId)
    .map((o) => summaryRow(o, installed.get(o.instrumentKey)!.id, teamOf.get(o.observedId), o.summary!));
  const used = new Set(rows.map((r) => r.instrumentId));
  const instruments = newestVersions(
    [...installed.values()].filter((i) => used.has(i.id) && i.kind !== 'self-assessment'),
  ).sort(mainFirst);
  const instrument = instruments.find((i) => i.id === selection.instrumentId) ?? instruments[0]!;
  const filters = { teamId: selection.teamId, year: selection.year, instrumentId: instrument.id, now };
  const year = selection.year || (leaderView(rows, instrument, people, teams, filters).years[0] ?? '');
  const view = leaderView(rows, instrument, people, teams, { ...filters, year });
  const estimate = development({ rows, instrument, teams: Object.fromEntries(people.map((p) => [p.id, p.teamId])) });
  const themes = selection.teamId
    ? (estimate.themes[selection.teamId] ?? { themes: [], members: 0, withheld: 'too-few-members' })
    : estimate.schoolThemes;
  return {
    instrumentIds: instruments.map((i) => i.id),
    instrumentId: instrument.id,
    view,
    themes,
    estimation: estimationNotes(estimate),
  };
}

/** Writes records as a push would: each under the school's next version, summaries computed again in the same transaction. */
async function write(
  database: Database,
  schoolId: string,
  records: ReadonlyArray<{ kind: RecordKind; data: { id: string } }>,
  summarise: readonly string[] = [],
): Promise<void> {
  await database.transaction(async (tx) => {
    await lockSchool(tx, schoolId);
    for (const { kind, data } of records)
      await putRecord(tx, schoolId, kind, data, await takeVersions(tx, schoolId, 1));
    for (const id of summarise) await refreshSummary(tx, schoolId, id);
  });
}

/**
 * Watches this thread's event loop with a timer every 5 ms: the longest a timer waited beyond its time (as
 * `monitorEventLoopDelay` measures it, here with a resolution of 10 ms), and the most CPU time this thread spent
 * between two timers, which is how long it ran without giving the event loop a turn, however busy the machine.
 */
function watchEventLoop(): { stop(): { longestDelayMs: number; longestRunMs: number } } {
  const delays = monitorEventLoopDelay({ resolution: 10 });
  delays.enable();
  const cpuMs = () => {
    const { user, system } = process.threadCpuUsage();
    return (user + system) / 1000;
  };
  let lastCpu = cpuMs();
  let longestRunMs = 0;
  const tick = () => {
    const cpu = cpuMs();
    longestRunMs = Math.max(longestRunMs, cpu - lastCpu);
    lastCpu = cpu;
  };
  const timer = setInterval(tick, 5);
  return {
    stop() {
      tick();
      clearInterval(timer);
      delays.disable();
      return { longestDelayMs: delays.max / 1e6, longestRunMs };
    },
  };
}

function query(selection: Selection): string {
  const params = new URLSearchParams({ teamId: selection.teamId, year: selection.year });
  if (selection.instrumentId) params.set('instrumentId', selection.instrumentId);
  return `/api/insight/team?${params}`;
}

async function figuresOf(app: FastifyInstance, leader: SignedInPerson, selection: Selection) {
  const response = await app.inject({ method: 'GET', url: query(selection), headers: bearer(leader.token) });
  return { status: response.statusCode, body: response.body, json: () => response.json<TeamInsight>() };
}

/** The figures as a server that has never seen the school computes them: read whole, in a worker of its own. */
async function readAnew(database: Database, schoolId: string, selection: Selection, now: number): Promise<string> {
  const fresh = new TeamFigures(database, { workers: 1 });
  try {
    return await fresh.figures(schoolId, { ...selection, now });
  } finally {
    await fresh.close();
  }
}

forEachDatabase((kind) => {
  describe(`on ${kind}`, () => {
    const test = migratedDatabase(kind);

    describe('the demo school', () => {
      let server: TestServer;
      let leader: SignedInPerson;
      let demo: DemoSchool;
      let now: number;
      const open = async (options: Partial<BuildServerOptions> = {}) => {
        server = await testServer(test.database, { teamFigures: { workers: 1 }, ...options });
        now = server.clock.now();
        leader = await setUpSchool(server);
        const loaded = await server.app.inject({
          method: 'POST',
          url: '/api/school/demo',
          headers: bearer(leader.token),
        });
        expect(loaded.statusCode, loaded.body).toBe(200);
        demo = generateDemo(now);
      };
      const school = () => ({ ...demo, people: [...demo.people, leader.person] });
      const counts = () => ({ ...server.app.meekijken.teamFigures.counts });

      afterEach(async () => {
        await server?.app.close();
      });

      it('are the figures the core computes in this process, for every team, year and instrument', async () => {
        await open();
        const first = await figuresOf(server.app, leader, { teamId: '', year: '' });
        expect(first.status, first.body).toBe(200);
        const all = first.json();
        expect(all.instrumentIds.length).toBeGreaterThan(1);
        expect(all.view?.trend.points.some((p) => p.shown)).toBe(true);
        const selections: Selection[] = [];
        for (const teamId of ['', ...demo.teams.map((t) => t.id)])
          for (const year of ['', ...all.view!.years])
            for (const instrumentId of [undefined, ...all.instrumentIds.slice(1)])
              selections.push({ teamId, year, ...(instrumentId ? { instrumentId } : {}) });
        expect(selections.length).toBeGreaterThan(20);
        for (const selection of selections) {
          const answer = await figuresOf(server.app, leader, selection);
          expect(answer.status, answer.body).toBe(200);
          expect(answer.json(), JSON.stringify(selection)).toEqual(expectedFigures(school(), selection, now));
        }
        expect(JSON.stringify(all)).not.toMatch(/theta|standardError|meanPosition"|"steps"/);

        // A team of two: withheld, and the school beside it held back where it would give them away (the complement
        // rule), as the core decides.
        const small = { ...demo.teams[0]!, id: 'team-small', name: 'Klein team', updatedAt: now };
        const movers = demo.people
          .filter((p) => p.role === 'teacher' && p.teamId === demo.teams[0]!.id)
          .slice(0, 2)
          .map((p) => ({ ...p, teamId: small.id, updatedAt: now }));
        // And the second instrument's lessons of the newest year deleted: its years are not the first one's.
        const [second] = all.instrumentIds.slice(1);
        const deleted = demo.observations
          .filter(
            (o) => o.instrumentKey.startsWith(`${second}@`) && periodOf(o.startedAt, 'year') === all.view!.years[0],
          )
          .map(({ summary: _summary, ...o }) => ({ ...o, deletedAt: now, updatedAt: now }));
        expect(deleted.length).toBeGreaterThan(0);
        await write(
          server.database,
          leader.schoolId,
          [
            { kind: 'team', data: small },
            ...movers.map((data) => ({ kind: 'person' as const, data })),
            ...deleted.map((data) => ({ kind: 'observation' as const, data })),
          ],
          deleted.map((o) => o.id),
        );
        const moved = new Map(movers.map((p) => [p.id, p]));
        const gone = new Set(deleted.map((o) => o.id));
        const changed = {
          teams: [...demo.teams, small],
          people: school().people.map((p) => moved.get(p.id) ?? p),
          observations: demo.observations.filter((o) => !gone.has(o.id)),
        };
        let withheld = 0;
        for (const instrumentId of [undefined, second])
          for (const teamId of ['', small.id, demo.teams[0]!.id])
            for (const year of ['', ...all.view!.years]) {
              const selection = { teamId, year, ...(instrumentId ? { instrumentId } : {}) };
              const answer = await figuresOf(server.app, leader, selection);
              const expected = expectedFigures(changed, selection, now);
              expect(answer.json(), JSON.stringify(selection)).toEqual(expected);
              withheld += expected.view!.trend.points.filter((point) => !point.shown).length;
            }
        expect(withheld).toBeGreaterThan(0);
      }, 120_000);

      it('answers from the cache until the data change, and computes again after a change', async () => {
        await open();
        const { database } = server;
        const selection = { teamId: '', year: '' };
        const first = await figuresOf(server.app, leader, selection);
        expect(first.status, first.body).toBe(200);
        expect(counts()).toMatchObject({ computed: 1, fromCache: 0, wholeReads: 1 });
        expect((await figuresOf(server.app, leader, selection)).body).toBe(first.body);
        expect(counts()).toMatchObject({ computed: 1, fromCache: 1 });

        // A note in a completed observation: a new version, the observation is read again, its summary is the same.
        const main = first.json().instrumentId!;
        const observation = demo.observations.find(
          (o) => o.status !== 'draft' && o.purpose === 'peer' && o.instrumentKey.startsWith(`${main}@`),
        )!;
        const note = {
          id: 'note-1',
          owner: observation.observerId,
          createdAt: now,
          updatedAt: now,
          observationId: observation.id,
          text: 'Goed begin',
          lessonMs: 60_000,
        };
        await write(database, leader.schoolId, [{ kind: 'note', data: note }]);
        expect((await figuresOf(server.app, leader, selection)).body).toBe(first.body);
        expect(counts()).toMatchObject({ computed: 1, fromCache: 2, changeReads: 1, wholeReads: 1 });

        // Every rating of that lesson one level lower: its summary changes, so do the figures.
        const responses = (
          await database.query<{ data: ItemResponse }>(
            "SELECT data FROM records WHERE school_id = $1 AND kind = 'response' AND observation_id = $2",
            [leader.schoolId, observation.id],
          )
        ).map((row) => row.data);
        const lowered = responses
          .filter((r) => typeof r.rating === 'number' && r.rating > 1)
          .map((r) => ({
            kind: 'response' as const,
            data: { ...r, rating: (r.rating as number) - 1, updatedAt: now },
          }));
        expect(lowered.length).toBeGreaterThan(0);
        await write(database, leader.schoolId, lowered, [observation.id]);
        const second = await figuresOf(server.app, leader, selection);
        expect(second.status, second.body).toBe(200);
        expect(counts()).toMatchObject({ computed: 2, changeReads: 2, wholeReads: 1 });
        expect(second.body).not.toBe(first.body);
        expect(second.body).toBe(await readAnew(database, leader.schoolId, selection, now));

        // A teacher moves to another team, and an observation is deleted.
        const teacher = demo.people.find((p) => p.role === 'teacher' && p.teamId === demo.teams[0]!.id)!;
        const moved = { ...teacher, teamId: demo.teams[1]!.id, updatedAt: now };
        const deleted = { ...observation, deletedAt: now, updatedAt: now };
        delete (deleted as Partial<Observation>).summary;
        await write(database, leader.schoolId, [{ kind: 'person', data: moved }], []);
        const teamSelection = { teamId: demo.teams[1]!.id, year: '' };
        const third = await figuresOf(server.app, leader, teamSelection);
        expect(third.body).toBe(await readAnew(database, leader.schoolId, teamSelection, now));
        await write(database, leader.schoolId, [{ kind: 'observation', data: deleted }], [observation.id]);
        const fourth = await figuresOf(server.app, leader, selection);
        expect(fourth.body).not.toBe(second.body);
        expect(fourth.body).toBe(await readAnew(database, leader.schoolId, selection, now));
        expect(counts()).toMatchObject({ computed: 4, changeReads: 4, wholeReads: 1 });
      }, 120_000);

      it('answers 500 when the computation fails, and the same worker computes the next request', async () => {
        await open();
        const { database } = server;
        const selection = { teamId: '', year: '' };
        const good = await figuresOf(server.app, leader, selection);
        expect(good.status, good.body).toBe(200);
        const [worker] = server.app.meekijken.teamFigures.workers();
        // A lesson the figures of the main instrument count.
        const main = good.json().instrumentId!;
        const counted = demo.observations.find(
          (o) => o.status !== 'draft' && o.purpose === 'peer' && o.instrumentKey.startsWith(`${main}@`),
        )!;
        const [row] = await database.query<{ observation_id: string; data: unknown }>(
          'SELECT observation_id, data FROM summaries WHERE school_id = $1 AND observation_id = $2',
          [leader.schoolId, counted.id],
        );
        // A summary of the current computation that the core cannot read, written with a new version of its observation.
        const breakIt = (data: unknown) =>
          database.transaction(async (tx) => {
            await lockSchool(tx, leader.schoolId);
            const version = await takeVersions(tx, leader.schoolId, 1);
            await tx.query(
              "UPDATE records SET version = $1 WHERE school_id = $2 AND kind = 'observation' AND id = $3",
              [version, leader.schoolId, row!.observation_id],
            );
            await tx.query('UPDATE summaries SET data = $1 WHERE school_id = $2 AND observation_id = $3', [
              JSON.stringify(data),
              leader.schoolId,
              row!.observation_id,
            ]);
          });
        await breakIt({ version: SUMMARY_VERSION, domains: null, items: null });
        const failed = await figuresOf(server.app, leader, selection);
        expect(failed.status, failed.body).toBe(500);
        expect(failed.json()).toMatchObject({ error: { code: 'team-figures-failed' } });
        await breakIt(row!.data);
        const again = await figuresOf(server.app, leader, selection);
        expect(again.status, again.body).toBe(200);
        expect(again.body).toBe(good.body);
        expect(server.app.meekijken.teamFigures.workers()).toEqual([worker]);
      }, 120_000);

      it('answers 500 when the worker dies mid-request; the pool replaces it and the next request works', async () => {
        await open();
        const selection = { teamId: '', year: '' };
        const { teamFigures } = server.app.meekijken;
        const pending = figuresOf(server.app, leader, selection);
        // The worker starts when the request begins to read the school into it; it dies before the figures are done.
        while (teamFigures.workers().length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
        const [dying] = teamFigures.workers();
        await dying!.terminate();
        const failed = await pending;
        expect(failed.status, failed.body).toBe(500);
        expect(failed.json()).toMatchObject({ error: { code: 'team-figures-failed' } });
        const next = await figuresOf(server.app, leader, selection);
        expect(next.status, next.body).toBe(200);
        expect(next.json()).toEqual(expectedFigures(school(), selection, now));
        expect(teamFigures.workers()).toHaveLength(1);
        expect(teamFigures.workers()[0]).not.toBe(dying);
      }, 120_000);

      it('replaces a worker that crashed between requests, and reads the school into the new one', async () => {
        await open();
        const selection = { teamId: '', year: '' };
        const { teamFigures } = server.app.meekijken;
        const before = await figuresOf(server.app, leader, selection);
        expect(before.status, before.body).toBe(200);
        const [crashing] = teamFigures.workers();
        const exited = new Promise<number>((resolve) => crashing!.once('exit', resolve));
        // A message outside the protocol: the worker throws outside any task, and dies of it.
        crashing!.postMessage(null);
        expect(await exited).not.toBe(0);
        const after = await figuresOf(server.app, leader, selection);
        expect(after.status, after.body).toBe(200);
        expect(after.body).toBe(before.body);
        expect(counts()).toMatchObject({ wholeReads: 2, computed: 2 });
      }, 120_000);

      it('keeps within its bounds: a school let go is read again, an answer too large to keep is computed again', async () => {
        await open({ teamFigures: { workers: 1, observationsPerWorker: 1, cacheCharacters: 1 } });
        const selection = { teamId: '', year: '' };
        const first = await figuresOf(server.app, leader, selection);
        expect((await figuresOf(server.app, leader, selection)).body).toBe(first.body);
        expect(counts()).toMatchObject({ computed: 2, fromCache: 0, wholeReads: 1 });
        // A second school on the same worker: the first one's copy goes to make room, and is read again when asked for.
        const other = await setUpSchool(server, { schoolName: 'De Linde', adminName: 'Daan Smit' });
        await server.app.inject({ method: 'POST', url: '/api/school/demo', headers: bearer(other.token) });
        expect((await figuresOf(server.app, other, selection)).status).toBe(200);
        expect((await figuresOf(server.app, leader, selection)).body).toBe(first.body);
        expect(counts()).toMatchObject({ computed: 4, wholeReads: 3 });
      }, 120_000);

      it('answers 503 to requests beyond those it lets wait for a worker', async () => {
        await open({ teamFigures: { workers: 1, maxWaiting: 1 } });
        // The first reads the school into the worker meanwhile; the others find the one place taken.
        const answers = await Promise.all(
          ['', ...demo.teams.map((t) => t.id)].map((teamId) =>
            server.app.inject({ method: 'GET', url: query({ teamId, year: '' }), headers: bearer(leader.token) }),
          ),
        );
        expect(answers.map((a) => a.statusCode)).toEqual([200, ...demo.teams.map(() => 503)]);
        expect(answers[1]!.json()).toMatchObject({ error: { code: 'team-figures-busy' } });
        expect(answers[1]!.headers['retry-after']).toBe('5');
        expect((await figuresOf(server.app, leader, { teamId: demo.teams[0]!.id, year: '' })).status).toBe(200);
      }, 120_000);
    });

    describe('a large school', () => {
      const SIZE = { teachers: 200, teams: 10, years: 5, perYear: 20 };
      let server: TestServer;
      let leader: SignedInPerson;
      let large: DemoSchool;
      let now: number;

      beforeAll(() => {
        now = Date.UTC(2026, 8, 1, 8);
        // Without responses (the summaries are the generator's), as the benchmark's board: about 20,000 observations.
        large = generateDemoSchool({
          instruments: shippedInstruments(),
          now,
          teachers: SIZE.teachers,
          teams: SIZE.teams,
          years: SIZE.years,
          observationsPerTeacherPerYear: SIZE.perYear,
          keepResponses: false,
        });
      }, 120_000);
      beforeEach(async () => {
        server = await testServer(test.database, { teamFigures: { workers: 1 } });
        leader = await setUpSchool(server);
        await fillSchool(test.database, leader.schoolId, { size: SIZE, now, demo: large });
      }, 120_000);
      afterEach(async () => {
        await server?.app.close();
      });

      it('keeps the event loop free while it reads and computes the figures', async () => {
        const selection = { teamId: '', year: '' };
        const school = { ...large, people: [...large.people, leader.person] };
        // The same computation on the main thread (what the route did before), for the scale of this machine.
        const onMainThread = watchEventLoop();
        await new Promise((resolve) => setTimeout(resolve, 20));
        const expected = expectedFigures(school, selection, now);
        await new Promise((resolve) => setTimeout(resolve, 20));
        const blocking = onMainThread.stop();
        expect(
          blocking.longestRunMs,
          'the school is large enough to hold up the event loop noticeably',
        ).toBeGreaterThan(100);

        const started = performance.now();
        const duringRequest = watchEventLoop();
        const answer = await figuresOf(server.app, leader, selection);
        const during = duringRequest.stop();
        const requestMs = performance.now() - started;
        expect(answer.status, answer.body).toBe(200);
        expect(answer.json()).toEqual(expected);
        // The request reads ~20,000 summaries into the worker and estimates the Rasch model there. Meanwhile this thread
        // never runs for more than half of what the computation alone holds it (in practice a page of the read, ~15 ms;
        // on a busy machine a few pages can fall between two ticks of the watch, so the margin is a half, not less).
        // Measured in this thread's CPU time, so a busy machine that leaves it waiting for a core does not count.
        const report = `during a request of ${requestMs.toFixed(0)} ms this thread ran at most ${during.longestRunMs.toFixed(0)} ms without a break (timers waited at most ${during.longestDelayMs.toFixed(0)} ms); the computation on the main thread runs ${blocking.longestRunMs.toFixed(0)} ms (timers waited ${blocking.longestDelayMs.toFixed(0)} ms)`;
        expect(during.longestRunMs, report).toBeLessThan(blocking.longestRunMs / 2);
      }, 120_000);
    });
  });
});
