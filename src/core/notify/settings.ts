/**
 * What a person may choose to hear by e-mail from the school server (opt-in: nothing without an address and a
 * choice), and the rules for what they send. The e-mail itself only ever says *that* something waits, with a link:
 * what is in an observation stays in the app (src/core/notify/notices.ts).
 */
import { isValidEmail } from '../sync/content';
import type { Role } from '../model/records';

/**
 * - `request`: a colleague asks me to come and look (or a coach asks for my lesson);
 * - `handedOver`: feedback on my lesson was handed over to me;
 * - `reflection`: the teacher I gave feedback to reflected on it, or marked it discussed;
 * - `calendar`: an invitation in my calendar for a planned visit, its changes and its cancellation;
 * - `reminder`: something of mine has waited a number of school days;
 * - `digest`: (school leaders) a weekly count of how the school's cycles move, never who or what.
 */
export const NOTICE_KINDS = ['request', 'handedOver', 'reflection', 'calendar', 'reminder', 'digest'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** The kinds a person with this role may choose: the weekly digest is for school leaders. */
export const noticeKindsFor = (role: Role): NoticeKind[] =>
  NOTICE_KINDS.filter((kind) => kind !== 'digest' || role === 'leader');

/** A person's e-mail choice as the server keeps it. */
export interface MailSettings {
  address: string;
  kinds: NoticeKind[];
}

/** What `GET /api/mail/settings` answers. */
export interface MailSettingsAnswer {
  /** Whether this server sends e-mail at all (SMTP configured). */
  sending: boolean;
  /** The kinds this person may choose. */
  offered: NoticeKind[];
  /** Their choice; absent: no e-mail. */
  settings?: MailSettings;
  /**
   * With `settings`: whether the address is confirmed (the staff list's, or by the link sent to it). Nothing is sent
   * to an address that is not.
   */
  confirmed?: boolean;
  /** The address the school gave for them (the staff list), to propose; only ever their own. */
  suggestedAddress?: string;
}

/**
 * An address mail is sent to: besides the form every address has (`isValidEmail`), none of the characters that quote,
 * group or separate addresses in a mail header, so it is always one mailbox.
 */
const PLAIN_ADDRESS = /^[^\s@,;:<>()[\]"\\]+@[^\s@,;:<>()[\]"\\]+$/;

export type MailSettingsProblem = 'invalid-address' | 'unknown-kind' | 'kind-not-offered';

/**
 * Why these settings cannot be kept for a person with this role, or undefined. The address is trimmed first
 * (`normaliseMailSettings`).
 */
export function mailSettingsProblem(settings: MailSettings, role: Role): MailSettingsProblem | undefined {
  if (!isValidEmail(settings.address) || !PLAIN_ADDRESS.test(settings.address)) return 'invalid-address';
  if (settings.kinds.some((kind) => !(NOTICE_KINDS as readonly string[]).includes(kind))) return 'unknown-kind';
  const offered = noticeKindsFor(role);
  if (settings.kinds.some((kind) => !offered.includes(kind))) return 'kind-not-offered';
  return undefined;
}

/** The address trimmed, each kind once, in the order of NOTICE_KINDS. */
export const normaliseMailSettings = (settings: MailSettings): MailSettings => ({
  address: settings.address.trim(),
  kinds: NOTICE_KINDS.filter((kind) => settings.kinds.includes(kind)),
});
