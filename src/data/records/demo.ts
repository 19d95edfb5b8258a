/**
 * The demo school: one tap on the first-run screen fills this device with a believable school (teams, teachers,
 * two school years of observations), generated deterministically by the core so tests and benchmarks see the same.
 */
import { alive, db } from '../database/db';
import { insertAll, now as clockNow, writeTransaction } from '../writes/local';
import { installShippedInstruments } from './instruments';
import { generateDemoSchool } from '../../core/demo/demo-school';

/** Fills an empty database with the demo school, in one transaction: all of it or nothing. */
export async function loadDemoSchool(now = clockNow()): Promise<void> {
  await installShippedInstruments(now);
  const database = db();
  const instruments = (await database.instruments.toArray())
    .filter((record) => alive(record))
    .map((record) => record.content);
  const demo = generateDemoSchool({ instruments, now });
  // Written by the app itself ("system"), all of it or nothing.
  await writeTransaction(
    [
      'school',
      'team',
      'person',
      'schoolYear',
      'observation',
      'response',
      'note',
      'feedback',
      'reflection',
      'goal',
      'request',
      'decline',
    ],
    async () => {
      if ((await database.schools.count()) > 0)
        throw new Error('This device already has a school; the demo only loads into an empty one.');
      await insertAll('school', [{ ...demo.school, demo: true }], 'system');
      await insertAll('team', demo.teams, 'system');
      await insertAll('person', demo.people, 'system');
      await insertAll('schoolYear', demo.schoolYears, 'system');
      await insertAll('observation', demo.observations, 'system');
      await insertAll('response', demo.responses, 'system');
      await insertAll('note', demo.notes, 'system');
      await insertAll('feedback', demo.feedback, 'system');
      await insertAll('reflection', demo.reflections, 'system');
      await insertAll('goal', demo.goals, 'system');
      await insertAll('request', demo.requests, 'system');
      await insertAll('decline', demo.declines, 'system');
    },
  );
}
