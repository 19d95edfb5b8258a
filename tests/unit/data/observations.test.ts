import { describe, expect, it } from 'vitest';
import { installShippedInstruments } from '../../../src/data/records/instruments';
import { useFreshDatabase } from './harness';
import { addPerson } from '../../../src/data/records/people';
import {
  completeObservation,
  discardDraft,
  getObservation,
  listDrafts,
  listOwnObservations,
  pauseLessonClock,
  setContextValue,
  setPosition,
  startLessonClock,
  startObservation,
} from '../../../src/data/records/observations';
import { listResponses, recordResponse, RESPONSE_WRITE_MEASURE } from '../../../src/data/records/responses';
import { listAmendments } from '../../../src/data/records/amendments';
import { deleteNote, listNotes, saveNote } from '../../../src/data/records/notes';
import { newId } from '../../../src/data/database/db';
import { elapsedMs } from '../../../src/core/observation/clock';

const { db } = useFreshDatabase();

async function setUp() {
  await installShippedInstruments();
  const observer = await addPerson({ name: 'Bram de Vries', role: 'teacher', starter: false }, null);
  const observed = await addPerson(
    { name: 'Anna Jansen', role: 'teacher', starter: true, focusQuestion: 'Hoe houd ik de groep bij de les?' },
    null,
  );
  const observation = await startObservation(
    {
      instrumentKey: 'meekijken.lesobservatie@1.1.0',
      observerId: observer.id,
      observedId: observed.id,
      purpose: 'peer',
      context: { group: 'groep 5', subject: 'rekenen' },
      focusQuestion: observed.focusQuestion,
    },
    observer,
    Date.UTC(2026, 10, 25, 9, 0),
  );
  return { observer, observed, observation };
}

describe('observations', () => {
  it('starts a draft with a random id, owner, timestamps, school year and the focus question', async () => {
    const { observer, observation } = await setUp();
    expect(observation.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(observation).toMatchObject({
      owner: observer.id,
      status: 'draft',
      focusQuestion: 'Hoe houd ik de groep bij de les?',
    });
    const year = await db().schoolYears.get(observation.schoolYearId!);
    expect(year).toMatchObject({ name: '2026-2027', startsOn: '2026-08-01', endsOn: '2027-07-31' });
    expect(await listDrafts(observer.id)).toEqual([observation]);
  });

  it('keeps every kind of answer, and setting the same look-for twice changes nothing', async () => {
    const { observer, observed, observation } = await setUp();
    const id = observation.id;
    const timeOnTask = await startObservation(
      {
        instrumentKey: 'meekijken.time-on-task@1.0.0',
        observerId: observer.id,
        observedId: observed.id,
        purpose: 'peer',
        context: {},
      },
      observer,
      Date.UTC(2026, 10, 25, 9, 0),
    );
    await recordResponse(id, 'lk-respect', { kind: 'rating', value: 3 }, observer);
    await recordResponse(id, 'lk-respect', { kind: 'lookFor', id: 'lf1', on: true }, observer);
    await recordResponse(id, 'lk-respect', { kind: 'lookFor', id: 'lf1', on: true }, observer);
    await recordResponse(id, 'lk-respect', { kind: 'lookFor', id: 'lf3', on: true }, observer);
    await recordResponse(id, 'lk-respect', { kind: 'evidence', value: 'Corrigeert Tim rustig bij de deur.' }, observer);
    await recordResponse(id, 'df-subgroep', { kind: 'answer', value: 'no' }, observer);
    await recordResponse(
      timeOnTask.id,
      'snapshot',
      { kind: 'snapshot', minute: 5, fieldId: 'off-task', value: 2 },
      observer,
    );
    await recordResponse(
      timeOnTask.id,
      'snapshot',
      { kind: 'snapshot', minute: 5, fieldId: 'activiteit', value: 'klassikale-instructie' },
      observer,
    );
    await recordResponse(id, 'lk-respect', { kind: 'lookFor', id: 'lf1', on: false }, observer);

    const responses = await listResponses(id);
    const byItem = Object.fromEntries(responses.map((r) => [r.itemId, r]));
    expect(byItem['lk-respect']).toMatchObject({
      id: `${id}:lk-respect`,
      rating: 3,
      lookFors: ['lf3'],
      evidence: 'Corrigeert Tim rustig bij de deur.',
    });
    expect(byItem['df-subgroep']?.answer).toBe('no');
    expect(responses).toHaveLength(2);
    const [snapshot] = await listResponses(timeOnTask.id);
    expect(snapshot?.snapshots).toEqual({ '5': { 'off-task': 2, activiteit: 'klassikale-instructie' } });
  });

  it('clears a rating and removes empty evidence', async () => {
    const { observer, observation } = await setUp();
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 'not-observed' }, observer);
    await recordResponse(observation.id, 'lk-respect', { kind: 'evidence', value: 'x' }, observer);
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: null }, observer);
    await recordResponse(observation.id, 'lk-respect', { kind: 'evidence', value: '' }, observer);
    const [response] = await listResponses(observation.id);
    expect(response?.rating).toBeUndefined();
    expect(response?.evidence).toBeUndefined();
  });

  it('measures each response write for benchmarks: from the call until it is stored, and only real writes', async () => {
    const { observer, observation } = await setUp();
    performance.clearMeasures(RESPONSE_WRITE_MEASURE);
    const called = performance.now();
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 2 }, observer);
    const stored = performance.now();
    // Setting the value it already has writes nothing, so it is not measured either.
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 2 }, observer);
    const measures = performance.getEntriesByName(RESPONSE_WRITE_MEASURE) as PerformanceMeasure[];
    expect(measures).toHaveLength(1);
    const [measure] = measures;
    expect(measure!.startTime).toBeGreaterThanOrEqual(called);
    expect(measure!.startTime + measure!.duration).toBeLessThanOrEqual(stored);
    expect(measure!.detail).toEqual({ itemId: 'lk-respect', kind: 'rating' });
  });

  it('runs the lesson clock on wall time, across pauses', async () => {
    const { observer, observation } = await setUp();
    const t0 = Date.UTC(2026, 10, 25, 9, 0);
    await startLessonClock(observation.id, observer, t0);
    await startLessonClock(observation.id, observer, t0 + 5_000); // a second tap on start does not restart it
    await pauseLessonClock(observation.id, observer, t0 + 60_000);
    await startLessonClock(observation.id, observer, t0 + 120_000);
    const stored = await getObservation(observation.id);
    expect(stored?.clock).toEqual({ elapsedMs: 60_000, runningSince: t0 + 120_000 });
    expect(elapsedMs(stored!.clock, t0 + 150_000)).toBe(90_000);
  });

  it('remembers the domain and the context', async () => {
    const { observer, observation } = await setUp();
    await setPosition(observation.id, 'differentiatie', observer);
    await setContextValue(observation.id, 'pupils', 27, observer);
    await setContextValue(observation.id, 'subject', '', observer);
    const stored = await getObservation(observation.id);
    expect(stored?.position).toEqual({ domainId: 'differentiatie' });
    expect(stored?.context).toEqual({ group: 'groep 5', pupils: 27 });
  });

  it('records later changes to a completed observation as amendments with their time', async () => {
    const { observer, observation } = await setUp();
    const t = Date.UTC(2026, 10, 25, 10, 0);
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 2 }, observer, t - 3_000_000);
    await startLessonClock(observation.id, observer, t - 2_700_000);
    await completeObservation(observation.id, observer, t);
    const completed = await getObservation(observation.id);
    expect(completed).toMatchObject({ status: 'completed', completedAt: t, clock: { elapsedMs: 2_700_000 } });
    expect(await listDrafts(observer.id)).toEqual([]);
    expect((await listOwnObservations(observer.id)).map((o) => o.id)).toEqual([observation.id]);

    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 3 }, observer, t + 60_000);
    await recordResponse(observation.id, 'lk-respect', { kind: 'lookFor', id: 'lf2', on: true }, observer, t + 61_000);
    const amendments = await listAmendments(observation.id);
    expect(
      amendments.map(({ field, before, after, createdAt, owner }) => ({ field, before, after, createdAt, owner })),
    ).toEqual([
      { field: 'rating', before: 2, after: 3, createdAt: t + 60_000, owner: observer.id },
      { field: 'lookFors.lf2', before: false, after: true, createdAt: t + 61_000, owner: observer.id },
    ]);
  });

  it('rolls the whole change back when one write in its transaction fails', async () => {
    const { observer, observation } = await setUp();
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 2 }, observer);
    await completeObservation(observation.id, observer);
    const before = await getObservation(observation.id);
    // The amendment cannot be written (as with a full disk): the response change must not stay behind alone.
    const failing = () => {
      throw new Error('QuotaExceededError (simulated)');
    };
    db().amendments.hook('creating', failing);
    await expect(
      recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 4 }, observer, Date.now() + 1000),
    ).rejects.toThrow(/Quota/);
    db().amendments.hook('creating').unsubscribe(failing);
    expect((await listResponses(observation.id))[0]?.rating).toBe(2);
    expect((await getObservation(observation.id))?.updatedAt).toBe(before?.updatedAt);
  });

  it('refuses answers for an observation that does not exist', async () => {
    const { observer } = await setUp();
    await expect(recordResponse('nope', 'x', { kind: 'rating', value: 1 }, observer)).rejects.toThrow(/does not exist/);
  });

  it('keeps notes in lesson order, updates them under their own id and soft-deletes them', async () => {
    const { observer, observation } = await setUp();
    const first = newId();
    const second = newId();
    await saveNote(
      {
        id: second,
        observationId: observation.id,
        text: 'Groep 2 is snel klaar',
        lessonMs: 600_000,
        owner: observer.id,
      },
      observer,
    );
    await saveNote(
      {
        id: first,
        observationId: observation.id,
        text: 'Start',
        lessonMs: 30_000,
        owner: observer.id,
        itemId: 'lk-respect',
      },
      observer,
    );
    await saveNote(
      {
        id: second,
        observationId: observation.id,
        text: 'Groep 2 is snel klaar en pakt extra werk',
        lessonMs: 999_999,
        owner: observer.id,
      },
      observer,
    );
    let notes = await listNotes(observation.id);
    expect(notes.map((n) => [n.text, n.lessonMs, n.itemId])).toEqual([
      ['Start', 30_000, 'lk-respect'],
      ['Groep 2 is snel klaar en pakt extra werk', 600_000, undefined],
    ]);
    await deleteNote(first, observer);
    notes = await listNotes(observation.id);
    expect(notes).toHaveLength(1);
    expect(await db().notes.get(first)).toHaveProperty('deletedAt');
  });

  it('discards a draft as a tombstone', async () => {
    const { observer, observation } = await setUp();
    await discardDraft(observation.id, observer);
    expect(await listDrafts(observer.id)).toEqual([]);
    expect(await getObservation(observation.id)).toBeUndefined();
    expect((await db().observations.get(observation.id))?.deletedAt).toBeTypeOf('number');
  });
});
