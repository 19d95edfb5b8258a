/**
 * From observation summaries to each teacher's next steps and the team's themes: the Rasch estimation of the
 * instrument's items on the school's own ratings (src/core/statistics/rasch/), then per teacher the items just
 * above their level (src/core/statistics/next-steps.ts), then per team the items most often among its members' next
 * steps. Plain data in and out, so it runs in a Web Worker in the app and on a school server alike; both compute from
 * the compact form of development-data.ts, which is what the app's worker receives.
 *
 * Self-assessments are left out of the estimation: a teacher's view of themselves is another measurement than a
 * colleague's (it runs higher) and would tilt their ability. Ratings are already turned for reverse-keyed items in
 * the summaries.
 *
 * What the summaries hold is not taken on trust: a level outside the item's scale (NaN, −1, 9 on a four-level item)
 * counts neither for the estimate nor as the latest level, and the result says how many there were
 * (`ignoredLevels`); ratings that fall apart in unconnected blocks are estimated as the estimation decides
 * (`estimateRasch`: the largest block), and the result names the items left at the instrument's difficulty
 * (`notConnectedItemIds`). No number in the result is NaN or Infinity.
 */
import type { Instrument } from '../instrument/types';
import { estimateRasch, type RaschEstimate } from '../statistics/rasch';
import { nextSteps, teamThemes, type NextStep, type NextStepOptions, type TeamThemes } from '../statistics/next-steps';
import { oneRatingPerLesson, releasableTeams, type SummaryRow } from './aggregate';
import { developmentData, type DevelopmentData } from './development-data';

export { raschItems } from './development-data';

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
  /**
   * Ratings left out because their level lies outside the item's scale (NaN, negative, not a whole number, too
   * high), in the lessons taken in: they count neither for the estimate nor as a teacher's latest level.
   */
  ignoredLevels: number;
  /** The unconnected blocks the ratings fell into (`RaschEstimate.blocks`): 1 when they hang together. */
  blocks: number;
  /** Items rated only in a smaller unconnected block: they keep the instrument's difficulty ('not-connected'). */
  notConnectedItemIds: string[];
}

/**
 * What a reader of the themes should know about how they were estimated, for the whole school (no teacher in it):
 * the difficulties came (partly) from the instrument, some items could not be compared with the rest, ratings
 * outside the scale were left out. The device and the school server say the same.
 */
export interface EstimationNotes {
  defaultsUsed: boolean;
  notConnected: boolean;
  ignoredLevels: number;
}

export const estimationNotes = (result: Development): EstimationNotes => ({
  defaultsUsed: result.source === 'defaults',
  notConnected: result.notConnectedItemIds.length > 0,
  ignoredLevels: result.ignoredLevels,
});

export interface DevelopmentInput {
  rows: readonly SummaryRow[];
  instrument: Instrument;
  /** Team id per teacher. */
  teams: Readonly<Record<string, string | undefined>>;
  options?: NextStepOptions;
}

/** From the summaries themselves: `developmentData`, then `developmentFromData`. */
export function development({ rows, instrument, teams, options }: DevelopmentInput): Development {
  return developmentFromData(developmentData(rows, instrument, teams), options);
}

/** Next steps and themes from the compact form (development-data.ts), as a Web Worker receives it. */
export function developmentFromData(data: DevelopmentData, options?: NextStepOptions): Development {
  const { lessons, ratings, personIds, items: raschItemList } = data;
  // A calibrated lesson's ratings count once (oneRatingPerLesson): the second observer's lesson is left out.
  const person = lessons.observed.slice();
  const calibration = [...lessons.calibration.keys()]
    .filter((l) => lessons.calibration[l] === 1)
    .map((l) => ({
      lesson: l,
      purpose: 'calibration' as const,
      observedId: personIds[lessons.observed[l]!]!,
      observerId: personIds[lessons.observer[l]!]!,
      instrumentId: data.instrumentId,
      startedAt: lessons.startedAt[l]!,
    }));
  const kept = new Set(oneRatingPerLesson(calibration).map((c) => c.lesson));
  for (const c of calibration) if (!kept.has(c.lesson)) person[c.lesson] = -1;

  const estimate = estimateRasch(
    { personIds, person, ratingStart: ratings.start, item: ratings.item, level: ratings.level },
    raschItemList,
  );
  const latest = latestLevels(data, person);
  const items = estimate.items.map((item) => ({ itemId: item.itemId, thresholds: item.thresholds }));
  const teachers = estimate.persons.map((p) => ({
    personId: p.personId,
    theta: p.theta,
    standardError: p.standardError,
    observations: p.observations,
    steps: nextSteps(p.theta, items, { ...options, latestLevels: latest.get(p.personId) ?? {} }),
  }));
  const personIndex = new Map(personIds.map((id, p) => [id, p]));
  const teamOf = (id: string) => data.teamIds[data.personTeam[personIndex.get(id)!]!];
  // Who the lessons taken in observed, and the teams they count for: all that decides which teams may be shown.
  const counted = new Map<string, { observedId: string; teamId?: string }>();
  person.forEach((p, l) => {
    if (p < 0) return;
    const teamId = data.teamIds[lessons.team[l]!];
    counted.set(`${p} ${lessons.team[l]}`, { observedId: personIds[p]!, ...(teamId ? { teamId } : {}) });
  });
  const shownTeams = releasableTeams([...counted.values()], data.teamIds);
  const byTeam = new Map<string, NextStep[][]>();
  for (const teacher of teachers) {
    const team = teamOf(teacher.personId);
    if (!team) continue;
    byTeam.set(team, [...(byTeam.get(team) ?? []), teacher.steps]);
  }
  return {
    instrumentId: data.instrumentId,
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
    ignoredLevels: estimate.outOfScaleLevels,
    blocks: estimate.blocks,
    notConnectedItemIds: estimate.items.filter((i) => i.defaultReason === 'not-connected').map((i) => i.itemId),
  };
}

/**
 * The latest level per teacher and item of the lessons taken in (`person[l]` ≥ 0), by item id: an item last seen at
 * a sufficient level is mastered. Of lessons at the same moment, the later in the rows counts. A level outside the
 * item's scale is no level: it is passed over, and an earlier one stays the latest.
 */
function latestLevels(data: DevelopmentData, person: Int32Array): Map<string, Record<string, number>> {
  const { lessons, ratings, items } = data;
  const level = new Int16Array(data.personIds.length * items.length).fill(-1);
  const at = new Float64Array(level.length).fill(-Infinity);
  const seen = new Set<number>();
  person.forEach((p, l) => {
    if (p < 0) return;
    seen.add(p);
    const started = lessons.startedAt[l]!;
    for (let r = ratings.start[l]!; r < ratings.start[l + 1]!; r++) {
      const i = ratings.item[r]!;
      if (!(i < items.length) || !(ratings.level[r]! < items[i]!.levels)) continue;
      const cell = p * items.length + i;
      if (started < at[cell]!) continue;
      at[cell] = started;
      level[cell] = ratings.level[r]!;
    }
  });
  const latest = new Map<string, Record<string, number>>();
  for (const p of seen) {
    const levels: Record<string, number> = {};
    items.forEach((item, i) => {
      const value = level[p * items.length + i]!;
      if (value >= 0) levels[item.itemId] = value;
    });
    latest.set(data.personIds[p]!, levels);
  }
  return latest;
}
