/**
 * What a signed-in administrator (and the person setting up a school) asks of the school server besides sync:
 * setting up the school with its set-up link, sign-in codes for colleagues, their signed-in devices, the demo
 * school on the server, and uploading this tablet's device-only school. Each is one HTTP call made the way sync
 * makes them (`callServer`: same origin, the session cookie, `SyncOffline` / `SyncHttpError`); none works offline.
 */
import Dexie from 'dexie';
import { alive, databaseName, DEFAULT_WORKSPACE, db, openDatabase, type MeekijkenDb } from '../database/db';
import { createBackup } from '../database/backup';
import { beginSession } from './sync';
import { callServer, parseSession, SyncHttpError, type Fetch } from './sync-transport';
import type { Account } from './accounts';
import type { SyncStorage } from '../database/page-storage';
import type { Person, Uuid } from '../../core/model/records';
import type { SignInCodeMinutes } from '../../core/sync/sign-in-code';

interface CallOptions {
  /** A fake `fetch` in tests. */
  fetch?: Fetch;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function malformed(what: string): never {
  throw new SyncHttpError(200, 'bad-response', `The school server's answer is not valid: ${what}`);
}

export interface SetupRequest {
  /** The set-up link's token (from the link's `#token=…`). */
  token: string;
  schoolName: string;
  adminName: string;
  deviceLabel: string;
  /** The administrator's id in this tablet's device-only school, so uploading it adds no second record of them. */
  personId?: Uuid;
}

/**
 * Sets up the school with a set-up link: the server creates the school and its first administrator and signs this
 * tablet in as them. Then, exactly as after a sign-in code, the account is remembered and made the one in use
 * (`beginSession`); the caller reloads the app into the account's database, which receives the school.
 * A used or wrong link is a `SyncHttpError` with status 403.
 */
export function setUpSchool(
  request: SetupRequest,
  options: CallOptions & { storage?: SyncStorage; now?: number } = {},
): Promise<Account> {
  const { token, schoolName, adminName, deviceLabel, personId } = request;
  const body = {
    token,
    schoolName: schoolName.trim(),
    adminName: adminName.trim(),
    deviceLabel,
    ...(personId ? { personId } : {}),
  };
  return beginSession({
    start: async () => parseSession(await callServer('POST', '/api/setup', body, options)),
    deviceLabel,
    ...(options.storage ? { storage: options.storage } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
}

/** A school kept on this tablet alone (database `meekijken-school`), as the set-up screen offers to upload it. */
export interface DeviceOnlySchool {
  schoolName: string;
  /** Its school leaders: one of them may be the person setting up the server's school ("Ik ben …"). */
  leaders: Person[];
  people: number;
  observations: number;
}

/**
 * Runs `read` on the device-only school's database without creating it when it does not exist (a new tablet), and
 * on the page's own connection when that is the one open.
 */
async function withDeviceOnlyDatabase<T>(read: (database: MeekijkenDb) => Promise<T>): Promise<T | undefined> {
  const name = databaseName(DEFAULT_WORKSPACE);
  if (db().name === name) return read(db());
  if (!(await Dexie.exists(name))) return undefined;
  const database = openDatabase(name);
  try {
    return await read(database);
  } finally {
    database.close();
  }
}

/** The device-only school on this tablet, if it holds people or observations; undefined otherwise. */
export async function getDeviceOnlySchool(): Promise<DeviceOnlySchool | undefined> {
  const found = await withDeviceOnlyDatabase(async (database) => {
    const [schools, people, observations] = await Promise.all([
      database.schools.toArray(),
      database.people.toArray(),
      database.observations.count(),
    ]);
    const living = people.filter((p) => alive(p));
    return {
      schoolName: schools.find((s) => alive(s))?.name ?? '',
      leaders: living.filter((p) => p.role === 'leader' && !p.archivedAt).sort((a, b) => a.name.localeCompare(b.name)),
      people: living.length,
      observations,
    };
  });
  return found && (found.people > 0 || found.observations > 0) ? found : undefined;
}

export interface ImportResult {
  added: number;
  /** Records the server held already, left as they were. */
  skipped: number;
}

function parseImport(value: unknown): ImportResult {
  if (!isObject(value) || typeof value.added !== 'number' || typeof value.skipped !== 'number')
    malformed('import result');
  return { added: value.added, skipped: value.skipped };
}

/** Records per upload request: well under the server's 5 MB body limit even for long notes. */
const UPLOAD_BATCH = 2_000;

/**
 * Sends the device-only school's records to the server (an administrator's, once after set-up), in parts of
 * `UPLOAD_BATCH` records, parents first (the backup's table order). The server adds what it lacks by id and leaves
 * the rest, so sending it again, or again after a part failed, adds nothing twice. The tablet's device-only database
 * is read, never changed.
 */
export async function uploadDeviceOnlySchool(options: CallOptions = {}): Promise<ImportResult> {
  const backup = await withDeviceOnlyDatabase((database) => createBackup(Date.now(), database));
  if (!backup) return { added: 0, skipped: 0 };
  const total: ImportResult = { added: 0, skipped: 0 };
  for (const tables of uploadParts(backup.tables as Record<string, unknown[]>, UPLOAD_BATCH)) {
    const part = parseImport(
      await callServer('POST', '/api/school/records', { format: backup.format, tables }, options),
    );
    total.added += part.added;
    total.skipped += part.skipped;
  }
  return total;
}

/** The tables cut into parts of at most `size` records, in order. */
export function uploadParts(tables: Record<string, unknown[]>, size: number): Array<Record<string, unknown[]>> {
  const parts: Array<Record<string, unknown[]>> = [];
  let current: Record<string, unknown[]> = {};
  let count = 0;
  for (const [table, records] of Object.entries(tables)) {
    for (let start = 0; start < records.length;) {
      if (count === size) {
        parts.push(current);
        current = {};
        count = 0;
      }
      const slice = records.slice(start, start + size - count);
      current[table] = [...(current[table] ?? []), ...slice];
      count += slice.length;
      start += slice.length;
    }
  }
  if (count > 0) parts.push(current);
  return parts;
}

/** Loads the demo school into the server's school (only while it has no observations: else 409 `school-not-empty`). */
export async function loadDemoOnServer(options: CallOptions = {}): Promise<ImportResult> {
  return parseImport(await callServer('POST', '/api/school/demo', undefined, options));
}

export interface IssuedCode {
  /** 8 characters, as the server gives it (see core/sync/sign-in-code.ts to show it grouped). */
  code: string;
  expiresAt: number;
}

/**
 * A single-use sign-in code for a colleague (an administrator only). A person the server does not know yet (added
 * on this tablet, not yet sent) is a `SyncHttpError` 404 `person-not-found`: sync first.
 */
export async function issueSignInCode(personId: Uuid, options: CallOptions = {}): Promise<IssuedCode> {
  const value = await callServer(
    'POST',
    `/api/people/${encodeURIComponent(personId)}/sign-in-codes`,
    undefined,
    options,
  );
  if (!isObject(value) || typeof value.code !== 'string' || typeof value.expiresAt !== 'number')
    malformed('sign-in code');
  return { code: value.code, expiresAt: value.expiresAt };
}

/** A colleague's code on a sheet for the team. */
export interface SheetCode extends IssuedCode {
  personId: Uuid;
}

/**
 * Sign-in codes for several colleagues at once, each valid `minutes` (src/core/sync/sign-in-code.ts), all or none.
 * A colleague the server does not know yet is a `SyncHttpError` 404: sync first.
 */
export async function issueSignInCodes(
  personIds: readonly Uuid[],
  minutes: SignInCodeMinutes,
  options: CallOptions = {},
): Promise<SheetCode[]> {
  const value = await callServer('POST', '/api/sign-in-codes', { personIds, minutes }, options);
  if (!isObject(value) || !Array.isArray(value.codes)) malformed('sign-in codes');
  return (value.codes as unknown[]).map((entry) => {
    if (
      !isObject(entry) ||
      typeof entry.personId !== 'string' ||
      typeof entry.code !== 'string' ||
      typeof entry.expiresAt !== 'number'
    )
      malformed('sign-in code');
    return { personId: entry.personId, code: entry.code, expiresAt: entry.expiresAt };
  });
}

/** The unused codes of these colleagues stop working. Returns how many there were. */
export async function revokeSignInCodes(personIds: readonly Uuid[], options: CallOptions = {}): Promise<number> {
  const value = await callServer('POST', '/api/sign-in-codes/revoke', { personIds }, options);
  if (!isObject(value) || typeof value.revoked !== 'number') malformed('revocation');
  return value.revoked;
}

/** A device a person is signed in on. */
export interface SignedInDevice {
  id: string;
  personId: string;
  deviceLabel: string;
  createdAt: number;
  lastSeenAt: number;
  /** This tablet. */
  current: boolean;
}

/** The devices a person is signed in on (another person's: an administrator only). */
export async function listSignedInDevices(personId: Uuid, options: CallOptions = {}): Promise<SignedInDevice[]> {
  const value = await callServer('GET', `/api/sessions?personId=${encodeURIComponent(personId)}`, undefined, options);
  if (!isObject(value) || !Array.isArray(value.sessions)) malformed('sessions');
  return value.sessions.map((s: unknown) => {
    if (
      !isObject(s) ||
      typeof s.id !== 'string' ||
      typeof s.personId !== 'string' ||
      typeof s.lastSeenAt !== 'number' ||
      typeof s.createdAt !== 'number'
    )
      malformed('session');
    return {
      id: s.id,
      personId: s.personId,
      deviceLabel: typeof s.deviceLabel === 'string' ? s.deviceLabel : '',
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      current: s.current === true,
    };
  });
}

/** Signs a device out ("Afmelden"): its next request is refused. */
export async function revokeDevice(sessionId: string, options: CallOptions = {}): Promise<void> {
  await callServer('DELETE', `/api/sessions/${encodeURIComponent(sessionId)}`, undefined, options);
}
