/**
 * A signed-in leader's team figures, from the school server (`GET /api/insight/team`). The leader's own database
 * holds only their own and shared observations (README, "From observation to conversation, and who sees what"), so figures computed on the
 * device would be wrong; the server computes them with the same core code and sends only what may be shown.
 *
 * The last answer per filter set is kept in this person's database (a device setting, never synced), so the team
 * screen still shows figures offline, saying how old they are.
 */
import { db } from '../database/db';
import { saveDeviceSetting } from '../writes/local';
import { callServer, SyncHttpError, SyncOffline, type Fetch } from './sync-transport';
import type { TeamInsight } from '../../core/insight/team-insight';

export type { TeamInsight };

export interface TeamInsightFilters {
  /** One team, or the whole school (''). */
  teamId: string;
  /** A school year, or '' for the newest with data (the server picks it). */
  year: string;
  /** An instrument id, or '' for the main one (the server picks it). */
  instrumentId: string;
}

/** Why the figures shown are not fresh from the server (or there are none). */
type TeamInsightProblem = 'offline' | 'server' | 'signed-out';

export type TeamInsightResult =
  /** Fresh from the server; `at`: when it answered. */
  | { status: 'current'; insight: TeamInsight; at: number }
  /** The last known answer for these filters, from `at`: the server could not give a new one. */
  | { status: 'stale'; insight: TeamInsight; at: number; problem: TeamInsightProblem }
  /** No answer and nothing kept for these filters. */
  | { status: 'unavailable'; problem: TeamInsightProblem }
  /** The server says this person is not a school leader (any more): nothing is shown, the kept figures are dropped. */
  | { status: 'not-a-leader' };

/** The device setting a filter set's last answer is kept under. */
export const cacheKey = (filters: TeamInsightFilters) =>
  `teamInsight:${JSON.stringify([filters.teamId, filters.year, filters.instrumentId])}` as const;

interface Cached {
  at: number;
  insight: TeamInsight;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isEstimationNotes = (value: unknown): boolean =>
  isObject(value) &&
  typeof value.defaultsUsed === 'boolean' &&
  typeof value.notConnected === 'boolean' &&
  Number.isInteger(value.ignoredLevels) &&
  (value.ignoredLevels as number) >= 0;

/** What the screen needs to draw, checked before it is kept or drawn: a proxy's page or another version is refused. */
function parseTeamInsight(value: unknown): TeamInsight {
  const ok =
    isObject(value) &&
    Array.isArray(value.instrumentIds) &&
    value.instrumentIds.every((id) => typeof id === 'string') &&
    (value.instrumentId === null || typeof value.instrumentId === 'string') &&
    (value.view === null ||
      (isObject(value.view) &&
        isObject(value.view.trend) &&
        Array.isArray(value.view.years) &&
        Array.isArray(value.view.matrix))) &&
    (value.themes === null || (isObject(value.themes) && Array.isArray(value.themes.themes))) &&
    (value.estimation === undefined || value.estimation === null || isEstimationNotes(value.estimation));
  if (!ok) throw new SyncHttpError(200, 'bad-response', "The school server's team figures are not valid");
  return value as unknown as TeamInsight;
}

async function readCached(key: ReturnType<typeof cacheKey>): Promise<Cached | undefined> {
  try {
    const cached = JSON.parse((await db().device.get(key))?.value ?? 'null') as Cached | null;
    return cached && typeof cached.at === 'number'
      ? { at: cached.at, insight: parseTeamInsight(cached.insight) }
      : undefined;
  } catch {
    // A kept answer that cannot be read is as none.
    return undefined;
  }
}

function problemOf(error: unknown): TeamInsightProblem {
  if (error instanceof SyncOffline) return 'offline';
  if (error instanceof SyncHttpError && error.status === 401) return 'signed-out';
  return 'server';
}

/**
 * Asks the server for the team figures with these filters, keeps the answer, and returns it; when the server
 * cannot answer, the last answer kept for the same filters (`stale`), or `unavailable`. A 403 (not a leader on the
 * server) drops what was kept for these filters. A failure to keep the answer (storage full) does not hide it.
 */
export async function loadTeamInsight(
  filters: TeamInsightFilters,
  options: { fetch?: Fetch; now?: () => number } = {},
): Promise<TeamInsightResult> {
  const key = cacheKey(filters);
  const query = new URLSearchParams({
    teamId: filters.teamId,
    year: filters.year,
    ...(filters.instrumentId ? { instrumentId: filters.instrumentId } : {}),
  });
  let insight: TeamInsight;
  try {
    insight = parseTeamInsight(
      await callServer(
        'GET',
        `/api/insight/team?${query.toString()}`,
        undefined,
        options.fetch ? { fetch: options.fetch } : {},
      ),
    );
  } catch (error) {
    if (error instanceof SyncHttpError && error.status === 403) {
      await saveDeviceSetting({ key, value: 'null' }).catch(() => undefined);
      return { status: 'not-a-leader' };
    }
    const problem = problemOf(error);
    const cached = await readCached(key);
    return cached
      ? { status: 'stale', insight: cached.insight, at: cached.at, problem }
      : { status: 'unavailable', problem };
  }
  const at = (options.now ?? Date.now)();
  try {
    await saveDeviceSetting({ key, value: JSON.stringify({ at, insight } satisfies Cached) });
  } catch (error) {
    console.warn('Meekijken could not keep the team figures for offline use', error);
  }
  return { status: 'current', insight, at };
}
