/**
 * Several server processes on one PostgreSQL, as a board runs them behind a reverse proxy (README, "School server"):
 * two processes of src/server/main.ts on a fresh database, a tablet signed in on each.
 *
 * - A hand-over pushed through process 1 reaches the observed teacher's tablet, whose event stream is on process 2,
 *   through PostgreSQL's LISTEN/NOTIFY; its pull (on process 2) then holds the observation.
 * - The listening connections are cut (PostgreSQL ends their backends, as a restart would): each process connects
 *   again by itself, says so in its log, tells its open streams to sync, and hears the next hand-over.
 * - Failed sign-ins spread over both processes are refused from the same count as on one: the limits are counted in
 *   the database.
 *
 * Needs MEEKIJKEN_TEST_DATABASE_URL (a role that may create databases); skipped without it, failing in CI.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTENER_NAME } from '../../src/server/db/postgres-database';
import { TEST_DATABASE_URL } from './support/databases';
import {
  call,
  freshPostgresDatabase,
  handOverChanges,
  observationChanges,
  openEventStream,
  signedInTeacher,
  signInFrom,
  setUpSchool,
  startServerProcess,
  until,
  type ServerProcess,
  type Tablet,
} from './support/server-process';

const IN_CI = !!process.env.CI && process.env.CI !== 'false';
/** Long enough for a busy machine; an event normally arrives within milliseconds. */
const EVENT_TIMEOUT_MS = 10_000;

function twoProcesses() {
  let database: { url: string; drop(): Promise<void> };
  let one: ServerProcess;
  let two: ServerProcess;
  let admin: Tablet;
  let observer: Tablet;
  let observed: Tablet;

  beforeAll(async () => {
    database = await freshPostgresDatabase(TEST_DATABASE_URL!);
    // Started together: they migrate the empty database together too (the migration lock makes them take turns).
    [one, two] = await Promise.all([
      startServerProcess({ DATABASE_URL: database.url }),
      startServerProcess({ DATABASE_URL: database.url }),
    ]);
    // Each process that found no school printed a set-up link; either sets up the one school.
    await until(
      () => !!(one.setupToken() ?? two.setupToken()),
      10_000,
      () => `a set-up link\n${one.tail()}\n${two.tail()}`,
    );
    admin = await setUpSchool(one.url, (one.setupToken() ?? two.setupToken())!);
    observer = await signedInTeacher(one.url, admin, 'Bram', one.url);
    observed = await signedInTeacher(one.url, admin, 'Carla', two.url);
  }, 120_000);

  afterAll(async () => {
    const codes = await Promise.all([one?.stop(), two?.stop()]);
    await database?.drop();
    // Both stop gracefully, listening connection and all.
    expect(codes).toEqual([0, 0]);
  }, 30_000);

  const push = async (tablet: Tablet, url: string, changes: unknown[]) => {
    const answer = await call(url, 'POST', '/api/sync/push', { changes }, tablet.token);
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(answer.json.results.map((result: { outcome: string }) => result.outcome)).toEqual(
      changes.map(() => 'applied'),
    );
  };
  const pulledObservation = async (tablet: Tablet, url: string, id: string) => {
    const answer = await call(url, 'GET', '/api/sync/pull?since=0', undefined, tablet.token);
    expect(answer.status).toBe(200);
    return answer.json.records.find(
      (record: { kind: string; id: string }) => record.kind === 'observation' && record.id === id,
    );
  };

  it('brings a hand-over through one process to the event stream of a tablet on the other', async () => {
    const stream = await openEventStream(two.url, observed.token);
    try {
      // The stream beats as soon as it is open (and subscribed).
      await stream.next('beat', EVENT_TIMEOUT_MS);

      // The observer completes an observation, through process 1: the school changed, so the stream on process 2
      // says so; the observed teacher pulls and may not see it yet.
      const completed = observationChanges(observer.personId, observed.personId, { handOver: false });
      const observationId = completed[0]!.recordId;
      await push(observer, one.url, completed);
      await stream.next('changed', EVENT_TIMEOUT_MS);
      expect(await pulledObservation(observed, two.url, observationId)).toBeUndefined();

      // The hand-over, through process 1: the stream on process 2 hears it, and the pull there brings it.
      await push(observer, one.url, handOverChanges(observer.personId, observationId));
      await stream.next('changed', EVENT_TIMEOUT_MS);
      expect(await pulledObservation(observed, two.url, observationId)).toMatchObject({
        data: { id: observationId, status: 'shared', observedId: observed.personId },
      });
    } finally {
      stream.close();
    }
  });

  it('listens again after PostgreSQL ended its listening connections, and tells the open streams to sync', async () => {
    const stream = await openEventStream(two.url, observed.token);
    try {
      await stream.next('beat', EVENT_TIMEOUT_MS);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const ended = await client.query(
          'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
          [LISTENER_NAME],
        );
        // One listening connection per process.
        expect(ended.rows).toEqual([{ ended: true }, { ended: true }]);
      } finally {
        await client.end();
      }
      // Nobody pushed: the "changed" is the process making up for what it may have missed.
      await stream.next('changed', EVENT_TIMEOUT_MS);
      for (const server of [one, two]) {
        await until(
          () => server.lines.some((line) => line.includes('change events: listening to PostgreSQL again')),
          EVENT_TIMEOUT_MS,
          () => `the process says it listens again\n${server.tail()}`,
        );
        expect(server.lines.join('\n')).toMatch(
          /change events: the listening connection to PostgreSQL failed .*trying again in \d+ ms/,
        );
      }

      const completed = observationChanges(observer.personId, observed.personId);
      await push(observer, one.url, completed);
      await stream.next('changed', EVENT_TIMEOUT_MS);
      expect(await pulledObservation(observed, two.url, completed[0]!.recordId)).toMatchObject({
        data: { status: 'shared' },
      });
    } finally {
      stream.close();
    }
  });

  it('refuses failed sign-ins spread over both processes from the same count as on one', async () => {
    // Each run from an address of its own (the loopback has all of 127/8), so the two never share a count.
    const onOne: number[] = [];
    for (let i = 0; i < 11; i++) onOne.push(await signInFrom(one.url, '127.0.0.2', 'AAAA-AAAA'));
    const onBoth: number[] = [];
    for (let i = 0; i < 11; i++)
      onBoth.push(await signInFrom(i % 2 === 0 ? one.url : two.url, '127.0.0.3', 'AAAA-AAAA'));
    expect(onOne).toEqual([...Array(10).fill(401), 429]);
    expect(onBoth).toEqual(onOne);
  });
}

if (TEST_DATABASE_URL) describe('two server processes on one PostgreSQL', twoProcesses);
else if (IN_CI)
  describe('two server processes on one PostgreSQL', () => {
    it('has a PostgreSQL to run on', () => {
      throw new Error(
        'CI must test several processes on PostgreSQL: set MEEKIJKEN_TEST_DATABASE_URL (see .ci/run and README, "School server").',
      );
    });
  });
else
  describe.skip(
    'two server processes on one PostgreSQL (set MEEKIJKEN_TEST_DATABASE_URL to run: processes share a PostgreSQL; PGlite is one process only)',
    twoProcesses,
  );
