/**
 * One process per PGlite directory. PGlite keeps no lock of its own: a second process (a second server, or
 * `npm run server:setup-link` while the server runs) would open the same files with its own view of them, and the
 * two would overwrite each other's pages. A lock file names its holder: the process id, and where the system tells
 * (Linux), the boot it ran in and when the process started. A lock is taken over when its holder is gone: the
 * process no longer runs, or the number now belongs to another process (the machine rebooted, or the number was
 * reused). A lock of a process that still runs is respected, with a message that says what to do.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'meekijken.lock';

/** Who holds a lock: the process, and (where known) the boot and the moment it started, to tell a reused number. */
export interface LockHolder {
  pid: number;
  bootId?: string;
  /** The process's start time since boot, in clock ticks (Linux `/proc/<pid>/stat`, field 22). */
  startTicks?: string;
}

/** This machine's boot, where the system says (Linux). */
function currentBoot(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** When a process started, where the system says (Linux); undefined when unknown or not running. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

function describeSelf(): LockHolder {
  const bootId = currentBoot();
  const startTicks = processStart(process.pid);
  return { pid: process.pid, ...(bootId ? { bootId } : {}), ...(startTicks ? { startTicks } : {}) };
}

/** Reads a lock file: the JSON this module writes, or a bare process id (written by an older version). */
export function parseHolder(text: string): LockHolder | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const value = JSON.parse(trimmed) as Partial<LockHolder>;
    return Number.isInteger(value.pid) && (value.pid as number) > 0 ? (value as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the holder still runs: the same process, not merely the same number. */
export function holderRuns(
  holder: LockHolder,
  now: { bootId?: string; start: (pid: number) => string | undefined; alive: (pid: number) => boolean } = {
    bootId: currentBoot(),
    start: processStart,
    alive: isRunning,
  },
): boolean {
  if (holder.bootId && now.bootId && holder.bootId !== now.bootId) return false;
  if (!now.alive(holder.pid)) return false;
  if (holder.startTicks) {
    const start = now.start(holder.pid);
    if (start !== undefined && start !== holder.startTicks) return false;
  }
  return true;
}

/** Takes the directory's lock or throws a message that names the holder; returns the release. */
export function lockDirectory(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(describeSelf()));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = parseHolder(readFileSync(file, 'utf8'));
      if (holder && holderRuns(holder)) {
        throw new Error(
          `The database in ${dir} is in use by process ${holder.pid} (a Meekijken server?). Stop that process first: PGlite allows one process at a time. (To run several, use PostgreSQL with DATABASE_URL.) If no Meekijken runs, remove ${file}.`,
          { cause: error },
        );
      }
      console.warn(
        `Meekijken: taking over the lock ${file}: ${holder ? `process ${holder.pid} no longer holds it` : 'it names no process'}.`,
      );
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
