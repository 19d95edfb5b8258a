import { alive, baseRecord, db } from '../database/db';
import { now, save } from '../writes/local';
import type { Holiday, School } from '../../core/model/records';
import type { Actor } from '../../core/model/lifecycle';
import { sortedHolidays } from '../../core/model/holidays';
import { DEFAULT_TIME_ZONE, REMIND_SCHOOL_DAYS } from '../../core/notify/school-days';

/** The school of this workspace, or undefined before first-run set-up. */
export async function getSchool(): Promise<School | undefined> {
  const schools = await db().schools.toArray();
  return schools.find((school) => alive(school));
}

/** First run: nobody is chosen on the device yet, so the school is created by "nobody" (an administrator). */
export function createSchool(name: string): Promise<School> {
  return save('school', undefined, { ...baseRecord(null, now()), name: name.trim() }, null);
}

/** The school's number of days after which a waiting step of a feedback cycle is late; undefined: the default. */
export function setDueAfterDays(days: number | undefined, actor: Actor): Promise<void> {
  return changeSchool(actor, ({ dueAfterDays: _old, ...rest }) =>
    days === undefined ? rest : { ...rest, dueAfterDays: days },
  );
}

/** A change to the school record (a school leader's setting); every field the change does not set is kept. */
async function changeSchool(actor: Actor, change: (school: School) => School): Promise<void> {
  const before = await getSchool();
  if (!before) return;
  await save('school', before, change(before), actor);
}

/**
 * The school's time zone and after how many school days a waiting step gets an e-mail reminder (a school leader's
 * choice, for the school server's notices). A default is stored as no field, like a school that never chose.
 * Every other field of the school is kept.
 */
export function setSchoolCalendar(
  choice: { timeZone: string; remindAfterSchoolDays: number },
  actor: Actor,
): Promise<void> {
  return changeSchool(actor, ({ timeZone: _zone, remindAfterSchoolDays: _days, ...rest }) => ({
    ...rest,
    ...(choice.timeZone !== DEFAULT_TIME_ZONE ? { timeZone: choice.timeZone } : {}),
    ...(choice.remindAfterSchoolDays !== REMIND_SCHOOL_DAYS.default
      ? { remindAfterSchoolDays: choice.remindAfterSchoolDays }
      : {}),
  }));
}

/** The school's holidays, in calendar order; none: no field. Every other field of the school is kept. */
export function setHolidays(holidays: readonly Holiday[], actor: Actor): Promise<void> {
  return changeSchool(actor, ({ holidays: _old, ...rest }) =>
    holidays.length === 0 ? rest : { ...rest, holidays: sortedHolidays(holidays) },
  );
}
