/**
 * Team and teacher aggregates, computed from observation summaries (src/core/insight/summary.ts). Framework-free:
 * the app computes them from its IndexedDB, a school server will compute the same from PostgreSQL.
 *
 * Privacy (README, "Insight", privacy): a team aggregate is released only when it combines at least
 * `MIN_GROUP` different observed teachers. Comparing two selections that differ by a few people could still reveal
 * those people (the school minus one team of two), so a selection inside a larger one (a team inside the school, an
 * instrument inside all instruments) is released only when what is left outside it is empty or also has at least
 * `MIN_GROUP` teachers: the complement rule. The selections themselves are fixed (teams, school years, terms,
 * instruments), never arbitrary sets of people. No aggregate ranks or names teachers with scores; participation
 * counts observations, never scores.
 */
import type { Observation, ObservationSummary, Purpose, Timestamp, Uuid } from '../model/records';
import { CALIBRATION_WINDOW_MS } from './calibration';

/** The fewest different observed teachers an aggregate may combine. */
export const MIN_GROUP = 3;

/** One completed observation as dashboards see it. */
export interface SummaryRow {
  observationId: Uuid;
  observedId: Uuid;
  observerId: Uuid;
  purpose: Purpose;
  /** Completed, or handed over to the observed teacher ("shared"): a teacher's own page shows only the latter. */
  status?: 'completed' | 'shared';
  instrumentId: string;
  startedAt: Timestamp;
  /** The observed teacher's team. */
  teamId?: Uuid;
  summary: ObservationSummary;
}

/** The row dashboards read for a completed observation: who, when, which instrument, the observed teacher's team. */
export function summaryRow(
  observation: Pick<Observation, 'id' | 'observedId' | 'observerId' | 'purpose' | 'status' | 'startedAt'>,
  instrumentId: string,
  teamId: Uuid | undefined,
  summary: ObservationSummary,
): SummaryRow {
  return {
    observationId: observation.id,
    observedId: observation.observedId,
    observerId: observation.observerId,
    purpose: observation.purpose,
    status: observation.status === 'shared' ? 'shared' : 'completed',
    instrumentId,
    startedAt: observation.startedAt,
    ...(teamId ? { teamId } : {}),
    summary,
  };
}

export type Grain = 'year' | 'term';

/**
 * A school year runs 1 August – 31 July; its three terms are August–December, January–March and April–July.
 * Keys sort in time order: "2025-2026" and "2025-2026/2".
 */
const periodCache = { year: new Map<number, string>(), term: new Map<number, string>() };

/** The period of a moment, remembered per day (a board's dashboards ask it for tens of thousands of lessons). */
export function periodOf(at: Timestamp, grain: Grain): string {
  const day = Math.floor(at / 86_400_000);
  const cache = periodCache[grain];
  let key = cache.get(day);
  if (key === undefined) {
    key = computePeriod(at, grain);
    cache.set(day, key);
  }
  return key;
}

function computePeriod(at: Timestamp, grain: Grain): string {
  const date = new Date(at);
  const month = date.getUTCMonth();
  const startYear = month >= 7 ? date.getUTCFullYear() : date.getUTCFullYear() - 1;
  const year = `${startYear}-${startYear + 1}`;
  if (grain === 'year') return year;
  const term = month >= 7 ? 1 : month <= 2 ? 2 : 3;
  return `${year}/${term}`;
}

export type Released<T> =
  | { shown: true; value: T; teachers: number }
  | { shown: false; why: 'too-few' | 'complement-too-few'; teachers: number };

const teachersIn = (rows: ReadonlyArray<Pick<SummaryRow, 'observedId'>>) => new Set(rows.map((r) => r.observedId));

/**
 * Releases `compute(rows)` when the rows combine at least MIN_GROUP observed teachers and, when they are a
 * selection inside `parent`, the teachers of `parent` outside the selection are none or at least MIN_GROUP.
 */
export function release<T>(
  rows: readonly SummaryRow[],
  compute: (rows: readonly SummaryRow[]) => T,
  parent?: readonly SummaryRow[],
): Released<T> {
  const inside = teachersIn(rows);
  if (inside.size < MIN_GROUP) return { shown: false, why: 'too-few', teachers: inside.size };
  if (parent) {
    const outside = [...teachersIn(parent)].filter((id) => !inside.has(id)).length;
    if (outside > 0 && outside < MIN_GROUP) return { shown: false, why: 'complement-too-few', teachers: inside.size };
  }
  return { shown: true, value: compute(rows), teachers: inside.size };
}

/** The mean position (0–1) per domain over observations, each observation weighing once; null when none rated it. */
export function domainMeans(rows: readonly SummaryRow[], domainIds: readonly string[]): Array<number | null> {
  return domainIds.map((domainId) => {
    let sum = 0;
    let n = 0;
    for (const row of rows) {
      const domain = row.summary.domains[domainId];
      if (domain && domain.rated > 0) {
        sum += domain.meanPosition;
        n++;
      }
    }
    return n > 0 ? sum / n : null;
  });
}

/** Rows grouped by period, in time order. */
export function byPeriod(rows: readonly SummaryRow[], grain: Grain): Array<[string, SummaryRow[]]> {
  const groups = new Map<string, SummaryRow[]>();
  for (const row of rows) {
    const key = periodOf(row.startedAt, grain);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}

export interface Trend {
  periods: string[];
  /** Per period, the domain means (0–1) when released, or why not. */
  points: Array<Released<Array<number | null>>>;
}

/** Team (or school) trend per domain per period, each period released on its own. */
export function domainTrend(
  rows: readonly SummaryRow[],
  domainIds: readonly string[],
  grain: Grain,
  parent?: readonly SummaryRow[],
): Trend {
  const parentByPeriod = parent ? new Map(byPeriod(parent, grain)) : undefined;
  const groups = byPeriod(rows, grain);
  return {
    periods: groups.map(([key]) => key),
    points: groups.map(([key, group]) => release(group, (g) => domainMeans(g, domainIds), parentByPeriod?.get(key))),
  };
}

/**
 * How often each level was given per domain: `counts[d][k]` ratings at level k (turned for reverse-keyed items)
 * of items in domain d. Items with another number of levels than `levels` are left out.
 */
export function levelDistribution(
  rows: readonly SummaryRow[],
  itemDomain: ReadonlyMap<string, number>,
  domainCount: number,
  levels: number,
): number[][] {
  const counts = Array.from({ length: domainCount }, () => new Array<number>(levels).fill(0));
  for (const row of rows) {
    for (const itemId in row.summary.items) {
      const [level, k] = row.summary.items[itemId]!;
      const d = itemDomain.get(itemId);
      if (d === undefined || k !== levels) continue;
      counts[d]![level]!++;
    }
  }
  return counts;
}

/**
 * The teams whose figures may be shown beside the school's. Each must combine at least MIN_GROUP teachers, and so
 * must what the shown teams leave over (the school minus every shown team would otherwise reveal the teachers in no
 * team, or in teams too small to show): while one or two teachers are left over, the smallest shown team is held
 * back too, so the leftover grows.
 */
export function releasableTeams(
  rows: ReadonlyArray<Pick<SummaryRow, 'observedId' | 'teamId'>>,
  teamIds: readonly string[],
): Set<string> {
  const members = new Map(teamIds.map((id) => [id, teachersIn(rows.filter((r) => r.teamId === id))]));
  const shown = new Set(teamIds.filter((id) => members.get(id)!.size >= MIN_GROUP));
  const all = teachersIn(rows);
  for (;;) {
    const covered = new Set([...shown].flatMap((id) => [...members.get(id)!]));
    const leftover = [...all].filter((t) => !covered.has(t)).length;
    if (leftover === 0 || leftover >= MIN_GROUP || shown.size === 0) return shown;
    const smallest = [...shown].sort((a, b) => members.get(a)!.size - members.get(b)!.size)[0]!;
    shown.delete(smallest);
  }
}

/** Team × domain: per team the domain means, released only for teams that may be shown side by side (above). */
export function teamDomainMatrix(
  rows: readonly SummaryRow[],
  teamIds: readonly string[],
  domainIds: readonly string[],
): Array<{ teamId: string; cell: Released<Array<number | null>> }> {
  const shown = releasableTeams(rows, teamIds);
  return teamIds.map((teamId) => {
    const own = rows.filter((r) => r.teamId === teamId);
    const cell = release(own, (g) => domainMeans(g, domainIds), rows);
    return {
      teamId,
      cell:
        cell.shown && !shown.has(teamId) ? { shown: false, why: 'complement-too-few', teachers: cell.teachers } : cell,
    };
  });
}

/**
 * The rows of the terms that may be shown (at least MIN_GROUP observed teachers each). A year's figure combines only
 * these: a term with one or two teachers is hidden, and a year that still counted it could be taken apart into the
 * shown terms and the hidden one.
 */
export function inReleasedTerms(rows: readonly SummaryRow[]): SummaryRow[] {
  return byPeriod(rows, 'term').flatMap(([, group]) => (teachersIn(group).size >= MIN_GROUP ? group : []));
}

/** Peer observation activity: counts only, never scores. Self-assessments are not peer observation. */
export interface Participation {
  period: string;
  observations: number;
  observers: number;
  observed: number;
}

export function participation(rows: readonly SummaryRow[], grain: Grain): Participation[] {
  return byPeriod(
    rows.filter((r) => r.purpose !== 'self'),
    grain,
  ).map(([period, group]) => ({
    period,
    observations: group.length,
    observers: new Set(group.map((r) => r.observerId)).size,
    observed: new Set(group.map((r) => r.observedId)).size,
  }));
}

/** Who observed whom, as counts of observations per pair (no scores), most frequent first. */
export function observationPairs(
  rows: readonly SummaryRow[],
): Array<{ observerId: Uuid; observedId: Uuid; count: number }> {
  const counts = new Map<string, { observerId: Uuid; observedId: Uuid; count: number }>();
  for (const row of rows) {
    if (row.purpose === 'self') continue;
    const key = `${row.observerId}>${row.observedId}`;
    const pair = counts.get(key) ?? { observerId: row.observerId, observedId: row.observedId, count: 0 };
    pair.count++;
    counts.set(key, pair);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.observerId.localeCompare(b.observerId));
}

/** The share of teachers observed (by someone else) in a period. */
export function coverage(
  rows: readonly SummaryRow[],
  teacherIds: readonly Uuid[],
  period: string,
  grain: Grain,
): { observed: number; teachers: number; share: number } {
  const seen = new Set(
    rows
      .filter((r) => r.purpose !== 'self' && r.observerId !== r.observedId && periodOf(r.startedAt, grain) === period)
      .map((r) => r.observedId),
  );
  const observed = teacherIds.filter((id) => seen.has(id)).length;
  return { observed, teachers: teacherIds.length, share: teacherIds.length > 0 ? observed / teacherIds.length : 0 };
}

/** One teacher's own view: per period and domain, what observers saw and what they saw themselves. */
export function teacherTrend(
  rows: readonly SummaryRow[],
  teacherId: Uuid,
  domainIds: readonly string[],
  grain: Grain,
): Array<{ period: string; observers: Array<number | null>; self: Array<number | null> }> {
  const own = rows.filter((r) => r.observedId === teacherId);
  return byPeriod(own, grain).map(([period, group]) => ({
    period,
    observers: domainMeans(
      group.filter((r) => r.purpose !== 'self'),
      domainIds,
    ),
    self: domainMeans(
      group.filter((r) => r.purpose === 'self'),
      domainIds,
    ),
  }));
}

/**
 * Each lesson's ratings once. In a calibration two observers rate one lesson: both observations count as peer
 * observation done (participation, who observed whom), but the lesson's scores count once in trends, distributions
 * and the Rasch estimation, or a calibrated lesson would weigh double. Of the observations of one calibration lesson
 * (same teacher, same instrument, other observers, started within `CALIBRATION_WINDOW_MS`) the first is kept.
 */
export function oneRatingPerLesson<
  T extends Pick<SummaryRow, 'purpose' | 'observedId' | 'observerId' | 'instrumentId' | 'startedAt'>,
>(rows: readonly T[]): T[] {
  const kept = new Map<string, T[]>();
  const dropped = new Set<T>();
  for (const row of rows.filter((r) => r.purpose === 'calibration').sort((a, b) => a.startedAt - b.startedAt)) {
    const key = `${row.observedId} ${row.instrumentId}`;
    const lessons = kept.get(key) ?? [];
    if (lessons.some((k) => k.observerId !== row.observerId && row.startedAt - k.startedAt <= CALIBRATION_WINDOW_MS))
      dropped.add(row);
    else kept.set(key, [...lessons, row]);
  }
  return dropped.size === 0 ? [...rows] : rows.filter((r) => !dropped.has(r));
}
