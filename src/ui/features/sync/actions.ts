/**
 * What a person does with the school server on this tablet, one function each: connect (sign in with a code),
 * receive the school, sync now, switch accounts, sign out. The HTTP calls are behind the transport
 * (src/data/sync/sync-transport.ts); switching the database reloads the app, which closes the old one and makes every
 * screen read the new one (simplest, and nothing can keep reading the old database).
 */
import { getOpenAccount, accountKey, setActiveAccount, type Account } from '../../../data/sync/accounts';
import { setCurrentPerson } from '../../../data/records/device';
import {
  dismissNotSent,
  failureOf,
  signIn,
  signOut,
  syncOpenAccount,
  type SignOutResult,
  type SyncFailure,
  type SyncResult,
} from '../../../data/sync/sync';
import { httpTransport, SyncHttpError, SyncOffline } from '../../../data/sync/sync-transport';
import {
  listSignedInDevices,
  revokeDevice,
  setUpSchool,
  uploadDeviceOnlySchool,
  type ImportResult,
  type SetupRequest,
  type SignedInDevice,
} from '../../../data/sync/school-server';
import { getMailSettings, saveMailSettings, sendTestMail, stopMail } from '../../../data/sync/mail-settings';
import { pageWrites } from '../../../data/records/page-writes';
import type { MailSettings, MailSettingsAnswer } from '../../../core/notify/settings';
import type { SyncMode } from './sync-scheduler.svelte';

const transport = httpTransport();

/** One sync of the account this page opened; nothing on a device-only school. */
export async function runSync(
  mode: SyncMode = 'full',
  onProgress?: (received: number) => void,
): Promise<SyncResult | undefined> {
  return syncOpenAccount({ transport, mode, ...(onProgress ? { onProgress } : {}) });
}

export type ConnectProblem = 'code' | 'rate-limited' | 'offline' | 'server' | 'storage';

/**
 * Signs in with a code. On success the account is the one in use from the next start: the caller reloads. What is
 * being typed is saved first, into the database that is open now.
 */
export async function connect(
  code: string,
  deviceLabel: string,
): Promise<{ ok: true; account: Account } | { ok: false; problem: ConnectProblem }> {
  await pageWrites.settled();
  try {
    return { ok: true, account: await signIn({ transport, code, deviceLabel }) };
  } catch (error) {
    return { ok: false, problem: sessionProblem(error, (status) => [400, 401, 404, 410].includes(status)) };
  }
}

/** Why getting a session did not work; `refused`: the statuses that mean the code (or link) itself was wrong. */
function sessionProblem(error: unknown, refused: (status: number) => boolean): ConnectProblem {
  if (error instanceof SyncOffline) return 'offline';
  if (error instanceof SyncHttpError) {
    if (refused(error.status)) return 'code';
    if (error.status === 429) return 'rate-limited';
    return 'server';
  }
  // localStorage full or blocked: the account could not be kept.
  console.error('Meekijken could not keep the account', error);
  return 'storage';
}

/**
 * Sets up the school on the server with its set-up link (src/data/sync/school-server.ts `setUpSchool`): the person
 * becomes its first administrator and this tablet's account, exactly as after signing in with a code; the caller
 * reloads to receive the school. Problem `code`: the link is wrong or used (403).
 */
export async function setUpSchoolHere(
  request: SetupRequest,
): Promise<{ ok: true; account: Account } | { ok: false; problem: ConnectProblem }> {
  await pageWrites.settled();
  try {
    return { ok: true, account: await setUpSchool(request) };
  } catch (error) {
    return { ok: false, problem: sessionProblem(error, (status) => status === 403) };
  }
}

/** Sends this tablet's device-only school to the server (once, after set-up); then receives what it added. */
export async function sendTabletSchool(): Promise<
  { ok: true; result: ImportResult } | { ok: false; failure: SyncFailure }
> {
  try {
    return { ok: true, result: await uploadDeviceOnlySchool() };
  } catch (error) {
    const failed = failureOf(error);
    return { ok: false, failure: failed.outcome === 'failed' ? failed.failure : 'protocol' };
  }
}

/** The first sync of a new account's database: this person uses it, then everything they may see arrives. */
export async function receiveSchool(
  account: Account,
  onProgress: (received: number) => void,
): Promise<SyncResult | undefined> {
  await pageWrites.run('device', () => setCurrentPerson(account.personId));
  return runSync('full', onProgress);
}

/** Opens another account on this tablet (or the device-only school: undefined), saving what is typed first. */
export async function switchAccount(key: string | undefined): Promise<void> {
  await pageWrites.settled();
  setActiveAccount(key);
  location.assign(import.meta.env.BASE_URL);
}

/** An account's key, for the screen's list (which account is in use, which to open). */
export const keyOf = (account: Account) => accountKey(account);

export type SignOutOutcome = SignOutResult | { outcome: 'not-saved' };

/**
 * Signs the person in use out of this tablet (see `signOut` in the data layer: never with unsent changes, unless
 * `discardUnsent` after the screen's second confirmation). On success the app reloads without the account.
 */
export async function signOutHere(discardUnsent = false): Promise<SignOutOutcome> {
  const account = getOpenAccount();
  if (!account) return { outcome: 'signed-out' };
  await pageWrites.settled();
  // A change still being written (or one that failed) is not in the outbox yet: it would be lost unseen.
  if (pageWrites.state !== 'saved') return { outcome: 'not-saved' };
  const result = await signOut({ transport, account, discardUnsent });
  if (result.outcome === 'signed-out') location.assign(import.meta.env.BASE_URL);
  return result;
}

/** What went wrong with a call to the server, for a screen's message (signed out counts as a protocol failure). */
function failureKind(error: unknown): SyncFailure {
  const result = failureOf(error);
  return result.outcome === 'failed' ? result.failure : 'protocol';
}

/** My signed-in devices, from the school server (the account screen). */
export async function myDevices(
  personId: string,
): Promise<{ ok: true; devices: SignedInDevice[] } | { ok: false; failure: SyncFailure }> {
  try {
    return { ok: true, devices: await listSignedInDevices(personId) };
  } catch (error) {
    return { ok: false, failure: failureKind(error) };
  }
}

/** Signs one of my other devices out (a tablet lost or handed on). */
export async function signOutMyDevice(sessionId: string): Promise<{ ok: true } | { ok: false; failure: SyncFailure }> {
  try {
    await revokeDevice(sessionId);
    return { ok: true };
  } catch (error) {
    return { ok: false, failure: failureKind(error) };
  }
}

/**
 * My e-mail notices on the school server: whether it sends e-mail, what I may choose and what I chose. `unavailable`:
 * a server of a version before e-mail notices, which does not know the route (404).
 */
export async function myMailSettings(): Promise<
  { ok: true; answer: MailSettingsAnswer } | { ok: false; failure: SyncFailure | 'unavailable' }
> {
  try {
    return { ok: true, answer: await getMailSettings() };
  } catch (error) {
    if (error instanceof SyncHttpError && error.status === 404) return { ok: false, failure: 'unavailable' };
    return { ok: false, failure: failureKind(error) };
  }
}

/** Why my e-mail choice was not saved: the server found the address wrong, or the call failed. */
export type MailSaveProblem = 'invalid-address' | SyncFailure;

/** Saves my e-mail address and the kinds of notice I want. */
export async function saveMyMailSettings(
  settings: MailSettings,
): Promise<{ ok: true; answer: MailSettingsAnswer } | { ok: false; problem: MailSaveProblem }> {
  try {
    return { ok: true, answer: await saveMailSettings(settings) };
  } catch (error) {
    if (error instanceof SyncHttpError && error.code === 'invalid-address') return { ok: false, problem: error.code };
    return { ok: false, problem: failureKind(error) };
  }
}

/** Stops all e-mail to me: the school server forgets my address and my choice. */
export async function stopMyMail(): Promise<{ ok: true } | { ok: false; failure: SyncFailure }> {
  try {
    await stopMail();
    return { ok: true };
  } catch (error) {
    return { ok: false, failure: failureKind(error) };
  }
}

/**
 * A test e-mail to my saved address, sent at once (or, while the address is not confirmed, its confirmation link
 * again: `confirmation`): the mail server took it (`sent`), refused it (with its answer), or the call failed.
 */
export async function testMyMail(): Promise<
  | { ok: true; sent: true; confirmation: boolean }
  | { ok: true; sent: false; why: string }
  | { ok: false; failure: SyncFailure }
> {
  try {
    const answer = await sendTestMail();
    return answer.sent
      ? { ok: true, sent: true, confirmation: answer.confirmation === true }
      : { ok: true, sent: false, why: answer.why ?? '' };
  } catch (error) {
    return { ok: false, failure: failureKind(error) };
  }
}

/** The author has seen the changes the school server refused ("Gezien"): the status line stops showing them. */
export function seenNotSent(): Promise<void> {
  return dismissNotSent();
}
