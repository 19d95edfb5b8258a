/**
 * The server's one door to PostgreSQL: plain parameterised SQL, the same text on both engines.
 *
 * - With a `url` (DATABASE_URL) it is a connection pool to a real PostgreSQL (`pg`): a school board's own server.
 * - Without, it is PGlite: PostgreSQL compiled to WebAssembly, running inside this process on files in `dataDir`
 *   (or in memory for `memory://`), so `npm start` needs nothing installed.
 *
 * Both return rows as plain objects, int8 (bigint) as a JS number (our int8 columns are epoch milliseconds and
 * counters, far below 2^53) and jsonb parsed. Pass a jsonb value as `JSON.stringify(value)`: both engines read a
 * string as JSON text, while `pg` would turn a JS array into a PostgreSQL array.
 *
 * A query without params goes over PostgreSQL's simple protocol on both engines: the text may then hold several
 * statements (a migration file), and the last statement's rows are returned.
 */
import { openPglite } from './pglite-database';
import { openPostgres } from './postgres-database';
import type { Database } from './sql';

export type { Database, Sql } from './sql';

/** Where PGlite keeps its files when no directory is given: `./data/pglite` under the working directory. */
const DEFAULT_PGLITE_DIR = 'data/pglite';

export function openDatabase(options: { url?: string; dataDir?: string }): Promise<Database> {
  return options.url ? openPostgres(options.url) : openPglite(options.dataDir ?? DEFAULT_PGLITE_DIR);
}
