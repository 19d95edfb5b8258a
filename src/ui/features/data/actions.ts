/** First run: a school of one's own, or the demo school. */
import { createSchool } from '../../../data/records/school';
import { installShippedInstruments } from '../../../data/records/instruments';
import { pageWrites } from '../../../data/records/page-writes';
import type { SyncFailure } from '../../../data/sync/sync';
import type { ReadBackup, RestoreMode, RestoreOutcome } from '../../../data/records/restore';
import type { BackupProblem } from '../../../core/backup/backup';
import type { Person } from '../../../core/model/records';

export const createNewSchool = (name: string) =>
  pageWrites.run('school', async () => {
    await installShippedInstruments();
    await createSchool(name);
  });

/** The generator is only needed for this one tap: it loads on demand instead of with the app. */
export const loadDemo = () =>
  pageWrites.run('demo', async () => (await import('../../../data/records/demo')).loadDemoSchool());

export type ServerDemoOutcome =
  { ok: true; added: number; sync: SyncFailure | undefined } | { ok: false; problem: 'not-empty' | SyncFailure };

/**
 * Loads the demo school on the school server (an administrator of a school without observations), then syncs so
 * this tablet has what its person may see of it. `onLoaded` says the server part is done while the sync runs.
 */
export async function loadDemoOnSchoolServer(onLoaded: (added: number) => void): Promise<ServerDemoOutcome> {
  // The sync client loads with this action, not with the first-run screen that shares this file.
  const [{ loadDemoOnServer }, { failureOf, syncOpenAccount }, { SyncHttpError }] = await Promise.all([
    import('../../../data/sync/school-server'),
    import('../../../data/sync/sync'),
    import('../../../data/sync/sync-transport'),
  ]);
  let added: number;
  try {
    added = (await loadDemoOnServer()).added;
  } catch (error) {
    if (error instanceof SyncHttpError && error.status === 409) return { ok: false, problem: 'not-empty' };
    const failed = failureOf(error);
    return { ok: false, problem: failed.outcome === 'failed' ? failed.failure : 'protocol' };
  }
  onLoaded(added);
  const synced = await syncOpenAccount();
  return { ok: true, added, sync: synced?.outcome === 'failed' ? synced.failure : undefined };
}

export type { BackupReading, RestoreMode } from '../../../data/records/restore';

/** Reads a backup file's text and judges it; nothing is written (src/data/records/restore.ts). */
export const readBackup = async (text: string) => (await import('../../../data/records/restore')).readBackupFile(text);

/**
 * Restores a backup read by `readBackup`, replacing or merging, in one transaction (not through the save status: a
 * refused restore is not tried again). A backup the school's rules refuse as merged (`RestoreRefused`) comes back as
 * its problem; nothing was written then. Any other failure (storage full) throws, with nothing written either.
 */
export async function restoreFromBackup(
  read: ReadBackup,
  mode: RestoreMode,
  person?: Person,
): Promise<{ ok: true; outcome: RestoreOutcome } | { ok: false; problem: BackupProblem }> {
  const { restoreBackup, RestoreRefused } = await import('../../../data/records/restore');
  try {
    return { ok: true, outcome: await restoreBackup(read, mode, person) };
  } catch (error) {
    if (error instanceof RestoreRefused) return { ok: false, problem: error.problem };
    throw error;
  }
}
