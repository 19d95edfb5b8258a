/**
 * How a change reaches the event streams (src/server/sync/school-changes.ts, change-feed.ts, db/postgres-listener.ts):
 * bursts coalesced per school; on PostgreSQL a NOTIFY that carries the school id and nothing else, heard by every
 * server on the database; a listening connection that comes back by itself after it broke and makes up for what it
 * missed, and that stops trying once closed. The same across real processes: tests/server/processes.test.ts.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../src/server/db/database';
import { LISTENER_NAME } from '../../src/server/db/postgres-database';
import { listenOn, reconnectDelay } from '../../src/server/db/postgres-listener';
import { CHANGES_CHANNEL, openChangeFeed } from '../../src/server/sync/change-feed';
import { COALESCE_MS, SchoolChanges } from '../../src/server/sync/school-changes';
import { freshDatabase, TEST_DATABASE_URL, type TestDatabase } from './support/databases';
import { bearer, setUpSchool, signedInTeacher, testServer, type TestServer } from './support/server';

/** Polls `condition` every 10 ms until it holds; fails after `ms`. */
async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('coalescing per school', () => {
  afterEach(() => vi.useRealTimers());

  it('tells the first change at once and a burst after it once, when the window ends; each school on its own', async () => {
    vi.useFakeTimers();
    const changes = new SchoolChanges();
    const heard: string[] = [];
    changes.subscribe('a', () => heard.push('a'));
    changes.subscribe('b', () => heard.push('b'));
    changes.notify('a');
    expect(heard).toEqual(['a']);
    for (let i = 0; i < 20; i++) {
      changes.notify('a');
      await vi.advanceTimersByTimeAsync(5);
    }
    changes.notify('b');
    expect(heard).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(COALESCE_MS - 100);
    expect(heard).toEqual(['a', 'b', 'a']);
    // A burst that lasts: at most one event per window.
    for (let i = 0; i < 100; i++) {
      changes.notify('a');
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(heard.filter((school) => school === 'a').length).toBeLessThanOrEqual(2 + Math.ceil(1000 / COALESCE_MS));
    expect(heard.filter((school) => school === 'a').length).toBeGreaterThanOrEqual(1000 / COALESCE_MS);
    // Quiet, then a lone change: at once again.
    await vi.advanceTimersByTimeAsync(COALESCE_MS * 2);
    const before = heard.length;
    changes.notify('a');
    expect(heard.length).toBe(before + 1);
    changes.close();
  });

  it('skips schools without a stream here, and tells every school with one after news may have been missed', () => {
    const changes = new SchoolChanges(0);
    const heard: string[] = [];
    changes.notify('nobody-listens');
    const stop = changes.subscribe('a', () => heard.push('a'));
    changes.subscribe('b', () => heard.push('b'));
    changes.notifyAll();
    expect(heard.sort()).toEqual(['a', 'b']);
    stop();
    expect(changes.size).toBe(1);
    changes.close();
  });

  it('on PGlite, publishes to this process only, through no database', async () => {
    const untouched = () => Promise.reject(new Error('the feed asked the database'));
    const pglite: Database = { kind: 'pglite', query: untouched, transaction: untouched, close: untouched };
    const changes = new SchoolChanges(0);
    const feed = await openChangeFeed(pglite, changes, { info: () => {}, warn: () => {} });
    let heard = 0;
    changes.subscribe('school', () => heard++);
    await feed.publish('school');
    expect(heard).toBe(1);
    await feed.close();
  });
});

describe('the listening connection', () => {
  it('waits 250 ms, doubling up to 10 s, between attempts; and stops trying once closed', async () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 30].map(reconnectDelay)).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 10000, 10000, 10000,
    ]);
    // Nothing listens on port 1: every attempt fails at once.
    const lost: number[] = [];
    const listening = await listenOn(
      () => new pg.Client({ connectionString: 'postgres://meekijken:x@127.0.0.1:1/meekijken' }),
      CHANGES_CHANNEL,
      { notification: () => {}, lost: (_error, retryInMs) => lost.push(retryInMs), restored: () => {} },
    );
    expect(listening.active).toBe(false);
    await until(() => lost.length >= 2);
    expect(lost.slice(0, 2)).toEqual([250, 500]);
    await listening.close();
    const attempts = lost.length;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(lost.length, 'no attempt after close').toBe(attempts);
  });
});

const onPostgres = TEST_DATABASE_URL ? describe : describe.skip;

onPostgres('on PostgreSQL (set MEEKIJKEN_TEST_DATABASE_URL to run)', () => {
  let test: TestDatabase;
  let one: TestServer;
  let two: TestServer;
  beforeAll(async () => {
    test = await freshDatabase('postgres');
    one = await testServer(test.database);
    two = await testServer(await test.open());
  });
  afterAll(async () => {
    await Promise.all([one?.app.close(), two?.app.close()]);
    await test?.drop();
  });

  it('notifies every server on the database with the school id as the whole payload', async () => {
    const admin = await setUpSchool(one);
    const teacher = await signedInTeacher(one, admin);
    const heardOnTwo: number[] = [];
    two.app.meekijken.changes.subscribe(admin.schoolId, () => heardOnTwo.push(Date.now()));
    // Whoever else listens on the channel learns which school changed, and nothing more.
    const listener = new pg.Client({ connectionString: await databaseUrl(test) });
    await listener.connect();
    const payloads: string[] = [];
    listener.on('notification', (message) => payloads.push(`${message.channel} ${message.payload}`));
    await listener.query(`LISTEN ${CHANGES_CHANNEL}`);
    try {
      const at = one.clock.now();
      const goal = {
        id: randomUUID(),
        owner: teacher.person.id,
        createdAt: at,
        updatedAt: at,
        teacherId: teacher.person.id,
        text: 'Geheim lesdoel',
        status: 'open',
        itemIds: [],
      };
      const pushed = await one.app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: bearer(teacher.token),
        payload: {
          changes: [
            {
              id: randomUUID(),
              kind: 'goal',
              recordId: goal.id,
              op: 'insert',
              fields: goal,
              at,
              actor: teacher.person.id,
            },
          ],
        },
      });
      expect(pushed.json().results[0].outcome).toBe('applied');
      await until(() => heardOnTwo.length === 1 && payloads.length === 1);
      expect(payloads).toEqual([`${CHANGES_CHANNEL} ${admin.schoolId}`]);
    } finally {
      await listener.end();
    }
  });

  it('connects again after its connection was ended, tells every stream, and hears the next change', async () => {
    const changes = new SchoolChanges(0);
    const log = { info: vi.fn(), warn: vi.fn() };
    const database = await test.open();
    const feed = await openChangeFeed(database, changes, log);
    try {
      const heard: string[] = [];
      changes.subscribe('school-x', () => heard.push('x'));
      const backends = async () =>
        (
          await test.database.query<{ pid: number }>(
            'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
            [LISTENER_NAME],
          )
        ).map((row) => row.pid);
      const before = await backends();
      // The two servers' listeners and this feed's.
      expect(before).toHaveLength(3);
      await test.database.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY($1::int[])', [
        before,
      ]);
      await until(() => heard.length === 1);
      expect(log.warn).toHaveBeenCalledWith(
        expect.anything(),
        expect.stringMatching(/listening connection to PostgreSQL failed .*trying again in 250 ms/),
      );
      expect(log.info).toHaveBeenCalledWith(expect.stringMatching(/listening to PostgreSQL again/));
      // Listening again: another server's notification arrives.
      await test.database.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, 'school-x']);
      await until(() => heard.length === 2);
    } finally {
      await feed.close();
    }
  });

  it('closes its listening connection when the server closes', async () => {
    const listeners = async () =>
      (
        await test.database.query<{ pid: number }>(
          'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
          [LISTENER_NAME],
        )
      ).map((row) => row.pid);
    // The two servers' (listening again after the test above ended them), and nothing of the feed closed there.
    let before = await listeners();
    for (const start = Date.now(); before.length !== 2 && Date.now() - start < 10_000;) before = await listeners();
    expect(before).toHaveLength(2);
    const three = await testServer(await test.open());
    const opened = (await listeners()).filter((pid) => !before.includes(pid));
    expect(opened).toHaveLength(1);
    await three.app.close();
    let left = opened;
    const start = Date.now();
    while (left.length > 0 && Date.now() - start < 10_000)
      left = (await listeners()).filter((pid) => opened.includes(pid));
    expect(left).toEqual([]);
  });
});

/** The URL of a test database (the one `freshDatabase` made), read back from PostgreSQL. */
async function databaseUrl(test: TestDatabase): Promise<string> {
  const [row] = await test.database.query<{ name: string }>('SELECT current_database() AS name');
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${row!.name}`;
  return url.toString();
}
