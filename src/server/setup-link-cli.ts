/**
 * `npm run server:setup-link`: a new set-up link, for a board that adds another school to its server or a school
 * that lost the first link. Uses the same settings as the server (DATABASE_URL or DATA_DIR, PORT, PUBLIC_URL).
 * With PGlite, stop the server first: one process at a time may open its files (the command says so if not).
 */
import { issueSetupToken, setupBanner } from './accounts/setup';
import { pgliteDir, readConfig } from './config';
import { openDatabase } from './db/database';
import { migrate } from './db/migrate';

try {
  const config = readConfig(process.env);
  const database = await openDatabase({
    ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
    dataDir: pgliteDir(config),
  });
  try {
    await migrate(database);
    const at = Date.now();
    const token = await issueSetupToken(database, at);
    console.log(setupBanner(config.publicUrl ?? `http://localhost:${config.port}`, token, at));
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(`Meekijken: no set-up link was made. ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
