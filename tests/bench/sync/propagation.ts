/**
 * Propagation across server processes (README, "School server": several processes behind a reverse proxy): how long
 * a hand-over pushed through one process takes to reach the observed teacher's tablet, whose event stream is on
 * another process on the same PostgreSQL. Budget: p95 ≤ 1 s (`sync.propagationP95Ms` in `npm run bench`).
 *
 * Two processes of src/server/main.ts on a fresh database (created beside `databaseUrl`'s and dropped afterwards), a
 * school set up through the first, the observer's tablet signed in on process 1 and the observed teacher's on
 * process 2 with its event stream open. Each sample: the observer pushes a completed observation (not timed), the
 * stream's event for it arrives, the school's coalescing window passes; then the clock starts, the hand-over
 * (feedback and status `shared`) is pushed through process 1, and it stops when process 2's stream says `changed`.
 * So a sample is the whole way: the push's HTTP request and transaction, its commit, NOTIFY, the other process's
 * LISTEN, and the stream. One warm-up sample first, not counted. The samples are paced: a change right after another
 * of the same school waits for the end of its coalescing window (at most 200 ms more; src/server/sync/school-changes.ts).
 *
 * Alone: `MEEKIJKEN_TEST_DATABASE_URL=postgres://… npx tsx tests/bench/sync/propagation.ts` prints one JSON object.
 */
import { pathToFileURL } from 'node:url';
import { COALESCE_MS } from '../../../src/server/sync/school-changes';
import {
  call,
  freshPostgresDatabase,
  handOverChanges,
  observationChanges,
  openEventStream,
  setUpSchool,
  signedInTeacher,
  startServerProcess,
  until,
  type ServerProcess,
  type Tablet,
} from '../../server/support/server-process';

export interface PropagationFigures {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

const EVENT_TIMEOUT_MS = 10_000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const round = (value: number) => Math.round(value * 10) / 10;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function push(url: string, tablet: Tablet, changes: unknown[]): Promise<void> {
  const answer = await call(url, 'POST', '/api/sync/push', { changes }, tablet.token);
  const outcomes =
    answer.status === 200 ? answer.json.results.map((result: { outcome: string }) => result.outcome) : [];
  if (answer.status !== 200 || outcomes.some((outcome: string) => outcome !== 'applied'))
    throw new Error(`a push answered ${answer.status}: ${JSON.stringify(answer.json)}`);
}

export async function benchPropagation(options: {
  databaseUrl: string;
  samples?: number;
}): Promise<PropagationFigures> {
  const samples = options.samples ?? 30;
  const database = await freshPostgresDatabase(options.databaseUrl);
  const processes: ServerProcess[] = [];
  try {
    processes.push(...(await Promise.all([0, 1].map(() => startServerProcess({ DATABASE_URL: database.url })))));
    const [one, two] = processes as [ServerProcess, ServerProcess];
    const token = () => one.setupToken() ?? two.setupToken();
    await until(
      () => !!token(),
      10_000,
      () => `a set-up link\n${one.tail()}\n${two.tail()}`,
    );
    const admin = await setUpSchool(one.url, token()!);
    const observer = await signedInTeacher(one.url, admin, 'Bram', one.url);
    const observed = await signedInTeacher(one.url, admin, 'Carla', two.url);
    const stream = await openEventStream(two.url, observed.token);
    const times: number[] = [];
    try {
      await stream.next('beat', EVENT_TIMEOUT_MS);
      for (let sample = -1; sample < samples; sample++) {
        const completed = observationChanges(observer.personId, observed.personId, { handOver: false });
        await push(one.url, observer, completed);
        await stream.next('changed', EVENT_TIMEOUT_MS);
        await pause(COALESCE_MS + 50);
        const start = performance.now();
        const arrived = stream.next('changed', EVENT_TIMEOUT_MS);
        await push(one.url, observer, handOverChanges(observer.personId, completed[0]!.recordId));
        const at = await arrived;
        if (sample >= 0) times.push(at - start);
        await pause(COALESCE_MS + 50);
      }
    } finally {
      stream.close();
    }
    return {
      samples: times.length,
      p50Ms: round(percentile(times, 50)),
      p95Ms: round(percentile(times, 95)),
      maxMs: round(Math.max(...times)),
    };
  } finally {
    await Promise.all(processes.map((each) => each.stop()));
    await database.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const databaseUrl = process.env.MEEKIJKEN_TEST_DATABASE_URL;
  if (!databaseUrl) {
    console.error(
      'Set MEEKIJKEN_TEST_DATABASE_URL to a PostgreSQL role that may create databases (README, "School server").',
    );
    process.exit(1);
  }
  console.log(JSON.stringify(await benchPropagation({ databaseUrl })));
}
