/**
 * The rounds that queue notices nobody's push causes: reminders of steps that wait, and the leaders' weekly digest.
 * Only schools where someone chose them (at a confirmed address) are read, and of those only the observations of people
 * who chose reminders, whose step is recent enough to be due (`reminderHorizonMs`). The core decides what is due
 * (`reminderNotice`, `digestNotice`), and the queue's keys keep each one to once (src/server/mail/queue.ts).
 */
import type { Database } from '../db/database';
import type { Observation, Person, Reflection, School } from '../../core/model/records';
import { digestNotice, reminderHorizonMs, reminderNotice, type Notice } from '../../core/notify/notices';
import { remindAfterSchoolDaysOf, timeZoneOf } from '../../core/notify/school-days';
import { readRecord } from '../db/records';
import { enqueueNotices } from './queue';

export async function queueRounds(database: Database, now: number): Promise<number> {
  const schools = await database.query<{ school_id: string }>(
    `SELECT DISTINCT school_id FROM mail_settings
      WHERE confirmed_at IS NOT NULL AND (kinds ? 'reminder' OR kinds ? 'digest')`,
  );
  let queued = 0;
  for (const { school_id: schoolId } of schools) queued += await queueSchool(database, schoolId, now);
  return queued;
}

async function queueSchool(database: Database, schoolId: string, now: number): Promise<number> {
  const school = await readRecord<School>(database, schoolId, 'school', schoolId);
  const calendar = {
    timeZone: timeZoneOf(school),
    holidays: school?.holidays ?? [],
    every: remindAfterSchoolDaysOf(school),
  };
  const choosing = await database.query<{ person_id: string; kinds: string[] }>(
    'SELECT person_id, kinds FROM mail_settings WHERE school_id = $1 AND confirmed_at IS NOT NULL',
    [schoolId],
  );
  const reminded = choosing.filter((row) => row.kinds.includes('reminder')).map((row) => row.person_id);
  const notices: Notice[] = [];
  if (reminded.length > 0) {
    const rows = await database.query<{ observation: Observation; reflection: Reflection | null }>(
      `SELECT o.data AS observation, r.data AS reflection
         FROM records o
         LEFT JOIN records r ON r.school_id = o.school_id AND r.kind = 'reflection' AND r.id = o.id
        WHERE o.school_id = $1 AND o.kind = 'observation' AND NOT o.data ? 'deletedAt'
          AND o.data->>'status' IN ('completed', 'shared')
          AND (r.data IS NULL OR NOT r.data ? 'acknowledgedAt')
          AND (o.data->>'observerId' = ANY($2) OR o.data->>'observedId' = ANY($2))
          AND greatest((o.data->>'completedAt')::int8, (o.data->>'handedOverAt')::int8, (r.data->>'readAt')::int8) > $3`,
      [schoolId, reminded, now - reminderHorizonMs(calendar.every)],
    );
    for (const { observation, reflection } of rows) {
      const notice = reminderNotice(observation, reflection ?? undefined, now, calendar);
      if (notice) notices.push(notice);
    }
  }
  const digests = choosing.filter((row) => row.kinds.includes('digest')).map((row) => row.person_id);
  if (digests.length > 0) {
    const leaders = await database.query<{ data: Person }>(
      `SELECT data FROM records WHERE school_id = $1 AND kind = 'person' AND id = ANY($2)`,
      [schoolId, digests],
    );
    for (const { data: leader } of leaders) {
      if (leader.role !== 'leader' || leader.deletedAt !== undefined || leader.archivedAt !== undefined) continue;
      const notice = digestNotice(leader.id, schoolId, now, calendar);
      if (notice) notices.push(notice);
    }
  }
  return database.transaction((tx) => enqueueNotices(tx, schoolId, notices, now));
}
