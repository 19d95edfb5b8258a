/**
 * Where the server finds the files it reads at run time (the shipped instruments, its SQL migrations, the version in
 * package.json): from the project's root folder, so the same code works from `src/server` (tests) and from the
 * built bundle in `dist-server/` (`npm start`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'instruments'))) return dir;
    if (path.dirname(dir) === dir)
      throw new Error(`Meekijken: no project folder (package.json and instruments/) above ${from}`);
  }
}

/** The project's root folder: the one holding package.json and instruments/. */
export const PROJECT_ROOT = projectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The shipped instrument files. */
export const INSTRUMENTS_DIR = path.join(PROJECT_ROOT, 'instruments');

/** Earlier versions of the shipped instruments, kept as they shipped (src/server/sync/shipped-instruments.ts). */
export const EARLIER_INSTRUMENTS_DIR = path.join(INSTRUMENTS_DIR, 'earlier-versions');

/** The SQL migrations, applied in order by src/server/db/migrate.ts. */
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'src', 'server', 'db', 'migrations');
