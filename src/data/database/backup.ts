/**
 * A backup of this workspace as one JSON document, for the user to download and keep somewhere safe. Device
 * settings (who uses this tablet) are left out: they belong to the device, not to the school.
 */
import { db } from './db';
import { CURRENT_VERSION } from './schema';
import { BACKUP_FORMAT } from '../../core/backup/backup';

/** `database`: the app's own, or another on this tablet (the device-only school, uploaded to the school server). */
export async function createBackup(now = Date.now(), database = db()) {
  const tables = [
    database.schools,
    database.teams,
    database.people,
    database.schoolYears,
    database.instruments,
    database.observations,
    database.responses,
    database.notes,
    database.amendments,
    database.requests,
    database.declines,
    database.feedback,
    database.reflections,
    database.goals,
    // Half-written instruments too: a backup loses nothing anyone typed.
    database.instrumentDrafts,
  ];
  return database.transaction('r', tables, async () => {
    const entries = await Promise.all(tables.map(async (table) => [table.name, await table.toArray()] as const));
    return {
      format: BACKUP_FORMAT,
      schemaVersion: CURRENT_VERSION,
      exportedAt: new Date(now).toISOString(),
      tables: Object.fromEntries(entries),
    };
  });
}

/** Record counts per table, for the data screen. */
export async function countRecords(): Promise<{ observations: number; people: number; notes: number }> {
  const database = db();
  const [observations, people, notes] = await Promise.all([
    database.observations.count(),
    database.people.count(),
    database.notes.count(),
  ]);
  return { observations, people, notes };
}
