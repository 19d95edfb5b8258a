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
  close(): Promise<void>;
}
