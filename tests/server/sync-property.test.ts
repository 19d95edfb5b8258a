/**
 * Sync as a property (fast-check): several devices — Anna on two tablets, Bram (a starter), Carla, the leader Lies
 * and the coach Dirk — make random changes the app would offer them (observing, handing over, reflecting, sharing
 * with the leadership or the coach and taking it back, Bram's goals shared with his coach and his requests, the
 * leader making Dirk Bram's coach and taking that back), and push and pull in a random order, with answers lost on
 * the way (a push applied but not heard, so it is sent again). Whatever happens, once every device has pushed and
 * pulled:
 * - every device holds exactly the records the server holds that its person may receive, as the server has them;
 * - no device ever held a record its person may not receive at the moment it pulled it.
 *
 * The devices here are small in-memory models (a map of records and an outbox, with the app's own writer rules);
 * the server is the real push and pull on PGlite.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/server/db/database';
import { emptyTables, forEachDatabase, migratedDatabase, seedSchool } from './support/databases';
import { pushChanges, type SyncSession } from '../../src/server/sync/push';
import { pullChanges } from '../../src/server/sync/pull';
import type { StoredRecord } from '../../src/server/db/records';
import { receivedContext } from '../../src/server/sync/context';
import { applyChange, type PlainRecord } from '../../src/core/sync/apply-change';
import { mayReceive, observationIdOf } from '../../src/core/sync/audience';
import { storeLookups, writeIntent } from '../../src/core/sync/write-intent';
import { shippedInstruments } from '../../src/server/sync/shipped-instruments';
import { refusal } from '../../src/core/model/lifecycle';
import type { OutboxChange, RecordKind } from '../../src/core/sync/change';
import type { Observation, Person } from '../../src/core/model/records';

const SCHOOL = 'school-p';
const AT = 1_780_000_000_000;
const people: Person[] = [
  ['Anna', 'teacher'],
  ['Bram', 'teacher'],
  ['Carla', 'teacher'],
  ['Lies', 'leader'],
  ['Dirk', 'coach'],
].map(([name, role]) => ({
  id: `person-${name}`,
  owner: `person-${name}`,
  createdAt: AT,
  updatedAt: AT,
  name: name!,
  role: role as Person['role'],
  // Bram is a starter, coached by Dirk until the leader changes that.
  starter: name === 'Bram',
  ...(name === 'Bram' ? { coachId: 'person-Dirk' } : {}),
}));
/** Device i belongs to this person: Anna has two tablets. */
const OWNERS = [0, 0, 1, 2, 3, 4];

interface Device {
  session: SyncSession;
  records: Map<string, { kind: RecordKind; data: PlainRecord }>;
  outbox: OutboxChange[];
  cursor: number;
}

const key = (kind: RecordKind, id: string) => `${kind}:${id}`;

type Op =
  | { type: 'observe'; device: number; observed: number; handOver: boolean; online: boolean }
  | { type: 'handOver'; device: number; pick: number }
  | { type: 'reflect'; device: number; pick: number; share: boolean; coach: boolean; online: boolean }
  | { type: 'coach'; device: number; assign: boolean }
  | { type: 'goal'; device: number; pick: number; share: boolean; online: boolean }
  | { type: 'ask'; device: number; withdraw: boolean }
  | { type: 'push'; device: number; loseAnswer: boolean }
  | { type: 'pull'; device: number };

// Weighted so that whole cycles happen often: observed, handed over, pushed, pulled by the teacher, reflected on,
// shared, pulled by the leader, taken back.
/** True four times in five. */
const mostly = fc.nat(4).map((n) => n > 0);

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('observe' as const),
      device: fc.nat(5),
      observed: fc.constantFrom(0, 1, 1, 1, 2),
      handOver: mostly,
      online: mostly,
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('handOver' as const), device: fc.nat(5), pick: fc.nat(5) }) },
  // Bram (device 2) is observed most; online, his tablet pulls before and pushes after, as the app does.
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('reflect' as const),
      device: fc.constant(2),
      pick: fc.nat(5),
      share: fc.boolean(),
      coach: fc.boolean(),
      online: mostly,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant('reflect' as const),
      device: fc.nat(5),
      pick: fc.nat(5),
      share: fc.boolean(),
      coach: fc.boolean(),
      online: fc.boolean(),
    }),
  },
  // The leader (device 4) makes Dirk Bram's coach, or takes that back; Bram's goals and requests.
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('coach' as const), device: fc.constant(4), assign: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('goal' as const),
      device: fc.constant(2),
      pick: fc.nat(5),
      share: fc.boolean(),
      online: mostly,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('ask' as const), device: fc.constant(2), withdraw: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('pull' as const), device: fc.constantFrom(4, 5) }) },
  {
    weight: 3,
    arbitrary: fc.record({ type: fc.constant('push' as const), device: fc.nat(5), loseAnswer: fc.boolean() }),
  },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('pull' as const), device: fc.nat(5) }) },
);

let database: Database;
forEachDatabase((kind) => {
  describe(`on ${kind}`, () => {
    const shared = migratedDatabase(kind);

    beforeEach(() => {
      database = shared.database;
    });

    async function freshSchool(): Promise<void> {
      await emptyTables(database);
      await seedSchool(database, SCHOOL, people, AT);
    }

    /** A change the device's person may make on what the device holds (the app's own check before it writes). */
    async function write(
      device: Device,
      kind: RecordKind,
      id: string,
      op: OutboxChange['op'],
      fields: Record<string, unknown>,
    ): Promise<boolean> {
      const current = device.records.get(key(kind, id));
      const next = applyChange(current?.data, { recordId: id, op, fields });
      if (!next) return false;
      const local = <T>(k: RecordKind, recordId: string) => device.records.get(key(k, recordId))?.data as T | undefined;
      const intent = await writeIntent(kind, op, current?.data, next, {
        ...storeLookups({
          get: async (k, recordId) => local(k, recordId),
          countIn: async (k, oid) =>
            [...device.records.values()].filter((r) => r.kind === k && r.data.observationId === oid).length,
          now: () => Date.now(),
        }),
        // Every tablet has the shipped instruments installed.
        instrument: async (instrumentKey) =>
          shippedInstruments().find((content) => `${content.id}@${content.version}` === instrumentKey),
      });
      if (refusal(device.session.person, intent)) return false;
      device.records.set(key(kind, id), { kind, data: next });
      device.outbox.push({ id: randomUUID(), kind, recordId: id, op, fields, at: AT, actor: device.session.person.id });
      return true;
    }

    async function handOver(device: Device, o: PlainRecord): Promise<void> {
      const me = device.session.person;
      const points = [
        { id: 'p1', kind: 'top', text: 'Sterk' },
        { id: 'p2', kind: 'tip', text: 'Groei' },
      ];
      await write(device, 'feedback', o.id, device.records.has(key('feedback', o.id)) ? 'patch' : 'insert', {
        id: o.id,
        owner: me.id,
        createdAt: AT,
        updatedAt: AT,
        observationId: o.id,
        points,
        nextStep: '',
      });
      await write(device, 'observation', o.id, 'patch', { status: 'shared', handedOverAt: AT + 2 });
    }

    /** Back on the Wi-Fi after a change, the app pushes at once. */
    async function pushAll(device: Device, devices: Device[]): Promise<void> {
      while (device.outbox.length > 0) await run(device, { type: 'push', device: 0, loseAnswer: false }, devices);
    }

    const held = (device: Device, kind: RecordKind) =>
      [...device.records.values()].filter((r) => r.kind === kind).map((r) => r.data);

    async function run(device: Device, op: Op, devices: Device[]): Promise<void> {
      const me = device.session.person;
      if (op.type === 'observe') {
        const observed = people[op.observed === people.indexOf(me) ? (op.observed + 1) % 3 : op.observed]!;
        const id = randomUUID();
        const observation: Observation = {
          id,
          owner: me.id,
          createdAt: AT,
          updatedAt: AT,
          instrumentKey: 'meekijken.lesobservatie@1.1.0',
          observerId: me.id,
          observedId: observed.id,
          purpose: 'peer',
          status: 'draft',
          context: {},
          clock: { elapsedMs: 0 },
          position: {},
          startedAt: AT,
        };
        await write(device, 'observation', id, 'insert', { ...observation });
        await write(device, 'response', `${id}:lk-respect`, 'insert', {
          id: `${id}:lk-respect`,
          owner: me.id,
          createdAt: AT,
          updatedAt: AT,
          observationId: id,
          itemId: 'lk-respect',
          rating: 2,
          lookFors: [],
        });
        await write(device, 'observation', id, 'patch', { status: 'completed', completedAt: AT + 1 });
        if (op.handOver) await handOver(device, device.records.get(key('observation', id))!.data);
        // Back on the Wi-Fi after the lesson, the app pushes at once.
        if (op.online) await pushAll(device, devices);
      } else if (op.type === 'handOver') {
        const mine = held(device, 'observation').filter((o) => o.observerId === me.id && o.status === 'completed');
        const o = mine[op.pick % Math.max(1, mine.length)];
        if (o) await handOver(device, o);
      } else if (op.type === 'reflect') {
        if (op.online) await run(device, { type: 'pull', device: op.device }, devices);
        const received = held(device, 'observation').filter((o) => o.observedId === me.id && o.status === 'shared');
        const o = received[op.pick % Math.max(1, received.length)];
        if (!o) return;
        const exists = device.records.has(key('reflection', o.id));
        const fields = exists
          ? { sharedWithLeaderAt: op.share ? AT + 3 : null, sharedWithCoachAt: op.coach ? AT + 3 : null }
          : {
              id: o.id,
              owner: me.id,
              createdAt: AT,
              updatedAt: AT,
              observationId: o.id,
              teacherId: me.id,
              text: 'Gelezen',
              ...(op.share ? { sharedWithLeaderAt: AT + 3 } : {}),
              ...(op.coach ? { sharedWithCoachAt: AT + 3 } : {}),
            };
        await write(device, 'reflection', o.id, exists ? 'patch' : 'insert', fields);
        if (op.online) await pushAll(device, devices);
      } else if (op.type === 'coach') {
        await write(device, 'person', 'person-Bram', 'patch', { coachId: op.assign ? 'person-Dirk' : null });
        await pushAll(device, devices);
      } else if (op.type === 'goal') {
        if (op.online) await run(device, { type: 'pull', device: op.device }, devices);
        const goals = held(device, 'goal').filter((g) => g.teacherId === me.id);
        const goal = op.pick % 3 === 0 ? undefined : goals[op.pick % Math.max(1, goals.length)];
        if (goal) await write(device, 'goal', goal.id, 'patch', { sharedWithCoachAt: op.share ? AT + 4 : null });
        else {
          const id = randomUUID();
          await write(device, 'goal', id, 'insert', {
            id,
            owner: me.id,
            createdAt: AT,
            updatedAt: AT,
            teacherId: me.id,
            text: 'Lesdoel noemen',
            status: 'open',
            itemIds: [],
            ...(op.share ? { sharedWithCoachAt: AT + 4 } : {}),
          });
        }
        if (op.online) await pushAll(device, devices);
      } else if (op.type === 'ask') {
        const open = held(device, 'request').filter((r) => r.requesterId === me.id && r.withdrawnAt === undefined);
        if (op.withdraw && open[0]) await write(device, 'request', open[0].id, 'patch', { withdrawnAt: AT + 5 });
        else {
          const id = randomUUID();
          await write(device, 'request', id, 'insert', {
            id,
            owner: me.id,
            createdAt: AT,
            updatedAt: AT,
            requesterId: me.id,
            observedId: me.id,
            observerId: 'person-Anna',
            purpose: 'peer',
            instrumentKey: 'meekijken.lesobservatie@1.1.0',
            context: {},
          });
        }
        await pushAll(device, devices);
      } else if (op.type === 'push') {
        if (device.outbox.length === 0) return;
        const sent = device.outbox.slice(0, 3);
        const results = await pushChanges(database, device.session, sent);
        if (op.loseAnswer) return; // applied on the server, but the device never heard: it sends them again later
        device.outbox = device.outbox.slice(sent.length);
        for (const result of results) {
          if (result.outcome !== 'refused') continue;
          const change = sent.find((c) => c.id === result.id)!;
          if (result.record)
            device.records.set(key(result.record.kind, result.record.id), {
              kind: result.record.kind,
              data: result.record.data as PlainRecord,
            });
          else device.records.delete(key(change.kind, change.recordId));
        }
      } else {
        for (;;) {
          const page = await pullChanges(database, device.session, device.cursor, 7);
          const pending = new Set(device.outbox.map((c) => key(c.kind, c.recordId)));
          for (const record of page.records) {
            // At the moment it was sent, the person may receive it (checked against the server's records).
            await expectReceivable(device.session, record.kind, record.id);
            if (!pending.has(key(record.kind, record.id)))
              device.records.set(key(record.kind, record.id), { kind: record.kind, data: record.data as PlainRecord });
          }
          // As the app removes what is gone: an observation with what is recorded in it, a request with its
          // declines, a goal.
          for (const gone of page.gone) {
            for (const [k, r] of device.records)
              if (
                (gone.kind === 'observation' && observationIdOf(r.kind, r.data) === gone.id) ||
                (r.kind === gone.kind && r.data.id === gone.id) ||
                (gone.kind === 'request' && r.kind === 'decline' && r.data.requestId === gone.id)
              )
                device.records.delete(k);
          }
          device.cursor = Number(page.cursor);
          if (!page.more) break;
        }
      }
      void devices;
    }

    async function receivableNow(session: SyncSession): Promise<Map<string, PlainRecord>> {
      const rows = await database.query<StoredRecord>(
        'SELECT kind, id, data, version, observation_id FROM records WHERE school_id = $1',
        [SCHOOL],
      );
      const context = await receivedContext(database, SCHOOL, rows, session.person.role === 'coach');
      return new Map(
        rows
          .filter((row) => mayReceive(session.person, row.kind, row.data, context(row)))
          .map((row) => [key(row.kind, row.id), row.data]),
      );
    }

    async function expectReceivable(session: SyncSession, kind: RecordKind, id: string): Promise<void> {
      expect((await receivableNow(session)).has(key(kind, id)), `${session.person.name} received ${kind} ${id}`).toBe(
        true,
      );
    }

    /** Records compared as the server stores them (jsonb does not keep key order). */
    const canonical = (record: unknown): string =>
      JSON.stringify(record, (_, value: unknown) =>
        value && typeof value === 'object' && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
          : value,
      );

    describe('sync between devices and the server', () => {
      it('converges to what each person may see, whatever the order, losses and repeats', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(opArbitrary, { minLength: 5, maxLength: 60 }), async (ops) => {
            await freshSchool();
            const devices: Device[] = OWNERS.map((owner, i) => ({
              session: { sessionId: `device-${i}`, schoolId: SCHOOL, person: people[owner]! },
              records: new Map(),
              outbox: [],
              cursor: 0,
            }));
            // Every device starts connected: it pulls the school first.
            for (const device of devices) await run(device, { type: 'pull', device: 0 }, devices);
            for (const op of ops) await run(devices[op.device]!, op, devices);
            // Back on the Wi-Fi: everyone pushes everything, then everyone pulls (twice: a pull may bring what another
            // device's push changed after this one pulled).
            for (const device of devices)
              while (device.outbox.length > 0)
                await run(device, { type: 'push', device: 0, loseAnswer: false }, devices);
            for (let round = 0; round < 2; round++)
              for (const device of devices) await run(device, { type: 'pull', device: 0 }, devices);
            for (const device of devices) {
              const expected = await receivableNow(device.session);
              const holds = new Map([...device.records].map(([k, r]) => [k, r.data]));
              expect([...holds.keys()].sort(), device.session.sessionId).toEqual([...expected.keys()].sort());
              for (const [k, data] of expected) expect(canonical(holds.get(k)), k).toBe(canonical(data));
            }
          }),
          { numRuns: 100 },
        );
      }, 180_000);
    });
  });
});
