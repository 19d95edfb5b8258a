/**
 * A leader's count of stalled feedback cycles (`GET /api/insight/stalled`), over the whole school: the leader's own
 * device holds only their own and shared observations. The server reads where each cycle is (its observation's steps
 * and the observed teacher's reflection), and the core's `stalledCycles` turns that into the counts a leader may see;
 * only those leave the server.
 */
import type { Sql } from '../db/sql';
import { stalledCycles, type Cycle, type StalledCycles } from '../../core/feedback/stalled';
import { dueAfterDaysOf } from '../../core/feedback/stages';
import type { Person, School, Team } from '../../core/model/records';

interface CycleRow {
  observation: string;
  reflection: string | null;
}

/** Observations completed or handed over and not yet discussed, with the fields `stalledCycles` reads. */
const CYCLES = `SELECT jsonb_build_object(
    'observedId', o.data->'observedId', 'purpose', o.data->'purpose', 'status', o.data->'status',
    'startedAt', o.data->'startedAt', 'completedAt', o.data->'completedAt', 'handedOverAt', o.data->'handedOverAt'
  )::text AS observation,
  (SELECT jsonb_build_object('readAt', f.data->'readAt', 'acknowledgedAt', f.data->'acknowledgedAt')::text
     FROM records f
    WHERE f.school_id = o.school_id AND f.observation_id = o.id AND f.kind = 'reflection' AND NOT f.data ? 'deletedAt'
    LIMIT 1) AS reflection
  FROM records o
 WHERE o.school_id = $1 AND o.kind = 'observation' AND NOT o.data ? 'deletedAt'
   AND o.data->>'status' IN ('completed', 'shared') AND o.data->>'purpose' <> 'self'`;

/** JSON null (a field the record lacks) read as absent. */
const withoutNulls = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null)) as T;

export async function schoolStalledCycles(sql: Sql, schoolId: string, now: number): Promise<StalledCycles> {
  const frame = await sql.query<{ kind: string; data: Person | Team | School }>(
    `SELECT kind, data FROM records WHERE school_id = $1 AND kind IN ('person', 'team', 'school') AND NOT data ? 'deletedAt'`,
    [schoolId],
  );
  const rows = await sql.query<CycleRow>(CYCLES, [schoolId]);
  const cycles = rows.flatMap((row): Cycle[] => {
    const observation = withoutNulls(JSON.parse(row.observation) as Cycle);
    const reflection = row.reflection
      ? withoutNulls(JSON.parse(row.reflection) as NonNullable<Cycle['reflection']>)
      : undefined;
    // Discussed: nothing waits any more (left out here rather than in the statement, where it would read JSON twice).
    if (reflection?.acknowledgedAt !== undefined) return [];
    return [reflection ? { ...observation, reflection } : observation];
  });
  const of = <T>(kind: string) => frame.filter((row) => row.kind === kind).map((row) => row.data as T);
  return stalledCycles(cycles, of<Person>('person'), of<Team>('team'), now, dueAfterDaysOf(of<School>('school')[0]));
}
