/**
 * The shape of src/, checked on every `npm test`:
 * - imports run one way: no file can reach itself through its imports (no circles);
 * - the UI never touches Dexie or the database object, and writes only through its actions: one function per user
 *   action, in `src/ui/features/<feature>/actions.ts`; every other UI file imports only readers from src/data;
 * - every write to IndexedDB goes through src/data/write.ts (the one door that checks the writer rules, stamps
 *   updatedAt and fills the outbox); schema upgrades in src/data/schema.ts are the only other writer, and they run
 *   before the app writes anything.
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
  return [base, `${base}.ts`, `${base}.svelte.ts`, path.join(base, 'index.ts')].find((file) => existsSync(file) && /\.(ts|svelte)$/.test(file));
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
const graph = new Map(files.map((file) => [file, staticImports(readFileSync(file, 'utf8')).flatMap((s) => resolve(file, s) ?? []).filter((target) => target !== file)]));
const rel = (file: string) => path.relative(SRC, file);

/** A call that writes a table: `.people.add(`, `.table('x').put(`, `.modify(` … */
const TABLE_WRITE =
  /\.(?:schools|teams|people|schoolYears|instruments|observations|responses|notes|amendments|device|outbox|table\([^)]*\))\s*\.\s*(?:add|put|update|delete|bulkAdd|bulkPut|bulkDelete|bulkUpdate|clear)\s*\(|\.modify\s*\(/;

describe('layers', () => {
  it('has no import circles', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(findCycle(graph)?.map(rel)).toBeUndefined();
  });

  it('finds a circle when there is one (the check itself works)', () => {
    expect(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(new Map([['a', ['b']], ['b', []]]))).toBeUndefined();
  });

  it.each(files.filter((f) => rel(f).startsWith('ui')).map((f) => [rel(f), f]))('%s does not touch Dexie or the database', (_, file) => {
    const source = readFileSync(file, 'utf8');
    expect(source).not.toMatch(/from\s*['"]dexie['"]/);
    for (const specifier of staticImports(source)) {
      const target = resolve(file, specifier);
      expect(target ? rel(target) : specifier, `${specifier}`).not.toMatch(/^data[/\\](db|write|schema)\.ts$/);
    }
  });

  /** What a screen may import from src/data besides types: reads, and the connection it watches. */
  const READER = /^(get|list|load|count|watch)[A-Z]|^(watch|newId|createBackup|onDatabaseOutdated|closeDatabase)$/;
  const writesThroughActions = (file: string) => /^ui[/\\]features[/\\][^/\\]+[/\\]actions\.ts$/.test(rel(file)) || rel(file) === path.join('ui', 'shared', 'save-status.svelte.ts');
  it.each(files.filter((f) => rel(f).startsWith('ui') && !writesThroughActions(f)).map((f) => [rel(f), f]))('%s only reads from the data layer (writes go through actions)', (_, file) => {
    const source = readFileSync(file, 'utf8');
    for (const [, names, specifier] of source.matchAll(/^\s*import\s+\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/gm)) {
      const target = resolve(file, specifier!);
      if (!target || !rel(target).startsWith(`data${path.sep}`)) continue;
      const values = names!.split(',').map((n) => n.trim()).filter((n) => n && !n.startsWith('type '));
      for (const name of values) expect(name, `${name} from ${specifier}`).toMatch(READER);
    }
  });

  const featureOf = (file: string) => /^ui[/\\]features[/\\]([^/\\]+)/.exec(rel(file))?.[1];
  it.each(files.filter((f) => featureOf(f)).map((f) => [rel(f), f]))('%s imports no other feature (shared code lives in ui/shared)', (_, file) => {
    for (const specifier of staticImports(readFileSync(file, 'utf8'))) {
      const target = resolve(file, specifier);
      const other = target && featureOf(target);
      if (other) expect(other, specifier).toBe(featureOf(file));
    }
  });

  it.each(files.filter((f) => !['data/write.ts', 'data/schema.ts'].includes(rel(f))).map((f) => [rel(f), f]))('%s writes no table directly', (_, file) => {
    expect(readFileSync(file, 'utf8')).not.toMatch(TABLE_WRITE);
  });

  it('recognises a direct table write (the check itself works)', () => {
    for (const write of ['db().people.add(p)', 'database.responses.put(r)', "tx.table('notes').delete(id)", 'db().teams.where("id").equals(id).modify(fn)', 'db().outbox.bulkAdd(x)']) {
      expect(write).toMatch(TABLE_WRITE);
    }
    for (const other of ['seen.add(id)', 'queue.queued.delete(field)', 'records.delete(key)']) expect(other).not.toMatch(TABLE_WRITE);
  });
});
