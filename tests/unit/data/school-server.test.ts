/**
 * An administrator's calls to the school server (src/data/sync/school-server.ts) with a fake `fetch`: set-up signs this
 * tablet in the way a sign-in code does (the account remembered and in use), the device-only school is found and
 * uploaded without being changed (and without creating it on a new tablet), and codes and devices are asked for
 * on the right routes.
 */
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage, useFreshDatabase } from './harness';
import { getActiveAccount, listAccounts } from '../../../src/data/sync/accounts';
import { openDatabase } from '../../../src/data/database/db';
import {
  getDeviceOnlySchool,
  issueSignInCode,
  listSignedInDevices,
  revokeDevice,
  setUpSchool,
  uploadDeviceOnlySchool,
  uploadParts,
} from '../../../src/data/sync/school-server';
import { SyncHttpError, type Fetch } from '../../../src/data/sync/sync-transport';
import type { Person } from '../../../src/core/model/records';

useFreshDatabase();

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function fakeFetch(answer: (url: string, init: RequestInit) => Response) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch: Fetch = async (url, init) => {
    calls.push({ url, init });
    return answer(url, init);
  };
  return { calls, fetch };
}

const DEVICE_ONLY = 'meekijken-school';
afterEach(() => Dexie.delete(DEVICE_ONLY));

const person = (id: string, name: string, role: Person['role']): Person => ({
  id,
  owner: null,
  createdAt: 1,
  updatedAt: 1,
  name,
  role,
  starter: false,
});

async function deviceOnlySchool(): Promise<void> {
  const database = openDatabase(DEVICE_ONLY);
  await database.schools.add({ id: 's-local', owner: null, createdAt: 1, updatedAt: 1, name: 'OBS De Linde' });
  await database.people.bulkAdd([
    person('4a1e0b2c-0000-4000-8000-000000000001', 'Yara', 'leader'),
    person('4a1e0b2c-0000-4000-8000-000000000002', 'Bram', 'teacher'),
  ]);
  database.close();
}

describe('setting up a school from the app', () => {
  it('posts the set-up and makes the new administrator the account in use, as a sign-in does', async () => {
    const storage = new MemoryStorage();
    const session = {
      person: person('4a1e0b2c-0000-4000-8000-000000000001', 'Yara', 'leader'),
      school: { id: 'srv-school', name: 'OBS De Linde' },
      sessionId: 'sess-1',
    };
    const { calls, fetch } = fakeFetch(() => json(201, session));
    const account = await setUpSchool(
      {
        token: 'tok',
        schoolName: ' OBS De Linde ',
        adminName: 'Yara ',
        deviceLabel: 'iPad',
        personId: session.person.id,
      },
      { fetch, storage, now: 5 },
    );
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({
      token: 'tok',
      schoolName: 'OBS De Linde',
      adminName: 'Yara',
      deviceLabel: 'iPad',
      personId: session.person.id,
    });
    expect(calls[0]!.url).toBe('/api/setup');
    expect(account).toEqual({
      schoolId: 'srv-school',
      schoolName: 'OBS De Linde',
      personId: session.person.id,
      personName: 'Yara',
      sessionId: 'sess-1',
      deviceLabel: 'iPad',
      addedAt: 5,
    });
    expect(getActiveAccount(storage)).toEqual(account);
  });

  it('keeps no account when the link is used or wrong (403)', async () => {
    const storage = new MemoryStorage();
    const { fetch } = fakeFetch(() => json(403, { error: { code: 'invalid-setup-token', message: 'used' } }));
    await expect(
      setUpSchool({ token: 'tok', schoolName: 'X', adminName: 'Y', deviceLabel: 'iPad' }, { fetch, storage }),
    ).rejects.toMatchObject({ status: 403 });
    expect(listAccounts(storage)).toEqual([]);
  });
});

describe("the tablet's device-only school", () => {
  it('is nothing on a new tablet, and looking does not create its database', async () => {
    expect(await getDeviceOnlySchool()).toBeUndefined();
    expect(await Dexie.exists(DEVICE_ONLY)).toBe(false);
  });

  it('names its school and leaders, and is uploaded whole to /api/school/records', async () => {
    await deviceOnlySchool();
    const found = await getDeviceOnlySchool();
    expect(found).toMatchObject({ schoolName: 'OBS De Linde', people: 2, observations: 0 });
    expect(found!.leaders.map((p) => p.name)).toEqual(['Yara']);

    const { calls, fetch } = fakeFetch(() => json(200, { added: 3, skipped: 0 }));
    expect(await uploadDeviceOnlySchool({ fetch })).toEqual({ added: 3, skipped: 0 });
    expect(calls[0]!.url).toBe('/api/school/records');
    const body = JSON.parse(calls[0]!.init.body as string) as {
      format: string;
      tables: Record<string, Array<{ id: string }>>;
    };
    expect(body.format).toBe('meekijken-backup');
    expect(body.tables.people!.map((p) => p.id).sort()).toEqual([
      '4a1e0b2c-0000-4000-8000-000000000001',
      '4a1e0b2c-0000-4000-8000-000000000002',
    ]);
    expect(body.tables.schools!.map((s) => s.id)).toEqual(['s-local']);
  });
});

describe('an upload in parts', () => {
  it('cuts the tables into parts of at most the batch size, in order, losing and repeating nothing', () => {
    const tables = {
      schools: [{ id: 's' }],
      people: [{ id: 'p1' }, { id: 'p2' }, { id: 'p3' }],
      observations: [{ id: 'o1' }, { id: 'o2' }],
      responses: [],
    };
    const parts = uploadParts(tables, 2);
    expect(parts).toEqual([
      { schools: [{ id: 's' }], people: [{ id: 'p1' }] },
      { people: [{ id: 'p2' }, { id: 'p3' }] },
      { observations: [{ id: 'o1' }, { id: 'o2' }] },
    ]);
    expect(uploadParts({}, 2)).toEqual([]);
    expect(uploadParts(tables, 100)).toEqual([
      { schools: [{ id: 's' }], people: tables.people, observations: tables.observations },
    ]);
  });
});

describe('codes and devices', () => {
  it('issues a code, lists and revokes devices on the routes of the server', async () => {
    const { calls, fetch } = fakeFetch((url, init) => {
      if (url.endsWith('/sign-in-codes')) return json(201, { code: 'K7QMXR4P', expiresAt: 900 });
      if (init.method === 'DELETE') return new Response(null, { status: 204 });
      return json(200, {
        sessions: [{ id: 'd1', personId: 'p1', deviceLabel: 'iPad', createdAt: 1, lastSeenAt: 2, current: false }],
      });
    });
    expect(await issueSignInCode('p1', { fetch })).toEqual({ code: 'K7QMXR4P', expiresAt: 900 });
    expect(await listSignedInDevices('p1', { fetch })).toEqual([
      { id: 'd1', personId: 'p1', deviceLabel: 'iPad', createdAt: 1, lastSeenAt: 2, current: false },
    ]);
    await revokeDevice('d1', { fetch });
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      'POST /api/people/p1/sign-in-codes',
      'GET /api/sessions?personId=p1',
      'DELETE /api/sessions/d1',
    ]);
  });

  it('passes on a person the server does not know yet as a 404', async () => {
    const { fetch } = fakeFetch(() => json(404, { error: { code: 'person-not-found', message: 'x' } }));
    const error = await issueSignInCode('p9', { fetch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncHttpError);
    expect(error).toMatchObject({ status: 404, code: 'person-not-found' });
  });
});
