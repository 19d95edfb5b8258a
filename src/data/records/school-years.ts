import { alive, baseRecord, db } from '../database/db';
import { save, writeTransaction } from '../writes/local';
import type { SchoolYear, Timestamp } from '../../core/model/records';
import { schoolYearId, schoolYearOf } from '../../core/model/school-year';

export async function listSchoolYears(): Promise<SchoolYear[]> {
  return (await db().schoolYears.orderBy('startsOn').toArray()).filter((year) => alive(year));
}

/**
 * The school year a moment falls in, created by the app when it does not exist yet (Dutch school years:
 * 1 August – 31 July).
 */
export function ensureSchoolYear(at: Timestamp): Promise<SchoolYear> {
  const wanted = schoolYearOf(at);
  return writeTransaction(['schoolYear'], async () => {
    const existing = (await db().schoolYears.toArray()).find(
      (year) => alive(year) && year.startsOn <= wanted.startsOn && year.endsOn >= wanted.startsOn,
    );
    return (
      existing ??
      save('schoolYear', undefined, { ...baseRecord(null, at), id: schoolYearId(wanted.name), ...wanted }, 'system', {
        at,
      })
    );
  });
}
