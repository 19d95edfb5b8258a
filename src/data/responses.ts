/**
 * Item responses: one record per item per observation (see `responseId`). Each change is one transaction that,
 * once the observation is completed, also records an amendment with the time, so a completed observation is never
 * silently changed. The observation record itself is only read: rewriting it on every tap would wake every screen
 * that watches observations, and a response carries its own updatedAt for a later sync.
 */
import { alive, baseRecord, db } from './db';
import { applyResponsePatch, fieldValue, patchField, type ResponsePatch } from '../core/observation/response-patch';
import { responseId, type ItemResponse, type Uuid } from '../core/model/records';

/** The name of the measure per response write, for benchmarks: from the call to the transaction's completion. */
export const RESPONSE_WRITE_MEASURE = 'meekijken:response-write';

export async function listResponses(observationId: Uuid): Promise<ItemResponse[]> {
  return (await db().responses.where('observationId').equals(observationId).toArray()).filter((r) => alive(r));
}

export async function recordResponse(observationId: Uuid, itemId: string, patch: ResponsePatch, now = Date.now()): Promise<void> {
  const started = performance.now();
  const database = db();
  await database.transaction('rw', [database.observations, database.responses, database.amendments], async () => {
    const id = responseId(observationId, itemId);
    // Both reads in one round trip: every await on IndexedDB costs a task while the tap waits.
    const [observation, existing] = await Promise.all([database.observations.get(observationId), database.responses.get(id)]);
    if (!alive(observation)) throw new Error(`Observation ${observationId} does not exist`);
    const base: ItemResponse = existing ?? { ...baseRecord(observation.observerId, now), id, observationId, itemId, lookFors: [] };
    const next = { ...applyResponsePatch(base, patch), updatedAt: now };
    await database.responses.put(next);
    if (observation.status !== 'draft') {
      const before = fieldValue(existing, patch);
      const after = fieldValue(next, patch);
      await database.amendments.add({ ...baseRecord(observation.observerId, now), observationId, itemId, field: patchField(patch), before, after });
    }
  });
  performance.measure(RESPONSE_WRITE_MEASURE, { start: started, end: performance.now(), detail: { itemId, kind: patch.kind } });
}
