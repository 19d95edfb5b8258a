/**
 * `npm run validate-instruments -- [files…]`: checks instrument files with the same validator the app uses.
 * With no files it checks every instrument shipped in `instruments/`. Prints a short summary and exits 0 when all
 * are valid; otherwise prints one line per problem (file, JSON path, message) and exits 1.
 *
 * Messages are in English unless MEEKIJKEN_LANG=nl (or LANG starts with nl).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseInstrument } from '../core/instrument/validate';

const INSTRUMENTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../instruments');
const SCHEMA_SUFFIX = '.schema.json';

async function shippedInstrumentFiles(): Promise<string[]> {
  const names = await readdir(INSTRUMENTS_DIR);
  return names
    .filter((name) => name.endsWith('.json') && !name.endsWith(SCHEMA_SUFFIX))
    .sort()
    .map((name) => path.join(INSTRUMENTS_DIR, name));
}

function language(): 'nl' | 'en' {
  const wanted = process.env.MEEKIJKEN_LANG ?? process.env.LANG ?? '';
  return wanted.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

/** `npm run` starts scripts in the package folder; INIT_CWD is where the user typed the command. */
const USER_DIR = process.env.INIT_CWD ?? process.cwd();

async function main(args: string[]): Promise<number> {
  const files = args.length > 0 ? args.map((file) => path.resolve(USER_DIR, file)) : await shippedInstrumentFiles();
  const lang = language();
  let problemCount = 0;
  let invalidFiles = 0;
  for (const file of files) {
    const shown = path.relative(USER_DIR, file) || file;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      invalidFiles++;
      problemCount++;
      const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
      console.log(`${shown}: $: ${lang === 'nl' ? 'kan het bestand niet lezen' : 'cannot read the file'} (${reason})`);
      continue;
    }
    const result = parseInstrument(text);
    if (result.ok) continue;
    invalidFiles++;
    for (const p of result.problems) {
      problemCount++;
      console.log(`${shown}: ${p.path}: ${p.message[lang]}`);
    }
  }
  if (invalidFiles > 0) {
    console.log(
      lang === 'nl'
        ? `${problemCount} probleem/problemen in ${invalidFiles} van ${files.length} bestand(en).`
        : `${problemCount} problem(s) in ${invalidFiles} of ${files.length} file(s).`,
    );
    return 1;
  }
  console.log(
    lang === 'nl'
      ? `${files.length} instrument(en) geldig.`
      : `${files.length} instrument(s) valid.`,
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
