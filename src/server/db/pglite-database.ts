/**
 * PGlite: PostgreSQL in this process, on files in a directory (or in memory for `memory://`).
 *
 * PGlite has one connection. Its own `transaction()` holds a lock for the whole callback, so concurrent
 * transactions (two requests at once) run one after the other instead of interleaving their statements in one
 * session; a plain `query()` waits for a running transaction too. tests/server/database.test.ts checks both.
 */
import { mkdirSync } from 'node:fs';
import { PGlite, types, type Results, type Transaction } from '@electric-sql/pglite';
import type { Database } from './sql';
import { lockDirectory } from './directory-lock';

const IN_MEMORY = 'memory://';

export async function openPglite(dataDir: string): Promise<Database> {
  let unlock = () => {};
  if (!dataDir.startsWith(IN_MEMORY)) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDirectory(dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir, {
      // PGlite returns int8 as a number when it fits and a BigInt otherwise; the Database promises numbers always.
      parsers: { [types.INT8]: (value: string) => Number(value) },
    });
  } catch (error) {
    unlock();
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    kind: 'pglite',
    query: (text, params) => run(pglite, text, params),
    transaction: (fn) => pglite.transaction((tx) => fn({ query: (text, params) => run(tx, text, params) })),
    // PGlite refuses a close while it is closing: a second call gets the first one's promise.
    close: () => (closed ??= pglite.close().then(unlock)),
  };
}

/**
 * With parameters: one statement over the extended protocol. Without: the simple protocol (`exec`), as `pg` does
 * for a query without values, so a migration file of several statements runs in one call; the last one's rows
 * are returned.
 */
async function run<T>(target: PGlite | Transaction, text: string, params: unknown[] | undefined): Promise<T[]> {
  if (params && params.length > 0) return (await target.query<T>(text, params)).rows;
  const results: Results<T>[] = (await target.exec(text)) as Results<T>[];
  return results.at(-1)?.rows ?? [];
}
