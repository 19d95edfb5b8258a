/**
 * `GET /api/insight/team` off the request path: the team figures of a school are computed in worker threads
 * (worker-pool.ts, team-figures.worker.ts), from a copy of the school each worker keeps, and cached per school and
 * selection until the school's data change. The main thread only reads, as text and in pages (school-reader.ts), and
 * answers from the cache.
 *
 * A request:
 * 1. reads the school's version (`school_versions.version`, which every write of the school counts up, through
 *    whichever server process on the database);
 * 2. when the worker's copy was read at that version, answers from the cache if it holds the selection;
 * 3. otherwise brings the copy up to that version: a school not held yet is read whole (into the worker holding the
 *    fewest observations); one held is sent only what was written since the copy's version;
 * 4. asks the worker for the figures of the selection, and keeps them.
 *
 * The cache's key is the school, the state of the worker's copy (the worker's incarnation and the copy's stamp, which
 * counts up only when a change reaches what the figures are computed from), and the selection: team, year,
 * instrument, and the term of "now" (the only use the figures make of the clock: this term's coverage). So a new
 * version whose changes leave the inputs as they were (a rating in a draft, a note, feedback) keeps the cached
 * figures, and any change to a summary, a person, a team or an instrument computes them again. What the privacy rules
 * release is decided in the worker by the core, as before: the cache only keeps answers.
 *
 * Bounds: the cache keeps at most `cacheCharacters` of answers (least recently used out first; answers of an older
 * state of the school go at once); a worker keeps copies of at most `observationsPerWorker` observations (the least
 * recently used school goes; it is read anew when asked for again); at most `maxWaiting` requests that need a worker
 * wait at once, beyond that the route answers 503 (`TeamFiguresBusy`). Identical requests at once share one
 * computation, and reads of one school take turns.
 */
import { periodOf } from '../../core/insight/aggregate';
import type { Database } from '../db/database';
import { refreshSummary } from '../sync/summaries';
import { readChanges, readObservations, readSchool, schoolVersion } from './school-reader';
import type { TeamInsightRequest } from './team-insight';
import { defaultPoolSize, WorkerPool } from './worker-pool';
import type { Applied, Computed, Rows } from './worker-messages';

export interface TeamFiguresOptions {
  /** Worker threads; by default one per core but one, at least one. */
  workers?: number;
  /** Requests that need a worker, waiting at once, beyond which the server answers 503. */
  maxWaiting?: number;
  /** The cache's bound, in characters of answers (JSON). */
  cacheCharacters?: number;
  /** The most observations a worker keeps copies of, over all its schools. */
  observationsPerWorker?: number;
}

const DEFAULTS = {
  maxWaiting: 64,
  // An answer is 5–50 kB: a thousand selections or more.
  cacheCharacters: 32 * 1024 * 1024,
  // An observation takes about 4.5 kB of a worker's heap with what is derived from it (measured: 230 MB for a board
  // of 50,554): about 450 MB at most per worker, two boards' schools.
  observationsPerWorker: 100_000,
};

/** Pages sent to a worker before the read waits for it to catch up (it parses while the next page is read). */
const PAGES_AHEAD = 4;

/** More team-figure requests wait for a worker than the server takes. */
export class TeamFiguresBusy extends Error {
  constructor() {
    super('The server is computing as many team figures as it takes at once.');
    this.name = 'TeamFiguresBusy';
  }
}

/** Where a school's copy lives, and how far it was read. */
interface SchoolState {
  worker: number;
  incarnation: number;
  /** The school's version the copy holds at least. */
  version: number;
  /** The copy's stamp, as the worker last said. */
  stamp: number;
  observations: number;
  /** When it was last used (a counter), to let the least recently used go first. */
  used: number;
  /** Requests using it now: it is not let go meanwhile. */
  busy: number;
}

export class TeamFigures {
  private readonly pool: WorkerPool;
  private readonly cache: FiguresCache;
  private readonly copies = new Map<string, SchoolState>();
  private readonly reading = new Map<string, Promise<SchoolState>>();
  private readonly computing = new Map<string, Promise<string>>();
  private readonly options: Required<Omit<TeamFiguresOptions, 'workers'>>;
  private waiting = 0;
  private uses = 0;
  /** How the requests so far were answered, and how the copies were read (tests, the benchmark, a curious operator). */
  readonly counts = { fromCache: 0, computed: 0, wholeReads: 0, changeReads: 0 };

  /** `stopped` hears of a worker that died (for the log); its schools are read anew when next asked for. */
  constructor(
    private readonly database: Database,
    options: TeamFiguresOptions = {},
    stopped: (error: Error) => void = () => {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.cache = new FiguresCache(this.options.cacheCharacters);
    // A worker that dies takes its copies with it: they are read anew into its replacement.
    this.pool = new WorkerPool(options.workers ?? defaultPoolSize(), (index, error) => {
      for (const [schoolId, state] of this.copies) if (state.worker === index) this.forget(schoolId);
      stopped(error);
    });
  }

  /** The figures of a selection of a school, as the JSON text of a `TeamInsight`. */
  async figures(schoolId: string, request: TeamInsightRequest): Promise<string> {
    const version = await schoolVersion(this.database, schoolId);
    const selection = JSON.stringify([
      request.teamId,
      request.year,
      request.instrumentId ?? '',
      periodOf(request.now, 'term'),
    ]);
    const held = this.copies.get(schoolId);
    if (held && held.version >= version && this.alive(held)) {
      const hit = this.cache.get(cacheKey(schoolId, held, held.stamp, selection));
      if (hit !== undefined) {
        held.used = ++this.uses;
        this.counts.fromCache++;
        return hit;
      }
    }
    if (this.waiting >= this.options.maxWaiting) throw new TeamFiguresBusy();
    this.waiting++;
    let state: SchoolState | undefined;
    try {
      state = await this.current(schoolId, version);
      state.busy++;
      const key = cacheKey(schoolId, state, state.stamp, selection);
      const hit = this.cache.get(key);
      if (hit !== undefined) {
        this.counts.fromCache++;
        return hit;
      }
      let running = this.computing.get(key);
      if (!running) {
        running = this.compute(schoolId, state, request, selection).finally(() => this.computing.delete(key));
        this.computing.set(key, running);
      }
      return await running;
    } finally {
      this.waiting--;
      if (state) state.busy--;
    }
  }

  /** Terminates the workers (the server stops). */
  close(): Promise<void> {
    return this.pool.close();
  }

  /** The running worker threads, for tests that stop one. */
  workers() {
    return this.pool.running();
  }

  private async compute(
    schoolId: string,
    state: SchoolState,
    request: TeamInsightRequest,
    selection: string,
  ): Promise<string> {
    this.counts.computed++;
    const { stamp, json } = await this.pool.run<Computed>(
      state.worker,
      { type: 'compute', schoolId, request },
      state.incarnation,
    );
    this.cache.set(cacheKey(schoolId, state, stamp, selection), schoolId, json);
    return json;
  }

  /** The school's copy, read up to `version` at least; one read of a school at a time. */
  private current(schoolId: string, version: number): Promise<SchoolState> {
    const running = this.reading.get(schoolId);
    if (running) return running.then((state) => (state.version >= version ? state : this.current(schoolId, version)));
    const read = this.read(schoolId, version).finally(() => this.reading.delete(schoolId));
    this.reading.set(schoolId, read);
    return read;
  }

  private async read(schoolId: string, version: number): Promise<SchoolState> {
    let state = this.copies.get(schoolId);
    if (state && !this.alive(state)) {
      this.forget(schoolId);
      state = undefined;
    }
    if (state && state.version >= version) {
      state.used = ++this.uses;
      return state;
    }
    const before = state && `${state.incarnation}/${state.stamp}`;
    try {
      if (state) {
        this.counts.changeReads++;
        await this.send(schoolId, state, readChanges(this.database, schoolId, state.version, version), false);
        state.version = version;
      } else {
        const worker = this.leastLoaded();
        state = {
          worker,
          incarnation: this.pool.incarnation(worker),
          version,
          stamp: 0,
          observations: 0,
          used: 0,
          busy: 0,
        };
        this.counts.wholeReads++;
        await this.send(schoolId, state, readSchool(this.database, schoolId), true);
        this.copies.set(schoolId, state);
      }
      state.used = ++this.uses;
      this.makeRoom(state.worker);
    } catch (error) {
      // A copy read half-way is no copy: the next request reads the school anew.
      this.forget(schoolId, state);
      throw error;
    }
    if (before !== `${state.incarnation}/${state.stamp}`) this.cache.dropSchool(schoolId);
    return state;
  }

  /**
   * Sends the pages of a read to the school's worker, a few ahead of its answers; then computes the summaries of an
   * older computation again (after `SUMMARY_VERSION` went up: they are kept, as `refreshSummary` does for a push) and
   * sends those observations once more.
   */
  private async send(
    schoolId: string,
    state: SchoolState,
    pages: AsyncIterable<Partial<Pick<Rows, 'observations' | 'absent' | 'frame'>>>,
    whole: boolean,
  ): Promise<void> {
    const answers: Array<Promise<Applied>> = [];
    const stale: string[] = [];
    const settle = (applied: Applied) => {
      state.stamp = applied.stamp;
      state.observations = applied.observations;
      stale.push(...applied.stale);
    };
    let fresh = whole;
    let settled = 0;
    for await (const page of pages) {
      const rows: Rows = { type: 'rows', schoolId, fresh, observations: [], absent: [], frame: [], ...page };
      fresh = false;
      const answer = this.pool.run<Applied>(state.worker, rows, state.incarnation);
      // Awaited below, in order; until then a failure (the worker died) must not count as unhandled.
      answer.catch(() => {});
      answers.push(answer);
      if (answers.length - settled > PAGES_AHEAD) settle(await answers[settled++]!);
    }
    while (settled < answers.length) settle(await answers[settled++]!);
    if (stale.length === 0) return;
    for (const id of stale) await refreshSummary(this.database, schoolId, id);
    const again = await readObservations(this.database, schoolId, stale);
    const found = new Set(again.map(([id]) => id));
    settle(
      await this.pool.run<Applied>(
        state.worker,
        {
          type: 'rows',
          schoolId,
          fresh: false,
          observations: again,
          absent: stale.filter((id) => !found.has(id)),
          frame: [],
        },
        state.incarnation,
      ),
    );
  }

  private alive(state: SchoolState): boolean {
    return this.pool.runs(state.worker, state.incarnation);
  }

  /** The worker whose copies hold the fewest observations. */
  private leastLoaded(): number {
    const load = Array.from({ length: this.pool.size }, () => 0);
    for (const state of this.copies.values()) load[state.worker]! += state.observations;
    return load.indexOf(Math.min(...load));
  }

  /** Lets the least recently used schools of a worker go while its copies hold more than the bound. */
  private makeRoom(worker: number): void {
    const held = [...this.copies].filter(([, state]) => state.worker === worker);
    let total = held.reduce((sum, [, state]) => sum + state.observations, 0);
    for (const [schoolId, state] of held.sort((a, b) => a[1].used - b[1].used)) {
      if (total <= this.options.observationsPerWorker) return;
      if (state.busy > 0 || this.reading.has(schoolId)) continue;
      this.forget(schoolId, state);
      total -= state.observations;
    }
  }

  /** Forgets a school's copy here, in its worker and in the cache. */
  private forget(schoolId: string, state = this.copies.get(schoolId)): void {
    if (this.copies.get(schoolId) === state) this.copies.delete(schoolId);
    this.cache.dropSchool(schoolId);
    if (state && this.alive(state))
      this.pool.run(state.worker, { type: 'drop', schoolId }, state.incarnation).catch(() => {});
  }
}

const cacheKey = (schoolId: string, state: SchoolState, stamp: number, selection: string) =>
  `${schoolId}\n${state.incarnation}/${stamp}\n${selection}`;

/** Answers by key, least recently used out first, within a bound in characters. */
class FiguresCache {
  private readonly entries = new Map<string, { schoolId: string; json: string }>();
  private characters = 0;

  constructor(private readonly limit: number) {}

  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.json;
  }

  set(key: string, schoolId: string, json: string): void {
    this.delete(key);
    this.entries.set(key, { schoolId, json });
    this.characters += json.length;
    for (const oldest of this.entries.keys()) {
      if (this.characters <= this.limit) break;
      this.delete(oldest);
    }
  }

  /** Every answer of a school (its data changed, or its copy went). */
  dropSchool(schoolId: string): void {
    for (const [key, entry] of this.entries) if (entry.schoolId === schoolId) this.delete(key);
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.characters -= entry.json.length;
  }
}
