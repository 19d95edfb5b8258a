/**
 * Every schema version upgrade, tested with literal records as the version before it wrote them. A new version
 * adds a test here; a shipped version and its test are never edited.
 */
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { freshDatabaseName, writeOldDatabase } from './harness';
import { openDatabase } from '../../../src/data/database/db';
import {
  CURRENT_VERSION,
  V1_INITIAL,
  V1_STORES,
  V2_STORES,
  V2_AMENDMENTS,
  V3_OUTBOX,
  V3_STORES,
  V4_FEEDBACK_CYCLE,
  V4_STORES,
} from '../../../src/data/database/schema';
import { upObservationToV4 } from '../../../src/core/model/migrations/v4-feedback-cycle';
import { upObservationToV2 } from '../../../src/core/model/migrations/v2-completed-status';

describe('schema upgrades', () => {
  it('v1 → v2: "done" observations become "completed" with a completion time; drafts and other tables stay', async () => {
    const name = freshDatabaseName();
    await writeOldDatabase(name, V1_INITIAL, V1_STORES, {
      people: [
        {
          id: 'p-1',
          owner: null,
          createdAt: 1000,
          updatedAt: 1000,
          name: 'Anna Jansen',
          role: 'teacher',
          starter: false,
        },
        {
          id: 'p-2',
          owner: null,
          createdAt: 1000,
          updatedAt: 1000,
          name: 'Bram de Vries',
          role: 'coach',
          starter: false,
        },
      ],
      observations: [
        {
          id: 'o-done',
          owner: 'p-2',
          createdAt: 2000,
          updatedAt: 5000,
          instrumentKey: 'meekijken.lesobservatie@1.0.0',
          observerId: 'p-2',
          observedId: 'p-1',
          purpose: 'peer',
          status: 'done',
          context: { group: 'groep 5' },
          clock: { elapsedMs: 2_700_000 },
          position: { domainId: 'leerklimaat' },
          startedAt: 2000,
        },
        {
          id: 'o-draft',
          owner: 'p-2',
          createdAt: 6000,
          updatedAt: 7000,
          instrumentKey: 'meekijken.lesobservatie@1.0.0',
          observerId: 'p-2',
          observedId: 'p-1',
          purpose: 'peer',
          status: 'draft',
          context: {},
          clock: { elapsedMs: 60_000, runningSince: 6500 },
          position: {},
          startedAt: 6000,
        },
      ],
      responses: [
        {
          id: 'o-done:lk-respect',
          owner: 'p-2',
          createdAt: 3000,
          updatedAt: 3000,
          observationId: 'o-done',
          itemId: 'lk-respect',
          rating: 3,
          lookFors: ['lf1'],
        },
      ],
    });

    const db = openDatabase(name);
    await db.open();
    expect(db.verno).toBe(CURRENT_VERSION);
    expect(CURRENT_VERSION).toBeGreaterThanOrEqual(V2_AMENDMENTS);

    const done = await db.observations.get('o-done');
    expect(done?.status).toBe('completed');
    expect(done?.completedAt).toBe(5000);
    expect(done?.clock).toEqual({ elapsedMs: 2_700_000 });
    const draft = await db.observations.get('o-draft');
    expect(draft).toMatchObject({ status: 'draft', clock: { elapsedMs: 60_000, runningSince: 6500 } });
    expect(draft?.completedAt).toBeUndefined();

    expect(await db.responses.get('o-done:lk-respect')).toMatchObject({ rating: 3, lookFors: ['lf1'] });
    expect(await db.people.count()).toBe(2);
    // New in v2: the amendments table and the index drafts are listed by.
    expect(await db.amendments.count()).toBe(0);
    expect(await db.observations.where('[observerId+status]').equals(['p-2', 'draft']).primaryKeys()).toEqual([
      'o-draft',
    ]);

    db.close();
    await Dexie.delete(name);
  });

  it('v2 as a pure function: only "done" changes, and an existing completion time is kept', () => {
    const base = { id: 'o', updatedAt: 5000 };
    expect(upObservationToV2({ ...base, status: 'done' })).toEqual({ ...base, status: 'completed', completedAt: 5000 });
    expect(upObservationToV2({ ...base, status: 'done', completedAt: 4000 })).toEqual({
      ...base,
      status: 'completed',
      completedAt: 4000,
    });
    const draft = { ...base, status: 'draft' };
    expect(upObservationToV2(draft)).toBe(draft);
  });

  it('v2 → v3: an empty outbox is added; every record stays as it was', async () => {
    const name = freshDatabaseName();
    const observation = {
      id: 'o-1',
      owner: 'p-2',
      createdAt: 2000,
      updatedAt: 5000,
      instrumentKey: 'meekijken.lesobservatie@1.0.0',
      observerId: 'p-2',
      observedId: 'p-1',
      purpose: 'peer',
      status: 'completed',
      completedAt: 5000,
      context: {},
      clock: { elapsedMs: 60_000 },
      position: {},
      startedAt: 2000,
    };
    const amendment = {
      id: 'a-1',
      owner: 'p-2',
      createdAt: 6000,
      updatedAt: 6000,
      observationId: 'o-1',
      itemId: 'lk-respect',
      field: 'rating',
      before: 2,
      after: 3,
    };
    await writeOldDatabase(name, V2_AMENDMENTS, V2_STORES, { observations: [observation], amendments: [amendment] });

    const db = openDatabase(name);
    await db.open();
    expect(db.verno).toBe(CURRENT_VERSION);
    expect(await db.observations.get('o-1')).toEqual(observation);
    expect(await db.amendments.get('a-1')).toEqual(amendment);
    expect(await db.outbox.count()).toBe(0);
    db.close();
    await Dexie.delete(name);
  });

  it('v3 → v4: an "acknowledged" observation becomes handed over, with the teacher’s reflection read and discussed', async () => {
    const name = freshDatabaseName();
    const base = {
      owner: 'p-2',
      createdAt: 2000,
      instrumentKey: 'meekijken.lesobservatie@1.0.0',
      observerId: 'p-2',
      observedId: 'p-1',
      purpose: 'peer',
      context: {},
      clock: { elapsedMs: 60_000 },
      position: {},
      startedAt: 2000,
    };
    const acknowledged = { ...base, id: 'o-1', updatedAt: 9000, status: 'acknowledged', completedAt: 5000 };
    const shared = { ...base, id: 'o-2', updatedAt: 7000, status: 'shared', completedAt: 6000 };
    const draft = { ...base, id: 'o-3', updatedAt: 3000, status: 'draft' };
    await writeOldDatabase(name, V3_OUTBOX, V3_STORES, { observations: [acknowledged, shared, draft] });

    const db = openDatabase(name);
    await db.open();
    expect(db.verno).toBe(CURRENT_VERSION);
    expect(await db.observations.get('o-1')).toEqual({ ...acknowledged, status: 'shared', handedOverAt: 5000 });
    expect(await db.observations.get('o-2')).toEqual({ ...shared, handedOverAt: 6000 });
    expect(await db.observations.get('o-3')).toEqual(draft);
    expect(await db.reflections.toArray()).toEqual([
      {
        id: 'o-1',
        owner: 'p-1',
        createdAt: 9000,
        updatedAt: 9000,
        observationId: 'o-1',
        teacherId: 'p-1',
        readAt: 9000,
        text: '',
        acknowledgedAt: 9000,
      },
    ]);
    for (const table of ['requests', 'declines', 'feedback', 'goals'] as const) expect(await db[table].count()).toBe(0);
    db.close();
    await Dexie.delete(name);
  });

  it('v4 as a pure function: a self-assessment is never handed over, even when it was "acknowledged"', () => {
    const self = {
      id: 's',
      owner: 'a',
      createdAt: 1,
      updatedAt: 2,
      instrumentKey: 'x@1',
      observerId: 'a',
      observedId: 'a',
      purpose: 'self' as const,
      status: 'acknowledged' as const,
      context: {},
      clock: { elapsedMs: 0 },
      position: {},
      startedAt: 1,
    };
    expect(upObservationToV4(self)).toEqual({ observation: { ...self, status: 'completed' } });
  });

  it('v4 as a pure function: drafts and completed observations are returned as they were', () => {
    const completed = {
      id: 'o',
      owner: 'a',
      createdAt: 1,
      updatedAt: 2,
      instrumentKey: 'x@1',
      observerId: 'a',
      observedId: 'b',
      purpose: 'peer' as const,
      status: 'completed' as const,
      context: {},
      clock: { elapsedMs: 0 },
      position: {},
      startedAt: 1,
    };
    expect(upObservationToV4(completed).observation).toBe(completed);
    expect(upObservationToV4(completed).reflection).toBeUndefined();
  });

  it('v4 → v5: an empty table of instrument drafts is added; every record stays as it was', async () => {
    const name = freshDatabaseName();
    const goal = {
      id: 'g-1',
      owner: 'p-1',
      createdAt: 1000,
      updatedAt: 1000,
      teacherId: 'p-1',
      text: 'Stille leerlingen beurten geven',
      status: 'open',
      itemIds: [],
    };
    const outbox = {
      seq: 7,
      id: 'c-1',
      kind: 'goal',
      recordId: 'g-1',
      op: 'insert',
      fields: goal,
      at: 1000,
      actor: 'p-1',
    };
    await writeOldDatabase(name, V4_FEEDBACK_CYCLE, V4_STORES, { goals: [goal], outbox: [outbox] });

    const db = openDatabase(name);
    await db.open();
    expect(db.verno).toBe(CURRENT_VERSION);
    expect(await db.goals.get('g-1')).toEqual(goal);
    expect(await db.outbox.toArray()).toEqual([outbox]);
    expect(await db.instrumentDrafts.count()).toBe(0);
    expect(await db.instrumentDrafts.where('owner').equals('p-1').count()).toBe(0);
    db.close();
    await Dexie.delete(name);
  });
});
