import { beforeEach, describe, expect, it, vi } from 'vitest';
import { installShippedInstruments } from '../../../src/data/records/instruments';
import { MemoryStorage, useFreshDatabase } from './harness';
import { addPerson } from '../../../src/data/records/people';
import { completeObservation, discardDraft, startObservation } from '../../../src/data/records/observations';
import { listResponses, recordResponse, recordResponseChanges } from '../../../src/data/records/responses';
import { listAmendments } from '../../../src/data/records/amendments';
import { listNotes, saveNote } from '../../../src/data/records/notes';
import { newId } from '../../../src/data/database/db';
import { DurableWrites } from '../../../src/data/writes/durable-writes';
import { journalPrefix, type JournalEntry } from '../../../src/data/writes/journal';
import { JOURNALLED, pageJournal, replayJournals, type DurableChange } from '../../../src/data/records/page-writes';

const { db } = useFreshDatabase();
// Failed writes are logged for a developer's console; here they are expected.
beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  return () => vi.restoreAllMocks();
});
const T = Date.UTC(2026, 10, 25, 9, 0);

async function setUp() {
  await installShippedInstruments();
  const observer = await addPerson({ name: 'Bram de Vries', role: 'teacher', starter: false }, null);
  const observed = await addPerson({ name: 'Anna Jansen', role: 'teacher', starter: true }, null);
  const observation = await startObservation(
    {
      instrumentKey: 'meekijken.lesobservatie@1.1.0',
      observerId: observer.id,
      observedId: observed.id,
      purpose: 'peer',
      context: {},
    },
    observer,
    T,
  );
  return { observer, observation };
}

const rating = (observationId: string, itemId: string, value: 1 | 2 | 3 | 4): DurableChange => ({
  kind: 'response',
  observationId,
  itemId,
  patch: { kind: 'rating', value },
});
const evidence = (observationId: string, itemId: string, value: string): DurableChange => ({
  kind: 'response',
  observationId,
  itemId,
  patch: { kind: 'evidence', value },
});

/** A write that waits until the test lets it go, to hold a write "in flight". */
function gatedWrite() {
  const calls: JournalEntry<DurableChange>[][] = [];
  let release: () => void = () => {};
  let gate = new Promise<void>((resolve) => (release = resolve));
  const write = async (entries: readonly JournalEntry<DurableChange>[]) => {
    calls.push([...entries]);
    await gate;
    await JOURNALLED.write(entries);
  };
  return {
    calls,
    write,
    open() {
      release();
      gate = Promise.resolve();
    },
  };
}

describe('newest value per field, in the data layer', () => {
  it('never replaces a field with an older change, but lands older changes of other fields', async () => {
    const { observer, observation } = await setUp();
    await recordResponseChanges(
      observation.id,
      'lk-respect',
      [{ patch: { kind: 'rating', value: 3 }, at: T + 2000 }],
      observer,
    );
    // A late write from before (a replayed journal, a slower tab): its rating is older, its evidence is new.
    await recordResponseChanges(
      observation.id,
      'lk-respect',
      [
        { patch: { kind: 'rating', value: 1 }, at: T + 1000 },
        { patch: { kind: 'evidence', value: 'Begroet elk kind' }, at: T + 1500 },
      ],
      observer,
    );
    const [stored] = await listResponses(observation.id);
    expect(stored).toMatchObject({
      rating: 3,
      evidence: 'Begroet elk kind',
      changedAt: { rating: T + 2000, evidence: T + 1500 },
      updatedAt: T + 2000,
    });
  });

  it('writes nothing and records no amendment when a change sets the value a field already has', async () => {
    const { observer, observation } = await setUp();
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 2 }, observer, T + 1000);
    await completeObservation(observation.id, observer, T + 2000);
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 2 }, observer, T + 3000);
    expect(await listAmendments(observation.id)).toEqual([]);
    expect((await listResponses(observation.id))[0]?.updatedAt).toBe(T + 1000);
  });

  it('keeps a note changed later elsewhere, and puts away a note emptied while typing', async () => {
    const { observer, observation } = await setUp();
    const id = newId();
    const note = { id, observationId: observation.id, lessonMs: 60_000, owner: observer.id };
    await saveNote({ ...note, text: 'Nieuwste' }, observer, T + 2000);
    await saveNote({ ...note, text: 'Ouder' }, observer, T + 1000);
    expect((await listNotes(observation.id)).map((n) => n.text)).toEqual(['Nieuwste']);
    await saveNote({ ...note, text: '' }, observer, T + 3000);
    expect(await listNotes(observation.id)).toEqual([]);
    await saveNote({ ...note, text: 'Toch' }, observer, T + 4000);
    expect((await listNotes(observation.id)).map((n) => n.text)).toEqual(['Toch']);
    // A note that was never more than blank is not stored at all.
    await saveNote({ ...note, id: newId(), text: '  ' }, observer, T + 5000);
    expect(await db().notes.count()).toBe(1);
  });
});

describe('durable writes: one write per record in flight, the newest following', () => {
  it('journals a change before it is written, and takes it out once committed', async () => {
    const { observer, observation } = await setUp();
    const storage = new MemoryStorage();
    const gated = gatedWrite();
    const writes = new DurableWrites(pageJournal(storage, db().name, 'page-1'), undefined, gated.write);
    const done = writes.submit(rating(observation.id, 'lk-respect', 3), observer, T + 1000);
    // Synchronously in the journal, before any IndexedDB work.
    expect(storage.entries().map((e) => e.change)).toEqual([rating(observation.id, 'lk-respect', 3)]);
    expect(writes.writing).toBe(true);
    gated.open();
    expect(await done).toBe(true);
    expect(storage.map.size).toBe(0);
    expect(writes.writing).toBe(false);
    expect((await listResponses(observation.id))[0]?.rating).toBe(3);
  });

  it('coalesces what arrives during a write into one following write, newest value per field', async () => {
    const { observer, observation } = await setUp();
    const storage = new MemoryStorage();
    const gated = gatedWrite();
    const writes = new DurableWrites(pageJournal(storage, db().name, 'page-1'), undefined, gated.write);
    const first = writes.submit(evidence(observation.id, 'lk-respect', 'B'), observer, T + 1);
    const typed = ['Be', 'Beg', 'Begr', 'Begroet'].map((text, i) =>
      writes.submit(evidence(observation.id, 'lk-respect', text), observer, T + 2 + i),
    );
    const tap = writes.submit(rating(observation.id, 'lk-respect', 4), observer, T + 10);
    expect(gated.calls).toHaveLength(1); // one write in flight, the rest waits
    expect(storage.entries()).toHaveLength(2); // newest evidence and the rating
    gated.open();
    expect(await Promise.all([first, ...typed, tap])).toEqual([true, true, true, true, true, true]);
    expect(gated.calls.map((batch) => batch.map((e) => e.change.kind === 'response' && e.change.patch))).toEqual([
      [{ kind: 'evidence', value: 'B' }],
      [
        { kind: 'evidence', value: 'Begroet' },
        { kind: 'rating', value: 4 },
      ],
    ]);
    expect((await listResponses(observation.id))[0]).toMatchObject({ evidence: 'Begroet', rating: 4 });
    expect(storage.map.size).toBe(0);
  });

  it('lets no older write overtake a newer one when 60 taps outrun the storage', async () => {
    const { observer, observation } = await setUp();
    const storage = new MemoryStorage();
    const writes = new DurableWrites(pageJournal(storage, db().name, 'page-1'));
    const items = ['lk-respect', 'lk-contact', 'lk-fouten'];
    const last = new Map<string, number>();
    const taps: Promise<boolean>[] = [];
    for (let i = 0; i < 60; i++) {
      const item = items[i % 3]!;
      const value = ((i * 7) % 4) + 1;
      last.set(item, value);
      taps.push(writes.submit(rating(observation.id, item, value as 1 | 2 | 3 | 4), observer, T + i));
    }
    expect((await Promise.all(taps)).every(Boolean)).toBe(true);
    const stored = new Map((await listResponses(observation.id)).map((r) => [r.itemId, r.rating]));
    expect(stored).toEqual(last);
    expect(storage.map.size).toBe(0);
  });

  it('keeps a failed change queued and journalled; the next change or a retry writes it', async () => {
    const { observer, observation } = await setUp();
    const storage = new MemoryStorage();
    let failing = true;
    const write = async (entries: readonly JournalEntry<DurableChange>[]) => {
      if (failing) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      await JOURNALLED.write(entries);
    };
    const changed = vi.fn();
    const writes = new DurableWrites(pageJournal(storage, db().name, 'page-1'), changed, write);
    expect(await writes.submit(rating(observation.id, 'lk-respect', 3), observer, T + 1)).toBe(false);
    expect(await writes.submit(rating(observation.id, 'lk-respect', 4), observer, T + 2)).toBe(false);
    expect(writes.failures().map((f) => f.key)).toEqual([`response:${observation.id}:lk-respect`]);
    expect(writes.writing).toBe(false);
    expect(storage.entries().map((e) => e.change)).toEqual([rating(observation.id, 'lk-respect', 4)]);
    expect(changed).toHaveBeenCalled();
    failing = false;
    expect(await writes.retry()).toBe(true);
    expect(writes.failures()).toEqual([]);
    expect((await listResponses(observation.id))[0]?.rating).toBe(4);
    expect(storage.map.size).toBe(0);
  });

  it('still writes when the journal cannot be written', async () => {
    const { observer, observation } = await setUp();
    const storage = new MemoryStorage();
    storage.broken = true;
    const writes = new DurableWrites(pageJournal(storage, db().name, 'page-1'));
    expect(await writes.submit(rating(observation.id, 'lk-respect', 2), observer, T)).toBe(true);
    expect((await listResponses(observation.id))[0]?.rating).toBe(2);
  });

  it('starts what waits behind a write in flight at once when the page is being left', async () => {
    const { observer, observation } = await setUp();
    const gated = gatedWrite();
    const writes = new DurableWrites(pageJournal(new MemoryStorage(), db().name, 'page-1'), undefined, gated.write);
    void writes.submit(rating(observation.id, 'lk-respect', 1), observer, T + 1);
    void writes.submit(rating(observation.id, 'lk-respect', 2), observer, T + 2);
    expect(gated.calls).toHaveLength(1);
    writes.startAll();
    expect(gated.calls).toHaveLength(2);
    gated.open();
    await writes.settled();
    expect((await listResponses(observation.id))[0]?.rating).toBe(2);
  });
});

describe('replaying the journal on start', () => {
  it('writes what a page journalled but never wrote, and empties the journal', async () => {
    const { observer, observation } = await setUp();
    const storage = new MemoryStorage();
    const noteId = newId();
    // A page that was reloaded mid-write: its journal holds changes, IndexedDB does not.
    const page = pageJournal(storage, db().name, 'page-gone');
    page.write({ actor: observer, change: rating(observation.id, 'lk-respect', 4), at: T + 1, seq: 1 });
    page.write({
      actor: observer,
      change: evidence(observation.id, 'lk-respect', 'Laatste woorden'),
      at: T + 2,
      seq: 2,
    });
    page.write({
      actor: observer,
      change: {
        kind: 'note',
        note: { id: noteId, observationId: observation.id, lessonMs: 5000, owner: observer.id, text: 'Half' },
      },
      at: T + 3,
      seq: 3,
    });
    page.write({
      actor: observer,
      change: {
        kind: 'note',
        note: { id: noteId, observationId: observation.id, lessonMs: 5000, owner: observer.id, text: 'Halve zin' },
      },
      at: T + 4,
      seq: 4,
    });
    // Another database's journal is not ours to replay.
    storage.setItem(
      `${journalPrefix('meekijken-other')}x`,
      JSON.stringify([{ actor: observer, change: rating(observation.id, 'lk-contact', 1), at: T, seq: 1 }]),
    );

    expect(await replayJournals(storage, db().name)).toEqual({ written: 2, kept: 0 });
    expect((await listResponses(observation.id))[0]).toMatchObject({
      itemId: 'lk-respect',
      rating: 4,
      evidence: 'Laatste woorden',
    });
    expect((await listNotes(observation.id)).map((n) => n.text)).toEqual(['Halve zin']);
    expect([...storage.map.keys()]).toEqual([`${journalPrefix('meekijken-other')}x`]);
  });

  it('does not let a journalled change replace a newer stored one, from this tab or another', async () => {
    const { observer, observation } = await setUp();
    const storage = new MemoryStorage();
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 2 }, observer, T + 50);
    const a = pageJournal(storage, db().name, 'tab-a');
    const b = pageJournal(storage, db().name, 'tab-b');
    a.write({ actor: observer, change: rating(observation.id, 'lk-respect', 4), at: T + 10, seq: 1 });
    a.write({ actor: observer, change: rating(observation.id, 'lk-contact', 1), at: T + 60, seq: 2 });
    b.write({ actor: observer, change: rating(observation.id, 'lk-contact', 3), at: T + 70, seq: 1 });
    await replayJournals(storage, db().name);
    const stored = new Map((await listResponses(observation.id)).map((r) => [r.itemId, r.rating]));
    expect(stored).toEqual(
      new Map([
        ['lk-respect', 2],
        ['lk-contact', 3],
      ]),
    );
    expect(storage.map.size).toBe(0);
  });

  it('drops changes for an observation that is gone, keeps those that failed for another reason', async () => {
    const { observer, observation } = await setUp();
    const storage = new MemoryStorage();
    await discardDraft(observation.id, observer, T + 5);
    pageJournal(storage, db().name, 'p').write({
      actor: observer,
      change: rating(observation.id, 'lk-respect', 1),
      at: T + 10,
      seq: 1,
    });
    expect(await replayJournals(storage, db().name)).toEqual({ written: 0, kept: 0 });
    expect(storage.map.size).toBe(0);

    pageJournal(storage, db().name, 'q').write({
      actor: observer,
      change: rating('other', 'lk-respect', 1),
      at: T + 10,
      seq: 1,
    });
    const refuse = async () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    expect(await replayJournals(storage, db().name, refuse)).toEqual({ written: 0, kept: 1 });
    expect(storage.entries()).toHaveLength(1);
  });

  it('ignores a journal that is not valid JSON, and costs nothing when empty', async () => {
    const storage = new MemoryStorage();
    expect(await replayJournals(storage, db().name)).toEqual({ written: 0, kept: 0 });
    storage.setItem(`${journalPrefix(db().name)}broken`, '{not json');
    expect(await replayJournals(storage, db().name)).toEqual({ written: 0, kept: 0 });
    expect(storage.map.size).toBe(0);
  });
});

describe('amendments while typing after completion', () => {
  it('keeps one amendment per field for a correction typed key by key, and none for a change undone', async () => {
    const { observer, observation } = await setUp();
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 2 }, observer, T + 1000);
    await completeObservation(observation.id, observer, T + 2000);
    const typed = ['G', 'Go', 'Goe', 'Goed'];
    for (const [i, value] of typed.entries())
      await recordResponse(observation.id, 'lk-respect', { kind: 'evidence', value }, observer, T + 3000 + i * 200);
    // A correction later on is a new amendment.
    await recordResponse(
      observation.id,
      'lk-respect',
      { kind: 'evidence', value: 'Goed zo' },
      observer,
      T + 3000 + 120_000,
    );
    // A rating changed and changed back within the minute is no change at all.
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 3 }, observer, T + 200_000);
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 2 }, observer, T + 205_000);
    const amendments = await listAmendments(observation.id);
    expect(amendments.map(({ field, before, after }) => ({ field, before, after }))).toEqual([
      { field: 'evidence', before: undefined, after: 'Goed' },
      { field: 'evidence', before: 'Goed', after: 'Goed zo' },
    ]);
  });
});

describe('the lesson clock and the position, journalled like every change', () => {
  it('keeps the newest clock and position, and a clock replayed after completing does not start it again', async () => {
    const { observer, observation } = await setUp();
    const storage = new MemoryStorage();
    const writes = new DurableWrites(pageJournal(storage, db().name, 'page-1'));
    const clock = (change: { elapsedMs: number; runningSince?: number }): DurableChange => ({
      kind: 'observation',
      observationId: observation.id,
      change: { field: 'clock', clock: change },
    });
    expect(await writes.submit(clock({ elapsedMs: 0, runningSince: T + 1000 }), observer, T + 1000)).toBe(true);
    expect(
      await writes.submit(
        {
          kind: 'observation',
          observationId: observation.id,
          change: { field: 'position', domainId: 'klassenmanagement' },
        },
        observer,
        T + 2000,
      ),
    ).toBe(true);
    let stored = await db().observations.get(observation.id);
    expect(stored).toMatchObject({
      clock: { runningSince: T + 1000 },
      position: { domainId: 'klassenmanagement' },
      changedAt: { clock: T + 1000, position: T + 2000 },
      updatedAt: T + 2000,
    });

    // A page journalled "pause" but never wrote it; meanwhile the observation was completed (which stops the clock).
    pageJournal(storage, db().name, 'page-gone').write({
      actor: observer,
      change: clock({ elapsedMs: 60_000 }),
      at: T + 61_000,
      seq: 1,
    });
    pageJournal(storage, db().name, 'page-old').write({
      actor: observer,
      change: clock({ elapsedMs: 0, runningSince: T + 500 }),
      at: T + 500,
      seq: 1,
    });
    await completeObservation(observation.id, observer, T + 120_000);
    await replayJournals(storage, db().name);
    stored = await db().observations.get(observation.id);
    expect(stored).toMatchObject({ status: 'completed', clock: { elapsedMs: 119_000 } });
    expect(stored?.clock.runningSince).toBeUndefined();
  });
});
