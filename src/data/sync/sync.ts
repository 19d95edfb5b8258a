/**
 * The device's side of sync (README, "School server"), for a signed-in account (accounts.ts):
 *
 * - `push` sends the outbox, oldest first, `PUSH_BATCH` at a time. The server's answer removes exactly the entries
 *   it answered (applied, duplicate, refused), and for a refused change puts the server's version of the record
 *   back (or drops the local copy), in one transaction (`applyRemote`, src/data/writes/remote.ts): a crash between sending and
 *   storing the answer leaves the entries in the outbox, and sending them again is harmless (the server answers
 *   `duplicate`). Entries added while a push is on its way stay for the next one.
 * - `pull` asks for what changed since the stored cursor, page after page while `more`, and stores each page with
 *   its cursor in one transaction.
 * - `sync` is push, then pull, never two at once: one at a time per database in this tab, and across tabs through
 *   the Web Locks API where the browser has it. Before anything it asks the server whose session the cookie is: on
 *   a shared tablet a colleague may have signed in since, and this person's changes must never go out in their
 *   name.
 *
 * - Every push and pull says the record-schema version this device writes (its database schema version,
 *   `CURRENT_VERSION`). A server that refuses it (`app-too-old`, `server-too-old`) ends the sync with that failure:
 *   nothing leaves the outbox, and the app asks for its update (src/ui/features/sync/sync-session.svelte.ts).
 *
 * Offline for days: changes queue in the outbox (written with every change, see src/data/writes/outbox.ts) and go when a sync
 * succeeds. Nothing here ever deletes a change the server has not answered.
 */
import { db, deleteDatabase } from '../database/db';
import {
  accountDatabaseName,
  accountKey,
  forgetAccount,
  getOpenAccount,
  rememberAccount,
  setActiveAccount,
  type Account,
} from './accounts';
import { applyRemote, parseIds } from '../writes/remote';
import { saveDeviceSetting } from '../writes/local';
import { takePushBatch } from '../writes/outbox';
import { dropJournals } from '../writes/journal';
import type { SyncStorage } from '../database/page-storage';
import { httpTransport, SyncHttpError, SyncOffline, type SessionInfo, type SyncTransport } from './sync-transport';
import { PUSH_BATCH } from '../../core/sync/protocol';
import { CURRENT_VERSION } from '../database/schema';
import type { Uuid } from '../../core/model/records';
import type { RecordKind } from '../../core/sync/change';

/** Why the last sync did not succeed. */
export type SyncFailure =
  /** No answer: no network, the server down or too slow. Everything stays queued. */
  | 'offline'
  /** The server answered 5xx or 429: try again later, waiting longer each time. */
  | 'server'
  /** The server's answer was not the protocol (another version?), or it refused the request. */
  | 'protocol'
  /**
   * This app writes an older record-schema version than the server accepts (`app-too-old`): it must be updated to
   * sync again. Not tried again by itself; everything stays queued.
   */
  | 'app-too-old'
  /** This app is newer than the school server (`server-too-old`): the server must be updated first. */
  | 'server-too-old'
  /** This device's storage failed (full, blocked). */
  | 'device';

/** Why this account no longer syncs until someone signs in again. */
export type SignedOutReason =
  /** The server does not know the session any more (revoked by an administrator, expired). */
  | 'session-ended'
  /** The tablet's session belongs to another person now (a colleague signed in since). */
  | 'other-account';

/** The outcome of the last sync, kept with the account's data (a device setting), so every tab sees it. */
type SyncState =
  | { phase: 'ok'; at: number; refused?: number }
  | { phase: 'failed'; failure: SyncFailure; detail?: string; at: number; lastSuccessAt?: number }
  | { phase: 'signed-out'; reason: SignedOutReason; at: number };

/**
 * A change of this device the school server refused: the device shows its author what it was and why, until they
 * have seen it (`dismissNotSent`), instead of sending it for ever or dropping it silently. The device already holds
 * the server's version again (or none).
 */
interface NotSentChange {
  changeId: string;
  kind: RecordKind;
  recordId: string;
  /** The server's reason (a writer rule, a content check such as `invalid-text`, or `unstorable`). */
  reason: string;
  /** When the change was made on this device. */
  at: number;
  /** The start of the text it held, when it held one, so its author recognises it. */
  preview?: string;
}

/** How many refused changes are kept to show; older ones go first. */
const NOT_SENT_KEPT = 50;

export interface SyncStatus {
  /** Changes waiting in the outbox. */
  pending: number;
  /** Changes the server refused, not yet seen by their author. */
  notSent: NotSentChange[];
  /** The last sync's outcome; undefined before the first. */
  state: SyncState | undefined;
  /** Observations a pull brought that were newly handed over to this person and are not read yet. */
  newFeedback: number;
}

/** For the status line: the outbox, the last outcome, new feedback. Read with a live query. */
export async function getSyncStatus(): Promise<SyncStatus> {
  const database = db();
  return database.transaction('r', database.outbox, database.device, database.reflections, async () => {
    const [pending, state, fresh, notSent] = await Promise.all([
      database.outbox.count(),
      database.device.get('syncState'),
      database.device.get('syncNewFeedback'),
      database.device.get(NOT_SENT_KEY),
    ]);
    const ids = parseIds(fresh?.value);
    const reflections = ids.length ? await database.reflections.bulkGet(ids) : [];
    return {
      pending,
      notSent: parseNotSent(notSent?.value),
      state: parseState(state?.value),
      newFeedback: reflections.filter((r) => r?.readAt === undefined).length,
    };
  });
}

const NOT_SENT_KEY = 'syncNotSent' as const;

function parseNotSent(value: string | undefined): NotSentChange[] {
  try {
    const list = JSON.parse(value ?? '[]') as unknown;
    return Array.isArray(list)
      ? list.filter(
          (entry): entry is NotSentChange => typeof entry?.changeId === 'string' && typeof entry?.reason === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

/** The author has seen the refused changes: the list is emptied. */
export async function dismissNotSent(): Promise<void> {
  await saveDeviceSetting({ key: NOT_SENT_KEY, value: '[]' });
}

/** The first words of the text a change held (a note, evidence, a name), to recognise it by. */
function previewOf(fields: Record<string, unknown>): string | undefined {
  for (const key of ['text', 'evidence', 'name', 'nextStep', 'reason', 'focusQuestion']) {
    const value = fields[key];
    if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 80);
  }
  return undefined;
}

/** Changes waiting to be sent (for signing out: never while there are any). */
function countUnsent(): Promise<number> {
  return db().outbox.count();
}

function parseState(value: string | undefined): SyncState | undefined {
  try {
    const state = JSON.parse(value ?? 'null') as SyncState | null;
    return state && ['ok', 'failed', 'signed-out'].includes(state.phase) ? state : undefined;
  } catch {
    return undefined;
  }
}

async function getSyncState(): Promise<SyncState | undefined> {
  return parseState((await db().device.get('syncState'))?.value);
}

async function recordState(state: SyncState): Promise<void> {
  await saveDeviceSetting({ key: 'syncState', value: JSON.stringify(state) });
}

/** The cursor to pull from: '0' before the first pull. */
export async function getSyncCursor(): Promise<string> {
  return (await db().device.get('syncCursor'))?.value ?? '0';
}

/** What a push did. */
export interface PushOutcome {
  /** Changes the server answered (and that left the outbox). */
  answered: number;
  /** Of those, refused: the server's version was put back, or the local copy dropped. */
  refused: number;
}

/**
 * Sends the outbox, oldest first, until it is empty or the server stops answering. Entries written meanwhile are
 * sent in a later batch (or the next push); only answered entries leave the outbox.
 */
export async function push(transport: SyncTransport, batchSize = PUSH_BATCH): Promise<PushOutcome> {
  const outcome: PushOutcome = { answered: 0, refused: 0 };
  for (let first = true; ; first = false) {
    const batch = await takePushBatch(batchSize, first);
    if (batch.length === 0) return outcome;
    const { results } = await transport.push({ changes: batch, schemaVersion: CURRENT_VERSION });
    const sent = new Map(batch.map((entry) => [entry.id, entry]));
    const answered = results.filter((result) => sent.has(result.id));
    // A server that answers none of a batch would have us send it for ever: stop, and say so.
    if (answered.length === 0)
      throw new SyncHttpError(200, 'bad-response', 'The school server answered none of the changes sent');
    const putBack = answered.flatMap((result) =>
      result.outcome === 'refused' && result.record ? [result.record] : [],
    );
    const dropped = answered.flatMap((result) => {
      const entry = sent.get(result.id)!;
      return result.outcome === 'refused' && !result.record ? [{ kind: entry.kind, id: entry.recordId }] : [];
    });
    const notSent: NotSentChange[] = [];
    for (const result of answered) {
      if (result.outcome !== 'refused') continue;
      const entry = sent.get(result.id)!;
      console.warn('Meekijken: the school server refused a change', entry.kind, result.reason);
      const preview = previewOf(entry.fields);
      notSent.push({
        changeId: entry.id,
        kind: entry.kind,
        recordId: entry.recordId,
        reason: result.reason ?? 'refused',
        at: entry.at,
        ...(preview ? { preview } : {}),
      });
    }
    await applyRemote(putBack, dropped, { answered: answered.map((result) => sent.get(result.id)!), overwrite: true });
    if (notSent.length > 0) {
      const known = parseNotSent((await db().device.get(NOT_SENT_KEY))?.value).filter(
        (entry) => !notSent.some((each) => each.changeId === entry.changeId),
      );
      await saveDeviceSetting({
        key: NOT_SENT_KEY,
        value: JSON.stringify([...known, ...notSent].slice(-NOT_SENT_KEPT)),
      });
    }
    outcome.answered += answered.length;
    outcome.refused += putBack.length + dropped.length;
    // Entries the server left unanswered go again next time; pushing on now would only send them again at once.
    if (answered.length < batch.length) return outcome;
  }
}

export interface PullOutcome {
  /** Records received. */
  received: number;
  /**
   * False when a page held a record with a change of this device still waiting: that page keeps its old cursor and
   * comes again after the next push (see `applyRemote`).
   */
  complete: boolean;
}

/** Pulls every page since the stored cursor. */
export async function pull(
  transport: SyncTransport,
  me: Uuid,
  onProgress?: (received: number) => void,
  received = 0,
): Promise<PullOutcome> {
  for (;;) {
    const since = await getSyncCursor();
    const page = await transport.pull(since, CURRENT_VERSION);
    const applied = await applyRemote(page.records, page.gone, { cursor: page.cursor, me });
    received += page.records.length;
    onProgress?.(received);
    if (applied.skipped > 0) return { received, complete: false };
    if (!page.more) return { received, complete: true };
    if (page.cursor === since)
      throw new SyncHttpError(200, 'bad-response', 'The school server said there is more, but its cursor did not move');
  }
}

/**
 * Rounds of push and pull in one sync: a pull that met a record with a change still waiting (made while the sync
 * ran) pushes again and pulls once more; after this many rounds the next sync carries on.
 */
const SYNC_ROUNDS = 3;

export interface SyncOptions {
  transport: SyncTransport;
  account: Pick<Account, 'schoolId' | 'personId'>;
  /** 'push' when the page is being hidden (send what waits, quickly); 'full' otherwise. */
  mode?: 'full' | 'push';
  /** Records received so far, page by page (the first sync's progress). */
  onProgress?: (received: number) => void;
  now?: () => number;
}

export type SyncResult =
  | { outcome: 'done'; pushed: PushOutcome; received: number }
  | { outcome: 'failed'; failure: SyncFailure; detail: string; status?: number }
  | { outcome: 'signed-out'; reason: SignedOutReason };

interface Flight {
  running: Promise<SyncResult>;
  /** One more run after this one, shared by everyone who asked meanwhile. */
  queued?: Promise<SyncResult>;
  queuedOptions?: SyncOptions;
}

const flights = new Map<string, Flight>();
/** Databases being signed out of: no sync starts on them any more. */
const closing = new Set<string>();

/**
 * Push, then pull. One at a time per database: asked while one runs, it runs once more after it (everyone who
 * asked meanwhile shares that run), so a change made during a sync is never left waiting for the next trigger.
 */
export function sync(options: SyncOptions): Promise<SyncResult> {
  const key = db().name;
  const flight = flights.get(key);
  if (!flight) return launch(key, options);
  if (flight.queued) {
    // A full sync asked for while a push-only one waits makes the waiting one full.
    if (options.mode !== 'push') flight.queuedOptions = { ...flight.queuedOptions!, mode: 'full' };
    return flight.queued;
  }
  flight.queuedOptions = options;
  // `running` settles in any case (runSync catches what a sync throws); the catch keeps a broken lock from
  // leaving this queue waiting on a rejection for good.
  flight.queued = flight.running.catch(() => undefined).then(() => launch(key, flight.queuedOptions!));
  return flight.queued;
}

/**
 * One sync of the account this page opened (`getOpenAccount`), with the school server of this origin; undefined on a
 * device-only school. For an action that changed something on the server (the demo school loaded, a person needed
 * there before their sign-in code) and wants it on this tablet now.
 */
export function syncOpenAccount(
  options: Omit<SyncOptions, 'transport' | 'account'> & { transport?: SyncTransport } = {},
): Promise<SyncResult | undefined> {
  const account = getOpenAccount();
  if (!account) return Promise.resolve(undefined);
  return sync({ transport: httpTransport(), ...options, account });
}

function launch(key: string, options: SyncOptions): Promise<SyncResult> {
  const running: Promise<SyncResult> = withSyncLock(() => runSync(key, options)).finally(() => {
    const flight = flights.get(key);
    if (flight?.running === running && !flight.queued) flights.delete(key);
  });
  flights.set(key, { running });
  return running;
}

/**
 * Runs `body` holding the session lock in every tab (Web Locks), where the browser has the API. One lock for the
 * whole origin, not one per account: the session cookie is the origin's, so a sign-in in one tab must not change it
 * under a sync in another, whichever account that tab shows.
 */
async function withSyncLock<T>(body: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return body();
  return locks.request('meekijken-session', body);
}

async function runSync(key: string, options: SyncOptions): Promise<SyncResult> {
  const now = options.now ?? Date.now;
  if (closing.has(key)) return { outcome: 'failed', failure: 'device', detail: 'signing out' };
  let result: SyncResult;
  try {
    const session = await options.transport.me();
    if (session.person.id !== options.account.personId || session.school.id !== options.account.schoolId) {
      result = { outcome: 'signed-out', reason: 'other-account' };
    } else {
      const pushed = await push(options.transport);
      let received = 0;
      for (let round = 1; options.mode !== 'push'; round++) {
        const pulled = await pull(options.transport, options.account.personId, options.onProgress, received);
        received = pulled.received;
        if (pulled.complete || round === SYNC_ROUNDS) break;
        const again = await push(options.transport);
        pushed.answered += again.answered;
        pushed.refused += again.refused;
      }
      result = { outcome: 'done', pushed, received };
    }
  } catch (error) {
    result = failureOf(error);
  }
  try {
    const previous = await getSyncState();
    await recordState(stateOf(result, now(), previous));
  } catch (error) {
    // The outcome could not be stored (storage full): the status line shows the previous one; the result says it.
    console.error('Meekijken could not store the sync status', error);
  }
  return result;
}

/** Sorts an error of a sync into what the status line says and what the scheduler does next. */
export function failureOf(error: unknown): SyncResult {
  if (error instanceof SyncOffline) return { outcome: 'failed', failure: 'offline', detail: error.message };
  if (error instanceof SyncHttpError) {
    if (error.status === 401) return { outcome: 'signed-out', reason: 'session-ended' };
    // Outside the server's support window (README, "School server"): the outbox keeps everything meanwhile.
    if (error.code === 'app-too-old' || error.code === 'server-too-old')
      return { outcome: 'failed', failure: error.code, detail: error.message, status: error.status };
    const failure: SyncFailure = error.status >= 500 || error.status === 429 ? 'server' : 'protocol';
    return { outcome: 'failed', failure, detail: error.message, status: error.status };
  }
  return {
    outcome: 'failed',
    failure: 'device',
    detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  };
}

function stateOf(result: SyncResult, at: number, previous: SyncState | undefined): SyncState {
  if (result.outcome === 'done')
    return { phase: 'ok', at, ...(result.pushed.refused ? { refused: result.pushed.refused } : {}) };
  if (result.outcome === 'signed-out') return { phase: 'signed-out', reason: result.reason, at };
  const lastSuccessAt =
    previous?.phase === 'ok' ? previous.at : previous?.phase === 'failed' ? previous.lastSuccessAt : undefined;
  return {
    phase: 'failed',
    failure: result.failure,
    detail: result.detail,
    at,
    ...(lastSuccessAt ? { lastSuccessAt } : {}),
  };
}

export type SignOutResult =
  | { outcome: 'signed-out' }
  /** Changes the server has not confirmed: nothing was removed. */
  | { outcome: 'unsent'; pending: number }
  /** The server could not be reached to end the session: nothing was removed. */
  | { outcome: 'offline' };

/**
 * Signs this person out of this tablet: ends the session on the server and deletes their database from the tablet.
 * Never while the outbox holds changes the server has not confirmed (`unsent`), unless `discardUnsent` (which the
 * screen offers only after a second confirmation that names what is lost). Waits for a sync in flight first.
 *
 * The session is ended only when the tablet's cookie is still this person's: a colleague may have signed in on this
 * tablet since, and their session is theirs. The server must be reachable (or already have ended the session):
 * otherwise a live session would stay in the browser with nobody shown as signed in.
 */
export async function signOut(options: {
  transport: SyncTransport;
  account: Account;
  discardUnsent?: boolean;
  storage?: SyncStorage;
}): Promise<SignOutResult> {
  const name = accountDatabaseName(options.account);
  if (db().name !== name) throw new Error('Sign out of the account in use only');
  await flights.get(name)?.queued?.catch(() => undefined);
  await flights.get(name)?.running.catch(() => undefined);
  return withSyncLock(async () => {
    const pending = await countUnsent();
    if (pending > 0 && !options.discardUnsent) return { outcome: 'unsent', pending };
    try {
      const session = await options.transport.me();
      if (session.person.id === options.account.personId && session.school.id === options.account.schoolId)
        await options.transport.signOut();
    } catch (error) {
      if (error instanceof SyncOffline) return { outcome: 'offline' };
      // 401: the server ended the session already. Anything else: the session may still live; say so.
      if (!(error instanceof SyncHttpError && error.status === 401)) throw error;
    }
    closing.add(name);
    try {
      forgetAccount(accountKey(options.account), options.storage);
      dropJournals(options.storage ?? globalThis.localStorage, name);
      await deleteDatabase(name);
    } finally {
      // The same person may connect again later in this page: a new database of the same name then syncs.
      closing.delete(name);
    }
    return { outcome: 'signed-out' };
  });
}

/**
 * Signs a person in on this tablet with a sign-in code: the server sets the session cookie, and the account is
 * added to the tablet's list (or updated, when this person signed in here before: their database is kept) and
 * made the account in use. The caller reloads the app, which opens that account's database and receives the
 * school (`sync` with progress).
 */
export async function signIn(options: {
  transport: SyncTransport;
  code: string;
  deviceLabel: string;
  storage?: SyncStorage;
  now?: number;
}): Promise<Account> {
  return beginSession({ ...options, start: () => options.transport.signIn(options.code, options.deviceLabel) });
}

/**
 * What every way of getting a session on this tablet ends with (a sign-in code, or setting up a school with its
 * set-up link, see school-server.ts): `start` asks the server for the session (which sets the cookie), then the
 * account is remembered and made the one in use. Holds the session lock: no sync in another tab runs while the
 * cookie changes.
 */
export async function beginSession(options: {
  start: () => Promise<SessionInfo>;
  deviceLabel: string;
  storage?: SyncStorage;
  now?: number;
}): Promise<Account> {
  return withSyncLock(async () => {
    const session = await options.start();
    const account = rememberAccount(
      {
        schoolId: session.school.id,
        schoolName: session.school.name,
        personId: session.person.id,
        personName: session.person.name,
        sessionId: session.sessionId,
        deviceLabel: options.deviceLabel,
        addedAt: options.now ?? Date.now(),
      },
      options.storage,
    );
    setActiveAccount(accountKey(account), options.storage);
    return account;
  });
}
