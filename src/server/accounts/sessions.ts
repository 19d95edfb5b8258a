/**
 * Sessions: one per signed-in device, revocable. The device holds a random token (in an HttpOnly cookie); the
 * server keeps its SHA-256. Every query is scoped by the school, because a board's server holds several schools.
 */
import { randomUUID } from 'node:crypto';
import type { Person } from '../../core/model/records';
import type { Sql } from '../db/database';
import { findActivePerson } from './people';
import { randomToken, sha256 } from './secrets';

/** `last_seen_at` is written at most this often per session: a device's every request need not write a row. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

const DAY_MS = 24 * 60 * 60_000;

/**
 * How long a signed-in device stays signed in.
 * - Idle: 60 days without a single request ends the session; every request renews it. Longer than the summer
 *   holiday, so a tablet that was put away in July still syncs in September; a tablet lost or left in a cupboard stops
 *   being a key to the school.
 * - Absolute: a year after signing in, the session ends however much it is used, and the device needs a new code.
 *   A token copied from a tablet works for a year at most.
 * Revoking ends a session at once, whatever its age. What a device has not sent yet stays on it, and goes out once
 * its person signs in again.
 */
export const SESSION_IDLE_MS = 60 * DAY_MS;
export const SESSION_MAX_MS = 365 * DAY_MS;

/** SQL for "this session row still counts at $at": not revoked, used recently, and not too old. */
export const LIVE = (at: string) =>
  `revoked_at IS NULL AND last_seen_at > ${at} - ${SESSION_IDLE_MS} AND created_at > ${at} - ${SESSION_MAX_MS}`;

/** Who is asking: the session of this request, and the person's current record. */
export interface SessionContext {
  sessionId: string;
  schoolId: string;
  person: Person;
  /** When the session ends at the latest (its absolute lifetime); an open event stream closes then. */
  expiresAt: number;
}

export interface SessionSummary {
  id: string;
  personId: string;
  deviceLabel: string;
  createdAt: number;
  lastSeenAt: number;
}

/** Starts a session; returns its id and the token for the device (never stored). */
export async function createSession(
  tx: Sql,
  at: number,
  input: { schoolId: string; personId: string; deviceLabel: string },
): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  const token = randomToken();
  await tx.query(
    'INSERT INTO sessions (id, school_id, person_id, token_hash, device_label, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $6)',
    [id, input.schoolId, input.personId, sha256(token), input.deviceLabel.trim(), at],
  );
  return { id, token };
}

interface SessionRow {
  id: string;
  school_id: string;
  person_id: string;
  last_seen_at: number;
  created_at: number;
}

/**
 * The session a token belongs to, when it is not revoked, has not expired (`SESSION_IDLE_MS`, `SESSION_MAX_MS`) and
 * its person may still use the app (not archived or deleted); otherwise undefined. Using it renews its idle time.
 */
export async function authenticate(sql: Sql, at: number, token: string): Promise<SessionContext | undefined> {
  const [row] = await sql.query<SessionRow>(
    `SELECT id, school_id, person_id, last_seen_at, created_at FROM sessions WHERE token_hash = $1 AND ${LIVE('$2')}`,
    [sha256(token), at],
  );
  if (!row) return undefined;
  const person = await findActivePerson(sql, row.school_id, row.person_id);
  if (!person) return undefined;
  if (at - row.last_seen_at >= LAST_SEEN_RESOLUTION_MS) {
    await sql.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2', [row.id, at]);
  }
  return { sessionId: row.id, schoolId: row.school_id, person, expiresAt: row.created_at + SESSION_MAX_MS };
}

/** The person's devices that are still signed in, most recently seen first. */
export async function listSessions(
  sql: Sql,
  at: number,
  schoolId: string,
  personId: string,
): Promise<SessionSummary[]> {
  const rows = await sql.query<{
    id: string;
    person_id: string;
    device_label: string;
    created_at: number;
    last_seen_at: number;
  }>(
    `SELECT id, person_id, device_label, created_at, last_seen_at FROM sessions WHERE school_id = $1 AND person_id = $2 AND ${LIVE('$3')} ORDER BY last_seen_at DESC, created_at DESC`,
    [schoolId, personId, at],
  );
  return rows.map((row) => ({
    id: row.id,
    personId: row.person_id,
    deviceLabel: row.device_label,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
  }));
}

/** The owner of a session of this school that is still signed in, or undefined (also for another school's session). */
export async function sessionOwner(sql: Sql, schoolId: string, sessionId: string): Promise<string | undefined> {
  const [row] = await sql.query<{ person_id: string }>(
    'SELECT person_id FROM sessions WHERE school_id = $1 AND id = $2 AND revoked_at IS NULL',
    [schoolId, sessionId],
  );
  return row?.person_id;
}

/** Signs a device out at once: its next request is refused. */
export async function revokeSession(sql: Sql, at: number, schoolId: string, sessionId: string): Promise<void> {
  await sql.query('UPDATE sessions SET revoked_at = $3 WHERE school_id = $1 AND id = $2 AND revoked_at IS NULL', [
    schoolId,
    sessionId,
    at,
  ]);
}
