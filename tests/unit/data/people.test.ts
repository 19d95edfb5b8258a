import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './harness';
import {
  addPerson,
  archivePerson,
  getPerson,
  listPeople,
  restorePerson,
  updatePerson,
} from '../../../src/data/records/people';
import { addTeam, archiveTeam, listTeams, renameTeam, restoreTeam } from '../../../src/data/records/teams';
import { createSchool, getSchool } from '../../../src/data/records/school';
import { getCurrentPersonId, setCurrentPerson } from '../../../src/data/records/device';
import {
  installShippedInstruments,
  listLatestInstruments,
  getInstalledInstrument,
} from '../../../src/data/records/instruments';
import { compareVersions, newestVersions } from '../../../src/core/instrument/versions';

const { db } = useFreshDatabase();

describe('school, teams and people', () => {
  it('creates the school once set up', async () => {
    expect(await getSchool()).toBeUndefined();
    const school = await createSchool('  OBS De Linde ');
    expect(await getSchool()).toEqual(school);
    expect(school.name).toBe('OBS De Linde');
  });

  it('adds, edits, archives and restores people', async () => {
    const team = await addTeam('Bovenbouw', null);
    const anna = await addPerson(
      { name: 'Anna Jansen', role: 'teacher', teamId: team.id, starter: true, focusQuestion: '  ' },
      null,
    );
    const bram = await addPerson({ name: 'Bram de Vries', role: 'coach', starter: false }, null);
    expect(anna).toMatchObject({ name: 'Anna Jansen', teamId: team.id, starter: true, owner: null });
    expect(anna).not.toHaveProperty('focusQuestion');
    expect(anna.createdAt).toBe(anna.updatedAt);

    await updatePerson(
      anna.id,
      { name: 'Anna Jansen-Smit', role: 'teacher', starter: false, focusQuestion: 'Hoe activeer ik iedereen?' },
      null,
    );
    const edited = await getPerson(anna.id);
    expect(edited).toMatchObject({
      name: 'Anna Jansen-Smit',
      starter: false,
      focusQuestion: 'Hoe activeer ik iedereen?',
    });
    expect(edited).not.toHaveProperty('teamId');

    await archivePerson(bram.id, null);
    expect((await listPeople()).map((p) => p.name)).toEqual(['Anna Jansen-Smit']);
    expect((await listPeople({ includeArchived: true })).map((p) => p.name)).toEqual([
      'Anna Jansen-Smit',
      'Bram de Vries',
    ]);
    await restorePerson(bram.id, null);
    expect((await listPeople()).map((p) => p.name)).toEqual(['Anna Jansen-Smit', 'Bram de Vries']);
  });

  it('renames, archives and restores teams', async () => {
    const a = await addTeam('Onderbouw', null);
    await addTeam('Bovenbouw', null);
    await renameTeam(a.id, 'Onderbouw (groep 1-2)', null);
    await archiveTeam(a.id, null);
    expect((await listTeams()).map((t) => t.name)).toEqual(['Bovenbouw']);
    await restoreTeam(a.id, null);
    expect((await listTeams()).map((t) => t.name)).toEqual(['Bovenbouw', 'Onderbouw (groep 1-2)']);
  });

  it('remembers who uses this device', async () => {
    expect(await getCurrentPersonId()).toBeUndefined();
    const anna = await addPerson({ name: 'Anna', role: 'teacher', starter: false }, null);
    await setCurrentPerson(anna.id);
    expect(await getCurrentPersonId()).toBe(anna.id);
  });
});

describe('installed instruments', () => {
  it('installs the shipped instruments once and never overwrites an installed version', async () => {
    await installShippedInstruments(1000);
    expect(await db().instruments.count()).toBe(6);
    const key = 'meekijken.lesobservatie@1.1.0';
    await db()
      .instruments.where('id')
      .equals(key)
      .modify((record) => {
        record.content.title.nl = 'Gewijzigd op dit apparaat';
      });
    await installShippedInstruments(2000);
    expect(await db().instruments.count()).toBe(6);
    const installed = await getInstalledInstrument(key);
    expect(installed?.content.title.nl).toBe('Gewijzigd op dit apparaat');
    expect(installed?.createdAt).toBe(1000);
    expect((await listLatestInstruments()).map((i) => i.id).sort()).toContain(key);
  });

  it('compares versions as numbers', () => {
    expect(compareVersions('1.10.0', '1.9.3')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
    expect(compareVersions('0.9.9', '1.0.0')).toBeLessThan(0);
    // Stored by key, "x@1.10.0" sorts before "x@1.9.0": the newest is chosen by version, not by storage order.
    const versions = [
      { id: 'x', version: '1.10.0' },
      { id: 'y', version: '2.0.0' },
      { id: 'x', version: '1.9.0' },
    ];
    expect(newestVersions(versions)).toEqual([versions[0], versions[1]]);
  });
});

describe('school years the app creates', () => {
  it('get the same id on every device, so two tablets starting the year offline make one record', async () => {
    const { ensureSchoolYear, listSchoolYears } = await import('../../../src/data/records/school-years');
    const year = await ensureSchoolYear(Date.UTC(2026, 8, 1));
    expect(year.id).toBe('school-year-2026-2027');
    expect((await ensureSchoolYear(Date.UTC(2027, 0, 10))).id).toBe(year.id);
    expect(await listSchoolYears()).toHaveLength(1);
  });
});
