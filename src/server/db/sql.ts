/**
 * What the server's code asks of a database: plain parameterised SQL and transactions, the same on PGlite and on
 * PostgreSQL (src/server/db/database.ts opens one; the adapters implement it).
 */
export interface Sql {
  /** One parameterised statement ($1, $2 …); rows as plain objects. int8/bigint columns come back as JS numbers. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction: BEGIN … COMMIT, ROLLBACK when fn throws (and rethrows). */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: LISTENs on `channel` over a connection of its own, outside the pool, and opens it again whenever
   * it breaks (src/server/db/postgres-listener.ts). Resolves once the first attempt succeeded or failed. PGlite has
   * none: it runs in one process, whose changes need no database to reach its other requests.
   */
  listen?(channel: string, handlers: ListenHandlers): Promise<Listening>;
  /** Closes the pool, and any listening connection still open. */
  close(): Promise<void>;
}

export interface ListenHandlers {
  /** A notification on the channel, with its payload. */
  notification(payload: string): void;
  /** The connection broke, or could not be made; the next attempt follows in `retryInMs`. */
  lost(error: Error, retryInMs: number): void;
  /** Listening again after a loss: whatever was notified in between is gone. */
  restored(): void;
}

export interface Listening {
  /** Whether the LISTEN is in place now (false while it reconnects). */
  readonly active: boolean;
  close(): Promise<void>;
}
