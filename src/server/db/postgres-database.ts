/**
 * A pool of connections to a real PostgreSQL (DATABASE_URL), for a school board that runs its own, and a listening
 * connection beside it for notifications between the server processes on it (src/server/db/postgres-listener.ts).
 */
import pg from 'pg';
import { listenOn } from './postgres-listener';
import type { Database, Listening } from './sql';

/** The `application_name` of a process's listening connection. */
export const LISTENER_NAME = 'meekijken-listener';

/** PostgreSQL's type id of int8 (bigint). */
const INT8_OID = 20;

export async function openPostgres(url: string): Promise<Database> {
  // Per pool, not pg's global parsers: the same process may hold other pools (tests hold an admin one).
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, Number);
  // A connection that cannot be made within 5 s counts as "the database is away" (a 503), instead of a request
  // that hangs until the device gives up.
  const pool = new pg.Pool({ connectionString: url, types, connectionTimeoutMillis: 5_000 });
  // An idle connection that breaks (PostgreSQL restarted) emits here; without a listener the process would exit.
  // The pool drops that connection and opens a new one for the next query. Once closing, it is no news: end()
  // resolves before the connections have quite gone, and the server may still end them.
  let closing = false;
  pool.on('error', (error) => {
    if (!closing) console.error(`Meekijken: an idle PostgreSQL connection failed: ${error.message}`);
  });
  // Fail at start-up, with the server's own message, when the database cannot be reached.
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    closing = true;
    await pool.end();
    throw error;
  }
  let closed: Promise<void> | undefined;
  const listening = new Set<Listening>();

  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    async transaction(fn) {
      const client = await pool.connect();
      // A connection that breaks while checked out (the database stops under a transaction) emits 'error' on its
      // client, which the pool no longer listens to: without this listener the process would exit. The query in
      // flight fails by itself, the transaction rolls back, and release(error) drops the connection.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
        if (!closing) console.error(`Meekijken: a PostgreSQL connection in use failed: ${error.message}`);
      };
      client.on('error', onError);
      const release = (error?: Error) => {
        client.off('error', onError);
        client.release(error ?? broken);
      };
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (text, params) => run(client, text, params) });
        await client.query('COMMIT');
        release();
        return result;
      } catch (error) {
        // A connection whose ROLLBACK failed is broken: release(error) destroys it instead of reusing it.
        const rollback = await client.query('ROLLBACK').then(
          () => undefined,
          (rollbackError: unknown) => rollbackError,
        );
        release(rollback instanceof Error ? rollback : undefined);
        throw error;
      }
    },
    async listen(channel, handlers) {
      const connect = () =>
        new pg.Client({
          connectionString: url,
          types,
          connectionTimeoutMillis: 5_000,
          // The connection is idle for as long as nobody pushes: TCP keep-alive and the listener's ping notice one
          // that died on the way (a firewall that forgot it, a network that went).
          keepAlive: true,
          query_timeout: 10_000,
          // So an operator sees in pg_stat_activity which connection it is.
          application_name: LISTENER_NAME,
        });
      const listener = await listenOn(connect, channel, handlers);
      listening.add(listener);
      return {
        get active() {
          return listener.active;
        },
        close: () => {
          listening.delete(listener);
          return listener.close();
        },
      };
    },
    close() {
      // pg refuses a second end(); a shutdown that closes twice (signal and error path) gets the first one's promise.
      closing = true;
      closed ??= Promise.all([...listening].map((listener) => listener.close())).then(() => pool.end());
      return closed;
    },
  };
}

/** Without values `pg` uses the simple protocol, which allows several statements and answers with one result each. */
async function run<T>(target: pg.Pool | pg.PoolClient, text: string, params: unknown[] | undefined): Promise<T[]> {
  const result = (await target.query(text, params && params.length > 0 ? params : undefined)) as unknown as
    pg.QueryResult | pg.QueryResult[];
  const last = Array.isArray(result) ? result.at(-1) : result;
  return (last?.rows ?? []) as T[];
}
