/**
 * One process per PGlite directory. PGlite keeps no lock of its own: a second process (a second server, or
 * `npm run server:setup-link` while the server runs) would open the same files with its own view of them, and the
 * two would overwrite each other's pages. A lock file with the owner's process id keeps the second one out; a lock
 * left by a process that no longer runs (a crash, a power cut) is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'meekijken.lock';

/** Takes the directory's lock or throws a message that names the holder; returns the release. */
export function lockDirectory(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8'));
      if (isRunning(holder)) {
        throw new Error(
          `The database in ${dir} is in use by process ${holder} (a Meekijken server?). Stop that process first: PGlite allows one process at a time. (To run several, use PostgreSQL with DATABASE_URL.)`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${file}; another process keeps taking it.`);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
