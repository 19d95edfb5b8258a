import { describe, expect, it } from 'vitest';
import { inOtherDatabase, useFreshDatabase } from './harness';
import { createBackup } from '../../../src/data/database/backup';
import { loadDemoSchool } from '../../../src/data/records/demo';
import { readBackupFile, restoreBackup, RestoreRefused, type ReadBackup } from '../../../src/data/records/restore';
import { createSchool } from '../../../src/data/records/school';
import { useClock } from '../../../src/data/writes/local';

const { db } = useFreshDatabase();
const NOW = Date.UTC(2026, 10, 25, 9, 0);
useClock(() => NOW);

type Backup = Awaited<ReturnType<typeof createBackup>>;
type Row = { id: string; updatedAt?: number; deletedAt?: number; [field: string]: unknown };
const rows = (backup: Backup, table: string) => (backup.tables as unknown as Record<string, Row[]>)[table]!;
const sorted = (backup: Backup) =>
  Object.fromEntries(
    Object.entries(backup.tables).map(([table, list]) => [
      table,
      [...(list as unknown as Row[])].sort((a, b) => a.id.localeCompare(b.id)),
    ]),
  );

/** The demo school's backup, taken in a database of its own; the test's database stays empty. */
async function demoBackup(): Promise<Backup> {
  return inOtherDatabase(db(), async () => {
    await loadDemoSchool(NOW);
    return createBackup(NOW);
  });
}

async function read(backup: unknown): Promise<ReadBackup> {
  const result = await readBackupFile(JSON.stringify(backup));
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problem)}`);
  return result.read;
}

describe('restoring a backup', () => {
  it('says what the file holds, and a fresh device restored from it holds exactly what was backed up', async () => {
    const backup = await demoBackup();
    const read1 = await read(backup);
    expect(read1.summary.schoolName).toBe(rows(backup, 'schools')[0]!.name);
    expect(read1.summary.counts.observations).toBe(rows(backup, 'observations').length);
    expect(read1.summary.counts.responses).toBe(rows(backup, 'responses').length);
    expect(read1.summary.firstLesson).toBeLessThan(read1.summary.lastLesson!);
    // Reading wrote nothing.
    expect(await db().observations.count()).toBe(0);

    const outcome = await restoreBackup(read1, 'replace');
    expect(outcome.written).toBe(Object.values(backup.tables).reduce((n, list) => n + list.length, 0));
    expect(sorted(await createBackup(NOW))).toEqual(sorted(backup));
    // Every record restored is a change in the outbox, as any other write.
    expect(await db().outbox.count()).toBe(outcome.written);
  });

  it('replaces a school the device held, its outbox too', async () => {
    const backup = await demoBackup();
    await createSchool('Een andere school');
    await restoreBackup(await read(backup), 'replace');
    expect(sorted(await createBackup(NOW))).toEqual(sorted(backup));
    const kinds = new Set((await db().outbox.toArray()).map((entry) => entry.op));
    expect([...kinds]).toEqual(['insert']);
  });

  it('refuses a backup with one bad record whole, naming the table, the record and the field', async () => {
    const backup = await demoBackup();
    const responses = rows(backup, 'responses');
    const last = responses.length;
    responses[last - 1] = { ...responses[last - 1]!, value: 'zeven' };
    const result = await readBackupFile(JSON.stringify(backup));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toMatchObject({ reason: 'invalid-record', table: 'responses', position: last });
    expect(result.problem.id).toBe(responses[last - 1]!.id);
    expect(result.problem.field).toBe('value');
    expect(await db().responses.count()).toBe(0);
  });

  it('that fails half-way, after emptying the tables, leaves the device exactly as it was', async () => {
    const backup = await demoBackup();
    await restoreBackup(await read(backup), 'replace');
    const edited = structuredClone(backup);
    rows(edited, 'notes')[0]!.text = 'een andere tekst';
    const before = sorted(await createBackup(NOW));
    // The last write of the restore fails, as a full disk would make it.
    const outbox = db().outbox;
    const bulkAdd = outbox.bulkAdd.bind(outbox);
    outbox.bulkAdd = (() => Promise.reject(new Error('QuotaExceededError'))) as unknown as typeof outbox.bulkAdd;
    try {
      await expect(restoreBackup(await read(edited), 'replace')).rejects.toThrow(/QuotaExceeded/);
    } finally {
      outbox.bulkAdd = bulkAdd;
    }
    expect(sorted(await createBackup(NOW))).toEqual(before);
  });

  it.each([
    ['not JSON at all', (text: string) => text.slice(0, text.length / 2), 'not-json'],
    ['another kind of file', () => JSON.stringify({ format: 'iets anders', tables: {} }), 'not-a-backup'],
    [
      'a newer schema version',
      (text: string) => JSON.stringify({ ...JSON.parse(text), schemaVersion: 99 }),
      'newer-version',
    ],
    [
      'a table Meekijken does not know',
      (text: string) => {
        const value = JSON.parse(text);
        value.tables.__proto__ = [];
        return JSON.stringify(value).replace('"tables":{', '"tables":{"__proto__":[],');
      },
      'unknown-table',
    ],
    [
      'a record twice',
      (text: string) => {
        const value = JSON.parse(text);
        value.tables.notes.push(value.tables.notes[0]);
        return JSON.stringify(value);
      },
      'duplicate-id',
    ],
    [
      'no school',
      (text: string) => JSON.stringify({ ...JSON.parse(text), tables: { ...JSON.parse(text).tables, schools: [] } }),
      'no-school',
    ],
  ])('refuses %s with a reason, and writes nothing', async (_, spoil, reason) => {
    const text = spoil(JSON.stringify(await demoBackup()));
    const result = await readBackupFile(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.reason).toBe(reason);
    expect(await db().schools.count()).toBe(0);
  });

  it('brings a backup of an earlier schema version up to date with the same upgrades as the database', async () => {
    const backup = await demoBackup();
    const observations = rows(backup, 'observations');
    const completed = observations.find((o) => o.status === 'completed' && o.purpose !== 'self')!;
    const shared = observations.find((o) => o.status === 'shared' && o.purpose !== 'self')!;
    // As version 1 wrote them: "done" for completed; no reflections table yet, no requests, no drafts.
    const old = {
      ...backup,
      schemaVersion: 1,
      tables: {
        ...backup.tables,
        observations: observations.map((o) =>
          o.id === completed.id
            ? { ...o, status: 'done', completedAt: undefined }
            : o.id === shared.id
              ? { ...o, status: 'acknowledged' }
              : o,
        ),
      },
    };
    const restored = await read(old);
    expect(restored.summary.schemaVersion).toBe(1);
    await restoreBackup(restored, 'replace');
    expect(await db().observations.get(completed.id)).toMatchObject({
      status: 'completed',
      completedAt: completed.updatedAt,
    });
    expect(await db().observations.get(shared.id)).toMatchObject({ status: 'shared' });
  });

  describe('merging into what the device holds', () => {
    it('keeps the newer version of each record, never brings back a deletion, and never reopens an observation', async () => {
      const backup = await demoBackup();
      await restoreBackup(await read(backup), 'replace');
      const notes = await db().notes.toArray();
      const [mine, theirs, removedHere, removedThere] = notes;
      // On the device, after the backup: one note changed, one removed.
      await db().notes.put({ ...mine!, text: 'op het apparaat, later', updatedAt: NOW + 10 });
      await db().notes.put({ ...removedHere!, deletedAt: NOW + 5, updatedAt: NOW + 5 });
      // In the backup: another note changed later, one note removed there, the device's note changed earlier, and a
      // completed observation as an older draft.
      const completed = (await db().observations.where('status').equals('completed').first())!;
      const edited = structuredClone(backup);
      const backupNotes = rows(edited, 'notes');
      const at = (id: string) => backupNotes.findIndex((note) => note.id === id);
      backupNotes[at(mine!.id)] = { ...backupNotes[at(mine!.id)]!, text: 'in de backup, eerder', updatedAt: NOW + 1 };
      backupNotes[at(theirs!.id)] = {
        ...backupNotes[at(theirs!.id)]!,
        text: 'in de backup, later',
        updatedAt: NOW + 20,
      };
      backupNotes[at(removedHere!.id)] = {
        ...backupNotes[at(removedHere!.id)]!,
        text: 'nog eens',
        updatedAt: NOW + 30,
      };
      backupNotes[at(removedThere!.id)] = {
        ...backupNotes[at(removedThere!.id)]!,
        deletedAt: NOW + 2,
        updatedAt: NOW + 2,
      };
      const observations = rows(edited, 'observations');
      const o = observations.findIndex((record) => record.id === completed.id);
      observations[o] = { ...observations[o]!, status: 'draft', updatedAt: NOW + 40 };
      delete observations[o]!.completedAt;
      delete observations[o]!.summary;

      const outcome = await restoreBackup(await read(edited), 'merge');
      expect(outcome.written).toBe(2);
      expect((await db().notes.get(mine!.id))?.text).toBe('op het apparaat, later');
      expect((await db().notes.get(theirs!.id))?.text).toBe('in de backup, later');
      expect((await db().notes.get(removedHere!.id))?.deletedAt).toBe(NOW + 5);
      expect((await db().notes.get(removedThere!.id))?.deletedAt).toBe(NOW + 2);
      expect((await db().observations.get(completed.id))?.status).toBe('completed');
    });

    it('adds what the device lacks and keeps what only the device has', async () => {
      const backup = await demoBackup();
      const full = await read(backup);
      await restoreBackup(full, 'replace');
      const extra = (await db().notes.toArray())[0]!;
      // A backup from before that note was written.
      const older = structuredClone(backup);
      (older.tables as unknown as Record<string, Row[]>).notes = rows(older, 'notes').filter((n) => n.id !== extra.id);
      const removedGoal = rows(backup, 'goals')[0]!;
      await db().goals.delete(removedGoal.id);
      const outcome = await restoreBackup(await read(older), 'merge');
      expect(outcome.written).toBe(1);
      expect(await db().notes.get(extra.id)).toBeDefined();
      expect(await db().goals.get(removedGoal.id)).toEqual(removedGoal);
    });

    it('by a signed-in person: only what they may write comes back, as their own changes; the rest is left out', async () => {
      const backup = await demoBackup();
      await restoreBackup(await read(backup), 'replace');
      await db().outbox.clear();
      const goal = rows(backup, 'goals')[0]!;
      const teacher = (await db().people.get(String(goal.teacherId)))!;
      // A note in a lesson someone else observed: the teacher may not write it.
      const observations = await db().observations.toArray();
      const theirs = observations.find((o) => o.observerId !== teacher.id && o.observedId !== teacher.id)!;
      const note = (await db().notes.where('observationId').equals(theirs.id).first())!;
      const edited = structuredClone(backup);
      Object.assign(
        rows(edited, 'goals').find((g) => g.id === goal.id)!,
        { text: 'Elke les het lesdoel noemen.', updatedAt: NOW + 10 },
      );
      Object.assign(
        rows(edited, 'notes').find((n) => n.id === note.id)!,
        { text: 'Niet van mij.', updatedAt: NOW + 10 },
      );

      await expect(restoreBackup(await read(edited), 'replace', teacher)).rejects.toThrow(/only merges/);
      const outcome = await restoreBackup(await read(edited), 'merge', teacher);
      expect(outcome).toMatchObject({ written: 1, notYours: 1 });
      expect((await db().goals.get(goal.id))?.text).toBe('Elke les het lesdoel noemen.');
      expect((await db().notes.get(note.id))?.text).toBe(note.text);
      // What comes back is the teacher's change, which the school server judges when it is sent.
      expect((await db().outbox.toArray()).map((entry) => [entry.kind, entry.recordId, entry.actor])).toEqual([
        ['goal', goal.id, teacher.id],
      ]);
    });

    it('plans again when the school server changed a record while the merge was being judged', async () => {
      const backup = await demoBackup();
      await restoreBackup(await read(backup), 'replace');
      const note = rows(backup, 'notes')[0]!;
      const edited = structuredClone(backup);
      Object.assign(rows(edited, 'notes')[0]!, { text: 'uit de back-up', updatedAt: NOW + 10 });
      // While the merge judges, a pull brings a newer version of that note (a pull writes no outbox entry).
      const notes = db().notes;
      const toArray = notes.toArray.bind(notes);
      let pulled = false;
      notes.toArray = (async () => {
        const all = await toArray();
        if (!pulled) {
          pulled = true;
          setTimeout(
            () =>
              void notes.put({
                ...all.find((n) => n.id === note.id)!,
                text: 'van de server',
                updatedAt: NOW + 20,
              }),
          );
        }
        return all;
      }) as typeof notes.toArray;
      try {
        await restoreBackup(await read(edited), 'merge');
      } finally {
        notes.toArray = toArray;
      }
      expect(pulled).toBe(true);
      expect((await db().notes.get(note.id))?.text).toBe('van de server');
    });

    it("refuses another school's backup, and changes nothing", async () => {
      const backup = await demoBackup();
      await restoreBackup(await read(backup), 'replace');
      const before = sorted(await createBackup(NOW));
      const other = structuredClone(backup);
      rows(other, 'schools')[0]!.id = crypto.randomUUID();
      await expect(restoreBackup(await read(other), 'merge')).rejects.toMatchObject({
        problem: { reason: 'not-its-school' },
      });
      expect(sorted(await createBackup(NOW))).toEqual(before);
    });

    it('refuses a merge that would leave a record naming what the school no longer has, and changes nothing', async () => {
      const backup = await demoBackup();
      await restoreBackup(await read(backup), 'replace');
      // The device removed a team; the backup moved a colleague into it later.
      const [team, otherTeam] = rows(backup, 'teams');
      await db().teams.put({ ...(await db().teams.get(team!.id))!, deletedAt: NOW + 1, updatedAt: NOW + 1 });
      const edited = structuredClone(backup);
      const person = rows(edited, 'people').find((p) => p.teamId === otherTeam!.id)!;
      Object.assign(person, { teamId: team!.id, updatedAt: NOW + 50 });
      const before = sorted(await createBackup(NOW));
      const refused = restoreBackup(await read(edited), 'merge');
      await expect(refused).rejects.toBeInstanceOf(RestoreRefused);
      await expect(refused).rejects.toMatchObject({
        problem: { reason: 'invalid-record', table: 'people', id: person.id, field: 'teamId' },
      });
      expect(sorted(await createBackup(NOW))).toEqual(before);
    });
  });
});
