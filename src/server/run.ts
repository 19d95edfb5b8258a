/**
 * Starting and stopping the server as a whole: open the database, migrate it, build the HTTP server, listen, and
 * say how to set up a school when there is none. `stop()` closes the HTTP server (in-flight requests finish, and the
 * change feed's listening connection closes with it) and then the database, so nothing is written after the database
 * is gone.
 */
import type { FastifyInstance } from 'fastify';
import { buildServer, type BuildServerOptions } from './app';
import { issueSetupToken, setupBanner, setupLinkNeed } from './accounts/setup';
import { pgliteDir, type ServerConfig } from './config';
import { openDatabase, type Database } from './db/database';
import { migrate } from './db/migrate';
import { schedulePruning } from './sync/retention';
import { isDatabaseUnavailable } from './db/unavailable';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  /** http://host:port the server listens on. */
  url: string;
  stop(): Promise<void>;
}

/** Waits between attempts to reach a PostgreSQL that is away at start-up: 1 s, doubling, at most 30 s. */
export function startupDelay(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
}

/**
 * Opens the database. A PostgreSQL that is away (not started yet, restarting, the network not up after a reboot) is
 * waited for, with a log line per attempt, instead of ending the process: the server starts as soon as it answers.
 * Anything else (a wrong password, a PGlite directory in use) ends the start at once, with its own message.
 */
export async function openWhenReachable(
  config: ServerConfig,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  log: (line: string) => void = (line) => console.error(line),
): Promise<Database> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await openDatabase({
        ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
        dataDir: pgliteDir(config),
      });
    } catch (error) {
      if (!config.databaseUrl || !isDatabaseUnavailable(error)) throw error;
      const delay = startupDelay(attempt);
      log(
        `Meekijken: PostgreSQL at ${databaseHost(config.databaseUrl)} does not answer (${error instanceof Error ? error.message : String(error)}); trying again in ${Math.round(delay / 1000)} s.`,
      );
      await wait(delay);
    }
  }
}

/** The host and port of a database URL, never its password. */
function databaseHost(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}`;
  } catch {
    return 'DATABASE_URL';
  }
}

export async function startServer(
  config: ServerConfig,
  options: Pick<BuildServerOptions, 'logger' | 'now'> & { wait?: (ms: number) => Promise<void> } = {},
): Promise<RunningServer> {
  const database = await openWhenReachable(config, options.wait);
  let app: FastifyInstance | undefined;
  try {
    app = await buildServer({
      database,
      distDir: config.distDir,
      logger: options.logger ?? { level: config.logLevel },
      trustProxy: config.trustProxy,
      ...(config.mail ? { mail: config.mail } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    const { applied, version } = await migrate(database, options.now ? { now: options.now } : {});
    app.log.info(
      { database: database.kind, applied, version },
      applied.length > 0 ? 'database migrated' : 'database up to date',
    );
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app?.close();
    await database.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  await announceSetup(app, database, config.publicUrl ?? `http://localhost:${port}`, options.now ?? Date.now);
  const stopPruning = schedulePruning(database, options.now ?? Date.now, app.log);

  const running = app;
  return {
    app: running,
    database,
    url,
    async stop() {
      stopPruning();
      await running.close();
      await database.close();
    },
  };
}

/**
 * A server without a school prints its set-up link on stdout, for the person who started it: last, once it listens,
 * framed so that it stands out (`setupBanner`).
 */
async function announceSetup(
  app: FastifyInstance,
  database: Database,
  baseUrl: string,
  now: () => number,
): Promise<void> {
  const need = await setupLinkNeed(database, now());
  if (need === 'issue') {
    const at = now();
    const token = await issueSetupToken(database, at);
    console.log(setupBanner(baseUrl, token, at));
  } else if (need === 'unused-exists') {
    app.log.info(
      'No school yet, and a set-up link was issued before (it is shown only once). For a new one: npm run server:setup-link',
    );
  }
}
