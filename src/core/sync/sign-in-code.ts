/**
 * The single-use sign-in code an administrator hands out (README, "School server": accounts need no e-mail). It
 * is 8 letters or digits, shown in two groups of four (ABCD-EFGH) so it is easy to read aloud and type. People type
 * it in lower case, with spaces or without the dash, or scan it from a QR code (`/connect?code=…`): all of those are
 * the same code.
 */

/** Characters in a code. */
const SIGN_IN_CODE_LENGTH = 8;

/** The code as it is sent to the server: upper case, without spaces or dashes; undefined when it cannot be a code. */
export function normalizeSignInCode(input: string): string | undefined {
  const code = input.replace(/[\s\-‐-―]/g, '').toUpperCase();
  return /^[A-Z0-9]{8}$/.test(code) ? code : undefined;
}

/**
 * The code as people read it (ABCD-EFGH), for the input while it is typed: what cannot be part of a code is left
 * out, and the dash comes after the fourth character.
 */
export function formatSignInCode(input: string): string {
  const characters = input
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, SIGN_IN_CODE_LENGTH);
  return characters.length > 4 ? `${characters.slice(0, 4)}-${characters.slice(4)}` : characters;
}

/**
 * How long a code stays valid, in minutes, as the administrator chooses: a walk to a colleague's tablet (the
 * default), a team meeting, a morning, a study day. At most a working day: a sheet of codes on paper opens a
 * colleague's account for as long as it is valid, so one left on a table is useless by the evening. Each code still
 * works once.
 */
export const SIGN_IN_CODE_MINUTES = [15, 60, 240, 480] as const;
export type SignInCodeMinutes = (typeof SIGN_IN_CODE_MINUTES)[number];

/** At most this many codes in one go: a school's whole staff. */
export const SIGN_IN_CODES_AT_ONCE = 200;
