/**
 * Who may receive a record from the school server: the privacy rules (src/core/privacy/visibility.ts) applied to
 * every kind of record that travels. The server asks this before it sends anything; nothing else decides.
 *
 * - The school's frame (the school, teams, people, school years, instruments) is for everyone in the school.
 * - An observation and everything recorded in it (responses, notes, amendments, feedback, the teacher's
 *   reflection) go to whoever may view the observation: its observer; the observed teacher once it is handed over;
 *   a school leader only when the teacher shared it with the leadership; a starter's coach only when the starter
 *   shared it with them.
 * - A request and a decline go to who asked, whose lesson it is, who is asked to observe and the starter's coach.
 * - A development goal is the teacher's own, and their coach's when a starter shared it with them.
 * - An instrument draft (the editor's work in progress) is its owner's own: it reaches their other devices only.
 *
 * What a record may hold for the one who receives it (`asReceived`): a person's e-mail address is theirs and the
 * administrators'; everyone else gets the person without it.
 */
import { mayView, mayViewGoal, mayViewRequest, type Coached, type Viewer } from '../privacy/visibility';
import { isAdministrator } from '../model/lifecycle';
import type {
  Goal,
  InstrumentDraft,
  Observation,
  ObservationRequest,
  Reflection,
  RequestDecline,
} from '../model/records';
import type { RecordKind } from './change';
import { IN_OBSERVATION } from './write-intent';

/** Kinds every member of the school receives. */
const SCHOOL_WIDE: ReadonlySet<RecordKind> = new Set<RecordKind>([
  'school',
  'team',
  'person',
  'schoolYear',
  'instrument',
]);

/** The records a decision depends on. */
export interface AudienceContext {
  /** For an observation or a record in one: the observation (undefined when the server has none). */
  observation?: Observation;
  /** The observed teacher's reflection on it: whether it is shared with the leadership. */
  reflection?: Reflection;
  /** For a decline: the request it answers. */
  request?: ObservationRequest;
  /**
   * The teacher the record is about: whose lesson (an observation, a request, a decline's request) or whose goal.
   * Says who coaches them; without it nobody receives the record as a coach.
   */
  teacher?: Coached;
}

/** Whose lesson or goal a record is about, given its context: the id `AudienceContext.teacher` must have. */
export function teacherIdOf(kind: RecordKind, record: object, context: AudienceContext): string | undefined {
  const fields = record as Partial<Goal & ObservationRequest>;
  if (kind === 'goal') return fields.teacherId;
  if (kind === 'request') return fields.observedId;
  if (kind === 'decline') return context.request?.observedId;
  return context.observation?.observedId;
}

/** The observation a record belongs to: itself for an observation, its `observationId` for what is recorded in one. */
export function observationIdOf(kind: RecordKind, record: { id: string; observationId?: unknown }): string | undefined {
  if (kind === 'observation') return record.id;
  return IN_OBSERVATION.has(kind) && typeof record.observationId === 'string' ? record.observationId : undefined;
}

/** Whether this person may hold this record on their device. */
export function mayReceive(viewer: Viewer, kind: RecordKind, record: object, context: AudienceContext): boolean {
  if (SCHOOL_WIDE.has(kind)) return true;
  if (kind === 'observation' || IN_OBSERVATION.has(kind))
    return !!context.observation && mayView(viewer, context.observation, context.reflection, context.teacher);
  if (kind === 'request') return mayViewRequest(viewer, record as unknown as ObservationRequest, context.teacher);
  if (kind === 'decline') {
    const decline = record as unknown as RequestDecline;
    return (
      !!context.request &&
      context.request.id === decline.requestId &&
      mayViewRequest(viewer, context.request, context.teacher)
    );
  }
  if (kind === 'goal') return mayViewGoal(viewer, record as unknown as Goal, context.teacher);
  if (kind === 'instrumentDraft') return (record as Partial<InstrumentDraft>).owner === viewer.id;
  return false;
}

/**
 * A record as this person may receive it: a colleague's e-mail address left out, unless the person is an
 * administrator (who keeps the staff list). Everything else as it is.
 */
export function asReceived<T extends object>(viewer: Viewer, kind: RecordKind, record: T): T {
  if (kind !== 'person' || !('email' in record)) return record;
  const person = record as unknown as { id?: unknown; email?: unknown };
  if (person.id === viewer.id || isAdministrator(viewer)) return record;
  const { email: _hidden, ...rest } = record as T & { email?: unknown };
  return rest as T;
}
