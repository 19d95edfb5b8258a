/**
 * The database connection as the app shell sees it: when another tab opens a newer version, this tab saves and lets
 * go (see db.ts), and which database the journal belongs to. The UI imports this, never db.ts itself.
 */
export { closeDatabase, onDatabaseOutdated } from './db';
import { db } from './db';

/** The name of the database in use (the journal of typed changes is kept per database). */
export function databaseInUse(): string {
  return db().name;
}
