/**
 * The device's sync client (src/data/sync/sync.ts) and the writes of what the server sends (`applyRemote` in src/data/writes/remote.ts), on
 * fake-indexeddb against the in-process fake server (fake-server.ts): every device writes through the real write
 * path, and the server applies changes with the core's own rules.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Device, KEY, PEOPLE, T0, normalise, schoolServer } from './sync-harness';
import { SCHOOL, type FakeServer } from './fake-server';
import { MemoryStorage } from './harness';
import {
  completeObservation,
  getObservation,
  pauseLessonClock,
  setPosition,
  startLessonClock,
  startObservation,
} from '../../../src/data/records/observations';
import { writeFileSync } from 'node:fs';
import { listResponses, recordResponse } from '../../../src/data/records/responses';
import { saveNote } from '../../../src/data/records/notes';
import { handOver, recordFeedbackChanges } from '../../../src/data/records/feedback';
import { markRead, setSharedWithLeader } from '../../../src/data/records/reflections';
import { loadInsight } from '../../../src/data/records/insight';
import { compactOutbox, listOutbox } from '../../../src/data/writes/outbox';
import { useClock } from '../../../src/data/writes/local';
import { dismissNotSent, getSyncCursor, getSyncStatus, pull, push, signOut, sync } from '../../../src/data/sync/sync';
import {
  accountDatabaseName,
  accountKey,
  getActiveAccount,
  listAccounts,
  rememberAccount,
  setActiveAccount,
  type Account,
} from '../../../src/data/sync/accounts';
import { newId } from '../../../src/data/database/db';
import type { SyncTransport } from '../../../src/data/sync/sync-transport';
import type { Person } from '../../../src/core/model/records';
import { CURRENT_VERSION } from '../../../src/data/database/schema';

let server: FakeServer;
const devices: Device[] = [];
let clock = T0;

beforeEach(async () => {
  server = await schoolServer();
  clock = T0 + 60_000;
  useClock(() => (clock += 1000));
});

afterEach(async () => {
  useClock(() => Date.now());
  while (devices.length) await devices.pop()!.close();
});

async function device(person: Person): Promise<Device> {
  const d = new Device(server, person);
  devices.push(d);
  await d.signIn();
  return d;
}

/** A device that has pulled the school. */
async function synced(person: Person): Promise<Device> {
  const d = await device(person);
  expect((await d.sync()).outcome).toBe('done');
  return d;
}

const top = { id: 'p1', kind: 'top' as const, text: 'Rustige start.' };
const tip = { id: 'p2', kind: 'tip' as const, text: 'Noem het lesdoel.' };

/** Anna observes Bram: started, one rating, completed, feedback written (not handed over). */
async function annaObservesBram(anna: Device) {
  return anna.run(async () => {
    const observation = await startObservation(
      { instrumentKey: KEY, observerId: 'anna', observedId: 'bram', purpose: 'peer', context: {} },
      PEOPLE.anna,
    );
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 3 }, PEOPLE.anna);
    await saveNote(
      { id: newId(), observationId: observation.id, text: 'Begint op tijd', lessonMs: 1000, owner: 'anna' },
      PEOPLE.anna,
    );
    await completeObservation(observation.id, PEOPLE.anna);
    await recordFeedbackChanges(
      observation.id,
      [
        { field: 'point', point: top, at: clock },
        { field: 'point', point: tip, at: clock },
      ],
      PEOPLE.anna,
    );
    return observation;
  });
}

/** Anna's two tablets: the first observed Bram and sent it, the second has received it since. */
async function twoTablets() {
  const tablet = await synced(PEOPLE.anna);
  const observation = await annaObservesBram(tablet);
  await tablet.sync();
  const second = await synced(PEOPLE.anna);
  return { tablet, observation, second };
}

describe('the first sync', () => {
  it('pulls the school page by page while the server says there is more, storing each cursor', async () => {
    server.pageSize = 2;
    const anna = await device(PEOPLE.anna);
    const progress: number[] = [];
    const result = await anna.sync({ onProgress: (n) => progress.push(n) });
    expect(result).toMatchObject({ outcome: 'done', received: 6 });
    expect(progress).toEqual([2, 4, 6]);
    expect(anna.link.calls).toEqual(['me', 'pull', 'pull', 'pull']);
    expect(normalise(await anna.holdings())).toEqual(normalise(server.visibleTo('anna')));
    expect(await anna.run(getSyncCursor)).toBe('6');
    // Nothing new: one more pull, nothing written.
    await anna.sync();
    expect(anna.link.calls.slice(-2)).toEqual(['me', 'pull']);
  });

  it('stores a page and its cursor together: a page that fails to store leaves neither, and the next pull starts there again', async () => {
    server.pageSize = 3;
    const anna = await device(PEOPLE.anna);
    let full = false;
    anna.db.device.hook('updating', (_changes, key) => {
      if (full && key === 'syncCursor') throw new Error('disk full (simulated)');
    });
    const sinces: string[] = [];
    const link = anna.link;
    const flaky: SyncTransport = {
      signIn: () => link.signIn(),
      me: () => link.me(),
      signOut: () => link.signOut(),
      push: (request) => link.push(request),
      pull: async (since, schemaVersion) => {
        sinces.push(since);
        // The second page arrives, and the disk is full when it is stored.
        if (sinces.length === 2) full = true;
        return link.pull(since, schemaVersion);
      },
    };
    await expect(anna.run(() => pull(flaky, 'anna'))).rejects.toThrow('disk full');
    expect(sinces).toEqual(['0', '3']);
    expect(await anna.run(getSyncCursor)).toBe('3');
    // The first page (the school, Anna, Bram) is in; nothing of the second (Lies, the instrument, the year).
    expect(await anna.db.people.count()).toBe(2);
    expect(await anna.db.instruments.count()).toBe(0);
    expect(await anna.db.schoolYears.count()).toBe(0);
    full = false;
    // The next sync starts at the stored cursor: the second page again, and only it.
    expect(await anna.sync()).toMatchObject({ outcome: 'done', received: 3 });
    expect(normalise(await anna.holdings())).toEqual(normalise(server.visibleTo('anna')));
  });
});

describe('pushing the outbox', () => {
  it('sends every change once: an answer lost on the way back is sent again, answered as a duplicate, and nothing doubles', async () => {
    const anna = await synced(PEOPLE.anna);
    const observation = await annaObservesBram(anna);
    const sent = (await anna.run(listOutbox)).length;
    expect(sent).toBeGreaterThan(4);

    anna.link.loseAnswers = 1;
    const lost = await anna.sync();
    expect(lost).toMatchObject({ outcome: 'failed', failure: 'offline' });
    // The server has applied everything; the device does not know, and keeps every entry.
    expect(server.records.get(`observation:${observation.id}`)?.data.status).toBe('completed');
    expect((await anna.run(listOutbox)).length).toBe(sent);

    const again = await anna.sync();
    expect(again).toMatchObject({ outcome: 'done', pushed: { answered: sent, refused: 0 } });
    expect(await anna.run(listOutbox)).toEqual([]);
    expect([...server.records.values()].filter((r) => r.kind === 'response')).toHaveLength(1);
    expect([...server.records.values()].filter((r) => r.kind === 'note')).toHaveLength(1);
    expect(normalise(await anna.holdings())).toEqual(normalise(server.visibleTo('anna')));
  });

  it('keeps entries written while a push is on its way, and removes only the answered ones', async () => {
    const anna = await synced(PEOPLE.anna);
    const observation = await annaObservesBram(anna);
    const first = await anna.run(listOutbox);
    anna.link.duringPush = async () => {
      anna.link.duringPush = undefined;
      // A tap while the push is on its way, then the network goes before the next batch.
      await recordResponse(observation.id, 'lk-contact', { kind: 'rating', value: 2 }, PEOPLE.anna);
      anna.link.offline = true;
    };
    expect(await anna.sync()).toMatchObject({ outcome: 'failed', failure: 'offline' });
    const left = await anna.run(listOutbox);
    expect(left.map((e) => e.kind)).toEqual(['response', 'amendment', 'observation']);
    expect(left.every((e) => !first.some((f) => f.id === e.id))).toBe(true);

    anna.link.offline = false;
    expect(await anna.sync()).toMatchObject({ outcome: 'done', pushed: { answered: 3 } });
    expect(server.records.get(`response:${observation.id}:lk-contact`)?.data.rating).toBe(2);
  });

  it('sends in batches, oldest first', async () => {
    const anna = await synced(PEOPLE.anna);
    await annaObservesBram(anna);
    const entries = await anna.run(listOutbox);
    await anna.run(() => push(anna.link, 2));
    expect(server.pushes).toBe(Math.ceil(entries.length / 2));
    expect(await anna.run(listOutbox)).toEqual([]);
  });

  it('puts the server’s version back when it refuses a change (a second tablet changed a rating after the first handed it over)', async () => {
    const { tablet, observation, second } = await twoTablets();
    await tablet.run(() => handOver(observation.id, PEOPLE.anna));
    await tablet.sync();

    // The second tablet has not heard of the hand-over and changes the rating (an amendment, allowed there).
    await second.run(() => recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 1 }, PEOPLE.anna));
    expect((await second.run(() => listResponses(observation.id)))[0]?.rating).toBe(1);
    const result = await second.sync();
    // The rating and its amendment are refused; the summary patch is not (see the report: a rule for the core).
    expect(result).toMatchObject({ outcome: 'done', pushed: { refused: 2 } });
    expect((await second.run(() => listResponses(observation.id)))[0]?.rating).toBe(3);
    // The amendment the server never had is dropped; the observation is as the server has it (handed over).
    expect(await second.db.amendments.count()).toBe(0);
    expect((await second.run(() => getObservation(observation.id)))?.status).toBe('shared');
    expect(await second.run(listOutbox)).toEqual([]);
    expect(normalise(await second.holdings())).toEqual(normalise(server.visibleTo('anna')));
    // Its author sees what was not sent, and why, until she has seen it; sending again does not repeat it.
    const { notSent } = await second.run(getSyncStatus);
    expect(notSent.map((change) => [change.kind, change.recordId, change.reason])).toEqual([
      ['response', `${observation.id}:lk-respect`, 'handed-over'],
      ['amendment', expect.any(String), 'handed-over'],
    ]);
    await second.sync();
    expect((await second.run(getSyncStatus)).notSent).toHaveLength(2);
    await second.run(dismissNotSent);
    expect((await second.run(getSyncStatus)).notSent).toEqual([]);
  });

  it('never folds an entry that was sent: its answer may have been lost', async () => {
    const anna = await synced(PEOPLE.anna);
    const observation = await annaObservesBram(anna);
    anna.link.loseAnswers = 1;
    await anna.sync();
    const sent = await anna.run(listOutbox);
    await anna.run(() => recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 4 }, PEOPLE.anna));
    await anna.run(() => recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 2 }, PEOPLE.anna));
    await anna.run(() => compactOutbox(0));
    const after = await anna.run(listOutbox);
    expect(after.slice(0, sent.length)).toEqual(sent);
    // Only the unsent entries of one record were folded.
    expect(after.length).toBeLessThan(sent.length + 6);
    await anna.sync();
    expect(normalise(await anna.holdings())).toEqual(normalise(server.visibleTo('anna')));
  });

  it('sends a text typed offline as one change per record, and folds nothing that was sent', async () => {
    const anna = await synced(PEOPLE.anna);
    const observation = await annaObservesBram(anna);
    const responseId = `${observation.id}:lk-respect`;
    const noteId = newId();
    const sentence = 'De leerkracht wacht tot het stil is en begint dan.';
    const typeOffline = async (from: number, to: number) => {
      for (let i = from; i <= to; i++) {
        await recordResponse(
          observation.id,
          'lk-respect',
          { kind: 'evidence', value: sentence.slice(0, i) },
          PEOPLE.anna,
        );
        await saveNote(
          { id: noteId, observationId: observation.id, text: sentence.slice(0, i), lessonMs: 2000, owner: 'anna' },
          PEOPLE.anna,
        );
      }
    };
    anna.link.offline = true;
    await anna.run(() => typeOffline(1, 20));
    await anna.sync();
    anna.link.offline = false;
    const waiting = await anna.run(listOutbox);
    expect(waiting.filter((e) => e.recordId === responseId).length).toBeGreaterThanOrEqual(20);

    // The push's answer is lost: the server applied what it got, the tablet keeps it all as sent.
    anna.link.loseAnswers = 1;
    await anna.sync();
    const firstPush = [...server.received];
    const textChanges = (changes: typeof firstPush) =>
      changes.filter((c) => c.recordId === responseId || c.recordId === noteId);
    // Twenty keystrokes in each of two texts: one change per record (the response, rated before, was never sent).
    expect(textChanges(firstPush).map((c) => [c.kind, c.op])).toEqual([
      ['response', 'insert'],
      ['note', 'insert'],
    ]);
    expect(textChanges(firstPush)[0]!.fields.evidence).toBe(sentence.slice(0, 20));

    // More typing; the entries already sent are sent again unchanged (the server knows their ids), the new
    // keystrokes as one change per record.
    await anna.run(() => typeOffline(21, 30));
    await anna.sync();
    const secondPush = server.received.slice(firstPush.length);
    expect(secondPush.slice(0, firstPush.length)).toEqual(firstPush);
    const added = textChanges(secondPush.slice(firstPush.length));
    expect(added.map((c) => [c.kind, c.op])).toEqual([
      ['response', 'patch'],
      ['note', 'patch'],
    ]);
    expect(server.records.get(`response:${responseId}`)?.data.evidence).toBe(sentence.slice(0, 30));
    expect(await anna.run(listOutbox)).toEqual([]);
    expect(normalise(await anna.holdings())).toEqual(normalise(server.visibleTo('anna')));
  });
});

/**
 * What a tablet sends for one ordinary observation made offline, typed keystroke by keystroke as on the capture
 * screen. `npm run bench` reports the count (MEEKIJKEN_BENCH_OUT names a file to write it to); the test holds it
 * to the budget of 20 changes.
 */
describe('an ordinary observation, made offline', () => {
  const CHANGES_PER_OBSERVATION = 20;

  it(`reaches the server as at most ${CHANGES_PER_OBSERVATION} changes`, async () => {
    const anna = await synced(PEOPLE.anna);
    anna.link.offline = true;
    const fifty = (start: string) => `${start} `.padEnd(50, 'abcdefghij ').slice(0, 50);
    const typed = async (write: (text: string) => Promise<void>, text: string) => {
      for (let i = 1; i <= text.length; i++) await write(text.slice(0, i));
    };
    const observation = await anna.run(async () => {
      const o = await startObservation(
        { instrumentKey: KEY, observerId: 'anna', observedId: 'bram', purpose: 'peer', context: {} },
        PEOPLE.anna,
      );
      await startLessonClock(o.id, PEOPLE.anna);
      const rate = (itemId: string, value: 1 | 2 | 3 | 4) =>
        recordResponse(o.id, itemId, { kind: 'rating', value }, PEOPLE.anna);
      await setPosition(o.id, 'leerklimaat', PEOPLE.anna);
      await rate('lk-respect', 3);
      await recordResponse(o.id, 'lk-respect', { kind: 'lookFor', id: 'lf1', on: true }, PEOPLE.anna);
      await typed(
        (text) => recordResponse(o.id, 'lk-respect', { kind: 'evidence', value: text }, PEOPLE.anna),
        fifty('Spreekt rustig'),
      );
      await rate('lk-contact', 4);
      await typed(
        (text) => recordResponse(o.id, 'lk-contact', { kind: 'evidence', value: text }, PEOPLE.anna),
        fifty('Kent alle namen'),
      );
      await rate('lk-fouten', 2);
      await setPosition(o.id, 'klassenmanagement', PEOPLE.anna);
      await rate('km-start', 3);
      const noteId = newId();
      await typed(
        (text) => saveNote({ id: noteId, observationId: o.id, text, lessonMs: 60_000, owner: 'anna' }, PEOPLE.anna),
        fifty('Goede instructie'),
      );
      await pauseLessonClock(o.id, PEOPLE.anna);
      await completeObservation(o.id, PEOPLE.anna);
      await recordFeedbackChanges(
        o.id,
        [
          { field: 'point', point: top, at: clock },
          { field: 'point', point: tip, at: clock },
        ],
        PEOPLE.anna,
      );
      await handOver(o.id, PEOPLE.anna);
      return o;
    });
    const waiting = (await anna.run(listOutbox)).length;
    anna.link.offline = false;
    const before = server.received.length;
    expect((await anna.sync()).outcome).toBe('done');
    const sent = server.received.slice(before);
    // Everything arrived: the server holds the observation handed over, with its four ratings.
    expect(server.records.get(`observation:${observation.id}`)?.data.status).toBe('shared');
    expect(
      [...server.records.values()].filter((r) => r.kind === 'response' && r.data.observationId === observation.id),
    ).toHaveLength(4);
    if (process.env.MEEKIJKEN_BENCH_OUT)
      writeFileSync(process.env.MEEKIJKEN_BENCH_OUT, JSON.stringify({ changes: sent.length, outboxEntries: waiting }));
    expect(waiting, 'entries the outbox held: one per keystroke').toBeGreaterThan(150);
    expect(sent.length).toBeLessThanOrEqual(CHANGES_PER_OBSERVATION);
  });
});

describe('pulling', () => {
  it('does not overwrite a record whose change waits in the outbox; the next sync converges', async () => {
    const { tablet, observation, second } = await twoTablets();
    // The first tablet changes the rating; the second changes it too, later, and has not pushed yet.
    await tablet.run(() => recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 4 }, PEOPLE.anna));
    await tablet.sync();
    await second.run(() => recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 2 }, PEOPLE.anna));
    const cursor = await second.run(getSyncCursor);
    const pulled = await second.run(() => pull(second.link, 'anna'));
    expect(pulled.complete).toBe(false);
    expect((await second.run(() => listResponses(observation.id)))[0]?.rating).toBe(2);
    // The page keeps its old cursor: it comes again once the local change is answered.
    expect(await second.run(getSyncCursor)).toBe(cursor);

    expect((await second.sync()).outcome).toBe('done');
    expect(server.records.get(`response:${observation.id}:lk-respect`)?.data.rating).toBe(2);
    await tablet.sync();
    expect(normalise(await second.holdings())).toEqual(normalise(server.visibleTo('anna')));
    expect(normalise(await tablet.holdings())).toEqual(normalise(server.visibleTo('anna')));
  });

  it('gets the server’s merged record after an answer was lost and the echo came while the change still waited', async () => {
    const { tablet, observation, second } = await twoTablets();
    // The same response: the first tablet changes the rating, the second (not up to date) the evidence.
    await tablet.run(() => recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 4 }, PEOPLE.anna));
    await tablet.sync();
    await second.run(() =>
      recordResponse(observation.id, 'lk-respect', { kind: 'evidence', value: 'Wacht tot het stil is' }, PEOPLE.anna),
    );
    second.link.loseAnswers = 1;
    expect((await second.sync()).outcome).toBe('failed');
    // A pull alone now brings the server's merged response while the second tablet's change still waits.
    expect((await second.run(() => pull(second.link, 'anna'))).complete).toBe(false);
    expect((await second.sync()).outcome).toBe('done');
    const response = (await second.run(() => listResponses(observation.id)))[0];
    expect(response).toMatchObject({ rating: 4, evidence: 'Wacht tot het stil is' });
    expect(normalise(await second.holdings())).toEqual(normalise(server.visibleTo('anna')));
  });

  it('removes a gone observation with everything recorded in it (the teacher took back the share with the leader)', async () => {
    const anna = await synced(PEOPLE.anna);
    const observation = await annaObservesBram(anna);
    await anna.run(() => handOver(observation.id, PEOPLE.anna));
    await anna.sync();
    const bram = await synced(PEOPLE.bram);
    await bram.run(() => setSharedWithLeader(observation.id, true, PEOPLE.bram));
    await bram.sync();
    const lies = await synced(PEOPLE.lies);
    expect(await lies.db.observations.count()).toBe(1);
    expect(await lies.db.responses.count()).toBe(1);
    expect(await lies.db.notes.count()).toBe(1);
    expect(await lies.db.feedback.count()).toBe(1);
    expect(await lies.db.reflections.count()).toBe(1);

    await bram.run(() => setSharedWithLeader(observation.id, false, PEOPLE.bram));
    await bram.sync();
    await lies.sync();
    for (const table of ['observations', 'responses', 'notes', 'amendments', 'feedback', 'reflections'])
      expect(await lies.db.table(table).count(), table).toBe(0);
    expect(normalise(await lies.holdings())).toEqual(normalise(server.visibleTo('lies')));
  });

  it('keeps the dashboards whole when an observation arrives without its summary (the loader computes it)', async () => {
    const anna = await synced(PEOPLE.anna);
    const observation = await annaObservesBram(anna);
    await anna.run(() => handOver(observation.id, PEOPLE.anna));
    await anna.sync();
    const stored = server.records.get(`observation:${observation.id}`)!;
    const expected = stored.data.summary;
    expect(expected).toBeDefined();
    // As an older app version would have pushed it: no summary.
    delete stored.data.summary;
    const bram = await synced(PEOPLE.bram);
    expect((await bram.db.observations.get(observation.id))?.summary).toBeUndefined();
    const insight = await bram.run(loadInsight);
    expect(insight.rows.map((row) => [row.observationId, row.summary])).toEqual([[observation.id, expected]]);
  });

  it('says “new feedback” when a pull brings an observation newly handed over to me, until I read it', async () => {
    const anna = await synced(PEOPLE.anna);
    const bram = await synced(PEOPLE.bram);
    const observation = await annaObservesBram(anna);
    await anna.run(() => handOver(observation.id, PEOPLE.anna));
    await anna.sync();
    expect((await bram.run(getSyncStatus)).newFeedback).toBe(0);
    await bram.sync();
    expect(await bram.run(getSyncStatus)).toMatchObject({ pending: 0, newFeedback: 1, state: { phase: 'ok' } });
    // The observer's own device never calls its own hand-over new.
    expect((await anna.run(getSyncStatus)).newFeedback).toBe(0);
    await bram.run(() => markRead(observation.id, PEOPLE.bram));
    expect((await bram.run(getSyncStatus)).newFeedback).toBe(0);
    await bram.sync();
    expect((await bram.run(getSyncStatus)).newFeedback).toBe(0);
  });
});

describe('when the network or the session fails', () => {
  it('keeps queueing while offline, says so, and catches up when the network is back', async () => {
    const anna = await synced(PEOPLE.anna);
    anna.link.offline = true;
    await annaObservesBram(anna);
    const queued = (await anna.run(listOutbox)).length;
    expect(await anna.sync()).toMatchObject({ outcome: 'failed', failure: 'offline' });
    await annaObservesBram(anna);
    expect(await anna.sync()).toMatchObject({ outcome: 'failed', failure: 'offline' });
    const status = await anna.run(getSyncStatus);
    expect(status.pending).toBeGreaterThan(queued);
    expect(status.state).toMatchObject({ phase: 'failed', failure: 'offline' });

    anna.link.offline = false;
    expect((await anna.sync()).outcome).toBe('done');
    expect(await anna.run(getSyncStatus)).toMatchObject({ pending: 0, state: { phase: 'ok' } });
    expect([...server.records.values()].filter((r) => r.kind === 'observation')).toHaveLength(2);
  });

  it('stops at a 401 (the session was revoked) and keeps every record and change', async () => {
    const anna = await synced(PEOPLE.anna);
    await annaObservesBram(anna);
    const outbox = await anna.run(listOutbox);
    const held = normalise(await anna.holdings());
    anna.link.revoked = true;
    expect(await anna.sync()).toEqual({ outcome: 'signed-out', reason: 'session-ended' });
    expect(await anna.run(listOutbox)).toEqual(outbox);
    expect(normalise(await anna.holdings())).toEqual(held);
    expect((await anna.run(getSyncStatus)).state).toMatchObject({ phase: 'signed-out', reason: 'session-ended' });
  });

  it('never pushes under another person’s session (a colleague signed in on this tablet since)', async () => {
    const anna = await synced(PEOPLE.anna);
    await annaObservesBram(anna);
    const bramsCookie = server.link('bram');
    const result = await anna.run(() => sync({ transport: bramsCookie, account: anna.account }));
    expect(result).toEqual({ outcome: 'signed-out', reason: 'other-account' });
    expect(bramsCookie.calls).toEqual(['me']);
    expect((await anna.run(listOutbox)).length).toBeGreaterThan(0);
  });

  it('reports a server error as such (the scheduler retries later)', async () => {
    const anna = await synced(PEOPLE.anna);
    anna.link.failWith = 503;
    expect(await anna.sync()).toMatchObject({ outcome: 'failed', failure: 'server', status: 503 });
  });

  it('says its record-schema version (its database version) with every push and pull', async () => {
    const anna = await synced(PEOPLE.anna);
    await annaObservesBram(anna);
    server.versionsHeard.length = 0;
    anna.link.calls.length = 0;
    expect((await anna.sync()).outcome).toBe('done');
    expect(anna.link.calls.filter((call) => call === 'push' || call === 'pull').length).toBeGreaterThanOrEqual(2);
    expect(server.versionsHeard).toEqual(
      anna.link.calls.filter((call) => call === 'push' || call === 'pull').map(() => CURRENT_VERSION),
    );
  });

  it('stops when the server says the app is too old, keeps every change, and sends them once it may again', async () => {
    const anna = await synced(PEOPLE.anna);
    await annaObservesBram(anna);
    const outbox = await anna.run(listOutbox);
    const held = normalise(await anna.holdings());
    const observationsBefore = [...server.records.values()].filter((r) => r.kind === 'observation').length;
    server.window = { ...server.window, oldest: CURRENT_VERSION + 1, current: CURRENT_VERSION + 1 };
    anna.link.calls.length = 0;
    expect(await anna.sync()).toMatchObject({ outcome: 'failed', failure: 'app-too-old', status: 409 });
    // One refused push, and no retry within the sync.
    expect(anna.link.calls).toEqual(['me', 'push']);
    expect(await anna.run(listOutbox)).toEqual(outbox);
    expect(normalise(await anna.holdings())).toEqual(held);
    expect((await anna.run(getSyncStatus)).state).toMatchObject({ phase: 'failed', failure: 'app-too-old' });
    expect([...server.records.values()].filter((r) => r.kind === 'observation')).toHaveLength(observationsBefore);

    // The window takes this version again (in the app: the updated app, which writes the newer version).
    server.window = { ...server.window, oldest: CURRENT_VERSION, current: CURRENT_VERSION };
    expect((await anna.sync()).outcome).toBe('done');
    expect(await anna.run(getSyncStatus)).toMatchObject({ pending: 0, state: { phase: 'ok' } });
    expect([...server.records.values()].filter((r) => r.kind === 'observation')).toHaveLength(observationsBefore + 1);
  });

  it('says the school server must be updated when this app is newer than it, on a pull too', async () => {
    const anna = await synced(PEOPLE.anna);
    server.window = { ...server.window, oldest: CURRENT_VERSION - 1, current: CURRENT_VERSION - 1 };
    anna.link.calls.length = 0;
    // Nothing waits to be sent: the pull says the version, and is refused.
    expect(await anna.sync()).toMatchObject({ outcome: 'failed', failure: 'server-too-old', status: 409 });
    expect(anna.link.calls).toEqual(['me', 'pull']);
    await annaObservesBram(anna);
    const outbox = await anna.run(listOutbox);
    expect(await anna.sync()).toMatchObject({ outcome: 'failed', failure: 'server-too-old' });
    expect(await anna.run(listOutbox)).toEqual(outbox);
    expect((await anna.run(getSyncStatus)).state).toMatchObject({ phase: 'failed', failure: 'server-too-old' });
  });

  it('runs one sync at a time: asked while one runs, it runs once more after it', async () => {
    const anna = await synced(PEOPLE.anna);
    const observation = await annaObservesBram(anna);
    anna.link.calls.length = 0;
    await anna.run(async () => {
      const first = sync({ transport: anna.link, account: anna.account });
      const second = sync({ transport: anna.link, account: anna.account });
      const third = sync({ transport: anna.link, account: anna.account });
      expect(third).toBe(second);
      await recordResponse(observation.id, 'lk-fouten', { kind: 'rating', value: 2 }, PEOPLE.anna);
      await Promise.all([first, second]);
      expect(await listOutbox()).toEqual([]);
    });
    expect(anna.link.calls.join(',')).toMatch(/^me,(push,)+pull,me,(push,)*pull$/);
  });
});

describe('signing out of a shared tablet', () => {
  const account = (person: Person): Account => ({
    schoolId: SCHOOL.id,
    schoolName: SCHOOL.name,
    personId: person.id,
    personName: person.name,
    sessionId: `session-${person.id}`,
    deviceLabel: 'Tablet',
    addedAt: T0,
  });
  /** A device whose database carries the account's name, as in the app. */
  async function accountDevice(person: Person): Promise<Device> {
    const d = new Device(server, person, accountDatabaseName(account(person)));
    devices.push(d);
    await d.signIn();
    await d.sync();
    return d;
  }

  it('refuses while changes are unsent, and signs out (server session and local database) once they are sent', async () => {
    const storage = new MemoryStorage();
    const anna = await accountDevice(PEOPLE.anna);
    await annaObservesBram(anna);
    rememberAccount(account(PEOPLE.anna), storage);
    rememberAccount(account(PEOPLE.bram), storage);
    setActiveAccount(accountKey(account(PEOPLE.anna)), storage);
    storage.setItem(`meekijken-journal:${anna.db.name}:page`, '[]');
    const unsent = (await anna.run(listOutbox)).length;
    expect(await anna.run(() => signOut({ transport: anna.link, account: account(PEOPLE.anna), storage }))).toEqual({
      outcome: 'unsent',
      pending: unsent,
    });
    expect(anna.link.calls).not.toContain('sign-out');
    expect(await anna.db.observations.count()).toBe(1);

    await anna.sync();
    expect(await anna.run(() => signOut({ transport: anna.link, account: account(PEOPLE.anna), storage }))).toEqual({
      outcome: 'signed-out',
    });
    expect(anna.link.calls.at(-1)).toBe('sign-out');
    expect(listAccounts(storage).map((a) => a.personId)).toEqual(['bram']);
    expect(getActiveAccount(storage)).toBeUndefined();
    expect(storage.getItem(`meekijken-journal:${anna.db.name}:page`)).toBeNull();
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(anna.db.name);
  });

  it('removes nothing while the server cannot be reached, and leaves another person’s session alone', async () => {
    const storage = new MemoryStorage();
    const anna = await accountDevice(PEOPLE.anna);
    anna.link.offline = true;
    expect(await anna.run(() => signOut({ transport: anna.link, account: account(PEOPLE.anna), storage }))).toEqual({
      outcome: 'offline',
    });
    expect(await anna.db.people.count()).toBe(3);
    // Bram signed in on this tablet since: the cookie is his, and stays his.
    const bramsCookie = server.link('bram');
    expect(await anna.run(() => signOut({ transport: bramsCookie, account: account(PEOPLE.anna), storage }))).toEqual({
      outcome: 'signed-out',
    });
    expect(bramsCookie.calls).toEqual(['me']);
  });
});

describe('accounts on this tablet', () => {
  it('keeps one entry per person, remembers the account in use, and names each database after school and person', async () => {
    const storage = new MemoryStorage();
    expect(getActiveAccount(storage)).toBeUndefined();
    const anna = {
      schoolId: 's1',
      schoolName: 'De Linde',
      personId: 'p1',
      personName: 'Anna',
      sessionId: 'a',
      deviceLabel: 'Tablet',
      addedAt: 1,
    };
    rememberAccount(anna, storage);
    rememberAccount({ ...anna, sessionId: 'b', addedAt: 5 }, storage);
    expect(listAccounts(storage)).toEqual([{ ...anna, sessionId: 'b' }]);
    setActiveAccount('s1-p1', storage);
    expect(getActiveAccount(storage)?.sessionId).toBe('b');
    expect(() => setActiveAccount('s1-p2', storage)).toThrow();
    storage.setItem('meekijken.accounts', '{not json');
    expect(listAccounts(storage)).toEqual([]);
  });
});
