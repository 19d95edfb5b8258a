/**
 * A school's staff list, as a spreadsheet saves it (rows of cells, already split by a CSV parser), read into a plan:
 * for each row the colleague it adds, the changes it makes to one the school has, nothing at all, or why it cannot
 * be read. Nothing here writes; the plan is shown first and written only once confirmed.
 *
 * - Columns are found by their heading, in Dutch or English, in any order: a name (or first name, infix and last
 *   name), a role, a team (or group), whether the colleague is a starting teacher, and an e-mail address. Only the
 *   name is required.
 * - The stable key: a row with an e-mail address is the colleague with that address (case ignored), or else the one
 *   with that name who has no address yet; a row without one is the colleague with that name (case, accents kept,
 *   and spaces ignored). So importing the same list again changes nothing, and a changed list updates the same
 *   colleagues. Colleagues the list does not name are left as they are: a list is never a reason to archive anyone.
 * - A team the list names that the school does not have is added with the list.
 */
import { isValidEmail, isValidName } from '../sync/content';
import type { Person, Role, Team, Uuid } from '../model/records';

type StaffColumn = 'name' | 'firstName' | 'infix' | 'lastName' | 'role' | 'team' | 'starter' | 'email';

/** Headings that name each column (compared lowercased, without accents, spaces and punctuation). */
const HEADINGS: Record<StaffColumn, readonly string[]> = {
  name: ['naam', 'name', 'volledigenaam', 'fullname', 'medewerker', 'collega', 'leerkracht'],
  firstName: ['voornaam', 'roepnaam', 'firstname', 'givenname'],
  infix: ['tussenvoegsel', 'tussenvoegsels', 'tussenv', 'infix', 'prefix'],
  lastName: ['achternaam', 'lastname', 'surname', 'familienaam'],
  role: ['rol', 'role', 'functie', 'function'],
  team: ['team', 'groep', 'bouw', 'unit', 'group', 'afdeling'],
  starter: ['starter', 'startend', 'startende', 'startendeleerkracht', 'beginnend', 'startingteacher', 'new'],
  email: ['email', 'mail', 'emailadres', 'mailadres', 'emailaddress'],
};

/** Words for each role, as schools write them (compared like headings). */
const ROLE_WORDS: Record<Role, readonly string[]> = {
  teacher: [
    'leerkracht',
    'leraar',
    'lerares',
    'groepsleerkracht',
    'vakleerkracht',
    'docent',
    'juf',
    'meester',
    'teacher',
  ],
  leader: [
    'schoolleider',
    'directeur',
    'adjunctdirecteur',
    'locatieleider',
    'teamleider',
    'meerschoolsdirecteur',
    'leader',
    'schoolleader',
    'director',
    'principal',
  ],
  coach: ['coach', 'internbegeleider', 'ib', 'iber', 'begeleider', 'mentor', 'schoolopleider', 'opleider'],
};
const YES = ['ja', 'j', 'yes', 'y', 'x', '1', 'waar', 'true', 'starter', 'startend'];
const NO = ['nee', 'n', 'no', '0', 'onwaar', 'false', ''];

/** At most this many rows: a school board's staff is far fewer. */
const STAFF_ROW_LIMIT = 2_000;

/** Lowercased, without accents, spaces and punctuation: "E-mail adres" and "emailadres" are the same heading. */
const plain = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');

/** A name as a key: case and spaces ignored, accents kept (Muller and Müller are two people). */
export const nameKey = (name: string) => name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('nl');
const emailKey = (email: string) => email.trim().toLowerCase();

export type RowProblem =
  | 'no-name'
  | 'invalid-name'
  | 'unknown-role'
  | 'unknown-starter'
  | 'invalid-email'
  | 'invalid-team'
  | 'twice-in-list'
  | 'same-name-twice'
  | 'own-role';

/**
 * What one row asks for, read from its cells. A field whose column the list does not have is undefined: it is left
 * as the school has it (a new colleague is then a teacher, not a starter, in no team).
 */
interface StaffRow {
  name: string;
  role?: Role;
  /** The team's name as the list gives it; null: the list says no team (an empty cell). */
  team?: string | null;
  starter?: boolean;
  email?: string;
}

type PersonField = 'name' | 'role' | 'team' | 'starter' | 'email' | 'restored';

export type PlannedRow =
  | { line: number; status: 'new'; row: StaffRow; newTeam: boolean }
  | { line: number; status: 'update'; row: StaffRow; personId: Uuid; changes: PersonField[]; newTeam: boolean }
  | { line: number; status: 'same'; row: StaffRow; personId: Uuid }
  | { line: number; status: 'problem'; problems: RowProblem[]; cells: string[]; duplicateOf?: number };

export type StaffPlan =
  | { ok: true; rows: PlannedRow[]; newTeams: string[]; columns: Partial<Record<StaffColumn, number>> }
  | { ok: false; reason: 'empty' | 'no-name-column' | 'too-many-rows' };

/** The columns a heading row names; a heading no column has is left out (a spreadsheet often has more). */
function findColumns(headings: readonly string[]): Partial<Record<StaffColumn, number>> {
  const columns: Partial<Record<StaffColumn, number>> = {};
  headings.forEach((heading, index) => {
    const key = plain(heading);
    for (const [column, words] of Object.entries(HEADINGS) as [StaffColumn, readonly string[]][])
      if (columns[column] === undefined && words.includes(key)) {
        columns[column] = index;
        return;
      }
  });
  return columns;
}

const roleOf = (text: string): Role | undefined => {
  const key = plain(text);
  if (key === '') return 'teacher';
  return (Object.entries(ROLE_WORDS) as [Role, readonly string[]][]).find(([, words]) => words.includes(key))?.[0];
};

const starterOf = (text: string): boolean | undefined => {
  const key = plain(text);
  if (YES.includes(key)) return true;
  if (NO.includes(key)) return false;
  return undefined;
};

/** One row's cells read by the columns found; its problems, when it has any. */
function readRow(cells: readonly string[], columns: Partial<Record<StaffColumn, number>>) {
  const cell = (column: StaffColumn) => {
    const index = columns[column];
    return index === undefined ? '' : (cells[index] ?? '').trim().replace(/\s+/g, ' ');
  };
  const has = (column: StaffColumn) => columns[column] !== undefined;
  const problems: RowProblem[] = [];
  const name =
    columns.name !== undefined
      ? cell('name')
      : [cell('firstName'), cell('infix'), cell('lastName')].filter((part) => part !== '').join(' ');
  if (name === '') problems.push('no-name');
  else if (!isValidName(name)) problems.push('invalid-name');
  const role = roleOf(cell('role'));
  if (has('role') && !role) problems.push('unknown-role');
  const starter = starterOf(cell('starter'));
  if (has('starter') && starter === undefined) problems.push('unknown-starter');
  const email = cell('email');
  if (email !== '' && !isValidEmail(email)) problems.push('invalid-email');
  const team = cell('team');
  if (team !== '' && !isValidName(team)) problems.push('invalid-team');
  const row: StaffRow = {
    name,
    ...(has('role') && role ? { role } : {}),
    ...(has('starter') && starter !== undefined ? { starter } : {}),
    ...(has('team') ? { team: team || null } : {}),
    ...(email ? { email } : {}),
  };
  return { row, problems };
}

/**
 * The plan for a staff list: `rows` are the parsed cells, the first row the headings; `people` and `teams` what the
 * school has (archived ones too); `importer` the administrator importing, whose own role a list may not change
 * (they would lose the right to finish). Lines are counted as a spreadsheet shows them, headings on line 1.
 */
export function planStaffImport(
  rows: readonly (readonly string[])[],
  people: readonly Person[],
  teams: readonly Team[],
  importer?: Uuid,
): StaffPlan {
  const blank = (cells: readonly string[]) => cells.every((cell) => cell.trim() === '');
  const content = rows.filter((cells) => !blank(cells));
  if (content.length < 2) return { ok: false, reason: 'empty' };
  /** The headings are the first line that is not blank (a spreadsheet may start with empty lines). */
  const headingIndex = rows.findIndex((cells) => !blank(cells));
  if (content.length - 1 > STAFF_ROW_LIMIT) return { ok: false, reason: 'too-many-rows' };
  const columns = findColumns(content[0]!);
  if (columns.name === undefined && columns.firstName === undefined && columns.lastName === undefined)
    return { ok: false, reason: 'no-name-column' };

  const byEmail = new Map(people.filter((p) => p.email).map((p) => [emailKey(p.email!), p]));
  const byName = new Map<string, Person[]>();
  for (const person of people) byName.set(nameKey(person.name), [...(byName.get(nameKey(person.name)) ?? []), person]);
  const teamByName = new Map(teams.filter((team) => !team.deletedAt).map((team) => [nameKey(team.name), team]));
  const newTeams = new Map<string, string>();
  const seen = new Map<string, number>();
  const matched = new Map<Uuid, number>();

  const planned: PlannedRow[] = [];
  rows.forEach((cells, index) => {
    const line = index + 1;
    if (index <= headingIndex || blank(cells)) return;
    const { row, problems } = readRow(cells, columns);
    const key = row.email ? `@${emailKey(row.email)}` : nameKey(row.name);
    const duplicateOf = seen.get(key);
    if (problems.length === 0 && duplicateOf !== undefined) problems.push('twice-in-list');
    let person: Person | undefined;
    if (problems.length === 0) {
      const sameName = (byName.get(nameKey(row.name)) ?? []).filter((p) => !row.email || !p.email);
      person =
        (row.email ? byEmail.get(emailKey(row.email)) : undefined) ?? (sameName.length === 1 ? sameName[0] : undefined);
      if (!person && sameName.length > 1) problems.push('same-name-twice');
      // Two rows (one by address, one by name) may point at the same colleague.
      if (person && matched.has(person.id)) problems.push('twice-in-list');
      if (person && person.id === importer && row.role && person.role !== row.role) problems.push('own-role');
    }
    if (problems.length > 0) {
      const found = duplicateOf ?? (person ? matched.get(person.id) : undefined);
      planned.push({ line, status: 'problem', problems, cells: [...cells], ...(found ? { duplicateOf: found } : {}) });
      return;
    }
    seen.set(key, line);
    const team = row.team ? teamByName.get(nameKey(row.team)) : undefined;
    const newTeam = !!row.team && !team && !newTeams.has(nameKey(row.team));
    if (row.team && !team && newTeam) newTeams.set(nameKey(row.team), row.team);
    if (!person) {
      planned.push({ line, status: 'new', row, newTeam });
      return;
    }
    matched.set(person.id, line);
    const changes: PersonField[] = [];
    if (person.name !== row.name) changes.push('name');
    if (row.role && person.role !== row.role) changes.push('role');
    if (row.team !== undefined && (row.team === null ? undefined : (team?.id ?? 'new')) !== person.teamId)
      changes.push('team');
    if (row.starter !== undefined && person.starter !== row.starter) changes.push('starter');
    if (row.email && person.email !== row.email) changes.push('email');
    if (person.archivedAt !== undefined) changes.push('restored');
    planned.push(
      changes.length === 0
        ? { line, status: 'same', row, personId: person.id }
        : { line, status: 'update', row, personId: person.id, changes, newTeam },
    );
  });
  return { ok: true, rows: planned, newTeams: [...newTeams.values()], columns };
}
