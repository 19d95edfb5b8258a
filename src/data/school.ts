import { alive, baseRecord, db } from './db';
import type { School } from '../core/model/records';

/** The school of this workspace, or undefined before first-run set-up. */
export async function getSchool(): Promise<School | undefined> {
  const schools = await db().schools.toArray();
  return schools.find((school) => alive(school));
}

export async function createSchool(name: string): Promise<School> {
  const school: School = { ...baseRecord(null), name: name.trim() };
  await db().schools.add(school);
  return school;
}

export async function renameSchool(id: string, name: string): Promise<void> {
  await db().schools.update(id, { name: name.trim(), updatedAt: Date.now() });
}
