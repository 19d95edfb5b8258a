/**
 * Moving a school server's data from PGlite (DATA_DIR/pglite) to PostgreSQL (`npm run server:move-to-postgres`,
 * src/server/move-to-postgres-cli.ts; README "School server").
 *
 * - Both sides are brought to this version's migrations first: the PGlite side as a start of this server would, the
 *   target so it has every table. A target that holds any row already is refused: a move never merges into a
 *   database that is in use (two schools' version counters and sessions cannot be merged safely).
 * - The tables are whatever the PGlite database holds (its catalogue, not a list in this file), so a table a later
 *   migration adds moves along; `schema_migrations` stays, as the target's own migrate wrote it. A table or column the
 *   target lacks stops the move before anything is copied.
 * - Everything is copied in ONE transaction on the target, parents before children (the target's foreign keys), in
 *   chunks: the source is read through a cursor, and each chunk is one INSERT of `unnest`ed text arrays cast to the
 *   target's column types (values travel as PostgreSQL's own text form, so jsonb, bigint and whatever comes later
 *   arrive exactly as they were).
 * - Before committing it checks, per table, that the target holds as many rows as the source and the same content (a
 *   sum of the hashes of every row's text), and per school that the version counter moved as it was and is not below
 *   its newest record's version (or the next push would hand out a version a device has already seen). Any failure
 *   rolls the target's transaction back: nothing is left half-copied.
 * - The source is only read (after its migrations): it stays, as a backup.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, type Database, type Sql } from './database';
import { migrate } from './migrate';

/** Rows per INSERT: a chunk of records with their jsonb stays a few megabytes. */
const CHUNK_ROWS = 2000;

interface MovedSchool {
  id: string;
  name: string;
  records: number;
  /** The school's version counter: the next push gets the version after it. */
  version: number;
}

export interface MoveSummary {
  schools: MovedSchool[];
  /** Every table copied, in the order copied, with its rows. */
  tables: Array<{ name: string; rows: number }>;
  /** Migrations the PGlite database lacked and was given first (as a start of this server would have). */
  sourceMigrated: number[];
  ms: number;
}

export interface MoveOptions {
  /** Rows per INSERT (tests use a small one to copy a table in several chunks). */
  chunkRows?: number;
}

interface Column {
  name: string;
  type: string;
  identity: boolean;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The ordinary tables of the current schema but the migrations' own. */
async function tablesOf(sql: Sql): Promise<string[]> {
  const rows = await sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
     ORDER BY table_name`,
  );
  return rows.map((row) => row.name);
}

/** A table's columns that take a value (not generated), in their order, with their exact types. */
async function columnsOf(sql: Sql, table: string): Promise<Column[]> {
  return sql.query<Column>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attidentity <> '' AS identity
     FROM pg_attribute a
     WHERE a.attrelid = (quote_ident(current_schema()) || '.' || quote_ident($1))::regclass
       AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     ORDER BY a.attnum`,
    [table],
  );
}

/** The tables in an order that puts every table after those its foreign keys point at. */
async function parentsFirst(sql: Sql, tables: string[]): Promise<string[]> {
  const references = await sql.query<{ from: string; to: string }>(
    `SELECT c.conrelid::regclass::text AS from, c.confrelid::regclass::text AS to FROM pg_constraint c
     WHERE c.contype = 'f' AND c.conrelid <> c.confrelid`,
  );
  const unquote = (name: string) => (name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name);
  const edges = references.map((reference) => ({ from: unquote(reference.from), to: unquote(reference.to) }));
  const order: string[] = [];
  const left = new Set(tables);
  while (left.size > 0) {
    const ready = [...left].filter((table) => !edges.some((edge) => edge.from === table && left.has(edge.to)));
    if (ready.length === 0) throw new Error(`The foreign keys between ${[...left].join(', ')} form a circle.`);
    for (const table of ready.sort()) {
      order.push(table);
      left.delete(table);
    }
  }
  return order;
}

/** Rows and a content hash of a table: the sum of a 64-bit hash of every row's text, over the given columns. */
async function fingerprint(
  sql: Sql,
  table: string,
  columns: readonly string[],
): Promise<{ rows: number; hash: string }> {
  const row = columns.map(quote).join(', ');
  const [result] = await sql.query<{ rows: number; hash: string }>(
    `SELECT count(*)::int8 AS rows, coalesce(sum(hashtextextended(ROW(${row})::text, 0)::numeric), 0)::text AS hash
     FROM ${quote(table)}`,
  );
  return result!;
}

interface SchoolState {
  id: string;
  name: string;
  version: number | null;
  newest: number | null;
  records: number;
}

function schoolStates(sql: Sql): Promise<SchoolState[]> {
  return sql.query<SchoolState>(
    `SELECT s.id, s.name, v.version,
            (SELECT max(r.version) FROM records r WHERE r.school_id = s.id) AS newest,
            (SELECT count(*) FROM records r WHERE r.school_id = s.id)::int8 AS records
     FROM schools s LEFT JOIN school_versions v ON v.school_id = s.id
     ORDER BY s.name, s.id`,
  );
}

/**
 * Copies everything in `source` into `target`, which must hold no rows (see above). Both are migrated first. Throws
 * with a message for the operator on any refusal or failure; the target then holds no copied row.
 */
export async function moveDatabase(
  source: Database,
  target: Database,
  options: MoveOptions = {},
): Promise<MoveSummary> {
  const started = performance.now();
  const chunkRows = options.chunkRows ?? CHUNK_ROWS;
  const { applied: sourceMigrated } = await migrate(source);
  await migrate(target);

  const summary = await source.transaction(async (from) => {
    const sourceTables = await tablesOf(from);
    const targetTables = await tablesOf(target);
    const missing = sourceTables.filter((table) => !targetTables.includes(table));
    if (missing.length > 0)
      throw new Error(
        `The PGlite database has ${missing.length === 1 ? 'a table' : 'tables'} the PostgreSQL database lacks after its migrations: ${missing.join(', ')}. Was the PGlite database made by another version of Meekijken?`,
      );
    const sourceSchools = await schoolStates(from);
    if (sourceSchools.length === 0)
      throw new Error('The PGlite database holds no school: there is nothing to move. Is DATA_DIR the right folder?');

    return target.transaction(async (to) => {
      const order = await parentsFirst(to, sourceTables);
      // Nobody writes the target's tables until this transaction ends: a server started on it meanwhile waits.
      await to.query(`LOCK TABLE ${targetTables.map(quote).join(', ')} IN EXCLUSIVE MODE`);
      const inUse: string[] = [];
      for (const table of targetTables) {
        const [row] = await to.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quote(table)}) AS any`);
        if (row?.any) inUse.push(table);
      }
      if (inUse.length > 0) {
        const schools = (await to.query<{ name: string }>('SELECT name FROM schools ORDER BY name')).map((s) => s.name);
        throw new Error(
          schools.length > 0
            ? `The PostgreSQL database already holds ${schools.length === 1 ? 'a school' : `${schools.length} schools`} (${schools.join(', ')}). A move never merges into a database in use: give DATABASE_URL a new, empty database.`
            : `The PostgreSQL database is not empty (rows in ${inUse.join(', ')}: a server ran on it already). A move never merges into a database in use: give DATABASE_URL a new, empty database.`,
        );
      }

      const tables: MoveSummary['tables'] = [];
      for (const table of order) {
        const columns = await columnsOf(from, table);
        const targetColumns = await columnsOf(to, table);
        const lacking = columns.filter((column) => !targetColumns.some((each) => each.name === column.name));
        if (lacking.length > 0)
          throw new Error(
            `Table ${table} of the PGlite database has columns the PostgreSQL database lacks: ${lacking.map((c) => c.name).join(', ')}.`,
          );
        const types = columns.map((column) => targetColumns.find((each) => each.name === column.name)!);
        const rows = await copyTable(from, to, table, types, chunkRows);
        const names = columns.map((column) => column.name);
        const [before, after] = [await fingerprint(from, table, names), await fingerprint(to, table, names)];
        if (before.rows !== rows || after.rows !== rows || before.hash !== after.hash)
          throw new Error(
            `Checking table ${table} failed: the PGlite database has ${before.rows} rows, ${rows} were copied and the PostgreSQL database holds ${after.rows}${before.hash === after.hash ? '' : ', with different content'}.`,
          );
        tables.push({ name: table, rows });
      }
      await advanceSequences(to, order);

      const moved = await schoolStates(to);
      if (moved.length !== sourceSchools.length)
        throw new Error(`Checking the schools failed: ${sourceSchools.length} in PGlite, ${moved.length} copied.`);
      for (const school of moved) {
        const was = sourceSchools.find((each) => each.id === school.id);
        if (school.version === null || school.version !== was?.version)
          throw new Error(
            `Checking school ${school.name} failed: its version counter is ${school.version ?? 'missing'} after the move, ${was?.version ?? 'missing'} before.`,
          );
        if (school.newest !== null && school.version < school.newest)
          throw new Error(
            `Checking school ${school.name} failed: its version counter (${school.version}) is below its newest record's version (${school.newest}), so new changes would reuse versions devices have seen. The PGlite database is damaged; nothing was moved.`,
          );
      }
      return {
        schools: moved.map((school) => ({
          id: school.id,
          name: school.name,
          records: school.records,
          version: school.version!,
        })),
        tables,
        sourceMigrated,
      };
    });
  });
  return { ...summary, ms: performance.now() - started };
}

/** Copies one table through a cursor, a chunk per INSERT; returns the rows copied. */
async function copyTable(from: Sql, to: Sql, table: string, columns: Column[], chunkRows: number): Promise<number> {
  const names = columns.map((column) => quote(column.name));
  await from.query(
    `DECLARE meekijken_move NO SCROLL CURSOR FOR SELECT ${names.map((name) => `${name}::text`).join(', ')} FROM ${quote(table)}`,
  );
  // Identity columns "always generated" take a given value only when told to.
  const overriding = columns.some((column) => column.identity) ? ' OVERRIDING SYSTEM VALUE' : '';
  const insert = `INSERT INTO ${quote(table)} (${names.join(', ')})${overriding}
    SELECT ${columns.map((column, i) => `u.c${i}::${column.type}`).join(', ')}
    FROM unnest(${columns.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS u(${columns.map((_, i) => `c${i}`).join(', ')})`;
  let copied = 0;
  for (;;) {
    const rows = await from.query<Record<string, string | null>>(`FETCH ${chunkRows} FROM meekijken_move`);
    if (rows.length === 0) break;
    await to.query(
      insert,
      columns.map((column) => rows.map((row) => row[column.name] ?? null)),
    );
    copied += rows.length;
  }
  await from.query('CLOSE meekijken_move');
  return copied;
}

/** Serial columns' sequences continue after the highest value copied (none of today's tables has one). */
async function advanceSequences(to: Sql, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    const sequences = await to.query<{ column: string; sequence: string }>(
      `SELECT column_name AS column, pg_get_serial_sequence(quote_ident(table_name), column_name) AS sequence
       FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = $1
         AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL`,
      [table],
    );
    for (const { column, sequence } of sequences)
      await to.query(
        `SELECT setval($1, coalesce((SELECT max(${quote(column)}) FROM ${quote(table)}), 1), (SELECT count(*) > 0 FROM ${quote(table)}))`,
        [sequence],
      );
  }
}

/**
 * The command's work: opens the PGlite database in `dataDir` (refused while a server holds its lock) and the
 * PostgreSQL database at `url`, moves, and closes both.
 */
export async function moveToPostgres(dataDir: string, url: string, options: MoveOptions = {}): Promise<MoveSummary> {
  if (!existsSync(path.join(dataDir, 'PG_VERSION')))
    throw new Error(`There is no PGlite database in ${dataDir}. Set DATA_DIR to the folder the server used.`);
  const source = await openDatabase({ dataDir });
  try {
    const target = await openDatabase({ url });
    try {
      return await moveDatabase(source, target, options);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
