/**
 * `npm start` (after the Vite build): the school server. Settings from the environment: PORT, HOST, DATABASE_URL,
 * DATA_DIR, TRUST_PROXY, PUBLIC_URL, LOG_LEVEL (src/server/config.ts, README "School server").
 */
import { readConfig } from './config';
import { startServer, type RunningServer } from './run';
import { stopOnSignals } from './shutdown';

let server: RunningServer;
try {
  server = await startServer(readConfig(process.env));
} catch (error) {
  console.error(`Meekijken: the server did not start. ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
stopOnSignals(server);
