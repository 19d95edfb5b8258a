/**
 * How long the server keeps its sync bookkeeping (src/server/sync/retention.ts): the answer to a change goes once
 * the device that sent it has heard it, or long after its session ended; yet a tablet that was away for a whole term
 * and comes back under a new session is answered as before, and nothing it sent is applied twice.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { forEachDatabase, migratedDatabase, seedSchool } from './support/databases';
import { pushChanges, type SyncSession } from '../../src/server/sync/push';
import { ANSWERS_KEPT_MS, pruneBookkeeping } from '../../src/server/sync/retention';
import type { OutboxChange, RecordKind } from '../../src/core/sync/change';
import type { Observation, Person } from '../../src/core/model/records';
import type { Database } from '../../src/server/db/database';

const SCHOOL = 'school-r';
const DAY = 24 * 60 * 60_000;
const at = 1_780_000_000_000;
const anna: Person = {
  id: randomUUID(),
  owner: null,
  createdAt: at,
  updatedAt: at,
  name: 'Anna',
  role: 'teacher',
  starter: false,
};
const bram: Person = {
  id: randomUUID(),
  owner: null,
  createdAt: at,
  updatedAt: at,
  name: 'Bram',
  role: 'teacher',
  starter: false,
};

forEachDatabase((kind) => {
  describe(`on ${kind}`, () => {
    const shared = migratedDatabase(kind);
    let database: Database;

    beforeEach(async () => {
      database = shared.database;
      await seedSchool(database, SCHOOL, [anna, bram]);
    });

    /** A signed-in device of Anna's: a session row, as a sign-in makes it. */
    async function device(label: string, signedInAt: number): Promise<SyncSession> {
      const id = randomUUID();
      await database.query(
        'INSERT INTO sessions (id, school_id, person_id, token_hash, device_label, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $6)',
        [id, SCHOOL, anna.id, randomUUID(), label, signedInAt],
      );
      return { sessionId: id, schoolId: SCHOOL, person: anna };
    }

    let seq = 0;
    const change = (kind: RecordKind, recordId: string, op: OutboxChange['op'], fields: object): OutboxChange => ({
      id: randomUUID(),
      seq: ++seq,
      kind,
      recordId,
      op,
      fields: fields as Record<string, unknown>,
      at,
      actor: anna.id,
    });
    const draft = (): Observation => ({
      id: randomUUID(),
      owner: anna.id,
      createdAt: at,
      updatedAt: at,
      instrumentKey: 'meekijken.lesobservatie@1.1.0',
      observerId: anna.id,
      observedId: bram.id,
      purpose: 'peer',
      status: 'draft',
      context: {},
      clock: { elapsedMs: 0 },
      position: {},
      startedAt: at,
    });
    const answersOf = async (session: SyncSession) =>
      (
        await database.query<{ seq: number }>('SELECT seq FROM applied_changes WHERE session_id = $1 ORDER BY seq', [
          session.sessionId,
        ])
      ).map((row) => row.seq);
    const focusOf = async (id: string) =>
      (
        await database.query<{ focus: string | null }>(
          "SELECT data->>'focusQuestion' AS focus FROM records WHERE kind = 'observation' AND id = $1",
          [id],
        )
      )[0]?.focus;

    it('forgets the answers a device has heard: those numbered below its next push', async () => {
      const tablet = await device('tablet', at);
      const o = draft();
      const first = [
        change('observation', o.id, 'insert', o),
        change('observation', o.id, 'patch', { focusQuestion: 'A' }),
      ];
      await pushChanges(database, tablet, first, at);
      expect(await answersOf(tablet)).toEqual(first.map((c) => c.seq));
      // The answer was lost: the same push again is answered as before and keeps the answers.
      expect((await pushChanges(database, tablet, first, at + 1)).map((r) => r.outcome)).toEqual([
        'duplicate',
        'duplicate',
      ]);
      expect(await answersOf(tablet)).toEqual(first.map((c) => c.seq));
      // Heard: the next push starts after them, and they go.
      const next = change('observation', o.id, 'patch', { focusQuestion: 'B' });
      await pushChanges(database, tablet, [next], at + 2);
      expect(await answersOf(tablet)).toEqual([next.seq]);
      // Another device's answers are its own business.
      const phone = await device('phone', at);
      const other = change('observation', o.id, 'patch', { context: { groep: '4' } });
      await pushChanges(database, phone, [other], at + 3);
      await pushChanges(database, tablet, [change('observation', o.id, 'patch', { focusQuestion: 'C' })], at + 4);
      expect(await answersOf(phone)).toEqual([other.seq]);
    });

    it('answers a tablet back after a term away as before, under a new session, and applies nothing twice', async () => {
      const tablet = await device('tablet', at);
      const o = draft();
      const sent = [
        change('observation', o.id, 'insert', o),
        change('observation', o.id, 'patch', { focusQuestion: 'A' }),
      ];
      // Pushed just before the tablet went into a drawer; the answer never reached it.
      await pushChanges(database, tablet, sent, at);
      // Meanwhile Anna changed the question on her phone.
      const phone = await device('phone', at + 30 * DAY);
      await pushChanges(database, phone, [change('observation', o.id, 'patch', { focusQuestion: 'B' })], at + 30 * DAY);
      // A term later the tablet's session has ended (unused for 60 days); the server prunes as it does every day.
      const termLater = at + 120 * DAY;
      await pruneBookkeeping(database, termLater);
      expect(await answersOf(tablet)).toEqual(sent.map((c) => c.seq));
      // Anna signs in again on the tablet, which sends what it still holds.
      const again = { ...(await device('tablet', termLater)) };
      const results = await pushChanges(database, again, sent, termLater);
      expect(results.map((r) => r.outcome)).toEqual(['duplicate', 'duplicate']);
      expect(await focusOf(o.id)).toBe('B');
      // Long after, the ended session's answers go; the live one's stay until its device pushes on.
      await pruneBookkeeping(database, at + ANSWERS_KEPT_MS + DAY);
      expect(await answersOf(tablet)).toEqual([]);
    });

    it('forgets which observations an ended session was sent', async () => {
      const tablet = await device('tablet', at);
      const live = await device('phone', at + 100 * DAY);
      for (const session of [tablet, live])
        await database.query('INSERT INTO deliveries (session_id, observation_id) VALUES ($1, $2)', [
          session.sessionId,
          randomUUID(),
        ]);
      const pruned = await pruneBookkeeping(database, at + 100 * DAY);
      expect(pruned.deliveries).toBe(1);
      const left = await database.query<{ session_id: string }>('SELECT session_id FROM deliveries');
      expect(left.map((row) => row.session_id)).toEqual([live.sessionId]);
    });
  });
});
