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
import type { Instrument } from '../instrument/types';
import { hasRepeatedSections, suggestInstrument } from '../instrument/suggest';
import { newRecordBase } from '../model/records';
import type {
  Feedback,
  Goal,
  ItemResponse,
  Note,
  Observation,
  ObservationRequest,
  Person,
  Reflection,
  RequestDecline,
  School,
  SchoolYear,
  Team,
} from '../model/records';
import { schoolYearOf } from '../model/school-year';
import { amsterdamOffset, DAY, HOUR, schoolDays } from './calendar';
import { SCHOOL_NAMES } from './content';
import type { Founding, Generation, Plans, Records, Settings, Setup, YearInfo } from './generation';
import { addDrafts, addOpenRequests, observeYear } from './observations';
import { appointStaff, appointTeachers, chooseStarters, formTeams } from './people';
import { planFor } from './plan';
import { createRandom } from './random';

export interface DemoSchoolOptions {
  /** Default 2026. */
  seed?: number;
  /**
   * The installed instruments. The first of kind `observation` is required and used for most observations; a
   * `self-assessment` (preferably one based on it) is used for self-assessments and a `coaching` instrument for a
   * coach's visits to starters, when present. The main one is the first without repeated sections (cycles), if there
   * is one; another observation instrument with cycles is used for a few lessons a year, observed after all others.
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

const DEFAULT_DEMO_SEED = 2026;

/**
 * The school, step by step. Every step draws from the one seeded generator, so the order of the steps (and of the
 * draws within them) is what makes the same options give the same school.
 */
export function generateDemoSchool(options: DemoSchoolOptions): DemoSchool {
  const setup = setupFor(options);
  const { founding, school } = foundSchool(setup);
  const years = openSchoolYears(setup, founding);
  const { layout, teams } = formTeams(setup, founding);
  const names = new Set<string>();
  const { leader, coaches } = appointStaff(setup, founding, names);
  const starters = chooseStarters(setup, layout);
  const teachers = appointTeachers(setup, { founding, years, layout, teams, coaches, starters, names });
  const people: Person[] = [leader.person, ...coaches.map((c) => c.person), ...teachers.map((t) => t.person)];

  const gen: Generation = { ...setup, years, teams, leader, coaches, teachers, records: emptyRecords() };
  for (const year of years) observeYear(gen, year);
  addDrafts(gen);
  addOpenRequests(gen);
  // The lessons observed in cycles come last, so the rest of the school is the same with that instrument or without.
  const inCycles = gen.plans.cycles;
  if (inCycles) for (const year of years) observeYear(gen, year, inCycles);

  return { school, teams, people, schoolYears: years.map((y) => y.record), ...gen.records };
}

/** The seeded generator, the settings with their defaults, the plans per purpose, and where `now` falls. */
function setupFor(options: DemoSchoolOptions): Setup {
  const rng = createRandom(options.seed ?? DEFAULT_DEMO_SEED);
  const now = options.now;
  const settings: Settings = {
    teamCount: Math.max(1, Math.floor(options.teams ?? 3)),
    teacherCount: Math.max(1, Math.floor(options.teachers ?? 20)),
    yearCount: Math.max(1, Math.floor(options.years ?? 2)),
    perYear: Math.max(0, options.observationsPerTeacherPerYear ?? 4),
    keepResponses: options.keepResponses ?? true,
  };
  const plans = plansFor(options.instruments);

  // School years: the last one is the current one, unless it has barely begun (then the one that just ended).
  const nowOffset = amsterdamOffset(Math.floor(now / DAY) * DAY);
  const today = Math.floor((now + nowOffset * HOUR) / DAY) * DAY;
  const todayDate = new Date(today);
  const calendarYear = todayDate.getUTCFullYear();
  let lastStartYear = todayDate.getUTCMonth() >= 7 ? calendarYear : calendarYear - 1;
  if (today < Date.UTC(lastStartYear, 9, 1)) lastStartYear -= 1;
  const firstStartYear = lastStartYear - settings.yearCount + 1;
  const spanStart = Date.UTC(firstStartYear, 7, 1) - 2 * HOUR;
  return { rng, settings, plans, now, today, firstStartYear, spanStart };
}

/** The plans per purpose, from the installed instruments (the self-assessment and coaching ones fall back to the main). */
function plansFor(instruments: Instrument[]): Plans {
  // The main instrument is the one the app suggests for a new observation (the first without repeated sections,
  // else the first); the other kinds it has no use for (feedback forms, snapshots) are left out.
  const main = suggestInstrument(
    instruments.map((content) => ({ content })),
    'observation',
  )?.content;
  if (!main) throw new Error('generateDemoSchool needs an installed instrument of kind "observation"');
  const inCycles = instruments.find((i) => i.kind === 'observation' && i !== main && hasRepeatedSections(i));
  const selfInstrument =
    instruments.find((i) => i.kind === 'self-assessment' && i.basedOn?.id === main.id) ??
    instruments.find((i) => i.kind === 'self-assessment');
  const coachingInstrument = instruments.find((i) => i.kind === 'coaching');
  const mainPlan = planFor(main);
  return {
    main: mainPlan,
    self: selfInstrument ? planFor(selfInstrument) : mainPlan,
    coach: coachingInstrument ? planFor(coachingInstrument) : mainPlan,
    ...(inCycles ? { cycles: planFor(inCycles) } : {}),
  };
}

/** The leader founds the school some time before the first school year: the leader's id, then the school's record. */
function foundSchool(setup: Setup): { founding: Founding; school: School } {
  const { rng } = setup;
  const founded = setup.spanStart - rng.int(30, 400) * DAY;
  const leaderId = rng.uuid();
  const founding: Founding = { founded, leaderId };
  const school: School = { ...newRecordBase(rng.uuid(), leaderId, founded), name: rng.pick(SCHOOL_NAMES), demo: true };
  return { founding, school };
}

/** The school years, the last one being the current one, each created by the leader a few weeks before it starts. */
function openSchoolYears(setup: Setup, founding: Founding): YearInfo[] {
  const { rng, now, today } = setup;
  const years: YearInfo[] = [];
  for (let index = 0; index < setup.settings.yearCount; index++) {
    const startYear = setup.firstStartYear + index;
    const start = Date.UTC(startYear, 7, 1) - 2 * HOUR;
    const createdAt = Math.min(now, start - rng.int(5, 40) * DAY);
    const record: SchoolYear = {
      ...newRecordBase(rng.uuid(), founding.leaderId, createdAt),
      ...schoolYearOf(Date.UTC(startYear, 7, 1)),
    };
    const days = schoolDays(startYear);
    years.push({ index, record, start, days, pastDays: days.filter((d) => d.date < today) });
  }
  return years;
}

/** No records yet. */
function emptyRecords(): Records {
  return {
    observations: [],
    responses: [],
    notes: [],
    feedback: [],
    reflections: [],
    goals: [],
    requests: [],
    declines: [],
  };
}
