/**
 * The databases server tests run on: PGlite in memory always, and a real PostgreSQL when
 * MEEKIJKEN_TEST_DATABASE_URL names one (a role that may create databases; `.ci/run` sets it up). Every call of
 * `freshDatabase` makes an empty database of its own (PostgreSQL: `meekijken_test_<random>`, dropped afterwards),
 * so test files never see each other's rows and can run in parallel.
 *
 * Most test files want one migrated database for all their tests, emptied before each one: `migratedDatabase`.
 * Opening PGlite and migrating costs about a second on a busy machine; emptying the tables costs milliseconds.
 *
 * In CI (CI=true) a missing URL fails the PostgreSQL suite instead of skipping it: a pipeline must not quietly stop
 * testing the database schools run in production.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/server/db/database';
import { migrate } from '../../../src/server/db/migrate';
import { dropDatabase } from './drop-database';

export type DatabaseKind = Database['kind'];

export const TEST_DATABASE_URL = process.env.MEEKIJKEN_TEST_DATABASE_URL;
const IN_CI = !!process.env.CI && process.env.CI !== 'false';

export interface TestDatabase {
  database: Database;
  /** For a second connection to the same database (two servers at once). */
  open(): Promise<Database>;
  /** Closes it (and drops the PostgreSQL database). */
  drop(): Promise<void>;
}

export async function freshDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    return { database, open: async () => database, drop: () => database.close() };
  }
  if (!TEST_DATABASE_URL) throw new Error('MEEKIJKEN_TEST_DATABASE_URL is not set');
  const name = `meekijken_test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const opened: Database[] = [];
  const open = async () => {
    const database = await openDatabase({ url: url.toString() });
    opened.push(database);
    return database;
  };
  const database = await open();
  return {
    database,
    open,
    async drop() {
      await Promise.all(opened.map((each) => each.close()));
      await dropDatabase(TEST_DATABASE_URL!, name);
    },
  };
}

/** A database of the enclosing describe block, migrated once; `database` is there from the block's first hook on. */
export interface MigratedDatabase {
  readonly database: Database;
}

/**
 * One migrated database for every test of the enclosing describe block, with every table but the migrations'
 * emptied before each test, so each test starts as on a freshly migrated database. Call it in a `describe`, before
 * the block's own `beforeEach` (hooks run in the order they are declared).
 */
export function migratedDatabase(kind: DatabaseKind): MigratedDatabase {
  let handle: TestDatabase | undefined;
  const current = () => {
    if (!handle) throw new Error('the database is opened in beforeAll: use it inside a hook or a test');
    return handle;
  };
  beforeAll(async () => {
    handle = await freshDatabase(kind);
    await migrate(handle.database);
  });
  beforeEach(async () => {
    await emptyTables(current().database);
  });
  afterAll(async () => {
    await handle?.drop();
  });
  return {
    get database() {
      return current().database;
    },
  };
}

/**
 * Empties every table but `schema_migrations`: a freshly migrated database again. Rows are deleted (for tables of a
 * few rows that is faster than TRUNCATE on PostgreSQL), tables that others refer to last.
 */
export async function emptyTables(database: Database): Promise<void> {
  const tables = await database.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'",
  );
  const references = await database.query<{ from: string; to: string }>(
    "SELECT conrelid::regclass::text AS from, confrelid::regclass::text AS to FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid",
  );
  const order: string[] = [];
  const left = new Set(tables.map((table) => table.name));
  while (left.size > 0) {
    // A table nobody left still refers to can go now.
    const free = [...left].filter(
      (table) => !references.some((reference) => reference.to === table && left.has(reference.from)),
    );
    if (free.length === 0) throw new Error(`foreign keys in a circle between ${[...left].join(', ')}`);
    for (const table of free.sort()) {
      order.push(table);
      left.delete(table);
    }
  }
  if (order.length > 0)
    await database.query(order.map((table) => `DELETE FROM "${table.replaceAll('"', '""')}";`).join('\n'));
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Declares `suite` once per database kind: PGlite always; PostgreSQL when the URL is set, a failing test in CI
 * without it, and a skipped block elsewhere (a developer without PostgreSQL still runs everything else).
 */
export function forEachDatabase(suite: (kind: DatabaseKind) => void): void {
  suite('pglite');
  if (TEST_DATABASE_URL) suite('postgres');
  else if (IN_CI) {
    describe('on postgres', () => {
      it('has a PostgreSQL to run on', () => {
        throw new Error(
          'CI must test on PostgreSQL: set MEEKIJKEN_TEST_DATABASE_URL (see .ci/run and README, "School server").',
        );
      });
    });
  } else describe.skip('on postgres (set MEEKIJKEN_TEST_DATABASE_URL to run)', () => suite('postgres'));
}

/** The single number a query like `SELECT count(*)::int8 AS n …` answers. */
export async function scalar(database: Database, sql: string, params?: unknown[]): Promise<number> {
  const [row] = await database.query<Record<string, number>>(sql, params);
  const value = row ? Object.values(row)[0] : undefined;
  if (typeof value !== 'number') throw new Error(`${sql} did not answer one number`);
  return value;
}

/** A school with its version counter and these people as records (the start of most sync tests). */
/**
 * A school with these people, and the app's shipped instruments installed (as every tablet installs them): the
 * records pushed in tests are checked against the instrument their observation uses.
 */
export async function seedSchool(
  database: Database,
  schoolId: string,
  people: ReadonlyArray<{ id: string }>,
  at = 1_780_000_000_000,
): Promise<void> {
  const { lockSchool, putRecord, takeVersions } = await import('../../../src/server/db/records');
  const { installedShippedInstruments } = await import('../../../src/server/sync/shipped-instruments');
  await database.query('INSERT INTO schools (id, name, created_at) VALUES ($1, $2, $3)', [schoolId, 'De Linde', at]);
  await database.query('INSERT INTO school_versions (school_id) VALUES ($1)', [schoolId]);
  await database.transaction(async (tx) => {
    await lockSchool(tx, schoolId);
    for (const person of people) await putRecord(tx, schoolId, 'person', person, await takeVersions(tx, schoolId, 1));
    for (const installed of installedShippedInstruments(at))
      await putRecord(tx, schoolId, 'instrument', installed, await takeVersions(tx, schoolId, 1));
  });
}
