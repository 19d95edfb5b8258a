/**
 * Sync converges, whatever happens on the way (fast-check): four devices (Anna on two tablets, Bram, Lies the
 * leader), each its own database, make random changes through the real write path (observing, rating, notes,
 * completing, feedback, handing over, reading, sharing with the leadership and taking it back), while pushes,
 * pulls and syncs run in random order, devices go offline and answers get lost on the way back. Once everyone is
 * online and has synced, every device holds exactly what the server holds that its person may receive, and nothing
 * else, and no outbox holds anything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Device, KEY, PEOPLE, T0, normalise, schoolServer } from './sync-harness';
import type { FakeServer } from './fake-server';
import {
  ObservationGoneError,
  completeObservation,
  discardDraft,
  startObservation,
} from '../../../src/data/records/observations';
import { recordResponse } from '../../../src/data/records/responses';
import { saveNote } from '../../../src/data/records/notes';
import { handOver, recordFeedbackChanges } from '../../../src/data/records/feedback';
import { markRead, setSharedWithLeader } from '../../../src/data/records/reflections';
import { addGoal } from '../../../src/data/records/goals';
import { listOutbox } from '../../../src/data/writes/outbox';
import { useClock } from '../../../src/data/writes/local';
import { pull, push } from '../../../src/data/sync/sync';
import { newId } from '../../../src/data/database/db';
import { SyncHttpError, SyncOffline } from '../../../src/data/sync/sync-transport';
import { WriteRefused } from '../../../src/core/model/lifecycle';
import type { Person } from '../../../src/core/model/records';

/** Who uses each device. */
const OWNERS: Person[] = [PEOPLE.anna, PEOPLE.anna, PEOPLE.bram, PEOPLE.lies];
// Few items, so that two devices change the same response now and then.
const ITEMS = ['lk-respect', 'lk-contact'];

/** Anna's two tablets more often than the others: they are where changes of the same records meet. */
const device = fc.constantFrom(0, 0, 1, 1, 2, 3);
/** Which of the device's observations (by position, taken modulo how many there are). */
const pick = fc.nat(3);

type Op =
  | { t: 'observe'; d: number; whom: number; item: number; value: number }
  | { t: 'rate'; d: number; o: number; item: number; value: number }
  | { t: 'note' | 'finish' | 'discard' | 'share'; d: number; o: number }
  | { t: 'goal'; d: number }
  | { t: 'push' | 'pull' | 'sync' | 'lose'; d: number }
  /** Every device that is online syncs, one after the other: the day moves on. */
  | { t: 'everyone' }
  | { t: 'offline'; d: number; on: boolean };

const on = <T extends Op['t']>(...types: T[]) => fc.constantFrom(...types);
const rating = { item: fc.nat(ITEMS.length - 1), value: fc.integer({ min: 1, max: 4 }) };
/**
 * Steps a person takes, each a few writes deep so that a run of a few dozen reaches every stage of an observation: an
 * observer starts and rates, changes ratings (also after completing: amendments), finishes (completes, writes a
 * top and a tip, hands over); the observed teacher reads and shares with the leadership, or takes that back.
 */
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ t: on('observe'), d: device, whom: fc.nat(2), ...rating }), weight: 2 },
  { arbitrary: fc.record({ t: on('rate'), d: device, o: pick, ...rating }), weight: 4 },
  { arbitrary: fc.record({ t: on('finish'), d: device, o: pick }), weight: 3 },
  { arbitrary: fc.record({ t: on('note', 'discard'), d: device, o: pick }), weight: 1 },
  { arbitrary: fc.record({ t: on('share'), d: device, o: pick }), weight: 5 },
  { arbitrary: fc.record({ t: on('goal'), d: device }), weight: 1 },
  { arbitrary: fc.record({ t: on('push', 'pull', 'sync', 'lose'), d: device }), weight: 10 },
  { arbitrary: fc.record({ t: on('offline'), d: device, on: fc.boolean() }), weight: 2 },
  { arbitrary: fc.constant({ t: 'everyone' as const }), weight: 3 },
);

const top = { id: 'top', kind: 'top' as const, text: 'Rustige start.' };
const tip = { id: 'tip', kind: 'tip' as const, text: 'Noem het lesdoel.' };

/** What a user could not have done (the screen would not offer it): the write path refuses, or it is gone. */
const expected = (error: unknown) =>
  error instanceof WriteRefused ||
  error instanceof ObservationGoneError ||
  error instanceof SyncOffline ||
  error instanceof SyncHttpError;

/** Runs a write a user might try; a refusal (the screen would not have offered it) is no failure. */
async function attempt(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!expected(error)) throw error;
  }
}

async function step(devices: Device[], operation: Op, now: () => number): Promise<void> {
  if (operation.t === 'everyone') {
    for (const d of devices) await d.sync();
    return;
  }
  const d = devices[operation.d]!;
  const me = d.person;
  /** The device's observations in which I have this role, one picked by position. */
  const observation = async (role: 'observerId' | 'observedId') => {
    const all = (await d.db.observations.toArray())
      .filter((o) => o.deletedAt === undefined && o[role] === me.id)
      .sort((a, b) => a.id.localeCompare(b.id));
    return 'o' in operation && all.length ? all[operation.o % all.length] : undefined;
  };
  await d.run(async () => {
    switch (operation.t) {
      case 'observe': {
        const others = [PEOPLE.anna, PEOPLE.bram, PEOPLE.lies].filter((p) => p.id !== me.id && p.role === 'teacher');
        const whom = others[operation.whom % others.length]!;
        const started = await startObservation(
          {
            instrumentKey: KEY,
            observerId: me.id,
            observedId: whom.id,
            purpose: me.role === 'leader' ? 'leader' : 'peer',
            context: {},
          },
          me,
          now(),
        );
        await recordResponse(started.id, ITEMS[operation.item]!, { kind: 'rating', value: operation.value }, me, now());
        return;
      }
      case 'rate': {
        const o = await observation('observerId');
        if (o)
          await attempt(() =>
            recordResponse(o.id, ITEMS[operation.item]!, { kind: 'rating', value: operation.value }, me, now()),
          );
        return;
      }
      case 'note': {
        const o = await observation('observerId');
        if (o)
          await attempt(() =>
            saveNote({ id: newId(), observationId: o.id, text: 'Notitie', lessonMs: 1000, owner: me.id }, me, now()),
          );
        return;
      }
      case 'finish': {
        const o = await observation('observerId');
        if (!o) return;
        await attempt(() => completeObservation(o.id, me, now()));
        await attempt(() =>
          recordFeedbackChanges(
            o.id,
            [
              { field: 'point', point: top, at: now() },
              { field: 'point', point: tip, at: now() },
            ],
            me,
          ),
        );
        await attempt(() => handOver(o.id, me, now()));
        return;
      }
      case 'discard': {
        const o = await observation('observerId');
        if (o) await attempt(() => discardDraft(o.id, me, now()));
        return;
      }
      case 'share': {
        const o = await observation('observedId');
        if (!o) return;
        // Shares it with the leadership, or takes that back when it is shared.
        const shared = (await d.db.reflections.get(o.id))?.sharedWithLeaderAt !== undefined;
        await attempt(() => markRead(o.id, me, now()));
        await attempt(() => setSharedWithLeader(o.id, !shared, me, now()));
        return;
      }
      case 'goal':
        await addGoal(me.id, { text: 'Lesdoel noemen', itemIds: [] }, me, now());
        return;
      case 'push':
        await attempt(() => push(d.link));
        return;
      case 'pull':
        await attempt(() => pull(d.link, me.id));
        return;
      case 'sync':
        await d.sync();
        return;
      case 'lose':
        d.link.loseAnswers += 1;
        return;
      case 'offline':
        d.link.offline = operation.on;
        return;
    }
  });
}

let open: Device[] = [];
afterEach(async () => {
  useClock(() => Date.now());
  for (const d of open) await d.close();
  open = [];
});

describe('sync between several devices (property)', () => {
  it('leaves every device holding exactly what the server lets its person see', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 50, size: 'max' }), async (operations) => {
        let clock = T0 + 60_000;
        const now = () => (clock += 1000);
        useClock(now);
        const server: FakeServer = await schoolServer();
        const devices = OWNERS.map((person) => new Device(server, person));
        open.push(...devices);
        try {
          for (const d of devices) {
            await d.signIn();
            expect((await d.sync()).outcome).toBe('done');
          }
          for (const operation of operations) await step(devices, operation, now);
          for (const d of devices) {
            d.link.offline = false;
            d.link.loseAnswers = 0;
          }
          // Everyone pushes in the first round; the second brings each what the others pushed after its pull.
          for (let round = 0; round < 2; round++) {
            for (const d of devices) expect((await d.sync()).outcome).toBe('done');
          }
          for (const d of devices) {
            expect(await d.run(listOutbox)).toEqual([]);
            expect(normalise(await d.holdings())).toEqual(normalise(server.visibleTo(d.person.id)));
          }
        } finally {
          for (const d of devices) await d.close();
          open = [];
        }
      }),
      {
        numRuns: 150,
        // Besides the random runs, the whole cycle once: Anna observes Bram and hands over, Bram shares it with Lies
        // and takes that back (Lies's tablet then removes it with everything in it).
        examples: [
          [
            [
              { t: 'observe', d: 0, whom: 0, item: 0, value: 3 },
              { t: 'finish', d: 0, o: 0 },
              { t: 'everyone' },
              { t: 'share', d: 2, o: 0 },
              { t: 'everyone' },
              { t: 'share', d: 2, o: 0 },
              { t: 'everyone' },
            ],
          ],
          [
            [
              // An answer lost on the way back, a pull while the change still waits, the second tablet's stale change.
              { t: 'observe', d: 0, whom: 0, item: 0, value: 3 },
              { t: 'everyone' },
              { t: 'rate', d: 0, o: 0, item: 1, value: 2 },
              { t: 'lose', d: 0 },
              { t: 'push', d: 0 },
              { t: 'pull', d: 0 },
              { t: 'finish', d: 1, o: 0 },
              { t: 'sync', d: 1 },
              { t: 'rate', d: 0, o: 0, item: 0, value: 1 },
            ],
          ],
        ],
      },
    );
  }, 60_000);
});
