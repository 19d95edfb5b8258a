/**
 * Which record-schema versions the sync protocol speaks, and how a change written by an older device becomes a
 * change of the current version.
 *
 * A device writes its records in the shape of its database schema version (src/data/database/schema.ts
 * `CURRENT_VERSION`), and says that version with every push and pull. An update waits for its user's consent, so
 * tablets keep writing older shapes for days after the school server was updated: the server upgrades what they push
 * with the pure functions here, one step per version, before any rule judges it.
 *
 * The support window is `OLDEST_SCHEMA_VERSION`…`CURRENT_SCHEMA_VERSION`. A device older than the window is refused
 * with `app-too-old` (the app must be updated to sync again); a device newer than this code is refused with
 * `server-too-old` (a server rolled back, or an old server process next to a new one during an upgrade). What a pull
 * sends an older device is the records as the server holds them, in the current shape: the window may only span
 * versions whose records an app of the oldest version still reads correctly. A version that changes a record's shape
 * in a way older apps misread moves `OLDEST_SCHEMA_VERSION` up to itself.
 */
import type { OutboxChange } from './change';

/** The record-schema version this code writes and reads: the device's database schema version. */
export const CURRENT_SCHEMA_VERSION = 6;

/**
 * The oldest version the server accepts. Sync with a school server exists since schema 4; 4→5 added a kind of record
 * (instrument drafts) and changed no record's shape, so pulls of version 5 read correctly in an app of version 4;
 * 5→6 added optional fields (a request's start time and length, the school's calendar) that older apps leave alone
 * and keep when they write.
 */
export const OLDEST_SCHEMA_VERSION = 4;

/** The version of a request that says none: every app released before versions were sent writes version 5. */
export const UNVERSIONED_SCHEMA_VERSION = 5;

/** One step: a change as version `from` wrote it, as version `from + 1` would have written it. Pure. */
export type ChangeUpgrade = (change: OutboxChange) => OutboxChange;

/**
 * The steps, by the version they upgrade from. Each is frozen once shipped, like the database's upgrades
 * (src/core/model/migrations): the next version that changes a record's shape adds one function here, written
 * against literal changes of the version before it.
 */
export const CHANGE_UPGRADES: Readonly<Record<number, ChangeUpgrade>> = {
  /** 4→5: instrument drafts became a kind of record; no existing record changed shape. */
  4: (change) => change,
  /** 5→6: optional fields on requests and the school; a change of version 5 is a change of version 6 as it is. */
  5: (change) => change,
};

/** Where a device of this version stands: inside the window, too old for this server, or newer than it. */
export function versionStanding(version: number): 'supported' | 'too-old' | 'too-new' {
  if (version < OLDEST_SCHEMA_VERSION) return 'too-old';
  if (version > CURRENT_SCHEMA_VERSION) return 'too-new';
  return 'supported';
}

/**
 * A change written by a device of version `fromVersion`, as the current version writes it: every step from that
 * version up, in order. Throws for a version outside the window, or one without a step (a registry with a gap).
 */
export function upgradeChange(
  change: OutboxChange,
  fromVersion: number,
  steps: Readonly<Record<number, ChangeUpgrade>> = CHANGE_UPGRADES,
  current: number = CURRENT_SCHEMA_VERSION,
): OutboxChange {
  if (!Number.isInteger(fromVersion) || fromVersion > current)
    throw new RangeError(`No upgrade from schema version ${fromVersion} to ${current}`);
  let upgraded = change;
  for (let version = fromVersion; version < current; version++) {
    const step = steps[version];
    if (!step) throw new RangeError(`No upgrade from schema version ${version} to ${version + 1}`);
    upgraded = step(upgraded);
  }
  return upgraded;
}
