/**
 * A school of a board's size in a server database, quickly: the demo generator at another size (without keeping
 * each observation's responses, as the browser bench's board), its frame and observations written as records under
 * the school's versions, and each completed observation's summary (the one the generator computed, as the app
 * stores it on completion) written straight into `summaries`, many rows per statement. Loading the responses and
 * summarising them on the server (`importRecords`) would take minutes at 50,000 observations; the team figures read
 * only summaries. For the team-figures test (tests/server/team-figures.test.ts) and its benchmark
 * (tests/bench/sync/team-figures.ts). Imports no test framework, so the benchmark runs it under plain tsx.
 */
import { generateDemoSchool, type DemoSchool } from '../../../src/core/demo/demo-school';
import type { PlainRecord } from '../../../src/core/sync/apply-change';
import type { RecordKind } from '../../../src/core/sync/change';
import type { Database } from '../../../src/server/db/database';
import { insertRecords, lockSchool, takeVersions } from '../../../src/server/db/records';
import { installedShippedInstruments, shippedInstruments } from '../../../src/server/sync/shipped-instruments';

export interface BoardSize {
  teachers: number;
  teams: number;
  years: number;
  perYear: number;
}

/** A board as the browser bench's (tests/bench/bench.ts): 560 teachers in 28 teams, five years: ≥ 50,000 observations. */
export const BOARD: BoardSize = { teachers: 560, teams: 28, years: 5, perYear: 20 };

export interface FilledSchool {
  demo: DemoSchool;
  /** Completed observations (with a summary). */
  observations: number;
}

const CHUNK = 1000;

/**
 * Fills a school (created here, with its version counter, unless it exists: a school set up through the API keeps
 * its administrator); `demo` may be generated beforehand. Records the school has already are left as they are.
 */
export async function fillSchool(
  database: Database,
  schoolId: string,
  options: { size: BoardSize; now: number; demo?: DemoSchool },
): Promise<FilledSchool> {
  const demo =
    options.demo ??
    generateDemoSchool({
      instruments: shippedInstruments(),
      now: options.now,
      teachers: options.size.teachers,
      teams: options.size.teams,
      years: options.size.years,
      observationsPerTeacherPerYear: options.size.perYear,
      keepResponses: false,
    });
  await database.query('INSERT INTO schools (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
    schoolId,
    demo.school.name,
    options.now,
  ]);
  await database.query('INSERT INTO school_versions (school_id) VALUES ($1) ON CONFLICT DO NOTHING', [schoolId]);
  // The server keeps its own summaries; an observation record holds none (push.ts drops the field too).
  const observations = demo.observations.map(({ summary: _summary, ...stored }) => stored);
  const byKind: Array<[RecordKind, readonly PlainRecord[]]> = [
    ['school', [{ ...demo.school, id: schoolId }]],
    ['team', demo.teams],
    ['person', demo.people],
    ['schoolYear', demo.schoolYears],
    ['instrument', installedShippedInstruments(options.now)],
    ['observation', observations],
  ] as Array<[RecordKind, readonly PlainRecord[]]>;
  const summarised = demo.observations.filter((o) => o.summary && o.status !== 'draft' && o.deletedAt === undefined);
  await database.transaction(async (tx) => {
    await lockSchool(tx, schoolId);
    for (const [kind, records] of byKind)
      for (let start = 0; start < records.length; start += CHUNK) {
        const chunk = records.slice(start, start + CHUNK);
        await insertRecords(tx, schoolId, kind, chunk, await takeVersions(tx, schoolId, chunk.length));
      }
    for (let start = 0; start < summarised.length; start += CHUNK) {
      const chunk = summarised.slice(start, start + CHUNK);
      await tx.query(
        `INSERT INTO summaries (school_id, observation_id, data)
         SELECT $1, t.id, t.data::jsonb FROM unnest($2::text[], $3::text[]) AS t(id, data)`,
        [schoolId, chunk.map((o) => o.id), chunk.map((o) => JSON.stringify(o.summary))],
      );
    }
  });
  return { demo, observations: summarised.length };
}
