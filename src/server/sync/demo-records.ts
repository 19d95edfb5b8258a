/**
 * The demo school as records for the server (`POST /api/school/demo`): the core's generator, with the shipped
 * instruments installed as every device installs them. The school's own record keeps the server's school (see
 * `importRecords`).
 */
import { generateDemoSchool, type DemoSchool } from '../../core/demo/demo-school';
import type { School } from '../../core/model/records';
import type { RecordsByKind } from './import-records';
import { installedShippedInstruments, shippedInstruments } from './shipped-instruments';

export function generateDemo(now: number): DemoSchool {
  return generateDemoSchool({ instruments: shippedInstruments(), now });
}

/** A generated school by record kind, with the shipped instruments. */
export function demoRecords(demo: DemoSchool, now: number): RecordsByKind {
  const school: School = { ...demo.school, demo: true };
  return {
    instrument: installedShippedInstruments(now),
    school: [school],
    team: demo.teams,
    person: demo.people,
    schoolYear: demo.schoolYears,
    observation: demo.observations,
    response: demo.responses,
    note: demo.notes,
    feedback: demo.feedback,
    reflection: demo.reflections,
    goal: demo.goals,
    request: demo.requests,
    decline: demo.declines,
  };
}
