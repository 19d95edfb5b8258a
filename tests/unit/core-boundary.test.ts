/**
 * The core is plain TypeScript that a later sync server runs too: it may not import Svelte, Dexie or anything that
 * needs a browser. (`npm run check` also type-checks src/core without DOM types, so `window` or `document` fail.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = path.resolve(__dirname, '../../src/core');
/**
 * Bare packages the core may use: each must run in Node and browsers alike. The instrument validator is generated
 * code (src/core/instrument/schema-validator.generated.ts) that needs no package at run time. `typebox` writes the
 * sync protocol's shapes once (src/core/sync/protocol-shapes.ts): plain objects, no dependencies, no browser API.
 */
const ALLOWED_PACKAGES: string[] = ['typebox'];
const FORBIDDEN_GLOBALS = /\b(window|document|indexedDB|localStorage|navigator|location)\s*[.[]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|js|svelte)$/.test(entry.name) ? [full] : [];
  });
}

function importsOf(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return specifiers.map((m) => m[1] ?? m[2] ?? '');
}

describe('the core layer', () => {
  const files = sourceFiles(CORE).filter((file) => !file.endsWith('tsconfig.json'));

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  /** What a core file does that the core may not: imports from outside it, browser globals, Svelte files. */
  const breaches = (file: string, source: string): string[] => [
    ...importsOf(source).flatMap((specifier) => {
      if (specifier.startsWith('.')) {
        const target = path.resolve(path.dirname(file), specifier);
        const insideCore = target.startsWith(CORE + path.sep);
        const publishedSchema = /instruments[/\\][^/\\]+\.schema\.json$/.test(target);
        return insideCore || publishedSchema ? [] : [`${specifier} leaves src/core`];
      }
      return ALLOWED_PACKAGES.includes(specifier) ? [] : [`${specifier} is not allowed in src/core`];
    }),
    ...[...source.matchAll(new RegExp(FORBIDDEN_GLOBALS.source, 'g'))].map((m) => `uses the browser's ${m[1]}`),
    ...(/\.svelte(\.ts)?$/.test(file) ? ['is a Svelte file'] : []),
  ];

  it('imports only the core and allowed packages, and uses no browser globals (every file)', () => {
    const found = Object.fromEntries(
      files
        .map((file): [string, string[]] => [path.relative(CORE, file), breaches(file, readFileSync(file, 'utf8'))])
        .filter(([, list]) => list.length > 0),
    );
    expect(found).toEqual({});
  });

  it('catches a forbidden import and a browser global (the check itself works)', () => {
    const imports = importsOf(
      "import Dexie from 'dexie';\nimport { mount } from \"svelte\";\nconst x = await import('../ui/app');",
    );
    expect(imports).toEqual(['dexie', 'svelte', '../ui/app']);
    const file = path.join(CORE, 'model', 'x.ts');
    expect(
      breaches(
        file,
        "import Dexie from 'dexie';\nimport { a } from '../../ui/app';\nimport { b } from './y';\nwindow.alert(1);",
      ),
    ).toEqual(['dexie is not allowed in src/core', '../../ui/app leaves src/core', "uses the browser's window"]);
  });
});
