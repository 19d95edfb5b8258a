/**
 * Every shipped store definition, written out literally. A shipped schema version is never edited: changing a
 * version's stores here means a device that already has it would never get the change. Add a new version instead
 * (and a new block here).
 */
import { describe, expect, it } from 'vitest';
import {
  CURRENT_VERSION,
  V1_STORES,
  V2_STORES,
  V3_STORES,
  V4_STORES,
  V5_STORES,
} from '../../../src/data/database/schema';

describe('shipped schema versions', () => {
  it('are unchanged', () => {
    expect(V1_STORES).toEqual({
      schools: 'id',
      teams: 'id, name',
      people: 'id, name, teamId',
      schoolYears: 'id, startsOn',
      instruments: 'id, instrumentId',
      observations: 'id, status, observerId, observedId, updatedAt',
      responses: 'id, observationId',
      notes: 'id, observationId',
      device: 'key',
    });
    expect(V2_STORES).toEqual({
      ...V1_STORES,
      observations: 'id, status, observerId, observedId, updatedAt, [observerId+status]',
      amendments: 'id, observationId',
    });
    expect(V3_STORES).toEqual({ ...V2_STORES, outbox: '++seq, [kind+recordId]' });
    expect(V4_STORES).toEqual({
      ...V3_STORES,
      requests: 'id, observerId, observedId, requesterId',
      declines: 'id, requestId, observerId',
      feedback: 'id',
      reflections: 'id, teacherId',
      goals: 'id, teacherId',
    });
    expect(V5_STORES).toEqual({ ...V4_STORES, instrumentDrafts: 'id, owner' });
    expect(CURRENT_VERSION).toBe(6);
  });
});
