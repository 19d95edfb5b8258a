/**
 * `npm run validate-instruments -- [files or folders…]`: checks instrument files with the same validator the app uses.
 * With no arguments it checks every instrument shipped in `instruments/`, and the earlier versions kept in
 * `instruments/earlier-versions/` (src/server/sync/shipped-instruments.ts); a folder stands for the `.json` files
 * directly in it (not the schema). Prints one line per problem (file, JSON path, message), at most 10 per kind of
 * problem and file followed by "… and N more of the same kind", then a summary.
 *
 * Exit code (scripts and CI depend on it):
 * - 0: every file was checked and is a valid instrument;
 * - 1: every file was checked, and at least one has problems (not UTF-8, not JSON, too large, invalid, …);
 * - 2: at least one file could not be checked: it cannot be read, is not a file (a device, a pipe, a folder without
 *   instrument files), or the validator failed on it. Problems found in other files are still printed.
 * One file never stops the others. Nothing from a file or a file name is printed as is: control, invisible and
 * direction characters are shown as `\u{…}`, so a hostile file cannot rewrite the terminal or reorder a line.
 *
 * Messages are in English unless MEEKIJKEN_LANG=nl (or LANG starts with nl).
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseInstrumentBytes } from '../core/instrument/validate';
import { showHidden } from '../core/instrument/characters';
import { formatSize, MAX_FILE_BYTES } from '../core/instrument/limits';
import { capProblems } from '../core/instrument/report';
import { problem, type InstrumentProblem } from '../core/instrument/problems';

const INSTRUMENTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../instruments');
const EARLIER_INSTRUMENTS_DIR = path.join(INSTRUMENTS_DIR, 'earlier-versions');
const SCHEMA_SUFFIX = '.schema.json';

const EXIT = { valid: 0, problems: 1, notChecked: 2 } as const;

type Language = 'nl' | 'en';

function language(): Language {
  const wanted = process.env.MEEKIJKEN_LANG ?? process.env.LANG ?? '';
  return wanted.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

/** `npm run` starts scripts in the package folder; INIT_CWD is where the user typed the command. */
const USER_DIR = process.env.INIT_CWD ?? process.cwd();

const SAY = {
  cannotRead: { nl: 'kan het bestand niet lezen', en: 'cannot read the file' },
  notAFile: { nl: 'is geen bestand', en: 'is not a file' },
  noInstruments: { nl: 'deze map bevat geen .json-bestanden', en: 'this folder holds no .json files' },
  more: {
    nl: (count: number) => `… en nog ${count} van dezelfde soort`,
    en: (count: number) => `… and ${count} more of the same kind`,
  },
} as const;

/** What one argument stands for: files to check, or a line saying why it cannot be checked. */
type Target = { file: string } | { file: string; notChecked: (lang: Language) => string };

async function targets(args: string[]): Promise<Target[]> {
  if (args.length === 0)
    return [...(await instrumentFilesIn(INSTRUMENTS_DIR)), ...(await instrumentFilesIn(EARLIER_INSTRUMENTS_DIR))];
  const all: Target[] = [];
  for (const arg of args) {
    const file = path.resolve(USER_DIR, arg);
    let info;
    try {
      info = await stat(file);
    } catch (error) {
      all.push({ file, notChecked: (lang) => `${SAY.cannotRead[lang]} (${errorCode(error)})` });
      continue;
    }
    if (info.isDirectory()) {
      const inside = await instrumentFilesIn(file).catch((error: unknown) => [
        { file, notChecked: (lang: Language) => `${SAY.cannotRead[lang]} (${errorCode(error)})` },
      ]);
      all.push(...(inside.length > 0 ? inside : [{ file, notChecked: (lang: Language) => SAY.noInstruments[lang] }]));
    } else if (!info.isFile()) {
      // A device or a pipe: /dev/zero would never end, a pipe could block for good.
      all.push({ file, notChecked: (lang) => SAY.notAFile[lang] });
    } else {
      all.push({ file });
    }
  }
  return all;
}

async function instrumentFilesIn(dir: string): Promise<Target[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory() && entry.name.endsWith('.json') && !entry.name.endsWith(SCHEMA_SUFFIX))
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ file: path.join(dir, name) }));
}

type Outcome =
  | { kind: 'valid' }
  | { kind: 'problems'; problems: InstrumentProblem[] }
  /** Either a reason of the CLI's own, or the validator's `couldNotCheck` problem. */
  | { kind: 'not-checked'; reason?: (lang: Language) => string; problems?: InstrumentProblem[] };

async function check(target: Target): Promise<Outcome> {
  if ('notChecked' in target) return { kind: 'not-checked', reason: target.notChecked };
  try {
    const info = await stat(target.file);
    if (!info.isFile()) return { kind: 'not-checked', reason: (lang) => SAY.notAFile[lang] };
    // Too large to be an instrument: say so without reading gigabytes.
    if (info.size > MAX_FILE_BYTES) {
      return {
        kind: 'problems',
        problems: [problem('$', 'fileTooLarge', { actual: formatSize(info.size), limit: formatSize(MAX_FILE_BYTES) })],
      };
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(target.file));
    } catch (error) {
      return { kind: 'not-checked', reason: (lang) => `${SAY.cannotRead[lang]} (${errorCode(error)})` };
    }
    const result = parseInstrumentBytes(bytes);
    if (result.ok) return { kind: 'valid' };
    return result.checked
      ? { kind: 'problems', problems: result.problems }
      : { kind: 'not-checked', problems: result.problems };
  } catch (error) {
    return { kind: 'not-checked', reason: (lang) => `${SAY.cannotRead[lang]} (${errorCode(error)})` };
  }
}

/** A problem's place: the file's own titles and the path (`Domein 1 "Leerklimaat", item 1.3 ($.domains[0]…)`). */
function where(problem: InstrumentProblem, lang: Language): string {
  const at = showHidden(problem.path);
  return problem.place ? `${problem.place[lang]} (${at})` : at;
}

function errorCode(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message : String(error);
}

async function main(args: string[]): Promise<number> {
  const lang = language();
  const all = await targets(args);
  let problemCount = 0;
  let invalidFiles = 0;
  let notChecked = 0;
  for (const target of all) {
    const shown = showHidden(path.relative(USER_DIR, target.file) || target.file);
    const outcome = await check(target);
    if (outcome.kind === 'valid') continue;
    if (outcome.kind === 'not-checked') {
      notChecked++;
      if (outcome.reason) console.log(`${shown}: $: ${showHidden(outcome.reason(lang))}`);
      for (const p of outcome.problems ?? [])
        console.log(`${shown}: ${where(p, lang)}: ${showHidden(p.message[lang])}`);
      continue;
    }
    invalidFiles++;
    problemCount += outcome.problems.length;
    for (const line of capProblems(outcome.problems)) {
      if (line.kind === 'problem')
        console.log(`${shown}: ${where(line.problem, lang)}: ${showHidden(line.problem.message[lang])}`);
      else console.log(`${shown}: ${SAY.more[lang](line.count)}`);
    }
  }
  const checked = all.length - notChecked;
  if (notChecked > 0) {
    const found =
      invalidFiles === 0
        ? ''
        : lang === 'nl'
          ? `; ${problemCount} probleem/problemen in ${invalidFiles} van de ${checked} gecontroleerde`
          : `; ${problemCount} problem(s) in ${invalidFiles} of the ${checked} checked`;
    console.log(
      lang === 'nl'
        ? `${notChecked} van ${all.length} bestand(en) niet gecontroleerd${found}.`
        : `${notChecked} of ${all.length} file(s) not checked${found}.`,
    );
    return EXIT.notChecked;
  }
  if (invalidFiles > 0) {
    console.log(
      lang === 'nl'
        ? `${problemCount} probleem/problemen in ${invalidFiles} van ${all.length} bestand(en).`
        : `${problemCount} problem(s) in ${invalidFiles} of ${all.length} file(s).`,
    );
    return EXIT.problems;
  }
  console.log(lang === 'nl' ? `${all.length} instrument(en) geldig.` : `${all.length} instrument(s) valid.`);
  return EXIT.valid;
}

// A reader that stops early (`| head`) is no reason for a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.log(`$: ${showHidden(errorCode(error))}`);
  process.exitCode = EXIT.notChecked;
}
