/**
 * What the demo generator's steps share: the settings and plans worked out from the options, the calendar around
 * `now`, the seeded random generator, the school's years and people, and the records made so far. Every step draws
 * from the one generator, so the steps run in a fixed order (see `generateDemoSchool`).
 */
import type {
  Feedback,
  Goal,
  ItemResponse,
  Note,
  Observation,
  ObservationRequest,
  Person,
  Purpose,
  Reflection,
  RequestDecline,
  SchoolYear,
  Team,
  Timestamp,
  Uuid,
} from '../model/records';
import { amsterdamOffset, HOUR, type SchoolDay } from './calendar';
import type { Plan } from './plan';
import type { Random } from './random';

/** The options with their defaults filled in and rounded to whole, sensible numbers. */
export interface Settings {
  teamCount: number;
  teacherCount: number;
  yearCount: number;
  perYear: number;
  keepResponses: boolean;
}

/**
 * The plan per kind of observation: a colleague's or the leader's, a self-assessment, a coach's visit, and, when the
 * school has an observation instrument in cycles beside the main one, that one for a few lessons a year.
 */
export interface Plans {
  main: Plan;
  self: Plan;
  coach: Plan;
  cycles?: Plan;
}

/** What every step starts from: the generator, the settings and plans, and where `now` falls in the school years. */
export interface Setup {
  rng: Random;
  settings: Settings;
  plans: Plans;
  now: Timestamp;
  /** Date.UTC of today's Dutch calendar date. */
  today: number;
  /** The calendar year in which the first generated school year starts. */
  firstStartYear: number;
  /** Instant of local midnight on 1 August of the first generated school year. */
  spanStart: Timestamp;
}

/** The leader's founding of the school: everything the school owns is created by the leader, from this moment on. */
export interface Founding {
  founded: Timestamp;
  leaderId: Uuid;
}

export interface YearInfo {
  index: number;
  record: SchoolYear;
  /** Instant of local midnight on 1 August. */
  start: Timestamp;
  days: SchoolDay[];
  /** School days strictly before today (completed lessons happen there). */
  pastDays: SchoolDay[];
}

export interface Actor {
  person: Person;
  /** Observer leniency in logits. */
  bias: number;
}

export interface Teacher extends Actor {
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

/** The records made while observing, in the order they are made. */
export interface Records {
  observations: Observation[];
  responses: ItemResponse[];
  notes: Note[];
  feedback: Feedback[];
  reflections: Reflection[];
  goals: Goal[];
  requests: ObservationRequest[];
  declines: RequestDecline[];
}

/** The state of the observation steps: the setup, the school's years, teams and people, and the records so far. */
export interface Generation extends Setup {
  years: YearInfo[];
  teams: Team[];
  leader: Actor;
  coaches: Actor[];
  teachers: Teacher[];
  records: Records;
}

export const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** The Dutch calendar date (YYYY-MM-DD) of a moment. */
export const isoDate = (at: Timestamp) => new Date(at + amsterdamOffset(at) * HOUR).toISOString().slice(0, 10);

/** One lesson as the observation steps pass it along: who, when, under which plan, and how it went. */
export interface LessonSetup {
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

/** An observation's repetitions as the generator draws them: per repetition group, each one's start (ms into the lesson). */
export type CycleStartsMs = Readonly<Record<string, readonly number[]>>;
