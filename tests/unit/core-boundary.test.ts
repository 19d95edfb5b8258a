/**
 * The core is plain TypeScript that a later sync server runs too: it may not import Svelte, Dexie or anything that
 * needs a browser. (`npm run check` also type-checks src/core without DOM types, so `window` or `document` fail.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = path.resolve(__dirname, '../../src/core');
/** Bare packages the core may use: each must run in Node and browsers alike. */
const ALLOWED_PACKAGES = ['ajv/dist/2020'];
const FORBIDDEN_GLOBALS = /\b(window|document|indexedDB|localStorage|navigator|location)\s*[.[]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|js|svelte)$/.test(entry.name) ? [full] : [];
  });
}

function importsOf(source: string): string[] {
  const specifiers = [...source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return specifiers.map((m) => m[1] ?? m[2] ?? '');
}

describe('the core layer', () => {
  const files = sourceFiles(CORE).filter((file) => !file.endsWith('tsconfig.json'));

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it.each(files.map((file) => [path.relative(CORE, file), file]))('%s imports only the core and allowed packages', (_, file) => {
    const source = readFileSync(file, 'utf8');
    for (const specifier of importsOf(source)) {
      if (specifier.startsWith('.')) {
        const target = path.resolve(path.dirname(file), specifier);
        const insideCore = target.startsWith(CORE + path.sep);
        const publishedSchema = /instruments[/\\][^/\\]+\.schema\.json$/.test(target);
        expect(insideCore || publishedSchema, `${specifier} leaves src/core`).toBe(true);
      } else {
        expect(ALLOWED_PACKAGES, `${specifier} is not allowed in src/core`).toContain(specifier);
      }
    }
    expect(source).not.toMatch(FORBIDDEN_GLOBALS);
    expect(file).not.toMatch(/\.svelte(\.ts)?$/);
  });

  it('catches a forbidden import (the check itself works)', () => {
    const imports = importsOf("import Dexie from 'dexie';\nimport { mount } from \"svelte\";\nconst x = await import('../ui/app');");
    expect(imports).toEqual(['dexie', 'svelte', '../ui/app']);
  });
});
