/**
 * Faults under load, on the real server process (src/server/main.ts through tsx; `npm start` runs the same code built), with
 * several signed-in devices pushing over HTTP the way tablets do: an outbox of changes with ids, sent oldest first,
 * and every change that was not acknowledged sent again, unchanged, after a 503 or a connection that failed.
 *
 * 1. PostgreSQL stops for 20 s under the pushes: the server keeps running, answers 503 `database-unavailable` with
 *    Retry-After (pushes) and 503 (health), and recovers by itself once the database is back, its listening
 *    connection for change events (LISTEN, src/server/sync/change-feed.ts) included.
 * 2. The server is killed (SIGKILL) in the middle of pushes and started again on the same data (PGlite, whose
 *    directory lock the new process takes over, and PostgreSQL).
 *
 * Afterwards every outbox has drained, and the database says: every change id applied exactly once, the school's
 * versions 1…N each handed out once (no gap, no double), and every record each device sent stored with its last
 * value.
 *
 * The outage needs a PostgreSQL cluster the test may stop: never the one the other test files use at the same time.
 * `.ci/run` creates it and sets (CI=true fails the test without them; elsewhere it is skipped):
 * - MEEKIJKEN_FAULT_CLUSTER="<version> <cluster>", for `pg_ctlcluster <version> <cluster> stop -m fast` / `start`;
 * - MEEKIJKEN_FAULT_DATABASE_URL: that cluster, as a role that may create databases.
 * The kill test on PostgreSQL uses MEEKIJKEN_TEST_DATABASE_URL, like every other server test.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/server/db/database';
import type { OutboxChange, RecordKind } from '../../src/core/sync/change';
import { PUSH_BATCH, type PushResponse } from '../../src/core/sync/protocol';
import { TEST_DATABASE_URL } from './support/databases';

const ROOT = path.resolve(__dirname, '../..');
const IN_CI = !!process.env.CI && process.env.CI !== 'false';
const FAULT_CLUSTER = process.env.MEEKIJKEN_FAULT_CLUSTER;
const FAULT_DATABASE_URL = process.env.MEEKIJKEN_FAULT_DATABASE_URL;
const run = promisify(execFile);

const DEVICES = 5;
const OUTAGE_MS = 20_000;
const INSTRUMENT = 'meekijken.lesobservatie@1.1.0';
const ITEMS = [
  'lk-respect',
  'lk-contact',
  'lk-fouten',
  'lk-waardering',
  'km-start',
  'km-afspraken',
  'di-uitleg',
  'di-doel',
];
/** A device's pause between two pushes that were answered, so the file leaves the machine to the other test files too. */
const THINK_MS = 100;
/** A device's pause before it sends again after a 503 or no answer (the app does not wait for Retry-After either). */
const RETRY_MS = 300;
/** A device stops making changes while this many wait in its outbox (a batch stays below PUSH_BATCH). */
const OUTBOX_CAP = 120;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; fails with `what` (and whatever `details` says) when `ms` pass first. */
async function until(
  condition: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
  details: () => string = () => '',
): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await condition()) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms / 1000} s\n${details()}`);
    await delay(100);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The server process

const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;
const SETUP_LINE = /Meekijken: open http:\/\/localhost:\d+\/setup#token=([A-Za-z0-9_-]{43}) to set up your school/;

interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  url: string;
  /** The process ended without the test ending it: the one thing a fault must never cause. */
  exitedByItself(): boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
  tail(count?: number): string;
}

const processes = new Set<ServerProcess>();

async function startServerProcess(env: Record<string, string>, dataDir: string): Promise<ServerProcess> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DIST_DIR: path.join(dataDir, 'no-dist'),
    LOG_LEVEL: 'info',
    ...env,
  };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: ROOT, env: childEnv });
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
  let endedByTest = false;
  let ended = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      ended = true;
      resolve({ code, signal });
    }),
  );
  const server: ServerProcess = {
    child,
    lines,
    url: '',
    exitedByItself: () => ended && !endedByTest,
    exited,
    kill(signal) {
      endedByTest = true;
      child.kill(signal);
    },
    tail: (count = 60) => [...lines.slice(-count), buffered].join('\n'),
  };
  processes.add(server);
  void exited.then(() => processes.delete(server));
  await until(
    () => ended || lines.some((line) => LISTENING.test(line)),
    60_000,
    'the server process listens',
    () => server.tail(),
  );
  if (ended) throw new Error(`the server process exited before it listened:\n${server.tail()}`);
  server.url = lines.map((line) => line.match(LISTENING)).find(Boolean)![1]!;
  return server;
}

/** Stops a server the way a service manager does, and expects it to finish gracefully. */
async function stopGracefully(server: ServerProcess): Promise<void> {
  server.kill('SIGTERM');
  const exit = await Promise.race([server.exited, delay(20_000).then(() => 'still running' as const)]);
  expect(exit, `the server stops on SIGTERM\n${server.tail()}`).toEqual({ code: 0, signal: null });
}

afterEach(async () => {
  // A test that failed half-way leaves no server behind.
  for (const server of [...processes]) {
    server.kill('SIGKILL');
    await server.exited;
  }
});

// ---------------------------------------------------------------------------------------------------------------
// HTTP: a school set up through its set-up link, and devices signed in with codes

/** An answer's JSON, read field by field: a wrong field fails the test's expect. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type Answer = any;

async function call(
  url: string,
  method: string,
  route: string,
  body: unknown,
  token?: string,
): Promise<{ status: number; json: Answer; headers: Headers }> {
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json, headers: response.headers };
}

/** The session token a response's cookie carries. */
function cookieToken(headers: Headers): string {
  const cookie = headers.getSetCookie().find((each) => /^(__Host-)?meekijken-/.test(each));
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(headers.getSetCookie())}`);
  return cookie.slice(cookie.indexOf('=') + 1).split(';')[0]!;
}

interface School {
  schoolId: string;
  adminId: string;
  adminToken: string;
}

async function setUpSchool(server: ServerProcess): Promise<School> {
  // The link is printed just after the server starts listening.
  const link = () => server.lines.map((line) => line.match(SETUP_LINE)).find(Boolean)?.[1];
  await until(
    () => link() !== undefined || server.exitedByItself(),
    10_000,
    'a set-up link on start',
    () => server.tail(),
  );
  const token = link();
  expect(token, `a set-up link on start\n${server.tail()}`).toBeDefined();
  const setup = await call(server.url, 'POST', '/api/setup', {
    token,
    schoolName: 'De Storm',
    adminName: 'Anna de Vries',
    deviceLabel: 'laptop',
  });
  expect(setup.status, JSON.stringify(setup.json)).toBe(201);
  return { schoolId: setup.json.school.id, adminId: setup.json.person.id, adminToken: cookieToken(setup.headers) };
}

async function signInDevices(server: ServerProcess, school: School, count: number): Promise<Device[]> {
  const devices: Device[] = [];
  for (let n = 1; n <= count; n++) {
    const person = await call(
      server.url,
      'POST',
      '/api/people',
      { name: `Leerkracht ${n}`, role: 'teacher', starter: false },
      school.adminToken,
    );
    expect(person.status, JSON.stringify(person.json)).toBe(201);
    const code = await call(
      server.url,
      'POST',
      `/api/people/${person.json.id}/sign-in-codes`,
      undefined,
      school.adminToken,
    );
    expect(code.status, JSON.stringify(code.json)).toBe(201);
    const signIn = await call(server.url, 'POST', '/api/sign-in', { code: code.json.code, deviceLabel: `iPad ${n}` });
    expect(signIn.status, JSON.stringify(signIn.json)).toBe(200);
    devices.push(new Device(n, person.json.id, cookieToken(signIn.headers), school.adminId));
  }
  return devices;
}

// ---------------------------------------------------------------------------------------------------------------
// A device: a teacher observing a colleague, taking notes and ratings, with an outbox it pushes

interface PushAttempt {
  device: number;
  start: number;
  end: number;
  changes: number;
  status?: number;
  code?: string;
  retryAfter?: string | null;
  /** No answer: the connection failed or timed out. */
  error?: string;
}

type PlainRecord = Record<string, unknown> & { id: string };

class Device {
  /** Changes not acknowledged yet, oldest first. */
  outbox: OutboxChange[] = [];
  /** Every change this device made, in order. */
  readonly made: OutboxChange[] = [];
  /** The records as this device holds them: what the server must end up with. */
  readonly records = new Map<string, { kind: RecordKind; data: PlainRecord }>();
  readonly attempts: PushAttempt[] = [];
  /** What went wrong for this device (a refused change, an unexpected answer). */
  readonly problems: string[] = [];
  answered = 0;
  duplicates = 0;
  inFlight = false;
  producing = true;
  stopped = false;
  private readonly observationId = randomUUID();
  private notes: string[] = [];
  private step = 0;

  constructor(
    readonly n: number,
    readonly personId: string,
    readonly token: string,
    observedId: string,
  ) {
    const at = Date.now();
    this.make('observation', this.observationId, 'insert', {
      id: this.observationId,
      owner: personId,
      createdAt: at,
      updatedAt: at,
      instrumentKey: INSTRUMENT,
      observerId: personId,
      observedId,
      purpose: 'peer',
      status: 'draft',
      context: {},
      clock: { elapsedMs: 0 },
      position: {},
      startedAt: at,
    });
  }

  private make(kind: RecordKind, recordId: string, op: 'insert' | 'patch', fields: Record<string, unknown>): void {
    const change: OutboxChange = { id: randomUUID(), kind, recordId, op, fields, at: Date.now(), actor: this.personId };
    const key = `${kind}:${recordId}`;
    const held = this.records.get(key);
    this.records.set(key, { kind, data: { ...(held?.data ?? {}), ...fields } as PlainRecord });
    this.outbox.push(change);
    this.made.push(change);
  }

  /** A moment of observing: a new note, another version of an earlier one, and a rating (new or changed). */
  produce(): void {
    const at = Date.now();
    this.step++;
    const noteId = randomUUID();
    this.notes.push(noteId);
    this.make('note', noteId, 'insert', {
      id: noteId,
      owner: this.personId,
      createdAt: at,
      updatedAt: at,
      observationId: this.observationId,
      text: `notitie ${this.step}`,
      lessonMs: this.step * 1000,
    });
    const earlier = this.notes[(this.step * 7) % this.notes.length]!;
    this.make('note', earlier, 'patch', { text: `notitie bijgewerkt in stap ${this.step}`, updatedAt: at });
    const itemId = ITEMS[this.step % ITEMS.length]!;
    const responseId = `${this.observationId}:${itemId}`;
    const held = this.records.get(`response:${responseId}`)?.data;
    if (held) this.make('response', responseId, 'patch', { rating: ((held.rating as number) % 4) + 1, updatedAt: at });
    else
      this.make('response', responseId, 'insert', {
        id: responseId,
        owner: this.personId,
        createdAt: at,
        updatedAt: at,
        observationId: this.observationId,
        itemId,
        rating: 1 + (this.step % 4),
        lookFors: [],
      });
  }

  /** Pushes until stopped, or (once it makes no more changes) until its outbox is empty. */
  async run(target: () => string): Promise<void> {
    while (!this.stopped) {
      if (this.producing && this.outbox.length < OUTBOX_CAP) this.produce();
      if (this.outbox.length === 0) {
        if (!this.producing) return;
        await delay(THINK_MS);
        continue;
      }
      const answered = await this.push(target());
      await delay(answered ? THINK_MS : RETRY_MS);
    }
  }

  /** One push of the outbox's oldest changes; whether it was answered 200. */
  private async push(url: string): Promise<boolean> {
    const batch = this.outbox.slice(0, PUSH_BATCH);
    const attempt: PushAttempt = { device: this.n, start: Date.now(), end: 0, changes: batch.length };
    this.inFlight = true;
    try {
      const response = await fetch(`${url}/api/sync/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ changes: batch }),
        signal: AbortSignal.timeout(15_000),
      });
      attempt.status = response.status;
      attempt.retryAfter = response.headers.get('retry-after');
      const text = await response.text();
      if (response.status === 200) {
        const { results } = JSON.parse(text) as PushResponse;
        if (results.length !== batch.length || results.some((result, i) => result.id !== batch[i]!.id)) {
          this.problems.push(
            `push answered ${results.length} results for ${batch.length} changes, or in another order: ${text.slice(0, 500)}`,
          );
        }
        const done = new Set<string>();
        for (const result of results) {
          if (result.outcome === 'applied' || result.outcome === 'duplicate') {
            if (result.outcome === 'duplicate') this.duplicates++;
            done.add(result.id);
          } else {
            // A tablet would put the server's copy back; here every change is valid, so a refusal is a fault.
            this.problems.push(`change ${result.id} refused: ${JSON.stringify(result)}`);
            done.add(result.id);
          }
        }
        this.outbox = this.outbox.filter((change) => !done.has(change.id));
        this.answered++;
        return true;
      }
      try {
        attempt.code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
      } catch {
        attempt.code = `not JSON: ${text.slice(0, 200)}`;
      }
      if (response.status !== 503) {
        this.problems.push(
          `push answered ${response.status} at ${new Date(attempt.start).toISOString()}: ${text.slice(0, 500)}`,
        );
        // A device would stop syncing on an answer it cannot act on; so does this one.
        this.stopped = true;
      }
      return false;
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      attempt.error = cause?.code ?? cause?.message ?? String(error);
      return false;
    } finally {
      attempt.end = Date.now();
      this.inFlight = false;
      this.attempts.push(attempt);
    }
  }
}

/** Devices pushing until told to drain; `drain()` waits until every outbox is empty and every device has ended. */
function startPushing(devices: Device[], target: () => string, server: () => ServerProcess) {
  const runs = devices.map((device) => device.run(target));
  const report = () =>
    devices
      .map(
        (d) =>
          `device ${d.n}: ${d.made.length} made, ${d.outbox.length} waiting, ${d.answered} pushes answered, problems: ${d.problems.join(' | ') || 'none'}`,
      )
      .join('\n') + `\nserver log:\n${server().tail()}`;
  return {
    report,
    async drain(ms: number): Promise<void> {
      for (const device of devices) device.producing = false;
      try {
        await until(
          () => devices.every((d) => d.stopped || (d.outbox.length === 0 && !d.inFlight)),
          ms,
          'every outbox drains',
          report,
        );
      } finally {
        for (const device of devices) device.stopped = true;
        await Promise.all(runs);
      }
    },
    async stop(): Promise<void> {
      for (const device of devices) device.stopped = true;
      await Promise.all(runs);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// What the database must hold afterwards

async function checkDatabase(
  database: Database,
  schoolId: string,
  devices: Device[],
): Promise<{ changes: number; versions: number }> {
  const applied = await database.query<{
    change_id: string;
    person_id: string;
    kind: string;
    record_id: string;
    outcome: string;
    version: number | null;
  }>('SELECT change_id, person_id, kind, record_id, outcome, version FROM applied_changes WHERE school_id = $1', [
    schoolId,
  ]);
  const records = await database.query<{ kind: string; id: string; data: PlainRecord; version: number }>(
    'SELECT kind, id, data, version FROM records WHERE school_id = $1',
    [schoolId],
  );
  const [counter] = await database.query<{ version: number }>(
    'SELECT version FROM school_versions WHERE school_id = $1',
    [schoolId],
  );
  const top = counter!.version;

  // Every change id each device made is there once, applied, as that device's person; and nothing else is.
  const sent = devices.flatMap((device) => device.made.map((change) => ({ change, device })));
  const byId = new Map(applied.map((row) => [row.change_id, row]));
  expect(applied.length, 'one applied_changes row per change sent').toBe(sent.length);
  const wrong = sent.filter(({ change, device }) => {
    const row = byId.get(change.id);
    return (
      !row ||
      row.outcome !== 'applied' ||
      row.person_id !== device.personId ||
      row.kind !== change.kind ||
      row.record_id !== change.recordId ||
      row.version === null
    );
  });
  expect(
    wrong.map(({ change }) => ({ change: change.id, row: byId.get(change.id) ?? 'missing' })),
    'changes not applied exactly once as sent',
  ).toEqual([]);

  // The versions handed out: one per record a push wrote (the changes of one push to one record share the version of
  // its last value), plus the records no push wrote (the school, people, instruments of the set-up). Together
  // exactly 1…N, each once; N is the school's counter.
  const pushed = new Set(sent.map(({ change }) => `${change.kind}:${change.recordId}`));
  const recordOf = new Map<number, Set<string>>();
  for (const row of applied)
    recordOf.set(row.version!, (recordOf.get(row.version!) ?? new Set()).add(`${row.kind}:${row.record_id}`));
  expect(
    [...recordOf].filter(([, keys]) => keys.size > 1).map(([version]) => version),
    'versions given to more than one record',
  ).toEqual([]);
  const versions = [
    ...recordOf.keys(),
    ...records.filter((row) => !pushed.has(`${row.kind}:${row.id}`)).map((row) => row.version),
  ].sort((a, b) => a - b);
  const doubles = versions.filter((version, i) => i > 0 && versions[i - 1] === version);
  expect(doubles, 'versions handed out twice').toEqual([]);
  const missing = Array.from({ length: top }, (_, i) => i + 1).filter((version) => !versions.includes(version));
  expect(missing, `versions missing below the counter (${top})`).toEqual([]);
  expect(versions.length, 'versions handed out, against the counter').toBe(top);
  const recordVersions = records.map((row) => row.version).sort((a, b) => a - b);
  expect(
    recordVersions.filter((version, i) => i > 0 && recordVersions[i - 1] === version),
    'two records with one version',
  ).toEqual([]);

  // Nothing lost: every record a device sent is stored as that device last had it, with its last write's version.
  const stored = new Map(records.map((row) => [`${row.kind}:${row.id}`, row]));
  const lastVersion = new Map<string, number>();
  for (const row of applied) {
    const key = `${row.kind}:${row.record_id}`;
    lastVersion.set(key, Math.max(lastVersion.get(key) ?? 0, row.version ?? 0));
  }
  let checked = 0;
  for (const device of devices) {
    for (const [key, held] of device.records) {
      const row = stored.get(key);
      expect(row?.data, `device ${device.n}'s ${key}`).toEqual(held.data);
      expect(row?.version, `the version of ${key} is its last write's`).toBe(lastVersion.get(key));
      checked++;
    }
  }
  expect(checked).toBe(pushed.size);
  return { changes: sent.length, versions: top };
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL databases of this file, on the fault cluster or on the test cluster

const databases: Array<{ admin: string; name: string }> = [];

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new, empty database beside `adminUrl`'s; returns its URL. Dropped after the file. */
async function freshPostgres(adminUrl: string): Promise<string> {
  const name = `meekijken_fault_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  databases.push({ admin: adminUrl, name });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'meekijken-faults-'));
  dirs.push(dir);
  return dir;
}

// ---------------------------------------------------------------------------------------------------------------
// The fault cluster

interface FaultCluster {
  version: string;
  name: string;
  /** Whether the test stopped it and has not started it again. */
  stopped: boolean;
}
let faultCluster: FaultCluster | undefined;

/** pg_ctlcluster as root, or as the cluster's owner through runuser otherwise. */
async function pgCtlCluster(cluster: FaultCluster, ...args: string[]): Promise<void> {
  const command = ['pg_ctlcluster', cluster.version, cluster.name, ...args];
  const [file, ...rest] = process.getuid?.() === 0 ? command : ['runuser', '-u', 'postgres', '--', ...command];
  await run(file!, rest, { timeout: 60_000 });
}

/** The cluster MEEKIJKEN_FAULT_CLUSTER names, checked to be the one MEEKIJKEN_FAULT_DATABASE_URL reaches, and not `main`'s. */
async function openFaultCluster(): Promise<FaultCluster> {
  const [version, name, ...extra] = (FAULT_CLUSTER ?? '').trim().split(/\s+/);
  if (!version || !name || extra.length > 0)
    throw new Error(`MEEKIJKEN_FAULT_CLUSTER must be "<version> <cluster>"; it is "${FAULT_CLUSTER}"`);
  if (name === 'main')
    throw new Error(
      'MEEKIJKEN_FAULT_CLUSTER must not be "main": the other test files use it while this one stops its cluster',
    );
  if (!FAULT_DATABASE_URL) throw new Error('MEEKIJKEN_FAULT_DATABASE_URL is not set (see .ci/run)');
  const { stdout } = await run('pg_lsclusters', ['-h']);
  const row = stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find(([v, c]) => v === version && c === name);
  if (!row) throw new Error(`pg_lsclusters lists no cluster ${version} ${name}:\n${stdout}`);
  const port = (url: string) => new URL(url).port || '5432';
  if (row[2] !== port(FAULT_DATABASE_URL))
    throw new Error(
      `MEEKIJKEN_FAULT_DATABASE_URL uses port ${port(FAULT_DATABASE_URL)}, but cluster ${version} ${name} listens on ${row[2]}`,
    );
  if (TEST_DATABASE_URL && port(TEST_DATABASE_URL) === row[2])
    throw new Error(
      'the fault cluster is the one MEEKIJKEN_TEST_DATABASE_URL names: the other test files would lose their database',
    );
  const cluster = { version, name, stopped: false };
  // A run that ended while it was stopped (the machine, not a test, ended it) left it down.
  if (row[3] !== 'online') await pgCtlCluster(cluster, 'start');
  return cluster;
}

afterAll(async () => {
  for (const server of [...processes]) {
    server.kill('SIGKILL');
    await server.exited;
  }
  if (faultCluster?.stopped) {
    await pgCtlCluster(faultCluster, 'start');
    faultCluster.stopped = false;
  }
  for (const { admin, name } of databases.splice(0))
    await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------------

const outageSuite = FAULT_CLUSTER || FAULT_DATABASE_URL || IN_CI ? describe : describe.skip;

outageSuite(
  'PostgreSQL stopped for 20 s under pushes (set MEEKIJKEN_FAULT_CLUSTER and MEEKIJKEN_FAULT_DATABASE_URL to run; see .ci/run)',
  () => {
    it(
      'answers 503 while the database is away, never exits, recovers by itself, and applies every change once',
      { timeout: 120_000 },
      async () => {
        if (!FAULT_CLUSTER || !FAULT_DATABASE_URL) {
          throw new Error(
            'CI must run the outage test: set MEEKIJKEN_FAULT_CLUSTER and MEEKIJKEN_FAULT_DATABASE_URL (see .ci/run).',
          );
        }
        const cluster = (faultCluster = await openFaultCluster());
        const url = await freshPostgres(FAULT_DATABASE_URL);
        const server = await startServerProcess({ DATABASE_URL: url }, tempDir());
        const school = await setUpSchool(server);
        const devices = await signInDevices(server, school, DEVICES);
        const pushing = startPushing(
          devices,
          () => server.url,
          () => server,
        );
        const alive = () =>
          expect(server.exitedByItself(), `the server process exited by itself\n${server.tail()}`).toBe(false);

        try {
          await until(() => devices.every((d) => d.answered >= 3), 30_000, 'every device pushes', pushing.report);

          await pgCtlCluster(cluster, 'stop', '-m', 'fast');
          cluster.stopped = true;
          const stoppedAt = Date.now();
          const waitingAtStop = devices.reduce((sum, d) => sum + d.outbox.length, 0);

          // The outage: 20 s from the stop, asking the server's health all along.
          const health: Array<{ start: number; end: number; status?: number; code?: string; error?: string }> = [];
          while (Date.now() - stoppedAt < OUTAGE_MS) {
            const start = Date.now();
            try {
              const answer = await call(server.url, 'GET', '/api/health', undefined);
              health.push({ start, end: Date.now(), status: answer.status, code: answer.json?.error?.code });
            } catch (error) {
              health.push({ start, end: Date.now(), error: String((error as { cause?: unknown }).cause ?? error) });
            }
            alive();
            await delay(500);
          }
          alive();
          // Counted before the start: once back, the server applies what waited within moments.
          const waitingAtEnd = devices.reduce((sum, d) => sum + d.outbox.length, 0);
          const startedAt = Date.now();
          await pgCtlCluster(cluster, 'start');
          cluster.stopped = false;

          // During the outage: health 503 from the first seconds on, every push 503 database-unavailable with a
          // Retry-After, and no device's request left without an answer.
          const during = <T extends { start: number; end: number }>(list: T[]) =>
            list.filter((each) => each.start >= stoppedAt && each.end <= startedAt);
          const first503 = health.find((h) => h.status === 503);
          expect(first503 && first503.end - stoppedAt, 'health answers 503 within 5 s of the stop').toBeLessThan(5_000);
          expect(during(health).length).toBeGreaterThan(10);
          expect(
            during(health).filter((h) => h.status !== 503 || h.code !== 'database-unavailable'),
            'health answers during the outage',
          ).toEqual([]);
          const pushesDuring = during(devices.flatMap((d) => d.attempts));
          expect(pushesDuring.length, 'pushes during the outage').toBeGreaterThan(DEVICES * 5);
          expect(
            pushesDuring.filter(
              (p) => p.status !== 503 || p.code !== 'database-unavailable' || !/^\d+$/.test(p.retryAfter ?? ''),
            ),
            'pushes during the outage that were not 503 database-unavailable with Retry-After',
          ).toEqual([]);
          expect(waitingAtEnd, 'changes waiting on the devices at the end of the outage').toBeGreaterThan(
            waitingAtStop,
          );

          // Back: the same process answers again, without a restart, and every outbox drains.
          const recovery = await until(
            async () =>
              (await call(server.url, 'GET', '/api/health', undefined).catch(() => ({ status: 0 }))).status === 200,
            30_000,
            'health answers 200 again after the database is back',
            () => server.tail(),
          );
          alive();
          // The listening connection for change events comes back too, by itself, and says so.
          await until(
            () => server.lines.some((line) => line.includes('change events: listening to PostgreSQL again')),
            30_000,
            'the change events listen again after the database is back',
            () => server.tail(),
          );
          await pushing.drain(30_000);
          expect(
            devices.flatMap((d) => d.problems),
            pushing.report(),
          ).toEqual([]);
          alive();

          const database = await openDatabase({ url });
          try {
            const { changes, versions } = await checkDatabase(database, school.schoolId, devices);
            console.info(
              `outage: ${changes} changes, school version ${versions}; ${pushesDuring.length} pushes answered 503 during the outage; health 200 again ${recovery} ms after the start; ${devices.reduce((sum, d) => sum + d.duplicates, 0)} duplicates answered`,
            );
          } finally {
            await database.close();
          }
          alive();
          await stopGracefully(server);
        } finally {
          await pushing.stop();
          if (cluster.stopped) {
            await pgCtlCluster(cluster, 'start');
            cluster.stopped = false;
          }
        }
      },
    );
  },
);

describe('kill -9 in the middle of pushes, then a new process on the same data', () => {
  async function killMidPush(kind: 'pglite' | 'postgres'): Promise<void> {
    const dataDir = tempDir();
    const env: Record<string, string> =
      kind === 'postgres' ? { DATABASE_URL: await freshPostgres(TEST_DATABASE_URL!) } : {};
    let server = await startServerProcess(env, dataDir);
    const school = await setUpSchool(server);
    const devices = await signInDevices(server, school, DEVICES);
    const pushing = startPushing(
      devices,
      () => server.url,
      () => server,
    );
    try {
      await until(() => devices.every((d) => d.answered >= 3), 30_000, 'every device pushes', pushing.report);
      await until(() => devices.some((d) => d.inFlight), 5_000, 'a push in flight', pushing.report);
      const inFlight = devices.filter((d) => d.inFlight).length;
      const first = server;
      first.kill('SIGKILL');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
      expect(inFlight).toBeGreaterThan(0);

      server = await startServerProcess(env, dataDir);
      if (kind === 'pglite') {
        expect(server.tail(), 'the new process takes over the dead one’s lock').toMatch(
          new RegExp(`taking over the lock .*: process ${first.child.pid} no longer holds it`),
        );
      }
      // The devices find the server again and send what was not acknowledged; then they stop making changes.
      const answeredBefore = devices.map((d) => d.answered);
      await until(
        () => devices.every((d, i) => d.answered > answeredBefore[i]!),
        30_000,
        'every device pushes to the new process',
        pushing.report,
      );
      await pushing.drain(30_000);
      expect(
        devices.flatMap((d) => d.problems),
        pushing.report(),
      ).toEqual([]);
      expect(server.exitedByItself(), server.tail()).toBe(false);
      const failedAtKill = devices.flatMap((d) => d.attempts).filter((a) => a.error !== undefined).length;
      expect(failedAtKill, 'pushes left without an answer by the kill').toBeGreaterThan(0);

      // PGlite is one process's: the server stops first, then the test opens its files.
      if (kind === 'pglite') await stopGracefully(server);
      const database = await openDatabase(
        kind === 'postgres' ? { url: env.DATABASE_URL! } : { dataDir: path.join(dataDir, 'pglite') },
      );
      try {
        const { changes, versions } = await checkDatabase(database, school.schoolId, devices);
        console.info(
          `kill -9 on ${kind}: ${changes} changes, school version ${versions}; ${inFlight} pushes in flight at the kill; ${devices.reduce((sum, d) => sum + d.duplicates, 0)} duplicates answered`,
        );
      } finally {
        await database.close();
      }
      if (kind === 'postgres') await stopGracefully(server);
    } finally {
      await pushing.stop();
    }
  }

  it(
    'on PGlite: the new process takes over the lock; every change once, versions contiguous, nothing lost',
    { timeout: 90_000 },
    () => killMidPush('pglite'),
  );

  if (TEST_DATABASE_URL) {
    it('on PostgreSQL: every change once, versions contiguous, nothing lost', { timeout: 90_000 }, () =>
      killMidPush('postgres'),
    );
  } else if (IN_CI) {
    it('on PostgreSQL: has a PostgreSQL to run on', () => {
      throw new Error(
        'CI must test on PostgreSQL: set MEEKIJKEN_TEST_DATABASE_URL (see .ci/run and README, "School server").',
      );
    });
  } else {
    it.skip('on PostgreSQL (set MEEKIJKEN_TEST_DATABASE_URL to run)', () => {});
  }
});
