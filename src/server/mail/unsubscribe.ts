/**
 * One-click unsubscribe links (RFC 8058). A link names the school and the person and carries an HMAC of both under
 * the server's mail key (table `mail_keys`, made at first use), so no token per person is stored and a link cannot be
 * made for anyone else. The key only signs these links: whoever holds it can stop someone's e-mail, nothing more.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Sql } from '../db/database';

const KEY_ID = 'unsubscribe';

/** The key once read, per database (a server process has one; tests open several). */
const keys = new WeakMap<Sql, string>();

async function mailKey(sql: Sql, now: number): Promise<string> {
  const known = keys.get(sql);
  if (known) return known;
  await sql.query('INSERT INTO mail_keys (id, secret, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
    KEY_ID,
    randomBytes(32).toString('base64url'),
    now,
  ]);
  const rows = await sql.query<{ secret: string }>('SELECT secret FROM mail_keys WHERE id = $1', [KEY_ID]);
  const secret = rows[0]!.secret;
  keys.set(sql, secret);
  return secret;
}

const signature = (secret: string, schoolId: string, personId: string): string =>
  createHmac('sha256', secret).update(`unsubscribe\n${schoolId}\n${personId}`).digest('base64url');

/** The query of a person's unsubscribe link: `s`chool, `p`erson, `t`oken. */
export async function unsubscribeQuery(sql: Sql, schoolId: string, personId: string, now: number): Promise<string> {
  const token = signature(await mailKey(sql, now), schoolId, personId);
  return new URLSearchParams({ s: schoolId, p: personId, t: token }).toString();
}

/** Whether a link's token is the one this server made for this school and person. */
export async function isUnsubscribeToken(
  sql: Sql,
  schoolId: string,
  personId: string,
  token: string,
  now: number,
): Promise<boolean> {
  const expected = Buffer.from(signature(await mailKey(sql, now), schoolId, personId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
