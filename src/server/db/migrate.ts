/**
 * Schema migrations: the numbered SQL files in ./migrations (`001-accounts.sql`, `002-…`), applied in order at
 * start-up, each in its own transaction, and recorded in `schema_migrations` with the file's checksum.
 *
 * - A shipped migration file never changes. An applied file whose checksum differs stops the server with a message
 *   that says so: the database was built by the old text, and silently running on would leave it differing from a
 *   fresh one. Change the schema with a new file.
 * - Every transaction first takes a transaction-level advisory lock, so two servers starting against the same
 *   PostgreSQL take turns: the second finds the work done and applies nothing twice.
 * - A database that knows a version this server has no file for was migrated by a newer Meekijken: refuse.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database, Sql } from './database';
import { MIGRATIONS_DIR } from '../paths';

/** The key of the advisory lock all Meekijken servers take while migrating ("Meek" in ASCII). */
const MIGRATION_LOCK = 0x4d65656b;
const FILE_NAME = /^(\d{3})-([a-z0-9-]+)\.sql$/;

export interface Migration {
  version: number;
  /** The file name, e.g. `001-accounts.sql`. */
  name: string;
  sql: string;
  /** SHA-256 of the text with line endings made `\n`, so a Windows checkout (CRLF) counts as the same file. */
  checksum: string;
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/** The migration files in `dir`, in order; numbered 001, 002 … without gaps, or it throws. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const names = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  return names.map((name, index) => {
    const match = FILE_NAME.exec(name);
    if (!match) throw new Error(`Migration file ${name} is not named NNN-name.sql (lower case, digits and dashes).`);
    const version = Number(match[1]);
    if (version !== index + 1)
      throw new Error(
        `Migration ${name}: expected number ${String(index + 1).padStart(3, '0')} (migrations are numbered without gaps).`,
      );
    const sql = readFileSync(path.join(dir, name), 'utf8');
    return { version, name, sql, checksum: checksumOf(sql) };
  });
}

export interface MigrateOptions {
  /** Another folder of migrations (tests). */
  dir?: string;
  /** Apply only up to this version (tests: a database as an older server left it). */
  upTo?: number;
  now?: () => number;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/** Brings the database to the newest migration (or `upTo`); returns the versions it applied now. */
export async function migrate(
  database: Database,
  options: MigrateOptions = {},
): Promise<{ applied: number[]; version: number }> {
  const now = options.now ?? Date.now;
  const migrations = readMigrations(options.dir).filter((migration) => migration.version <= (options.upTo ?? Infinity));
  await database.transaction(async (tx) => {
    await lock(tx);
    checkApplied(await appliedRows(tx), readMigrations(options.dir));
  });

  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await database.transaction(async (tx) => {
      await lock(tx);
      // Another server may have applied it while this one waited for the lock.
      if ((await appliedRows(tx)).some((row) => row.version === migration.version)) return false;
      await tx.query(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
        migration.version,
        migration.name,
        migration.checksum,
        now(),
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  const rows = await database.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  return { applied, version: rows[0]?.version ?? 0 };
}

async function lock(tx: Sql): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
  await tx.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at bigint NOT NULL)',
  );
}

function appliedRows(tx: Sql): Promise<AppliedRow[]> {
  return tx.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
}

function checkApplied(rows: AppliedRow[], files: Migration[]): void {
  for (const row of rows) {
    const file = files.find((migration) => migration.version === row.version);
    if (!file) {
      throw new Error(
        `The database has migration ${row.version} (${row.name}), which this Meekijken server does not have: a newer version migrated it. Start that version (or newer) instead.`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new Error(
        `Migration ${file.name} was changed after it was applied to this database (its checksum differs from the one recorded in schema_migrations). A shipped migration must never change: restore the file as it was, and put the change in a new numbered migration.`,
      );
    }
  }
}
