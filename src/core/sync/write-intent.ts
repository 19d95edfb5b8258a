/**
 * The writer rules (src/core/model/lifecycle.ts) judge a `WriteIntent`: the change plus the records it depends on
 * (the observation a response belongs to, the feedback an observation is handed over with, the teacher a request
 * is about). This builds it the same way on a device (from IndexedDB) and on the server (from PostgreSQL): each
 * side passes lookups into its own store.
 */
import type { WriteIntent } from '../model/lifecycle';
import type {
  Feedback,
  Goal,
  InstalledInstrument,
  InstrumentDraft,
  Observation,
  ObservationRequest,
  Person,
  Reflection,
  RequestDecline,
  Team,
} from '../model/records';
import type { ChangeOp, RecordKind } from './change';
import { identityProblem } from './identity';
import { contentProblem, tombstoneProblem, type ContentLookups } from './content';

/**
 * Reads the records an intent depends on; each returns undefined when there is none. The content check's lookups
 * (src/core/sync/content.ts) come with them.
 */
export interface IntentLookups extends ContentLookups {
  observation(id: string): Promise<Observation | undefined>;
  feedback(observationId: string): Promise<Feedback | undefined>;
  person(id: string): Promise<Person | undefined>;
  request(id: string): Promise<ObservationRequest | undefined>;
  /**
   * Whether an instrument's content passes the validator (src/core/instrument/validate.ts), for installing one.
   * Synchronous, and passed in rather than imported: the validator brings Ajv, which a device loads only when it
   * installs an instrument (before opening the write's transaction), and a transaction must not wait on a load.
   * Without it an instrument insert by a person cannot be judged, and writeIntent throws.
   */
  validInstrument?(content: unknown): boolean;
}

/** A store that reads one record by kind and id (a device's tables, the server's records, a test's map). */
export interface RecordStore {
  get(kind: RecordKind, id: string): Promise<object | undefined>;
  /** How many records of this kind the observation holds. */
  countIn(kind: 'note' | 'amendment', observationId: string): Promise<number>;
  now(): number;
}

/** The lookups of writeIntent over a store; `instrument` may be replaced by a cached reader. */
export function storeLookups(store: RecordStore, validInstrument?: (content: unknown) => boolean): IntentLookups {
  const get = <T>(kind: RecordKind, id: string) => store.get(kind, id) as Promise<T | undefined>;
  return {
    observation: (id) => get<Observation>('observation', id),
    feedback: (id) => get<Feedback>('feedback', id),
    person: (id) => get<Person>('person', id),
    request: (id) => get<ObservationRequest>('request', id),
    instrument: async (key) => (await get<InstalledInstrument>('instrument', key))?.content,
    team: (id) => get<Team>('team', id),
    requestExists: async (id) => (await get('request', id)) !== undefined,
    countIn: (kind, observationId) => store.countIn(kind, observationId),
    observationInstrument: async (id) => (await get<Observation>('observation', id))?.instrumentKey,
    now: () => store.now(),
    ...(validInstrument ? { validInstrument } : {}),
  };
}

/** Kinds recorded inside an observation: their writer is decided by that observation. */
export const IN_OBSERVATION: ReadonlySet<RecordKind> = new Set<RecordKind>([
  'response',
  'note',
  'amendment',
  'feedback',
  'reflection',
]);

/**
 * The intent of writing `after` (a new record when `before` is undefined) as a change of kind `op`. `known` is the
 * observation when the caller has it already (saves a read on a tap). A write that would move the record or give it
 * an id its fields do not give carries `identity` (src/core/sync/identity.ts), which the rules refuse first; a
 * record that may not be stored as it is carries `content` (src/core/sync/content.ts), refused once the writer may
 * write. Of a tombstone only its times are judged: it sets nothing else, and a record can always be removed.
 */
export async function writeIntent(
  kind: RecordKind,
  op: ChangeOp,
  before: object | undefined,
  after: object,
  lookups: IntentLookups,
  known?: Observation,
): Promise<WriteIntent> {
  const identity = identityProblem(kind, before, after as { id: string });
  const intent = await intentOf(kind, op, before, after, lookups, known);
  // The observation the caller has already (a tap) answers which instrument its records are checked against.
  const contentLookups = known
    ? {
        ...lookups,
        observationInstrument: async (id: string) =>
          id === known.id ? known.instrumentKey : lookups.observationInstrument(id),
      }
    : lookups;
  const content = identity
    ? undefined
    : op === 'tombstone'
      ? tombstoneProblem(after, lookups.now())
      : await contentProblem(kind, before, after, contentLookups);
  return { ...intent, ...(identity ? { identity } : {}), ...(content ? { content } : {}) };
}

async function intentOf(
  kind: RecordKind,
  op: ChangeOp,
  before: object | undefined,
  after: object,
  lookups: IntentLookups,
  known?: Observation,
): Promise<WriteIntent> {
  const observationOf = async (record: { observationId?: string }) => {
    if (!record.observationId) return undefined;
    return known && known.id === record.observationId ? known : lookups.observation(record.observationId);
  };
  if (kind === 'observation') {
    const next = after as Observation;
    const previous = before as Observation | undefined;
    if (op === 'insert' || !previous) return { kind, op: 'insert', after: next };
    if (op === 'tombstone') return { kind, op, before: previous };
    const handingOver = next.status === 'shared' && previous.status !== 'shared';
    const feedback = handingOver ? await lookups.feedback(next.id) : undefined;
    return { kind, op: 'patch', before: previous, after: next, ...(feedback ? { feedback } : {}) };
  }
  if (kind === 'person') return { kind, op, before: before as Person | undefined, after: after as Person };
  if (kind === 'reflection')
    return { kind, op, observation: await observationOf(after as Reflection), after: after as Reflection };
  if (IN_OBSERVATION.has(kind)) {
    return {
      kind: kind as 'response' | 'note' | 'amendment' | 'feedback',
      op,
      observation: await observationOf(after as { observationId?: string }),
    };
  }
  if (kind === 'request') {
    const request = after as ObservationRequest;
    const observed = await lookups.person(request.observedId);
    return {
      kind,
      op,
      before: before as ObservationRequest | undefined,
      after: request,
      ...(observed ? { observed } : {}),
    };
  }
  if (kind === 'decline') {
    const decline = after as RequestDecline;
    return { kind, op, request: await lookups.request(decline.requestId), after: decline };
  }
  if (kind === 'goal') return { kind, op, before: before as Goal | undefined, after: after as Goal };
  if (kind === 'instrumentDraft')
    return { kind, op, before: before as InstrumentDraft | undefined, after: after as InstrumentDraft };
  if (kind === 'instrument') {
    const installed = after as InstalledInstrument;
    const previous = before as InstalledInstrument | undefined;
    // Only a new version's content is judged; afterwards it may not change at all (compared, not validated again).
    let contentValid = true;
    if (op !== 'tombstone' && !previous) {
      if (!lookups.validInstrument) throw new Error('Judging an instrument install needs lookups.validInstrument');
      try {
        contentValid = lookups.validInstrument(installed.content);
      } catch {
        // A validator that cannot finish on this content (hostile input) has not found it valid.
        contentValid = false;
      }
    }
    return { kind, op, before: previous, after: installed, contentValid };
  }
  return { kind: kind as 'school' | 'team' | 'schoolYear', op };
}
