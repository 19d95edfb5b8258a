/**
 * A device programmed to break the server, with a real session, over HTTP: values its instrument does not allow,
 * texts no database column holds, nesting that overflows a stack, records that do not exist. Each bad change is
 * refused alone with a reason; the changes after it arrive; nothing is answered with a 500.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { forEachDatabase, migratedDatabase, scalar } from './support/databases';
import {
  bearer,
  setUpSchool,
  signedInTeacher,
  testServer,
  type SignedInPerson,
  type TestServer,
} from './support/server';
import type { PushResponse, PushResult } from '../../src/core/sync/protocol';
import type { OutboxChange, RecordKind } from '../../src/core/sync/change';
import { pushChanges } from '../../src/server/sync/push';
import type { Database, Sql } from '../../src/server/db/database';

/** When the records here were made: a time in a school year. */
const T = Date.UTC(2026, 0, 5);
const INSTRUMENT = 'meekijken.lesobservatie@1.1.0';

forEachDatabase((kind) => {
  describe(`a hostile device on ${kind}`, () => {
    const test = migratedDatabase(kind);
    let server: TestServer;
    let admin: SignedInPerson;
    let teacher: SignedInPerson;
    let observationId: string;

    const change = (
      kind: RecordKind,
      recordId: string,
      op: OutboxChange['op'],
      fields: Record<string, unknown>,
    ): OutboxChange => ({
      id: randomUUID(),
      kind,
      recordId,
      op,
      fields,
      at: T,
      actor: teacher.person.id,
    });

    /** A value nested 5,000 levels deep, as the JSON text a script would send (too deep to stringify here). */
    const DEEP = '__deep__';
    const deepText = '['.repeat(5000) + '"bottom"' + ']'.repeat(5000);

    async function push(...changes: OutboxChange[]): Promise<PushResult[]> {
      const payload = JSON.stringify({ changes }).replace(JSON.stringify(DEEP), deepText);
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: { ...bearer(teacher.token), 'content-type': 'application/json' },
        payload,
      });
      expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
      return response.json<PushResponse>().results;
    }

    const note = (text: unknown, extra: Record<string, unknown> = {}) => {
      const id = randomUUID();
      return change('note', id, 'insert', {
        id,
        owner: teacher.person.id,
        createdAt: T,
        updatedAt: T,
        observationId,
        text,
        lessonMs: 0,
        ...extra,
      });
    };
    const rating = (itemId: string, fields: Record<string, unknown>) => {
      const id = `${observationId}:${itemId}`;
      return change('response', id, 'insert', {
        id,
        owner: teacher.person.id,
        createdAt: T,
        updatedAt: T,
        observationId,
        itemId,
        lookFors: [],
        ...fields,
      });
    };
    const observation = (fields: Record<string, unknown> = {}) => {
      const id = randomUUID();
      const record = {
        id,
        owner: teacher.person.id,
        createdAt: T,
        updatedAt: T,
        instrumentKey: INSTRUMENT,
        observerId: teacher.person.id,
        observedId: admin.person.id,
        purpose: 'peer',
        status: 'draft',
        context: {},
        clock: { elapsedMs: 0 },
        position: {},
        startedAt: T,
      };
      return change('observation', id, 'insert', { ...record, ...fields });
    };

    beforeEach(async () => {
      server = await testServer(test.database);
      admin = await setUpSchool(server);
      teacher = await signedInTeacher(server, admin);
      const start = observation();
      observationId = start.recordId;
      expect((await push(start))[0]).toMatchObject({ outcome: 'applied' });
    });
    afterEach(async () => {
      await server.app.close();
    });

    /** An administrator's upload of a device-only school's records (in the backup's table names). */
    const upload = (tables: Record<string, unknown[]>) =>
      server.app.inject({
        method: 'POST',
        url: '/api/school/records',
        headers: bearer(admin.token),
        payload: { format: 'meekijken-backup', tables },
      });
    const recordCount = () => scalar(test.database, 'SELECT count(*)::int8 AS value FROM records');

    it('refuses an upload whole, naming the record, when one record is bad or goes into an observation from sync', async () => {
      const fresh = observation({
        observerId: admin.person.id,
        observedId: teacher.person.id,
        owner: admin.person.id,
      }).fields;
      const id = String(fresh.id);
      const good = {
        id: randomUUID(),
        owner: admin.person.id,
        createdAt: T,
        updatedAt: T,
        observationId: id,
        text: 'Goed begin',
        lessonMs: 0,
      };
      const before = await recordCount();
      const cases: [Record<string, unknown[]>, RegExp][] = [
        // A character no column holds, or a value the instrument does not offer, somewhere after good records.
        [
          { observations: [fresh], notes: [good, { ...good, id: randomUUID(), text: 'nul\u0000' }] },
          /the note [0-9a-f-]{36}: a text holds a character .* \(field text\)/,
        ],
        [
          {
            observations: [fresh],
            responses: [
              {
                id: `${id}:lk-respect`,
                owner: admin.person.id,
                createdAt: T,
                updatedAt: T,
                observationId: id,
                itemId: 'lk-respect',
                lookFors: [],
                rating: 99,
              },
            ],
          },
          /the response .*:lk-respect: a value is not one its instrument .* allows \(field rating\)/,
        ],
        // A response under the id of another item: identity.
        [
          {
            observations: [fresh],
            responses: [
              {
                id: `${id}:lk-sfeer`,
                owner: admin.person.id,
                createdAt: T,
                updatedAt: T,
                observationId: id,
                itemId: 'lk-respect',
                lookFors: [],
              },
            ],
          },
          /its id is not the one its fields give/,
        ],
        // A reflection into the observation the teacher pushed: a colleague's lesson, not this school's history.
        [
          {
            reflections: [
              {
                id: observationId,
                owner: admin.person.id,
                createdAt: T,
                updatedAt: T,
                observationId,
                teacherId: admin.person.id,
                text: '',
                sharedWithLeaderAt: T,
              },
            ],
          },
          /would add to an observation the server already has from sync/,
        ],
        [
          { notes: [{ ...good, id: randomUUID(), observationId }] },
          /would add to an observation the server already has from sync/,
        ],
      ];
      for (const [tables, message] of cases) {
        const response = await upload(tables);
        expect(response.statusCode, response.body).toBe(400);
        expect(response.json()).toEqual({ error: { code: 'upload-refused', message: expect.stringMatching(message) } });
        expect(await recordCount()).toBe(before);
      }
      // In parts: the observation first, its records in the next part.
      expect((await upload({ observations: [fresh] })).json()).toEqual({ added: 1, skipped: 0 });
      expect((await upload({ observations: [fresh], notes: [good] })).json()).toEqual({ added: 1, skipped: 1 });
      expect(await recordCount()).toBe(before + 2);
    });

    it('refuses poison in the middle of a batch alone: the changes after it arrive', async () => {
      const batch = [
        note('voor'),
        note('plakte\u0000tekst'),
        note('half emoji \ud83d'),
        note('diep', { itemId: DEEP }),
        note('x'.repeat(4 * 1024 * 1024)),
        change('note', 'nul\u0000id', 'insert', { text: 'x' }),
        note('na'),
      ];
      const results = await push(...batch);
      expect(results.map((r) => [r.outcome, r.reason])).toEqual([
        ['applied', undefined],
        ['refused', 'invalid-text'],
        ['refused', 'invalid-text'],
        ['refused', 'too-large'],
        ['refused', 'too-large'],
        ['refused', 'invalid-text'],
        ['applied', undefined],
      ]);
      const stored = await test.database.query<{ text: string }>(
        "SELECT data->>'text' AS text FROM records WHERE kind = 'note' ORDER BY version",
      );
      expect(stored.map((row) => row.text)).toEqual(['voor', 'na']);
      // Sent again (the device never heard), the same answers: the refused ones stay refused, nothing doubles.
      expect((await push(...batch)).map((r) => r.outcome)).toEqual([
        'duplicate',
        'refused',
        'refused',
        'refused',
        'refused',
        'refused',
        'duplicate',
      ]);
    });

    it('stores no value the instrument does not allow, and names no record that does not exist', async () => {
      const cases: Array<[OutboxChange, string]> = [
        [rating('lk-respect', { rating: 99 }), 'invalid-value'],
        [rating('lk-respect', { rating: 'hoog' }), 'invalid-value'],
        [rating('lk-respect', { rating: 1e308 }), 'invalid-value'],
        [rating('lk-respect', { lookFors: 5 }), 'invalid-value'],
        [rating('no-such-item', { rating: 3 }), 'unknown-reference'],
        [observation({ startedAt: Date.UTC(9999, 0, 1) }), 'implausible-date'],
        [observation({ instrumentKey: 'made.up@1.0.0' }), 'unknown-reference'],
        [observation({ observedId: randomUUID() }), 'unknown-reference'],
        [note('ok', { extra: { nested: true } }), 'invalid-value'],
      ];
      const results = await push(...cases.map(([each]) => each), rating('lk-respect', { rating: 3 }));
      expect(results.map((r) => r.reason)).toEqual([...cases.map(([, reason]) => reason), undefined]);
      expect(await scalar(test.database, "SELECT count(*)::int8 FROM records WHERE kind = 'response'")).toBe(1);
    });

    it('adds no person without a visible name, or in a team that does not exist', async () => {
      const add = (payload: Record<string, unknown>) =>
        server.app.inject({ method: 'POST', url: '/api/people', headers: bearer(admin.token), payload });
      const people = () => scalar(test.database, "SELECT count(*)::int8 FROM records WHERE kind = 'person'");
      const before = await people();
      expect((await add({ name: '\u200b', role: 'teacher', starter: false })).json()).toMatchObject({
        error: { code: 'invalid-text' },
      });
      expect(
        (await add({ name: 'Carla', role: 'teacher', starter: false, teamId: randomUUID() })).json(),
      ).toMatchObject({ error: { code: 'unknown-reference' } });
      expect(await people()).toBe(before);
      expect((await add({ name: 'Carla', role: 'teacher', starter: false })).statusCode).toBe(201);
    });
  });
});

describe('a change the database cannot store', () => {
  const test = migratedDatabase('pglite');

  /**
   * The database, with statements failing the way a database would: `when` picks them (a statement that stores a
   * record holding `B`, say). Inside a transaction too, where a push stores its changes.
   */
  function failing(database: Database, error: Error, when: (text: string, params?: unknown[]) => boolean): Database {
    const query =
      (sql: Sql): Sql['query'] =>
      <T>(text: string, params?: unknown[]) =>
        when(text, params) ? Promise.reject(error) : sql.query<T>(text, params);
    return {
      ...database,
      query: query(database),
      transaction: (fn) => database.transaction((tx) => fn({ query: query(tx) })),
      close: () => database.close(),
    };
  }
  const storing = (name: string) => (text: string, params?: unknown[]) =>
    text.includes('INSERT INTO records') && JSON.stringify(params ?? []).includes(`\\"name\\":\\"${name}\\"`);

  const session = {
    sessionId: 's',
    schoolId: 'school-x',
    person: { id: 'p', owner: 'p', createdAt: T, updatedAt: T, name: 'P', role: 'leader' as const, starter: false },
  };
  const team = (name: string): OutboxChange => {
    const id = randomUUID();
    return {
      id: randomUUID(),
      kind: 'team',
      recordId: id,
      op: 'insert',
      fields: { id, owner: 'p', createdAt: T, updatedAt: T, name },
      at: T,
      actor: 'p',
    };
  };

  it('is refused alone as unstorable, and the server log hears why', async () => {
    await test.database.query("INSERT INTO schools (id, name, created_at) VALUES ('school-x', 'X', 1)");
    await test.database.query("INSERT INTO school_versions (school_id) VALUES ('school-x')");
    const heard: unknown[] = [];
    const broken = failing(
      test.database,
      Object.assign(new Error('value too long for type'), { code: '22001' }),
      storing('B'),
    );
    const b = team('B');
    const results = await pushChanges(broken, session, [team('A'), b, team('C')], T + 1, (_change, error) =>
      heard.push(error),
    );
    expect(results.map((r) => [r.outcome, r.reason])).toEqual([
      ['applied', undefined],
      ['refused', 'unstorable'],
      ['applied', undefined],
    ]);
    expect(heard).toHaveLength(1);
    // A and C are stored, each once and numbered; B not at all, and a resend of B is refused the same.
    const names = await test.database.query<{ name: string; version: number }>(
      "SELECT data->>'name' AS name, version FROM records WHERE kind = 'team' ORDER BY version",
    );
    expect(names.map((r) => r.name)).toEqual(['A', 'C']);
    expect(names.every((r) => r.version > 0)).toBe(true);
    expect(await pushChanges(test.database, session, [b], T + 2)).toEqual([
      { id: b.id, outcome: 'refused', reason: 'unstorable' },
    ]);
  });

  it('stops the push when the database is away, for the device to send again', async () => {
    const away = failing(
      test.database,
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      () => true,
    );
    await expect(pushChanges(away, session, [team('A')], T + 1)).rejects.toThrow(/ECONNREFUSED/);
  });
});
