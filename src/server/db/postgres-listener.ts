/**
 * One connection that LISTENs on a channel, outside the pool (a pooled connection goes back to the pool, and with it
 * the LISTEN). It is kept for the life of the process:
 *
 * - when it breaks (PostgreSQL restarted, the network went, the backend was terminated) or cannot be made, it says
 *   so (`lost`, with the delay) and tries again after 250 ms, doubling up to 10 s, never ending the process;
 * - once listening again it says so (`restored`): notifications sent while it was away are lost, and the caller
 *   makes up for them;
 * - every 30 s it asks `SELECT 1`, with a 10 s timeout, so a connection that died without a word (a half-open TCP
 *   connection after a network failure) is noticed and replaced instead of listening to nothing for hours.
 */
import type pg from 'pg';
import type { ListenHandlers, Listening } from './sql';

const PING_EVERY_MS = 30_000;

/** 250 ms, 500 ms, 1 s, 2 s … at most 10 s between attempts. */
export function reconnectDelay(attempt: number): number {
  return Math.min(10_000, 250 * 2 ** Math.min(attempt, 6));
}

export async function listenOn(
  connect: () => pg.Client,
  channel: string,
  handlers: ListenHandlers,
): Promise<Listening> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Not a channel name: ${channel}`);
  let client: pg.Client | undefined;
  let active = false;
  let closed = false;
  let failures = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let ping: ReturnType<typeof setInterval> | undefined;

  const attempt = async (): Promise<void> => {
    retry = undefined;
    const current = connect();
    client = current;
    let failed = false;
    const fail = (error: Error) => {
      if (failed || closed) return;
      failed = true;
      active = false;
      clearInterval(ping);
      current.removeAllListeners('notification');
      // A client that broke may still hold a socket; ending it twice or after an error is harmless.
      current.end().catch(() => {});
      const delay = reconnectDelay(failures++);
      handlers.lost(error, delay);
      retry = setTimeout(() => void attempt(), delay);
      retry.unref?.();
    };
    current.on('error', fail);
    current.on('end', () => fail(new Error('the listening connection ended')));
    current.on('notification', (message) => {
      if (message.channel === channel && message.payload) handlers.notification(message.payload);
    });
    try {
      await current.connect();
      await current.query(`LISTEN ${channel}`);
    } catch (error) {
      fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (failed) return;
    if (closed) {
      await current.end().catch(() => {});
      return;
    }
    active = true;
    const wasLost = failures > 0;
    failures = 0;
    ping = setInterval(() => {
      current
        .query('SELECT 1')
        .catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
    }, PING_EVERY_MS);
    ping.unref?.();
    if (wasLost) handlers.restored();
  };

  await attempt();
  return {
    get active() {
      return active;
    },
    async close() {
      if (closed) return;
      closed = true;
      active = false;
      clearTimeout(retry);
      clearInterval(ping);
      await client?.end().catch(() => {});
    },
  };
}
