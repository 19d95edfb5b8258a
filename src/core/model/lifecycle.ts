/**
 * One writer per record, and the observation's lifecycle: who may create and change each kind of record, and in
 * which state. The data layer's write path asks before every write, so a refused change never reaches IndexedDB;
 * screens ask the same questions to show a read-only view; a school server will ask them again before accepting a
 * pushed change. Plain functions on plain records.
 *
 * The rules (README, "From observation to conversation, and who sees what" and "School server"):
 * - An observation, its responses, notes, amendments and feedback are written by its observer. The observed
 *   teacher reads them and never changes them.
 * - The observed teacher writes their own requests, their reflection on an observation handed over to them (read,
 *   discussed, shared with the leadership) and their goals. A coach may ask for an observation of a starter.
 * - The observer of a request declines it.
 * - School records (the school, teams, people, school years, instruments) are written by an administrator: a
 *   school leader, or anyone while nobody has been chosen on the device yet (setting up a school). A person may
 *   change their own name and focus question.
 * - An instrument draft (the editor's work in progress) is created by an administrator, as its owner, and written
 *   only by its owner.
 * - The app itself ("system") installs shipped instruments, school years and a demo school.
 * - An installed instrument version never changes (src/core/model/installed-instruments.ts): an administrator
 *   installs one only when its content passes the validator and its id, instrument id and version are the
 *   content's; afterwards only retiring it (and using it again) changes it, and it is never deleted, since
 *   observations keep opening with the version they were made with.
 * - Lifecycle: only a draft is completed or thrown away; a completed observation changes only as amendments; it is
 *   handed over once its feedback has a top and a tip (a self-assessment is never handed over); its ratings, notes
 *   and feedback change until it is handed over, never after. Who and what an observation is about never changes.
 */
import type {
  Feedback,
  Goal,
  InstalledInstrument,
  InstrumentDraft,
  Observation,
  ObservationRequest,
  ObservationStatus,
  Person,
  Reflection,
  RequestDecline,
  Uuid,
} from './records';
import { handOverProblems, hasFeedback } from '../feedback/stages';
import { canonicalJson, changesInstalledVersion, namesItsContent } from './installed-instruments';
import type { RecordKind } from '../sync/change';
import { isCoachOf, type Coached } from '../privacy/visibility';
import type { IdentityProblem } from '../sync/identity';
import type { ContentProblem, ContentReason } from '../sync/content';

/** Who is writing: a person on the device, nobody yet (first run), or the app itself. */
export type Actor = Pick<Person, 'id' | 'role'> | null | 'system';

export type RefusalReason =
  | 'not-administrator'
  | 'not-observer'
  | 'not-a-draft'
  | 'not-completed'
  | 'no-status-change'
  | 'unknown-observation'
  | 'feedback-incomplete'
  | 'handed-over'
  | 'not-observed-teacher'
  | 'not-handed-over'
  | 'not-requester'
  | 'unknown-request'
  | 'not-own-goal'
  | 'not-owner'
  | 'fixed-field'
  /** An instrument whose content does not pass the validator, or whose id or version is not its content's. */
  | 'invalid-instrument'
  /** An installed instrument is never deleted: observations keep opening with it. Retire it instead. */
  | 'instrument-kept'
  /** The record's id is not the one its fields give (src/core/sync/identity.ts). */
  | 'wrong-id'
  /** The write would move the record to another observation, item, teacher, request or observer. */
  | 'moved-record'
  /** The record holds what it may not (src/core/sync/content.ts). */
  | ContentReason;

export class WriteRefused extends Error {
  constructor(
    readonly kind: RecordKind,
    readonly reason: RefusalReason,
    /** For a content refusal: the field it is about (`rating`, `points.2.text`). */
    readonly field?: string,
  ) {
    super(`Write to ${kind} refused: ${reason}${field ? ` (${field})` : ''}`);
    this.name = 'WriteRefused';
  }
}

export const actorId = (actor: Actor): Uuid | null | 'system' =>
  actor === null || actor === 'system' ? actor : actor.id;

/** Administrators manage the school's people, teams, school years and instruments. */
export function isAdministrator(actor: Actor): boolean {
  return actor === null || actor === 'system' || actor.role === 'leader';
}

/** Whether this actor writes the observation and everything recorded in it. */
export function isObserver(actor: Actor, observation: Pick<Observation, 'observerId'>): boolean {
  return actor === 'system' || (actor !== null && actor.id === observation.observerId);
}

/** Fields of their own record a person changes themselves: how they are called and what observers should look at. */
const OWN_FIELDS = new Set(['name', 'focusQuestion', 'updatedAt']);

function mayEditOwnRecord(actor: Actor, before: Person, after: Person): boolean {
  if (actor === null || actor === 'system' || actor.id !== before.id) return false;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].every(
    (key) =>
      OWN_FIELDS.has(key) || JSON.stringify(before[key as keyof Person]) === JSON.stringify(after[key as keyof Person]),
  );
}

const ALLOWED_STATUS_CHANGES: Record<ObservationStatus, readonly ObservationStatus[]> = {
  draft: ['completed'],
  completed: ['shared'],
  shared: [],
};

type ObservationState = Pick<Observation, 'observerId' | 'status'> &
  Partial<Pick<Observation, 'purpose' | 'observedId' | 'instrumentKey' | 'requestId' | 'aboutObservationId'>>;

/** What an observation is about never changes once it exists: who, why, with what, and what it answers. */
const FIXED_FIELDS = ['observedId', 'purpose', 'instrumentKey', 'requestId', 'aboutObservationId'] as const;

/**
 * What may still change on an observation handed over: its summary (derived from the responses, recomputed by the app)
 * and the time of that write. Its context, clock, repetitions and dates are the record the teacher was given.
 */
const CHANGEABLE_AFTER_HAND_OVER: ReadonlySet<string> = new Set(['summary', 'updatedAt']);

function changedFields(before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  // Compared canonically: PostgreSQL's jsonb does not keep the order of keys.
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (key) => canonicalJson(a[key]) !== canonicalJson(b[key]),
  );
}

/**
 * Whether a person may ask for this observation: of their own lesson, or as a coach for the lesson of a starter they
 * coach. `observed` is the person whose lesson it is (needed to know whether they are a starter, and whose).
 */
export function mayAsk(
  actor: Actor,
  request: Pick<ObservationRequest, 'requesterId' | 'observedId'>,
  observed?: Coached,
): boolean {
  if (actor === 'system') return true;
  if (actor === null || actor.id !== request.requesterId) return false;
  return request.observedId === actor.id || (observed?.id === request.observedId && isCoachOf(actor, observed));
}

const INSTRUMENT_SOURCES: ReadonlyArray<InstalledInstrument['source']> = ['shipped', 'imported'];

/**
 * What a write does, as the rules need to see it. `identity`: the write breaks what makes the record the record it
 * is (src/core/sync/identity.ts); refused whoever writes.
 */
export type WriteIntent = (
  | { kind: 'school' | 'team' | 'schoolYear'; op: 'insert' | 'patch' | 'tombstone' }
  /**
   * `contentValid`: whether the new record's content passes the instrument validator (asked for an insert; the
   * caller's validator, so the rules stay free of Ajv and cheap to load).
   */
  | {
      kind: 'instrument';
      op: 'insert' | 'patch' | 'tombstone';
      before: InstalledInstrument | undefined;
      after: InstalledInstrument;
      contentValid: boolean;
    }
  | { kind: 'person'; op: 'insert' | 'patch' | 'tombstone'; before: Person | undefined; after: Person }
  | { kind: 'observation'; op: 'insert'; after: ObservationState }
  /** `feedback`: the observation's feedback, needed to hand it over. */
  | {
      kind: 'observation';
      op: 'patch';
      before: ObservationState;
      after: ObservationState;
      feedback?: Pick<Feedback, 'points'>;
    }
  | { kind: 'observation'; op: 'tombstone'; before: ObservationState }
  | {
      kind: 'response' | 'note' | 'amendment' | 'feedback';
      op: 'insert' | 'patch' | 'tombstone';
      observation: ObservationState | undefined;
    }
  | {
      kind: 'reflection';
      op: 'insert' | 'patch' | 'tombstone';
      observation: ObservationState | undefined;
      after: Pick<Reflection, 'teacherId'>;
    }
  | {
      kind: 'request';
      op: 'insert' | 'patch' | 'tombstone';
      before: Pick<ObservationRequest, 'requesterId' | 'observedId'> | undefined;
      after: Pick<ObservationRequest, 'requesterId' | 'observedId'>;
      /** The person whose lesson it is. */
      observed?: Coached;
    }
  | {
      kind: 'decline';
      op: 'insert' | 'patch' | 'tombstone';
      request: Pick<ObservationRequest, 'observerId'> | undefined;
      after: Pick<RequestDecline, 'observerId'>;
    }
  | {
      kind: 'goal';
      op: 'insert' | 'patch' | 'tombstone';
      before: Pick<Goal, 'teacherId'> | undefined;
      after: Pick<Goal, 'teacherId'>;
    }
  | {
      kind: 'instrumentDraft';
      op: 'insert' | 'patch' | 'tombstone';
      before: Pick<InstrumentDraft, 'owner'> | undefined;
      after: Pick<InstrumentDraft, 'owner'>;
    }
) & { identity?: IdentityProblem; content?: ContentProblem };

/**
 * Why this write may not happen, or undefined when it may: what makes the record the record it is first, then who
 * may write it, then what it holds.
 */
export function refusal(actor: Actor, intent: WriteIntent): RefusalReason | undefined {
  // The app itself (shipped instruments, school years, the demo school, upgrades) writes what it generates.
  if (actor === 'system') return undefined;
  if (intent.identity) return intent.identity;
  return writerRefusal(actor, intent) ?? intent.content?.reason;
}

/**
 * Why a record may not join a school's history as it is, whoever wrote it: an upload of a device-only school brings
 * every colleague's records at once, so who may write them is not asked, but what makes each record the record it
 * is, what it holds, and (an instrument) whether its content is a valid instrument are.
 */
export function historyRefusal(intent: WriteIntent): RefusalReason | undefined {
  if (intent.identity) return intent.identity;
  if (
    intent.kind === 'instrument' &&
    !intent.before &&
    intent.op !== 'tombstone' &&
    !installable(intent.after, intent.contentValid)
  )
    return 'invalid-instrument';
  return intent.content?.reason;
}

/** A new instrument version may be installed: valid content, named by its record, from a known source. */
function installable(installed: InstalledInstrument, contentValid: boolean): boolean {
  return contentValid && namesItsContent(installed) && INSTRUMENT_SOURCES.includes(installed.source);
}

function writerRefusal(actor: Exclude<Actor, 'system'>, intent: WriteIntent): RefusalReason | undefined {
  switch (intent.kind) {
    case 'person':
      if (isAdministrator(actor)) return undefined;
      return intent.op === 'patch' && intent.before && mayEditOwnRecord(actor, intent.before, intent.after)
        ? undefined
        : 'not-administrator';
    case 'school':
    case 'team':
    case 'schoolYear':
      return isAdministrator(actor) ? undefined : 'not-administrator';
    case 'instrument':
      if (!isAdministrator(actor)) return 'not-administrator';
      if (intent.op === 'tombstone') return 'instrument-kept';
      if (!intent.before) return installable(intent.after, intent.contentValid) ? undefined : 'invalid-instrument';
      return changesInstalledVersion(intent.before, intent.after) ? 'fixed-field' : undefined;
    case 'observation':
      if (intent.op === 'insert') {
        if (!isObserver(actor, intent.after)) return 'not-observer';
        return intent.after.status === 'draft' ? undefined : 'not-a-draft';
      }
      if (intent.op === 'tombstone') {
        if (!isObserver(actor, intent.before)) return 'not-observer';
        return intent.before.status === 'draft' ? undefined : 'not-a-draft';
      }
      if (!isObserver(actor, intent.before) || intent.after.observerId !== intent.before.observerId)
        return 'not-observer';
      if (FIXED_FIELDS.some((field) => intent.after[field] !== intent.before[field])) return 'fixed-field';
      if (
        intent.before.status === 'shared' &&
        changedFields(intent.before, intent.after).some((field) => !CHANGEABLE_AFTER_HAND_OVER.has(field))
      )
        return 'handed-over';
      if (intent.after.status === intent.before.status) return undefined;
      if (!ALLOWED_STATUS_CHANGES[intent.before.status].includes(intent.after.status))
        return intent.before.status === 'draft' ? 'not-completed' : 'no-status-change';
      if (intent.after.status === 'shared') {
        // Handing over: a self-assessment never is; other feedback needs a top and a tip.
        if (intent.after.purpose !== undefined && !hasFeedback({ purpose: intent.after.purpose }))
          return 'no-status-change';
        if (handOverProblems(intent.feedback).length > 0) return 'feedback-incomplete';
      }
      return undefined;
    case 'response':
    case 'note':
    case 'amendment':
    case 'feedback':
      if (!intent.observation) return 'unknown-observation';
      if (!isObserver(actor, intent.observation)) return 'not-observer';
      // Amendments record changes after completion; they are never written for a draft.
      if (intent.kind === 'amendment' && intent.observation.status === 'draft') return 'not-completed';
      // What was handed over is the teacher's to read, as it was given: its ratings, notes and feedback.
      if (intent.observation.status === 'shared') return 'handed-over';
      return undefined;
    case 'reflection':
      if (!intent.observation) return 'unknown-observation';
      if (actor === null || actor.id !== intent.observation.observedId || intent.after.teacherId !== actor.id)
        return 'not-observed-teacher';
      return intent.observation.status === 'shared' ? undefined : 'not-handed-over';
    case 'request':
      if (
        intent.before &&
        (intent.before.requesterId !== intent.after.requesterId || intent.before.observedId !== intent.after.observedId)
      )
        return 'not-requester';
      return mayAsk(actor, intent.after, intent.observed) ? undefined : 'not-requester';
    case 'decline':
      if (!intent.request) return 'unknown-request';
      return actor !== null && actor.id === intent.request.observerId && intent.after.observerId === actor.id
        ? undefined
        : 'not-observer';
    case 'goal':
      if (
        actor === null ||
        actor.id !== intent.after.teacherId ||
        (intent.before && intent.before.teacherId !== actor.id)
      )
        return 'not-own-goal';
      return undefined;
    case 'instrumentDraft':
      // A draft is a person's own: nobody-chosen-yet cannot own one, and it never changes hands.
      if (actor === null || actor.id !== intent.after.owner || (intent.before && intent.before.owner !== actor.id))
        return 'not-owner';
      // Writing instruments is an administrator's task; an owner who is no longer one may still tidy up their own.
      if (!intent.before && !isAdministrator(actor)) return 'not-administrator';
      return undefined;
  }
}

/** Throws `WriteRefused` when the write may not happen. */
export function assertMayWrite(actor: Actor, intent: WriteIntent): void {
  const reason = refusal(actor, intent);
  if (reason)
    throw new WriteRefused(intent.kind, reason, reason === intent.content?.reason ? intent.content.field : undefined);
}
