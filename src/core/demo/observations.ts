/**
 * Who observes whom, and when, over the demo school's years: each year's lessons shared out by participation, the
 * purpose and observer of each, a few drafts from the last school days, and requests still open for the coming days.
 */
import { newRecordBase } from '../model/records';
import type { ObservationRequest, Purpose } from '../model/records';
import { DAY, HOUR, MINUTE, type SchoolDay } from './calendar';
import { DECLINE_REASONS } from './content';
import { isoDate, type Actor, type Generation, type Teacher, type YearInfo } from './generation';
import {
  addObservation,
  contextFor,
  focusFor,
  lessonLength,
  lessonStart,
  subjectFor,
  withLessonLength,
} from './lesson';
import { drawOther, pool, type Pool } from './people';
import type { Plan } from './plan';

/** The pools a year's observers are drawn from: the whole school, and each team. */
interface ObserverPools {
  school: Pool;
  teams: Pool[];
}

/** The share of a year's lessons observed with an instrument in cycles, when the school has one (on top of the others). */
const CYCLES_SHARE = 0.05;

/**
 * A school year's completed observations: each present teacher's share of the budget, in random order. With
 * `inCycles`, a few more lessons (a small share of the budget), each a colleague's or the leader's visit with that
 * instrument in cycles.
 */
export function observeYear(gen: Generation, year: YearInfo, inCycles?: Plan): void {
  const { rng } = gen;
  const days = year.pastDays;
  if (days.length === 0 || year.days.length === 0) return;
  const present = gen.teachers.filter((t) => t.joinYear <= year.index);
  const pools: ObserverPools = {
    school: pool(present, (t) => t.observerWeight[year.index]!),
    teams: gen.teams.map((_, teamIndex) =>
      pool(
        present.filter((t) => t.teamIndex === teamIndex),
        (t) => t.observerWeight[year.index]!,
      ),
    ),
  };
  const totalWeight = present.reduce((sum, t) => sum + t.observedWeight[year.index]!, 0);
  if (totalWeight <= 0) return;

  // Each teacher's share of the year's observations follows their participation weight (rounded at random, so
  // the shares add up to the budget on average); a partial current year gets its share of the budget.
  const budget =
    ((gen.settings.teacherCount * gen.settings.perYear * days.length) / year.days.length) *
    (inCycles ? CYCLES_SHARE : 1);
  const lessons: Teacher[] = [];
  for (const teacher of present) {
    const expected = (budget * teacher.observedWeight[year.index]!) / totalWeight;
    const count = Math.floor(expected) + (rng.chance(expected - Math.floor(expected)) ? 1 : 0);
    for (let n = 0; n < count; n++) lessons.push(teacher);
  }

  for (const observed of rng.shuffle(lessons)) observeLesson(gen, year, pools, observed, inCycles);
}

/** The purpose of an observation of this teacher: starters mostly get their coach and the leader. */
function purposeFor(gen: Generation, observed: Teacher): Purpose {
  // Starters: mostly their coach, and the leader (their competence portfolio needs the leader's observations).
  const r = gen.rng.next();
  const purpose: Purpose = observed.starter
    ? r < 0.45
      ? 'coach'
      : r < 0.62
        ? 'leader'
        : r < 0.92
          ? 'peer'
          : 'self'
    : r < 0.76
      ? 'peer'
      : r < 0.84
        ? 'leader'
        : r < 0.95
          ? 'self'
          : 'calibration';
  return purpose === 'coach' && !observed.coach ? 'peer' : purpose;
}

/** Who observes for a purpose (a colleague, mostly from the team, for peer and calibration), and the purpose it became. */
function observerFor(
  gen: Generation,
  pools: ObserverPools,
  observed: Teacher,
  wanted: Purpose,
): { purpose: Purpose; observer: Actor | undefined } {
  let purpose = wanted;
  let observer: Actor | undefined;
  if (purpose === 'peer' || purpose === 'calibration') {
    const team = pools.teams[observed.teamIndex]!;
    observer =
      (gen.rng.chance(0.75) ? drawOther(team, gen.rng, observed) : undefined) ??
      drawOther(pools.school, gen.rng, observed);
    if (!observer) purpose = 'leader';
  }
  if (purpose === 'leader') observer = gen.leader;
  if (purpose === 'self') observer = observed;
  if (purpose === 'coach') observer = observed.coach ?? gen.leader;
  return { purpose, observer };
}

/**
 * One completed lesson of a teacher this year; a calibration lesson is observed twice, by a second observer
 * alongside. `inCycles`: a colleague's or the leader's visit with that instrument in cycles.
 */
function observeLesson(
  gen: Generation,
  year: YearInfo,
  pools: ObserverPools,
  observed: Teacher,
  inCycles: Plan | undefined,
): void {
  const { rng } = gen;
  const days = year.pastDays;
  const wanted: Purpose = inCycles ? (rng.chance(0.75) ? 'peer' : 'leader') : purposeFor(gen, observed);

  // Starters are visited after their first weeks at school.
  const eligibleDays =
    observed.starter && observed.joinYear === year.index ? days.slice(Math.min(days.length - 1, 15)) : days;
  const day = rng.pick(eligibleDays);
  const startedAt = lessonStart(rng, day);
  const lessonEffect = rng.normal(0, 0.35);
  const subject = subjectFor(rng, observed);

  const { purpose, observer } = observerFor(gen, pools, observed, wanted);
  if (!observer) return;

  const plan =
    inCycles ?? (purpose === 'self' ? gen.plans.self : purpose === 'coach' ? gen.plans.coach : gen.plans.main);
  const context = contextFor(rng, plan, observed, subject);
  const focusQuestion = focusFor(rng, observed, year, purpose);
  const elapsedMs = lessonLength(rng);
  withLessonLength(plan, context, elapsedMs);
  const base = { plan, observed, purpose, year, startedAt, lessonEffect, context, focusQuestion, draft: false };
  addObservation(gen, { ...base, observer, elapsedMs });
  if (purpose === 'calibration') {
    // The second observer of the same lesson: the leader or a coach, who watched alongside.
    const second: Actor = gen.coaches.length > 0 && rng.chance(0.5) ? rng.pick(gen.coaches) : gen.leader;
    addObservation(gen, {
      ...base,
      context: { ...context },
      observer: second,
      elapsedMs: elapsedMs + rng.int(-60, 60) * 1000,
    });
  }
}

/** The school year a school day belongs to. */
function yearOf(years: YearInfo[], date: number): YearInfo {
  for (let i = years.length - 1; i >= 0; i--)
    if (years[i]!.days[0] && years[i]!.days[0]!.date <= date) return years[i]!;
  return years[0]!;
}

/** A few drafts from the last school days, not yet finished: a coach's, a colleague's or the leader's. */
export function addDrafts(gen: Generation): void {
  const { rng, teachers, plans } = gen;
  const allPastDays: SchoolDay[] = gen.years.flatMap((y) => y.pastDays);
  const recentDays = allPastDays.slice(-5);
  if (recentDays.length === 0) return;
  const draftCount = rng.int(1, 3);
  for (let n = 0; n < draftCount; n++) {
    const day = rng.pick(recentDays);
    const year = yearOf(gen.years, day.date);
    const present = teachers.filter((t) => t.joinYear <= year.index);
    const observed = rng.pick(present.length > 0 ? present : teachers);
    const coach = observed.starter && observed.coach && rng.chance(0.5) ? observed.coach : undefined;
    const colleague = drawOther(
      pool(present, (t) => t.observerWeight[year.index]!),
      rng,
      observed,
    );
    const observer: Actor = coach ?? colleague ?? gen.leader;
    const purpose: Purpose = coach ? 'coach' : colleague ? 'peer' : 'leader';
    const plan = purpose === 'coach' ? plans.coach : plans.main;
    addObservation(gen, {
      plan,
      observer,
      observed,
      purpose,
      year,
      startedAt: lessonStart(rng, day),
      elapsedMs: rng.int(10, 30) * MINUTE + rng.int(0, 59) * 1000,
      lessonEffect: rng.normal(0, 0.35),
      context: contextFor(rng, plan, observed, subjectFor(rng, observed)),
      focusQuestion: focusFor(rng, observed, year, purpose),
      draft: true,
    });
  }
}

/** Requests still open: a few teachers asked a colleague to come and look in the coming school days; one was declined. */
export function addOpenRequests(gen: Generation): void {
  const { rng, now, teachers } = gen;
  const mainPlan = gen.plans.main;
  const current = gen.years[gen.years.length - 1]!;
  const upcoming = current.days.filter((d) => d.date > gen.today).slice(0, 10);
  const askers = rng
    .shuffle(teachers.filter((t) => t.joinYear <= current.index))
    .slice(0, upcoming.length > 0 ? rng.int(3, 5) : 0);
  askers.forEach((asker, n) => {
    const observer = drawOther(
      pool(teachers, (t) => t.observerWeight[current.index]!),
      rng,
      asker,
    );
    if (!observer) return;
    const askedAt = now - rng.int(1, 4) * DAY;
    const request: ObservationRequest = {
      ...newRecordBase(rng.uuid(), asker.person.id, askedAt),
      requesterId: asker.person.id,
      observedId: asker.person.id,
      observerId: observer.person.id,
      purpose: 'peer',
      instrumentKey: mainPlan.key,
      context: contextFor(rng, mainPlan, asker, subjectFor(rng, asker)),
      plannedOn: isoDate(rng.pick(upcoming).localMidnight + 12 * HOUR),
    };
    const focus = asker.focus[current.index];
    if (focus !== undefined) request.focusQuestion = focus;
    gen.records.requests.push(request);
    // One of them was declined, with a reason.
    if (n === 0) {
      gen.records.declines.push({
        ...newRecordBase(rng.uuid(), observer.person.id, Math.min(now, askedAt + rng.int(1, 20) * HOUR)),
        requestId: request.id,
        observerId: observer.person.id,
        reason: rng.pick(DECLINE_REASONS),
      });
    }
  });
}
