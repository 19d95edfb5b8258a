/**
 * Observing with format 2 in the data layer and the capture session, on fake-indexeddb: each repetition's answers
 * are records of their own, repetitions are started through an observation change that sets the whole map, the
 * journal keeps repetitions apart and replays them, completion stores a summary that combines the repetitions,
 * amendments name the repetition, and a self-assessment's session is the teacher's part of the instrument.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { MemoryStorage, useFreshDatabase } from './harness';
import { addPerson } from '../../../src/data/records/people';
import { installed } from '../../../src/data/records/instruments';
import {
  completeObservation,
  getObservation,
  recordObservationChanges,
  startObservation,
} from '../../../src/data/records/observations';
import { listResponses, recordResponse, recordResponseChanges } from '../../../src/data/records/responses';
import { listAmendments } from '../../../src/data/records/amendments';
import { JOURNALLED, pageJournal, replayJournals, type DurableChange } from '../../../src/data/records/page-writes';
import { insertAll } from '../../../src/data/writes/local';
import { CaptureSession } from '../../../src/ui/features/capture/capture-session.svelte';
import type { Instrument } from '../../../src/core/instrument';
import type { Person, Purpose } from '../../../src/core/model/records';

const { db } = useFreshDatabase();
const FIXTURE = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../fixtures/format-2-capture.json'), 'utf8'),
) as Instrument;
const KEY = `${FIXTURE.id}@${FIXTURE.version}`;
const START = Date.UTC(2026, 10, 25, 9, 0);

async function setUp(purpose: Purpose = 'peer') {
  if (!(await db().instruments.get(KEY)))
    await insertAll('instrument', [installed(FIXTURE, 'imported', START)], 'system', { at: START });
  const observer = await addPerson({ name: 'Bram de Vries', role: 'teacher', starter: false }, null);
  const observed = await addPerson({ name: 'Anna Jansen', role: 'teacher', starter: false }, null);
  const self = purpose === 'self';
  const observation = await startObservation(
    {
      instrumentKey: KEY,
      observerId: self ? observed.id : observer.id,
      observedId: observed.id,
      purpose,
      context: { 'lesson-minutes': 50 },
    },
    self ? observed : observer,
    START,
  );
  return { observer: self ? observed : observer, observation };
}

describe('answers per repetition', () => {
  it('keeps each repetition’s answer in a record of its own, next to the answers outside repeated sections', async () => {
    const { observer, observation } = await setUp();
    await recordResponse(observation.id, 'sfeer', { kind: 'rating', value: 6 }, observer, START + 1, 1);
    await recordResponse(observation.id, 'sfeer', { kind: 'rating', value: 4 }, observer, START + 2, 2);
    await recordResponse(observation.id, 'klaar', { kind: 'rating', value: 3 }, observer, START + 3);
    const stored = await listResponses(observation.id);
    expect(stored.map((r) => [r.id, r.itemId, r.cycle, r.rating]).sort()).toEqual([
      [`${observation.id}:klaar`, 'klaar', undefined, 3],
      [`${observation.id}:sfeer#1`, 'sfeer', 1, 6],
      [`${observation.id}:sfeer#2`, 'sfeer', 2, 4],
    ]);
    expect(stored.find((r) => r.itemId === 'klaar')).not.toHaveProperty('cycle');
  });

  it('stores seen / not seen look-fors and a list of entries, and an older write never brings an old state back', async () => {
    const { observer, observation } = await setUp();
    await recordResponseChanges(
      observation.id,
      'slot-kijkpunten',
      [
        { patch: { kind: 'lookForState', id: 'terug-doel', state: 'not-seen' }, at: START + 1 },
        { patch: { kind: 'lookForState', id: 'terug-doel', state: 'seen' }, at: START + 3 },
        { patch: { kind: 'lookForState', id: 'vooruit', state: 'not-seen' }, at: START + 2 },
      ],
      observer,
    );
    await recordResponse(
      observation.id,
      'slot-kijkpunten',
      { kind: 'lookForState', id: 'terug-doel', state: 'not-seen' },
      observer,
      START + 2,
    );
    await recordResponse(
      observation.id,
      'tops',
      { kind: 'entries', value: ['Rustige start', 'Veel beurten'] },
      observer,
      START + 4,
    );
    const stored = new Map((await listResponses(observation.id)).map((r) => [r.itemId, r]));
    expect(stored.get('slot-kijkpunten')).toMatchObject({ lookFors: ['terug-doel'], notSeen: ['vooruit'] });
    expect(stored.get('tops')?.entries).toEqual(['Rustige start', 'Veel beurten']);
  });

  it('journals repetitions apart and replays each into its own record', async () => {
    const { observer, observation } = await setUp();
    const change = (cycle: number, value: number): DurableChange => ({
      kind: 'response',
      observationId: observation.id,
      itemId: 'sfeer',
      cycle,
      patch: { kind: 'rating', value },
    });
    expect(JOURNALLED.recordKey(change(1, 6))).not.toBe(JOURNALLED.recordKey(change(2, 6)));
    expect(JOURNALLED.fieldKey(change(1, 6))).not.toBe(JOURNALLED.fieldKey(change(2, 6)));
    const storage = new MemoryStorage();
    const journal = pageJournal(storage, db().name, 'page');
    journal.write({ change: change(1, 6), actor: observer, at: START + 1, seq: 1 });
    journal.write({ change: change(2, 3), actor: observer, at: START + 2, seq: 2 });
    expect(await replayJournals(storage, db().name)).toEqual({ written: 2, kept: 0 });
    const stored = await listResponses(observation.id);
    expect(stored.map((r) => [r.cycle, r.rating]).sort()).toEqual([
      [1, 6],
      [2, 3],
    ]);
    // Written again, it changes nothing.
    await JOURNALLED.write([{ change: change(2, 3), actor: observer, at: START + 2, seq: 3 }]);
    expect((await listResponses(observation.id)).length).toBe(2);
  });

  it('records a change after completion as an amendment naming the repetition', async () => {
    const { observer, observation } = await setUp();
    await recordResponse(observation.id, 'sfeer', { kind: 'rating', value: 6 }, observer, START + 1, 2);
    await completeObservation(observation.id, observer, START + 10);
    await recordResponse(observation.id, 'sfeer', { kind: 'rating', value: 5 }, observer, START + 20, 2);
    expect((await listAmendments(observation.id)).map((a) => [a.itemId, a.field, a.before, a.after])).toEqual([
      ['sfeer#2', 'rating', 6, 5],
    ]);
  });
});

describe('repetitions on the observation', () => {
  it('sets the starts as a whole map and the position with its repetition, newest change winning', async () => {
    const { observer, observation } = await setUp();
    const one = { ronde: [{ startedMs: 60_000 }] };
    const two = { ronde: [{ startedMs: 60_000 }, { startedMs: 960_000 }] };
    await recordObservationChanges(
      observation.id,
      [
        { field: 'cycles', cycles: two, at: START + 20 },
        { field: 'position', domainId: 'ronde', cycle: 2, at: START + 20 },
      ],
      observer,
    );
    // A replayed, older start is not allowed to take the second repetition away.
    await recordObservationChanges(observation.id, [{ field: 'cycles', cycles: one, at: START + 10 }], observer);
    let stored = await getObservation(observation.id);
    expect(stored?.cycles).toEqual(two);
    expect(stored?.position).toEqual({ domainId: 'ronde', cycle: 2 });
    // Another domain on screen drops the repetition.
    await recordObservationChanges(observation.id, [{ field: 'position', domainId: 'slot', at: START + 30 }], observer);
    stored = await getObservation(observation.id);
    expect(stored?.position).toEqual({ domainId: 'slot' });
  });

  it('stores a summary on completion that combines the repetitions and keeps the derived scores', async () => {
    const { observer, observation } = await setUp();
    await recordObservationChanges(
      observation.id,
      [{ field: 'cycles', cycles: { ronde: [{ startedMs: 0 }, { startedMs: 900_000 }] }, at: START + 1 }],
      observer,
    );
    for (const [cycle, tone, feedback] of [
      [1, 6, 5],
      [2, 4, 3],
    ] as const) {
      await recordResponse(observation.id, 'sfeer', { kind: 'rating', value: tone }, observer, START + 2, cycle);
      await recordResponse(
        observation.id,
        'terugkoppeling',
        { kind: 'rating', value: feedback },
        observer,
        START + 2,
        cycle,
      );
    }
    await recordResponse(observation.id, 'klaar', { kind: 'rating', value: 4 }, observer, START + 3);
    await completeObservation(observation.id, observer, START + 10);
    const summary = (await getObservation(observation.id))?.summary;
    expect(summary?.version).toBe(2);
    // sfeer: levels 5 and 3 of 0..6 → 4; terugkoppeling: 4 and 2 → 3; klaar through its map: score 1 of [0, 1].
    expect(summary?.items).toEqual({ sfeer: [4, 7], terugkoppeling: [3, 7], klaar: [1, 2] });
    expect(summary?.domains.ronde).toEqual({ rated: 2, meanPosition: (4 / 6 + 3 / 6) / 2, mean: 4.5 });
    expect(summary?.domainScores).toEqual({ ronde: 4.5 });
    expect(summary?.scores?.kern).toBeCloseTo((2 * 5 + 4) / 3);
  });
});

describe('the capture session with format 2', () => {
  const sessions: CaptureSession[] = [];
  afterEach(() => {
    while (sessions.length) sessions.pop()!.destroy();
  });
  const record = async (change: DurableChange, actor: unknown, at: number) => {
    await JOURNALLED.write([{ change, actor: actor as Person, at, seq: 1 }]);
    return true;
  };
  async function open(purpose: Purpose = 'peer') {
    let t = START + 5 * 60_000;
    const now = () => (t += 1000);
    const { observer, observation } = await setUp(purpose);
    const session = new CaptureSession({ observationId: observation.id, me: observer, record, now });
    sessions.push(session);
    flushSync();
    await vi.waitFor(() => expect(session.isLoading).toBe(false));
    await vi.waitFor(() => expect(session.stored.current).toBeDefined());
    flushSync();
    return { session, observation };
  }

  it('starts repetitions at the lesson clock, answers each apart and shows the one chosen', async () => {
    const { session, observation } = await open();
    await session.goToDomain('ronde');
    expect(session.cycle).toBeUndefined();
    expect(session.canStartCycle).toBe(true);
    await session.startCycle();
    await session.patch('sfeer', { kind: 'rating', value: 6 }, session.cycle);
    await session.startCycle();
    expect(session.cycle).toBe(2);
    await session.patch('sfeer', { kind: 'rating', value: 4 }, session.cycle);
    await session.startCycle();
    expect(session.canStartCycle).toBe(false);
    expect(session.startCycle()).toBeUndefined();
    await vi.waitFor(() => expect(session.responses.get('sfeer#2')?.rating).toBe(4));
    expect(session.responses.get('sfeer#1')?.rating).toBe(6);
    const stored = await getObservation(observation.id);
    expect(stored?.cycles?.ronde).toHaveLength(3);
    expect(stored?.position).toEqual({ domainId: 'ronde', cycle: 3 });
    await session.goToCycle(1);
    expect(session.cycle).toBe(1);
    // Progress asks for each repetition's items: three started, two items each.
    flushSync();
    expect(session.progress?.domains.find((d) => d.domainId === 'ronde')).toMatchObject({ answered: 2, total: 6 });
  });

  it('applies the rules of what is on screen and scores a score item as it is answered', async () => {
    const { session } = await open();
    expect(session.outcome?.hidden.has('doel-hoe')).toBe(true);
    await session.patch('doel', { kind: 'answer', value: 'no' });
    await vi.waitFor(() => expect(session.outcome?.required.has('geen-doel')).toBe(true));
    expect(session.outcome?.hidden.has('doel-hoe')).toBe(true);
    const item = session.items.get('slot-kijkpunten')!;
    expect(session.scoreValue(item)).toBeUndefined();
    await session.patch('slot-kijkpunten', { kind: 'lookForState', id: 'terug-doel', state: 'seen' });
    await session.patch('slot-kijkpunten', { kind: 'lookForState', id: 'vooruit', state: 'not-seen' });
    await vi.waitFor(() => expect(session.scoreValue(item)).toBe(0.5));
    expect(session.lessonMinutes).toBe(50);
  });

  it('makes a snapshot in a repeated section due by the minutes of the repetition under way', async () => {
    const teach = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../fixtures/instruments/teach-style.json'), 'utf8'),
    ) as Instrument;
    await insertAll('instrument', [installed(teach, 'imported', START)], 'system', { at: START });
    const observer = await addPerson({ name: 'Bram de Vries', role: 'teacher', starter: false }, null);
    const observed = await addPerson({ name: 'Anna Jansen', role: 'teacher', starter: false }, null);
    const observation = await startObservation(
      {
        instrumentKey: `${teach.id}@${teach.version}`,
        observerId: observer.id,
        observedId: observed.id,
        purpose: 'peer',
        context: {},
      },
      observer,
      START,
    );
    let t = START;
    const session = new CaptureSession({ observationId: observation.id, me: observer, record, now: () => t });
    sessions.push(session);
    flushSync();
    await vi.waitFor(() => expect(session.isLoading).toBe(false));
    await vi.waitFor(() => expect(session.stored.current).toBeDefined());
    await session.toggleClock();
    t += 20 * 60_000;
    session.now = t;
    flushSync();
    // No segment started yet: nothing is due, whatever the lesson clock says.
    expect(session.dueSnapshot).toBeUndefined();
    await session.goToDomain('tijd-voor-leren');
    await session.startCycle();
    expect(session.snapshotCycle).toBe(1);
    expect(session.dueSnapshot).toBeUndefined();
    t += 5 * 60_000;
    session.now = t;
    flushSync();
    // Five minutes into the segment (25 into the lesson): the latest snapshot minute up to 5 is due.
    const reached = teachMinutes(teach)
      .filter((m) => m <= 5)
      .at(-1);
    expect(reached).toBeDefined();
    expect(session.elapsedIn(session.domain, 1)).toBe(5 * 60_000);
    expect(session.dueSnapshot).toBe(reached);
  });

  it('gives the observer every domain without the teacher’s own items, and a self-assessment only those', async () => {
    const { session } = await open();
    expect(session.form?.domains.map((d) => [d.id, d.items.length])).toEqual([
      ['start', 4],
      ['ronde', 2],
      ['slot', 3],
      ['eigen', 0],
    ]);
    const self = (await open('self')).session;
    expect(self.form?.domains.map((d) => [d.id, d.items.map((i) => i.id)])).toEqual([['eigen', ['tevreden']]]);
    expect(self.domainId).toBe('eigen');
    expect(self.progress?.total).toBe(1);
  });
});

/** The teach-style fixture's snapshot minutes (within a segment). */
function teachMinutes(instrument: Instrument): number[] {
  const item = instrument.domains[0]!.items.find((i) => i.response.type === 'snapshot')!;
  return item.response.type === 'snapshot' && 'atMinutes' in item.response.schedule
    ? item.response.schedule.atMinutes
    : [];
}
