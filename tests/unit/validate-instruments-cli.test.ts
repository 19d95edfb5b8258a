/** The command-line validator as a school's instrument author uses it: exit codes and one line per problem. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

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
  it('checks every shipped instrument and every earlier shipped version when no file is named, and exits 0', () => {
    const { code, lines } = run();
    expect(lines.at(-1)).toMatch(/^8 instrument\(s\) valid\.$/);
    expect(code).toBe(0);
  });

  it('exits 1 with file, path and message for a file that is not JSON', () => {
    const { code, lines } = run('tests/fixtures/broken/not-json.json');
    expect(code).toBe(1);
    expect(lines[0]).toMatch(
      /^tests\/fixtures\/broken\/not-json\.json: \$: This is not a valid JSON file \(line 4, column 3\)/,
    );
  });

  it('prints one line per problem and a summary', () => {
    const { code, lines } = run(
      'tests/fixtures/broken/missing-version-and-duplicate.json',
      'instruments/lesobservatie.json',
    );
    expect(code).toBe(1);
    expect(lines).toEqual([
      'tests/fixtures/broken/missing-version-and-duplicate.json: $.version: The required field "version" is missing.',
      // Named by the file's own titles as well as the path.
      'tests/fixtures/broken/missing-version-and-duplicate.json: Section 1 "Emotional support", item 1.2 "Negative climate" ($.domains[0].items[1].id): The id "positive-climate" is already used (Section 1 "Emotional support", item 1.1 "Positive climate"). Ids must be unique.',
      '2 problem(s) in 1 of 2 file(s).',
    ]);
  });

  it('speaks Dutch when asked', () => {
    const result = spawnSync(
      TSX,
      ['src/cli/validate-instruments.ts', 'tests/fixtures/broken/missing-version-and-duplicate.json'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, MEEKIJKEN_LANG: 'nl', INIT_CWD: ROOT },
      },
    );
    expect(result.stdout).toContain('$.version: Het verplichte veld "version" ontbreekt.');
  });

  it('exits 2 for a file that does not exist: it could not be checked', () => {
    const { code, lines } = run('tests/fixtures/broken/does-not-exist.json');
    expect(code).toBe(2);
    expect(lines).toEqual([
      'tests/fixtures/broken/does-not-exist.json: $: cannot read the file (ENOENT)',
      '1 of 1 file(s) not checked.',
    ]);
  });
});

describe('npm run validate-instruments on hostile files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'meekijken-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string | Uint8Array) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  const shipped = readFileSync(path.join(ROOT, 'instruments/time-on-task.json'), 'utf8');
  /** Any control character, or a direction or zero-width character, that a terminal would act on or hide. */
  const HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

  it('keeps checking after a file it cannot read, and exits 2 over 1', () => {
    const broken = write('broken.json', '{"format": 1}');
    const { code, lines } = run('/dev/zero', path.join(dir, 'missing.json'), broken, 'instruments/lesobservatie.json');
    expect(code).toBe(2);
    expect(lines[0]).toMatch(/dev\/zero: \$: is not a file$/);
    expect(lines[1]).toMatch(/missing\.json: \$: cannot read the file \(ENOENT\)$/);
    expect(
      lines.filter((line) => line.includes('broken.json: $.id: The required field "id" is missing.')),
    ).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/^2 of 4 file\(s\) not checked; \d+ problem\(s\) in 1 of the 2 checked\.$/);
  });

  it('exits 1, not 2, for files that were checked and have problems of any kind', () => {
    const notUtf8 = write(
      'latin1.json',
      new Uint8Array([...Buffer.from('{"title": "caf'), 0xe9, ...Buffer.from('"}')]),
    );
    const deep = write('deep.json', '['.repeat(100_000) + ']'.repeat(100_000));
    const { code, lines } = run(notUtf8, deep);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/latin1\.json: \$: This file is not valid UTF-8 text: byte 14 \(line 1, column 15\)/);
    expect(lines[1]).toMatch(/deep\.json: \$: Nested too deeply: more than 64 levels/);
  });

  it('refuses a file over the size limit without reading it', () => {
    const huge = write('huge.json', '');
    truncateSync(huge, 2 * 1024 ** 3);
    const { code, lines } = run(huge);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/huge\.json: \$: The file is 2048 MB; an instrument may be at most 5 MB\.$/);
  });

  it('checks the instrument files in a folder, and says so when there are none', () => {
    const folder = path.join(dir, 'folder');
    mkdirSync(path.join(folder, 'empty'), { recursive: true });
    writeFileSync(path.join(folder, 'b.json'), shipped);
    writeFileSync(path.join(folder, 'a.json'), shipped.replace('"version": "1.0.0"', '"version": "1.0"'));
    writeFileSync(path.join(folder, 'notes.txt'), 'not an instrument');
    writeFileSync(path.join(folder, 'meekijken-instrument.schema.json'), '{}');
    const { code, lines } = run(folder);
    expect(code).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(/folder\/a\.json: \$\.version: "1\.0" is not a valid version/),
      '1 problem(s) in 1 of 2 file(s).',
    ]);
    const empty = run(path.join(folder, 'empty'));
    expect(empty.code).toBe(2);
    expect(empty.lines[0]).toMatch(/empty: \$: this folder holds no \.json files$/);
  });

  it('never prints a control, direction or zero-width character from a file or its name', () => {
    const hostile = JSON.stringify({
      ...JSON.parse(shipped),
      'clear\u001b[2J\u001b]0;owned\u0007': 1,
      author: '\u202Eevil\u200B',
      title: { nl: '\u0000', en: '\u200B\u2066' },
    });
    const file = write('name\u001b[31m\u202Ered.json', hostile);
    const { code, lines, stderr } = run(file);
    expect(code).toBe(1);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of [...lines, stderr]) expect(line).not.toMatch(HIDDEN);
    expect(lines[0]).toContain('name\\u{001B}[31m\\u{202E}red.json: ');
    expect(lines.join('\n')).toContain('Unknown field "clear\\u{001B}[2J\\u{001B}]0;owned\\u{0007}"');
  });

  it('shows at most 10 problems of a kind per file, then counts the rest', () => {
    const instrument = JSON.parse(shipped);
    instrument.domains[0].items = Array.from({ length: 25 }, (_, i) => ({
      ...instrument.domains[0].items[0],
      id: 'same',
      text: { nl: `T${i}`, en: `T${i}` },
    }));
    const file = write('many.json', JSON.stringify(instrument));
    const { code, lines } = run(file);
    expect(code).toBe(1);
    const duplicates = lines.filter((line) => line.includes('is already used'));
    expect(duplicates).toHaveLength(10);
    expect(lines[lines.indexOf(duplicates.at(-1)!) + 1]).toMatch(/many\.json: … and 14 more of the same kind$/);
    expect(lines.at(-1)).toMatch(/^\d+ problem\(s\) in 1 of 1 file\(s\)\.$/);
    expect(Number(lines.at(-1)!.split(' ')[0])).toBeGreaterThanOrEqual(24);
  });
});
