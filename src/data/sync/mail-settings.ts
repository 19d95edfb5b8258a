/**
 * A person's e-mail notices on the school server (`/api/mail/settings`): what the server sends and what they chose,
 * saving their own choice, stopping all e-mail (their own; an administrator also a colleague's), and a test e-mail
 * to their own address. Each is one
 * HTTP call made the way sync makes them (`callServer`: same origin, the session cookie, `SyncOffline` /
 * `SyncHttpError`); none works offline. Nothing of it is kept on the tablet: the address is the server's.
 */
import { callServer, SyncHttpError, type Fetch } from './sync-transport';
import { NOTICE_KINDS, type MailSettings, type MailSettingsAnswer, type NoticeKind } from '../../core/notify/settings';
import type { Uuid } from '../../core/model/records';

interface CallOptions {
  /** A fake `fetch` in tests. */
  fetch?: Fetch;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isKindList = (value: unknown): value is NoticeKind[] =>
  Array.isArray(value) && value.every((kind) => (NOTICE_KINDS as readonly unknown[]).includes(kind));

function parseAnswer(value: unknown): MailSettingsAnswer {
  const valid =
    isObject(value) &&
    typeof value.sending === 'boolean' &&
    isKindList(value.offered) &&
    (value.settings === undefined ||
      (isObject(value.settings) && typeof value.settings.address === 'string' && isKindList(value.settings.kinds))) &&
    (value.suggestedAddress === undefined || typeof value.suggestedAddress === 'string') &&
    (value.confirmed === undefined || typeof value.confirmed === 'boolean');
  if (!valid) throw new SyncHttpError(200, 'bad-response', "The school server's answer is not valid: mail settings");
  const settings = value.settings as MailSettings | undefined;
  return {
    sending: value.sending as boolean,
    offered: value.offered as NoticeKind[],
    ...(settings ? { settings: { address: settings.address, kinds: settings.kinds } } : {}),
    ...(typeof value.suggestedAddress === 'string' ? { suggestedAddress: value.suggestedAddress } : {}),
    ...(typeof value.confirmed === 'boolean' ? { confirmed: value.confirmed } : {}),
  };
}

const query = (personId: Uuid | undefined) => (personId ? `?personId=${encodeURIComponent(personId)}` : '');

/** My e-mail settings, or (`personId`, an administrator) a colleague's. */
export async function getMailSettings(personId?: Uuid, options: CallOptions = {}): Promise<MailSettingsAnswer> {
  return parseAnswer(await callServer('GET', `/api/mail/settings${query(personId)}`, undefined, options));
}

/**
 * Saves my address and the kinds of notice I want (no kinds: the address is kept, nothing is sent). The server checks
 * them with the core's rules: a wrong address is a `SyncHttpError` 400 with code `invalid-address`.
 */
export async function saveMailSettings(settings: MailSettings, options: CallOptions = {}): Promise<MailSettingsAnswer> {
  const body = { address: settings.address.trim(), kinds: settings.kinds };
  return parseAnswer(await callServer('PUT', '/api/mail/settings', body, options));
}

/** Stops all e-mail: mine, or (`personId`, an administrator) a colleague's. */
export async function stopMail(personId?: Uuid, options: CallOptions = {}): Promise<void> {
  await callServer('DELETE', `/api/mail/settings${query(personId)}`, undefined, options);
}

/**
 * Sends a test e-mail to my saved address at once, or (`confirmation`) its confirmation link again while it is not
 * confirmed. `sent: false` with the mail server's answer (`smtp 550`) when it refused; a `SyncHttpError` 409 (`mail-off`, `no-address`) when the server sends no e-mail or I saved no address.
 */
export async function sendTestMail(
  options: CallOptions = {},
): Promise<{ sent: boolean; why?: string; confirmation?: boolean }> {
  const answer: unknown = await callServer('POST', '/api/mail/test', undefined, options);
  if (
    !isObject(answer) ||
    typeof answer.sent !== 'boolean' ||
    (answer.why !== undefined && typeof answer.why !== 'string') ||
    (answer.confirmation !== undefined && typeof answer.confirmation !== 'boolean')
  )
    throw new SyncHttpError(200, 'bad-response', "The school server's answer is not valid: test e-mail");
  return {
    sent: answer.sent,
    ...(typeof answer.why === 'string' ? { why: answer.why } : {}),
    ...(answer.confirmation === true ? { confirmation: true } : {}),
  };
}
