/** The command-line validator as a school's instrument author uses it: exit codes and one line per problem. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

function run(...files: string[]) {
  const result = spawnSync(TSX, ['src/cli/validate-instruments.ts', ...files], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, MEEKIJKEN_LANG: 'en', INIT_CWD: ROOT },
  });
  return { code: result.status, lines: result.stdout.trim().split('\n'), stderr: result.stderr };
}

describe('npm run validate-instruments', () => {
  it('checks every shipped instrument when no file is named, and exits 0', () => {
    const { code, lines } = run();
    expect(lines.at(-1)).toMatch(/^6 instrument\(s\) valid\.$/);
    expect(code).toBe(0);
  });

  it('exits 1 with file, path and message for a file that is not JSON', () => {
    const { code, lines } = run('tests/fixtures/broken/not-json.json');
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^tests\/fixtures\/broken\/not-json\.json: \$: This is not a valid JSON file \(line 4, column 3\)/);
  });

  it('prints one line per problem and a summary', () => {
    const { code, lines } = run('tests/fixtures/broken/missing-version-and-duplicate.json', 'instruments/lesobservatie.json');
    expect(code).toBe(1);
    expect(lines).toEqual([
      'tests/fixtures/broken/missing-version-and-duplicate.json: $.version: The required field "version" is missing.',
      'tests/fixtures/broken/missing-version-and-duplicate.json: $.domains[0].items[1].id: The id "positive-climate" is already used ($.domains[0].items[0].id). Ids must be unique.',
      '2 problem(s) in 1 of 2 file(s).',
    ]);
  });

  it('speaks Dutch when asked', () => {
    const result = spawnSync(TSX, ['src/cli/validate-instruments.ts', 'tests/fixtures/broken/missing-version-and-duplicate.json'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, MEEKIJKEN_LANG: 'nl', INIT_CWD: ROOT },
    });
    expect(result.stdout).toContain('$.version: Het verplichte veld "version" ontbreekt.');
  });

  it('reports a file that does not exist', () => {
    const { code, lines } = run('tests/fixtures/broken/does-not-exist.json');
    expect(code).toBe(1);
    expect(lines[0]).toContain('does-not-exist.json: $: cannot read the file (ENOENT)');
  });
});
