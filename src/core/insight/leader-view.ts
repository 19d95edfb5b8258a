/**
 * Everything a school leader's page draws, computed in one pass from the summaries: what the screen renders, what
 * the benchmark times (`npm run bench`: from IndexedDB to this, for a school and a board), and what a school server
 * can send as is. The privacy rules of src/core/insight/aggregate.ts apply to every figure.
 */
import type { Instrument } from '../instrument/types';
import { flattenItems } from '../instrument/localize';
import type { Person, Team } from '../model/records';
import {
  coverage,
  domainTrend,
  levelDistribution,
  observationPairs,
  oneRatingPerLesson,
  participation,
  periodOf,
  release,
  teamDomainMatrix,
  releasableTeams,
  inReleasedTerms,
  byPeriod,
  type Participation,
  type Released,
  type SummaryRow,
  type Trend,
} from './aggregate';

export interface LeaderFilters {
  /** One team, or the whole school (''). */
  teamId: string;
  /** A school year ("2025-2026"), for the spread of ratings, the team overview and who observed whom. */
  year: string;
  instrumentId: string;
  /** Now, for "this term". */
  now: number;
}

export interface LeaderView {
  trend: Trend;
  /** Per domain, how often each level was given, in the chosen year. */
  distribution: Released<number[][]>;
  matrix: Array<{ teamId: string; cell: Released<Array<number | null>> }>;
  activity: Participation[];
  coverage: { observed: number; teachers: number; share: number; term: string };
  pairs: Array<{ observerId: string; observedId: string; count: number }>;
  /** The school years with data, newest first. */
  years: string[];
}

export function leaderView(
  rows: readonly SummaryRow[],
  instrument: Instrument,
  people: readonly Person[],
  teams: readonly Team[],
  filters: LeaderFilters,
): LeaderView {
  const domainIds = instrument.domains.map((d) => d.id);
  // Team dashboards are about what colleagues saw: self-assessments stay the teacher's own.
  const observed = rows.filter((r) => r.instrumentId === instrument.id && r.purpose !== 'self');
  // Scores count each lesson once (a calibration's two observers); who observed whom counts every observation.
  const all = oneRatingPerLesson(observed);
  const selected = filters.teamId ? all.filter((r) => r.teamId === filters.teamId) : all;
  const observedSelected = filters.teamId ? observed.filter((r) => r.teamId === filters.teamId) : observed;
  const parent = filters.teamId ? all : undefined;
  const inYear = (list: readonly SummaryRow[]) => list.filter((r) => periodOf(r.startedAt, 'year') === filters.year);
  const itemDomain = new Map(
    instrument.domains.flatMap((d, i) => flattenItems(d.items).map((item) => [item.id, i] as const)),
  );
  const levels = mostCommonLevels(instrument);
  const teachers = people
    .filter((p) => p.role === 'teacher' && !p.archivedAt && (!filters.teamId || p.teamId === filters.teamId))
    .map((p) => p.id);
  const term = periodOf(filters.now, 'term');
  const teamIds = teams.filter((team) => !team.archivedAt).map((team) => team.id);
  // A team is shown only where it may be shown beside the school's figures (see releasableTeams), per term.
  const trend = domainTrend(selected, domainIds, 'term', parent);
  if (filters.teamId) {
    const parentTerms = new Map(byPeriod(all, 'term'));
    trend.points = trend.points.map((point, i) =>
      point.shown && !releasableTeams(parentTerms.get(trend.periods[i]!) ?? [], teamIds).has(filters.teamId)
        ? { shown: false, why: 'complement-too-few', teachers: point.teachers }
        : point,
    );
  }
  // Year figures count only the terms that are shown themselves (see inReleasedTerms).
  const yearRows = inReleasedTerms(inYear(selected));
  const yearShown = !filters.teamId || releasableTeams(inYear(all), teamIds).has(filters.teamId);
  const distribution = release(
    yearRows,
    (list) => levelDistribution(list, itemDomain, domainIds.length, levels),
    parent ? inReleasedTerms(inYear(parent)) : undefined,
  );
  return {
    trend,
    distribution:
      distribution.shown && !yearShown
        ? { shown: false, why: 'complement-too-few', teachers: distribution.teachers }
        : distribution,
    // Each team's year row counts only that team's terms that could be shown on their own.
    matrix: teamDomainMatrix(
      teamIds
        .flatMap((id) => inReleasedTerms(inYear(all).filter((r) => r.teamId === id)))
        .concat(inYear(all).filter((r) => !r.teamId || !teamIds.includes(r.teamId))),
      teamIds,
      domainIds,
    ),
    activity: participation(observedSelected, 'term'),
    coverage: { ...coverage(observedSelected, teachers, term, 'term'), term },
    pairs: observationPairs(inYear(observedSelected)).slice(0, 12),
    years: [...new Set(all.map((r) => periodOf(r.startedAt, 'year')))].sort().reverse(),
  };
}

/** The number of levels of the scale most rating items use. */
function mostCommonLevels(instrument: Instrument): number {
  const scales = new Map(instrument.scales.map((s) => [s.id, s.levels.length]));
  const counts = new Map<number, number>();
  for (const item of instrument.domains.flatMap((d) => flattenItems(d.items))) {
    if (item.response.type !== 'rating') continue;
    const k = scales.get(item.response.scale) ?? 0;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 4;
}
