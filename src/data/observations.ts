/**
 * Observations: set-up, the lesson clock, where the observer is, completion. Every write is one transaction and
 * completes in IndexedDB before the promise resolves, so what the screen shows as saved survives a dead battery.
 */
import type { Transaction } from 'dexie';
import { alive, baseRecord, db } from './db';
import { ensureSchoolYear } from './school-years';
import { pauseClock, startClock } from '../core/observation/clock';
import type { LessonClock, Observation, ObservationField, Purpose, Timestamp, Uuid } from '../core/model/records';

/** Thrown when a change is for an observation that is not (or no longer) on this device. */
export class ObservationGoneError extends Error {
  constructor(observationId: Uuid) {
    super(`Observation ${observationId} does not exist`);
    this.name = 'ObservationGoneError';
  }
}

/** A change made during the lesson: the clock's new state, or the domain on screen. Each sets a value. */
export type ObservationChange = { field: 'clock'; clock: LessonClock } | { field: 'position'; domainId: string };

export interface StartObservationInput {
  instrumentKey: string;
  observerId: Uuid;
  observedId: Uuid;
  purpose: Purpose;
  context: Record<string, string | number>;
  focusQuestion?: string;
}

export async function startObservation(input: StartObservationInput, now = Date.now()): Promise<Observation> {
  const year = await ensureSchoolYear(now);
  const focusQuestion = input.focusQuestion?.trim();
  const observation: Observation = {
    ...baseRecord(input.observerId, now),
    instrumentKey: input.instrumentKey,
    observerId: input.observerId,
    observedId: input.observedId,
    purpose: input.purpose,
    status: 'draft',
    context: input.context,
    ...(focusQuestion ? { focusQuestion } : {}),
    schoolYearId: year.id,
    clock: { elapsedMs: 0 },
    position: {},
    startedAt: now,
  };
  await db().observations.add(observation);
  return observation;
}

export async function getObservation(id: Uuid): Promise<Observation | undefined> {
  const observation = await db().observations.get(id);
  return alive(observation) ? observation : undefined;
}

/** The observer's drafts, most recently touched first. */
export async function listDrafts(observerId: Uuid): Promise<Observation[]> {
  const drafts = await db().observations.where('[observerId+status]').equals([observerId, 'draft']).toArray();
  return drafts.filter((o) => alive(o)).sort((a, b) => b.updatedAt - a.updatedAt);
}

/** Observations this person made or received (their own), newest first, without drafts. */
export async function listOwnObservations(personId: Uuid, limit = 50): Promise<Observation[]> {
  const [made, received] = await Promise.all([
    db().observations.where('observerId').equals(personId).toArray(),
    db().observations.where('observedId').equals(personId).toArray(),
  ]);
  const byId = new Map([...made, ...received].map((o) => [o.id, o]));
  return [...byId.values()]
    .filter((o) => alive(o) && o.status !== 'draft')
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(0, limit);
}

/**
 * Applies lesson-time changes to an observation in one transaction, in order. A change older than the field's
 * stored change time is skipped (a replayed journal entry, a slower second tab), so the newest state wins.
 */
export async function recordObservationChanges(id: Uuid, changes: ReadonlyArray<ObservationChange & { at: Timestamp }>): Promise<void> {
  await db().transaction('rw', db().observations, async () => {
    const observation = await db().observations.get(id);
    if (!alive(observation)) throw new ObservationGoneError(id);
    let changed = false;
    for (const change of changes) {
      if ((observation.changedAt?.[change.field] ?? -Infinity) > change.at) continue;
      if (change.field === 'clock') observation.clock = change.clock;
      else observation.position = { ...observation.position, domainId: change.domainId };
      observation.changedAt = { ...observation.changedAt, [change.field]: change.at };
      observation.updatedAt = Math.max(observation.updatedAt, change.at);
      changed = true;
    }
    if (changed) await db().observations.put(observation);
  });
}

async function changeClock(id: Uuid, change: (clock: LessonClock) => LessonClock, now: Timestamp): Promise<void> {
  await db().transaction('rw', db().observations, async () => {
    const observation = await getObservation(id);
    if (!observation) throw new ObservationGoneError(id);
    await recordObservationChanges(id, [{ field: 'clock', clock: change(observation.clock), at: now }]);
  });
}

export function startLessonClock(id: Uuid, now = Date.now()): Promise<void> {
  return changeClock(id, (clock) => startClock(clock, now), now);
}

export function pauseLessonClock(id: Uuid, now = Date.now()): Promise<void> {
  return changeClock(id, (clock) => pauseClock(clock, now), now);
}

/** Remembers the domain on screen, so a resumed observation opens where the observer left off. */
export function setPosition(id: Uuid, domainId: string, now = Date.now()): Promise<void> {
  return recordObservationChanges(id, [{ field: 'position', domainId, at: now }]);
}

export async function setContextValue(id: Uuid, fieldId: string, value: string | number | null, now = Date.now()): Promise<void> {
  await db().observations.where('id').equals(id).modify((observation) => {
    if (value === null || value === '') delete observation.context[fieldId];
    else observation.context[fieldId] = value;
    observation.updatedAt = now;
  });
}

/** Ends the observation: the clock stops and later changes are recorded as amendments with their time. */
export async function completeObservation(id: Uuid, now = Date.now()): Promise<void> {
  await db().observations.where('id').equals(id).modify((observation) => {
    if (observation.status !== 'draft') return;
    observation.clock = pauseClock(observation.clock, now);
    // A clock change journalled before completing and replayed later must not start the clock again.
    observation.changedAt = { ...observation.changedAt, clock: now };
    observation.status = 'completed';
    observation.completedAt = now;
    observation.updatedAt = now;
  });
}

/** A draft that will not be finished: soft-deleted, so the deletion can travel to a later sync server. */
export async function discardDraft(id: Uuid, now = Date.now()): Promise<void> {
  await db().observations.where('id').equals(id).modify((observation) => {
    if (observation.status === 'draft') {
      observation.deletedAt = now;
      observation.updatedAt = now;
    }
  });
}

/**
 * Schema v2: early builds called a completed observation "done". The cycle's words are draft → completed →
 * shared → acknowledged; completion time was not recorded then, so the last update stands in for it.
 */
export async function upgradeObservationsToV2(tx: Transaction): Promise<void> {
  await tx
    .table('observations')
    .toCollection()
    .modify((observation: { status: string; completedAt?: number; updatedAt: number }) => {
      if (observation.status === 'done') {
        observation.status = 'completed';
        observation.completedAt ??= observation.updatedAt;
      }
    });
}
