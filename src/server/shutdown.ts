/**
 * Graceful shutdown on SIGINT (Ctrl-C) and SIGTERM (systemd, Docker): stop taking requests, end the event streams,
 * let the running requests finish, stop listening for other processes' changes (on PostgreSQL, the LISTEN connection
 * of src/server/sync/change-feed.ts, closed with the HTTP server), close the database, exit. A shutdown that hangs (a stuck request) is cut off after a while, because a
 * service manager waiting on us would otherwise kill us at a worse moment.
 */
import type { RunningServer } from './run';

const SHUTDOWN_TIMEOUT_MS = 10_000;

export function stopOnSignals(
  server: Pick<RunningServer, 'app' | 'stop'>,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const log = server.app.log;
    log.info({ signal }, 'shutting down: finishing requests, then closing the database');
    const timer = setTimeout(() => {
      log.error(`shutdown took longer than ${SHUTDOWN_TIMEOUT_MS / 1000} s; exiting anyway`);
      exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    server.stop().then(
      () => {
        clearTimeout(timer);
        log.info('stopped; the database is closed');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        log.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
