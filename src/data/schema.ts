/**
 * The versioned database schema. Every change is a new named version with an upgrade, tested with literal records
 * written by the version before it (tests/unit/data/schema-upgrades.test.ts). A shipped version is never edited.
 */
import type Dexie from 'dexie';
import { upgradeObservationsToV2 } from './observations';

/** 2026-11: people, teams, school years, installed instruments, observations, responses, notes. */
export const V1_INITIAL = 1;
/** 2026-11: observation status "done" renamed "completed" (the cycle's words); amendments after completion. */
export const V2_AMENDMENTS = 2;

export const CURRENT_VERSION = V2_AMENDMENTS;

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

export function defineSchema(db: Dexie): void {
  db.version(V1_INITIAL).stores(V1_STORES);
  db.version(V2_AMENDMENTS).stores(V2_STORES).upgrade(upgradeObservationsToV2);
}
