/**
 * The weekly digest for school leaders: how the school's feedback cycles moved in the last seven days, in counts
 * only, never who or what. A school with fewer teachers than team figures need (`MIN_GROUP`) gets no counts (a count of one there points
 * at a person); the digest then only says where to look.
 */
import { dueAfterDaysOf, hasFeedback } from '../feedback/stages';
import { stalledCycles, type Cycle, type StalledCount } from '../feedback/stalled';
import type { ObservationRequest, Person, School, Team, Timestamp } from '../model/records';

export const DIGEST_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface DigestCounts {
  /** Visits asked for in the last seven days. */
  requested: number;
  /** Feedback handed over in the last seven days. */
  handedOver: number;
  /** Feedback conversations held in the last seven days. */
  discussed: number;
  /** Cycles now waiting longer than the school allows, per step. */
  late: StalledCount;
}

/** The counts of the seven days up to `now`; undefined when the school is too small to show counts. */
export function digestCounts(
  cycles: ReadonlyArray<Cycle & { deletedAt?: Timestamp }>,
  requests: ReadonlyArray<Pick<ObservationRequest, 'createdAt' | 'withdrawnAt' | 'deletedAt'>>,
  people: readonly Pick<Person, 'id' | 'role' | 'teamId' | 'archivedAt' | 'deletedAt'>[],
  teams: readonly Pick<Team, 'id' | 'archivedAt' | 'deletedAt'>[],
  school: Pick<School, 'dueAfterDays'> | undefined,
  now: Timestamp,
): DigestCounts | undefined {
  const late = stalledCycles(cycles, people, teams, now, dueAfterDaysOf(school)).school;
  if (!late) return undefined;
  const since = now - DIGEST_DAYS * DAY_MS;
  const within = (at: Timestamp | undefined) => at !== undefined && at > since && at <= now;
  const live = cycles.filter((cycle) => cycle.deletedAt === undefined && hasFeedback(cycle));
  return {
    requested: requests.filter((r) => r.deletedAt === undefined && r.withdrawnAt === undefined && within(r.createdAt))
      .length,
    handedOver: live.filter((cycle) => cycle.status === 'shared' && within(cycle.handedOverAt)).length,
    discussed: live.filter((cycle) => cycle.status === 'shared' && within(cycle.reflection?.acknowledgedAt)).length,
    late,
  };
}
