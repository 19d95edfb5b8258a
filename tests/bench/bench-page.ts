/**
 * The benchmark's page (built only for `npm run bench`, beside the app, same origin): it fills an IndexedDB database
 * with a generated school or board through the app's own write path, and times the app's own code paths: from
 * IndexedDB to everything the leader page draws (`loadInsight` + `leaderView`) beside a raw read of the same records,
 * and the Rasch estimation in its Web Worker (`computeDevelopment`), for the leader's themes and for a teacher's
 * next steps (a first call and a second one with the same data).
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

/**
 * What `loadInsight` reads, read and nothing more: the same tables in one read-only transaction, each whole
 * (`toArray`, one `getAll`). The responses table is not read: every generated observation has its summary.
 */
async function rawRead(database: ReturnType<typeof openDatabase>) {
  const { observations, people, teams, instruments } = database;
  const read = await database.transaction('r', [observations, people, teams, instruments], () =>
    Promise.all([observations.toArray(), people.toArray(), teams.toArray(), instruments.toArray()]),
  );
  return read[0].length;
}

async function mainInstrument(): Promise<Instrument> {
  const insight = await loadInsight();
  const main = [...insight.instruments.values()].find(
    (i) => i.kind === 'observation' && i.id === 'meekijken.lesobservatie',
  );
  if (!main) throw new Error('no observation instrument');
  return main;
}

/**
 * The longest the main thread was busy while this runs: a timer that asks to run again at once notes the largest
 * gap between its turns (a tap waits as long). `stop` takes one more turn, so a task that ended the wait counts.
 */
function mainThreadHeartbeat() {
  let last = performance.now();
  let longest = 0;
  let running = true;
  let stopped: (longest: number) => void = () => {};
  const beat = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setTimeout(beat, 0);
    else stopped(longest);
  };
  setTimeout(beat, 0);
  return {
    stop: () =>
      new Promise<number>((resolve) => {
        running = false;
        stopped = resolve;
      }),
  };
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

  /**
   * Median time from IndexedDB to everything the leader page draws, and median time of a raw read of the same records
   * (`rawRead`), over `runs` runs after one warm-up. The two take turns going first, so both see the same moments of
   * the machine and neither always reads right after the other.
   */
  async dashboard(name: string, runs = 5) {
    const database = use(name);
    const instrument = await mainInstrument();
    const times: number[] = [];
    const rawTimes: number[] = [];
    let observations = 0;
    const draw = async () => {
      const started = performance.now();
      const insight = await loadInsight();
      const filters = { teamId: '', year: '', instrumentId: instrument.id, now: Date.now() };
      const year = leaderView(insight.rows, instrument, insight.people, insight.teams, filters).years[0] ?? '';
      const view = leaderView(insight.rows, instrument, insight.people, insight.teams, { ...filters, year });
      const ms = performance.now() - started;
      if (!view.trend.points.length) throw new Error('the dashboard drew nothing');
      observations = insight.rows.length;
      return ms;
    };
    const raw = async () => {
      const started = performance.now();
      const records = await rawRead(database);
      const ms = performance.now() - started;
      if (records === 0) throw new Error('the raw read found nothing');
      return ms;
    };
    for (let run = 0; run <= runs; run++) {
      const rawFirst = run % 2 === 0;
      const rawBefore = rawFirst ? await raw() : 0;
      const ms = await draw();
      const rawMs = rawFirst ? rawBefore : await raw();
      if (run === 0) continue;
      times.push(ms);
      rawTimes.push(rawMs);
    }
    database.close();
    const ms = median(times);
    const rawReadMs = median(rawTimes);
    return {
      observations,
      ms: Math.round(ms),
      rawReadMs: Math.round(rawReadMs),
      ratioToRawRead: Math.round((ms / rawReadMs) * 100) / 100,
    };
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

  /**
   * A teacher's own page: the input it builds (everyone's observations, the teacher's own only when handed over),
   * estimated twice in this page's worker: a first call, and a second with the same data built again (as when the
   * teacher opens the page again). Run it on a freshly loaded page, so the first call starts the worker. With each,
   * the longest the main thread was busy meanwhile (`mainThreadHeartbeat`).
   */
  async teacherSteps(name: string) {
    const database = use(name);
    const insight = await loadInsight();
    const instrument = await mainInstrument();
    const me = insight.rows.find((r) => r.status === 'shared' && r.instrumentId === instrument.id)?.observedId;
    if (!me) throw new Error('no teacher with feedback handed over');
    const input = () => ({
      rows: insight.rows.filter((r) => r.observedId !== me || r.status === 'shared'),
      instrument,
      teams: Object.fromEntries(insight.people.map((p) => [p.id, p.teamId])),
    });
    const time = async () => {
      const heartbeat = mainThreadHeartbeat();
      const started = performance.now();
      const result = await computeDevelopment(input());
      const ms = performance.now() - started;
      const longest = await heartbeat.stop();
      if (!result.teachers.some((teacher) => teacher.personId === me)) throw new Error('the teacher has no level');
      return [Math.round(ms), Math.round(longest)] as const;
    };
    const [firstMs, firstLongestTaskMs] = await time();
    const [repeatMs, repeatLongestTaskMs] = await time();
    database.close();
    return { firstMs, repeatMs, firstLongestTaskMs, repeatLongestTaskMs };
  },
};

(window as unknown as { meekijkenBench: typeof bench }).meekijkenBench = bench;
document.body.dataset.ready = 'true';
