/**
 * Devices and a school for the sync tests: each device is its own fake-indexeddb database (the data layer's
 * database is switched to it for every step, as a reload switches it in the app) with its own link to the fake
 * server, signed in as one person.
 */
import Dexie from 'dexie';
import { freshDatabaseName } from './harness';
import { FakeServer, SCHOOL, type Link } from './fake-server';
import { openDatabase, useDatabase, type MeekijkenDb } from '../../../src/data/database/db';
import { installed } from '../../../src/data/records/instruments';
import { loadShippedInstrument } from '../../../src/data/records/shipped-instruments';
import { setCurrentPerson } from '../../../src/data/records/device';
import { sync, type SyncOptions, type SyncResult } from '../../../src/data/sync/sync';
import { schoolYearId, schoolYearOf } from '../../../src/core/model/school-year';
import type { Person, Role } from '../../../src/core/model/records';
import type { PlainRecord } from '../../../src/core/sync/apply-change';
import { RECORD_KINDS } from '../../../src/core/sync/change';
import { TABLES } from '../../../src/data/writes/tables';

export const T0 = Date.UTC(2026, 10, 25, 9, 0);
export const KEY = 'meekijken.lesobservatie@1.1.0';

const person = (id: string, name: string, role: Role): Person => ({
  id,
  owner: null,
  createdAt: T0,
  updatedAt: T0,
  name,
  role,
  starter: false,
});

export const PEOPLE = {
  anna: person('anna', 'Anna Jansen', 'teacher'),
  bram: person('bram', 'Bram de Vries', 'teacher'),
  lies: person('lies', 'Lies Leider', 'leader'),
};

/** A server holding a school: its people, the lesson-observation instrument and this school year. */
export async function schoolServer(): Promise<FakeServer> {
  const server = new FakeServer();
  server.seed('school', { id: SCHOOL.id, owner: null, createdAt: T0, updatedAt: T0, name: SCHOOL.name });
  for (const p of Object.values(PEOPLE)) server.seed('person', p);
  const instrument = await loadShippedInstrument('meekijken.lesobservatie');
  if (!instrument) throw new Error('the lesson-observation instrument is not shipped');
  server.seed('instrument', installed(instrument, 'shipped', T0));
  const year = schoolYearOf(T0);
  server.seed('schoolYear', { id: schoolYearId(year.name), owner: null, createdAt: T0, updatedAt: T0, ...year });
  return server;
}

export class Device {
  readonly db: MeekijkenDb;
  readonly link: Link;
  readonly account;

  constructor(
    server: FakeServer,
    readonly person: Person,
    databaseName = freshDatabaseName(),
  ) {
    this.db = openDatabase(databaseName);
    this.link = server.link(person.id);
    this.account = { schoolId: SCHOOL.id, personId: person.id };
  }

  /** Runs a step of this device: the data layer works on its database meanwhile. */
  async run<T>(step: () => Promise<T>): Promise<T> {
    useDatabase(this.db);
    return step();
  }

  /** Opens the database as the connect screen does: this person uses it. */
  async signIn(): Promise<void> {
    await this.run(() => setCurrentPerson(this.person.id));
  }

  sync(options: Partial<SyncOptions> = {}): Promise<SyncResult> {
    return this.run(() => sync({ transport: this.link, account: this.account, ...options }));
  }

  /** Every record on this device by `kind:id`. */
  async holdings(): Promise<Map<string, PlainRecord>> {
    const held = new Map<string, PlainRecord>();
    for (const kind of RECORD_KINDS) {
      for (const record of await this.db.table(TABLES[kind]).toArray())
        held.set(`${kind}:${record.id}`, record as PlainRecord);
    }
    return held;
  }

  async close(): Promise<void> {
    this.db.close();
    await Dexie.delete(this.db.name);
  }
}

/** Records as plain JSON (what a wire would carry), sorted by key: two holdings compare equal when they hold the same. */
export function normalise(records: Map<string, PlainRecord>): Array<[string, unknown]> {
  return [...records]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, record]) => [key, JSON.parse(JSON.stringify(record))]);
}
