/**
 * A leader's count of stalled feedback cycles (src/core/feedback/stalled.ts). Signed in to a school server, the
 * server counts over the whole school (the leader's device holds only their own and shared observations); a
 * device-only school counts its own database with the same core function.
 */
import { alive, db } from '../database/db';
import { getOpenAccount } from './accounts';
import type { Fetch } from './sync-transport';
import { stalledCycles, WAITING_FOR, type Cycle, type StalledCycles } from '../../core/feedback/stalled';
import { dueAfterDaysOf } from '../../core/feedback/stages';

const isCount = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  WAITING_FOR.every((step) => Number.isInteger((value as Record<string, unknown>)[step]));

/** The server's answer, checked before it is drawn: a proxy's page or another version is refused. */
function parseStalled(value: unknown): StalledCycles {
  const answer = value as Partial<StalledCycles> | null;
  const ok =
    !!answer &&
    Number.isInteger(answer.dueAfterDays) &&
    (answer.school === null || isCount(answer.school)) &&
    (answer.others === null || isCount(answer.others)) &&
    Array.isArray(answer.teams) &&
    answer.teams.every((row) => typeof row?.teamId === 'string' && isCount(row.count));
  if (!ok) throw new Error("The school server's count of stalled cycles is not valid");
  return answer as StalledCycles;
}

async function countHere(now: number): Promise<StalledCycles> {
  const database = db();
  const [observations, reflections, people, teams, schools] = await Promise.all([
    database.observations.toArray(),
    database.reflections.toArray(),
    database.people.toArray(),
    database.teams.toArray(),
    database.schools.toArray(),
  ]);
  const reflectionOf = new Map(reflections.filter((r) => alive(r)).map((r) => [r.observationId, r]));
  const cycles: Cycle[] = observations
    .filter((o) => alive(o) && o.status !== 'draft')
    .map((o) => {
      const reflection = reflectionOf.get(o.id);
      return reflection ? { ...o, reflection } : o;
    });
  return stalledCycles(
    cycles,
    people.filter((p) => alive(p)),
    teams.filter((t) => alive(t)),
    now,
    dueAfterDaysOf(schools.find((s) => alive(s))),
  );
}

/** The counts, or undefined when the school server cannot answer now (offline, or not a leader there). */
export async function loadStalledCycles(
  options: { fetch?: Fetch; now?: number } = {},
): Promise<StalledCycles | undefined> {
  const now = options.now ?? Date.now();
  if (!getOpenAccount()) return countHere(now);
  try {
    // The sync client loads only here, on a signed-in leader's tablet, not with every leader's team page.
    const { callServer } = await import('./sync-transport');
    return parseStalled(
      await callServer('GET', '/api/insight/stalled', undefined, options.fetch ? { fetch: options.fetch } : {}),
    );
  } catch {
    return undefined;
  }
}
