/**
 * The repository explains itself: a path a comment or document names (`src/…`, `tests/…`, `instruments/…`,
 * `public/…`) is a file or folder that exists, so a reader who follows it finds what it promises. A moved file
 * whose old path lingers in a comment fails here, naming where.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
/** Where the repository's own text lives; build output, dependencies and test results are not ours. */
const SKIPPED_DIRS = new Set([
  'node_modules',
  'dist',
  'dist-bench',
  'dist-server',
  'playwright-report',
  'test-results',
  'data',
  '.git',
  'fixtures',
]);
const TEXT = /\.(ts|js|svelte|md|json|css|html|sql|yml|yaml)$|^run$/;
/** Files that name paths that are not ours: npm's lock file lists paths inside packages. */
const SKIPPED_FILES = new Set(['package-lock.json']);
/** A path a test names on purpose because it does not exist. */
const MEANT_TO_BE_MISSING = /does-not-exist/;
const NAMED = /(?<![\w./-])((?:src|tests|instruments|public)\/[\w./@-]*\w)/g;

function textFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : textFiles(full);
    return TEXT.test(entry.name) && !SKIPPED_FILES.has(entry.name) && !entry.name.includes('.generated.') ? [full] : [];
  });
}

describe('paths named in comments and documents', () => {
  it('exist', () => {
    const missing: string[] = [];
    for (const file of textFiles(ROOT)) {
      if (statSync(file).size > 1_000_000) continue;
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(NAMED)) {
        const named = match[1]!.replace(/\.$/, '');
        if (MEANT_TO_BE_MISSING.test(named) || existsSync(path.join(ROOT, named))) continue;
        missing.push(`${path.relative(ROOT, file)} names ${named}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
