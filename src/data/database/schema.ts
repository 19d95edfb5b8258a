/**
 * The versioned database schema. Every change is a new named version; its record upgrades are pure functions in
 * src/core/model/migrations (one file each), wrapped here for Dexie. Each is tested with literal records written by
 * the version before it (tests/unit/data/schema-upgrades.test.ts), and every shipped store definition is pinned by
 * tests/unit/data/schema-snapshot.test.ts. A shipped version is never edited.
 */
import type Dexie from 'dexie';
import { upObservationToV2, type ObservationBeforeV2 } from '../../core/model/migrations/v2-completed-status';
import { upObservationToV4, type ObservationBeforeV4 } from '../../core/model/migrations/v4-feedback-cycle';

/** 2026-11: people, teams, school years, installed instruments, observations, responses, notes. */
export const V1_INITIAL = 1;
/** 2026-11: observation status "done" renamed "completed" (the words of the stages); amendments after completion. */
export const V2_AMENDMENTS = 2;
/** 2026-11: the outbox, one entry per change, for a later sync client to push (src/data/writes/outbox.ts). */
export const V3_OUTBOX = 3;
/**
 * 2026-11: feedback from request to conversation. Requests and declines, the observer's feedback, the observed teacher's reflection
 * and goals; "acknowledged" leaves the observation for the teacher's reflection (core migration v4).
 */
export const V4_FEEDBACK_CYCLE = 4;
/** 2026-12: instrument drafts, the editor's work in progress (saved with every keystroke), listed by owner. */
const V5_INSTRUMENT_DRAFTS = 5;
/**
 * 2026-12: e-mail and calendars. New optional fields, no new store: a request's start time and length
 * (`plannedTime`, `durationMinutes`), the school's time zone, reminder interval and holidays. A version of its own so
 * the sync protocol says it (a server that does not know the fields answers `server-too-old` instead of refusing
 * them one by one).
 */
const V6_CALENDAR = 6;

export const CURRENT_VERSION = V6_CALENDAR;

export const V1_STORES = {
  schools: 'id',
  teams: 'id, name',
  people: 'id, name, teamId',
  schoolYears: 'id, startsOn',
  instruments: 'id, instrumentId',
  observations: 'id, status, observerId, observedId, updatedAt',
  responses: 'id, observationId',
  notes: 'id, observationId',
  device: 'key',
} as const;

export const V2_STORES = {
  ...V1_STORES,
  observations: 'id, status, observerId, observedId, updatedAt, [observerId+status]',
  amendments: 'id, observationId',
} as const;

export const V3_STORES = {
  ...V2_STORES,
  // Auto-incremented: the key is the device's change sequence. The compound index finds a record's entries.
  outbox: '++seq, [kind+recordId]',
} as const;

export const V4_STORES = {
  ...V3_STORES,
  requests: 'id, observerId, observedId, requesterId',
  declines: 'id, requestId, observerId',
  feedback: 'id',
  reflections: 'id, teacherId',
  goals: 'id, teacherId',
} as const;

export const V5_STORES = {
  ...V4_STORES,
  instrumentDrafts: 'id, owner',
} as const;

/**
 * The stores of the current version: the newest version's stores under a name that stays when a version is added.
 * @alias
 */
export const CURRENT_STORES = V5_STORES;

export function defineSchema(db: Dexie): void {
  db.version(V1_INITIAL).stores(V1_STORES);
  db.version(V2_AMENDMENTS)
    .stores(V2_STORES)
    .upgrade((tx) =>
      tx
        .table('observations')
        .toCollection()
        .modify((observation: ObservationBeforeV2, ctx: { value: ObservationBeforeV2 }) => {
          ctx.value = upObservationToV2(observation);
        }),
    );
  // A new, empty table: records written before v3 have no outbox entries (a first sync sends them whole).
  db.version(V3_OUTBOX).stores(V3_STORES);
  db.version(V4_FEEDBACK_CYCLE)
    .stores(V4_STORES)
    .upgrade(async (tx) => {
      const observations: ObservationBeforeV4[] = await tx.table('observations').toArray();
      const upgraded = observations
        .map(upObservationToV4)
        .filter((result, i) => result.observation !== observations[i]);
      await tx.table('observations').bulkPut(upgraded.map((result) => result.observation));
      await tx
        .table('reflections')
        .bulkPut(upgraded.flatMap((result) => (result.reflection ? [result.reflection] : [])));
    });
  // A new, empty table: nothing existing changes.
  db.version(V5_INSTRUMENT_DRAFTS).stores(V5_STORES);
  // New optional fields only: the stores stay those of version 5, and no record is touched.
  db.version(V6_CALENDAR).stores(V5_STORES);
}
