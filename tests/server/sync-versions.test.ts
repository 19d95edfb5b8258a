/**
 * The versioned protocol over HTTP (src/core/sync/sync-versions.ts), on both engines: a device on the previous
 * record-schema version pushes and pulls, its changes upgraded by the core's pure upgrades; a request without a
 * version is an app released before versions were sent (version 5); a device older than the support window is
 * refused with `app-too-old`, one newer than the server with `server-too-old`, and a malformed version with a 400;
 * a refusal changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
import type { PullResponse, PushResponse } from '../../src/core/sync/protocol';
import {
  CURRENT_SCHEMA_VERSION,
  OLDEST_SCHEMA_VERSION,
  UNVERSIONED_SCHEMA_VERSION,
  upgradeChange,
} from '../../src/core/sync/sync-versions';

// The server's own calls of the upgrade go through this spy: what it was asked to upgrade, and from which version.
vi.mock('../../src/core/sync/sync-versions', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/core/sync/sync-versions')>();
  return { ...actual, upgradeChange: vi.fn(actual.upgradeChange) };
});
const upgrades = vi.mocked(upgradeChange);

const T = Date.UTC(2026, 0, 5);
const PREVIOUS = CURRENT_SCHEMA_VERSION - 1;

forEachDatabase((kind) => {
  describe(`the protocol's versions on ${kind}`, () => {
    const test = migratedDatabase(kind);
    let server: TestServer;
    let admin: SignedInPerson;
    let teacher: SignedInPerson;

    beforeEach(async () => {
      server = await testServer(test.database);
      admin = await setUpSchool(server);
      teacher = await signedInTeacher(server, admin);
      upgrades.mockClear();
    });
    afterEach(async () => {
      await server.app.close();
    });

    const records = () => scalar(test.database, 'SELECT count(*)::int8 FROM records');

    /** A teacher's new draft observation of the administrator, as an outbox change. */
    function observationInsert() {
      const id = randomUUID();
      return {
        id: randomUUID(),
        kind: 'observation',
        recordId: id,
        op: 'insert',
        fields: {
          id,
          owner: teacher.person.id,
          createdAt: T + 1,
          updatedAt: T + 1,
          instrumentKey: 'meekijken.lesobservatie@1.1.0',
          observerId: teacher.person.id,
          observedId: admin.person.id,
          purpose: 'peer',
          status: 'draft',
          context: {},
          clock: { elapsedMs: 0 },
          position: {},
          startedAt: T,
        },
        at: T,
        actor: teacher.person.id,
      };
    }

    const push = (body: object) =>
      server.app.inject({ method: 'POST', url: '/api/sync/push', headers: bearer(teacher.token), payload: body });
    const pull = (query: string) =>
      server.app.inject({ method: 'GET', url: `/api/sync/pull?since=0${query}`, headers: bearer(teacher.token) });

    it('takes a push from a device on the previous version, upgraded change by change, and pulls to it', async () => {
      expect(PREVIOUS).toBeGreaterThanOrEqual(OLDEST_SCHEMA_VERSION);
      const changes = [observationInsert(), observationInsert()];
      const response = await push({ schemaVersion: PREVIOUS, changes });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<PushResponse>().results.map((r) => r.outcome)).toEqual(['applied', 'applied']);
      expect(upgrades.mock.calls.map(([change, from]) => [change.id, from])).toEqual(
        changes.map((change) => [change.id, PREVIOUS]),
      );
      const page = await pull(`&schemaVersion=${PREVIOUS}`);
      expect(page.statusCode, page.body).toBe(200);
      const pulled = page.json<PullResponse>().records.filter((r) => r.kind === 'observation');
      expect(pulled.map((r) => r.id).sort()).toEqual(changes.map((c) => c.recordId).sort());
    });

    it('upgrades nothing for the current version, and takes a request without a version as an app of version 5', async () => {
      expect((await push({ schemaVersion: CURRENT_SCHEMA_VERSION, changes: [observationInsert()] })).statusCode).toBe(
        200,
      );
      expect(upgrades).not.toHaveBeenCalled();
      const change = observationInsert();
      const unversioned = await push({ changes: [change] });
      expect(unversioned.statusCode, unversioned.body).toBe(200);
      expect(unversioned.json<PushResponse>().results[0]?.outcome).toBe('applied');
      expect(upgrades.mock.calls.map(([upgraded, from]) => [upgraded.id, from])).toEqual(
        CURRENT_SCHEMA_VERSION > UNVERSIONED_SCHEMA_VERSION ? [[change.id, UNVERSIONED_SCHEMA_VERSION]] : [],
      );
      const page = await pull('');
      expect(page.statusCode, page.body).toBe(200);
      expect(page.json<PullResponse>().records.filter((r) => r.kind === 'observation')).toHaveLength(2);
    });

    it('refuses a device older than the window (app-too-old) and one newer than the server (server-too-old), changing nothing', async () => {
      const before = await records();
      const cases = [
        { version: OLDEST_SCHEMA_VERSION - 1, code: 'app-too-old' },
        { version: 1, code: 'app-too-old' },
        { version: CURRENT_SCHEMA_VERSION + 1, code: 'server-too-old' },
        { version: 999_999, code: 'server-too-old' },
      ];
      for (const { version, code } of cases) {
        const pushed = await push({ schemaVersion: version, changes: [observationInsert()] });
        expect(pushed.statusCode, `push ${version}: ${pushed.body}`).toBe(409);
        expect(pushed.json<{ error: { code: string } }>().error.code).toBe(code);
        const pulled = await pull(`&schemaVersion=${version}`);
        expect(pulled.statusCode, `pull ${version}: ${pulled.body}`).toBe(409);
        expect(pulled.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code });
      }
      expect(upgrades).not.toHaveBeenCalled();
      expect(await records()).toBe(before);
    });

    it('refuses a malformed version with a 400', async () => {
      const before = await records();
      for (const schemaVersion of ['5', 4.5, 0, -4, null, true, 1_000_000, [5]]) {
        const response = await push({ schemaVersion, changes: [observationInsert()] });
        expect(response.statusCode, `push ${JSON.stringify(schemaVersion)}: ${response.body}`).toBe(400);
        expect(response.json<{ error: { code: string } }>().error.code).toBe('invalid-request');
      }
      for (const query of ['abc', '4.5', '0', '-4', '', '05', '1000000', '5&schemaVersion=4']) {
        const response = await pull(`&schemaVersion=${query}`);
        expect(response.statusCode, `pull ${query}: ${response.body}`).toBe(400);
      }
      expect(await records()).toBe(before);
    });
  });
});
