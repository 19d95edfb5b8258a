/**
 * The shape of src/, checked on every `npm test`:
 * - imports run one way: no file can reach itself through its imports (no circles);
 * - the UI never touches Dexie or the database object, and writes only through its actions: one function per user
 *   action, in `src/ui/features/<feature>/actions.ts`; every other UI file imports only readers from src/data;
 * - every write to IndexedDB goes through the write path in src/data/writes/ (local.ts, the one door that checks the
 *   writer rules, stamps updatedAt and fills the outbox through outbox.ts; remote.ts for what the server sends);
 *   schema upgrades in src/data/database/schema.ts are the only other writer, and they run before the app writes
 *   anything;
 * - the data layer's folders import one way: database ← writes ← records ← sync;
 * - the school server (src/server) runs in Node: it uses the core, never the UI, the data layer, Dexie or Svelte;
 *   and nothing of the app imports the server.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|svelte)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Static imports only: a dynamic `import()` loads later and cannot make a circle at start-up. */
function staticImports(source: string): string[] {
  return [...source.matchAll(/^\s*(?:import|export)\s(?!type\b)[^'"]*?from\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.svelte.ts`, path.join(base, 'index.ts')].find(
    (file) => existsSync(file) && /\.(ts|svelte)$/.test(file),
  );
}

export function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return undefined;
}

const files = sourceFiles(SRC);
// A recursive component importing itself (an item with items under it) is not a circle between files.
const graph = new Map(
  files.map((file) => [
    file,
    staticImports(readFileSync(file, 'utf8'))
      .flatMap((s) => resolve(file, s) ?? [])
      .filter((target) => target !== file),
  ]),
);
const rel = (file: string) => path.relative(SRC, file);

/** A call that writes a table: `.people.add(`, `.table('x').put(`, `.modify(` … */
const TABLE_WRITE =
  /\.(?:schools|teams|people|schoolYears|instruments|instrumentDrafts|observations|responses|notes|amendments|requests|declines|feedback|reflections|goals|device|outbox|table\([^)]*\))\s*\.\s*(?:add|put|update|delete|bulkAdd|bulkPut|bulkDelete|bulkUpdate|clear)\s*\(|\.modify\s*\(/;

/**
 * One test per rule: `check` runs over every file it applies to and returns what each offending file does wrong,
 * so a failure names every offender at once, and the test count counts rules, not files.
 */
function offenders(candidates: string[], check: (file: string, source: string) => string[]): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const file of candidates) {
    const problems = check(file, readFileSync(file, 'utf8'));
    if (problems.length > 0) found[rel(file)] = problems;
  }
  return found;
}

describe('layers', () => {
  it('has no import circles', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(findCycle(graph)?.map(rel)).toBeUndefined();
  });

  it('finds a circle when there is one (the check itself works)', () => {
    expect(
      findCycle(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
        ]),
      ),
    ).toEqual(['a', 'b', 'c', 'a']);
    expect(
      findCycle(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toBeUndefined();
  });

  const uiFiles = files.filter((f) => rel(f).startsWith('ui'));
  it('no UI file touches Dexie or the database', () => {
    expect(uiFiles.length).toBeGreaterThan(20);
    const found = offenders(uiFiles, (file, source) => [
      ...(/from\s*['"]dexie['"]/.test(source) ? ['imports dexie'] : []),
      ...staticImports(source).flatMap((specifier) => {
        const target = resolve(file, specifier);
        return /^data[/\\](database[/\\](db|schema)|writes[/\\][^/\\]+)\.ts$/.test(target ? rel(target) : specifier)
          ? [`imports ${specifier}`]
          : [];
      }),
    ]);
    expect(found).toEqual({});
  });

  /** What a screen may import from src/data besides types: reads, and the connection it watches. */
  const READER = /^(get|list|load|count|watch)[A-Z]|^(watch|newId|createBackup|onDatabaseOutdated|closeDatabase)$/;
  const writesThroughActions = (file: string) =>
    /^ui[/\\]features[/\\][^/\\]+[/\\]actions\.ts$/.test(rel(file)) ||
    rel(file) === path.join('ui', 'shared', 'save-status.svelte.ts');
  /** The values (not types) a file imports from src/data that are not readers. */
  const dataWrites = (file: string, source: string) =>
    [...source.matchAll(/^\s*import\s+\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/gm)].flatMap(([, names, specifier]) => {
      const target = resolve(file, specifier!);
      if (!target || !rel(target).startsWith(`data${path.sep}`)) return [];
      const values = names!
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n && !n.startsWith('type '));
      return values.filter((name) => !READER.test(name)).map((name) => `${name} from ${specifier}`);
    });
  it('UI files other than the actions only read from the data layer', () => {
    expect(
      offenders(
        uiFiles.filter((f) => !writesThroughActions(f)),
        dataWrites,
      ),
    ).toEqual({});
  });

  const featureOf = (file: string) => /^ui[/\\]features[/\\]([^/\\]+)/.exec(rel(file))?.[1];
  it('no feature imports another feature (shared code lives in ui/shared)', () => {
    const found = offenders(
      files.filter((f) => featureOf(f)),
      (file, source) =>
        staticImports(source).filter((specifier) => {
          const target = resolve(file, specifier);
          const other = target && featureOf(target);
          return other && other !== featureOf(file);
        }),
    );
    expect(found).toEqual({});
  });

  it('no file but the write path and the schema writes a table directly', () => {
    const found = offenders(
      files.filter(
        (f) =>
          ![
            'data/writes/local.ts',
            'data/writes/outbox.ts',
            'data/writes/remote.ts',
            'data/database/schema.ts',
          ].includes(rel(f)),
      ),
      (_, source) => [...source.matchAll(new RegExp(TABLE_WRITE.source, 'g'))].map((m) => m[0]),
    );
    expect(found).toEqual({});
  });

  /** The data layer's folders, lowest first: a file may import its own folder and the folders below it. */
  const DATA_FOLDERS = ['database', 'writes', 'records', 'sync'];
  const dataFolder = (file: string) => /^data[/\\]([^/\\]+)[/\\]/.exec(rel(file))?.[1];
  it('the data layer imports one way: database, writes, records, sync', () => {
    const dataFiles = files.filter(inLayer('data'));
    expect(dataFiles.length).toBeGreaterThan(20);
    const found = offenders(dataFiles, (file, source) => {
      const own = DATA_FOLDERS.indexOf(dataFolder(file) ?? '');
      if (own < 0) return [`is not in one of the folders ${DATA_FOLDERS.join(', ')}`];
      return allImports(source).filter((specifier) => {
        const imported = resolve(file, specifier);
        const folder = imported && dataFolder(imported);
        return folder !== undefined && folder !== null && DATA_FOLDERS.indexOf(folder) > own;
      });
    });
    expect(found).toEqual({});
  });

  /** Every import, also `import type` and dynamic `import()`: a type from the UI would still tie the server to it. */
  const allImports = (source: string) =>
    [
      ...source.matchAll(
        /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm,
      ),
    ].map((m) => m[1] ?? m[2] ?? m[3]!);
  const target = (file: string, specifier: string) =>
    specifier.startsWith('.') ? rel(path.resolve(path.dirname(file), specifier)) : specifier;
  const inLayer = (layer: string) => (file: string) => rel(file).startsWith(`${layer}${path.sep}`);
  const NOT_FOR_THE_SERVER = /^(ui|data)([/\\]|$)|^(dexie|svelte)([/]|$)|^@sveltejs\//;
  const THE_SERVER = /^server([/\\]|$)/;

  it('the server imports no UI, data layer, Dexie or Svelte', () => {
    const serverFiles = files.filter(inLayer('server'));
    expect(serverFiles.length).toBeGreaterThan(10);
    expect(
      offenders(serverFiles, (file, source) =>
        allImports(source).filter((specifier) => NOT_FOR_THE_SERVER.test(target(file, specifier))),
      ),
    ).toEqual({});
  });

  it('nothing of the app imports the server', () => {
    const appFiles = files.filter((f) => ['core', 'ui', 'data'].some((layer) => inLayer(layer)(f)));
    expect(
      offenders(appFiles, (file, source) =>
        allImports(source).filter((specifier) => THE_SERVER.test(target(file, specifier))),
      ),
    ).toEqual({});
  });

  it('catches a server import of the UI, and an app import of the server (the checks themselves work)', () => {
    const server = path.join(SRC, 'server', 'routes', 'x.ts');
    const imports = allImports(
      "import type { Live } from '../../ui/shared/live.svelte';\nimport Dexie from 'dexie';\nconst s = await import('svelte');\nimport '../../data/db';",
    );
    const targets = imports.map((s) => target(server, s));
    expect(targets).toEqual([path.join('ui', 'shared', 'live.svelte'), 'dexie', 'svelte', path.join('data', 'db')]);
    for (const each of targets) expect(each).toMatch(NOT_FOR_THE_SERVER);
    expect(target(server, '../../core/model/records')).not.toMatch(NOT_FOR_THE_SERVER);
    expect(target(path.join(SRC, 'ui', 'app.ts'), '../server/app')).toMatch(THE_SERVER);
  });

  it('recognises a direct table write, and a screen importing a writer (the checks themselves work)', () => {
    for (const write of [
      'db().people.add(p)',
      'database.responses.put(r)',
      'db().instrumentDrafts.put(d)',
      "tx.table('notes').delete(id)",
      'db().teams.where("id").equals(id).modify(fn)',
      'db().outbox.bulkAdd(x)',
    ]) {
      expect(write).toMatch(TABLE_WRITE);
    }
    for (const other of ['seen.add(id)', 'queue.queued.delete(field)', 'records.delete(key)'])
      expect(other).not.toMatch(TABLE_WRITE);
    const screen = path.join(SRC, 'ui', 'features', 'people', 'people-screen.svelte');
    expect(
      dataWrites(screen, "import { listPeople, savePerson, type Person } from '../../../data/records/people';"),
    ).toEqual(['savePerson from ../../../data/records/people']);
  });
});
