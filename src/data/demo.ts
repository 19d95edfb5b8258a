/**
 * The demo school: one tap on the first-run screen fills this device with a believable school (teams, teachers,
 * two school years of observations), generated deterministically by the core so tests and benchmarks see the same.
 */
import { alive, db } from './db';
import { installShippedInstruments } from './instruments';
import { generateDemoSchool } from '../core/demo/demo-school';

/** Fills an empty database with the demo school, in one transaction: all of it or nothing. */
export async function loadDemoSchool(now = Date.now()): Promise<void> {
  await installShippedInstruments(now);
  const database = db();
  const instruments = (await database.instruments.toArray()).filter((record) => alive(record)).map((record) => record.content);
  const demo = generateDemoSchool({ instruments, now });
  await database.transaction(
    'rw',
    [database.schools, database.teams, database.people, database.schoolYears, database.observations, database.responses, database.notes],
    async () => {
      if ((await database.schools.count()) > 0) throw new Error('This device already has a school; the demo only loads into an empty one.');
      await database.schools.add({ ...demo.school, demo: true });
      await database.teams.bulkAdd(demo.teams);
      await database.people.bulkAdd(demo.people);
      await database.schoolYears.bulkAdd(demo.schoolYears);
      await database.observations.bulkAdd(demo.observations);
      await database.responses.bulkAdd(demo.responses);
      await database.notes.bulkAdd(demo.notes);
    },
  );
}
