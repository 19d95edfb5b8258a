/**
 * The mail queue (src/server/db/migrations/005-mail.sql): notices go in with the transaction that caused them, each
 * key once per school; the sender takes due rows, marks each sent or backs it off, and gives up after
 * MAX_ATTEMPTS. Taking a row moves its next attempt a lease ahead in the same statement (`FOR UPDATE SKIP LOCKED`, and
 * the row's state checked again as the update finds it), so two server processes on one PostgreSQL never send the
 * same row, and a process that dies while sending lets the row come back after the lease.
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/database';
import type { Notice } from '../../core/notify/notices';
import type { NoticeKind } from '../../core/notify/settings';

/** How long a taken row is left alone by other senders. */
const SENDING_LEASE_MS = 10 * 60_000;
/** Attempts before a notice is given up: with the backoff below, about a day and a half of refusals. */
export const MAX_ATTEMPTS = 10;

/** The wait after a failed attempt (`attempts` made so far, ≥ 1): 1 minute, ×4 each time, at most 6 hours. */
const retryDelay = (attempts: number): number => Math.min(6 * 3_600_000, 60_000 * 4 ** Math.max(0, attempts - 1));

export interface QueuedNotice {
  id: string;
  school_id: string;
  person_id: string;
  kind: NoticeKind;
  key: string;
  subject_id: string;
  created_at: number;
  attempts: number;
}

/**
 * Queues the notices whose person asked for their kind, at a confirmed address. A key the school already has is
 * skipped: that notice was queued before, and is sent once. Returns how many were queued.
 */
export async function enqueueNotices(
  tx: Sql,
  schoolId: string,
  notices: readonly Notice[],
  now: number,
): Promise<number> {
  if (notices.length === 0) return 0;
  // A newer invitation for a visit replaces one to the same person not sent yet (messages are written when sent, so
  // both would say the same): a visit moved five times before the mail went sends one invitation, not five.
  for (const notice of notices.filter((n) => n.kind === 'calendar'))
    await tx.query(
      `DELETE FROM mail_queue WHERE school_id = $1 AND person_id = $2 AND kind = 'calendar' AND subject_id = $3
          AND key <> $4 AND sent_at IS NULL AND given_up_at IS NULL`,
      [schoolId, notice.personId, notice.subjectId, notice.key],
    );
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO mail_queue (id, school_id, person_id, kind, key, subject_id, created_at, next_attempt_at)
     SELECT n.id, $1, n.person_id, n.kind, n.key, n.subject_id, $2, $2
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
            AS n(id, person_id, kind, key, subject_id)
       JOIN mail_settings s ON s.school_id = $1 AND s.person_id = n.person_id AND s.kinds ? n.kind
                           AND s.confirmed_at IS NOT NULL
     ON CONFLICT (school_id, key) DO NOTHING
     RETURNING id`,
    [
      schoolId,
      now,
      notices.map(() => randomUUID()),
      notices.map((n) => n.personId),
      notices.map((n) => n.kind),
      notices.map((n) => n.key),
      notices.map((n) => n.subjectId),
    ],
  );
  return rows.length;
}

/**
 * Takes the next due row for sending, the oldest first, leased for SENDING_LEASE_MS: one at a time, so a row's lease
 * covers its one send however slow the mail server is.
 */
export async function takeNext(sql: Sql, now: number): Promise<QueuedNotice | undefined> {
  const [row] = await sql.query<QueuedNotice>(
    // The row is chosen once, in a CTE (one with FOR UPDATE is computed once): a sub-select in the WHERE may be run
    // again for each row the update looks at, and then take more rows than one.
    `WITH due AS (
       SELECT id FROM mail_queue
        WHERE sent_at IS NULL AND given_up_at IS NULL AND next_attempt_at <= $1
        ORDER BY next_attempt_at, created_at LIMIT 1 FOR UPDATE SKIP LOCKED
     )
     UPDATE mail_queue q SET next_attempt_at = $1 + $2::int8, attempts = q.attempts + 1
       FROM due
      WHERE q.id = due.id AND q.sent_at IS NULL AND q.given_up_at IS NULL AND q.next_attempt_at <= $1
      RETURNING q.id, q.school_id, q.person_id, q.kind, q.key, q.subject_id, q.created_at, q.attempts`,
    [now, SENDING_LEASE_MS],
  );
  return row;
}

/**
 * The marks below hold only while the row is still this sender's: taken by it (the same number of attempts) and not
 * sent or given up. A row whose lease ran out and that another process took is that process's to mark.
 */
const STILL_MINE = 'id = $1 AND attempts = $2 AND sent_at IS NULL AND given_up_at IS NULL';

/** Sent; a calendar invitation keeps the SEQUENCE it carried. */
export async function markSent(sql: Sql, notice: QueuedNotice, now: number, sequence?: number): Promise<void> {
  await sql.query(`UPDATE mail_queue SET sent_at = $3, last_error = NULL, sequence = $4 WHERE ${STILL_MINE}`, [
    notice.id,
    notice.attempts,
    now,
    sequence ?? null,
  ]);
}

/** A notice not worth sending any more (the person stopped it, the thing it was about moved on): why, kept. */
export async function markDropped(sql: Sql, notice: QueuedNotice, now: number, why: string): Promise<void> {
  await sql.query(`UPDATE mail_queue SET given_up_at = $3, last_error = $4 WHERE ${STILL_MINE}`, [
    notice.id,
    notice.attempts,
    now,
    why,
  ]);
}

/** A failed attempt: tried again after `retryDelay`, or given up after MAX_ATTEMPTS. */
export async function markFailed(
  sql: Sql,
  notice: QueuedNotice,
  now: number,
  why: string,
): Promise<'retry' | 'given-up'> {
  if (notice.attempts >= MAX_ATTEMPTS) {
    await markDropped(sql, notice, now, why);
    return 'given-up';
  }
  await sql.query(`UPDATE mail_queue SET next_attempt_at = $3, last_error = $4 WHERE ${STILL_MINE}`, [
    notice.id,
    notice.attempts,
    now + retryDelay(notice.attempts),
    why,
  ]);
  return 'retry';
}

/** How many e-mails this notice's person was sent in the last hour. */
export async function sentWithinHour(sql: Sql, notice: QueuedNotice, now: number): Promise<number> {
  const [row] = await sql.query<{ n: number }>(
    'SELECT count(*)::int8 AS n FROM mail_queue WHERE school_id = $1 AND person_id = $2 AND sent_at > $3',
    [notice.school_id, notice.person_id, now - 3_600_000],
  );
  return row?.n ?? 0;
}

/** Puts a notice back for the next hour, its attempt not counted (the limit, not a failure, held it back). */
export async function deferHour(sql: Sql, notice: QueuedNotice, now: number): Promise<void> {
  await sql.query(`UPDATE mail_queue SET next_attempt_at = $3, attempts = attempts - 1 WHERE ${STILL_MINE}`, [
    notice.id,
    notice.attempts,
    now + 3_600_000,
  ]);
}

/**
 * A person's e-mail ends: their address and choice, and what was queued for them and not sent yet. When they leave
 * the school (removed or archived), and when they or an administrator stop it.
 */
export async function forgetMailOf(sql: Sql, schoolId: string, personId: string): Promise<void> {
  await sql.query('DELETE FROM mail_settings WHERE school_id = $1 AND person_id = $2', [schoolId, personId]);
  await dropUnsent(sql, schoolId, personId);
}

/** A person's e-mail stops (an unsubscribe link): the address stays, to turn on again in the app, with nothing chosen. */
export async function stopMailOf(sql: Sql, schoolId: string, personId: string, now: number): Promise<void> {
  await sql.query(
    `UPDATE mail_settings SET kinds = '[]'::jsonb, updated_at = $3 WHERE school_id = $1 AND person_id = $2`,
    [schoolId, personId, now],
  );
  await dropUnsent(sql, schoolId, personId);
}

const dropUnsent = (sql: Sql, schoolId: string, personId: string) =>
  sql.query('DELETE FROM mail_queue WHERE school_id = $1 AND person_id = $2 AND sent_at IS NULL', [schoolId, personId]);

/** Sent and given-up rows older than this go: their keys have done their work by then. */
const KEPT_MS = 400 * 24 * 3_600_000;

export async function pruneMailQueue(sql: Sql, now: number): Promise<number> {
  const rows = await sql.query<{ n: number }>(
    `WITH gone AS (DELETE FROM mail_queue WHERE coalesce(sent_at, given_up_at) < $1 RETURNING 1)
     SELECT count(*)::int8 AS n FROM gone`,
    [now - KEPT_MS],
  );
  return rows[0]?.n ?? 0;
}
