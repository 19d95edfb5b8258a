/** Summaries stored on completion and after amendments; the dashboards' loader and the backfill for older data. */
import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './harness';
import { addPerson } from '../../../src/data/records/people';
import { installShippedInstruments } from '../../../src/data/records/instruments';
import { completeObservation, getObservation, startObservation } from '../../../src/data/records/observations';
import { recordResponseChanges } from '../../../src/data/records/responses';
import { backfillSummaries, loadInsight } from '../../../src/data/records/insight';

const { db } = useFreshDatabase();
const KEY = 'meekijken.lesobservatie@1.1.0';
const T0 = Date.UTC(2026, 10, 25, 9, 0);

async function completed() {
  await installShippedInstruments(T0);
  const team = (await db().teams.toArray())[0];
  const anna = await addPerson(
    { name: 'Anna Jansen', role: 'teacher', starter: false, ...(team ? { teamId: team.id } : {}) },
    null,
  );
  const bram = await addPerson({ name: 'Bram de Vries', role: 'teacher', starter: false }, null);
  const o = await startObservation(
    { instrumentKey: KEY, observerId: bram.id, observedId: anna.id, purpose: 'peer', context: {} },
    bram,
    T0,
  );
  await recordResponseChanges(o.id, 'lk-respect', [{ patch: { kind: 'rating', value: 4 }, at: T0 + 10 }], bram);
  await recordResponseChanges(o.id, 'lk-contact', [{ patch: { kind: 'rating', value: 2 }, at: T0 + 20 }], bram);
  await completeObservation(o.id, bram, T0 + 1000);
  return { anna, bram, id: o.id };
}

describe('observation summaries', () => {
  it('are stored on completion and follow an amendment', async () => {
    const { bram, id } = await completed();
    expect((await getObservation(id))?.summary).toMatchObject({
      items: { 'lk-respect': [3, 4], 'lk-contact': [1, 4] },
      domains: { leerklimaat: { rated: 2, meanPosition: (1 + 1 / 3) / 2, mean: 3 } },
    });
    await recordResponseChanges(id, 'lk-contact', [{ patch: { kind: 'rating', value: 4 }, at: T0 + 2000 }], bram);
    expect((await getObservation(id))?.summary?.domains.leerklimaat).toEqual({ rated: 2, meanPosition: 1, mean: 4 });
  });

  it('are computed by the loader when missing, and stored by the backfill', async () => {
    const { anna, id } = await completed();
    const stored = (await db().observations.get(id))!;
    const { summary: _summary, ...withoutSummary } = stored;
    await db().observations.put(withoutSummary);
    const insight = await loadInsight();
    expect(insight.rows).toHaveLength(1);
    expect(insight.rows[0]).toMatchObject({
      observationId: id,
      observedId: anna.id,
      instrumentId: 'meekijken.lesobservatie',
      summary: { items: { 'lk-respect': [3, 4] } },
    });
    expect(await backfillSummaries()).toBe(1);
    expect((await db().observations.get(id))?.summary?.items['lk-contact']).toEqual([1, 4]);
    expect(await backfillSummaries()).toBe(0);
  });

  it('leaves drafts out of the dashboards', async () => {
    await installShippedInstruments(T0);
    const bram = await addPerson({ name: 'Bram', role: 'teacher', starter: false }, null);
    await startObservation(
      { instrumentKey: KEY, observerId: bram.id, observedId: bram.id, purpose: 'peer', context: {} },
      bram,
      T0,
    );
    expect((await loadInsight()).rows).toEqual([]);
  });
});
