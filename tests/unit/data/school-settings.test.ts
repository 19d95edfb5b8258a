/**
 * A school leader's calendar settings on the school record (src/data/records/school.ts): the time zone and reminder
 * interval, and the holidays, each keeping every other field of the school, a default stored as no field, and the
 * change in the outbox for the server.
 */
import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './harness';
import {
  createSchool,
  getSchool,
  setDueAfterDays,
  setHolidays,
  setSchoolCalendar,
} from '../../../src/data/records/school';
import { addPerson } from '../../../src/data/records/people';
import { DEFAULT_TIME_ZONE, REMIND_SCHOOL_DAYS } from '../../../src/core/notify/school-days';

const { db } = useFreshDatabase();

describe("the school's calendar settings", () => {
  it('sets the time zone and the reminder interval, keeping the other fields; the defaults are no field', async () => {
    await createSchool('OBS De Linde');
    const leader = await addPerson({ name: 'Yara', role: 'leader', starter: false }, null);
    await setDueAfterDays(21, leader);
    await setHolidays([{ name: 'Kerstvakantie', startsOn: '2026-12-21', endsOn: '2027-01-01' }], leader);

    await setSchoolCalendar({ timeZone: 'Europe/Brussels', remindAfterSchoolDays: 3 }, leader);
    expect(await getSchool()).toMatchObject({
      name: 'OBS De Linde',
      dueAfterDays: 21,
      timeZone: 'Europe/Brussels',
      remindAfterSchoolDays: 3,
      holidays: [{ name: 'Kerstvakantie', startsOn: '2026-12-21', endsOn: '2027-01-01' }],
    });
    const last = (await db().outbox.toArray()).at(-1)!;
    expect(last).toMatchObject({ kind: 'school', op: 'patch' });
    expect(last.fields).toMatchObject({ timeZone: 'Europe/Brussels', remindAfterSchoolDays: 3 });

    // Back to the defaults: the fields go (null in the change, so the server drops them too).
    await setSchoolCalendar({ timeZone: DEFAULT_TIME_ZONE, remindAfterSchoolDays: REMIND_SCHOOL_DAYS.default }, leader);
    const school = await getSchool();
    expect(school).not.toHaveProperty('timeZone');
    expect(school).not.toHaveProperty('remindAfterSchoolDays');
    expect(school).toMatchObject({ dueAfterDays: 21, holidays: [expect.anything()] });
    expect((await db().outbox.toArray()).at(-1)!.fields).toMatchObject({ timeZone: null, remindAfterSchoolDays: null });
  });

  it('keeps the holidays in calendar order with trimmed names, and none as no field', async () => {
    await createSchool('OBS De Linde');
    const leader = await addPerson({ name: 'Yara', role: 'leader', starter: false }, null);
    await setHolidays(
      [
        { name: ' Meivakantie ', startsOn: '2027-04-26', endsOn: '2027-05-07' },
        { name: 'Studiedag', startsOn: '2026-11-12', endsOn: '2026-11-12' },
        { name: 'Herfstvakantie', startsOn: '2026-10-19', endsOn: '2026-10-23' },
      ],
      leader,
    );
    expect((await getSchool())?.holidays?.map((holiday) => holiday.name)).toEqual([
      'Herfstvakantie',
      'Studiedag',
      'Meivakantie',
    ]);
    await setHolidays([], leader);
    expect(await getSchool()).not.toHaveProperty('holidays');
  });

  it('is refused for a teacher: the school is its leaders’ to change', async () => {
    await createSchool('OBS De Linde');
    const teacher = await addPerson({ name: 'Bram', role: 'teacher', starter: false }, null);
    await expect(setSchoolCalendar({ timeZone: 'Europe/London', remindAfterSchoolDays: 2 }, teacher)).rejects.toThrow();
    await expect(
      setHolidays([{ name: 'Studiedag', startsOn: '2026-11-12', endsOn: '2026-11-12' }], teacher),
    ).rejects.toThrow();
    expect(await getSchool()).not.toHaveProperty('timeZone');
  });
});
