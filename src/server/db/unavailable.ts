/**
 * Whether an error means "the database is away or busy, try again" rather than "this statement cannot be stored".
 * The first is answered 503 with Retry-After, and the device sends the same changes again later; the second is
 * one change's problem, refused alone (src/server/sync/push.ts), so it never holds up the changes after it.
 */

/** Network errors of the connection itself. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/**
 * PostgreSQL's SQLSTATEs for the same: connection exceptions (class 08), the server shutting down or starting
 * (57P01–57P03), out of connections or memory (53xxx), and a transaction that lost a race (40001, 40P01).
 */
function retryableState(code: string): boolean {
  return code.startsWith('08') || code.startsWith('53') || ['57P01', '57P02', '57P03', '40001', '40P01'].includes(code);
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof DatabaseUnavailable) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || retryableState(code))) return true;
  // `pg` reports a connection that ended under a query in words only.
  return /Connection terminated|connection (?:is )?closed|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
    error.message,
  );
}

/** Thrown by the server's own code when it knows the database is away (e.g. while it is reconnecting). */
class DatabaseUnavailable extends Error {
  constructor(message = 'The database is not answering.') {
    super(message);
    this.name = 'DatabaseUnavailable';
  }
}
