/**
 * Observations: set-up, the lesson clock, where the observer is, completion. Every write is one transaction and
 * completes in IndexedDB before the promise resolves, so what the screen shows as saved survives a dead battery.
 * Only the observer writes an observation (src/core/model/lifecycle.ts); the write path refuses anyone else.
 */
import { alive, baseRecord, db } from '../database/db';
import { ensureSchoolYear } from './school-years';
import { now as clockNow, RecordGone, save, tombstone, writeTransaction } from '../writes/local';
import type { Actor } from '../../core/model/lifecycle';
import { pauseClock, startClock } from '../../core/observation/clock';
import {
  byResponseKey,
  type CycleMark,
  type LessonClock,
  type Observation,
  type ObservationSummary,
  type Purpose,
  type Timestamp,
  type Uuid,
} from '../../core/model/records';
import { summarise } from '../../core/insight/summary';
import type { JournalledKind } from '../writes/journal';

/** Thrown when a change is for an observation that is not (or no longer) on this device. */
export class ObservationGoneError extends RecordGone {
  constructor(observationId: Uuid) {
    super(`Observation ${observationId} does not exist`);
    this.name = 'ObservationGoneError';
  }
}

/**
 * A change made during the lesson: the clock's new state, the domain (and repetition) on screen, or the starts of
 * the repeated sections' repetitions (the whole map, so two sections' changes in a row never drop one). Each sets
 * a value.
 */
export type ObservationChange =
  | { field: 'clock'; clock: LessonClock }
  | { field: 'position'; domainId: string; cycle?: number }
  | { field: 'cycles'; cycles: Record<string, CycleMark[]> };

export interface StartObservationInput {
  instrumentKey: string;
  observerId: Uuid;
  observedId: Uuid;
  purpose: Purpose;
  context: Record<string, string | number>;
  focusQuestion?: string;
  /** The request this observation answers. */
  requestId?: Uuid;
  /** For a self-assessment: the observed lesson it is about. */
  aboutObservationId?: Uuid;
}

export async function startObservation(
  input: StartObservationInput,
  actor: Actor,
  now = clockNow(),
): Promise<Observation> {
  const year = await ensureSchoolYear(now);
  // An observation answers a request only when it is the request's lesson, observed by the one who was asked.
  const request = input.requestId ? await db().requests.get(input.requestId) : undefined;
  if (
    input.requestId &&
    (!request || request.observerId !== input.observerId || request.observedId !== input.observedId)
  ) {
    throw new Error('This observation does not answer that request');
  }
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
    ...(input.requestId ? { requestId: input.requestId } : {}),
    ...(input.aboutObservationId ? { aboutObservationId: input.aboutObservationId } : {}),
    schoolYearId: year.id,
    clock: { elapsedMs: 0 },
    position: {},
    startedAt: now,
  };
  return save('observation', undefined, observation, actor, { at: now });
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
export async function recordObservationChanges(
  id: Uuid,
  changes: ReadonlyArray<ObservationChange & { at: Timestamp }>,
  actor: Actor,
): Promise<void> {
  await writeTransaction(['observation'], async () => {
    const before = await getObservation(id);
    if (!before) throw new ObservationGoneError(id);
    let next = before;
    for (const change of changes) {
      if ((next.changedAt?.[change.field] ?? -Infinity) > change.at) continue;
      next = {
        ...next,
        ...changed(next, change),
        changedAt: { ...next.changedAt, [change.field]: change.at },
        updatedAt: Math.max(next.updatedAt, change.at),
      };
    }
    if (next !== before) await save('observation', before, next, actor, { at: next.updatedAt });
  });
}

function changed(observation: Observation, change: ObservationChange): Partial<Observation> {
  switch (change.field) {
    case 'clock':
      return { clock: change.clock };
    case 'position': {
      // The repetition on screen belongs to the domain on screen: a domain without one drops it.
      const { cycle: _cycle, ...position } = observation.position;
      return {
        position: {
          ...position,
          domainId: change.domainId,
          ...(change.cycle !== undefined ? { cycle: change.cycle } : {}),
        },
      };
    }
    case 'cycles':
      return { cycles: change.cycles };
  }
}

/** Reads the observation and writes a new version of it, in one transaction; nothing when it is gone. */
async function change(
  id: Uuid,
  actor: Actor,
  now: Timestamp,
  next: (observation: Observation) => Observation | undefined,
): Promise<void> {
  await writeTransaction(['observation'], async () => {
    const before = await getObservation(id);
    const after = before && next(before);
    if (before && after) await save('observation', before, after, actor, { at: now });
  });
}

export function startLessonClock(id: Uuid, actor: Actor, now = clockNow()): Promise<void> {
  return change(id, actor, now, (o) => ({
    ...o,
    clock: startClock(o.clock, now),
    changedAt: { ...o.changedAt, clock: now },
  }));
}

export function pauseLessonClock(id: Uuid, actor: Actor, now = clockNow()): Promise<void> {
  return change(id, actor, now, (o) => ({
    ...o,
    clock: pauseClock(o.clock, now),
    changedAt: { ...o.changedAt, clock: now },
  }));
}

/** Remembers the domain on screen, so a resumed observation opens where the observer left off. */
export function setPosition(id: Uuid, domainId: string, actor: Actor, now = clockNow()): Promise<void> {
  return recordObservationChanges(id, [{ field: 'position', domainId, at: now }], actor);
}

export function setContextValue(
  id: Uuid,
  fieldId: string,
  value: string | number | null,
  actor: Actor,
  now = clockNow(),
): Promise<void> {
  return change(id, actor, now, (o) => {
    const context = { ...o.context };
    if (value === null || value === '') delete context[fieldId];
    else context[fieldId] = value;
    return { ...o, context };
  });
}

/**
 * Ends the observation: the clock stops, its summary is computed and stored with it (what dashboards read), and
 * later changes are recorded as amendments with their time. Only a draft is completed; completing twice changes
 * nothing.
 */
export async function completeObservation(id: Uuid, actor: Actor, now = clockNow()): Promise<void> {
  await writeTransaction(['observation', 'response', 'instrument'], async () => {
    const o = await getObservation(id);
    if (!o || o.status !== 'draft') return;
    const summary = await summaryOf(o);
    await save(
      'observation',
      o,
      {
        ...o,
        clock: pauseClock(o.clock, now),
        // A clock change journalled before completing and replayed later must not start the clock again.
        changedAt: { ...o.changedAt, clock: now },
        status: 'completed',
        completedAt: now,
        ...(summary ? { summary } : {}),
      },
      actor,
      { at: now },
    );
  });
}

/** Stores the summary of a completed observation as its responses stand now (after an amendment). */
export async function refreshSummary(id: Uuid, actor: Actor): Promise<void> {
  await writeTransaction(['observation', 'response', 'instrument'], async () => {
    const observation = await getObservation(id);
    if (!observation || observation.status === 'draft') return;
    const summary = await summaryOf(observation);
    if (summary)
      await save('observation', observation, { ...observation, summary }, actor, { at: observation.updatedAt });
  });
}

/**
 * The summary of an observation as its responses stand now; undefined when its instrument is not installed. Call
 * inside a transaction that includes the responses and instruments.
 */
export async function summaryOf(observation: Observation): Promise<ObservationSummary | undefined> {
  const database = db();
  const [installed, responses] = await Promise.all([
    database.instruments.get(observation.instrumentKey),
    database.responses.where('observationId').equals(observation.id).toArray(),
  ]);
  if (!installed) return undefined;
  return summarise(installed.content, byResponseKey(responses.filter((r) => alive(r))), observation);
}

/** A draft that will not be finished: soft-deleted, so the deletion can travel to a later sync server. */
export async function discardDraft(id: Uuid, actor: Actor, now = clockNow()): Promise<void> {
  await writeTransaction(['observation'], async () => {
    const before = await getObservation(id);
    if (before?.status === 'draft') await tombstone('observation', before, actor, { at: now });
  });
}

/** A change made during the lesson, journalled before it is written. */
export interface JournalledObservation {
  kind: 'observation';
  observationId: Uuid;
  change: ObservationChange;
}

/** Observations in the journal: one field per kind of lesson change (clock, position, repetitions, context). */
export const observationJournal: JournalledKind<JournalledObservation> = {
  kind: 'observation',
  recordKey: (change) => `observation:${change.observationId}`,
  fieldKey: (change) => `observation:${change.observationId}:${change.change.field}`,
  write: (entries) =>
    recordObservationChanges(
      entries[0]!.change.observationId,
      entries.map((e) => ({ ...e.change.change, at: e.at })),
      entries[0]!.actor,
    ),
};
