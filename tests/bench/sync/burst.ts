/**
 * The end of a school day on the school server, with the real protocol over HTTP: a school of ≥ 4,000 observations
 * (the demo generator at a larger size), 60 teachers each signed in on a tablet. First every tablet pulls the school
 * it may see from scratch, all at once; then every tablet pushes the two lessons it observed offline that day (as its
 * outbox sends them: one change per record, status steps one at a time), all at once, and pulls again to check that
 * everything it sent is there.
 *
 * Measured: changes applied per second over the burst, push latency (p50/p95/p99), pushes answered with an error
 * (the tablet sends again), records lost (must be 0), the first pull (time, page latency), and the server process's
 * memory (idle after start, peak during the run). The server runs as `npm start` runs it (dist-server, built here),
 * on PGlite in a directory of its own or on a fresh PostgreSQL database.
 *
 * `npx tsx tests/bench/sync/burst.ts [pglite|postgres]` runs it alone and prints the figures as JSON.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { generateDemoSchool } from '../../../src/core/demo/demo-school';
import type { OutboxChange } from '../../../src/core/sync/change';
import { PUSH_BATCH, type PullResponse, type PushResponse } from '../../../src/core/sync/protocol';
import type { Person } from '../../../src/core/model/records';
import { openDatabase } from '../../../src/server/db/database';
import { migrate } from '../../../src/server/db/migrate';
import { importRecords } from '../../../src/server/sync/import-records';
import { demoRecords } from '../../../src/server/sync/demo-records';
import { shippedInstruments } from '../../../src/server/sync/shipped-instruments';
import { issueSignInCode } from '../../../src/server/accounts/sign-in-codes';
import { freshPostgresDatabase, startServerProcess } from '../../server/support/server-process';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DEVICES = 60;
const LESSONS = 2;
/** 60 teachers, about 16 observations each a year for five years: more than 4,000 observations. */
const SCHOOL = { teachers: DEVICES, teams: 6, years: 5, perYear: 16 };
const INSTRUMENT = 'meekijken.lesobservatie@1.1.0';
/** Pushes that fail before the bench gives up (a broken server, not a slow one). */
const MAX_ERRORS = 200;

export interface BurstFigures {
  engine: 'pglite' | 'postgres';
  devices: number;
  changes: number;
  seconds: number;
  changesPerSecond: number;
  pushes: number;
  pushP50Ms: number;
  pushP95Ms: number;
  pushP99Ms: number;
  errors: number;
  lost: number;
  /** The first pull; `failedPages`: pages answered 503 and asked again. */
  pull: {
    observations: number;
    records: number;
    seconds: number;
    pages: number;
    pageP95Ms: number;
    failedPages: number;
  };
  memoryMb: { idle: number; peak: number };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** Progress on stderr, so a slow step shows where it is. */
const started = performance.now();
export const progress = (what: string) =>
  process.stderr.write(`[sync bench ${((performance.now() - started) / 1000).toFixed(1)} s] ${what}\n`);

/** Builds the server as `npm start` does, once per process. */
let built = false;
export function buildServer(): void {
  if (built) return;
  progress('building the server');
  execFileSync('npx', ['vite', 'build', '--mode', 'server'], { cwd: ROOT, stdio: 'ignore' });
  built = true;
}

/** Resident memory of a process now, in MB (Linux). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+) kB/)?.[1] ?? NaN) / 1024;
}

interface Tablet {
  n: number;
  person: Person;
  observed: Person;
  token: string;
  cursor: string;
}

async function call<T>(url: string, route: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const response = await fetch(`${url}${route}`, {
    ...init,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  if (!response.ok)
    throw Object.assign(new Error(`${route}: ${response.status} ${text.slice(0, 300)}`), { status: response.status });
  return JSON.parse(text) as T;
}

/** One lesson as a tablet's outbox sends it after a day offline: each record once, the status steps in order. */
function lesson(observer: Person, observed: Person, itemIds: readonly string[], at: number): OutboxChange[] {
  const id = randomUUID();
  const base = { owner: observer.id, createdAt: at, updatedAt: at };
  const changes: OutboxChange[] = [];
  const change = (kind: OutboxChange['kind'], recordId: string, op: OutboxChange['op'], fields: object) =>
    changes.push({
      id: randomUUID(),
      kind,
      recordId,
      op,
      fields: fields as Record<string, unknown>,
      at,
      actor: observer.id,
    });
  change('observation', id, 'insert', {
    id,
    ...base,
    instrumentKey: INSTRUMENT,
    observerId: observer.id,
    observedId: observed.id,
    purpose: 'peer',
    status: 'draft',
    context: {},
    clock: { elapsedMs: 0 },
    position: {},
    startedAt: at,
  });
  itemIds.forEach((itemId, i) => {
    const responseId = `${id}:${itemId}`;
    change('response', responseId, 'insert', {
      id: responseId,
      ...base,
      observationId: id,
      itemId,
      rating: 1 + (i % 4),
      lookFors: [],
      ...(i % 3 === 0 ? { evidence: `Gezien bij ${itemId}: de leerkracht wacht en vraagt door.` } : {}),
    });
  });
  for (let i = 0; i < 5; i++) {
    const noteId = randomUUID();
    change('note', noteId, 'insert', {
      id: noteId,
      ...base,
      observationId: id,
      text: `Moment ${i + 1}: de leerlingen werken samen aan de opdracht.`,
      lessonMs: (i + 1) * 300_000,
    });
  }
  change('observation', id, 'patch', { status: 'completed', completedAt: at + 1, updatedAt: at + 1 });
  change('feedback', id, 'insert', {
    id,
    ...base,
    observationId: id,
    points: [
      { id: 'p1', kind: 'top', text: 'Een rustige, duidelijke start.' },
      { id: 'p2', kind: 'tip', text: 'Laat leerlingen het lesdoel zelf verwoorden.' },
    ],
    nextStep: '',
  });
  change('observation', id, 'patch', { status: 'shared', handedOverAt: at + 2, updatedAt: at + 2 });
  return changes;
}

/** The rated items of an instrument, in order. */
function itemsOf(key: string): string[] {
  const instrument = shippedInstruments().find((i) => `${i.id}@${i.version}` === key)!;
  const ids: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      if (Array.isArray(object.items))
        for (const item of object.items as Array<{ id: string; response?: { type?: string } }>)
          if (item.response?.type === 'rating') ids.push(item.id);
      for (const [key, child] of Object.entries(object)) if (key !== 'items') walk(child);
    }
  };
  walk(instrument.domains);
  return ids;
}

/** Fills the school straight into the database (before the server opens it) and makes a code per tablet. */
async function prepareSchool(connection: { url?: string; dataDir?: string }, now: number) {
  const database = await openDatabase(connection);
  try {
    await migrate(database);
    const schoolId = randomUUID();
    const schoolGenerated = performance.now();
    const demo = generateDemoSchool({
      instruments: shippedInstruments(),
      now,
      teachers: SCHOOL.teachers,
      teams: SCHOOL.teams,
      years: SCHOOL.years,
      observationsPerTeacherPerYear: SCHOOL.perYear,
    });
    await database.query('INSERT INTO schools (id, name, created_at) VALUES ($1, $2, $3)', [schoolId, 'Bench', now]);
    await database.query('INSERT INTO school_versions (school_id) VALUES ($1)', [schoolId]);
    progress(`generated in ${Math.round(performance.now() - schoolGenerated)} ms; storing`);
    await database.transaction((tx) => importRecords(tx, schoolId, demoRecords(demo, now)));
    progress('stored');
    const teachers = demo.people.filter((p) => p.role === 'teacher').slice(0, DEVICES);
    const codes: string[] = [];
    for (const person of teachers)
      codes.push(
        (await issueSignInCode(database, Date.now(), { schoolId, personId: person.id, createdBy: person.id })).code,
      );
    return { teachers, codes, observations: demo.observations.length };
  } finally {
    await database.close();
  }
}

/** Pulls from the tablet's cursor until nothing more waits; returns what came and each page's latency. */
/**
 * Pulls from the tablet's cursor until nothing more waits; returns what came. Each page's latency goes to `pages`; a
 * page answered 503 (the server's database connections all busy for too long) is asked again after a second, as a
 * tablet does at its next sync, and counted in `failed`.
 */
async function pullAll(
  url: string,
  tablet: Tablet,
  pages: number[],
  failed = { count: 0 },
): Promise<PullResponse['records']> {
  const records: PullResponse['records'] = [];
  for (;;) {
    const started = performance.now();
    let page: PullResponse;
    try {
      page = await call<PullResponse>(url, `/api/sync/pull?since=${tablet.cursor}`, { token: tablet.token });
    } catch (error) {
      if ((error as { status?: number }).status !== 503 || ++failed.count > MAX_ERRORS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    pages.push(performance.now() - started);
    records.push(...page.records);
    tablet.cursor = page.cursor;
    if (!page.more) return records;
  }
}

export async function benchBurst(options: { engine: 'pglite' | 'postgres'; adminUrl?: string }): Promise<BurstFigures> {
  buildServer();
  const now = Date.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'meekijken-burst-'));
  const postgres = options.engine === 'postgres' ? await freshPostgresDatabase(options.adminUrl!) : undefined;
  try {
    const connection = postgres ? { url: postgres.url } : { dataDir: path.join(dir, 'pglite') };
    progress(`${options.engine}: filling a school of ${SCHOOL.teachers * SCHOOL.years * SCHOOL.perYear} observations`);
    const school = await prepareSchool(connection, now);
    progress(`${options.engine}: starting the server`);
    const server = await startServerProcess(
      {
        DATA_DIR: dir,
        // Each tablet signs in from an address of its own (as through a proxy), so the per-address limit holds.
        TRUST_PROXY: '1',
        ...(postgres ? { DATABASE_URL: postgres.url } : {}),
      },
      { built: true },
    );
    const memory = () => rssMb(server.pid);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, memory())), 100);
    try {
      const tablets: Tablet[] = [];
      for (const [n, person] of school.teachers.entries()) {
        const response = await fetch(`${server.url}/api/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.20.${n >> 8}.${n & 255}` },
          body: JSON.stringify({ code: school.codes[n], deviceLabel: `iPad ${n + 1}` }),
        });
        if (!response.ok) throw new Error(`sign-in ${n}: ${response.status} ${await response.text()}`);
        const cookie = response.headers.getSetCookie().find((each) => /^(__Host-)?meekijken-/.test(each))!;
        const token = cookie.slice(cookie.indexOf('=') + 1).split(';')[0]!;
        tablets.push({ n, person, observed: school.teachers[(n + 1) % school.teachers.length]!, token, cursor: '0' });
      }
      const idle = memory();
      progress(`${options.engine}: ${tablets.length} tablets signed in; pulling`);

      // Every tablet pulls the school from scratch, all at once.
      const pages: number[] = [];
      const failedPages = { count: 0 };
      const pullStarted = performance.now();
      const pulled = await Promise.all(tablets.map((tablet) => pullAll(server.url, tablet, pages, failedPages)));
      const pull = {
        observations: school.observations,
        records: pulled.reduce((sum, records) => sum + records.length, 0),
        seconds: round((performance.now() - pullStarted) / 1000),
        pages: pages.length,
        pageP95Ms: Math.round(percentile(pages, 95)),
        failedPages: failedPages.count,
      };

      progress(`${options.engine}: pulled ${pull.records} records in ${pull.seconds} s; the burst`);
      // The burst: every tablet sends its two lessons, one push after the other, all tablets at once.
      const items = itemsOf(INSTRUMENT);
      const outboxes = tablets.map((tablet) =>
        Array.from({ length: LESSONS }, (_, i) => lesson(tablet.person, tablet.observed, items, now + i * 3_600_000)),
      );
      const latencies: number[] = [];
      let errors = 0;
      const burstStarted = performance.now();
      await Promise.all(
        tablets.map(async (tablet, t) => {
          for (const changes of outboxes[t]!)
            for (let start = 0; start < changes.length; start += PUSH_BATCH) {
              const batch = changes.slice(start, start + PUSH_BATCH);
              for (;;) {
                const started = performance.now();
                try {
                  const { results } = await call<PushResponse>(server.url, '/api/sync/push', {
                    method: 'POST',
                    token: tablet.token,
                    body: JSON.stringify({ changes: batch }),
                  });
                  latencies.push(performance.now() - started);
                  const refused = results.filter((r) => r.outcome === 'refused');
                  if (refused.length > 0) {
                    const change = batch.find((c) => c.id === refused[0]!.id);
                    throw Object.assign(new Error(`refused (${refused[0]!.reason}): ${JSON.stringify(change)}`), {
                      status: 200,
                    });
                  }
                  break;
                } catch (error) {
                  // No answer or a server error: the tablet sends the same again (a second later), as the app does.
                  const status = (error as { status?: number }).status;
                  if (status !== undefined && status < 500) throw error;
                  if (++errors <= 3) progress(`a push failed, sent again: ${String(error).slice(0, 300)}`);
                  if (errors > MAX_ERRORS) throw new Error(`more than ${MAX_ERRORS} pushes failed`, { cause: error });
                  await new Promise((resolve) => setTimeout(resolve, 1000));
                }
              }
            }
        }),
      );
      const seconds = (performance.now() - burstStarted) / 1000;
      const changes = outboxes.flat(2).length;

      progress(`${options.engine}: ${changes} changes in ${round(seconds)} s; checking`);
      // Everything each tablet sent is on the server: its next pull brings its own lessons back, as sent.
      let lost = 0;
      await Promise.all(
        tablets.map(async (tablet, t) => {
          const records = await pullAll(server.url, tablet, []);
          const held = new Map(records.map((r) => [`${r.kind}:${r.id}`, r.data]));
          for (const change of outboxes[t]!.flat())
            for (const [field, value] of Object.entries(change.fields)) {
              const record = held.get(`${change.kind}:${change.recordId}`);
              const last = outboxes[t]!.flat().findLast(
                (c) => c.kind === change.kind && c.recordId === change.recordId && field in c.fields,
              );
              if (!record || (last === change && JSON.stringify(record[field]) !== JSON.stringify(value))) {
                lost++;
                break;
              }
            }
        }),
      );
      clearInterval(sampler);
      return {
        engine: options.engine,
        devices: tablets.length,
        changes,
        seconds: round(seconds),
        changesPerSecond: Math.round(changes / seconds),
        pushes: latencies.length,
        pushP50Ms: Math.round(percentile(latencies, 50)),
        pushP95Ms: Math.round(percentile(latencies, 95)),
        pushP99Ms: Math.round(percentile(latencies, 99)),
        errors,
        lost,
        pull,
        memoryMb: { idle: Math.round(idle), peak: Math.round(Math.max(peak, idle)) },
      };
    } finally {
      clearInterval(sampler);
      await server.stop();
    }
  } finally {
    await postgres?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const engine = (process.argv[2] ?? 'pglite') as 'pglite' | 'postgres';
  const adminUrl = process.env.DATABASE_URL ?? process.env.MEEKIJKEN_TEST_DATABASE_URL;
  console.log(JSON.stringify(await benchBurst({ engine, adminUrl })));
}
