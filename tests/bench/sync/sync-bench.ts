/**
 * The school server's part of `npm run bench` (README, "Performance"): the `sync` object of its JSON line, and a
 * check per budget. On PostgreSQL (the database `DATABASE_URL` or `MEEKIJKEN_TEST_DATABASE_URL` names, beside which
 * fresh databases are made and dropped) and on PGlite; without a PostgreSQL URL its figures are skipped, and said so.
 *
 * - `pglite`, `postgres`: the end of a school day (burst.ts): 60 tablets pull a school of ≥ 4,000 observations, then
 *   push two lessons each at once. Budgets: PostgreSQL ≥ 1,000 changes/s and push p95 ≤ 2 s; PGlite ≥ 500 changes/s;
 *   no change lost, no push failed.
 * - `propagationP95Ms`: a hand-over through one server process to the event on another's stream (propagation.ts).
 *   Budget ≤ 1 s.
 * - `teamFigures`: a leader's team figures on a board of ≥ 50,000 observations (team-figures.ts), and the server's
 *   event-loop delay meanwhile. Budgets: p95 ≤ 500 ms, delay ≤ 50 ms.
 * - `changesPerObservation`: what a tablet sends for an ordinary observation made offline, through the app's own data
 *   layer (tests/unit/data/sync.test.ts, "an ordinary observation, made offline"). Budget ≤ 20.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchBurst, progress, type BurstFigures } from './burst';
import { benchPropagation } from './propagation';
import { benchTeamFigures } from './team-figures';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BUDGET = {
  postgresChangesPerSecond: 1000,
  postgresPushP95Ms: 2000,
  pgliteChangesPerSecond: 500,
  propagationP95Ms: 1000,
  teamFiguresP95Ms: 500,
  eventLoopDelayMaxMs: 50,
  changesPerObservation: 20,
};

export type Check = readonly [ok: boolean | 'skipped', text: string];

/** The changes the app's data layer pushes for an ordinary observation, counted by its own test. */
function changesPerObservation(): { changes: number; outboxEntries: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'meekijken-changes-'));
  const out = path.join(dir, 'figures.json');
  try {
    execFileSync('npx', ['vitest', 'run', 'tests/unit/data/sync.test.ts', '-t', 'an ordinary observation'], {
      cwd: ROOT,
      stdio: 'ignore',
      env: { ...process.env, MEEKIJKEN_BENCH_OUT: out },
    });
    return JSON.parse(readFileSync(out, 'utf8')) as { changes: number; outboxEntries: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const burstLine = (b: BurstFigures) =>
  `${b.engine}: ${b.devices} tablets push ${b.changes} changes at once: ${b.changesPerSecond} changes/s, push p50/p95/p99 ${b.pushP50Ms}/${b.pushP95Ms}/${b.pushP99Ms} ms, ${b.errors} failed, ${b.lost} lost; first pull of a school of ${b.pull.observations} observations by all: ${b.pull.seconds} s (page p95 ${b.pull.pageP95Ms} ms, ${b.pull.failedPages} pages answered 503 and asked again); server memory ${b.memoryMb.idle} MB idle, ${b.memoryMb.peak} MB at peak`;

export async function benchSync(): Promise<{ figures: Record<string, unknown>; checks: Check[] }> {
  const adminUrl = process.env.DATABASE_URL || process.env.MEEKIJKEN_TEST_DATABASE_URL;
  const noPostgres =
    'skipped: set DATABASE_URL or MEEKIJKEN_TEST_DATABASE_URL to a PostgreSQL role that may create databases';
  const checks: Check[] = [];

  progress('changes per observation');
  const perObservation = changesPerObservation();
  checks.push([
    perObservation.changes <= BUDGET.changesPerObservation,
    `an ordinary observation made offline: ${perObservation.outboxEntries} outbox entries sent as ${perObservation.changes} changes (budget ≤ ${BUDGET.changesPerObservation})`,
  ]);

  const pglite = await benchBurst({ engine: 'pglite' });
  checks.push([
    pglite.changesPerSecond >= BUDGET.pgliteChangesPerSecond && pglite.lost === 0 && pglite.errors === 0,
    `${burstLine(pglite)} (budget ≥ ${BUDGET.pgliteChangesPerSecond} changes/s, nothing lost or failed)`,
  ]);

  let postgres: BurstFigures | { skipped: string } = { skipped: noPostgres };
  let propagation: Awaited<ReturnType<typeof benchPropagation>> | { skipped: string } = { skipped: noPostgres };
  if (adminUrl) {
    const figures = await benchBurst({ engine: 'postgres', adminUrl });
    postgres = figures;
    checks.push([
      figures.changesPerSecond >= BUDGET.postgresChangesPerSecond &&
        figures.pushP95Ms <= BUDGET.postgresPushP95Ms &&
        figures.lost === 0 &&
        figures.errors === 0,
      `${burstLine(figures)} (budget ≥ ${BUDGET.postgresChangesPerSecond} changes/s, push p95 ≤ ${BUDGET.postgresPushP95Ms} ms, nothing lost or failed)`,
    ]);
    progress('propagation across two server processes');
    const propagated = await benchPropagation({ databaseUrl: adminUrl });
    propagation = propagated;
    checks.push([
      propagated.p95Ms <= BUDGET.propagationP95Ms,
      `a hand-over through one server process reaches a tablet on another: p50 ${propagated.p50Ms} ms, p95 ${propagated.p95Ms} ms over ${propagated.samples} (budget ≤ ${BUDGET.propagationP95Ms} ms)`,
    ]);
  } else {
    checks.push(['skipped', `PostgreSQL burst and propagation across processes: ${noPostgres}`]);
  }

  progress('team figures on a board');
  const team = await benchTeamFigures(adminUrl ? { databaseUrl: adminUrl } : {});
  checks.push([
    team.p95Ms <= BUDGET.teamFiguresP95Ms && team.eventLoopDelayMaxMs <= BUDGET.eventLoopDelayMaxMs,
    `team figures on a board of ${team.observations} observations (${team.engine}): p50 ${team.p50Ms} ms, p95 ${team.p95Ms} ms; the server's event loop at most ${team.eventLoopDelayMaxMs} ms late meanwhile (budget p95 ≤ ${BUDGET.teamFiguresP95Ms} ms, delay ≤ ${BUDGET.eventLoopDelayMaxMs} ms)`,
  ]);

  return {
    figures: {
      pglite,
      postgres,
      propagationP95Ms: 'p95Ms' in propagation ? propagation.p95Ms : null,
      propagation,
      teamFigures: team,
      changesPerObservation: perObservation.changes,
    },
    checks,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { figures, checks } = await benchSync();
  for (const [ok, text] of checks) console.log(`${ok === 'skipped' ? 'SKIPPED' : ok ? 'OK' : 'OVER BUDGET'}: ${text}`);
  process.exitCode = checks.every(([ok]) => ok !== false) ? 0 : 1;
  console.log(JSON.stringify({ sync: figures }));
}
