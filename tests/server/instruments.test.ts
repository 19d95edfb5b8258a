/**
 * A school's own instruments on the school server: an administrator's device pushes an installed instrument, and
 * every device of the school pulls it; the server judges it by the same core rules as the device (the content
 * passes the validator, its id and version are the content's, an installed version never changes and is never
 * deleted, only an administrator installs or retires). Over HTTP, as devices do.
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
import type { OutboxChange } from '../../src/core/sync/change';
import type { PullResponse, PushResponse, PushResult } from '../../src/core/sync/protocol';
import type { Instrument } from '../../src/core/instrument';
import type { InstalledInstrument } from '../../src/core/model/records';
import sevenPoint from '../fixtures/formats/seven-point-reverse.json';

/** When the records here were made: a time in a school year (times before 2000 are refused as implausible). */
const T = Date.UTC(2026, 0, 5);

/** A school's own instrument: a fixture with an id, version and title of its own. */
function own(version = '1.0.0', title = 'Our observation sheet'): Instrument {
  return {
    ...(structuredClone(sevenPoint) as unknown as Instrument),
    id: 'school.own-sheet',
    version,
    title: { en: title },
  };
}

function installed(content: Instrument, extra: Partial<InstalledInstrument> = {}): InstalledInstrument {
  return {
    id: `${content.id}@${content.version}`,
    owner: null,
    createdAt: T + 1,
    updatedAt: T + 1,
    instrumentId: content.id,
    version: content.version,
    content,
    source: 'imported',
    ...extra,
  };
}

forEachDatabase((kind) => {
  describe(`a school's own instruments on ${kind}`, () => {
    const test = migratedDatabase(kind);
    let server: TestServer;
    let admin: SignedInPerson;
    let teacher: SignedInPerson;

    beforeEach(async () => {
      server = await testServer(test.database);
      admin = await setUpSchool(server);
      teacher = await signedInTeacher(server, admin);
    });
    afterEach(async () => {
      await server.app.close();
    });

    let at = 1000;
    function change(
      recordId: string,
      op: OutboxChange['op'],
      fields: Record<string, unknown>,
      actor: string | 'system',
    ): OutboxChange {
      return { id: randomUUID(), kind: 'instrument', recordId, op, fields, at: ++at, actor };
    }

    async function push(who: SignedInPerson, ...changes: OutboxChange[]): Promise<PushResult[]> {
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: bearer(who.token),
        payload: { changes },
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<PushResponse>().results;
    }

    async function pull(who: SignedInPerson, since = '0'): Promise<PullResponse> {
      const response = await server.app.inject({
        method: 'GET',
        url: `/api/sync/pull?since=${since}`,
        headers: bearer(who.token),
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<PullResponse>();
    }

    const stored = async (id: string) =>
      (
        await test.database.query<{ data: InstalledInstrument }>(
          "SELECT data FROM records WHERE kind = 'instrument' AND id = $1",
          [id],
        )
      )[0]?.data;
    const instrumentCount = () => scalar(test.database, "SELECT count(*)::int8 FROM records WHERE kind = 'instrument'");

    it("applies the administrator's install, and a teacher's device pulls it whole", async () => {
      const { cursor } = await pull(teacher);
      const record = installed(own());
      const [result] = await push(admin, change(record.id, 'insert', { ...record }, admin.person.id));
      expect(result).toMatchObject({ outcome: 'applied' });
      const later = await pull(teacher, cursor);
      expect(later.records.map((r) => [r.kind, r.id])).toEqual([['instrument', 'school.own-sheet@1.0.0']]);
      expect(later.records[0]?.data).toMatchObject({
        instrumentId: 'school.own-sheet',
        version: '1.0.0',
        source: 'imported',
        content: { title: { en: 'Our observation sheet' } },
      });
    });

    it('installs a new version beside the old one: both reach the teacher', async () => {
      const first = installed(own('1.0.0'));
      const second = installed(own('1.1.0', 'Our observation sheet, revised'));
      expect(
        (
          await push(
            admin,
            change(first.id, 'insert', { ...first }, admin.person.id),
            change(second.id, 'insert', { ...second }, admin.person.id),
          )
        ).map((r) => r.outcome),
      ).toEqual(['applied', 'applied']);
      const ids = (await pull(teacher)).records
        .filter((r) => r.kind === 'instrument' && String(r.id).startsWith('school.'))
        .map((r) => r.id);
      expect(ids.sort()).toEqual(['school.own-sheet@1.0.0', 'school.own-sheet@1.1.0']);
    });

    it("refuses a teacher's install, also when the device claims the app made it", async () => {
      const before = await instrumentCount();
      const record = installed(own());
      const results = await push(
        teacher,
        change(record.id, 'insert', { ...record }, teacher.person.id),
        change(
          'school.other@1.0.0',
          'insert',
          { ...installed({ ...own(), id: 'school.other' }), source: 'shipped' },
          'system',
        ),
      );
      expect(results.map((r) => r.reason)).toEqual(['not-administrator', 'not-administrator']);
      expect(await instrumentCount()).toBe(before);
    });

    it('refuses content the validator refuses, and a record that does not name its content', async () => {
      const before = await instrumentCount();
      const broken = installed({ ...own(), domains: [] });
      const misnamed = installed(own(), { id: 'school.own-sheet@9.9.9', version: '9.9.9' });
      const notAnInstrument = {
        ...installed(own()),
        id: 'x@1',
        instrumentId: 'x',
        version: '1',
        content: { id: 'x', version: '1', '<script>': 'alert(1)' },
      };
      const results = await push(
        admin,
        change(broken.id, 'insert', { ...broken }, admin.person.id),
        change(misnamed.id, 'insert', { ...misnamed }, admin.person.id),
        change(notAnInstrument.id, 'insert', notAnInstrument, admin.person.id),
      );
      expect(results.map((r) => r.reason)).toEqual(['invalid-instrument', 'invalid-instrument', 'invalid-instrument']);
      expect(await instrumentCount()).toBe(before);
    });

    it('never changes an installed version: other content is refused, the same install from a second tablet is not a change', async () => {
      const record = installed(own());
      await push(admin, change(record.id, 'insert', { ...record }, admin.person.id));
      const results = await push(
        admin,
        change(record.id, 'patch', { content: own('1.0.0', 'Changed afterwards') }, admin.person.id),
        // A second tablet installs a file with other content under the same version (an insert of a record the server has).
        change(
          record.id,
          'insert',
          { ...installed(own('1.0.0', 'Another text')), createdAt: T + 5, updatedAt: T + 5 },
          admin.person.id,
        ),
        change(record.id, 'patch', { source: 'shipped' }, admin.person.id),
        change(record.id, 'tombstone', { deletedAt: 9, updatedAt: 9 }, admin.person.id),
      );
      expect(results.map((r) => r.reason)).toEqual(['fixed-field', 'fixed-field', 'fixed-field', 'instrument-kept']);
      // The refused change is answered with the server's copy, so the device puts it back.
      expect(results[0]?.record?.data).toMatchObject({ content: { title: { en: 'Our observation sheet' } } });
      expect((await stored(record.id))?.content.title).toEqual({ en: 'Our observation sheet' });
      expect(await stored(record.id)).not.toHaveProperty('deletedAt');
      // The same file installed on a second tablet before they synced: the same install.
      const [again] = await push(
        admin,
        change(record.id, 'insert', { ...record, createdAt: T + 7, updatedAt: T + 7 }, admin.person.id),
      );
      expect(again?.outcome).toBe('applied');
    });

    it('retiring and using again travel to the teacher; a teacher cannot retire', async () => {
      const record = installed(own());
      await push(admin, change(record.id, 'insert', { ...record }, admin.person.id));
      const { cursor } = await pull(teacher);
      expect(
        (
          await push(
            teacher,
            change(record.id, 'patch', { retiredAt: T + 2000, updatedAt: T + 2000 }, teacher.person.id),
          )
        )[0]?.reason,
      ).toBe('not-administrator');
      expect(
        (
          await push(admin, change(record.id, 'patch', { retiredAt: T + 3000, updatedAt: T + 3000 }, admin.person.id))
        )[0]?.outcome,
      ).toBe('applied');
      const retired = await pull(teacher, cursor);
      expect(retired.records.map((r) => [r.id, (r.data as unknown as InstalledInstrument).retiredAt])).toEqual([
        [record.id, T + 3000],
      ]);
      expect(
        (await push(admin, change(record.id, 'patch', { retiredAt: null, updatedAt: T + 4000 }, admin.person.id)))[0]
          ?.outcome,
      ).toBe('applied');
      const restored = await pull(teacher, retired.cursor);
      expect(restored.records.map((r) => r.id)).toEqual([record.id]);
      expect(restored.records[0]?.data).not.toHaveProperty('retiredAt');
    });
  });
});
