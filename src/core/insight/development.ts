/**
 * From observation summaries to each teacher's next steps and the team's themes: the Rasch estimation of the
 * instrument's items on the school's own ratings (src/core/statistics/rasch/), then per teacher the items just
 * above their level (src/core/statistics/next-steps.ts), then per team the items most often among its members' next
 * steps. Plain data in and out, so it runs in a Web Worker in the app and on a school server alike.
 *
 * Self-assessments are left out of the estimation: a teacher's view of themselves is another measurement than a
 * colleague's (it runs higher) and would tilt their ability. Ratings are already turned for reverse-keyed items in
 * the summaries.
 */
import { flattenItems } from '../instrument/localize';
import type { Instrument } from '../instrument/types';
import { estimateRasch, type RaschEstimate, type RaschItem, type RaschObservation } from '../statistics/rasch';
import { nextSteps, teamThemes, type NextStep, type NextStepOptions, type TeamThemes } from '../statistics/next-steps';
import { oneRatingPerLesson, releasableTeams, type SummaryRow } from './aggregate';

interface TeacherDevelopment {
  personId: string;
  theta: number;
  standardError: number;
  observations: number;
  steps: NextStep[];
}

export interface Development {
  instrumentId: string;
  /** Whether item difficulties came from the school's data, the instrument's defaults, or both. */
  source: RaschEstimate['source'];
  /** Item locations (logits) by id, for explaining a step ("harder than …"). */
  itemLocations: Record<string, number>;
  teachers: TeacherDevelopment[];
  /** Per team id, the items most often in its members' next steps. */
  themes: Record<string, TeamThemes>;
  /** The whole school's themes (every observed teacher). */
  schoolThemes: TeamThemes;
  personsUsed: number;
  observationsUsed: number;
}

export interface DevelopmentInput {
  rows: readonly SummaryRow[];
  instrument: Instrument;
  /** Team id per teacher. */
  teams: Readonly<Record<string, string | undefined>>;
  options?: NextStepOptions;
}

/** The rating items of the instrument with their levels and default difficulty. */
export function raschItems(instrument: Instrument): RaschItem[] {
  const scales = new Map(instrument.scales.map((s) => [s.id, s]));
  return instrument.domains
    .flatMap((d) => flattenItems(d.items))
    .flatMap((item) => {
      if (item.response.type !== 'rating') return [];
      const levels = scales.get(item.response.scale)?.levels.length ?? 0;
      return levels >= 2
        ? [
            {
              itemId: item.id,
              levels,
              ...(item.difficulty !== undefined ? { defaultDifficulty: item.difficulty } : {}),
            },
          ]
        : [];
    });
}

export function development({ rows, instrument, teams, options }: DevelopmentInput): Development {
  // A calibrated lesson's ratings count once (oneRatingPerLesson).
  const used = oneRatingPerLesson(rows.filter((r) => r.instrumentId === instrument.id && r.purpose !== 'self'));
  const observations: RaschObservation[] = used.map((r) => ({
    personId: r.observedId,
    responses: Object.entries(r.summary.items).map(([itemId, [level]]) => ({ itemId, level })),
  }));
  const estimate = estimateRasch(observations, raschItems(instrument));
  // The latest level per teacher and item: an item last seen at a sufficient level is mastered.
  const latest = new Map<string, Record<string, number>>();
  for (const row of [...used].sort((a, b) => a.startedAt - b.startedAt)) {
    const levels = latest.get(row.observedId) ?? {};
    for (const [itemId, [level]] of Object.entries(row.summary.items)) levels[itemId] = level;
    latest.set(row.observedId, levels);
  }
  const items = estimate.items.map((item) => ({ itemId: item.itemId, thresholds: item.thresholds }));
  const teachers = estimate.persons.map((person) => ({
    personId: person.personId,
    theta: person.theta,
    standardError: person.standardError,
    observations: person.observations,
    steps: nextSteps(person.theta, items, { ...options, latestLevels: latest.get(person.personId) ?? {} }),
  }));
  const shownTeams = releasableTeams(
    used.map((r) => ({ ...r, ...(teams[r.observedId] ? { teamId: teams[r.observedId]! } : {}) })),
    [...new Set(Object.values(teams).filter((t): t is string => !!t))],
  );
  const byTeam = new Map<string, NextStep[][]>();
  for (const teacher of teachers) {
    const team = teams[teacher.personId];
    if (!team) continue;
    byTeam.set(team, [...(byTeam.get(team) ?? []), teacher.steps]);
  }
  return {
    instrumentId: instrument.id,
    source: estimate.source,
    itemLocations: Object.fromEntries(estimate.items.map((item) => [item.itemId, item.location])),
    teachers,
    // A team's themes beside the school's follow the same rule as every team figure (releasableTeams).
    themes: Object.fromEntries(
      [...byTeam].map(([team, steps]) => [
        team,
        shownTeams.has(team)
          ? teamThemes(steps)
          : { themes: [], members: steps.length, withheld: 'too-few-members' as const },
      ]),
    ),
    schoolThemes: teamThemes(teachers.map((teacher) => teacher.steps)),
    personsUsed: estimate.personsUsed,
    observationsUsed: estimate.observationsUsed,
  };
}
