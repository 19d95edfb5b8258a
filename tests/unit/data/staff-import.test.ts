import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { useFreshDatabase } from './harness';
import { createSchool } from '../../../src/data/records/school';
import { addPerson, listPeople } from '../../../src/data/records/people';
import { addTeam, listTeams } from '../../../src/data/records/teams';
import {
  csvRows,
  importStaff,
  planStaffFile,
  spreadsheetText,
  type StaffFilePlan,
} from '../../../src/data/records/staff-import';
import { useClock } from '../../../src/data/writes/local';
import type { Person } from '../../../src/core/model/records';

const { db } = useFreshDatabase();
const NOW = Date.UTC(2026, 10, 25, 9, 0);
useClock(() => NOW);

const utf8 = (text: string) => new TextEncoder().encode(text);
/** Windows-1252, as Excel saves "CSV" with Dutch settings: é is one byte, 0xE9. */
const cp1252 = (text: string) =>
  Uint8Array.from([...text].map((c) => ({ é: 0xe9, ë: 0xeb, ü: 0xfc, ï: 0xef, '’': 0x92 })[c] ?? c.charCodeAt(0)));

/** The administrator who imports: a school leader of a school with one team. */
async function school(): Promise<Person> {
  await createSchool('OBS De Linde');
  return addPerson({ name: 'Ilse de Boer', role: 'leader', starter: false }, 'system');
}

const planned = (plan: StaffFilePlan) => {
  if (!plan.ok) throw new Error(`no plan: ${plan.reason}`);
  return plan;
};
const summary = (people: Person[]) => people.map((p) => `${p.name}|${p.role}|${p.starter}|${p.email ?? ''}`).sort();

const LIST = [
  'Naam;Rol;Team;Startend;E-mail',
  'Anouk Jansen;leerkracht;Onderbouw;nee;anouk@delinde.nl',
  'Bram Visser;Leerkracht;Bovenbouw;ja;',
  'Chantal Bakker;Intern begeleider;;nee;chantal@delinde.nl',
  '"Dirk van der Berg";leraar;"Onderbouw";;dirk@delinde.nl',
].join('\r\n');

describe('importing the staff from a spreadsheet', () => {
  it('reads what Excel and LibreOffice save: semicolons, a byte order mark, Windows-1252, quoted cells', () => {
    expect(csvRows(spreadsheetText(utf8('\ufeffNaam;Rol\r\nRené;leerkracht')))).toEqual([
      ['Naam', 'Rol'],
      ['René', 'leerkracht'],
    ]);
    expect(csvRows(spreadsheetText(cp1252('Naam;Rol\r\nRené Müller;leerkracht')))).toEqual([
      ['Naam', 'Rol'],
      ['René Müller', 'leerkracht'],
    ]);
    expect(csvRows('Name,Role\n"Smit, Jan","teacher"\n"Line\nbreak",coach')).toEqual([
      ['Name', 'Role'],
      ['Smit, Jan', 'teacher'],
      ['Line\nbreak', 'coach'],
    ]);
  });

  it('shows the plan first and writes nothing; imported, the team is there; imported again, nothing changes', async () => {
    const me = await school();
    const plan = planned(await planStaffFile(utf8(LIST), me.id));
    expect(plan.rows.map((row) => row.status)).toEqual(['new', 'new', 'new', 'new']);
    expect(plan.newTeams).toEqual(['Onderbouw', 'Bovenbouw']);
    expect(await db().people.count()).toBe(1);

    expect(await importStaff(plan, me)).toEqual({ added: 4, updated: 0, teams: 2 });
    const people = await listPeople();
    expect(summary(people)).toEqual([
      'Anouk Jansen|teacher|false|anouk@delinde.nl',
      'Bram Visser|teacher|true|',
      'Chantal Bakker|coach|false|chantal@delinde.nl',
      'Dirk van der Berg|teacher|false|dirk@delinde.nl',
      'Ilse de Boer|leader|false|',
    ]);
    const teams = await listTeams();
    const onderbouw = teams.find((t) => t.name === 'Onderbouw')!;
    expect(people.filter((p) => p.teamId === onderbouw.id).map((p) => p.name)).toEqual([
      'Anouk Jansen',
      'Dirk van der Berg',
    ]);

    const again = planned(await planStaffFile(utf8(LIST), me.id));
    expect(again.rows.map((row) => row.status)).toEqual(['same', 'same', 'same', 'same']);
    expect(again.newTeams).toEqual([]);
    const outbox = await db().outbox.count();
    expect(await importStaff(again, me)).toEqual({ added: 0, updated: 0, teams: 0 });
    expect(await db().outbox.count()).toBe(outbox);
  });

  it('updates the same colleagues from a changed list, by e-mail address or else by name, and leaves the rest', async () => {
    const me = await school();
    await importStaff(planned(await planStaffFile(utf8(LIST), me.id)), me);
    const changed = [
      'E-mailadres,Voornaam,Tussenvoegsel,Achternaam,Functie,Groep,Starter',
      // A new surname, found by her address.
      'anouk@delinde.nl,Anouk,,de Wit,leerkracht,Onderbouw,nee',
      // No address: found by name, now no longer starting.
      ',Bram,,Visser,leerkracht,Bovenbouw,nee',
      // An address added to someone known by name.
      'bram.visser@delinde.nl,Bram,,Visser,leerkracht,Bovenbouw,nee',
    ].join('\n');
    const plan = planned(await planStaffFile(utf8(changed), me.id));
    expect(plan.rows.map((row) => row.status)).toEqual(['update', 'update', 'problem']);
    expect(plan.rows[0]).toMatchObject({ changes: ['name'] });
    expect(plan.rows[1]).toMatchObject({ changes: ['starter'] });
    // Bram twice: once by name, once by a new address that is his too.
    expect(plan.rows[2]).toMatchObject({ problems: ['twice-in-list'], duplicateOf: 3 });
    await importStaff(plan, me);
    expect(summary(await listPeople())).toEqual([
      'Anouk de Wit|teacher|false|anouk@delinde.nl',
      'Bram Visser|teacher|false|',
      'Chantal Bakker|coach|false|chantal@delinde.nl',
      'Dirk van der Berg|teacher|false|dirk@delinde.nl',
      'Ilse de Boer|leader|false|',
    ]);
  });

  it('marks each bad row with why, and imports only the good ones once confirmed', async () => {
    const me = await school();
    await addPerson({ name: 'Sam de Vries', role: 'teacher', starter: false }, me);
    await addPerson({ name: 'Sam  de vries', role: 'teacher', starter: false }, me);
    const list = [
      'naam;rol;startend;email',
      ';leerkracht;nee;', // no name
      'Eva Smit;conciërge;nee;', // a role Meekijken does not have
      'Fleur Dekker;leerkracht;misschien;', // starter neither yes nor no
      'Gijs Mol;leerkracht;nee;gijs@', // not an address
      'Sam de Vries;leerkracht;nee;', // two colleagues of that name
      'Ilse de Boer;leerkracht;nee;', // the importer's own role
      'Hanna Kok;leerkracht;ja;hanna@delinde.nl',
      'Hanna Kok;leerkracht;ja;hanna@delinde.nl', // twice
    ].join('\n');
    const plan = planned(await planStaffFile(utf8(list), me.id));
    expect(plan.rows.map((row) => (row.status === 'problem' ? row.problems.join(',') : row.status))).toEqual([
      'no-name',
      'unknown-role',
      'unknown-starter',
      'invalid-email',
      'same-name-twice',
      'own-role',
      'new',
      'twice-in-list',
    ]);
    expect(plan.rows.map((row) => row.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await importStaff(plan, me)).toMatchObject({ added: 1 });
    expect((await listPeople()).map((p) => p.name)).toContain('Hanna Kok');
    expect((await listPeople()).find((p) => p.id === me.id)?.role).toBe('leader');
  });

  it('leaves what the list has no column for as the school has it', async () => {
    const me = await school();
    const team = await addTeam('Middenbouw', me);
    await addPerson({ name: 'Kees Bos', role: 'coach', starter: true, teamId: team.id }, me);
    const plan = planned(await planStaffFile(utf8('Naam\nKees Bos\nLotte Mol\n'), me.id));
    expect(plan.rows.map((row) => row.status)).toEqual(['same', 'new']);
    await importStaff(plan, me);
    const people = await listPeople();
    expect(people.find((p) => p.name === 'Kees Bos')).toMatchObject({ role: 'coach', starter: true, teamId: team.id });
    expect(people.find((p) => p.name === 'Lotte Mol')).toMatchObject({ role: 'teacher', starter: false });
  });

  it('finds the headings below empty lines, and counts lines as the spreadsheet shows them', async () => {
    const me = await school();
    const plan = planned(await planStaffFile(utf8(';;\n\nNaam;Rol\nMira Kok;leerkracht\n'), me.id));
    expect(plan.rows).toMatchObject([{ line: 4, status: 'new', row: { name: 'Mira Kok', role: 'teacher' } }]);
  });

  it('refuses a file that is no staff list, and one too large, with a reason', async () => {
    const me = await school();
    expect(await planStaffFile(utf8(''), me.id)).toEqual({ ok: false, reason: 'empty' });
    expect(await planStaffFile(utf8('Kleur;Maat\nrood;M\n'), me.id)).toEqual({ ok: false, reason: 'no-name-column' });
    expect(await planStaffFile(new Uint8Array(1_000_001), me.id)).toEqual({ ok: false, reason: 'too-large' });
  });

  it('a teacher may not import: the writer rules refuse it, and nothing is written', async () => {
    const me = await school();
    const teacher = await addPerson({ name: 'Piet Klaas', role: 'teacher', starter: false }, me);
    const plan = planned(await planStaffFile(utf8(LIST), teacher.id));
    await expect(importStaff(plan, teacher)).rejects.toThrow();
    expect(await db().people.count()).toBe(2);
    expect(await db().teams.count()).toBe(0);
  });

  it('hostile lists (formula characters, HTML, control characters, huge cells, any bytes) are refused by row or imported as text', async () => {
    const me = await school();
    const hostile = fc.oneof(
      fc.constantFrom(
        '=cmd|"/c calc"!A1',
        '+1+1',
        '-2',
        '@SUM(A1)',
        '<script>alert(1)</script>',
        '\u0000',
        'x'.repeat(300),
      ),
      fc.string({ maxLength: 30 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(hostile, fc.constantFrom('leerkracht', 'coach', '', '=1+1'), hostile), { maxLength: 6 }),
        fc.constantFrom(';', ',', '\t'),
        fc.uint8Array({ maxLength: 40 }),
        async (rows, separator, noise) => {
          const quote = (cell: string) => `"${cell.replaceAll('"', '""')}"`;
          const text =
            ['Naam', 'Rol', 'Team'].join(separator) + '\n' + rows.map((r) => r.map(quote).join(separator)).join('\n');
          const bytes = new Uint8Array([...utf8(text), ...noise]);
          const before = await db().people.count();
          const plan = await planStaffFile(bytes, me.id);
          if (!plan.ok) {
            expect(['empty', 'no-name-column', 'too-many-rows', 'too-large']).toContain(plan.reason);
            return;
          }
          const fine = plan.rows.filter((row) => row.status === 'new');
          await importStaff(plan, me);
          expect(await db().people.count()).toBe(before + fine.length);
          for (const row of fine)
            if (row.status === 'new')
              expect((await db().people.toArray()).some((p) => p.name === row.row.name)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  }, 120_000);
});
