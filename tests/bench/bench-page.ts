/**
 * The benchmark's page (built only for `npm run bench`, beside the app, same origin): it fills an IndexedDB database
 * with a generated school or board through the app's own write path, and times the app's own code paths: from
 * IndexedDB to everything the leader page draws (`loadInsight` + `leaderView`), and the Rasch estimation in its
 * Web Worker (`computeDevelopment`).
 */
import { openDatabase, useDatabase, databaseName, DEFAULT_WORKSPACE } from '../../src/data/database/db';
import { installShippedInstruments } from '../../src/data/records/instruments';
import { insertAll, saveDeviceSetting, writeTransaction } from '../../src/data/writes/local';
import { loadInsight } from '../../src/data/records/insight';
import { generateDemoSchool } from '../../src/core/demo/demo-school';
import { leaderView } from '../../src/core/insight/leader-view';
import { computeDevelopment } from '../../src/ui/shared/development';
import type { Instrument } from '../../src/core/instrument';

interface Size {
  teachers: number;
  teams: number;
  years: number;
  perYear: number;
}

function use(name: string) {
  const database = openDatabase(name);
  useDatabase(database);
  return database;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function mainInstrument(): Promise<Instrument> {
  const insight = await loadInsight();
  const main = [...insight.instruments.values()].find(
    (i) => i.kind === 'observation' && i.id === 'meekijken.lesobservatie',
  );
  if (!main) throw new Error('no observation instrument');
  return main;
}

const bench = {
  /** Fills the named database (the app's own when `name` is omitted) with a generated school; returns its size. */
  async fill(size: Size, name = databaseName(DEFAULT_WORKSPACE)) {
    const database = use(name);
    await installShippedInstruments(Date.now());
    const instruments = (await database.instruments.toArray()).map((r) => r.content);
    const started = performance.now();
    const school = generateDemoSchool({
      instruments,
      now: Date.now(),
      teachers: size.teachers,
      teams: size.teams,
      years: size.years,
      observationsPerTeacherPerYear: size.perYear,
      keepResponses: false,
    });
    const generatedMs = performance.now() - started;
    await writeTransaction(['school', 'team', 'person', 'schoolYear', 'observation'], async () => {
      await insertAll('school', [school.school], 'system');
      await insertAll('team', school.teams, 'system');
      await insertAll('person', school.people, 'system');
      await insertAll('schoolYear', school.schoolYears, 'system');
      await insertAll('observation', school.observations, 'system');
    });
    const leader = school.people.find((p) => p.role === 'leader')!;
    await saveDeviceSetting({ key: 'currentPersonId', value: leader.id });
    database.close();
    return { observations: school.observations.length, teachers: size.teachers, generatedMs: Math.round(generatedMs) };
  },

  /** Median time from IndexedDB to everything the leader page draws, over `runs` runs after one warm-up. */
  async dashboard(name: string, runs = 5) {
    const database = use(name);
    const instrument = await mainInstrument();
    const times: number[] = [];
    let observations = 0;
    for (let run = 0; run <= runs; run++) {
      const started = performance.now();
      const insight = await loadInsight();
      const year =
        leaderView(insight.rows, instrument, insight.people, insight.teams, {
          teamId: '',
          year: '',
          instrumentId: instrument.id,
          now: Date.now(),
        }).years[0] ?? '';
      const view = leaderView(insight.rows, instrument, insight.people, insight.teams, {
        teamId: '',
        year,
        instrumentId: instrument.id,
        now: Date.now(),
      });
      const ms = performance.now() - started;
      if (!view.trend.points.length) throw new Error('the dashboard drew nothing');
      observations = insight.rows.length;
      if (run > 0) times.push(ms);
    }
    database.close();
    return { observations, ms: Math.round(median(times)) };
  },

  /** The Rasch estimation and next steps for every teacher of the named database, in the Web Worker. */
  async rasch(name: string) {
    const database = use(name);
    const insight = await loadInsight();
    const instrument = await mainInstrument();
    const teams = Object.fromEntries(insight.people.map((p) => [p.id, p.teamId]));
    const started = performance.now();
    const result = await computeDevelopment({ rows: insight.rows, instrument, teams });
    const ms = performance.now() - started;
    database.close();
    return { teachers: result.teachers.length, items: Object.keys(result.itemLocations).length, ms: Math.round(ms) };
  },
};

(window as unknown as { meekijkenBench: typeof bench }).meekijkenBench = bench;
document.body.dataset.ready = 'true';
