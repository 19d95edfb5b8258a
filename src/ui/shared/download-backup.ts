/**
 * Downloads a backup of the database in use as one JSON file (src/data/database/backup.ts): from the data screen, and
 * before signing out with changes the school server has not confirmed.
 */
import { createBackup } from '../../data/database/backup';
import { downloadFile, today } from './download-file';

export async function downloadBackup(): Promise<void> {
  const backup = await createBackup();
  downloadFile(`meekijken-backup-${today()}.json`, JSON.stringify(backup, null, 1), 'application/json');
}
