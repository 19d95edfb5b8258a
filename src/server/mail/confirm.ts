/**
 * Confirming an address before any notice goes to it. The staff list's address of a person (`Person.email`, set by
 * the school's administrators) counts as confirmed; any other gets an e-mail with a link, valid CONFIRM_DAYS, whose
 * token the server keeps only as its SHA-256. Until then nothing is sent to it, so nobody can point a colleague's
 * names and visit times, or a stream of test e-mails, at an address that is not theirs.
 */
import type { Sql } from '../db/database';
import type { MailConfig } from '../config';
import { randomToken, sha256 } from '../accounts/secrets';
import { confirmMessage } from './messages';
import type { MailSender } from './sender';

const CONFIRM_DAYS = 7;

/** Whether an address is the person's own on the staff list (compared without case). */
export const isStaffAddress = (address: string, staffAddress: string | undefined): boolean =>
  staffAddress !== undefined && address.toLowerCase() === staffAddress.toLowerCase();

/**
 * Sends a new confirmation link to the person's saved, unconfirmed address (an earlier link stops working). Says how
 * it went: `undefined` when the mail server took it, else why not.
 */
export async function sendConfirmation(
  sql: Sql,
  mailer: MailSender,
  config: MailConfig,
  schoolId: string,
  personId: string,
  address: string,
  now: number,
): Promise<string | undefined> {
  const token = randomToken();
  await sql.query(
    `UPDATE mail_settings SET confirm_hash = $3, confirm_sent_at = $4
      WHERE school_id = $1 AND person_id = $2 AND confirmed_at IS NULL`,
    [schoolId, personId, sha256(token), now],
  );
  const link = `${config.publicUrl}/api/mail/confirm?${new URLSearchParams({ s: schoolId, p: personId, t: token })}`;
  return mailer.sendNow(await confirmMessage(sql, schoolId, personId, address, link, config, now));
}

/** Confirms the address a link was sent to, when the link is the latest and not older than CONFIRM_DAYS. */
export async function confirmAddress(
  sql: Sql,
  schoolId: string,
  personId: string,
  token: string,
  now: number,
): Promise<boolean> {
  const rows = await sql.query<{ person_id: string }>(
    `UPDATE mail_settings SET confirmed_at = $5, confirm_hash = NULL
      WHERE school_id = $1 AND person_id = $2 AND confirm_hash = $3 AND confirm_sent_at > $4
      RETURNING person_id`,
    [schoolId, personId, sha256(token), now - CONFIRM_DAYS * 24 * 3_600_000, now],
  );
  return rows.length === 1;
}
