/**
 * The secrets of accounts: set-up tokens, session tokens and sign-in codes. The server stores only their SHA-256,
 * so a copy of the database (a backup, a log of queries) does not let anyone in.
 *
 * A plain SHA-256 (no salt, no slow hash) is enough for 32 random bytes. A sign-in code has far less entropy
 * (31^8 ≈ 8.5·10^11), so its hash alone would not hold against someone who stole the database and guesses offline;
 * what protects it is that it lives 15 minutes and works once.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';

/** 32 random bytes, base64url (43 characters): unguessable, and safe in a URL fragment and a cookie. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Letters and digits nobody confuses when reading a code aloud or off a screen: no 0/O, 1/I/L. */
export const SIGN_IN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const SIGN_IN_CODE_LENGTH = 8;

/** A new code, 8 characters of the alphabet, each drawn uniformly (randomInt has no modulo bias). */
export function newSignInCode(): string {
  return Array.from(
    { length: SIGN_IN_CODE_LENGTH },
    () => SIGN_IN_CODE_ALPHABET[randomInt(SIGN_IN_CODE_ALPHABET.length)],
  ).join('');
}

/** How a code is shown: two groups of four, `ABCD-EFGH`. */
export function formatSignInCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What a person typed, as the code it means: upper case, without spaces and dashes. Undefined when it cannot be a
 * code at all (wrong length, a character outside the alphabet).
 */
export function normaliseSignInCode(input: string): string | undefined {
  // Dashes include the typographic ones a phone keyboard or a copied message may put in.
  const code = input.toUpperCase().replace(/[\s\-\u2010-\u2015]/g, '');
  if (code.length !== SIGN_IN_CODE_LENGTH) return undefined;
  return [...code].every((character) => SIGN_IN_CODE_ALPHABET.includes(character)) ? code : undefined;
}
