/**
 * The one Dexie database of a workspace. Only src/data touches Dexie; screens call the functions in the entity
 * files (people.ts, observations.ts, …), one per user action. Every write goes through the write path (src/data/writes/local.ts).
 *
 * The database is named per workspace (`meekijken-<workspace>`), so one device can later hold one database per
 * signed-in person or school without mixing their data.
 */
import Dexie, { type EntityTable } from 'dexie';
import type {
  Amendment,
  Feedback,
  Goal,
  ObservationRequest,
  Reflection,
  RequestDecline,
  InstalledInstrument,
  InstrumentDraft,
  ItemResponse,
  Note,
  Observation,
  Person,
  School,
  SchoolYear,
  Team,
} from '../../core/model/records';
import { defineSchema } from './schema';
import type { OutboxChange } from '../../core/sync/change';

/** A setting of this device only (who uses it): never synced or exported with the school's data. */
export interface DeviceSetting {
  /**
   * Who uses the device; up to which summary version older observations have been given their summary. For a
   * signed-in account (src/data/sync/sync.ts): the server's cursor to pull from, the last sync's outcome, observations a
   * pull brought that were newly handed over to this person, its changes the server refused (until seen), and the highest outbox sequence ever sent (entries
   * up to it may have reached the server, so they are never folded). The outbox's last sequence when it was last
   * folded whole (src/data/writes/outbox.ts). For a signed-in leader: the last team
   * figures from the server per filter set (`teamInsight:…`, src/data/sync/team-insight.ts), to show offline. For a
   * leader starting a school: the steps of the guided start they ticked themselves, or that they put it away
   * (`gettingStarted`, src/data/records/getting-started.ts).
   */
  key:
    | 'currentPersonId'
    | 'summariesBackfilled'
    | 'syncCursor'
    | 'syncState'
    | 'syncNewFeedback'
    | 'syncNotSent'
    | 'outboxSentUpTo'
    | 'outboxFoldedUpTo'
    | 'gettingStarted'
    | `teamInsight:${string}`;
  value: string;
}

export type MeekijkenDb = Dexie & {
  schools: EntityTable<School, 'id'>;
  teams: EntityTable<Team, 'id'>;
  people: EntityTable<Person, 'id'>;
  schoolYears: EntityTable<SchoolYear, 'id'>;
  instruments: EntityTable<InstalledInstrument, 'id'>;
  observations: EntityTable<Observation, 'id'>;
  responses: EntityTable<ItemResponse, 'id'>;
  notes: EntityTable<Note, 'id'>;
  amendments: EntityTable<Amendment, 'id'>;
  requests: EntityTable<ObservationRequest, 'id'>;
  declines: EntityTable<RequestDecline, 'id'>;
  feedback: EntityTable<Feedback, 'id'>;
  reflections: EntityTable<Reflection, 'id'>;
  goals: EntityTable<Goal, 'id'>;
  instrumentDrafts: EntityTable<InstrumentDraft, 'id'>;
  /** Settings of this device only (who uses it). Never synced or exported with the school's data. */
  device: EntityTable<DeviceSetting, 'key'>;
  /** Every change made on this device, in order, for a later sync client (written only by src/data/writes/outbox.ts, emptied by remote.ts). */
  outbox: EntityTable<OutboxChange, 'seq'>;
};

export const DEFAULT_WORKSPACE = 'school';

export function databaseName(workspace: string): string {
  return `meekijken-${workspace}`;
}

export function openDatabase(name = databaseName(DEFAULT_WORKSPACE)): MeekijkenDb {
  const db = new Dexie(name) as MeekijkenDb;
  defineSchema(db);
  watchVersionChange(db);
  return db;
}

let current: MeekijkenDb | undefined;

/** The app's database, opened on first use. */
export function db(): MeekijkenDb {
  current ??= openDatabase();
  return current;
}

/** Points the data layer at another database (tests, and later a workspace switch). */
export function useDatabase(database: MeekijkenDb): void {
  current = database;
}

export { newId } from './ids';
import { newId } from './ids';
import { newRecordBase } from '../../core/model/records';

/** Readers skip soft-deleted records. */
export const alive = <T extends { deletedAt?: number }>(record: T | undefined): record is T =>
  !!record && record.deletedAt === undefined;

/** The fields every new record starts with. `now` comes from the caller's clock (`now()` in src/data/writes/local.ts by default). */
export function baseRecord(
  owner: string | null,
  now: number,
): { id: string; owner: string | null; createdAt: number; updatedAt: number } {
  return newRecordBase(newId(), owner, now);
}

const outdatedListeners = new Set<() => void>();

/**
 * Called when another tab opens a newer version of the database and waits for this one to let go. The listener
 * saves what it can, then calls `closeDatabase()`; until then the other tab's upgrade waits (it is never blocked
 * for good, and this tab never writes records of the old shape into the new schema).
 */
export function onDatabaseOutdated(listener: () => void): () => void {
  outdatedListeners.add(listener);
  return () => outdatedListeners.delete(listener);
}

export function closeDatabase(): void {
  current?.close();
}

/**
 * Deletes a whole database from this device (signing out of an account on a shared tablet). Waits until every
 * tab has let go of it: another tab that has it open is told through its versionchange handler, saves and closes.
 */
export async function deleteDatabase(name: string): Promise<void> {
  if (current?.name === name) current.close();
  await Dexie.delete(name);
}

function watchVersionChange(database: MeekijkenDb): void {
  database.on('versionchange', () => {
    if (outdatedListeners.size === 0) {
      database.close();
      return false;
    }
    for (const listener of outdatedListeners) listener();
    // Returning false keeps Dexie from closing at once: the listener closes after the last writes are in.
    return false;
  });
}
