/**
 * Sign-in codes: an administrator issues one for a person, who types it on their device. No e-mail, no
 * passwords. A code is 8 characters, valid 15 minutes (or, on a sheet for the team, as long as the administrator
 * chose, at most a working day), works once, and is stored only as its hash; a new code for a person replaces their
 * unused ones, and an administrator can revoke the unused ones.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Sql } from '../db/database';
import { findActivePerson } from './people';
import { findSchool } from './schools';
import { formatSignInCode, newSignInCode, normaliseSignInCode, sha256 } from './secrets';
import { createSession } from './sessions';
import type { SignedIn } from './setup';

/** Long enough to walk to a colleague's tablet and type it; short enough that a code on a note soon means nothing. */
export const SIGN_IN_CODE_LIFETIME_MS = 15 * 60_000;

/**
 * A new code for a person of the school, formatted `ABCD-EFGH`; the person's older unused codes stop working.
 * The caller has checked that the person exists in this school.
 */
export async function issueSignInCode(
  database: Database,
  at: number,
  input: { schoolId: string; personId: string; createdBy: string },
): Promise<{ code: string; expiresAt: number }> {
  return database.transaction((tx) => issueIn(tx, at, at + SIGN_IN_CODE_LIFETIME_MS, input));
}

/**
 * Codes for several people at once (a sheet for a study day), each valid `minutes` (one of `SIGN_IN_CODE_MINUTES`,
 * checked by the route), all or none; each person's older unused codes stop working. The caller has checked that
 * every person exists in this school.
 */
export async function issueSignInCodes(
  database: Database,
  at: number,
  input: { schoolId: string; personIds: readonly string[]; createdBy: string; minutes: number },
): Promise<Array<{ personId: string; code: string; expiresAt: number }>> {
  const expiresAt = at + input.minutes * 60_000;
  return database.transaction(async (tx) => {
    const issued = [];
    for (const personId of input.personIds)
      issued.push({ personId, ...(await issueIn(tx, at, expiresAt, { ...input, personId })) });
    return issued;
  });
}

/** The unused codes of these people stop working (a sheet lost or handed out wrongly). Returns how many. */
export async function revokeSignInCodes(
  database: Database,
  input: { schoolId: string; personIds: readonly string[] },
): Promise<number> {
  const removed = await database.query<{ id: string }>(
    'DELETE FROM sign_in_codes WHERE school_id = $1 AND person_id = ANY($2) AND used_at IS NULL RETURNING id',
    [input.schoolId, [...input.personIds]],
  );
  return removed.length;
}

async function issueIn(
  tx: Sql,
  at: number,
  expiresAt: number,
  input: { schoolId: string; personId: string; createdBy: string },
): Promise<{ code: string; expiresAt: number }> {
  await tx.query('DELETE FROM sign_in_codes WHERE school_id = $1 AND person_id = $2 AND used_at IS NULL', [
    input.schoolId,
    input.personId,
  ]);
  // A code equal to an earlier one (about one in 10^12) would break the unique hash: draw again.
  for (;;) {
    const code = newSignInCode();
    const inserted = await tx.query(
      `INSERT INTO sign_in_codes (id, school_id, person_id, code_hash, created_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code_hash) DO NOTHING RETURNING id`,
      [randomUUID(), input.schoolId, input.personId, sha256(code), input.createdBy, at, expiresAt],
    );
    if (inserted.length > 0) return { code: formatSignInCode(code), expiresAt };
  }
}

/**
 * Uses a code once and starts a session for its person. Undefined when the code is malformed, unknown, used,
 * expired, or its person can no longer use the app. Of two requests with one code, only one gets a session.
 */
export async function redeemSignInCode(
  database: Database,
  at: number,
  input: { code: string; deviceLabel: string },
): Promise<SignedIn | undefined> {
  const code = normaliseSignInCode(input.code);
  if (!code) return undefined;
  return database.transaction(async (tx: Sql) => {
    const [claimed] = await tx.query<{ school_id: string; person_id: string }>(
      'UPDATE sign_in_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING school_id, person_id',
      [sha256(code), at],
    );
    if (!claimed) return undefined;
    const person = await findActivePerson(tx, claimed.school_id, claimed.person_id);
    const school = await findSchool(tx, claimed.school_id);
    if (!person || !school) return undefined;
    const session = await createSession(tx, at, {
      schoolId: school.id,
      personId: person.id,
      deviceLabel: input.deviceLabel,
    });
    return { school, person, sessionId: session.id, token: session.token };
  });
}
