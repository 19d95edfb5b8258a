/**
 * Downloads a backup of the database in use as one JSON file (src/data/database/backup.ts): from the data screen, and
 * before signing out with changes the school server has not confirmed.
 */
import { createBackup } from '../../data/database/backup';

export async function downloadBackup(): Promise<void> {
  const backup = await createBackup();
  const blob = new Blob([JSON.stringify(backup, null, 1)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `meekijken-backup-${new Date().toISOString().slice(0, 10)}.json`;
  link.click();
  // The download starts from the link; the object URL is freed once it surely has.
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
