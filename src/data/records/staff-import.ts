/**
 * Importing the staff from a spreadsheet (the people screen): the file's bytes become text (UTF-8, with or without a
 * byte order mark, or Windows-1252, what Excel saves as "CSV" with Dutch settings), the text becomes rows (Papa Parse:
 * it detects the separator, a semicolon with Dutch settings, and handles quoted cells with separators and line
 * breaks inside), and the rows become a plan (src/core/people/staff-import.ts). Nothing is written until
 * `importStaff`, which writes the plan in one transaction through the write path: every colleague and team as a
 * change by the administrator, judged by the writer rules here and, on a signed-in tablet, again by the school
 * server when it is sent.
 */
import Papa from 'papaparse';
import { baseRecord, db } from '../database/db';
import { now, save, writeTransaction } from '../writes/local';
import { ownerOf } from './people';
import { nameKey, planStaffImport, type StaffPlan } from '../../core/people/staff-import';
import type { Actor } from '../../core/model/lifecycle';
import type { Person, Team, Uuid } from '../../core/model/records';

/** A staff list is small: a file larger than this is not one. */
export const STAFF_FILE_LIMIT = 1_000_000;

/** The text of a spreadsheet file: UTF-8 when it is valid UTF-8 (a byte order mark dropped), else Windows-1252. */
export function spreadsheetText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/**
 * The rows of a CSV text, each a list of cells; the separator is detected (comma, semicolon, tab). Empty lines stay
 * (the plan skips them), so a line's number is the row a spreadsheet shows it on.
 */
export function csvRows(text: string): string[][] {
  // Papa Parse guesses the separator from lines of equal length, so empty lines are left out for the guess only.
  const guessed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', delimitersToGuess: [';', ',', '\t', '|'] });
  const parsed = Papa.parse<string[]>(text, { delimiter: guessed.meta.delimiter });
  return parsed.data.filter((row) => Array.isArray(row)).map((row) => row.map((cell) => String(cell ?? '')));
}

export type StaffFilePlan = StaffPlan | { ok: false; reason: 'too-large' };

/** The plan for a staff list file, against the school's people and teams (archived ones too). Writes nothing. */
export async function planStaffFile(bytes: Uint8Array, importer?: Uuid): Promise<StaffFilePlan> {
  if (bytes.length > STAFF_FILE_LIMIT) return { ok: false, reason: 'too-large' };
  const [people, teams] = await Promise.all([db().people.toArray(), db().teams.toArray()]);
  return planStaffImport(
    csvRows(spreadsheetText(bytes)),
    people.filter((person) => person.deletedAt === undefined),
    teams.filter((team) => team.deletedAt === undefined),
    importer,
  );
}

export interface StaffImported {
  added: number;
  updated: number;
  teams: number;
}

/**
 * Writes a plan (`planStaffFile`) in one transaction: the new teams, then each new colleague and each change. The
 * rows with a problem and those that change nothing are left out. A colleague changed since the plan was made is
 * changed as the plan says, field by field; one removed since is left out.
 */
export async function importStaff(plan: Extract<StaffPlan, { ok: true }>, actor: Actor): Promise<StaffImported> {
  const at = now();
  return writeTransaction(['team', 'person'], async () => {
    const teams = (await db().teams.toArray()).filter((team) => team.deletedAt === undefined);
    const teamIds = new Map(teams.map((team) => [nameKey(team.name), team.id]));
    let added = 0;
    let updated = 0;
    let newTeams = 0;
    for (const name of plan.newTeams) {
      if (teamIds.has(nameKey(name))) continue;
      const team = await save('team', undefined, { ...baseRecord(ownerOf(actor), at), name } as Team, actor);
      teamIds.set(nameKey(name), team.id);
      newTeams++;
    }
    const teamOf = (name: string | null | undefined) => (name ? teamIds.get(nameKey(name)) : undefined);
    for (const planned of plan.rows) {
      if (planned.status === 'new') {
        const { row } = planned;
        const teamId = teamOf(row.team);
        const person: Person = {
          ...baseRecord(ownerOf(actor), at),
          name: row.name,
          role: row.role ?? 'teacher',
          starter: row.starter ?? false,
          ...(teamId ? { teamId } : {}),
          ...(row.email ? { email: row.email } : {}),
        };
        await save('person', undefined, person, actor);
        added++;
      } else if (planned.status === 'update') {
        const before = await db().people.get(planned.personId);
        if (!before || before.deletedAt !== undefined) continue;
        const { row } = planned;
        const { archivedAt: _archived, teamId: _team, coachId: _coach, ...rest } = before;
        const teamId = row.team === undefined ? before.teamId : teamOf(row.team);
        const starter = row.starter ?? before.starter;
        const next: Person = {
          ...rest,
          name: row.name,
          role: row.role ?? before.role,
          starter,
          ...(teamId ? { teamId } : {}),
          // A coach goes with being a starter.
          ...(starter && before.coachId ? { coachId: before.coachId } : {}),
          ...(row.email ? { email: row.email } : {}),
          // A colleague the list names again is back from the archive.
          ...(planned.changes.includes('restored') || before.archivedAt === undefined
            ? {}
            : { archivedAt: before.archivedAt }),
        };
        await save('person', before, next, actor, { at });
        updated++;
      }
    }
    return { added, updated, teams: newTeams };
  });
}
