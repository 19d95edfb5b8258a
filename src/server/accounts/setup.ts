/**
 * Setting up a school with a set-up link: the server (or `npm run server:setup-link`) issues a single-use token,
 * and whoever opens the link names the school and themself, and becomes its first administrator.
 */
import type { Person } from '../../core/model/records';
import type { Database, Sql } from '../db/database';
import { addPerson, newPerson } from './people';
import { countSchools, createSchool, type SchoolSummary } from './schools';
import { randomToken, sha256 } from './secrets';
import { createSession } from './sessions';
import { importRecords } from '../sync/import-records';
import { installedShippedInstruments } from '../sync/shipped-instruments';

export interface SignedIn {
  school: SchoolSummary;
  person: Person;
  sessionId: string;
  /** For the device's cookie; the server keeps only its hash. */
  token: string;
}

/**
 * How long a set-up link works: a week, enough to pass it to the school's leader, short enough that a link found in
 * an old mail or chat later sets up nothing. A new one is one command away (`npm run server:setup-link`).
 */
export const SETUP_LINK_LIFETIME_MS = 7 * 24 * 60 * 60_000;

/** Issues a new set-up token; returns it (only its hash is stored). It works until `at + SETUP_LINK_LIFETIME_MS`. */
export async function issueSetupToken(sql: Sql, at: number): Promise<string> {
  const token = randomToken();
  await sql.query('INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2)', [sha256(token), at]);
  return token;
}

/**
 * What start-up does about set-up: issue a link when the server has no school and no unused link; say that an
 * unused one exists (its token cannot be shown again, only a new one issued); or nothing, once a school exists.
 */
export async function setupLinkNeed(sql: Sql, at: number): Promise<'issue' | 'unused-exists' | 'none'> {
  if ((await countSchools(sql)) > 0) return 'none';
  const [row] = await sql.query<{ count: number }>(
    'SELECT count(*) AS count FROM setup_tokens WHERE used_at IS NULL AND created_at > $1',
    [at - SETUP_LINK_LIFETIME_MS],
  );
  return (row?.count ?? 0) > 0 ? 'unused-exists' : 'issue';
}

/** "(valid for 7 days, until 2026-12-13 09:30 UTC)": when a link issued at `at` stops working. */
export function validUntil(at: number): string {
  const until = new Date(at + SETUP_LINK_LIFETIME_MS).toISOString().slice(0, 16).replace('T', ' ');
  return `(valid for ${SETUP_LINK_LIFETIME_MS / (24 * 60 * 60_000)} days, until ${until} UTC)`;
}

/** The link to print. The token sits in the fragment, which browsers never send: it stays out of access logs. */
export function setupLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/setup#token=${token}`;
}

/**
 * The set-up link as the server and `npm run server:setup-link` print it: the link's own line (which scripts look
 * for) inside a frame of blank lines and rules, so it stands out from the build's and the server's output.
 */
export function setupBanner(baseUrl: string, token: string, at: number): string {
  const line = `Meekijken: open ${setupLink(baseUrl, token)} to set up your school ${validUntil(at)}`;
  const rule = '='.repeat(Math.min(line.length, 100));
  return [
    '',
    rule,
    line,
    "Open it on the school leader's tablet. It is shown only once; for a new one: npm run server:setup-link",
    rule,
    '',
  ].join('\n');
}

export interface SetupInput {
  token: string;
  schoolName: string;
  adminName: string;
  deviceLabel: string;
  /**
   * The administrator's id, when the tablet that sets up the school already holds them as a leader of its
   * device-only school: uploading that school afterwards then adds no second record of the same person.
   */
  personId?: string;
}

/**
 * Uses the token once: creates the school, its first administrator (a leader: src/core/model/lifecycle.ts
 * `isAdministrator`) and a session for this device, all in one transaction. Undefined when the token is wrong, used
 * or expired. Of two requests with one token, the second waits on the first's row lock, then finds it used.
 */
export async function completeSetup(database: Database, at: number, input: SetupInput): Promise<SignedIn | undefined> {
  return database.transaction(async (tx) => {
    const claimed = await tx.query(
      'UPDATE setup_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND created_at > $3 RETURNING token_hash',
      [sha256(input.token), at, at - SETUP_LINK_LIFETIME_MS],
    );
    if (claimed.length === 0) return undefined;
    const admin = newPerson({ name: input.adminName, role: 'leader', starter: false }, 'self', at, input.personId);
    const school = await createSchool(tx, input.schoolName, admin.id, at);
    await addPerson(tx, school.id, admin);
    // The shipped instruments, as every device of the school installs them: leaders' team figures need them.
    await importRecords(tx, school.id, { instrument: installedShippedInstruments(at) });
    await tx.query('UPDATE setup_tokens SET school_id = $2 WHERE token_hash = $1', [sha256(input.token), school.id]);
    const session = await createSession(tx, at, {
      schoolId: school.id,
      personId: admin.id,
      deviceLabel: input.deviceLabel,
    });
    return { school, person: admin, sessionId: session.id, token: session.token };
  });
}
