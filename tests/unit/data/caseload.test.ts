/**
 * A coach's caseload on fake-indexeddb, through the write path: the administrator makes a coach a starter's coach,
 * the starter shares a report and a goal with them (and takes that back), and the coach sees the starter's requests
 * that still wait — on a device-only tablet that holds the whole school, where only the privacy rules keep the rest
 * out.
 */
import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './harness';
import { addPerson, updatePerson } from '../../../src/data/records/people';
import { installShippedInstruments } from '../../../src/data/records/instruments';
import { completeObservation, startObservation } from '../../../src/data/records/observations';
import { askForObservation, declineRequest, withdrawRequest } from '../../../src/data/records/requests';
import { handOver, recordFeedbackChanges } from '../../../src/data/records/feedback';
import { markRead, setSharedWithCoach, setSharedWithLeader } from '../../../src/data/records/reflections';
import { addGoal, setGoalSharedWithCoach } from '../../../src/data/records/goals';
import { loadReport } from '../../../src/data/records/feedback-views';
import { loadCaseload } from '../../../src/data/records/caseload';
import { WriteRefused } from '../../../src/core/model/lifecycle';
import type { Person } from '../../../src/core/model/records';

useFreshDatabase();
const KEY = 'meekijken.lesobservatie@1.1.0';
const T0 = Date.UTC(2026, 10, 25, 9, 0);

async function school() {
  await installShippedInstruments(T0);
  const dirk = await addPerson({ name: 'Dirk Coach', role: 'coach', starter: false }, null);
  const eva = await addPerson({ name: 'Eva Coach', role: 'coach', starter: false }, null);
  const sanne = await addPerson({ name: 'Sanne Start', role: 'teacher', starter: true, coachId: dirk.id }, null);
  const anna = await addPerson({ name: 'Anna Jansen', role: 'teacher', starter: false }, null);
  const lieke = await addPerson({ name: 'Lieke Smit', role: 'leader', starter: false }, null);
  return { dirk, eva, sanne, anna, lieke };
}

/** Anna observes Sanne and hands the feedback over. */
async function handedOver(anna: Person, sanne: Person) {
  const observation = await startObservation(
    { instrumentKey: KEY, observerId: anna.id, observedId: sanne.id, purpose: 'peer', context: {} },
    anna,
    T0,
  );
  await completeObservation(observation.id, anna, T0 + 1000);
  await recordFeedbackChanges(
    observation.id,
    [
      { field: 'point', point: { id: 'p1', kind: 'top', text: 'Rustige start.' }, at: T0 + 2000 },
      { field: 'point', point: { id: 'p2', kind: 'tip', text: 'Noem het lesdoel.' }, at: T0 + 2000 },
    ],
    anna,
  );
  await handOver(observation.id, anna, T0 + 3000);
  await markRead(observation.id, sanne, T0 + 4000);
  return observation;
}

describe('a coach’s caseload', () => {
  it('lists the starters the school gave them, with what the starter shared and the requests still waiting', async () => {
    const { dirk, eva, sanne, anna, lieke } = await school();
    const observation = await handedOver(anna, sanne);
    const goal = await addGoal(sanne.id, { text: 'Het lesdoel op het bord' }, sanne, T0 + 5000);
    const ask = (observerId: string, plannedOn: string) =>
      askForObservation(
        {
          requesterId: sanne.id,
          observedId: sanne.id,
          observerId,
          purpose: 'peer',
          instrumentKey: KEY,
          context: {},
          plannedOn,
        },
        sanne,
        T0 + 6000,
      );
    const later = await ask(anna.id, '2026-12-10');
    const sooner = await ask(lieke.id, '2026-12-01');
    const gone = await ask(anna.id, '2026-12-02');
    await declineRequest(later.id, 'Dan heb ik zelf toetsen.', anna, T0 + 7000);
    await withdrawRequest(gone.id, sanne, T0 + 7000);

    // Nothing shared yet: the starter and the waiting requests, no report, no goal.
    let [own] = await loadCaseload(dirk);
    expect(own?.starter.id).toBe(sanne.id);
    expect(own?.requests.map((r) => [r.request.id, r.status.state])).toEqual([
      [sooner.id, 'open'],
      [later.id, 'declined'],
    ]);
    expect(own?.reports).toEqual([]);
    expect(own?.goals).toEqual([]);
    expect(await loadReport(observation.id, dirk)).toEqual({ found: true, allowed: false, why: 'not-shared' });

    // Shared with the leadership is not shared with the coach.
    await setSharedWithLeader(observation.id, true, sanne, T0 + 8000);
    expect((await loadCaseload(dirk))[0]?.reports).toEqual([]);

    await setSharedWithCoach(observation.id, true, sanne, T0 + 9000);
    await setGoalSharedWithCoach(goal.id, true, sanne, T0 + 9000);
    [own] = await loadCaseload(dirk);
    expect(own?.reports.map((r) => r.observation.id)).toEqual([observation.id]);
    expect(own?.goals.map((g) => g.id)).toEqual([goal.id]);
    expect(await loadReport(observation.id, dirk)).toMatchObject({
      allowed: true,
      as: 'coach',
      coach: { id: dirk.id },
    });

    // Another coach, a colleague and the leader see no caseload; the other coach does not see the report.
    expect(await loadCaseload(eva)).toEqual([]);
    expect(await loadCaseload(anna)).toEqual([]);
    expect(await loadCaseload(lieke)).toEqual([]);
    expect(await loadReport(observation.id, eva)).toMatchObject({ allowed: false });

    // Taken back: gone from the caseload and the report closes again.
    await setSharedWithCoach(observation.id, false, sanne, T0 + 10_000);
    await setGoalSharedWithCoach(goal.id, false, sanne, T0 + 10_000);
    [own] = await loadCaseload(dirk);
    expect(own?.reports).toEqual([]);
    expect(own?.goals).toEqual([]);
    expect(await loadReport(observation.id, dirk)).toMatchObject({ allowed: false, why: 'not-shared' });

    // The school gives Sanne another coach: Dirk's caseload is empty, Eva's has her.
    await setSharedWithCoach(observation.id, true, sanne, T0 + 11_000);
    await updatePerson(sanne.id, { name: sanne.name, role: 'teacher', starter: true, coachId: eva.id }, lieke);
    expect(await loadCaseload(dirk)).toEqual([]);
    expect((await loadCaseload(eva)).map((c) => [c.starter.id, c.reports.length])).toEqual([[sanne.id, 1]]);
    // No longer a starter: no coach at all.
    await updatePerson(sanne.id, { name: sanne.name, role: 'teacher', starter: false, coachId: eva.id }, lieke);
    expect(await loadCaseload(eva)).toEqual([]);
  });

  it('lets only the starter share, and only an administrator choose the coach, who must have the coach role', async () => {
    const { dirk, eva, sanne, anna, lieke } = await school();
    const observation = await handedOver(anna, sanne);
    await expect(setSharedWithCoach(observation.id, true, anna, T0 + 8000)).rejects.toBeInstanceOf(WriteRefused);
    const goal = await addGoal(sanne.id, { text: 'Rust bij de overgang' }, sanne, T0 + 5000);
    await expect(setGoalSharedWithCoach(goal.id, true, dirk, T0 + 8000)).rejects.toBeInstanceOf(WriteRefused);
    await expect(
      updatePerson(sanne.id, { name: sanne.name, role: 'teacher', starter: true, coachId: eva.id }, sanne),
    ).rejects.toBeInstanceOf(WriteRefused);
    await expect(
      updatePerson(sanne.id, { name: sanne.name, role: 'teacher', starter: true, coachId: anna.id }, lieke),
    ).rejects.toMatchObject({ reason: 'invalid-value', field: 'coachId' });
    // A coach asks for an observation of their own starter only.
    const input = {
      requesterId: dirk.id,
      observedId: anna.id,
      observerId: lieke.id,
      purpose: 'coach' as const,
      instrumentKey: KEY,
      context: {},
    };
    await expect(askForObservation(input, dirk, T0)).rejects.toBeInstanceOf(WriteRefused);
    await expect(askForObservation({ ...input, observedId: sanne.id }, dirk, T0)).resolves.toMatchObject({
      observedId: sanne.id,
    });
  });
});
