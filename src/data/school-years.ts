import { alive, baseRecord, db } from './db';
import type { SchoolYear, Timestamp } from '../core/model/records';
import { schoolYearOf } from '../core/model/school-year';

export async function listSchoolYears(): Promise<SchoolYear[]> {
  return (await db().schoolYears.orderBy('startsOn').toArray()).filter((year) => alive(year));
}

/** The school year a moment falls in, created when it does not exist yet (Dutch school years: 1 August – 31 July). */
export async function ensureSchoolYear(at: Timestamp): Promise<SchoolYear> {
  const wanted = schoolYearOf(at);
  return db().transaction('rw', db().schoolYears, async () => {
    const existing = (await db().schoolYears.toArray()).find((year) => alive(year) && year.startsOn <= wanted.startsOn && year.endsOn >= wanted.startsOn);
    if (existing) return existing;
    const year: SchoolYear = { ...baseRecord(null), ...wanted };
    await db().schoolYears.add(year);
    return year;
  });
}
