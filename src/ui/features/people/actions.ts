/**
 * What a user does on the people screen, one function each. Each owns its save key (failed writes of the same
 * thing are retried as one) and passes who is acting, so the write path can refuse what is not theirs to change.
 */
import { addPerson, archivePerson, restorePerson, updatePerson, type PersonInput } from '../../../data/records/people';
import { addTeam, archiveTeam, renameTeam, restoreTeam } from '../../../data/records/teams';
import { setCurrentPerson } from '../../../data/records/device';
import {
  issueSignInCode,
  issueSignInCodes,
  listSignedInDevices,
  revokeDevice,
  revokeSignInCodes,
  type SignedInDevice,
} from '../../../data/sync/school-server';
import { getMailSettings, stopMail } from '../../../data/sync/mail-settings';
import { setHolidays, setSchoolCalendar } from '../../../data/records/school';
import type { SignInCodeMinutes } from '../../../core/sync/sign-in-code';
import type { MailSettingsAnswer } from '../../../core/notify/settings';
import { failureOf, syncOpenAccount, type SyncFailure } from '../../../data/sync/sync';
import { SyncHttpError } from '../../../data/sync/sync-transport';
import { pageWrites } from '../../../data/records/page-writes';
import type { Actor } from '../../../core/model/lifecycle';
import type { Holiday, Uuid } from '../../../core/model/records';
import type { StaffPlan } from '../../../core/people/staff-import';

export const addColleague = (input: PersonInput, actor: Actor) =>
  pageWrites.run('person:new', () => addPerson(input, actor));
export const editColleague = (id: Uuid, input: PersonInput, actor: Actor) =>
  pageWrites.run(`person:${id}`, () => updatePerson(id, input, actor));
export const archiveColleague = (id: Uuid, actor: Actor) =>
  pageWrites.run(`person:${id}`, () => archivePerson(id, actor));
export const restoreColleague = (id: Uuid, actor: Actor) =>
  pageWrites.run(`person:${id}`, () => restorePerson(id, actor));

export const createTeam = (name: string, actor: Actor) => pageWrites.run('team:new', () => addTeam(name, actor));
export const renameTeamTo = (id: Uuid, name: string, actor: Actor) =>
  pageWrites.run(`team:${id}`, () => renameTeam(id, name, actor));
export const archiveTeamNow = (id: Uuid, actor: Actor) => pageWrites.run(`team:${id}`, () => archiveTeam(id, actor));
export const restoreTeamNow = (id: Uuid, actor: Actor) => pageWrites.run(`team:${id}`, () => restoreTeam(id, actor));

/** "This is me": the person whose observations and drafts this tablet shows. */
export const chooseWhoUsesDevice = (id: Uuid) => pageWrites.run('device', () => setCurrentPerson(id));

/**
 * A sign-in code for a colleague, from the school server (a signed-in administrator only). A colleague added on
 * this tablet and not sent yet is unknown to the server (404): this tablet syncs first, then asks again.
 * `onSyncing` tells the screen that it is sending first.
 */
export const makeSignInCode = (personId: Uuid, onSyncing: () => void) =>
  askAfterSync(() => issueSignInCode(personId), onSyncing);

/**
 * Sign-in codes for a group of colleagues at once (a sheet for a study day), each valid `minutes`; like
 * `makeSignInCode`, colleagues not sent yet are sent first.
 */
export const makeSignInSheet = (personIds: readonly Uuid[], minutes: SignInCodeMinutes, onSyncing: () => void) =>
  askAfterSync(() => issueSignInCodes(personIds, minutes), onSyncing);

/** The unused codes of a sheet stop working. */
export async function revokeSignInSheet(
  personIds: readonly Uuid[],
): Promise<{ ok: true; revoked: number } | { ok: false; failure: SyncFailure }> {
  try {
    return { ok: true, revoked: await revokeSignInCodes(personIds) };
  } catch (error) {
    return { ok: false, failure: failureKind(error) };
  }
}

/** Asks the school server; when it does not know a colleague yet (404), syncs first and asks again. */
async function askAfterSync<T>(
  ask: () => Promise<T>,
  onSyncing: () => void,
): Promise<{ ok: true; value: T } | { ok: false; failure: SyncFailure }> {
  try {
    return { ok: true, value: await ask() };
  } catch (error) {
    if (!(error instanceof SyncHttpError && error.status === 404)) return { ok: false, failure: failureKind(error) };
  }
  onSyncing();
  await pageWrites.settled();
  const synced = await syncOpenAccount();
  if (synced?.outcome === 'failed') return { ok: false, failure: synced.failure };
  try {
    return { ok: true, value: await ask() };
  } catch (error) {
    return { ok: false, failure: failureKind(error) };
  }
}

/** A colleague's signed-in devices, from the school server. */
export async function devicesOf(
  personId: Uuid,
): Promise<{ ok: true; devices: SignedInDevice[] } | { ok: false; failure: SyncFailure }> {
  try {
    return { ok: true, devices: await listSignedInDevices(personId) };
  } catch (error) {
    return { ok: false, failure: failureKind(error) };
  }
}

/** Signs a colleague's device out ("Afmelden"). */
export async function signOutDevice(sessionId: string): Promise<{ ok: true } | { ok: false; failure: SyncFailure }> {
  try {
    await revokeDevice(sessionId);
    return { ok: true };
  } catch (error) {
    return { ok: false, failure: failureKind(error) };
  }
}

/**
 * The school's time zone and reminder interval, and its holidays (a school leader's, on the school record: they travel
 * to the server like any change, and count there for e-mail reminders and calendar invitations).
 */
export const saveSchoolCalendar = (choice: { timeZone: string; remindAfterSchoolDays: number }, actor: Actor) =>
  pageWrites.run('school:calendar', () => setSchoolCalendar(choice, actor));
export const saveHolidays = (holidays: readonly Holiday[], actor: Actor) =>
  pageWrites.run('school:holidays', () => setHolidays(holidays, actor));

/**
 * A colleague's e-mail notices, from the school server (an administrator only). `not-on-server`: a colleague added
 * on this tablet and not sent yet, who has no e-mail settings there either.
 */
export async function mailSettingsOf(
  personId: Uuid,
): Promise<{ ok: true; answer: MailSettingsAnswer } | { ok: false; failure: SyncFailure | 'not-on-server' }> {
  try {
    return { ok: true, answer: await getMailSettings(personId) };
  } catch (error) {
    if (error instanceof SyncHttpError && error.status === 404) return { ok: false, failure: 'not-on-server' };
    return { ok: false, failure: failureKind(error) };
  }
}

/** Stops all e-mail to a colleague (an administrator): the server forgets their address and what waited unsent. */
export async function stopMailOf(personId: Uuid): Promise<{ ok: true } | { ok: false; failure: SyncFailure }> {
  try {
    await stopMail(personId);
    return { ok: true };
  } catch (error) {
    return { ok: false, failure: failureKind(error) };
  }
}

function failureKind(error: unknown): SyncFailure {
  const result = failureOf(error);
  return result.outcome === 'failed' ? result.failure : 'protocol';
}

export type { StaffFilePlan } from '../../../data/records/staff-import';

/** The plan for a staff list file: what each line would do. Nothing is written (src/data/records/staff-import.ts). */
export const planStaffList = async (bytes: Uint8Array, importer: Uuid | undefined) =>
  (await import('../../../data/records/staff-import')).planStaffFile(bytes, importer);

/**
 * Writes a confirmed plan, all of it or nothing; a refusal (a colleague who is not an administrator) throws. Not
 * through the save status: it is one deliberate action, answered on the screen.
 */
export const importStaffList = async (plan: Extract<StaffPlan, { ok: true }>, actor: Actor) =>
  (await import('../../../data/records/staff-import')).importStaff(plan, actor);
