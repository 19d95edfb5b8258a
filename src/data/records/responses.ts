/**
 * Item responses: one record per item per observation (see `responseId`). Each batch of changes is one transaction
 * that, once the observation is completed, also records an amendment per changed field with its time, so a
 * completed observation is never silently changed. The observation record itself is only read: rewriting it on
 * every tap would wake every screen that watches observations, and a response carries its own updatedAt.
 *
 * Offline: everything here is IndexedDB on this device; a write's promise resolves once the transaction has
 * committed, and only then may a screen call it stored.
 */
import { alive, baseRecord, db } from '../database/db';
import { ObservationGoneError, refreshSummary } from './observations';
import { measure } from '../database/measure';
import { now as clockNow, save, tombstone, writeTransaction } from '../writes/local';
import type { Actor } from '../../core/model/lifecycle';
import { applyResponsePatch, fieldValue, patchField, type ResponsePatch } from '../../core/observation/response-patch';
import {
  responseId,
  responseKey,
  type ItemResponse,
  type Observation,
  type Timestamp,
  type Uuid,
} from '../../core/model/records';
import type { JournalledKind } from '../writes/journal';

/** The name of the measure per response write, for benchmarks: from the call to the transaction's completion. */
export const RESPONSE_WRITE_MEASURE = 'meekijken:response-write';

/**
 * Changes to one field after completion that follow each other within this time are one amendment (its first
 * "before", its last "after"): typing a sentence is one correction, not one per keystroke.
 */
const AMENDMENT_MERGE_MS = 60_000;

/** One change to an item's response and the moment the observer made it (the tap, the keystroke). */
export interface ResponseChange {
  patch: ResponsePatch;
  at: Timestamp;
}

export async function listResponses(observationId: Uuid): Promise<ItemResponse[]> {
  return (await db().responses.where('observationId').equals(observationId).toArray()).filter((r) => alive(r));
}

export function recordResponse(
  observationId: Uuid,
  itemId: string,
  patch: ResponsePatch,
  actor: Actor,
  now = clockNow(),
  cycle?: number,
): Promise<void> {
  return recordResponseChanges(observationId, itemId, [{ patch, at: now }], actor, cycle);
}

/**
 * Applies changes to one item's response in one transaction, in order. Each field keeps its newest value: a change
 * older than the field's stored change time is skipped (a replay after a crash, a slower second tab), and a change
 * that sets the value the field already has writes nothing, so replaying a change twice records no amendment.
 * Only the observer records (the write path refuses anyone else, also the observed teacher). In a repeated section,
 * `cycle` is the repetition: each repetition's answer is a record of its own (`responseId` with the cycle).
 */
export async function recordResponseChanges(
  observationId: Uuid,
  itemId: string,
  changes: readonly ResponseChange[],
  actor: Actor,
  cycle?: number,
): Promise<void> {
  const started = performance.now();
  let written = false;
  let amended: Observation | undefined;
  await writeTransaction(['response', 'amendment'], async () => {
    const database = db();
    const id = responseId(observationId, itemId, cycle);
    // Both reads in one round trip: every await on IndexedDB costs a task while the tap waits.
    const [observation, existing] = await Promise.all([
      database.observations.get(observationId),
      database.responses.get(id),
    ]);
    if (!alive(observation)) throw new ObservationGoneError(observationId);
    const first = changes[0]?.at ?? clockNow();
    let next: ItemResponse = existing ?? {
      ...baseRecord(observation.observerId, first),
      id,
      observationId,
      itemId,
      ...(cycle !== undefined ? { cycle } : {}),
      lookFors: [],
    };
    const amendments: Array<{ field: string; before: unknown; after: unknown; at: Timestamp }> = [];
    for (const { patch, at } of changes) {
      const field = patchField(patch);
      if ((next.changedAt?.[field] ?? -Infinity) > at) continue;
      const before = fieldValue(next, patch);
      const changed = applyResponsePatch(next, patch);
      const after = fieldValue(changed, patch);
      if (sameValue(before, after)) continue;
      next = { ...changed, changedAt: { ...next.changedAt, [field]: at }, updatedAt: Math.max(next.updatedAt, at) };
      amendments.push({ field, before, after, at });
    }
    if (amendments.length === 0) return;
    written = true;
    await save('response', existing, next, actor, { at: next.updatedAt, observation });
    if (observation.status !== 'draft') {
      await recordAmendments(observation, responseKey(itemId, cycle), amendments, actor);
      amended = observation;
    }
  });
  // What dashboards read follows an amendment, in a transaction of its own: a tap during the lesson (a draft) keeps
  // the smallest transaction there is.
  if (amended) await refreshSummary(amended.id, actor);
  if (written) {
    const kinds = changes.map((c) => c.patch.kind).join(',');
    measure(RESPONSE_WRITE_MEASURE, started, { itemId: responseKey(itemId, cycle), kind: kinds });
  }
}

/**
 * One amendment per field per correction: changes of a field within `AMENDMENT_MERGE_MS` of the last one extend
 * it (its first "before", its last "after"); a field changed back to where the correction began has none.
 */
async function recordAmendments(
  observation: Observation,
  itemId: string,
  changes: ReadonlyArray<{ field: string; before: unknown; after: unknown; at: Timestamp }>,
  actor: Actor,
): Promise<void> {
  const earlier = (await db().amendments.where('observationId').equals(observation.id).toArray()).filter(
    (a) => alive(a) && a.itemId === itemId,
  );
  for (const { field, before, after, at } of changes) {
    const recent = earlier
      .filter((a) => a.field === field && at - a.updatedAt <= AMENDMENT_MERGE_MS)
      .sort((a, b) => b.updatedAt - a.updatedAt)[0];
    if (!recent) {
      earlier.push(
        await save(
          'amendment',
          undefined,
          { ...baseRecord(observation.observerId, at), observationId: observation.id, itemId, field, before, after },
          actor,
          { at, observation },
        ),
      );
      continue;
    }
    earlier.splice(earlier.indexOf(recent), 1);
    if (sameValue(recent.before, after)) await tombstone('amendment', recent, actor, { at, observation });
    else earlier.push(await save('amendment', recent, { ...recent, after }, actor, { at, observation }));
  }
}

/** Field values are small plain data (a number, a string, a list of ids): equal when they serialise alike. */
function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** A change to an item's response, journalled before it is written. `cycle`: the repetition of a repeated section. */
export interface JournalledResponse {
  kind: 'response';
  observationId: Uuid;
  itemId: string;
  cycle?: number;
  patch: ResponsePatch;
}

const responseRecord = (change: JournalledResponse) =>
  `response:${change.observationId}:${responseKey(change.itemId, change.cycle)}`;

/** Responses in the journal: one record per item (and repetition), one field per part of the answer. */
export const responseJournal: JournalledKind<JournalledResponse> = {
  kind: 'response',
  recordKey: responseRecord,
  fieldKey: (change) => `${responseRecord(change)}:${patchField(change.patch)}`,
  write: (entries) => {
    const first = entries[0]!;
    const { observationId, itemId, cycle } = first.change;
    return recordResponseChanges(
      observationId,
      itemId,
      entries.map((e) => ({ patch: e.change.patch, at: e.at })),
      first.actor,
      cycle,
    );
  },
};
