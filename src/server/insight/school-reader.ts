/**
 * Reading what a school's team figures are computed from, on the main thread, without holding it up: a board's
 * school has 50,000 summaries and more, about 70 MB of JSON.
 *
 * - **As text.** Records come as the JSON text the database writes (`data::text`), never parsed here: the worker that
 *   computes parses them (team-figures.worker.ts). Of an observation only the fields the figures read
 *   (`OBSERVATION_FIELDS`) are selected; a field set to JSON null reads as absent (the content rules store none, and
 *   an observation with `deletedAt` has no summary).
 * - **In pages.** Each statement reads a page of rows in the order of their key and the next one starts after the
 *   last key read (not OFFSET, which reads everything before it again), with a turn of the event loop between pages.
 *   PGlite runs each statement inside this thread, so a page holds the event loop for as long as the statement runs:
 *   the page size adapts so a statement costs this thread about `PAGE_TARGET_MS` of CPU time (measured on a board:
 *   100–600 rows on PGlite, whose first statement after opening costs 30–40 ms whatever its size; on PostgreSQL, where
 *   the statement runs in the database's own process and this thread only receives text, the largest page,
 *   `MAX_PAGE`). Larger pages on PGlite also met more of its pauses of 100 ms and more.
 * - **Only what changed.** Every write of a school takes the school's next version (src/server/db/records.ts), so
 *   what changed since the copy was read is the records with a higher version: the observations they belong to are
 *   read again, with the people, teams and instruments among them. Versions are read in ranges of `VERSION_RANGE`, so
 *   one statement never scans more than that many records (an upload of a whole school brings a million).
 *
 * No snapshot spans the pages: a write may commit between two of them. The version is read first, so whatever commits
 * later has a higher version and is read again on the next request; a copy read this way holds at least that version.
 */
import type { Sql } from '../db/database';
import { OBSERVATION_FIELDS } from './team-insight';
import type { FrameText, ObservationText } from './worker-messages';

/** About how much CPU time one page's statement may take of this thread. */
const PAGE_TARGET_MS = 8;
const FIRST_PAGE = 50;
const MIN_PAGE = 50;
const MAX_PAGE = 1_000;
/** The most versions one statement looks through for changes. */
const VERSION_RANGE = 5_000;

const OBSERVATION_JSON = `jsonb_strip_nulls(jsonb_build_object(${OBSERVATION_FIELDS.map(
  (field) => `'${field}', r.data->'${field}'`,
).join(', ')}))::text`;

const SUMMARISED = `SELECT s.observation_id AS id, ${OBSERVATION_JSON} AS observation, s.data::text AS summary
  FROM summaries s JOIN records r ON r.school_id = s.school_id AND r.kind = 'observation' AND r.id = s.observation_id`;

const FRAME_KINDS = ['person', 'team', 'instrument'];

interface ObservationRow {
  id: string;
  observation: string;
  summary: string;
}

/** The school's version: every write of the school counts it up. */
export async function schoolVersion(sql: Sql, schoolId: string): Promise<number> {
  const [row] = await sql.query<{ version: number }>('SELECT version FROM school_versions WHERE school_id = $1', [
    schoolId,
  ]);
  return row?.version ?? 0;
}

/** Pages of a whole school: its frame with the first page, then every summarised observation in id order. */
export async function* readSchool(
  sql: Sql,
  schoolId: string,
): AsyncGenerator<{ observations: ObservationText[]; frame: FrameText[] }> {
  const frame = await sql.query<{ kind: FrameText[0]; id: string; data: string }>(
    'SELECT kind, id, data::text AS data FROM records WHERE school_id = $1 AND kind = ANY($2)',
    [schoolId, FRAME_KINDS],
  );
  const pages = new PageSize();
  let after = '';
  let first = true;
  for (;;) {
    await turn();
    const limit = pages.size;
    const started = threadCpuMs();
    // `r.id > $2` too, so the join starts at the page on both sides rather than at the school's first observation.
    const rows = await sql.query<ObservationRow>(
      `${SUMMARISED} WHERE s.school_id = $1 AND s.observation_id > $2 AND r.id > $2 ORDER BY s.observation_id LIMIT $3`,
      [schoolId, after, limit],
    );
    pages.took(threadCpuMs() - started, rows.length);
    if (rows.length > 0 || first)
      yield { observations: rows.map(observationText), frame: first ? frame.map((r) => [r.kind, r.id, r.data]) : [] };
    first = false;
    if (rows.length < limit) return;
    after = rows.at(-1)!.id;
  }
}

/**
 * Pages of what changed in a school between two versions: the observations written since (read again: with their
 * summary, or `absent` when they have none now) and the people, teams and instruments written since.
 */
export async function* readChanges(
  sql: Sql,
  schoolId: string,
  since: number,
  upTo: number,
): AsyncGenerator<{ observations: ObservationText[]; absent: string[]; frame: FrameText[] }> {
  const ids = new Set<string>();
  for (let from = since; from < upTo; from += VERSION_RANGE) {
    await turn();
    const to = Math.min(upTo, from + VERSION_RANGE);
    const rows = await sql.query<{ kind: string; id: string; data: string | null }>(
      `SELECT DISTINCT 'observation' AS kind, observation_id AS id, NULL AS data FROM records
         WHERE school_id = $1 AND version > $2 AND version <= $3 AND observation_id IS NOT NULL
       UNION ALL
       SELECT kind, id, data::text AS data FROM records
         WHERE school_id = $1 AND version > $2 AND version <= $3 AND kind = ANY($4)`,
      [schoolId, from, to, FRAME_KINDS],
    );
    const frame: FrameText[] = [];
    for (const row of rows)
      if (row.data === null) ids.add(row.id);
      else frame.push([row.kind as FrameText[0], row.id, row.data]);
    if (frame.length > 0) yield { observations: [], absent: [], frame };
  }
  const all = [...ids];
  const pages = new PageSize();
  for (let start = 0; start < all.length;) {
    await turn();
    const chunk = all.slice(start, start + pages.size);
    start += chunk.length;
    const started = threadCpuMs();
    const rows = await sql.query<ObservationRow>(
      `${SUMMARISED} WHERE s.school_id = $1 AND s.observation_id = ANY($2)`,
      [schoolId, chunk],
    );
    pages.took(threadCpuMs() - started, chunk.length);
    const found = new Set(rows.map((r) => r.id));
    yield { observations: rows.map(observationText), absent: chunk.filter((id) => !found.has(id)), frame: [] };
  }
}

/** These observations again (after their summaries were computed anew). */
export async function readObservations(sql: Sql, schoolId: string, ids: readonly string[]): Promise<ObservationText[]> {
  const rows = await sql.query<ObservationRow>(`${SUMMARISED} WHERE s.school_id = $1 AND s.observation_id = ANY($2)`, [
    schoolId,
    [...ids],
  ]);
  return rows.map(observationText);
}

const observationText = (row: ObservationRow): ObservationText => [row.id, row.observation, row.summary];

/**
 * The CPU time this thread has used, in ms: what a page costs the event loop. (Its wall time also counts the
 * database's own work on PostgreSQL, and the time the thread waited for a core on a busy machine.)
 */
function threadCpuMs(): number {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

/** Lets timers and other requests' I/O run before the next statement. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A page size that follows what a page cost this thread: about `PAGE_TARGET_MS` per statement. */
class PageSize {
  size = FIRST_PAGE;

  /** A page of `rows` took `ms`; a short last page says nothing about the next. */
  took(ms: number, rows: number): void {
    if (rows < this.size) return;
    const factor = Math.min(2, Math.max(0.5, PAGE_TARGET_MS / Math.max(ms, 1)));
    this.size = Math.round(Math.min(MAX_PAGE, Math.max(MIN_PAGE, this.size * factor)));
  }
}
