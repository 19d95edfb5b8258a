/**
 * A believable demo school, generated from a seed: teams, teachers (some of them starters with a coach), school
 * years, and a few years of observations with ratings that follow a simple Rasch (partial-credit) model, so the
 * dashboards, the development focus ("zone of next development") and the Rasch estimation have realistic data to
 * work on. The same options always give the same school, to the last id.
 *
 * The model, in short: every teacher has an ability on the logit scale of the instrument's item difficulties.
 * Experienced teachers start around +0.5 (± 0.8) and grow slowly (about 0.35 logits a year, the team's own
 * professional development); starters start around −1.5 and grow fast in their
 * first years. A rating is drawn from the partial-credit model with step thresholds around the item's difficulty;
 * a lesson (good or bad day), an observer (lenient or strict) and a teacher's strong and weak domains shift it a
 * little. Self-assessments come out a little more positive than a colleague's view.
 *
 * Plain data in, plain records out: no clock, no Math.random, no platform APIs; `now` is the only notion of time.
 */
import type { Instrument, Scale, SnapshotField } from '../instrument/types';
import { hasRepeatedSections } from '../instrument/suggest';
import { byResponseKey, newRecordBase, responseId } from '../model/records';
import type {
  Feedback,
  Goal,
  ItemResponse,
  ObservationRequest,
  Reflection,
  RequestDecline,
  Note,
  Observation,
  ObservationStatus,
  Person,
  Purpose,
  RatingValue,
  School,
  SchoolYear,
  SnapshotValues,
  Team,
  Timestamp,
  Uuid,
} from '../model/records';
import { schoolYearOf } from '../model/school-year';
import { notApplicableItems } from '../observation/progress';
import { snapshotMinutes } from '../observation/snapshots';
import { drawLevel as drawPartialCredit, evenlySpacedSteps, logistic } from '../statistics/partial-credit';
import { ALL_SLOTS, amsterdamOffset, DAY, HOUR, MINUTE, schoolDays, WEDNESDAY_SLOTS, YEAR, type SchoolDay } from './calendar';
import {
  EVIDENCE,
  DECLINE_REASONS,
  FIRST_NAMES,
  FOCUS_QUESTIONS,
  groupLabel,
  LAST_NAMES,
  NEXT_STEPS,
  NOTES,
  REMARKS,
  SCHOOL_NAMES,
  STARTER_FOCUS_QUESTIONS,
  subjectsFor,
  teamLayout,
  TIPS,
  TOPS,
} from './content';
import { planFor, type Plan } from './plan';
import { followUp } from './cycle';
import { summarise } from '../insight/summary';
import { createRandom, type Random } from './random';

export interface DemoSchoolOptions {
  /** Default 2026. */
  seed?: number;
  /**
   * The installed instruments. The first of kind `observation` is required and used for most observations; a
   * `self-assessment` (preferably one based on it) is used for self-assessments and a `coaching` instrument for a
   * coach's visits to starters, when present. Instruments with repeated sections (cycles) are passed over.
   */
  instruments: Instrument[];
  /** Date.now()-style milliseconds: the generated school years end around this moment, nothing happens after it. */
  now: number;
  /** Default 3. */
  teams?: number;
  /** Teachers (role `teacher`); a leader and one or two coaches come on top. Default 20. */
  teachers?: number;
  /** School years, the last one being the current one. Default 2. */
  years?: number;
  /** Default 4; a partial current year gets its share. */
  observationsPerTeacherPerYear?: number;
  /**
   * Keep each observation's responses and notes (default true). A benchmark of a whole school board sets false:
   * the summaries, which dashboards read, are still computed from them, but a million responses are not kept.
   */
  keepResponses?: boolean;
}

export interface DemoSchool {
  school: School;
  teams: Team[];
  people: Person[];
  schoolYears: SchoolYear[];
  observations: Observation[];
  responses: ItemResponse[];
  notes: Note[];
  feedback: Feedback[];
  reflections: Reflection[];
  goals: Goal[];
  requests: ObservationRequest[];
  declines: RequestDecline[];
}

export const DEFAULT_DEMO_SEED = 2026;

interface YearInfo {
  index: number;
  record: SchoolYear;
  /** Instant of local midnight on 1 August. */
  start: Timestamp;
  days: SchoolDay[];
  /** School days strictly before today (completed lessons happen there). */
  pastDays: SchoolDay[];
}

// ---------------------------------------------------------------------------------------------------------------
// People and participation

interface Actor {
  person: Person;
  /** Observer leniency in logits. */
  bias: number;
}

interface Teacher extends Actor {
  index: number;
  teamIndex: number;
  group: number;
  pupils: number;
  starter: boolean;
  /** Year index in which the teacher joined the school (starters join late). */
  joinYear: number;
  joinedAt: Timestamp;
  base: number;
  growth: number;
  /** Strong and weak domains (logit offsets by domain id). */
  domainOffset: Map<string, number>;
  coach?: Actor;
  /** Per year: how open to being observed, how keen to observe (relative weights), and the focus question. */
  observedWeight: number[];
  observerWeight: number[];
  focus: Array<string | undefined>;
}

/** Ability on the logit scale at a moment: experienced teachers grow slowly and linearly, starters fast, levelling off. */
function abilityAt(teacher: Teacher, at: Timestamp, spanStart: Timestamp): number {
  if (teacher.starter) return teacher.base + teacher.growth * (1 - Math.exp(-Math.max(0, at - teacher.joinedAt) / YEAR));
  return teacher.base + (teacher.growth * (at - spanStart)) / YEAR;
}

interface Pool {
  members: Teacher[];
  cumulative: number[];
  total: number;
}

function pool(members: Teacher[], weight: (t: Teacher) => number): Pool {
  const cumulative: number[] = [];
  let total = 0;
  for (const m of members) {
    total += weight(m);
    cumulative.push(total);
  }
  return { members, cumulative, total };
}

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
function drawOther(p: Pool, rng: Random, avoid: Teacher): Teacher | undefined {
  for (let attempt = 0; attempt < 8; attempt++) {
    const t = drawFrom(p, rng);
    if (t && t !== avoid) return t;
  }
  return p.members.find((m) => m !== avoid);
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
/** The Dutch calendar date (YYYY-MM-DD) of a moment. */
const isoDate = (at: Timestamp) => new Date(at + amsterdamOffset(at) * HOUR).toISOString().slice(0, 10);

export function generateDemoSchool(options: DemoSchoolOptions): DemoSchool {
  const rng = createRandom(options.seed ?? DEFAULT_DEMO_SEED);
  const now = options.now;
  const teamCount = Math.max(1, Math.floor(options.teams ?? 3));
  const teacherCount = Math.max(1, Math.floor(options.teachers ?? 20));
  const yearCount = Math.max(1, Math.floor(options.years ?? 2));
  const perYear = Math.max(0, options.observationsPerTeacherPerYear ?? 4);
  const keepResponses = options.keepResponses ?? true;

  // The generator draws one answer per item and lesson; it does not (yet) generate repeated sections (cycles,
  // segments: `cycle` on a response, `observation.cycles`), so an instrument with them is left out of the plan, as
  // are the other kinds it has no use for (feedback forms, snapshots). The shipped "Interactie in cycli" is one.
  const usable = options.instruments.filter((i) => !hasRepeatedSections(i));
  const main = usable.find((i) => i.kind === 'observation');
  if (!main) throw new Error('generateDemoSchool needs an installed instrument of kind "observation" without repeated sections');
  const selfInstrument =
    usable.find((i) => i.kind === 'self-assessment' && i.basedOn?.id === main.id) ?? usable.find((i) => i.kind === 'self-assessment');
  const coachingInstrument = usable.find((i) => i.kind === 'coaching');
  const mainPlan = planFor(main);
  const selfPlan = selfInstrument ? planFor(selfInstrument) : mainPlan;
  const coachPlan = coachingInstrument ? planFor(coachingInstrument) : mainPlan;

  // --- School years: the last one is the current one, unless it has barely begun (then the one that just ended).
  const nowOffset = amsterdamOffset(Math.floor(now / DAY) * DAY);
  const today = Math.floor((now + nowOffset * HOUR) / DAY) * DAY;
  const todayDate = new Date(today);
  const calendarYear = todayDate.getUTCFullYear();
  let lastStartYear = todayDate.getUTCMonth() >= 7 ? calendarYear : calendarYear - 1;
  if (today < Date.UTC(lastStartYear, 9, 1)) lastStartYear -= 1;
  const firstStartYear = lastStartYear - yearCount + 1;
  const spanStart = Date.UTC(firstStartYear, 7, 1) - 2 * HOUR;

  // --- The leader first: the owner of the school, its teams and its people.
  const usedNames = new Set<string>();
  const personName = (): string => {
    for (let attempt = 0; ; attempt++) {
      const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
      const candidate = attempt < 40 ? name : `${name} ${attempt}`;
      if (!usedNames.has(candidate)) {
        usedNames.add(candidate);
        return candidate;
      }
    }
  };
  const founded = spanStart - rng.int(30, 400) * DAY;
  const leaderId = rng.uuid();
  const baseRecord = (id: Uuid, createdAt: Timestamp) => newRecordBase(id, leaderId, createdAt);

  const school: School = { ...baseRecord(rng.uuid(), founded), name: rng.pick(SCHOOL_NAMES), demo: true };

  const years: YearInfo[] = [];
  for (let index = 0; index < yearCount; index++) {
    const startYear = firstStartYear + index;
    const start = Date.UTC(startYear, 7, 1) - 2 * HOUR;
    const createdAt = Math.min(now, start - rng.int(5, 40) * DAY);
    const record: SchoolYear = { ...baseRecord(rng.uuid(), createdAt), ...schoolYearOf(Date.UTC(startYear, 7, 1)) };
    const days = schoolDays(startYear);
    years.push({ index, record, start, days, pastDays: days.filter((d) => d.date < today) });
  }

  const layout = teamLayout(teamCount);
  const teams: Team[] = layout.map((plan) => ({ ...baseRecord(rng.uuid(), founded), name: plan.name }));

  const leader: Actor = {
    person: { ...baseRecord(leaderId, founded), name: personName(), role: 'leader', starter: false },
    bias: rng.normal(0, 0.2),
  };
  const coachCount = teacherCount >= 12 ? rng.int(1, 2) : 1;
  const coaches: Actor[] = Array.from({ length: coachCount }, () => ({
    person: {
      ...baseRecord(rng.uuid(), founded + rng.int(0, 20) * DAY),
      name: personName(),
      role: 'coach',
      starter: false,
    },
    bias: rng.normal(0, 0.2),
  }));

  // --- Teachers: spread over the teams; a few starters who joined in the last year or two, each with a coach.
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
    for (const members of teamOrder) if (members[round] !== undefined && starterIndexes.size < starterCount) starterIndexes.add(members[round]!);
  }
  const lastYear = years[yearCount - 1]!;
  const teachers: Teacher[] = [];
  let starterNumber = 0;
  for (let index = 0; index < teacherCount; index++) {
    const teamIndex = index % teamCount;
    const teamPlan = layout[teamIndex]!;
    const group = teamPlan.groups[Math.floor(index / teamCount) % teamPlan.groups.length]!;
    const starter = starterIndexes.has(index);
    // Starters: most in their second year now, a fourth one in their first.
    const joinYear = starter ? Math.max(0, yearCount - (starterNumber < 3 ? 2 : 1)) : 0;
    if (starter) starterNumber++;
    const joinedAt = starter ? years[joinYear]!.start + rng.int(1, 19) * DAY : founded + rng.int(0, 20) * DAY;
    const domainOffset = new Map<string, number>();
    for (const id of mainPlan.domainIds) domainOffset.set(id, rng.normal(0, 0.3));
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
    const person: Person = {
      ...baseRecord(rng.uuid(), joinedAt),
      name: personName(),
      role: 'teacher',
      teamId: teams[teamIndex]!.id,
      starter,
      ...(currentFocus !== undefined ? { focusQuestion: currentFocus } : {}),
    };
    if (currentFocus !== undefined) person.updatedAt = Math.min(now, Math.max(joinedAt, lastYear.start + rng.int(20, 60) * DAY));
    teachers.push({
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
      ...(starter ? { coach: coaches[starterNumber % coaches.length]! } : {}),
      observedWeight,
      observerWeight,
      focus,
    });
  }

  const people: Person[] = [leader.person, ...coaches.map((c) => c.person), ...teachers.map((t) => t.person)];

  // --- Observations
  const observations: Observation[] = [];
  const responses: ItemResponse[] = [];
  const notes: Note[] = [];

  interface LessonSetup {
    plan: Plan;
    observer: Actor;
    observed: Teacher;
    purpose: Purpose;
    year: YearInfo;
    startedAt: Timestamp;
    elapsedMs: number;
    /** Good or bad day, shared by both observers of a calibration lesson. */
    lessonEffect: number;
    context: Record<string, string | number>;
    focusQuestion: string | undefined;
    draft: boolean;
  }

  const contextFor = (plan: Plan, teacher: Teacher, subject: string): Record<string, string | number> => {
    const context: Record<string, string | number> = {};
    if (plan.contextIds.has('group')) context.group = groupLabel(teacher.group);
    if (plan.contextIds.has('subject')) context.subject = subject;
    if (plan.contextIds.has('pupils')) context.pupils = clamp(teacher.pupils + rng.int(-2, 1), 12, 34);
    return context;
  };

  const feedback: Feedback[] = [];
  const reflections: Reflection[] = [];
  const goals: Goal[] = [];
  const requests: ObservationRequest[] = [];
  const declines: RequestDecline[] = [];

  /** A self-assessment is done when completed; other feedback is mostly handed over, recent lessons less so. */
  const statusFor = (purpose: Purpose, completedAt: Timestamp): ObservationStatus => {
    if (purpose === 'self') return 'completed';
    const recent = now - completedAt < 7 * DAY;
    return rng.chance(recent ? 0.5 : purpose === 'coach' ? 0.9 : 0.8) ? 'shared' : 'completed';
  };
  /** How likely a teacher shares an observation with the school leadership (a starter's portfolio needs them). */
  const shareChance = (purpose: Purpose, observed: Teacher) => (purpose === 'leader' ? 0 : observed.starter ? 0.5 : 0.2);

  /** A level index 0..K−1 drawn from the partial-credit model. */
  const drawLevel = (theta: number, steps: number[]): number => drawPartialCredit(theta, steps, rng.next());

  const snapshotValue = (field: SnapshotField, theta: number, scales: Map<string, Scale>): number | string | string[] | undefined => {
    const r = field.response;
    switch (r.type) {
      case 'counter':
        return clamp(Math.round(Math.abs(rng.normal(Math.max(0, 2 - theta), 1.5))), r.min ?? 0, r.max ?? 40);
      case 'choice': {
        if (r.options.length === 0) return undefined;
        const id = rng.pick(r.options).id;
        return r.multiple ? [id] : id;
      }
      case 'yes-no':
        return rng.chance(logistic(theta + 1)) ? 'yes' : 'no';
      case 'rating': {
        const levels = scales.get(r.scale)?.levels;
        if (!levels || levels.length === 0) return undefined;
        return levels[drawLevel(theta, evenlySpacedSteps(0, levels.length))]!.value;
      }
    }
  };

  const textFor = (itemId: string, focus: string | undefined): string => {
    if (/sterk|top/.test(itemId)) return rng.pick(TOPS);
    if (/ontwikkel|tip|verbeter/.test(itemId)) return rng.pick(TIPS);
    if (/kijkvraag|vraag/.test(itemId)) return focus ?? rng.pick(FOCUS_QUESTIONS);
    if (/stap|doel/.test(itemId)) return rng.pick(NEXT_STEPS);
    return rng.pick(REMARKS);
  };

  const addObservation = (setup: LessonSetup): void => {
    const { plan, observer, observed, purpose, startedAt, elapsedMs, draft } = setup;
    const id = rng.uuid();
    const owner = observer.person.id;
    const self = observer === observed;
    const theta =
      abilityAt(observed, startedAt, spanStart) + setup.lessonEffect + (self ? 0.4 + rng.normal(0, 0.2) : observer.bias);

    // A draft stopped part-way: the domain where the observer was, and how far into it.
    const stopDomain = draft ? rng.int(0, Math.max(0, plan.domainIds.length - 1)) : plan.domainIds.length - 1;
    const stopItem = draft ? (plan.domainStart[stopDomain] ?? 0) + rng.int(0, 3) : plan.items.length;

    const completedAt = draft ? undefined : Math.min(now, startedAt + elapsedMs + rng.int(2, 90) * MINUTE);
    const status: ObservationStatus = completedAt === undefined ? 'draft' : statusFor(purpose, completedAt);
    const updatedAt = completedAt ?? startedAt + elapsedMs;
    const createdAt = startedAt - rng.int(2, 30) * MINUTE;
    const observation: Observation = {
      id,
      owner,
      createdAt,
      updatedAt,
      instrumentKey: plan.key,
      observerId: owner,
      observedId: observed.person.id,
      purpose,
      status,
      context: setup.context,
      schoolYearId: setup.year.record.id,
      clock: { elapsedMs },
      position: { domainId: plan.domainIds[stopDomain] },
      startedAt,
    };
    if (setup.focusQuestion !== undefined) observation.focusQuestion = setup.focusQuestion;
    if (completedAt !== undefined) observation.completedAt = completedAt;
    if (observation.position.domainId === undefined) observation.position = {};
    observations.push(observation);
    // A third of peer observations were asked for by the observed teacher, a few days before.
    if (purpose === 'peer' && rng.chance(0.3)) {
      const askedAt = startedAt - rng.int(2, 10) * DAY;
      const request: ObservationRequest = {
        ...newRecordBase(rng.uuid(), observed.person.id, askedAt),
        requesterId: observed.person.id,
        observedId: observed.person.id,
        observerId: owner,
        purpose: 'peer',
        instrumentKey: plan.key,
        context: { ...setup.context },
        plannedOn: isoDate(startedAt),
      };
      if (setup.focusQuestion !== undefined) request.focusQuestion = setup.focusQuestion;
      requests.push(request);
      observation.requestId = request.id;
    }

    // Responses, in reading order, stamped through the lesson.
    const scales = new Map<string, Scale>();
    const answered: ItemResponse[] = [];
    let triggerAnswers: Map<string, ItemResponse> | undefined;
    const count = Math.min(stopItem, plan.items.length);
    for (let i = 0; i < count; i++) {
      const p = plan.items[i]!;
      const at = startedAt + Math.round((elapsedMs * (i + 1)) / (count + 1));
      // Whole literals, no spread and few added properties: a large school makes over a hundred thousand of these.
      const make = (lookFors: string[]): ItemResponse => ({
        id: responseId(id, p.itemId),
        owner,
        createdAt: at,
        updatedAt: at,
        observationId: id,
        itemId: p.itemId,
        lookFors,
      });
      const itemTheta = theta + (observed.domainOffset.get(plan.domainIds[p.domainIndex] ?? '') ?? 0);
      let response: ItemResponse | undefined;
      switch (p.type) {
        case 'rating': {
          const levels = p.levels!;
          let rating: RatingValue = 'not-observed';
          const lookFors: string[] = [];
          let evidence: string | undefined;
          if (rng.chance(0.07)) {
            if (!p.notObserved) break;
          } else {
            const k = drawLevel(itemTheta, p.steps!);
            const K = levels.length;
            rating = levels[p.reverse ? K - 1 - k : k]!;
            const tick = K > 1 ? 0.1 + (0.8 * k) / (K - 1) : 0.5;
            for (const lookFor of p.lookForIds) if (rng.chance(tick)) lookFors.push(lookFor);
            if (p.evidence && rng.chance(0.1)) {
              const [high, low] = EVIDENCE[p.category];
              evidence = rng.pick(k >= K / 2 ? high : low);
            }
          }
          const rid = responseId(id, p.itemId);
          response =
            evidence === undefined
              ? { id: rid, owner, createdAt: at, updatedAt: at, observationId: id, itemId: p.itemId, rating, lookFors }
              : { id: rid, owner, createdAt: at, updatedAt: at, observationId: id, itemId: p.itemId, rating, lookFors, evidence };
          break;
        }
        case 'checklist': {
          const tick = logistic(itemTheta - p.difficulty);
          response = make(p.lookForIds.filter(() => rng.chance(tick)));
          break;
        }
        case 'yes-no': {
          const allow = p.item.response.type === 'yes-no' && p.item.response.allowNotObserved === true;
          const answer = allow && rng.chance(0.05) ? 'not-observed' : rng.chance(logistic(itemTheta - p.difficulty + 1.5)) ? 'yes' : 'no';
          response = make([]);
          response.answer = answer;
          break;
        }
        case 'choice': {
          const r = p.item.response;
          if (r.type !== 'choice' || r.options.length === 0) break;
          const first = rng.pick(r.options).id;
          const choice = r.multiple && r.options.length > 1 && rng.chance(0.4) ? [first, rng.pick(r.options).id] : [first];
          response = make([]);
          response.choice = [...new Set(choice)];
          break;
        }
        case 'counter': {
          const r = p.item.response;
          if (r.type !== 'counter') break;
          const value = Math.round(Math.abs(rng.normal(Math.max(0, 1.5 - itemTheta), 1.2)));
          response = make([]);
          response.count = clamp(value, r.min ?? 0, r.max ?? 99);
          break;
        }
        case 'snapshot': {
          const r = p.item.response;
          if (r.type !== 'snapshot') break;
          if (scales.size === 0) for (const s of plan.instrument.scales) scales.set(s.id, s);
          const snapshots: Record<string, SnapshotValues> = {};
          for (const minute of snapshotMinutes(r.schedule)) {
            if (minute * MINUTE > elapsedMs) break;
            const values: SnapshotValues = {};
            for (const field of r.fields) {
              const v = snapshotValue(field, itemTheta, scales);
              if (v !== undefined) values[field.id] = v;
            }
            snapshots[String(minute)] = values;
          }
          response = make([]);
          response.snapshots = snapshots;
          break;
        }
        case 'text':
          if (rng.chance(0.85)) {
            response = make([]);
            response.text = textFor(p.itemId, setup.focusQuestion);
          }
          break;
      }
      if (!response) continue;
      answered.push(response);
      if (plan.triggers.has(p.itemId)) (triggerAnswers ??= new Map()).set(p.itemId, response);
    }

    // Rules: items another answer makes not applicable stay unanswered.
    const notApplicable = triggerAnswers ? notApplicableItems(plan.instrument, plan.itemsById, triggerAnswers) : undefined;
    const kept = notApplicable ? answered.filter((r) => !notApplicable.has(r.itemId)) : answered;
    if (keepResponses) for (const response of kept) responses.push(response);
    // Completed observations carry their summary, as the app stores it on completion.
    if (!draft) observation.summary = summarise(plan.instrument, byResponseKey(kept), observation);

    // A few quick notes during the lesson.
    const noteCount = draft ? rng.int(0, 2) : rng.int(1, 4);
    const lessonNotes: Note[] = [];
    const stamps: number[] = [];
    for (let n = 0; n < noteCount; n++) stamps.push(rng.int(30_000, Math.max(30_000, elapsedMs - 30_000)));
    stamps.sort((a, b) => a - b);
    for (const lessonMs of stamps) {
      const [text, about] = rng.pick(NOTES);
      const itemId = about.find((id) => plan.itemIds.has(id));
      const note: Note = {
        id: rng.uuid(),
        owner,
        createdAt: startedAt + lessonMs,
        updatedAt: startedAt + lessonMs,
        observationId: id,
        text,
        lessonMs,
      };
      if (itemId !== undefined) note.itemId = itemId;
      if (keepResponses) notes.push(note);
      lessonNotes.push(note);
    }

    // Feedback, handing over, and the teacher's side.
    if (!draft && purpose !== 'self') {
      const next = followUp(rng, observation, plan, kept, lessonNotes, now, shareChance(purpose, observed));
      if (next.feedback) feedback.push(next.feedback);
      if (next.reflection) reflections.push(next.reflection);
      if (next.goal) goals.push(next.goal);
    }
  };

  const lessonStart = (day: SchoolDay): Timestamp =>
    day.localMidnight + rng.pick(day.weekday === 3 ? WEDNESDAY_SLOTS : ALL_SLOTS) * MINUTE + rng.int(0, 4) * MINUTE;
  const lessonLength = (): number =>
    clamp(Math.round(rng.normal(42, 4) * 60), 35 * 60, 50 * 60) * 1000 + rng.int(0, 999);
  const subjectFor = (teacher: Teacher) => rng.pick(subjectsFor(teacher.group));
  const focusFor = (teacher: Teacher, year: YearInfo, purpose: Purpose) => {
    const focus = teacher.focus[year.index];
    return focus !== undefined && purpose !== 'leader' && rng.chance(0.8) ? focus : undefined;
  };
  const yearOf = (date: number): YearInfo => {
    for (let i = years.length - 1; i >= 0; i--) if (years[i]!.days[0] && years[i]!.days[0]!.date <= date) return years[i]!;
    return years[0]!;
  };

  for (const year of years) {
    const days = year.pastDays;
    if (days.length === 0 || year.days.length === 0) continue;
    const present = teachers.filter((t) => t.joinYear <= year.index);
    const observerPool = pool(present, (t) => t.observerWeight[year.index]!);
    const teamPools = layout.map((_, teamIndex) =>
      pool(
        present.filter((t) => t.teamIndex === teamIndex),
        (t) => t.observerWeight[year.index]!,
      ),
    );
    const totalWeight = present.reduce((sum, t) => sum + t.observedWeight[year.index]!, 0);
    if (totalWeight <= 0) continue;

    // Each teacher's share of the year's observations follows their participation weight (rounded at random, so
    // the shares add up to the budget on average); a partial current year gets its share of the budget.
    const budget = (teacherCount * perYear * days.length) / year.days.length;
    const lessons: Teacher[] = [];
    for (const teacher of present) {
      const expected = (budget * teacher.observedWeight[year.index]!) / totalWeight;
      const count = Math.floor(expected) + (rng.chance(expected - Math.floor(expected)) ? 1 : 0);
      for (let n = 0; n < count; n++) lessons.push(teacher);
    }

    for (const observed of rng.shuffle(lessons)) {
      // Starters: mostly their coach, and the leader (their competence portfolio needs the leader's observations).
      const r = rng.next();
      let purpose: Purpose = observed.starter
        ? r < 0.45 ? 'coach' : r < 0.62 ? 'leader' : r < 0.92 ? 'peer' : 'self'
        : r < 0.76 ? 'peer' : r < 0.84 ? 'leader' : r < 0.95 ? 'self' : 'calibration';
      if (purpose === 'coach' && !observed.coach) purpose = 'peer';

      // Starters are visited after their first weeks at school.
      const eligibleDays = observed.starter && observed.joinYear === year.index ? days.slice(Math.min(days.length - 1, 15)) : days;
      const day = rng.pick(eligibleDays);
      const startedAt = lessonStart(day);
      const lessonEffect = rng.normal(0, 0.35);
      const subject = subjectFor(observed);

      let observer: Actor | undefined;
      if (purpose === 'peer' || purpose === 'calibration') {
        const team = teamPools[observed.teamIndex]!;
        observer = (rng.chance(0.75) ? drawOther(team, rng, observed) : undefined) ?? drawOther(observerPool, rng, observed);
        if (!observer) purpose = 'leader';
      }
      if (purpose === 'leader') observer = leader;
      if (purpose === 'self') observer = observed;
      if (purpose === 'coach') observer = observed.coach ?? leader;
      if (!observer) continue;

      const plan = purpose === 'self' ? selfPlan : purpose === 'coach' ? coachPlan : mainPlan;
      const context = contextFor(plan, observed, subject);
      const focusQuestion = focusFor(observed, year, purpose);
      const elapsedMs = lessonLength();
      const base = { plan, observed, purpose, year, startedAt, lessonEffect, context, focusQuestion, draft: false };
      addObservation({ ...base, observer, elapsedMs });
      if (purpose === 'calibration') {
        // The second observer of the same lesson: the leader or a coach, who watched alongside.
        const second: Actor = coaches.length > 0 && rng.chance(0.5) ? rng.pick(coaches) : leader;
        addObservation({ ...base, context: { ...context }, observer: second, elapsedMs: elapsedMs + rng.int(-60, 60) * 1000 });
      }
    }
  }

  // --- A few drafts from the last school days, not yet finished.
  const allPastDays = years.flatMap((y) => y.pastDays);
  const recentDays = allPastDays.slice(-5);
  if (recentDays.length > 0) {
    const draftCount = rng.int(1, 3);
    for (let n = 0; n < draftCount; n++) {
      const day = rng.pick(recentDays);
      const year = yearOf(day.date);
      const present = teachers.filter((t) => t.joinYear <= year.index);
      const observed = rng.pick(present.length > 0 ? present : teachers);
      const coach = observed.starter && observed.coach && rng.chance(0.5) ? observed.coach : undefined;
      const colleague = drawOther(pool(present, (t) => t.observerWeight[year.index]!), rng, observed);
      const observer: Actor = coach ?? colleague ?? leader;
      const purpose: Purpose = coach ? 'coach' : colleague ? 'peer' : 'leader';
      const plan = purpose === 'coach' ? coachPlan : mainPlan;
      addObservation({
        plan,
        observer,
        observed,
        purpose,
        year,
        startedAt: lessonStart(day),
        elapsedMs: rng.int(10, 30) * MINUTE + rng.int(0, 59) * 1000,
        lessonEffect: rng.normal(0, 0.35),
        context: contextFor(plan, observed, subjectFor(observed)),
        focusQuestion: focusFor(observed, year, purpose),
        draft: true,
      });
    }
  }

  // --- Requests still open: a few teachers asked a colleague to come and look in the coming school days.
  const current = years[years.length - 1]!;
  const upcoming = current.days.filter((d) => d.date > today).slice(0, 10);
  const askers = rng.shuffle(teachers.filter((t) => t.joinYear <= current.index)).slice(0, upcoming.length > 0 ? rng.int(3, 5) : 0);
  askers.forEach((asker, n) => {
    const observer = drawOther(pool(teachers, (t) => t.observerWeight[current.index]!), rng, asker);
    if (!observer) return;
    const askedAt = now - rng.int(1, 4) * DAY;
    const request: ObservationRequest = {
      ...newRecordBase(rng.uuid(), asker.person.id, askedAt),
      requesterId: asker.person.id,
      observedId: asker.person.id,
      observerId: observer.person.id,
      purpose: 'peer',
      instrumentKey: mainPlan.key,
      context: contextFor(mainPlan, asker, subjectFor(asker)),
      plannedOn: isoDate(rng.pick(upcoming).localMidnight + 12 * HOUR),
    };
    const focus = asker.focus[current.index];
    if (focus !== undefined) request.focusQuestion = focus;
    requests.push(request);
    // One of them was declined, with a reason.
    if (n === 0) {
      declines.push({ ...newRecordBase(rng.uuid(), observer.person.id, Math.min(now, askedAt + rng.int(1, 20) * HOUR)), requestId: request.id, observerId: observer.person.id, reason: rng.pick(DECLINE_REASONS) });
    }
  });

  return {
    school,
    teams,
    people,
    schoolYears: years.map((y) => y.record),
    observations,
    responses,
    notes,
    feedback,
    reflections,
    goals,
    requests,
    declines,
  };
}
