/**
 * A board's server holds several schools. An administrator of school A can neither issue codes for, list, nor
 * revoke anything of school B, and gets "not found" (404), not "forbidden": ids of another school are not confirmed.
 */
import { shippedInstruments } from '../../src/server/sync/shipped-instruments';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachDatabase, freshDatabase, type TestDatabase } from './support/databases';
import {
  addPerson,
  bearer,
  setUpSchool,
  signedInTeacher,
  tableCounts,
  testServer,
  type SignedInPerson,
  type TestServer,
} from './support/server';

forEachDatabase((kind) => {
  describe(`two schools on one server (${kind})`, () => {
    let test: TestDatabase;
    let server: TestServer;
    let adminA: SignedInPerson;
    let adminB: SignedInPerson;
    let teacherB: SignedInPerson;
    beforeAll(async () => {
      test = await freshDatabase(kind);
      server = await testServer(test.database);
      adminA = await setUpSchool(server, { schoolName: 'School A', adminName: 'Anna' });
      adminB = await setUpSchool(server, { schoolName: 'School B', adminName: 'Bert' });
      teacherB = await signedInTeacher(server, adminB, 'Bea');
    });
    afterAll(async () => {
      await server.app.close();
      await test.drop();
    });

    it('refuses with 404 and changes nothing: codes, device lists and revoking across schools', async () => {
      const before = await tableCounts(test.database);
      const requests = [
        { method: 'POST', url: `/api/people/${teacherB.person.id}/sign-in-codes` },
        { method: 'POST', url: `/api/people/${adminB.person.id}/sign-in-codes` },
        { method: 'GET', url: `/api/sessions?personId=${teacherB.person.id}` },
        { method: 'DELETE', url: `/api/sessions/${teacherB.sessionId}` },
        { method: 'DELETE', url: `/api/sessions/${adminB.sessionId}` },
      ] as const;
      for (const request of requests) {
        const response = await server.app.inject({ ...request, headers: bearer(adminA.token) });
        expect(response.statusCode, `${request.method} ${request.url}`).toBe(404);
      }
      expect(await tableCounts(test.database)).toEqual(before);
      expect(
        (await server.app.inject({ method: 'GET', url: '/api/me', headers: bearer(teacherB.token) })).statusCode,
      ).toBe(200);
    });

    it('adds a person to the administrator’s own school only, with that school’s next version', async () => {
      const person = await addPerson(server, adminA, { name: 'Arie', role: 'teacher', starter: false });
      const rows = await test.database.query<{ school_id: string }>('SELECT school_id FROM records WHERE id = $1', [
        person.id,
      ]);
      expect(rows).toEqual([{ school_id: adminA.schoolId }]);
      const versions = await test.database.query<{ school_id: string; version: number }>(
        'SELECT school_id, version FROM school_versions ORDER BY version',
      );
      expect(Object.fromEntries(versions.map((v) => [v.school_id, v.version]))).toEqual({
        [adminA.schoolId]: 3 + shippedInstruments().length,
        [adminB.schoolId]: 3 + shippedInstruments().length,
      });
    });

    it('shows each person their own school', async () => {
      const a = (await server.app.inject({ method: 'GET', url: '/api/me', headers: bearer(adminA.token) })).json<{
        school: { name: string };
      }>();
      const b = (await server.app.inject({ method: 'GET', url: '/api/me', headers: bearer(teacherB.token) })).json<{
        school: { name: string };
      }>();
      expect([a.school.name, b.school.name]).toEqual(['School A', 'School B']);
    });
  });
});
