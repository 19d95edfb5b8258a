/**
 * Data-layer test harness on fake-indexeddb: a fresh database per test, and a way to write a database the way an
 * earlier schema version did, with literal records, before the app opens (and upgrades) it.
 */
import Dexie from 'dexie';
import { afterEach, beforeEach } from 'vitest';
import { openDatabase, useDatabase, type MeekijkenDb } from '../../../src/data/database/db';
import type { JournalEntry } from '../../../src/data/writes/journal';
import type { SyncStorage } from '../../../src/data/database/page-storage';

let counter = 0;
const opened: MeekijkenDb[] = [];

export function freshDatabaseName(): string {
  counter += 1;
  return `meekijken-test-${process.pid}-${counter}-${Date.now()}`;
}

/** Gives every test its own empty database as the app's database. */
export function useFreshDatabase(): { db: () => MeekijkenDb } {
  let current: MeekijkenDb | undefined;
  beforeEach(() => {
    current = openDatabase(freshDatabaseName());
    opened.push(current);
    useDatabase(current);
  });
  afterEach(async () => {
    while (opened.length) {
      const db = opened.pop()!;
      db.close();
      await Dexie.delete(db.name);
    }
  });
  return {
    db: () => {
      if (!current) throw new Error('no database yet');
      return current;
    },
  };
}

/**
 * Writes `records` (table name → literal records) into a database at an earlier schema version, exactly as that
 * version declared its stores, and closes it. Then open it with `openDatabase(name)` to run the upgrades.
 */
export async function writeOldDatabase(
  name: string,
  version: number,
  stores: Record<string, string>,
  records: Record<string, object[]>,
): Promise<void> {
  const old = new Dexie(name);
  old.version(version).stores(stores);
  await old.open();
  await old.transaction('rw', Object.keys(records), async () => {
    for (const [table, rows] of Object.entries(records)) await old.table(table).bulkAdd(rows);
  });
  old.close();
}

/** localStorage as a map, with a switch that makes it throw like a full or blocked storage. */
export class MemoryStorage implements SyncStorage {
  readonly map = new Map<string, string>();
  broken = false;
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.broken) throw new DOMException('full', 'QuotaExceededError');
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  key(index: number) {
    return [...this.map.keys()][index] ?? null;
  }
  get length() {
    return this.map.size;
  }
  entries(): JournalEntry[] {
    return [...this.map.values()].flatMap((raw) => JSON.parse(raw) as JournalEntry[]);
  }
}

/**
 * Runs `body` with a fresh database of its own as the app's (to make something elsewhere, such as a backup), then
 * deletes it and makes `own` the app's database again.
 */
export async function inOtherDatabase<T>(own: MeekijkenDb, body: () => Promise<T>): Promise<T> {
  const other = openDatabase(freshDatabaseName());
  useDatabase(other);
  try {
    return await body();
  } finally {
    other.close();
    await Dexie.delete(other.name);
    useDatabase(own);
  }
}
