/**
 * How the device talks to the school server: five calls behind one small interface, so the sync client
 * (sync.ts) never sees HTTP and its tests use an in-process fake server instead.
 *
 * The server is on the same origin as the app. Its session is an HttpOnly cookie set by sign-in: the device never
 * holds a secret, it only sends the cookie along (`credentials: 'same-origin'`).
 *
 * Failures come back as two kinds of error: `SyncOffline` (no answer at all: no network, the server down, a
 * timeout) and `SyncHttpError` (an answer with an error status, or one that is not what the protocol says).
 */
import { getOpenAccount } from './accounts';
import type { Person } from '../../core/model/records';
import { Check } from 'typebox/value';
import type { TSchema } from 'typebox';
import type { PullResponse, PushRequest, PushResponse, PushResult, SyncRecord } from '../../core/sync/protocol';
import { PullResponseShape, PushResponseShape } from '../../core/sync/protocol-shapes';

/** Who a session belongs to: the answer of sign-in and of `GET /api/me`. */
export interface SessionInfo {
  person: Person;
  school: { id: string; name: string };
  sessionId: string;
}

export interface SyncTransport {
  /** `POST /api/sign-in {code, deviceLabel}`: starts a session on this device (the cookie). */
  signIn(code: string, deviceLabel: string): Promise<SessionInfo>;
  /** `GET /api/me`: whose session the cookie is; 401 when it was revoked or is unknown. */
  me(): Promise<SessionInfo>;
  /** `POST /api/sign-out`: ends the session. */
  signOut(): Promise<void>;
  /** `POST /api/sync/push`: the changes, and the record-schema version the device writes. */
  push(request: PushRequest): Promise<PushResponse>;
  /** `GET /api/sync/pull?since=<cursor>&schemaVersion=<version>`. */
  pull(since: string, schemaVersion: number): Promise<PullResponse>;
}

/** No answer from the server: the device is offline, the server is down, or it took too long. */
export class SyncOffline extends Error {
  constructor(cause?: unknown) {
    super('The school server could not be reached', { cause });
    this.name = 'SyncOffline';
  }
}

/** The server answered with an error status (or with something that is not the protocol). */
export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    /** The server's error code (`{error: {code}}`), or `bad-response` when the answer could not be read. */
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }
}

/**
 * How long one request may take before it counts as "no answer". A pull page of a thousand records is well under
 * a second on a school network; a tablet on a weak Wi-Fi gets half a minute before the next attempt.
 */
const REQUEST_TIMEOUT_MS = 30_000;

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** The browser's `fetch`, called late so a test (or a page) can replace it. */
const browserFetch: Fetch = (input, init) => fetch(input, init);

/**
 * One JSON call to the school server, the way every device call is made: same origin with the session cookie, a
 * timeout, `SyncOffline` for no answer and `SyncHttpError` (with the server's error code) for an error status. The
 * sync calls below use it, and so do an administrator's calls (src/data/sync/school-server.ts) and a leader's team
 * figures (src/data/sync/team-insight.ts).
 */
/** The server's change stream for the account in use (an event stream sends no headers: the account is in the address). */
export function getChangesAddress(): string {
  const account = getOpenAccount()?.personId;
  return account ? `/api/sync/events?account=${encodeURIComponent(account)}` : '/api/sync/events';
}

/** The header that names the account a request is for. */
const ACCOUNT_HEADER = 'x-meekijken-account';

export async function callServer(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  options: { base?: string; fetch?: Fetch; account?: string } = {},
): Promise<unknown> {
  const fetchImpl = options.fetch ?? browserFetch;
  // Whose session this is: a shared tablet keeps a session cookie per signed-in colleague (README, "School server").
  const account = options.account ?? getOpenAccount()?.personId;
  let response: Response;
  try {
    response = await fetchImpl(`${options.base ?? ''}${path}`, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(account ? { [ACCOUNT_HEADER]: account } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      // The service worker never answers /api/ (see vite.config.ts); a request that hangs counts as offline.
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new SyncOffline(error);
  }
  if (response.status === 204) return undefined;
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    if (!response.ok) throw new SyncHttpError(response.status, undefined, `${method} ${path}: ${response.status}`);
    // A body cut off halfway is a connection that broke.
    if (error instanceof DOMException || error instanceof TypeError) throw new SyncOffline(error);
    throw new SyncHttpError(response.status, 'bad-response', `${method} ${path}: the answer is not JSON`);
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    throw new SyncHttpError(
      response.status,
      typeof error?.code === 'string' ? error.code : undefined,
      typeof error?.message === 'string' ? error.message : `${method} ${path}: ${response.status}`,
    );
  }
  return json;
}

/** The real transport: `fetch` to the same origin, with the session cookie. */
export function httpTransport(base = '', fetchImpl: Fetch = browserFetch): SyncTransport {
  const call = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    callServer(method, path, body, { base, fetch: fetchImpl });

  return {
    signIn: async (code, deviceLabel) => parseSession(await call('POST', '/api/sign-in', { code, deviceLabel })),
    me: async () => parseSession(await call('GET', '/api/me')),
    signOut: async () => {
      await call('POST', '/api/sign-out');
    },
    push: async (request) => parsePushResponse(await call('POST', '/api/sync/push', request)),
    pull: async (since, schemaVersion) =>
      parsePullResponse(
        await call('GET', `/api/sync/pull?since=${encodeURIComponent(since)}&schemaVersion=${schemaVersion}`),
      ),
  };
}

// The server is ours, but what it sends is written into the database as it is: a malformed answer (a proxy's
// error page, a server of another version) is refused here, before anything is stored.

// The protocol's own shapes (src/core/sync/protocol-shapes.ts), checked by TypeBox's value check: it interprets the
// schema and never evaluates generated code, which the app's Content-Security-Policy forbids.

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether `value` has the shape; `what` names it in the error otherwise. */
function checkShape(shape: TSchema, value: unknown, what: string): void {
  if (!Check(shape, value)) malformed(what);
}

function malformed(what: string): never {
  throw new SyncHttpError(200, 'bad-response', `The school server's answer is not valid: ${what}`);
}

export function parseSession(value: unknown): SessionInfo {
  if (!isObject(value) || !isObject(value.person) || !isObject(value.school)) malformed('session');
  const { person, school, sessionId } = value;
  if (
    typeof person.id !== 'string' ||
    typeof person.name !== 'string' ||
    typeof school.id !== 'string' ||
    typeof school.name !== 'string'
  )
    malformed('session');
  if (typeof sessionId !== 'string') malformed('session id');
  return { person: person as unknown as Person, school: { id: school.id, name: school.name }, sessionId };
}

/** Only the protocol's fields are kept: what the server sends besides them is never stored. */
const recordOf = ({ kind, id, version, data }: SyncRecord): SyncRecord => ({ kind, id, version, data });

function parsePushResponse(value: unknown): PushResponse {
  if (!isObject(value) || !Array.isArray(value.results)) malformed('push results');
  // A refused change's record may come as null from a server that says "none" that way: the same as absent.
  const results = value.results.map((result: unknown) =>
    isObject(result) && result.record === null ? { ...result, record: undefined } : result,
  );
  for (const result of results) checkShape(PushResponseShape.properties.results.items, result, 'push result');
  return {
    results: (results as PushResult[]).map((result): PushResult => ({
      id: result.id,
      outcome: result.outcome,
      ...(result.reason !== undefined ? { reason: result.reason } : {}),
      ...(result.record !== undefined ? { record: recordOf(result.record) } : {}),
    })),
  };
}

function parsePullResponse(value: unknown): PullResponse {
  if (!Check(PullResponseShape, value)) {
    // Which part is wrong, for the message: a record, a gone record, or the page itself.
    const { records, gone } = PullResponseShape.properties;
    if (isObject(value) && Array.isArray(value.records) && Array.isArray(value.gone)) {
      for (const record of value.records) checkShape(records.items, record, 'record');
      for (const item of value.gone) checkShape(gone.items, item, 'gone record');
    }
    malformed('pull page');
  }
  return {
    records: value.records.map(recordOf),
    gone: value.gone.map(({ kind, id }) => ({ kind, id })),
    cursor: value.cursor,
    more: value.more,
  };
}
