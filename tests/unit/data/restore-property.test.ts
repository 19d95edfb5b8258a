/**
 * Hostile backups: a small school's backup, spoiled in every way a file can be (cut off, a wrong version, fields of
 * the wrong type, huge strings, HTML and script in texts, a record twice, formula characters), read and restored
 * into a device that holds a school already. Each is either refused with a reason, the device exactly as it was,
 * or restored whole, the device then holding exactly what the file says (texts as texts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { inOtherDatabase, useFreshDatabase } from './harness';
import { createBackup } from '../../../src/data/database/backup';
import { loadDemoSchool } from '../../../src/data/records/demo';
import { readBackupFile, restoreBackup, RestoreRefused } from '../../../src/data/records/restore';
import { useClock } from '../../../src/data/writes/local';
import { checkBackup } from '../../../src/core/backup/backup';
import { CURRENT_VERSION } from '../../../src/data/database/schema';

const { db } = useFreshDatabase();
const NOW = Date.UTC(2026, 10, 25, 9, 0);
useClock(() => NOW);

type Row = { id: string; [field: string]: unknown };
type Tables = Record<string, Row[]>;
type Backup = { format: string; schemaVersion: number; exportedAt: string; tables: Tables };

/**
 * The demo school cut down to three observations and everything they need: teams, people, school years, the
 * instruments they were made with, their responses, notes, feedback and reflections, and the goals.
 */
async function smallSchool(): Promise<Backup> {
  return inOtherDatabase(db(), async () => {
    await loadDemoSchool(NOW);
    const full = (await createBackup(NOW)) as unknown as Backup;
    const t = full.tables;
    const observations = t.observations!.filter((o) => !o.requestId && !o.aboutObservationId).slice(0, 3);
    const ids = new Set(observations.map((o) => o.id));
    const inThem = (list: Row[] = []) => list.filter((r) => ids.has(String(r.observationId ?? r.id)));
    const keys = new Set(observations.map((o) => o.instrumentKey));
    return {
      ...full,
      tables: {
        schools: t.schools!,
        teams: t.teams!,
        people: t.people!,
        schoolYears: t.schoolYears!,
        instruments: t.instruments!.filter((i) => keys.has(i.id)),
        observations,
        responses: inThem(t.responses),
        notes: inThem(t.notes),
        feedback: inThem(t.feedback),
        reflections: inThem(t.reflections),
        goals: t.goals!,
      },
    };
  });
}

const sorted = (tables: object) =>
  Object.fromEntries(
    Object.entries(tables)
      .filter(([, list]) => (list as Row[]).length > 0)
      .map(([table, list]) => [table, [...(list as Row[])].sort((a, b) => a.id.localeCompare(b.id))]),
  );

const HOSTILE_TEXTS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '=HYPERLINK("http://x")',
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  '"; DROP TABLE records; --',
  '\u0000\u0007',
  '\ud800',
  'x'.repeat(100_000),
];

/** One way to spoil a backup, applied to a copy of its JSON value or to its text. */
type Spoil = { text: (text: string) => string } | { value: (backup: Backup) => void };

const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);
/** The records of a table, when an earlier spoil left it a list. */
const listOf = (backup: Backup, tables: string[], t: number): Row[] => {
  const list: unknown = backup.tables[pick(tables, t)!];
  return Array.isArray(list) ? list : [];
};
/** A record of a table, when an earlier spoil left it one. */
const recordOf = (backup: Backup, tables: string[], t: number, r: number): Row | undefined => {
  const record: unknown = pick(listOf(backup, tables, t), r);
  return typeof record === 'object' && record !== null && !Array.isArray(record) ? (record as Row) : undefined;
};

const spoil = (tables: string[]): fc.Arbitrary<Spoil> =>
  fc.oneof(
    // Hostile but valid text where a teacher types (a note): restored as the text it is.
    fc.tuple(fc.nat(), fc.constantFrom(...HOSTILE_TEXTS.slice(0, 7), 'é'.repeat(5_000))).map(([r, text]) => ({
      value: (backup: Backup) => {
        const note = recordOf(backup, ['notes'], 0, r);
        if (note) note.text = text;
      },
    })),
    fc.nat().map((at) => ({ text: (text: string) => text.slice(0, at % text.length) })),
    fc.anything().map((version) => ({
      value: (backup: Backup) => {
        (backup as { schemaVersion: unknown }).schemaVersion = version;
      },
    })),
    fc.tuple(fc.nat(), fc.nat(), fc.string(), fc.jsonValue()).map(([t, r, field, value]) => ({
      value: (backup: Backup) => {
        const record = recordOf(backup, tables, t, r);
        if (record) record[field || 'id'] = value;
      },
    })),
    fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.constantFrom(...HOSTILE_TEXTS)).map(([t, r, f, text]) => ({
      value: (backup: Backup) => {
        const record = recordOf(backup, tables, t, r);
        const field = record && pick(Object.keys(record), f);
        if (record && field) record[field] = typeof record[field] === 'string' ? text : [text];
      },
    })),
    fc.tuple(fc.nat(), fc.nat()).map(([t, r]) => ({
      value: (backup: Backup) => {
        const list = listOf(backup, tables, t);
        const record = recordOf(backup, tables, t, r);
        if (record) list.push(structuredClone(record));
      },
    })),
    fc.nat().map((t) => ({
      value: (backup: Backup) => {
        delete backup.tables[pick(tables, t)!];
      },
    })),
    fc.tuple(fc.nat(), fc.jsonValue()).map(([t, value]) => ({
      value: (backup: Backup) => {
        (backup.tables as Record<string, unknown>)[pick(tables, t)!] = value;
      },
    })),
  );

describe('hostile backups', () => {
  it('are refused with a reason and change nothing, or restore exactly what they say', async () => {
    const base = await smallSchool();
    const tables = Object.keys(base.tables);
    // The device holds a school already: the demo school's small copy, with a note of its own.
    await restoreBackup(
      await readBackupFile(JSON.stringify(base)).then((r) => {
        if (!r.ok) throw new Error(JSON.stringify(r.problem));
        return r.read;
      }),
      'replace',
    );
    const held = sorted((await createBackup(NOW)).tables);
    let refused = 0;
    let restored = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(spoil(tables), { minLength: 1, maxLength: 3 }), fc.boolean(), async (spoils, merge) => {
        const value = structuredClone(base);
        const textSpoils = spoils.filter((s): s is { text: (text: string) => string } => 'text' in s);
        for (const s of spoils) if ('value' in s) s.value(value);
        let text = JSON.stringify(value);
        for (const s of textSpoils) text = s.text(text);

        const result = await readBackupFile(text);
        if (!result.ok) {
          refused++;
          expect(result.problem.reason).toMatch(/^[a-z-]+$/);
          expect(sorted((await createBackup(NOW)).tables)).toEqual(held);
          return;
        }
        try {
          await restoreBackup(result.read, merge ? 'merge' : 'replace');
        } catch (error) {
          expect(error).toBeInstanceOf(RestoreRefused);
          refused++;
          expect(sorted((await createBackup(NOW)).tables)).toEqual(held);
          return;
        }
        restored++;
        const expected = checkBackup(JSON.parse(text), CURRENT_VERSION);
        if (!expected.ok) throw new Error('read but not checked');
        const now = sorted((await createBackup(NOW)).tables);
        if (!merge) expect(now).toEqual(sorted(expected.backup.tables));
        // Put the device back as it was for the next run.
        await restoreBackup(
          await readBackupFile(JSON.stringify(base)).then((r) => {
            if (!r.ok) throw new Error(JSON.stringify(r.problem));
            return r.read;
          }),
          'replace',
        );
      }),
      { numRuns: 200 },
    );
    // Both ways were taken: the property would hold trivially if every file were refused. (About 9 in 10 are refused
    // and 1 in 10 restored; a bound any closer to those would fail now and then by chance alone.)
    expect(refused).toBeGreaterThan(20);
    expect(restored).toBeGreaterThan(0);
  }, 240_000);
});
