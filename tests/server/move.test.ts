/**
 * Moving a school from PGlite to PostgreSQL (`npm run server:move-to-postgres`, src/server/db/move.ts): a school set
 * up through the app on a PGlite folder is moved to a fresh database, and the server carries on there as if nothing
 * happened: the same rows in every table, sessions that still sign devices in, pull cursors that still hold, and
 * versions that continue after the moved counter. A target in use is refused and left as it was; a failure while
 * copying leaves the target without a row.
 *
 * The target is PostgreSQL (what the command moves to: skipped without MEEKIJKEN_TEST_DATABASE_URL, failing in CI)
 * and, so the copying is tested everywhere, a PGlite database in memory.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxChange } from '../../src/core/sync/change';
import type { PullResponse } from '../../src/core/sync/protocol';
import { openDatabase, type Database } from '../../src/server/db/database';
import { moveDatabase, moveToPostgres, type MoveOptions, type MoveSummary } from '../../src/server/db/move';
import { pullChanges } from '../../src/server/sync/pull';
import { pushChanges, type SyncSession } from '../../src/server/sync/push';
import { forEachDatabase, freshDatabase, TEST_DATABASE_URL, type DatabaseKind } from './support/databases';
import { freshPostgresDatabase } from './support/server-process';
import { bearer, issueCode, setUpSchool, signedInTeacher, testServer, type SignedInPerson } from './support/server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every table the migrations make (a move copies whatever the PGlite database holds; these must be among it). */
const SCHEMA_TABLES = [
  'applied_changes',
  'deliveries',
  'rate_limits',
  'records',
  'school_versions',
  'schools',
  'sessions',
  'setup_tokens',
  'sign_in_codes',
  'summaries',
];

/** JSON with the keys of every object sorted, so equal rows give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

/** Every row of every table but the migrations', as sorted canonical JSON, per table. */
async function snapshot(database: Database): Promise<Record<string, string[]>> {
  const tables = await database.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
     ORDER BY table_name`,
  );
  const result: Record<string, string[]> = {};
  for (const { name } of tables)
    result[name] = (await database.query(`SELECT * FROM "${name}"`)).map((row) => canonical(row)).sort();
  return result;
}

/** Everything a device pulls from `since` until nothing more waits. */
async function pullAll(database: Database, session: SyncSession, since: number): Promise<PullResponse> {
  const all: PullResponse = { records: [], gone: [], cursor: String(since), more: false };
  for (let cursor = since; ;) {
    const page = await pullChanges(database, session, cursor);
    all.records.push(...page.records);
    all.gone.push(...page.gone);
    all.cursor = page.cursor;
    cursor = Number(page.cursor);
    if (!page.more) return all;
  }
}

const syncSession = (who: SignedInPerson): SyncSession => ({
  sessionId: who.sessionId,
  schoolId: who.schoolId,
  person: who.person,
});

let changeCount = 0;
function change(kind: OutboxChange['kind'], recordId: string, op: OutboxChange['op'], fields: object, at: number) {
  return { id: randomUUID(), kind, recordId, op, fields, at: at + ++changeCount, actor: 'x' } as OutboxChange;
}

/** An observation by `observer` of `observed`: a draft, or completed with responses and handed over with feedback. */
function observationChanges(observer: SignedInPerson, observed: SignedInPerson, at: number, complete: boolean) {
  const id = randomUUID();
  const base = { owner: observer.person.id, createdAt: at, updatedAt: at };
  const changes = [
    change(
      'observation',
      id,
      'insert',
      {
        id,
        ...base,
        instrumentKey: 'meekijken.lesobservatie@1.1.0',
        observerId: observer.person.id,
        observedId: observed.person.id,
        purpose: 'peer',
        status: 'draft',
        context: {},
        clock: { elapsedMs: 0 },
        position: {},
        startedAt: at,
      },
      at,
    ),
  ];
  if (!complete) return { id, changes };
  for (const [itemId, rating] of [
    ['lk-respect', 3],
    ['lk-contact', 4],
  ] as const)
    changes.push(
      change(
        'response',
        `${id}:${itemId}`,
        'insert',
        { id: `${id}:${itemId}`, ...base, observationId: id, itemId, rating, lookFors: [] },
        at,
      ),
    );
  changes.push(
    change('observation', id, 'patch', { status: 'completed', completedAt: at + 10 }, at),
    change(
      'feedback',
      id,
      'insert',
      {
        id,
        ...base,
        observationId: id,
        points: [
          { id: 'p1', kind: 'top', text: 'Heldere uitleg' },
          { id: 'p2', kind: 'tip', text: 'Meer wachttijd' },
        ],
        nextStep: '',
      },
      at,
    ),
    change('observation', id, 'patch', { status: 'shared', handedOverAt: at + 20 }, at),
  );
  return { id, changes };
}

interface Target {
  move(pgliteDir: string, options?: MoveOptions): Promise<MoveSummary>;
  open(): Promise<Database>;
  url?: string;
  drop(): Promise<void>;
}

/** An empty database to move to: PostgreSQL through the command's own function, or PGlite in memory. */
async function freshTarget(kind: DatabaseKind): Promise<Target> {
  if (kind === 'postgres') {
    const { url, drop } = await freshPostgresDatabase(TEST_DATABASE_URL!);
    const opened: Database[] = [];
    return {
      url,
      move: (pgliteDir, options) => moveToPostgres(pgliteDir, url, options),
      async open() {
        const database = await openDatabase({ url });
        opened.push(database);
        return database;
      },
      async drop() {
        await Promise.all(opened.map((database) => database.close()));
        await drop();
      },
    };
  }
  const target = await freshDatabase('pglite');
  return {
    async move(pgliteDir, options) {
      const source = await openDatabase({ dataDir: pgliteDir });
      try {
        return await moveDatabase(source, target.database, options);
      } finally {
        await source.close();
      }
    },
    open: async () => target.database,
    drop: () => target.drop(),
  };
}

/** Runs the command from its source, as `npm run server:move-to-postgres` runs it built; its exit code and output. */
function runCommand(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/move-to-postgres-cli.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

const emptyTables = (tables: Record<string, string[]>) =>
  Object.fromEntries(Object.keys(tables).map((name) => [name, [] as string[]]));

forEachDatabase((kind) => {
  describe(`moving a school from PGlite to ${kind}`, () => {
    let dir: string;
    /** The school's PGlite folder (DATA_DIR/pglite). */
    let source: string;
    let admin: SignedInPerson;
    let bram: SignedInPerson;
    let carla: SignedInPerson;
    let rows: Record<string, string[]>;
    let version: number;
    let pulled: PullResponse;

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'meekijken-move-'));
      source = path.join(dir, 'pglite');
      const database = await openDatabase({ dataDir: source });
      try {
        const server = await testServer(database);
        admin = await setUpSchool(server);
        bram = await signedInTeacher(server, admin, 'Bram Jansen');
        carla = await signedInTeacher(server, admin, 'Carla Smit');
        await issueCode(server, admin, carla.person.id); // an unused code
        const at = server.clock.now();
        for (let i = 0; i < 6; i++) {
          const { changes } = observationChanges(bram, carla, at + i * 1000, i < 5);
          const results = await pushChanges(database, syncSession(bram), changes, at + i * 1000);
          expect(results.map((result) => result.outcome)).toEqual(changes.map(() => 'applied'));
        }
        // Carla may not write Bram's observation: a refused change is kept as well.
        const { changes } = observationChanges(bram, carla, at, false);
        expect((await pushChanges(database, syncSession(carla), changes, at))[0]!.outcome).toBe('refused');
        // Carla's tablet receives the handed-over observations: deliveries.
        pulled = await pullAll(database, syncSession(carla), 0);
        expect(pulled.records.filter((record) => record.kind === 'observation')).toHaveLength(5);
        await server.app.close();
        rows = await snapshot(database);
        [{ version } = { version: 0 }] = await database.query<{ version: number }>(
          'SELECT version FROM school_versions',
        );
      } finally {
        await database.close();
      }
      // The school fills every table the migrations make, so each one's copy is checked on real rows.
      expect(Object.keys(rows)).toEqual(expect.arrayContaining(SCHEMA_TABLES));
      for (const table of SCHEMA_TABLES) expect(rows[table]!.length, table).toBeGreaterThan(0);
    }, 120_000);

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('copies every row of every table, and the server carries on where it was', async () => {
      const target = await freshTarget(kind);
      try {
        // A small chunk, so every big table is copied in several.
        const summary = await target.move(source, { chunkRows: 7 });
        expect(summary.schools).toEqual([
          { id: admin.schoolId, name: 'De Regenboog', records: rows.records!.length, version },
        ]);
        expect(Object.fromEntries(summary.tables.map((table) => [table.name, table.rows]))).toEqual(
          Object.fromEntries(Object.entries(rows).map(([table, each]) => [table, each.length])),
        );
        // Parents before children: the schools before anything that refers to them.
        const order = summary.tables.map((table) => table.name);
        for (const child of ['records', 'school_versions', 'sessions', 'sign_in_codes'])
          expect(order.indexOf('schools')).toBeLessThan(order.indexOf(child));

        const database = await target.open();
        expect(await snapshot(database)).toEqual(rows);

        const server = await testServer(database);
        try {
          // A session from before still signs its device in.
          for (const who of [admin, carla]) {
            const me = await server.app.inject({ method: 'GET', url: '/api/me', headers: bearer(who.token) });
            expect(me.statusCode, me.body).toBe(200);
            expect(me.json<{ person: { id: string }; sessionId: string }>()).toMatchObject({
              person: { id: who.person.id },
              sessionId: who.sessionId,
            });
          }
          // Carla's cursor holds: nothing new after it, and from the start the same records as before.
          expect(await pullAll(database, syncSession(carla), Number(pulled.cursor))).toEqual({
            records: [],
            gone: [],
            cursor: pulled.cursor,
            more: false,
          });
          expect(await pullAll(database, syncSession(carla), 0)).toEqual(pulled);
          // The next push is numbered after the moved counter, and a change sent before is still a duplicate.
          const draft = observationChanges(bram, carla, server.clock.now(), false);
          expect((await pushChanges(database, syncSession(bram), draft.changes))[0]!.outcome).toBe('applied');
          const [stored] = await database.query<{ version: number }>(
            "SELECT version FROM records WHERE kind = 'observation' AND id = $1",
            [draft.id],
          );
          expect(stored!.version).toBe(version + 1);
          const next = await pullAll(database, syncSession(bram), Number(pulled.cursor));
          expect(next.records.map((record) => [record.id, record.version])).toEqual([[draft.id, version + 1]]);
          expect((await pushChanges(database, syncSession(bram), draft.changes))[0]!.outcome).toBe('duplicate');
        } finally {
          await server.app.close();
        }
      } finally {
        await target.drop();
      }
    });

    it('refuses a target that holds a school, and leaves it as it was', async () => {
      const target = await freshTarget(kind);
      try {
        const database = await target.open();
        const server = await testServer(database);
        await setUpSchool(server, { schoolName: 'Het Anker', adminName: 'Dirk Visser' });
        await server.app.close();
        const before = await snapshot(database);
        await expect(target.move(source)).rejects.toThrow(
          /already holds a school \(Het Anker\)\. A move never merges into a database in use/,
        );
        expect(await snapshot(database)).toEqual(before);
        if (target.url) {
          // The command says so and exits with 1.
          const { code, output } = await runCommand({ DATA_DIR: dir, DATABASE_URL: target.url });
          expect(output).toMatch(/nothing was moved\. The PostgreSQL database already holds a school \(Het Anker\)/);
          expect(code).toBe(1);
          expect(await snapshot(database)).toEqual(before);
        }
      } finally {
        await target.drop();
      }
    });

    it('leaves the target without a row when a table is missing there or the copy fails halfway', async () => {
      const broken = path.join(dir, 'broken');
      cpSync(source, broken, { recursive: true });
      const target = await freshTarget(kind);
      try {
        // A table a newer Meekijken would have made: refused before anything is copied.
        const later = await openDatabase({ dataDir: broken });
        await later.query("CREATE TABLE later_feature (id text PRIMARY KEY); INSERT INTO later_feature VALUES ('x')");
        await later.close();
        await expect(target.move(broken)).rejects.toThrow(/a table the PostgreSQL database lacks .*: later_feature\./);
        const database = await target.open();
        expect(await snapshot(database)).toEqual(emptyTables(rows));

        // A record of a school that does not exist (possible only without the foreign key): the target refuses it
        // while copying `records`, after the schools and other tables went in, a chunk at a time. Nothing stays.
        const orphan = await openDatabase({ dataDir: broken });
        await orphan.query(
          `DROP TABLE later_feature;
           ALTER TABLE records DROP CONSTRAINT records_school_id_fkey;
           INSERT INTO records (school_id, kind, id, data, version) VALUES ('no-such-school', 'person', 'p', '{}', 1)`,
        );
        await orphan.close();
        await expect(target.move(broken, { chunkRows: 7 })).rejects.toThrow(/foreign key/);
        expect(await snapshot(database)).toEqual(emptyTables(rows));

        // The intact school still moves into the same target afterwards.
        await target.move(source);
        expect(await snapshot(database)).toEqual(rows);
      } finally {
        await target.drop();
        rmSync(broken, { recursive: true, force: true });
      }
    });

    it('refuses while a server holds the PGlite folder, and a folder without a database', async () => {
      const running = await openDatabase({ dataDir: source });
      try {
        await expect(moveToPostgres(source, 'postgres://nobody@127.0.0.1:9/none')).rejects.toThrow(
          /is in use by process \d+ .*Stop that process first/,
        );
      } finally {
        await running.close();
      }
      await expect(moveToPostgres(path.join(dir, 'elsewhere'), 'postgres://nobody@127.0.0.1:9/none')).rejects.toThrow(
        /There is no PGlite database in .*elsewhere/,
      );
    });
  });
});
