/**
 * The demo school's teams and people: the leader, one or two coaches, and teachers spread over the teams (a few of
 * them starters, each with a coach), each with an ability that grows over the years, a leniency as observer, and
 * a participation that differs from year to year. Also the weighted pools observers and observed are drawn from.
 */
import type { Person, Team, Timestamp, Uuid } from '../model/records';
import { newRecordBase } from '../model/records';
import { DAY, YEAR } from './calendar';
import {
  FIRST_NAMES,
  FOCUS_QUESTIONS,
  LAST_NAMES,
  STARTER_FOCUS_QUESTIONS,
  teamLayout,
  type TeamPlan,
} from './content';
import type { Actor, Founding, Setup, Teacher, YearInfo } from './generation';
import type { Random } from './random';

/** Ability on the logit scale at a moment: experienced teachers grow slowly and linearly, starters fast, levelling off. */
export function abilityAt(teacher: Teacher, at: Timestamp, spanStart: Timestamp): number {
  if (teacher.starter)
    return teacher.base + teacher.growth * (1 - Math.exp(-Math.max(0, at - teacher.joinedAt) / YEAR));
  return teacher.base + (teacher.growth * (at - spanStart)) / YEAR;
}

// ---------------------------------------------------------------------------------------------------------------
// Participation: teachers drawn in proportion to a weight

export interface Pool {
  members: Teacher[];
  cumulative: number[];
  total: number;
}

/** A pool to draw teachers from, each in proportion to its weight. */
export function pool(members: Teacher[], weight: (t: Teacher) => number): Pool {
  const cumulative: number[] = [];
  let total = 0;
  for (const m of members) {
    total += weight(m);
    cumulative.push(total);
  }
  return { members, cumulative, total };
}

/** One teacher from a pool (one draw), or none when the pool is empty or weighs nothing. */
function drawFrom(p: Pool, rng: Random): Teacher | undefined {
  if (p.members.length === 0 || p.total <= 0) return undefined;
  const r = rng.next() * p.total;
  let lo = 0;
  let hi = p.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (p.cumulative[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return p.members[lo];
}

/** Draws from a pool, avoiding one teacher; gives up after a few tries (when the pool is nearly only that teacher). */
export function drawOther(p: Pool, rng: Random, avoid: Teacher): Teacher | undefined {
  for (let attempt = 0; attempt < 8; attempt++) {
    const t = drawFrom(p, rng);
    if (t && t !== avoid) return t;
  }
  return p.members.find((m) => m !== avoid);
}

// ---------------------------------------------------------------------------------------------------------------
// Teams and people, in the order they are drawn

/** A name no one at the school has yet (numbered when the name lists run out). */
function personName(rng: Random, used: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    const candidate = attempt < 40 ? name : `${name} ${attempt}`;
    if (!used.has(candidate)) {
      used.add(candidate);
      return candidate;
    }
  }
}

/** A record base created by the school's leader. */
const byLeader = (founding: Founding, id: Uuid, createdAt: Timestamp) =>
  newRecordBase(id, founding.leaderId, createdAt);

/** The teams, as the layout for their number gives them, founded with the school. */
export function formTeams(setup: Setup, founding: Founding): { layout: TeamPlan[]; teams: Team[] } {
  const layout = teamLayout(setup.settings.teamCount);
  const teams: Team[] = layout.map((plan) => ({
    ...byLeader(founding, setup.rng.uuid(), founding.founded),
    name: plan.name,
  }));
  return { layout, teams };
}

/** The leader and the coaches (two at a larger school, sometimes), there from the school's founding. */
export function appointStaff(
  setup: Setup,
  founding: Founding,
  names: Set<string>,
): { leader: Actor; coaches: Actor[] } {
  const { rng } = setup;
  const leader: Actor = {
    person: {
      ...byLeader(founding, founding.leaderId, founding.founded),
      name: personName(rng, names),
      role: 'leader',
      starter: false,
    },
    bias: rng.normal(0, 0.2),
  };
  const coachCount = setup.settings.teacherCount >= 12 ? rng.int(1, 2) : 1;
  const coaches: Actor[] = Array.from({ length: coachCount }, () => ({
    person: {
      ...byLeader(founding, rng.uuid(), founding.founded + rng.int(0, 20) * DAY),
      name: personName(rng, names),
      role: 'coach',
      starter: false,
    },
    bias: rng.normal(0, 0.2),
  }));
  return { leader, coaches };
}

/** Which teachers (by index) are starters: about a sixth of them, at least a few, spread over the teams. */
export function chooseStarters(setup: Setup, layout: TeamPlan[]): Set<number> {
  const { rng } = setup;
  const { teacherCount, teamCount } = setup.settings;
  const starterCount = Math.min(
    teacherCount,
    Math.max(Math.min(3, Math.ceil(teacherCount / 4)), Math.round(teacherCount * (0.15 + 0.05 * rng.next()))),
  );
  // Starters spread over the teams: a random teacher of each team in turn.
  const byTeam = layout.map(() => [] as number[]);
  for (const i of rng.shuffle(Array.from({ length: teacherCount }, (_, i) => i))) byTeam[i % teamCount]!.push(i);
  const teamOrder = rng.shuffle(byTeam);
  const starterIndexes = new Set<number>();
  for (let round = 0; starterIndexes.size < starterCount; round++) {
    for (const members of teamOrder)
      if (members[round] !== undefined && starterIndexes.size < starterCount) starterIndexes.add(members[round]!);
  }
  return starterIndexes;
}

/** What the teachers are appointed into: the school, its years and teams, its coaches, and who the starters are. */
export interface Staffing {
  founding: Founding;
  years: YearInfo[];
  layout: TeamPlan[];
  teams: Team[];
  coaches: Actor[];
  starters: Set<number>;
  /** Names already taken. */
  names: Set<string>;
}

/** The teachers, in index order: teacher `index` is in team `index mod teams`. */
export function appointTeachers(setup: Setup, staffing: Staffing): Teacher[] {
  const teachers: Teacher[] = [];
  let starterRank = 0;
  for (let index = 0; index < setup.settings.teacherCount; index++) {
    const starter = staffing.starters.has(index);
    teachers.push(appointTeacher(setup, staffing, index, starter ? starterRank++ : undefined));
  }
  return teachers;
}

/**
 * One teacher: team and group, when they joined, ability and growth, strong and weak domains, focus questions and
 * participation per year, and their person record. `starterRank` numbers the starters (0, 1, …); undefined for an
 * experienced teacher.
 */
function appointTeacher(setup: Setup, staffing: Staffing, index: number, starterRank: number | undefined): Teacher {
  const { rng, now } = setup;
  const { teamCount, yearCount } = setup.settings;
  const { founding, years, layout, teams, coaches } = staffing;
  const teamIndex = index % teamCount;
  const teamPlan = layout[teamIndex]!;
  const group = teamPlan.groups[Math.floor(index / teamCount) % teamPlan.groups.length]!;
  const starter = starterRank !== undefined;
  // Starters: most in their second year now, a fourth one in their first.
  const joinYear = starter ? Math.max(0, yearCount - (starterRank < 3 ? 2 : 1)) : 0;
  const joinedAt = starter ? years[joinYear]!.start + rng.int(1, 19) * DAY : founding.founded + rng.int(0, 20) * DAY;
  const domainOffset = new Map<string, number>();
  for (const id of setup.plans.main.domainIds) domainOffset.set(id, rng.normal(0, 0.3));
  const focus: Array<string | undefined> = years.map(() =>
    rng.chance(0.65) ? rng.pick(starter ? STARTER_FOCUS_QUESTIONS : FOCUS_QUESTIONS) : undefined,
  );
  // Participation: some are keen, some reluctant, and some hardly take part in a given year (leave, a busy year).
  // Starters are always in the picture (their coaching trajectory), and colleagues like to visit them.
  const keen = rng.normal(0, 0.7);
  const observedWeight = years.map(() =>
    starter ? 2 * Math.exp(rng.normal(0, 0.3)) : rng.chance(0.08) ? 0.05 : Math.exp(keen + rng.normal(0, 0.15)),
  );
  const observerWeight = years.map(() => (rng.chance(0.1) ? 0.05 : Math.exp(keen + rng.normal(0, 0.5))));
  const currentFocus = focus[yearCount - 1];
  // The coach after the one of the previous starter: the first starter has the second coach, when there are two.
  const coach = starter ? coaches[(starterRank + 1) % coaches.length] : undefined;
  const person: Person = {
    ...byLeader(founding, rng.uuid(), joinedAt),
    name: personName(rng, staffing.names),
    role: 'teacher',
    teamId: teams[teamIndex]!.id,
    starter,
    ...(coach ? { coachId: coach.person.id } : {}),
    ...(currentFocus !== undefined ? { focusQuestion: currentFocus } : {}),
  };
  const lastYear = years[yearCount - 1]!;
  if (currentFocus !== undefined)
    person.updatedAt = Math.min(now, Math.max(joinedAt, lastYear.start + rng.int(20, 60) * DAY));
  return {
    person,
    bias: rng.normal(0, 0.25),
    index,
    teamIndex,
    group,
    pupils: group === 1 ? rng.int(22, 30) : rng.int(19, 31),
    starter,
    joinYear,
    joinedAt,
    base: starter ? rng.normal(-1.5, 0.3) : rng.normal(0.5, 0.8),
    growth: starter ? rng.normal(2, 0.25) : Math.max(0.05, rng.normal(0.35, 0.1)),
    domainOffset,
    ...(coach ? { coach } : {}),
    observedWeight,
    observerWeight,
    focus,
  };
}
