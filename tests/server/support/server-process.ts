/**
 * School servers as processes, the way a board runs them, and tablets as plain HTTP clients of them: for the
 * two-process test (tests/server/processes.test.ts) and the propagation benchmark (tests/bench/sync/propagation.ts).
 * Imports no test framework, so the benchmark runs it under plain tsx.
 *
 * A process is src/server/main.ts through tsx, as tests/server/process.test.ts and faults.test.ts run it: the source
 * as it is now, never a dist-server/ built from an older one (`npm start` runs the same code built).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { OutboxChange } from '../../../src/core/sync/change';
import { dropDatabase } from './drop-database';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;
const SETUP_LINE = /Meekijken: open http:\/\/localhost:\d+\/setup#token=([A-Za-z0-9_-]{43}) to set up your school/;

export interface ServerProcess {
  url: string;
  /** The process id (its memory: /proc/<pid>/status on Linux). */
  pid: number;
  lines: string[];
  /** The set-up token this process printed on start, if it printed one. */
  setupToken(): string | undefined;
  /** The last lines it printed (for a failure message). */
  tail(count?: number): string;
  /** SIGTERM, and waits for the exit; the exit code. */
  stop(): Promise<number | null>;
  kill(): void;
}

/** Waits until `condition` holds, checking every 20 ms; throws `what` after `ms`. */
export async function until(condition: () => boolean, ms: number, what: () => string): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > ms) throw new Error(`${what()}: not within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Starts src/server/main.ts on a free port with these settings (`built`: dist-server/main.js, as `npm start` runs it,
 * built beforehand); resolves once it listens.
 */
export async function startServerProcess(
  env: Record<string, string>,
  options: { built?: boolean } = {},
): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'meekijken-process-'));
  const entry = options.built ? ['dist-server/main.js'] : ['--import', 'tsx', 'src/server/main.ts'];
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, entry, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DIST_DIR: path.join(dataDir, 'no-dist'),
      LOG_LEVEL: 'info',
      ...env,
    },
  });
  const lines: string[] = [];
  let buffered = '';
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exitCode = code;
      rmSync(dataDir, { recursive: true, force: true });
      resolve(code);
    }),
  );
  const tail = (count = 40) => [...lines.slice(-count), buffered].join('\n');
  await until(
    () => exitCode !== undefined || lines.some((line) => LISTENING.test(line)),
    60_000,
    () => `the server process listens\n${tail()}`,
  );
  if (exitCode !== undefined) throw new Error(`the server process exited (${exitCode}) before it listened:\n${tail()}`);
  return {
    url: lines.map((line) => line.match(LISTENING)).find(Boolean)![1]!,
    pid: child.pid!,
    lines,
    setupToken: () => lines.map((line) => line.match(SETUP_LINE)).find(Boolean)?.[1],
    tail,
    async stop() {
      if (exitCode === undefined) child.kill('SIGTERM');
      return exited;
    },
    kill() {
      if (exitCode === undefined) child.kill('SIGKILL');
    },
  };
}

/** A new, empty database beside the one `adminUrl` names; its URL, and a function that drops it. */
export async function freshPostgresDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `meekijken_processes_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropDatabase(adminUrl, name) };
}

export interface Answer {
  status: number;
  // The JSON of an answer, read field by field by the caller.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  json: any;
  headers: Headers;
}

/** One API call as a tablet makes it: JSON in and out, the session as a bearer token. */
export async function call(
  url: string,
  method: string,
  route: string,
  body?: unknown,
  token?: string,
): Promise<Answer> {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, json, headers: response.headers };
}

/**
 * A sign-in from another address of this machine (127.0.0.2, 127.0.0.3 …: all of 127/8 is the loopback), so a test
 * has addresses of its own for the per-address limit. Resolves with the status.
 */
export function signInFrom(url: string, localAddress: string, code: string): Promise<number> {
  const target = new URL('/api/sign-in', url);
  const body = JSON.stringify({ code });
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      target,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 15_000,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The session token a response's cookie carries. */
function cookieToken(headers: Headers): string {
  const cookie = headers.getSetCookie().find((each) => /^(__Host-)?meekijken-/.test(each));
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(headers.getSetCookie())}`);
  return cookie.slice(cookie.indexOf('=') + 1).split(';')[0]!;
}

export interface Tablet {
  personId: string;
  token: string;
}

/** Sets up a school through a set-up token; its administrator's tablet. */
export async function setUpSchool(url: string, token: string): Promise<Tablet> {
  const setup = await call(url, 'POST', '/api/setup', {
    token,
    schoolName: 'De Regenboog',
    adminName: 'Anna de Vries',
    deviceLabel: 'laptop',
  });
  if (setup.status !== 201) throw new Error(`set-up answered ${setup.status}: ${JSON.stringify(setup.json)}`);
  return { personId: setup.json.person.id, token: cookieToken(setup.headers) };
}

/** The administrator adds a teacher (on `adminUrl`); the teacher signs in with their code on `url`. */
export async function signedInTeacher(adminUrl: string, admin: Tablet, name: string, url: string): Promise<Tablet> {
  const person = await call(adminUrl, 'POST', '/api/people', { name, role: 'teacher', starter: false }, admin.token);
  if (person.status !== 201) throw new Error(`adding ${name} answered ${person.status}`);
  const code = await call(adminUrl, 'POST', `/api/people/${person.json.id}/sign-in-codes`, undefined, admin.token);
  if (code.status !== 201) throw new Error(`a code for ${name} answered ${code.status}`);
  const signIn = await call(url, 'POST', '/api/sign-in', { code: code.json.code, deviceLabel: `iPad ${name}` });
  if (signIn.status !== 200) throw new Error(`${name} signing in answered ${signIn.status}`);
  return { personId: person.json.id, token: cookieToken(signIn.headers) };
}

/**
 * A whole lesson observation of `observed` by `observer`, as the observer's outbox holds it: the draft, a rating,
 * completed, the feedback with a top and a tip, and the hand-over (status `shared`), after which the observed
 * teacher may receive it. `handOver: false` stops before the feedback.
 */
export function observationChanges(
  observer: string,
  observed: string,
  options: { observationId?: string; handOver?: boolean; at?: number } = {},
): OutboxChange[] {
  const id = options.observationId ?? randomUUID();
  const at = options.at ?? Date.now();
  const change = (kind: OutboxChange['kind'], recordId: string, op: OutboxChange['op'], fields: object) => ({
    id: randomUUID(),
    kind,
    recordId,
    op,
    fields: fields as Record<string, unknown>,
    at,
    actor: observer,
  });
  const base = { owner: observer, createdAt: at, updatedAt: at };
  const changes: OutboxChange[] = [
    change('observation', id, 'insert', {
      id,
      ...base,
      instrumentKey: 'meekijken.lesobservatie@1.1.0',
      observerId: observer,
      observedId: observed,
      purpose: 'peer',
      status: 'draft',
      context: {},
      clock: { elapsedMs: 0 },
      position: {},
      startedAt: at,
    }),
    change('response', `${id}:lk-respect`, 'insert', {
      id: `${id}:lk-respect`,
      ...base,
      observationId: id,
      itemId: 'lk-respect',
      rating: 3,
      lookFors: [],
    }),
    change('observation', id, 'patch', { status: 'completed', completedAt: at }),
  ];
  if (options.handOver !== false) {
    changes.push(
      change('feedback', id, 'insert', {
        id,
        ...base,
        observationId: id,
        points: [
          { id: 'p1', kind: 'top', text: 'Heldere uitleg' },
          { id: 'p2', kind: 'tip', text: 'Meer wachttijd' },
        ],
        nextStep: '',
      }),
      change('observation', id, 'patch', { status: 'shared', handedOverAt: at }),
    );
  }
  return changes;
}

/** Only the hand-over of an observation pushed with `handOver: false`: the feedback and status `shared`. */
export function handOverChanges(observer: string, observationId: string): OutboxChange[] {
  return observationChanges(observer, observer, { observationId }).slice(3);
}

export interface EventStream {
  /** Resolves with the moment (performance.now()) the next `name` event arrived; rejects after `timeoutMs`. */
  next(name: string, timeoutMs: number): Promise<number>;
  close(): void;
}

/** A tablet's `GET /api/sync/events`, read as the browser's EventSource reads it: events by name, in order. */
export async function openEventStream(url: string, token: string): Promise<EventStream> {
  const aborted = new AbortController();
  const response = await fetch(`${url}/api/sync/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: aborted.signal,
  });
  if (response.status !== 200) throw new Error(`the event stream answered ${response.status}`);
  const arrived: Array<{ name: string; at: number }> = [];
  const waiters = new Set<() => void>();
  let ended = false;
  void (async () => {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const at = performance.now();
        text += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const name = block.match(/^event: (.*)$/m)?.[1];
          if (name) arrived.push({ name, at });
        }
        for (const wake of [...waiters]) wake();
      }
    } catch {
      // closed by us
    }
    ended = true;
    for (const wake of [...waiters]) wake();
  })();
  return {
    next(name, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const index = arrived.findIndex((event) => event.name === name);
          if (index >= 0) {
            const [event] = arrived.splice(0, index + 1).slice(-1);
            finish();
            resolve(event!.at);
          } else if (ended) {
            finish();
            reject(new Error(`the event stream ended before a "${name}" event`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no "${name}" event within ${timeoutMs} ms`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => aborted.abort(),
  };
}
