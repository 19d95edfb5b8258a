/** The database adapter: the same promises on PGlite and PostgreSQL (src/server/db/database.ts). */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/database';
import { holderRuns, LOCK_FILE, parseHolder, processStart } from '../../src/server/db/directory-lock';
import { migrate } from '../../src/server/db/migrate';
import { insertRecord, readRecord } from '../../src/server/db/records';
import { forEachDatabase, freshDatabase, type TestDatabase } from './support/databases';

forEachDatabase((kind) => {
  describe(`the database adapter on ${kind}`, () => {
    let test: TestDatabase;
    beforeAll(async () => {
      test = await freshDatabase(kind);
      await test.database.query('CREATE TABLE items (id int PRIMARY KEY, at bigint, data jsonb)');
    });
    afterAll(() => test.drop());

    it('says which engine it is', () => {
      expect(test.database.kind).toBe(kind);
    });

    it('returns int8 as numbers, also above 2^31, and jsonb parsed (objects and arrays given as JSON text)', async () => {
      const at = Date.UTC(2026, 8, 1);
      await test.database.query('INSERT INTO items VALUES ($1, $2, $3), ($4, $5, $6)', [
        1,
        at,
        JSON.stringify({ a: [1, 'x'] }),
        2,
        2 ** 40,
        JSON.stringify([1, 2]),
      ]);
      const rows = await test.database.query<{ id: number; at: number; data: unknown; n: number }>(
        'SELECT id, at, data, count(*) OVER () AS n FROM items ORDER BY id',
      );
      expect(rows).toEqual([
        { id: 1, at, data: { a: [1, 'x'] }, n: 2 },
        { id: 2, at: 2 ** 40, data: [1, 2], n: 2 },
      ]);
      expect(typeof rows[0]!.n).toBe('number');
    });

    it('commits a transaction, and rolls it back when its function throws (rethrowing the error)', async () => {
      const value = await test.database.transaction(async (tx) => {
        await tx.query('INSERT INTO items (id) VALUES (10)');
        return 'done';
      });
      expect(value).toBe('done');
      const failure = new Error('no');
      await expect(
        test.database.transaction(async (tx) => {
          await tx.query('INSERT INTO items (id) VALUES (11)');
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await test.database.query('SELECT id FROM items WHERE id IN (10, 11) ORDER BY id')).toEqual([{ id: 10 }]);
    });

    it('runs several statements in one call without parameters (migration files), returning the last rows', async () => {
      expect(await test.database.query('SELECT 1 AS a; SELECT 2 AS b')).toEqual([{ b: 2 }]);
    });

    // The two races below can only happen on PostgreSQL, where transactions from several connections interleave;
    // PGlite runs one transaction at a time ("PGlite specifically" checks that instead).
    if (kind === 'postgres') {
      it('keeps concurrent transactions apart: 20 at once, each read-then-write under a row lock, lose no update', async () => {
        await test.database.query('CREATE TABLE counter (n int NOT NULL)');
        await test.database.query('INSERT INTO counter VALUES (0)');
        await Promise.all(
          Array.from({ length: 20 }, () =>
            test.database.transaction(async (tx) => {
              const [row] = await tx.query<{ n: number }>('SELECT n FROM counter FOR UPDATE');
              await new Promise((resolve) => setImmediate(resolve));
              await tx.query('UPDATE counter SET n = $1', [row!.n + 1]);
            }),
          ),
        );
        expect(await test.database.query('SELECT n FROM counter')).toEqual([{ n: 20 }]);
      });

      it('hands out record versions in commit order, without gaps, to concurrent writers (insertRecord)', async () => {
        await migrate(test.database);
        await test.database.query("INSERT INTO schools (id, name, created_at) VALUES ('s', 'S', 0)");
        await test.database.query("INSERT INTO school_versions (school_id) VALUES ('s')");
        const versions = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            test.database.transaction((tx) =>
              insertRecord(tx, 's', 'team', { id: `t${i}`, owner: null, createdAt: i, updatedAt: i }),
            ),
          ),
        );
        expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect(await readRecord(test.database, 's', 'team', 't3')).toEqual({
          id: 't3',
          owner: null,
          createdAt: 3,
          updatedAt: 3,
        });
        expect(await readRecord(test.database, 'other', 'team', 't3')).toBeUndefined();
      });
    }
  });
});

forEachDatabase((kind) => {
  describe(`closing on ${kind}`, () => {
    it('closes once however often it is asked (a signal during a failed start), and refuses queries after', async () => {
      const test = await freshDatabase(kind);
      await test.database.query('SELECT 1');
      await Promise.all([test.database.close(), test.database.close()]);
      await test.database.close();
      await expect(test.database.query('SELECT 1')).rejects.toThrow();
      await test.drop();
    });
  });
});

describe('PostgreSQL that cannot be reached', () => {
  it('fails to open, so the server does not start half-way', async () => {
    await expect(openDatabase({ url: 'postgres://nobody:secret@127.0.0.1:1/meekijken' })).rejects.toThrow(
      /ECONNREFUSED|connect/,
    );
  });
});

describe('PGlite specifically', () => {
  it('serialises its transactions: a read-then-write without any lock loses no update either', async () => {
    const database = await openDatabase({ dataDir: 'memory://' });
    await database.query('CREATE TABLE counter (n int NOT NULL)');
    await database.query('INSERT INTO counter VALUES (0)');
    const order: string[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        database.transaction(async (tx) => {
          order.push(`begin ${i}`);
          const [row] = await tx.query<{ n: number }>('SELECT n FROM counter');
          await new Promise((resolve) => setTimeout(resolve, 1));
          await tx.query('UPDATE counter SET n = $1', [row!.n + 1]);
          order.push(`end ${i}`);
        }),
      ),
    );
    expect(await database.query('SELECT n FROM counter')).toEqual([{ n: 10 }]);
    expect(order).toEqual(Array.from({ length: 10 }, (_, i) => [`begin ${i}`, `end ${i}`]).flat());
    await database.close();
    await expect(database.query('SELECT 1')).rejects.toThrow(/closed/i);
  });

  it('tells a lock holder that still runs from a reused process number', () => {
    const alive = () => true;
    expect(holderRuns({ pid: 42, bootId: 'a', startTicks: '100' }, { bootId: 'a', start: () => '100', alive })).toBe(
      true,
    );
    expect(holderRuns({ pid: 42, bootId: 'a', startTicks: '100' }, { bootId: 'b', start: () => '100', alive })).toBe(
      false,
    );
    expect(holderRuns({ pid: 42, bootId: 'a', startTicks: '100' }, { bootId: 'a', start: () => '250', alive })).toBe(
      false,
    );
    expect(
      holderRuns({ pid: 42, bootId: 'a', startTicks: '100' }, { bootId: 'a', start: () => '100', alive: () => false }),
    ).toBe(false);
    // Where the system says nothing of boots and start times, the process id is all there is.
    expect(holderRuns({ pid: 42 }, { start: () => undefined, alive })).toBe(true);
    expect(parseHolder('1234')).toEqual({ pid: 1234 });
    expect(parseHolder('not a lock')).toBeUndefined();
  });

  it('lets one process at a time open a data directory, and takes over the lock of a process that is gone', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'meekijken-lock-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      // The lock names this process: a second open here is refused like one from another process would be.
      await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/in use by process \d+.*Stop that process first/);
      await first.close();
      expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);

      writeFileSync(path.join(dir, LOCK_FILE), '999999999');
      const again = await openDatabase({ dataDir: dir });
      expect(await again.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await again.close();

      // After a reboot a running process may have the number the lock names: the lock's start time tells them
      // apart. Here the number is this very process's, but the lock says it started at another moment.
      // (Linux says when a process started; elsewhere the process id is all a lock has.)
      const started = processStart(process.pid);
      if (started !== undefined) {
        writeFileSync(
          path.join(dir, LOCK_FILE),
          JSON.stringify({ pid: process.pid, startTicks: String(Number(started) + 1) }),
        );
        const afterReboot = await openDatabase({ dataDir: dir });
        await afterReboot.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
