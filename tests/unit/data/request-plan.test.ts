/**
 * When a requested lesson is: its day, start time and length, set when asking and changed by the one who asked while
 * the request is open, on fake-indexeddb through the write path; and the calendar event the stored request gives.
 */
import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './harness';
import { addPerson } from '../../../src/data/records/people';
import { installShippedInstruments } from '../../../src/data/records/instruments';
import { startObservation } from '../../../src/data/records/observations';
import {
  askForObservation,
  declineRequest,
  getRequest,
  replanRequest,
  withdrawRequest,
  type RequestPlan,
} from '../../../src/data/records/requests';
import { listOutbox } from '../../../src/data/writes/outbox';
import { WriteRefused } from '../../../src/core/model/lifecycle';
import { isVisitCancelled, visitMoment, visitSequence } from '../../../src/core/notify/calendar';

useFreshDatabase();
const KEY = 'meekijken.lesobservatie@1.1.0';
const T0 = Date.UTC(2026, 10, 25, 9, 0);

async function asked(plan: RequestPlan) {
  await installShippedInstruments(T0);
  const anna = await addPerson({ name: 'Anna Jansen', role: 'teacher', starter: false }, null);
  const bram = await addPerson({ name: 'Bram de Vries', role: 'teacher', starter: false }, null);
  const request = await askForObservation(
    {
      requesterId: anna.id,
      observedId: anna.id,
      observerId: bram.id,
      purpose: 'peer',
      instrumentKey: KEY,
      context: {},
      ...plan,
    },
    anna,
    T0,
  );
  return { anna, bram, request };
}

describe('the plan of a request', () => {
  it('keeps a start time only with a day and a length only with a start time', async () => {
    const { request } = await asked({ plannedOn: '2026-12-01', plannedTime: '10:15', durationMinutes: 45 });
    expect(request).toMatchObject({ plannedOn: '2026-12-01', plannedTime: '10:15', durationMinutes: 45 });
    expect(visitMoment(request, 'Europe/Amsterdam')).toEqual({
      start: Date.UTC(2026, 11, 1, 9, 15),
      end: Date.UTC(2026, 11, 1, 10, 0),
    });

    const { request: timeOnly } = await asked({ plannedTime: '10:15', durationMinutes: 45 });
    expect(timeOnly).not.toHaveProperty('plannedTime');
    expect(timeOnly).not.toHaveProperty('durationMinutes');
    const { request: dayOnly } = await asked({ plannedOn: '2026-12-01', durationMinutes: 45 });
    expect(dayOnly.plannedOn).toBe('2026-12-01');
    expect(dayOnly).not.toHaveProperty('durationMinutes');
  });

  it('is changed by the one who asked, and the calendar event follows with a higher SEQUENCE', async () => {
    const { anna, request } = await asked({ plannedOn: '2026-12-01', plannedTime: '10:15' });
    // Changed within the same millisecond as the asking: SEQUENCE (whole seconds) still grows.
    expect(
      await replanRequest(request.id, { plannedOn: '2026-12-02', plannedTime: '13:00', durationMinutes: 90 }, anna, T0),
    ).toBe(true);
    const moved = (await getRequest(request.id))!;
    expect(moved).toMatchObject({ plannedOn: '2026-12-02', plannedTime: '13:00', durationMinutes: 90 });
    expect(visitSequence(moved)).toBeGreaterThan(visitSequence(request));
    expect((await listOutbox()).at(-1)).toMatchObject({
      kind: 'request',
      recordId: request.id,
      op: 'patch',
      fields: { plannedOn: '2026-12-02', plannedTime: '13:00', durationMinutes: 90 },
    });

    // Taking the time away leaves the day alone, and the length with the time.
    expect(await replanRequest(request.id, { plannedOn: '2026-12-02', durationMinutes: 90 }, anna, T0 + 5_000)).toBe(
      true,
    );
    const dayOnly = (await getRequest(request.id))!;
    expect(dayOnly.plannedOn).toBe('2026-12-02');
    expect(dayOnly).not.toHaveProperty('plannedTime');
    expect(dayOnly).not.toHaveProperty('durationMinutes');
    expect(visitMoment(dayOnly, 'Europe/Amsterdam')).toBeUndefined();
    // The server is told to remove them (a patch's null removes a field).
    expect((await listOutbox()).at(-1)?.fields).toMatchObject({ plannedTime: null, durationMinutes: null });
  });

  it('is not someone else’s to change', async () => {
    const { bram, request } = await asked({ plannedOn: '2026-12-01', plannedTime: '10:15' });
    await expect(replanRequest(request.id, { plannedOn: '2026-12-03' }, bram, T0 + 1000)).rejects.toBeInstanceOf(
      WriteRefused,
    );
    expect((await getRequest(request.id))!.plannedOn).toBe('2026-12-01');
  });

  it('stays as it was once the request is withdrawn, declined or observed', async () => {
    const withdrawn = await asked({ plannedOn: '2026-12-01', plannedTime: '10:15' });
    await withdrawRequest(withdrawn.request.id, withdrawn.anna, T0);
    const taken = (await getRequest(withdrawn.request.id))!;
    expect(isVisitCancelled(taken)).toBe(true);
    expect(visitSequence(taken)).toBeGreaterThan(visitSequence(withdrawn.request));
    expect(await replanRequest(withdrawn.request.id, { plannedOn: '2026-12-05' }, withdrawn.anna, T0 + 1000)).toBe(
      false,
    );
    expect((await getRequest(withdrawn.request.id))!.plannedOn).toBe('2026-12-01');

    const declined = await asked({ plannedOn: '2026-12-01' });
    await declineRequest(declined.request.id, 'Dan sta ik zelf voor de groep.', declined.bram, T0 + 1000);
    expect(await replanRequest(declined.request.id, { plannedOn: '2026-12-05' }, declined.anna, T0 + 2000)).toBe(false);

    const observed = await asked({ plannedOn: '2026-12-01' });
    await startObservation(
      {
        instrumentKey: KEY,
        observerId: observed.bram.id,
        observedId: observed.anna.id,
        purpose: 'peer',
        context: {},
        requestId: observed.request.id,
      },
      observed.bram,
      T0 + 1000,
    );
    expect(await replanRequest(observed.request.id, { plannedOn: '2026-12-05' }, observed.anna, T0 + 2000)).toBe(false);
    expect((await getRequest(observed.request.id))!.plannedOn).toBe('2026-12-01');
  });
});
