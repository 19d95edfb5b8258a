/**
 * `npm run server:move-to-postgres`: moves a school server's data from PGlite (DATA_DIR, default ./data) to the
 * PostgreSQL database DATABASE_URL names, which must be empty (src/server/db/move.ts does the work). Stop the server
 * first: the command refuses while one runs on the PGlite folder. Exit code 0 when moved, 1 when nothing was.
 */
import { pgliteDir, readConfig } from './config';
import { moveToPostgres } from './db/move';

/** The URL without its password, to print. */
function shown(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

try {
  const config = readConfig(process.env);
  if (!config.databaseUrl)
    throw new Error(
      'Set DATABASE_URL to the PostgreSQL database to move to (a new, empty one), e.g. DATABASE_URL=postgres://meekijken:…@localhost:5432/meekijken.',
    );
  const from = pgliteDir(config);
  console.log(`Meekijken: moving ${from} to ${shown(config.databaseUrl)} …`);
  const summary = await moveToPostgres(from, config.databaseUrl);
  const width = Math.max(...summary.tables.map((table) => table.name.length));
  const lines = [
    `Meekijken: moved ${summary.schools.length === 1 ? '1 school' : `${summary.schools.length} schools`} in ${(summary.ms / 1000).toFixed(1)} s, in one transaction.`,
    ...(summary.sourceMigrated.length > 0
      ? [
          `  (The PGlite database was first given migrations ${summary.sourceMigrated.join(', ')}, as a server start would.)`,
        ]
      : []),
    ...summary.schools.map(
      (school) => `  ${school.name}: ${school.records} records, version counter ${school.version}`,
    ),
    'Rows per table (counts and content checked against PGlite; each version counter against its newest record):',
    ...summary.tables.map((table) => `  ${table.name.padEnd(width)}  ${table.rows}`),
    'Next:',
    `  1. Start the server with DATABASE_URL set, always from now on: DATABASE_URL=… npm start. Without it, the server would run on the old PGlite data again.`,
    `  2. Keep ${config.dataDir} as a backup until you are satisfied; never run a server on it again.`,
    '  3. Sessions moved along: signed-in tablets keep working and sync as before, without signing in again.',
  ];
  console.log(lines.join('\n'));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  const after = process.env.DATABASE_URL
    ? '\nNothing of it stays in the PostgreSQL database (a copy in progress is rolled back as a whole); the PGlite folder still holds the school.'
    : '';
  console.error(`Meekijken: nothing was moved. ${message}${after}`);
  process.exitCode = 1;
}
