/**
 * Reading a backup back in (the data screen): first what the file holds, then, once the person chose, replacing
 * what the device holds or merging into it. The rules are the core's (src/core/backup/backup.ts); the writing is
 * the write path's (`restoreSchool`), in one transaction: a backup with any problem changes nothing.
 */
import { CURRENT_VERSION } from '../database/schema';
import type { Person } from '../../core/model/records';
import { loadInstrumentValidator, now, restoreSchool, type RestoreMode, type RestoreOutcome } from '../writes/local';
import {
  checkBackup,
  judgeBackup,
  refusedChanges,
  summarizeBackup,
  type BackupProblem,
  type BackupSummary,
  type CheckedBackup,
} from '../../core/backup/backup';

export type { RestoreMode, RestoreOutcome };
export { RestoreRefused } from '../writes/local';

/** A backup file read and judged on its own, ready to restore. */
export interface ReadBackup {
  backup: CheckedBackup;
  summary: BackupSummary;
}

export type BackupReading = { ok: true; read: ReadBackup } | { ok: false; problem: BackupProblem };

/**
 * Reads a backup file's text: its shape, brought up to date, and every record judged as the school it makes on its
 * own (a replace). Nothing is written.
 */
export async function readBackupFile(text: string): Promise<BackupReading> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: { reason: 'not-json' } };
  }
  const checked = checkBackup(value, CURRENT_VERSION);
  if (!checked.ok) return checked;
  const problem = await judgeBackup(checked.backup.tables, await judgeOptions());
  if (problem) return { ok: false, problem };
  return { ok: true, read: { backup: checked.backup, summary: summarizeBackup(checked.backup) } };
}

/**
 * Restores a backup read by `readBackupFile`: `replace` what the device holds, or `merge` into it (only a backup of
 * the same school). Throws `RestoreRefused` when the school it would make breaks a rule; nothing is written then.
 * `person`: a tablet signed in to a school server, whose person restores: it merges only, and only what that person
 * may write (their own observations, reflections, goals …) comes back, as their changes, which the server judges
 * again when they are sent; the rest stays with the server, where it already is.
 */
export async function restoreBackup(read: ReadBackup, mode: RestoreMode, person?: Person): Promise<RestoreOutcome> {
  const options = await judgeOptions();
  return restoreSchool(
    read.backup.tables,
    mode,
    (school) =>
      // A replace makes the school the backup is, already judged as such.
      mode === 'replace' ? Promise.resolve(undefined) : judgeBackup(school, options),
    undefined,
    person
      ? { actor: person, notAllowed: (changes, school) => refusedChanges(changes, school, person, options) }
      : undefined,
  );
}

async function judgeOptions() {
  const validate = await loadInstrumentValidator();
  return { now: now(), validInstrument: (content: unknown) => validate(content).ok };
}
