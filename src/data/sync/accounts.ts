/**
 * Accounts on this tablet. A device-only school keeps working as it always did, in the database
 * `meekijken-school`. A person who signs in to a school server gets a database of their own,
 * `meekijken-<schoolId>-<personId>`, so two colleagues sharing a tablet never see each other's data and one can
 * sign out without touching the other's (README, "School server": one local database per signed-in person).
 *
 * The list and which one is in use live in localStorage: they are no secret (the session is an HttpOnly cookie the
 * page cannot read) and they must be known before any database is opened. Switching accounts reloads the app (see
 * `src/ui/features/sync/actions.ts`), which closes the old database and makes every screen read the new one.
 */
import { DEFAULT_WORKSPACE, databaseName, openDatabase, useDatabase } from '../database/db';
import type { SyncStorage } from '../database/page-storage';
import type { Uuid } from '../../core/model/records';

export interface Account {
  schoolId: string;
  schoolName: string;
  personId: Uuid;
  personName: string;
  /** The session the server gave this sign-in (to tell whose the cookie is, never a secret). */
  sessionId: string;
  deviceLabel: string;
  /** When this person first signed in on this tablet. */
  addedAt: number;
}

interface Stored {
  accounts: Account[];
  /** The key of the account in use; absent: the device-only school. */
  active?: string;
}

const STORAGE_KEY = 'meekijken.accounts';

function defaultStorage(): SyncStorage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    // Storage blocked by the browser's settings: no accounts, the device-only school.
    return undefined;
  }
}

/** An account's key: its workspace, and so the name of its database. */
export const accountKey = (account: Pick<Account, 'schoolId' | 'personId'>): string =>
  `${account.schoolId}-${account.personId}`;

/** The database of an account, or of the device-only school. */
export const accountDatabaseName = (account: Pick<Account, 'schoolId' | 'personId'> | undefined): string =>
  databaseName(account ? accountKey(account) : DEFAULT_WORKSPACE);

function read(storage: SyncStorage | undefined): Stored {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null');
    const value = parsed as Partial<Stored> | null;
    if (!value || !Array.isArray(value.accounts)) return { accounts: [] };
    const accounts = value.accounts.filter(
      (a): a is Account =>
        !!a && typeof a.schoolId === 'string' && typeof a.personId === 'string' && typeof a.sessionId === 'string',
    );
    const active =
      typeof value.active === 'string' && accounts.some((a) => accountKey(a) === value.active)
        ? value.active
        : undefined;
    return { accounts, ...(active ? { active } : {}) };
  } catch {
    return { accounts: [] };
  }
}

function store(storage: SyncStorage | undefined, value: Stored): void {
  // A failure here (storage full or blocked) is the caller's to show: the account would be forgotten on reload.
  storage?.setItem(STORAGE_KEY, JSON.stringify(value));
}

/** The accounts on this tablet, in the order they were added. */
export function listAccounts(storage = defaultStorage()): Account[] {
  return read(storage).accounts;
}

/** The account in use, or undefined for the device-only school. */
export function getActiveAccount(storage = defaultStorage()): Account | undefined {
  const { accounts, active } = read(storage);
  return accounts.find((account) => accountKey(account) === active);
}

/**
 * Adds an account after a sign-in, or updates it when this person signed in on this tablet before (a new session,
 * perhaps a new device label): the same person gets the same database back, with everything still in it.
 */
export function rememberAccount(account: Account, storage = defaultStorage()): Account {
  const stored = read(storage);
  const key = accountKey(account);
  const existing = stored.accounts.find((a) => accountKey(a) === key);
  const next = existing ? { ...account, addedAt: existing.addedAt } : account;
  store(storage, {
    ...stored,
    accounts: existing ? stored.accounts.map((a) => (accountKey(a) === key ? next : a)) : [...stored.accounts, next],
  });
  return next;
}

/** Which database the app opens from now on (after a reload): an account's, or the device-only school's (undefined). */
export function setActiveAccount(key: string | undefined, storage = defaultStorage()): void {
  const { accounts } = read(storage);
  if (key !== undefined && !accounts.some((a) => accountKey(a) === key))
    throw new Error(`No account ${key} on this device`);
  store(storage, { accounts, ...(key ? { active: key } : {}) });
}

/** Takes an account off the list (its database is deleted by the caller, see `signOut` in sync.ts). */
export function forgetAccount(key: string, storage = defaultStorage()): void {
  const { accounts, active } = read(storage);
  const rest = accounts.filter((a) => accountKey(a) !== key);
  store(storage, { accounts: rest, ...(active && active !== key ? { active } : {}) });
}

/** The account whose database this page opened at start (see `useActiveDatabase`). */
let opened: Account | undefined;

/**
 * Opens the database of the account in use (or the device-only school's) as the app's database. Called once at
 * start, before anything reads.
 */
export function useActiveDatabase(storage = defaultStorage()): string {
  opened = getActiveAccount(storage);
  const name = accountDatabaseName(opened);
  useDatabase(openDatabase(name));
  return name;
}

/**
 * The account this page works for: the one whose database it opened, which stays so until the page reloads, even
 * when another tab switches accounts meanwhile (that tab's choice holds from this page's next start). Syncing and
 * signing out use this one, never the list's current choice: another person's changes must never be sent from
 * this page's database, nor this database be synced as someone else.
 */
export function getOpenAccount(): Account | undefined {
  return opened;
}
