/**
 * Team figures of a board (README, "School server": team figures): `GET /api/insight/team` on a school of ≥ 50,000
 * completed observations, and the main thread's event loop meanwhile. Budgets on this machine: p95 ≤ 500 ms, event-
 * loop delay ≤ 50 ms (`sync.teamFigures.p95Ms`, `sync.teamFigures.eventLoopDelayMaxMs` in `npm run bench`).
 *
 * A fresh database (PGlite in a temporary folder, or a PostgreSQL database created beside `databaseUrl`'s and dropped
 * afterwards), a school set up through the API (its administrator is the leader who asks), filled with the demo
 * generator at the browser bench's board size (tests/server/support/board.ts: records and summaries written directly,
 * many per statement; `fillMs`). The server app runs in this process (`buildServer`, requests through `inject`) with
 * its default worker pool.
 *
 * - `cold`: the first request after the server started (the database opened anew): it reads the whole school into a
 *   worker and estimates the Rasch model. Not among the 20 below: it happens once per school and server process.
 * - 20 timed requests, a leader's session over varying selections (`REQUESTS`): 12 selections not asked before
 *   (computed in the worker: `leaderView`, and for the second instrument its Rasch estimate), 6 asked before (answered
 *   from the cache), and, after a write that leaves the figures' inputs as they were (a note), 2 more asked before
 *   (the change is read, the cache still answers). `p50Ms`, `p95Ms` and `eventLoopDelayMaxMs` are theirs.
 * - `afterChange`: a write that changes a summary (as a push of a changed rating does), then one request: only the
 *   change is read, the rows rebuilt and the Rasch model estimated again. Not among the 20.
 * - Each with the longest event-loop delay (`monitorEventLoopDelay`, resolution 10 ms) and `longestRunMs`: the most
 *   CPU time the main thread spent between two turns of a 5 ms timer, which a busy machine (a thread waiting for a
 *   core) does not inflate.
 *
 * Alone: `npx tsx tests/bench/sync/team-figures.ts` (PGlite), or `… team-figures.ts postgres [url]` with the URL or
 * MEEKIJKEN_TEST_DATABASE_URL naming a PostgreSQL whose role may create databases; prints one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { TeamInsight } from '../../../src/core/insight/team-insight';
import type { ObservationSummary } from '../../../src/core/model/records';
import { buildServer } from '../../../src/server/app';
import { issueSetupToken } from '../../../src/server/accounts/setup';
import { openDatabase, type Database } from '../../../src/server/db/database';
import { migrate } from '../../../src/server/db/migrate';
import { insertRecord, lockSchool, takeVersions } from '../../../src/server/db/records';
import { BOARD, fillSchool } from '../../server/support/board';
import { freshPostgresDatabase } from '../../server/support/server-process';

/** One request on its own: how long it took, and the main thread's event loop meanwhile. */
interface Single {
  ms: number;
  eventLoopDelayMaxMs: number;
  longestRunMs: number;
}

export interface TeamFiguresFigures {
  engine: string;
  observations: number;
  /** The 20 timed requests. */
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Of the 20: those computed in the worker, and those answered from the cache. */
  computedP50Ms: number;
  cachedP50Ms: number;
  /** During the 20. */
  eventLoopDelayMaxMs: number;
  longestRunMs: number;
  /** The first request after the server started (the whole school read into a worker). */
  cold: Single;
  /** The request after a summary changed (the change read, the Rasch model estimated again). */
  afterChange: Single;
  fillMs: number;
  /** The worker's heap once it holds the board. */
  workerHeapMb: number;
}

/**
 * A selection: a team (its place among the teams in id order; -1 the whole school), a year (its place among the years
 * with data, newest first; -1 the default) and an instrument (its place; 0 the default, not named).
 */
type Ask = [team: number, year: number, instrument: number];

/** The 20 timed requests, in order; `note` marks where a note is written (before the request). */
const REQUESTS: Array<{ ask: Ask; note?: true }> = [
  { ask: [-1, 1, 0] },
  { ask: [0, -1, 0] },
  { ask: [1, 0, 0] },
  { ask: [-1, -1, 0] },
  { ask: [2, 2, 0] },
  { ask: [0, -1, 0] },
  { ask: [-1, -1, 1] },
  { ask: [3, 1, 0] },
  { ask: [4, -1, 0] },
  { ask: [1, 0, 0] },
  { ask: [5, 0, 0] },
  { ask: [-1, 1, 0] },
  { ask: [6, 3, 0] },
  { ask: [7, -1, 1] },
  { ask: [-1, -1, 1] },
  { ask: [8, 2, 0] },
  { ask: [2, 2, 0] },
  { ask: [9, -1, 0] },
  { ask: [3, 1, 0], note: true },
  { ask: [-1, -1, 0] },
];

const NOW = Date.UTC(2026, 10, 25, 12);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const round = (value: number) => Math.round(value * 10) / 10;

interface BenchDatabase {
  /** Opens it (again: as a server started on it opens it). */
  open(): Promise<Database>;
  /** Closes it and throws it away. */
  drop(): Promise<void>;
}

/** A database of its own: PGlite in a temporary folder, or a new PostgreSQL database beside `databaseUrl`'s. */
async function freshDatabase(databaseUrl?: string): Promise<BenchDatabase> {
  let opened: Database | undefined;
  const reopen = async (open: () => Promise<Database>) => {
    await opened?.close();
    opened = await open();
    return opened;
  };
  if (!databaseUrl) {
    const dir = mkdtempSync(path.join(tmpdir(), 'meekijken-bench-'));
    return {
      open: () => reopen(() => openDatabase({ dataDir: dir })),
      drop: async () => {
        await opened?.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const fresh = await freshPostgresDatabase(databaseUrl);
  return {
    open: () => reopen(() => openDatabase({ url: fresh.url })),
    drop: async () => {
      await opened?.close();
      await fresh.drop();
    },
  };
}

/** Watches the main thread: `monitorEventLoopDelay`, and the CPU time it spends between turns of a 5 ms timer. */
function watchEventLoop() {
  const delays = monitorEventLoopDelay({ resolution: 10 });
  delays.enable();
  const cpuMs = () => {
    const { user, system } = process.threadCpuUsage();
    return (user + system) / 1000;
  };
  let last = cpuMs();
  let longestRunMs = 0;
  const tick = () => {
    const now = cpuMs();
    longestRunMs = Math.max(longestRunMs, now - last);
    last = now;
  };
  const timer = setInterval(tick, 5);
  return {
    stop() {
      tick();
      clearInterval(timer);
      delays.disable();
      return { delayMaxMs: delays.max / 1e6, longestRunMs };
    },
  };
}

export async function benchTeamFigures(options: { databaseUrl?: string }): Promise<TeamFiguresFigures> {
  const bench = await freshDatabase(options.databaseUrl);
  try {
    const { schoolId, token, board, fillMs } = await prepare(await bench.open());
    // The server starts on the filled database: the database opened anew, the benchmark's garbage collected (so
    // the server's event loop is timed, not a collection of the 50,000 generated observations).
    const database = await bench.open();
    collectGarbage();
    const app = await buildServer({ database, now: () => NOW });
    try {
      const headers = { authorization: `Bearer ${token}` };
      const ask = async (query: Record<string, string>) => {
        const started = performance.now();
        const response = await app.inject({
          method: 'GET',
          url: `/api/insight/team?${new URLSearchParams(query)}`,
          headers,
        });
        const ms = performance.now() - started;
        if (response.statusCode !== 200)
          throw new Error(`team figures answered ${response.statusCode}: ${response.body}`);
        return { ms, insight: response.json<TeamInsight>() };
      };

      const single = async (query: Record<string, string>): Promise<Single & { insight: TeamInsight }> => {
        const watch = watchEventLoop();
        const { ms, insight } = await ask(query);
        const { delayMaxMs, longestRunMs } = watch.stop();
        return { ms: round(ms), eventLoopDelayMaxMs: round(delayMaxMs), longestRunMs: round(longestRunMs), insight };
      };

      const { insight: first, ...cold } = await single({ teamId: '', year: '' });
      const { years } = first.view!;
      const instruments = first.instrumentIds;
      const { teams } = board;
      const counts = app.meekijken.teamFigures.counts;
      const computed: number[] = [];
      const cached: number[] = [];
      const watch = watchEventLoop();
      for (const {
        ask: [team, year, instrument],
        note,
      } of REQUESTS) {
        if (note) await writeNote(database, schoolId, board.changed.id);
        const before = counts.computed;
        const { ms } = await ask({
          teamId: team < 0 ? '' : teams[team % teams.length]!,
          year: year < 0 ? '' : years[year % years.length]!,
          // The first instrument is the default: asked for without naming it, as the app first asks.
          ...(instrument > 0 ? { instrumentId: instruments[instrument % instruments.length]! } : {}),
        });
        (counts.computed > before ? computed : cached).push(ms);
      }
      const { delayMaxMs, longestRunMs } = watch.stop();
      await changeSummary(database, schoolId, board.changed);
      const { insight: _changed, ...afterChange } = await single({ teamId: '', year: '' });

      const [worker] = app.meekijken.teamFigures.workers();
      const heap = worker ? await worker.getHeapStatistics() : undefined;
      const times = [...computed, ...cached];
      return {
        engine: database.kind,
        observations: board.observations,
        p50Ms: round(percentile(times, 50)),
        p95Ms: round(percentile(times, 95)),
        maxMs: round(Math.max(...times)),
        computedP50Ms: round(percentile(computed, 50)),
        cachedP50Ms: round(percentile(cached, 50)),
        eventLoopDelayMaxMs: round(delayMaxMs),
        longestRunMs: round(longestRunMs),
        cold,
        afterChange,
        fillMs: Math.round(fillMs),
        workerHeapMb: heap ? Math.round(heap.used_heap_size / 1e6) : NaN,
      };
    } finally {
      await app.close();
    }
  } finally {
    await bench.drop();
  }
}

/**
 * A school set up through the API (its administrator is a school leader: the one who asks), filled with the board
 * (tests/server/support/board.ts), its tables vacuumed and analysed (as autovacuum would do soon after a bulk load on
 * PostgreSQL; PGlite has none, so its first read after a load would set every row's hint bits). Returns what the
 * benchmark needs afterwards: the school, the leader's session token, the teams, and a completed observation whose
 * summary `changeSummary` changes.
 */
async function prepare(database: Database) {
  await migrate(database);
  const app = await buildServer({ database, now: () => NOW });
  try {
    const setup = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { token: await issueSetupToken(database, NOW), schoolName: 'Bestuur', adminName: 'Anna de Vries' },
    });
    if (setup.statusCode !== 201) throw new Error(`set-up answered ${setup.statusCode}: ${setup.body}`);
    const schoolId = setup.json<{ school: { id: string } }>().school.id;
    const token = setup.cookies.find((c) => /^(__Host-)?meekijken-/.test(c.name))!.value;
    const filling = performance.now();
    const filled = await fillSchool(database, schoolId, { size: BOARD, now: NOW });
    for (const table of ['records', 'summaries']) await database.query(`VACUUM ANALYZE ${table}`);
    const fillMs = performance.now() - filling;
    const changed = filled.demo.observations.find(
      (o) => o.status !== 'draft' && Object.values(o.summary?.items ?? {}).some(([level]) => level > 0),
    )!;
    const board = {
      observations: filled.observations,
      teams: filled.demo.teams.map((t) => t.id).sort(),
      changed: { id: changed.id, summary: structuredClone(changed.summary!) },
    };
    return { schoolId, token, board, fillMs };
  } finally {
    await app.close();
  }
}

/** A full garbage collection now (V8's `gc`, made available for this call). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** A note in an observation: a write of the school that leaves the figures' inputs as they were. */
async function writeNote(database: Database, schoolId: string, observationId: string): Promise<void> {
  await database.transaction((tx) =>
    insertRecord(tx, schoolId, 'note', {
      id: `bench-note-${randomBytes(4).toString('hex')}`,
      owner: null,
      createdAt: NOW,
      updatedAt: NOW,
      observationId,
      text: 'Goed begin',
      lessonMs: 60_000,
    } as Parameters<typeof insertRecord>[3]),
  );
}

/**
 * As a push of a changed rating leaves a completed observation: the observation under the school's next version, its
 * summary with one item a level lower.
 */
async function changeSummary(
  database: Database,
  schoolId: string,
  observation: { id: string; summary: ObservationSummary },
): Promise<void> {
  const summary = structuredClone(observation.summary);
  const [itemId, [level, levels]] = Object.entries(summary.items).find(([, [at]]) => at > 0)!;
  summary.items[itemId] = [level - 1, levels];
  await database.transaction(async (tx) => {
    await lockSchool(tx, schoolId);
    const version = await takeVersions(tx, schoolId, 1);
    await tx.query("UPDATE records SET version = $1 WHERE school_id = $2 AND kind = 'observation' AND id = $3", [
      version,
      schoolId,
      observation.id,
    ]);
    await tx.query('UPDATE summaries SET data = $1 WHERE school_id = $2 AND observation_id = $3', [
      JSON.stringify(summary),
      schoolId,
      observation.id,
    ]);
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const engine = process.argv[2] ?? 'pglite';
  const databaseUrl = engine === 'postgres' ? (process.argv[3] ?? process.env.MEEKIJKEN_TEST_DATABASE_URL) : undefined;
  if (engine === 'postgres' && !databaseUrl) {
    console.error('Give a PostgreSQL URL (a role that may create databases) or set MEEKIJKEN_TEST_DATABASE_URL.');
    process.exit(2);
  }
  benchTeamFigures(databaseUrl ? { databaseUrl } : {}).then(
    (figures) => console.log(JSON.stringify(figures)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
