/**
 * Feedback from request to conversation on fake-indexeddb, through the write path: asking, declining, observing a request, writing
 * and handing over feedback, the teacher's reflection, goal and acknowledgement, sharing with the leadership, and
 * what each person's lists and reports show.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStorage, useFreshDatabase } from './harness';
import { addPerson } from '../../../src/data/records/people';
import { installShippedInstruments } from '../../../src/data/records/instruments';
import { completeObservation, getObservation, startObservation } from '../../../src/data/records/observations';
import {
  askForObservation,
  declineRequest,
  listRequestsBy,
  listRequestsTo,
  withdrawRequest,
} from '../../../src/data/records/requests';
import { getFeedback, handOver, recordFeedbackChanges } from '../../../src/data/records/feedback';
import {
  getReflection,
  linkGoal,
  markRead,
  setDiscussed,
  setSharedWithLeader,
  writeReflection,
} from '../../../src/data/records/reflections';
import { addGoal, listGoals, setGoalStatus } from '../../../src/data/records/goals';
import {
  listFeedbackFor,
  listFeedbackGiven,
  listSharedWithLeadership,
  loadReport,
} from '../../../src/data/records/feedback-views';
import { listOutbox } from '../../../src/data/writes/outbox';
import { WriteRefused } from '../../../src/core/model/lifecycle';
import { pageJournal, replayJournals } from '../../../src/data/records/page-writes';
import { recordResponseChanges } from '../../../src/data/records/responses';
import { saveNote } from '../../../src/data/records/notes';

const { db } = useFreshDatabase();
const KEY = 'meekijken.lesobservatie@1.1.0';
const T0 = Date.UTC(2026, 10, 25, 9, 0);

async function school() {
  await installShippedInstruments(T0);
  const anna = await addPerson({ name: 'Anna Jansen', role: 'teacher', starter: false }, null);
  const bram = await addPerson({ name: 'Bram de Vries', role: 'teacher', starter: false }, null);
  const lieke = await addPerson({ name: 'Lieke Smit', role: 'leader', starter: false }, null);
  return { anna, bram, lieke };
}

/** Anna asks Bram; Bram observes and completes. */
async function observed() {
  const people = await school();
  const { anna, bram } = people;
  const request = await askForObservation(
    {
      requesterId: anna.id,
      observedId: anna.id,
      observerId: bram.id,
      purpose: 'peer',
      instrumentKey: KEY,
      context: { group: 'groep 5' },
      focusQuestion: 'Krijgen stille leerlingen beurten?',
      plannedOn: '2026-11-27',
    },
    anna,
    T0,
  );
  const observation = await startObservation(
    {
      instrumentKey: KEY,
      observerId: bram.id,
      observedId: anna.id,
      purpose: 'peer',
      context: request.context,
      focusQuestion: request.focusQuestion,
      requestId: request.id,
    },
    bram,
    T0 + 1000,
  );
  await completeObservation(observation.id, bram, T0 + 2000);
  return { ...people, request, observation };
}

const top = { id: 'p1', kind: 'top' as const, text: 'Je wachtte tot het stil was.', link: { itemId: 'lk-respect' } };
const tip = { id: 'p2', kind: 'tip' as const, text: 'Noem het lesdoel aan het begin.', link: { lessonMinute: 4 } };

describe('feedback from request to conversation', () => {
  it('shows a request to the observer until it is observed, declined or withdrawn', async () => {
    const { anna, bram } = await school();
    const ask = (plannedOn: string) =>
      askForObservation(
        {
          requesterId: anna.id,
          observedId: anna.id,
          observerId: bram.id,
          purpose: 'peer',
          instrumentKey: KEY,
          context: {},
          plannedOn,
        },
        anna,
        T0,
      );
    const later = await ask('2026-12-03');
    const sooner = await ask('2026-11-30');
    const third = await ask('2026-12-10');
    expect((await listRequestsTo(bram.id)).map((r) => r.request.id)).toEqual([sooner.id, later.id, third.id]);

    await declineRequest(later.id, 'Dan heb ik zelf toetsen.', bram, T0 + 10);
    await withdrawRequest(third.id, anna, T0 + 20);
    await startObservation(
      {
        instrumentKey: KEY,
        observerId: bram.id,
        observedId: anna.id,
        purpose: 'peer',
        context: {},
        requestId: sooner.id,
      },
      bram,
      T0 + 30,
    );
    expect(await listRequestsTo(bram.id)).toEqual([]);
    const mine = new Map((await listRequestsBy(anna.id)).map((r) => [r.request.id, r.status]));
    expect(mine.get(later.id)).toMatchObject({ state: 'declined', decline: { reason: 'Dan heb ik zelf toetsen.' } });
    expect(mine.get(sooner.id)?.state).toBe('observed');
    expect(mine.get(third.id)?.state).toBe('withdrawn');
  });

  it('refuses a decline by anyone but the asked observer, and a request in someone else’s name', async () => {
    const { anna, bram, lieke } = await school();
    const request = await askForObservation(
      {
        requesterId: anna.id,
        observedId: anna.id,
        observerId: bram.id,
        purpose: 'peer',
        instrumentKey: KEY,
        context: {},
      },
      anna,
      T0,
    );
    await expect(declineRequest(request.id, 'nee', lieke, T0)).rejects.toBeInstanceOf(WriteRefused);
    await expect(
      askForObservation(
        {
          requesterId: anna.id,
          observedId: anna.id,
          observerId: bram.id,
          purpose: 'peer',
          instrumentKey: KEY,
          context: {},
        },
        bram,
        T0,
      ),
    ).rejects.toBeInstanceOf(WriteRefused);
    expect(await db().declines.count()).toBe(0);
  });

  it('keeps the newest text of every point, and hands over only with a top and a tip', async () => {
    const { bram, anna, observation } = await observed();
    await recordFeedbackChanges(observation.id, [{ field: 'point', point: top, at: T0 + 3000 }], bram);
    await expect(handOver(observation.id, bram, T0 + 3500)).rejects.toBeInstanceOf(WriteRefused);
    await recordFeedbackChanges(
      observation.id,
      [{ field: 'point', point: { ...tip, text: 'Noem het lesdoel.' }, at: T0 + 4000 }],
      bram,
    );
    // A replayed older keystroke of the tip, and the next step.
    await recordFeedbackChanges(
      observation.id,
      [
        { field: 'point', point: { ...tip, text: 'Noem' }, at: T0 + 3900 },
        { field: 'nextStep', text: 'Over drie weken opnieuw.', at: T0 + 4100 },
      ],
      bram,
    );
    expect(await getFeedback(observation.id)).toMatchObject({
      owner: bram.id,
      points: [top, { ...tip, text: 'Noem het lesdoel.' }],
      nextStep: 'Over drie weken opnieuw.',
    });
    await expect(
      recordFeedbackChanges(observation.id, [{ field: 'nextStep', text: 'Mijn versie', at: T0 + 4200 }], anna),
    ).rejects.toBeInstanceOf(WriteRefused);

    expect(await listFeedbackFor(anna.id)).toEqual([]);
    await handOver(observation.id, bram, T0 + 5000);
    expect(await getObservation(observation.id)).toMatchObject({ status: 'shared', handedOverAt: T0 + 5000 });
    await expect(
      recordFeedbackChanges(observation.id, [{ field: 'nextStep', text: 'Toch anders', at: T0 + 6000 }], bram),
    ).rejects.toBeInstanceOf(WriteRefused);
    expect((await listFeedbackFor(anna.id)).map((e) => [e.observation.id, e.stages.step])).toEqual([
      [observation.id, 'handed-over'],
    ]);
    const outbox = await listOutbox();
    expect(outbox.filter((e) => e.kind === 'feedback').length).toBeGreaterThanOrEqual(3);
  });

  it('lets the teacher read, reflect, agree a goal and confirm the conversation; the observer sees it', async () => {
    const { bram, anna, observation } = await observed();
    await recordFeedbackChanges(
      observation.id,
      [
        { field: 'point', point: top, at: T0 + 3000 },
        { field: 'point', point: tip, at: T0 + 3000 },
      ],
      bram,
    );
    await expect(markRead(observation.id, anna, T0 + 4000)).rejects.toMatchObject({ reason: 'not-handed-over' });
    await handOver(observation.id, bram, T0 + 5000);
    await expect(markRead(observation.id, bram, T0 + 6000)).rejects.toMatchObject({ reason: 'not-observed-teacher' });

    await markRead(observation.id, anna, T0 + 6000);
    await markRead(observation.id, anna, T0 + 6500);
    await writeReflection(observation.id, 'Herkenbaar, ik ga het uitproberen.', anna, T0 + 7000);
    const goal = await addGoal(
      anna.id,
      {
        text: 'Lesdoel noemen en erop terugkomen',
        observationId: observation.id,
        instrumentId: 'meekijken.lesobservatie',
        itemIds: ['di-doel'],
      },
      anna,
      T0 + 7500,
    );
    await linkGoal(observation.id, goal.id, anna, T0 + 7600);
    await setDiscussed(observation.id, true, anna, T0 + 8000);
    expect(await getReflection(observation.id)).toMatchObject({
      owner: anna.id,
      readAt: T0 + 6000,
      text: 'Herkenbaar, ik ga het uitproberen.',
      goalId: goal.id,
      acknowledgedAt: T0 + 8000,
    });

    const given = await listFeedbackGiven(bram.id);
    expect(given.map((e) => [e.stages.step, e.stages.at.read, e.stages.at.discussed])).toEqual([
      ['discussed', T0 + 6000, T0 + 8000],
    ]);
    await setGoalStatus(goal.id, 'achieved', anna, T0 + 9000);
    expect((await listGoals(anna.id)).map((g) => [g.status, g.achievedAt])).toEqual([['achieved', T0 + 9000]]);
    await expect(setGoalStatus(goal.id, 'open', bram, T0 + 9500)).rejects.toBeInstanceOf(WriteRefused);
  });

  it('keeps a leader out until the teacher shares the observation, and out again when the teacher takes it back', async () => {
    const { bram, anna, lieke, observation } = await observed();
    await recordFeedbackChanges(
      observation.id,
      [
        { field: 'point', point: top, at: T0 + 3000 },
        { field: 'point', point: tip, at: T0 + 3000 },
      ],
      bram,
    );
    expect(await loadReport(observation.id, anna)).toMatchObject({
      found: true,
      allowed: false,
      why: 'not-handed-over',
    });
    await handOver(observation.id, bram, T0 + 5000);
    expect(await loadReport(observation.id, lieke)).toEqual({ found: true, allowed: false, why: 'not-shared' });
    expect(await listSharedWithLeadership(lieke)).toEqual([]);

    await setSharedWithLeader(observation.id, true, anna, T0 + 6000);
    expect(await loadReport(observation.id, lieke)).toMatchObject({
      found: true,
      allowed: true,
      as: 'leader',
      feedback: { points: [top, tip] },
    });
    expect((await listSharedWithLeadership(lieke)).map((e) => e.observation.id)).toEqual([observation.id]);
    expect(await listSharedWithLeadership(bram)).toEqual([]);

    await setSharedWithLeader(observation.id, false, anna, T0 + 7000);
    expect(await loadReport(observation.id, lieke)).toMatchObject({ allowed: false, why: 'not-shared' });
    expect(await loadReport(observation.id, anna)).toMatchObject({ allowed: true, as: 'observed' });
    expect(await loadReport('nope', anna)).toEqual({ found: false });
  });

  it('shows the teacher’s self-assessment of the same lesson beside the observer’s view, to the teacher only', async () => {
    const { bram, anna, observation } = await observed();
    await recordFeedbackChanges(
      observation.id,
      [
        { field: 'point', point: top, at: T0 + 3000 },
        { field: 'point', point: tip, at: T0 + 3000 },
      ],
      bram,
    );
    await handOver(observation.id, bram, T0 + 5000);
    const self = await startObservation(
      {
        instrumentKey: 'meekijken.zelfevaluatie@1.1.0',
        observerId: anna.id,
        observedId: anna.id,
        purpose: 'self',
        context: {},
        aboutObservationId: observation.id,
      },
      anna,
      T0 + 6000,
    );
    await completeObservation(self.id, anna, T0 + 7000);
    const forAnna = await loadReport(observation.id, anna);
    expect(forAnna.found && forAnna.allowed && forAnna.self?.observation.id).toBe(self.id);
    const forBram = await loadReport(observation.id, bram);
    expect(forBram.found && forBram.allowed && forBram.self).toBeUndefined();
  });

  it('replays typed feedback and a reflection from the journal after a reload', async () => {
    const { bram, anna, observation } = await observed();
    const storage = new MemoryStorage();
    const page = pageJournal(storage, db().name, 'page-gone');
    page.write({
      actor: bram,
      change: { kind: 'feedback', observationId: observation.id, change: { field: 'point', point: top } },
      at: T0 + 3000,
      seq: 1,
    });
    page.write({
      actor: bram,
      change: { kind: 'feedback', observationId: observation.id, change: { field: 'point', point: tip } },
      at: T0 + 3001,
      seq: 2,
    });
    expect(await replayJournals(storage, db().name)).toEqual({ written: 1, kept: 0 });
    expect((await getFeedback(observation.id))?.points).toEqual([top, tip]);
    await handOver(observation.id, bram, T0 + 4000);
    const teacherPage = pageJournal(storage, db().name, 'page-teacher');
    teacherPage.write({
      actor: anna,
      change: { kind: 'reflection', observationId: observation.id, text: 'Herkenbaar.' },
      at: T0 + 5000,
      seq: 1,
    });
    expect(await replayJournals(storage, db().name)).toEqual({ written: 1, kept: 0 });
    expect((await getReflection(observation.id))?.text).toBe('Herkenbaar.');
    expect(storage.length).toBe(0);
  });

  it('freezes ratings and notes once handed over, and refuses handing over a draft', async () => {
    const { bram, anna } = await school();
    const draft = await startObservation(
      { instrumentKey: KEY, observerId: bram.id, observedId: anna.id, purpose: 'peer', context: {} },
      bram,
      T0,
    );
    await recordFeedbackChanges(
      draft.id,
      [
        { field: 'point', point: top, at: T0 + 1 },
        { field: 'point', point: tip, at: T0 + 1 },
      ],
      bram,
    );
    await expect(handOver(draft.id, bram, T0 + 2)).rejects.toMatchObject({ reason: 'not-completed' });
    await completeObservation(draft.id, bram, T0 + 3);
    await handOver(draft.id, bram, T0 + 4);
    await expect(
      recordResponseChanges(draft.id, 'lk-respect', [{ patch: { kind: 'rating', value: 1 }, at: T0 + 5 }], bram),
    ).rejects.toMatchObject({ reason: 'handed-over' });
    await expect(
      saveNote({ id: 'n1', observationId: draft.id, text: 'Later', lessonMs: 0, owner: bram.id }, bram, T0 + 6),
    ).rejects.toMatchObject({ reason: 'handed-over' });
  });

  it('declines only an open request, once, and starts an observation only for the request’s own lesson', async () => {
    const { anna, bram, lieke } = await school();
    const request = await askForObservation(
      {
        requesterId: anna.id,
        observedId: anna.id,
        observerId: bram.id,
        purpose: 'peer',
        instrumentKey: KEY,
        context: {},
      },
      anna,
      T0,
    );
    await expect(
      startObservation(
        {
          instrumentKey: KEY,
          observerId: lieke.id,
          observedId: anna.id,
          purpose: 'leader',
          context: {},
          requestId: request.id,
        },
        lieke,
        T0 + 1,
      ),
    ).rejects.toThrow(/does not answer/);
    await declineRequest(request.id, 'Toetsweek', bram, T0 + 2);
    await declineRequest(request.id, 'Nogmaals', bram, T0 + 3);
    expect(await db().declines.count()).toBe(1);
  });

  it('keeps the teacher’s goal from the observer and the leader', async () => {
    const { bram, anna, lieke, observation } = await observed();
    await recordFeedbackChanges(
      observation.id,
      [
        { field: 'point', point: top, at: T0 + 3000 },
        { field: 'point', point: tip, at: T0 + 3000 },
      ],
      bram,
    );
    await handOver(observation.id, bram, T0 + 5000);
    const goal = await addGoal(anna.id, { text: 'Mijn eigen doel' }, anna, T0 + 6000);
    await linkGoal(observation.id, goal.id, anna, T0 + 6001);
    await setSharedWithLeader(observation.id, true, anna, T0 + 6002);
    const seen = async (viewer: typeof anna) => {
      const report = await loadReport(observation.id, viewer);
      return report.found && report.allowed ? report.goal?.text : 'denied';
    };
    expect([await seen(anna), await seen(bram), await seen(lieke)]).toEqual(['Mijn eigen doel', undefined, undefined]);
  });

  it('gives each observer of a calibration the agreement with the other observer of the same lesson', async () => {
    const { anna, bram, lieke } = await school();
    const start = (observer: typeof bram, at: number) =>
      startObservation(
        { instrumentKey: KEY, observerId: observer.id, observedId: anna.id, purpose: 'calibration', context: {} },
        observer,
        at,
      );
    const a = await start(bram, T0);
    const b = await start(lieke, T0 + 60_000);
    const rate = (id: string, observer: typeof bram, ratings: Record<string, 1 | 2 | 3 | 4>) =>
      Promise.all(
        Object.entries(ratings).map(([itemId, value]) =>
          recordResponseChanges(id, itemId, [{ patch: { kind: 'rating', value }, at: T0 + 1000 }], observer),
        ),
      );
    await rate(a.id, bram, { 'lk-respect': 3, 'lk-contact': 2, 'lk-fouten': 4 });
    await rate(b.id, lieke, { 'lk-respect': 3, 'lk-contact': 3, 'lk-fouten': 2 });
    await completeObservation(a.id, bram, T0 + 2000);
    await completeObservation(b.id, lieke, T0 + 2000);
    const report = await loadReport(a.id, bram);
    expect(report.found && report.allowed && report.calibration).toMatchObject({
      otherObserver: { name: 'Lieke Smit' },
      agreement: { overall: { items: 3, exact: 1 / 3, adjacent: 2 / 3 }, domains: { leerklimaat: { items: 3 } } },
    });
    // The observed teacher sees no calibration figures (once handed over, they read the report, not the comparison).
    const forAnna = await loadReport(a.id, anna);
    expect(forAnna.found && forAnna.allowed).toBe(false);
  });
});
