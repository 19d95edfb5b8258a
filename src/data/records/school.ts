import { alive, baseRecord, db } from '../database/db';
import { now, save } from '../writes/local';
import type { School } from '../../core/model/records';
import type { Actor } from '../../core/model/lifecycle';

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
export async function setDueAfterDays(days: number | undefined, actor: Actor): Promise<void> {
  const before = await getSchool();
  if (!before) return;
  const { dueAfterDays: _old, ...rest } = before;
  await save('school', before, days === undefined ? rest : { ...rest, dueAfterDays: days }, actor);
}
