/**
 * The records Meekijken stores. Plain data, shared by the data layer (IndexedDB), the demo generator, and later
 * the scoring code and a sync server.
 *
 * Designed for a later sync server (README, "School server"): random UUIDs, an owner and timestamps on every
 * record, and soft deletes, so a device can push its changes idempotently by id and a deletion travels as a
 * tombstone instead of disappearing.
 */
import type { Instrument } from '../instrument/types';

export type Uuid = string;
/** Milliseconds since the epoch (Date.now()). Numbers sort and index cheaply in IndexedDB. */
export type Timestamp = number;

export interface BaseRecord {
  id: Uuid;
  /** The person who writes this record (one writer per record keeps later sync conflict-free); null before anyone is chosen. */
  owner: Uuid | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  /** Set instead of deleting, so the deletion can be synced. Readers skip records that have it. */
  deletedAt?: Timestamp;
}

/** The fields every new record starts with: its id and owner, created and last changed at `at`. */
export function newRecordBase(id: Uuid, owner: Uuid | null, at: Timestamp): BaseRecord {
  return { id, owner, createdAt: at, updatedAt: at };
}

export interface School extends BaseRecord {
  name: string;
  /** Whether this is generated demo data (the UI says so, and offers to start clean). */
  demo?: boolean;
  /**
   * After how many days a step of a feedback cycle that waits for someone counts as late (src/core/feedback/stages.ts,
   * DUE_DAYS); absent: the default. Set by a school leader.
   */
  dueAfterDays?: number;
  /**
   * The school's IANA time zone, for planned visits in calendars and for the days e-mail reminders count
   * (src/core/notify/school-days.ts); absent: Europe/Amsterdam. Set by a school leader.
   */
  timeZone?: string;
  /** After how many school days a waiting step gets an e-mail reminder, and again after each such stretch; absent: 5. */
  remindAfterSchoolDays?: number;
  /** The school's holidays: no school days for reminders, no reminders sent. Set by a school leader. */
  holidays?: Holiday[];
}

/** A stretch of days the school is closed (a holiday week, a study day), both ends included. */
export interface Holiday {
  name: string;
  /** ISO dates (YYYY-MM-DD). */
  startsOn: string;
  endsOn: string;
}

export interface Team extends BaseRecord {
  name: string;
  archivedAt?: Timestamp;
}

export const ROLES = ['teacher', 'leader', 'coach'] as const;
export type Role = (typeof ROLES)[number];

export interface Person extends BaseRecord {
  name: string;
  role: Role;
  teamId?: Uuid;
  /** A starting teacher (startbekwaam): coached, with a competence portfolio. */
  starter: boolean;
  /**
   * A starter's coach, chosen by an administrator: a person with the coach role, never the starter themselves nor
   * their manager. The coach sees the starter's requests, and the reports and goals the starter shares with them
   * (src/core/privacy/visibility.ts); only while the person is a starter and the coach has the coach role.
   */
  coachId?: Uuid;
  /**
   * A work e-mail address, when the school gave one (the staff list it imported): it tells colleagues with the same
   * name apart when a list is imported again, and is proposed for their e-mail notices. Only the person and the
   * administrators receive it (`asReceived`, src/core/sync/audience.ts).
   */
  email?: string;
  /** The teacher's current focus question (kijkvraag) for observers. */
  focusQuestion?: string;
  archivedAt?: Timestamp;
}

export interface SchoolYear extends BaseRecord {
  /** e.g. "2025-2026" */
  name: string;
  /** ISO dates (YYYY-MM-DD), inclusive. */
  startsOn: string;
  endsOn: string;
}

/**
 * An instrument version as installed on this device. Its id is `instrumentId@version`, not a random UUID: an
 * installed version is immutable, and two devices that install the same version must end up with the same record.
 */
export interface InstalledInstrument extends BaseRecord {
  instrumentId: string;
  version: string;
  content: Instrument;
  /** 'shipped': one of the app's own files; 'imported': a school's own instrument, installed by an administrator. */
  source: 'shipped' | 'imported';
  /**
   * Set when an administrator retired the instrument from new observations and requests; removed when it is used
   * again. Retiring is per instrument (every installed version of its id is marked), and what counts is its newest
   * version (src/core/model/installed-instruments.ts). The only field of an installed version that ever changes.
   */
  retiredAt?: Timestamp;
}

export const instrumentKey = (instrument: Pick<Instrument, 'id' | 'version'>): string =>
  `${instrument.id}@${instrument.version}`;

/**
 * The instrument id of a key (`id@version`): the versions of one instrument keep their item ids, so what compares
 * or combines ratings (calibration, team figures, development) goes by the id, not by the version.
 */
export const instrumentIdOf = (key: string): string => key.slice(0, key.lastIndexOf('@'));

/**
 * An instrument a school leader is writing in the app's editor, saved with every keystroke. `content` is the
 * instrument as it stands, often not valid yet (empty texts, a version that exists): it becomes an installed
 * instrument only through "save as a new version", after the validator accepts it. Private to its owner: it goes
 * to the owner's other devices, never to anyone else (src/core/sync/audience.ts).
 */
export interface InstrumentDraft extends BaseRecord {
  /** The person writing it; only they change it. */
  owner: Uuid;
  content: Instrument;
  /** `instrumentId@version` of the installed instrument it started from, when it did. */
  basedOnKey?: string;
  /** When `content` was last set (the keystroke, not the write): an older, late or replayed write never wins. */
  changedAt?: Timestamp;
}

/**
 * Why a lesson is observed: a colleague's peer observation (collegiale consultatie), a coach's visit to a starter,
 * a school leader's classroom visit (klassenbezoek), a teacher's self-assessment, or a calibration (two observers,
 * one lesson).
 */
export const PURPOSES = ['peer', 'coach', 'leader', 'self', 'calibration'] as const;
export type Purpose = (typeof PURPOSES)[number];

/**
 * The observer's side of the stages: recording (draft), done recording (completed), feedback handed over to the
 * observed teacher (shared). What the teacher does next (read, reflect, discuss) is the teacher's own record, a
 * `Reflection`: one writer per record.
 */
export const OBSERVATION_STATUSES = ['draft', 'completed', 'shared'] as const;
export type ObservationStatus = (typeof OBSERVATION_STATUSES)[number];

/** The lesson clock: time already counted, plus a running stretch since `runningSince` (wall clock) when running. */
export interface LessonClock {
  elapsedMs: number;
  runningSince?: Timestamp;
}

/** The fields of an observation that change during the lesson, one tap at a time. */
type ObservationField = 'clock' | 'position' | 'cycles';

/** One repetition of a repeated section (a cycle, a segment): when it started on the lesson clock. */
export interface CycleMark {
  startedMs: number;
}

export interface Observation extends BaseRecord {
  /** `instrumentId@version` of the installed instrument it was made with; that version never changes. */
  instrumentKey: string;
  observerId: Uuid;
  observedId: Uuid;
  purpose: Purpose;
  status: ObservationStatus;
  /** Answers to the instrument's context fields (group, subject, pupils, …). */
  context: Record<string, string | number>;
  focusQuestion?: string;
  schoolYearId?: Uuid;
  clock: LessonClock;
  /** Where the observer was, to resume exactly there (and, in a repeated section, which repetition: 1, 2, …). */
  position: { domainId?: string; cycle?: number };
  /**
   * Per repetition group (`repeatKey`: the repeat's `group`, else the repeated domain's id): its repetitions in
   * order, each with its start. Absent: none started yet.
   */
  cycles?: Record<string, CycleMark[]>;
  /**
   * When the lesson clock and the position were last set (from the tap, not the write): a late or replayed write
   * never replaces them with an older state. Absent in records written before it existed.
   */
  changedAt?: Partial<Record<ObservationField, Timestamp>>;
  startedAt: Timestamp;
  completedAt?: Timestamp;
  /** When the observer handed the feedback over (status `shared`). */
  handedOverAt?: Timestamp;
  /** The request this observation answers, when a teacher asked for it. */
  requestId?: Uuid;
  /** For a self-assessment: the lesson (observation) it is about, so the report shows both views side by side. */
  aboutObservationId?: Uuid;
  /** What dashboards read instead of every response: computed on completion and after each amendment. */
  summary?: ObservationSummary;
}

/**
 * The ratings of a completed observation in the form aggregates and the Rasch model use (src/core/insight/summary.ts).
 * Positions run from 0 (the worst level) to 1 (the best), with reverse-keyed items turned round; items a rule made
 * not applicable and "not observed" are left out.
 */
export interface ObservationSummary {
  /** The version of the computation: a summary of an older version is computed again. */
  version: number;
  /** Per domain id: how many items were rated, their mean position, and the mean value on the scale when meaningful. */
  domains: Record<string, { rated: number; meanPosition: number; mean?: number }>;
  /** Per rated item id: [level index 0..K−1 (turned for reverse-keyed items), K]. */
  items: Record<string, [number, number]>;
  /** (format 2) The derived domain scores, for domains that declare one (combined over repetitions). */
  domainScores?: Record<string, number>;
  /** (format 2) The instrument's named scores (`scores`). */
  scores?: Record<string, number>;
}

export type RatingValue = number | 'not-observed';
export type YesNoValue = 'yes' | 'no' | 'not-observed';
/** One snapshot's values by field id: a count, a choice id (or ids), a rating or yes/no. */
export type SnapshotValues = Record<string, number | string | string[]>;

/**
 * The answer to one item in one observation. Its id is `${observationId}:${itemId}`: there is exactly one per item,
 * so two tabs (or later two devices of the same observer) writing the same item update one record instead of
 * creating two. The observation id in it is a random UUID, so the id is as unique as one.
 */
export interface ItemResponse extends BaseRecord {
  observationId: Uuid;
  itemId: string;
  /** In a repeated section: which repetition (1, 2, …) this answer belongs to; absent elsewhere. */
  cycle?: number;
  rating?: RatingValue;
  answer?: YesNoValue;
  choice?: string[];
  count?: number;
  text?: string;
  /** Snapshot values by scheduled minute (as a string key). */
  snapshots?: Record<string, SnapshotValues>;
  /** Look-fors ticked, or for a seen / not-seen list, seen. */
  lookFors: string[];
  /** For a seen / not-seen look-for list: the look-fors answered "not seen". */
  notSeen?: string[];
  /** A repeatable text's entries, in order. */
  entries?: string[];
  evidence?: string;
  /**
   * When each field was last set (by `patchField` name), from the moment of the tap or keystroke, not of the write.
   * A write never replaces a field with an older value: a replayed journal entry or a second tab's late write loses
   * to a newer change of that field, while changes to other fields of the same item still land. Absent in records
   * written before it existed (then every field counts as older than any change).
   */
  changedAt?: Record<string, Timestamp>;
}

export const responseId = (observationId: Uuid, itemId: string, cycle?: number): string =>
  `${observationId}:${responseKey(itemId, cycle)}`;

/**
 * How an answer is keyed within one observation (in maps of responses): the item id, or `item#2` for the item in the
 * second repetition of a repeated section. Item ids never contain `#`.
 */
export const responseKey = (itemId: string, cycle?: number): string =>
  cycle === undefined ? itemId : `${itemId}#${cycle}`;

/** The inverse of `responseKey`: `item#2` → the item and its repetition. */
export function parseResponseKey(key: string): { itemId: string; cycle?: number } {
  const hash = key.indexOf('#');
  if (hash === -1) return { itemId: key };
  const cycle = Number(key.slice(hash + 1));
  return Number.isInteger(cycle) && cycle > 0 ? { itemId: key.slice(0, hash), cycle } : { itemId: key.slice(0, hash) };
}

/** An observation's responses keyed the way progress, rules and scores read them (`responseKey`). */
export const byResponseKey = <T extends Pick<ItemResponse, 'itemId' | 'cycle'>>(
  responses: readonly T[],
): Map<string, T> => new Map(responses.map((r) => [responseKey(r.itemId, r.cycle), r]));

/** A quick timestamped note during the lesson, optionally about one item. */
export interface Note extends BaseRecord {
  observationId: Uuid;
  text: string;
  /** Lesson-clock time when the note was started, so it can be placed in the lesson. */
  lessonMs: number;
  itemId?: string;
}

/** A change made after completion: completed observations are not silently changed. */
export interface Amendment extends BaseRecord {
  observationId: Uuid;
  itemId?: string;
  field: string;
  before: unknown;
  after: unknown;
}

/**
 * A teacher asks a colleague to come and look (or a coach asks for a starter). Written by the one who asks; the
 * observer answers by starting an observation (which points back at the request) or by declining (`RequestDecline`).
 */
export interface ObservationRequest extends BaseRecord {
  /** Who asks: the observed teacher, or the coach of a starter. The record's owner. */
  requesterId: Uuid;
  /** Whose lesson is observed. */
  observedId: Uuid;
  observerId: Uuid;
  purpose: Extract<Purpose, 'peer' | 'coach'>;
  /** `instrumentId@version` the observer is asked to use. */
  instrumentKey: string;
  focusQuestion?: string;
  /** Group, subject (the instrument's context fields). */
  context: Record<string, string | number>;
  /** ISO date (YYYY-MM-DD) of the lesson. */
  plannedOn?: string;
  /**
   * When the lesson starts (`HH:MM`, 24 hours, the school's time zone), only with `plannedOn`: with it the visit is
   * in both colleagues' calendars (src/core/notify/calendar.ts).
   */
  plannedTime?: string;
  /** How long the visit lasts, in minutes, only with `plannedTime`; absent: an hour. */
  durationMinutes?: number;
  /** Set when the one who asked takes the request back. */
  withdrawnAt?: Timestamp;
}

/** The observer's "no, not this time", with a short reason. Written by the observer of the request. */
export interface RequestDecline extends BaseRecord {
  requestId: Uuid;
  observerId: Uuid;
  reason: string;
}

export const FEEDBACK_KINDS = ['top', 'tip'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** What a top or tip is about: an item of the instrument, a note, or a moment of the lesson. */
export interface EvidenceLink {
  itemId?: string;
  noteId?: Uuid;
  /** Minutes into the lesson (lesson clock). */
  lessonMinute?: number;
}

export interface FeedbackPoint {
  /** Stable within the feedback, so a point keeps its identity while it is typed. */
  id: string;
  kind: FeedbackKind;
  text: string;
  link?: EvidenceLink;
}

/**
 * The observer's feedback on an observation: tops (strengths), tips (growth points) and a suggested next step. One
 * per observation; its id is the observation's id. Written by the observer.
 */
export interface Feedback extends BaseRecord {
  observationId: Uuid;
  points: FeedbackPoint[];
  nextStep: string;
  /** When each field was last set (`points.<id>`, `nextStep`), from the keystroke: an older write never wins. */
  changedAt?: Record<string, Timestamp>;
}

/**
 * The observed teacher's side of the stages of one observation: when they read it, their reflection, the next
 * step agreed as a goal, that the conversation took place, and whether they share the observation with the school
 * leadership. One per observation (its id is the observation's id); written by the observed teacher.
 */
export interface Reflection extends BaseRecord {
  observationId: Uuid;
  /** The observed teacher: the record's owner. */
  teacherId: Uuid;
  readAt?: Timestamp;
  text: string;
  /** The development goal agreed from this observation. */
  goalId?: Uuid;
  /** The feedback conversation took place (besproken). */
  acknowledgedAt?: Timestamp;
  /** Shared with the school leadership by the teacher; removed again when the teacher withdraws it. */
  sharedWithLeaderAt?: Timestamp;
  /** A starter shares it with their coach; removed again when the starter withdraws it. */
  sharedWithCoachAt?: Timestamp;
  changedAt?: Record<string, Timestamp>;
}

export const GOAL_STATUSES = ['open', 'achieved'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

/** A teacher's development goal: an agreed next step, optionally about items of an instrument. Written by the teacher. */
export interface Goal extends BaseRecord {
  teacherId: Uuid;
  text: string;
  status: GoalStatus;
  /** The observation it came from. */
  observationId?: Uuid;
  /** Items it is about: `instrumentId` and item ids of that instrument. */
  instrumentId?: string;
  itemIds: string[];
  /** ISO date the teacher aims for. */
  targetOn?: string;
  achievedAt?: Timestamp;
  /** A starter shares the goal with their coach; removed again when the starter withdraws it. */
  sharedWithCoachAt?: Timestamp;
}
