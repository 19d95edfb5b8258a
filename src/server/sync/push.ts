/**
 * A device pushes the changes in its outbox (src/core/sync/protocol.ts). The whole push is one transaction, applied
 * in the order sent, as the signed-in person:
 * 1. a change id the server has seen is answered as before (`duplicate`, or `refused` again), never applied twice;
 * 2. the change is applied to the server's copy of the record (`applyChange`), and the core's rules judge it
 *    (`writeIntent` + `refusal`: the record's identity, the writer and lifecycle rules, and what the record may hold
 *    against its instrument version) with the server's records as this push left them, the same rules the device
 *    asked. A record sent as the server already has it is a no-op only for whoever may hold it; anyone else's is
 *    judged, so the answer never tells them what a record they may not read holds;
 * 3. what was accepted is stored, each record once with its last value, and numbered last (src/server/db/records.ts,
 *    "Versions in commit order"). A change of who may see an observation (handed over, shared with the leadership
 *    or a coach or taken back, a role changed) renumbers everything recorded in that observation, so every device's
 *    next pull looks at it again; a change of who coaches a starter (their coach, being a starter, the coach role)
 *    also renumbers the starter's requests and shared goals.
 *
 * Concurrency. A push first locks the record groups it writes (an observation with everything recorded in it, or a
 * record of its own: `lockRecordGroups`), then reads what it needs in a few statements, judges every change in
 * memory, stores the result in a few more, and takes the school's version counter only in its last statement. Two
 * pushes that write the same observation run one after the other, so a rule never judges a record another push is
 * changing; pushes of different observations run side by side. A push that changes a person (whose role decides
 * who sees what in the whole school) locks the whole school instead. On PGlite there is one connection and its
 * transactions run one after the other: there is nothing to race.
 *
 * A change the database cannot store, or that breaks the server's own code, must not take the push down with it:
 * the push then runs again with a savepoint per change, and that change alone is refused as `unstorable` (`onError`
 * hears why). Only a database that is away stops the push (thrown: the route answers 503, nothing was applied, and
 * the device sends it all again).
 *
 * What a device may not decide: summaries are derived data (each side computes its own from the responses), so a
 * change's `summary` field is dropped. The device's `actor` is not trusted: the actor is the session's person.
 * Changes the app itself makes on every device ("system": shipped instruments, the school year) are accepted
 * from anyone, but only as what the app makes: a shipped instrument must be one of the server's own shipped files,
 * the current ones or an earlier version of one (instruments/earlier-versions/).
 */
import type { Sql, Database } from '../db/database';
import { RECORD_KINDS, type OutboxChange, type RecordKind } from '../../core/sync/change';
import type { PushResult } from '../../core/sync/protocol';
import { applyChange, type PlainRecord } from '../../core/sync/apply-change';
import { IN_OBSERVATION, writeIntent, type IntentLookups } from '../../core/sync/write-intent';
import { lookupsOver } from './lookups';
import { isCleanText } from '../../core/sync/content';
import { isDatabaseUnavailable } from '../db/unavailable';
import { asReceived, mayReceive, teacherIdOf, type AudienceContext } from '../../core/sync/audience';
import { refusal } from '../../core/model/lifecycle';
import { schoolYearId, schoolYearOf } from '../../core/model/school-year';
import {
  type InstalledInstrument,
  type Observation,
  type ObservationRequest,
  type Person,
  type Reflection,
  type SchoolYear,
} from '../../core/model/records';
import { canonicalJson, groupVersions, sameContent } from '../../core/model/installed-instruments';
import { lockRecordGroups, lockSchoolWrites, recordGroup, type StoredRecord } from '../db/records';
import { knownShippedInstrument } from './shipped-instruments';
import { PushBatch } from './push-batch';
import { noticesOfWrite, type Notice } from '../../core/notify/notices';
import { enqueueNotices, forgetMailOf } from '../mail/queue';

export interface SyncSession {
  sessionId: string;
  schoolId: string;
  /** The signed-in person as the server holds them now. */
  person: Person;
}

/** Fields a device never decides. */
const DERIVED_FIELDS = ['summary'];

/**
 * Whether `record` is exactly what the app itself makes on every device for this kind ("system" writes).
 * `retiredHere` tells whether the school has retired an instrument (its newest stored version is retired).
 */
async function madeByTheApp(
  kind: RecordKind,
  record: PlainRecord,
  retiredHere: (instrumentId: string) => Promise<boolean>,
): Promise<boolean> {
  if (kind === 'instrument') {
    const installed = record as unknown as InstalledInstrument;
    // One of the files the app ships or has shipped (an earlier version, still installed on a tablet not updated
    // yet), exactly (not any valid instrument that calls itself shipped), installed as the app installs it: not
    // retired, unless the school retired the instrument (a new shipped version then arrives retired, keeping the
    // school's choice; only an administrator retires an instrument).
    const shipped = knownShippedInstrument(installed.id);
    if (!shipped || installed.source !== 'shipped') return false;
    if (installed.retiredAt !== undefined && !(await retiredHere(installed.instrumentId))) return false;
    return (
      installed.instrumentId === shipped.id &&
      installed.version === shipped.version &&
      sameContent(installed.content, shipped)
    );
  }
  if (kind === 'schoolYear') {
    const year = record as unknown as SchoolYear;
    const expected = schoolYearOf(Date.parse(`${year.startsOn}T12:00:00Z`));
    return (
      year.id === schoolYearId(year.name) &&
      year.name === expected.name &&
      year.startsOn === expected.startsOn &&
      year.endsOn === expected.endsOn
    );
  }
  return false;
}

/** Whether the school has retired this instrument: the core's rule over the versions the server stores. */
async function retiredInSchool(tx: Sql, schoolId: string, instrumentId: string): Promise<boolean> {
  const rows = await tx.query<{ data: InstalledInstrument }>(
    `SELECT data FROM records
      WHERE school_id = $1 AND kind = 'instrument' AND data->>'instrumentId' = $2 AND NOT data ? 'deletedAt'`,
    [schoolId, instrumentId],
  );
  return groupVersions(rows.map((row) => row.data))[0]?.retired ?? false;
}

/** Whether a change makes an observation visible to other people, or hides it from them. */
function changesWhoSees(kind: RecordKind, before: PlainRecord | undefined, after: PlainRecord): string[] {
  if (kind === 'observation') return before && before.status !== after.status ? [after.id] : [];
  if (kind === 'reflection') {
    const shared = (r: PlainRecord | undefined, field: 'sharedWithLeaderAt' | 'sharedWithCoachAt') =>
      (r as Reflection | undefined)?.[field] !== undefined;
    return shared(before, 'sharedWithLeaderAt') !== shared(after, 'sharedWithLeaderAt') ||
      shared(before, 'sharedWithCoachAt') !== shared(after, 'sharedWithCoachAt')
      ? [String(after.observationId)]
      : [];
  }
  return [];
}

/** Observations whose visibility depends on the role of a person: those shared with the leadership. */
async function sharedObservations(tx: Sql, schoolId: string): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    "SELECT id FROM records WHERE school_id = $1 AND kind = 'reflection' AND data ? 'sharedWithLeaderAt'",
    [schoolId],
  );
  return rows.map((row) => row.id);
}

/** The people whose records hold an e-mail address, which only they and the administrators receive. */
async function peopleWithAddresses(tx: Sql, schoolId: string): Promise<Array<{ kind: string; id: string }>> {
  return tx.query<{ kind: string; id: string }>(
    "SELECT kind, id FROM records WHERE school_id = $1 AND kind = 'person' AND data ? 'email' ORDER BY version",
    [schoolId],
  );
}

/** Whether a change of a person changes who coaches whom: their coach, being a starter, or the coach role. */
function changesCoaching(before: PlainRecord | undefined, after: PlainRecord): 'starter' | 'coach' | undefined {
  if (!before) return undefined;
  const was = before as unknown as Person;
  const is = after as unknown as Person;
  if (was.coachId !== is.coachId || was.starter !== is.starter) return 'starter';
  return was.role !== is.role && (was.role === 'coach' || is.role === 'coach') ? 'coach' : undefined;
}

/**
 * What a coach of these starters may see (src/core/privacy/visibility.ts): the observations they shared with their
 * coach, their goals shared with their coach, and their requests with the declines. `coach`: the starters are those
 * whose coach this person is.
 */
async function coachedRecords(
  tx: Sql,
  schoolId: string,
  who: { starter: string } | { coach: string },
): Promise<{ observations: string[]; records: Array<{ kind: string; id: string }> }> {
  const starters =
    'starter' in who
      ? [who.starter]
      : (
          await tx.query<{ id: string }>(
            "SELECT id FROM records WHERE school_id = $1 AND kind = 'person' AND data->>'coachId' = $2",
            [schoolId, who.coach],
          )
        ).map((row) => row.id);
  if (starters.length === 0) return { observations: [], records: [] };
  const observations = await tx.query<{ id: string }>(
    `SELECT r.id FROM records r JOIN records o ON o.school_id = r.school_id AND o.kind = 'observation' AND o.id = r.id
      WHERE r.school_id = $1 AND r.kind = 'reflection' AND r.data ? 'sharedWithCoachAt'
        AND o.data->>'observedId' = ANY($2)`,
    [schoolId, starters],
  );
  const records = await tx.query<{ kind: string; id: string }>(
    `SELECT kind, id FROM records WHERE school_id = $1 AND (
        (kind = 'goal' AND data->>'teacherId' = ANY($2) AND data ? 'sharedWithCoachAt')
        OR (kind = 'request' AND data->>'observedId' = ANY($2))
        OR (kind = 'decline' AND data->>'requestId' IN (
              SELECT id FROM records WHERE school_id = $1 AND kind = 'request' AND data->>'observedId' = ANY($2))))
      ORDER BY version`,
    [schoolId, starters],
  );
  return { observations: observations.map((row) => row.id), records };
}

/** Equal records; PostgreSQL's jsonb does not keep the order of keys, so compare with keys sorted. */
const sameRecord = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

function isKind(kind: unknown): kind is RecordKind {
  return (RECORD_KINDS as readonly unknown[]).includes(kind);
}

/** The observation a change's record belongs to, as the change says (a new record) or as the server has it. */
function observationOfChange(change: OutboxChange, stored: Map<string, string | null>): string | undefined {
  if (change.kind === 'observation') return change.recordId;
  if (!IN_OBSERVATION.has(change.kind)) return undefined;
  const said = change.fields.observationId;
  return stored.get(`${change.kind}\n${change.recordId}`) ?? (typeof said === 'string' ? said : undefined);
}

/** What one push needs while it judges its changes. */
interface PushContext {
  database: Database;
  tx: Sql;
  session: SyncSession;
  batch: PushBatch;
  lookups: IntentLookups;
  /** The e-mail notices of what was stored (src/core/notify/notices.ts); queued with the push, when mail is on. */
  notices: Notice[];
  /** People who left the school (removed or archived) in this push: their e-mail address goes with them. */
  leaving: string[];
}

/**
 * Judges one change and records its answer in the batch; returns the result, whose record (for a refusal) is
 * filled in when the push ends.
 */
async function judge(context: PushContext, change: OutboxChange): Promise<PushResult> {
  const { batch, session, tx } = context;
  const { schoolId, person } = session;
  const seen = batch.answered(change.id);
  if (seen) {
    if (seen.outcome === 'applied') return { id: change.id, outcome: 'duplicate' };
    return { id: change.id, outcome: 'refused', ...(seen.reason ? { reason: seen.reason } : {}) };
  }
  const answer = (outcome: 'applied' | 'refused', reason?: string, wrote = false): PushResult => {
    batch.answer({
      changeId: change.id,
      kind: String(change.kind),
      recordId: change.recordId,
      outcome,
      ...(reason ? { reason } : {}),
      wrote,
      ...sequenceOf(change),
    });
    return { id: change.id, outcome, ...(reason ? { reason } : {}) };
  };
  if (!isKind(change.kind)) return answer('refused', 'unknown-kind');

  const fields = Object.fromEntries(Object.entries(change.fields).filter(([key]) => !DERIVED_FIELDS.includes(key)));
  const stored = await batch.get(change.kind, change.recordId);
  const before = stored?.data;
  const byTheApp =
    change.actor === 'system' &&
    change.op === 'insert' &&
    (await madeByTheApp(change.kind, applyChange(undefined, { ...change, fields })!, (instrumentId) =>
      retiredInSchool(tx, schoolId, instrumentId),
    ));
  // Every tablet installs the same shipped instrument and starts the same school year: the first one counts.
  if (byTheApp && before) return answer('applied');
  // An insert of a record the server has is a new version of it (a device replaying after compaction).
  const op = change.op === 'insert' && before ? 'patch' : change.op;
  const after = applyChange(before, { recordId: change.recordId, op, fields });
  if (!after) return answer('refused', 'unknown-record');
  // A record sent as the server has it changes nothing: "applied" for whoever may hold it (a device replaying its own
  // records). Anyone else's is judged like any change, so an answer never confirms a value they may not read.
  const same = stored !== undefined && sameRecord(before, after);
  if (same && (await mayHold(context, stored))) return answer('applied');
  if (!byTheApp) {
    const intent = await writeIntent(change.kind, op, before, after, context.lookups);
    const reason = refusal(person, intent);
    if (reason) return answer('refused', reason);
  }
  if (same) return answer('applied');
  batch.write(change.kind, after);
  context.notices.push(...(await noticesOf(batch, change.kind, before, after)));
  if (change.kind === 'person' && leaves(before, after)) context.leaving.push(after.id);
  const renumber = changesWhoSees(change.kind, before, after);
  if (change.kind === 'person') {
    if (before && before.role !== after.role) renumber.push(...(await sharedObservations(tx, schoolId)));
    // Becoming or ceasing to be an administrator changes who receives colleagues' e-mail addresses (`asReceived`):
    // those people come by again, with or without them.
    if (before && (before.role === 'leader') !== (after.role === 'leader'))
      batch.renumberRecords(await peopleWithAddresses(tx, schoolId));
    const coaching = changesCoaching(before, after);
    if (coaching) {
      const coached = await coachedRecords(
        tx,
        schoolId,
        coaching === 'starter' ? { starter: after.id } : { coach: after.id },
      );
      renumber.push(...coached.observations);
      batch.renumberRecords(coached.records);
    }
  }
  batch.renumber(renumber);
  return answer('applied', undefined, true);
}

/** The notices a stored write causes, with the records they depend on as this push left them. */
async function noticesOf(
  batch: PushBatch,
  kind: RecordKind,
  before: PlainRecord | undefined,
  after: PlainRecord,
): Promise<Notice[]> {
  const related =
    kind === 'reflection'
      ? (await batch.get('observation', String(after.observationId)))?.data
      : kind === 'decline'
        ? (await batch.get('request', String(after.requestId)))?.data
        : undefined;
  return noticesOfWrite(kind, before, after, related);
}

/** Whether this write takes a person out of the school (removed, or archived). */
const leaves = (before: PlainRecord | undefined, after: PlainRecord): boolean =>
  (after.deletedAt !== undefined && before?.deletedAt === undefined) ||
  (after.archivedAt !== undefined && before?.archivedAt === undefined);

/**
 * What the privacy rules need to know about a record, from what this push sees. `coaching`: the person is a coach,
 * who may hold what a starter shared with them (the teacher the record is about then counts).
 */
async function audienceOf(batch: PushBatch, stored: StoredRecord, coaching: boolean): Promise<AudienceContext> {
  const context: AudienceContext = {};
  if (stored.observation_id) {
    const observation = (await batch.get('observation', stored.observation_id))?.data;
    const reflection = (await batch.get('reflection', stored.observation_id))?.data;
    if (observation) context.observation = observation as unknown as Observation;
    if (reflection) context.reflection = reflection as unknown as Reflection;
  }
  if (stored.kind === 'decline' && typeof stored.data.requestId === 'string') {
    const request = (await batch.get('request', stored.data.requestId))?.data;
    if (request) context.request = request as unknown as ObservationRequest;
  }
  const teacherId = coaching ? teacherIdOf(stored.kind, stored.data, context) : undefined;
  const teacher = teacherId === undefined ? undefined : (await batch.get('person', teacherId))?.data;
  if (teacher) context.teacher = teacher as unknown as Person;
  return context;
}

/** Whether the person may hold this stored record (what a pull would give them). */
async function mayHold({ batch, session }: PushContext, stored: StoredRecord): Promise<boolean> {
  return mayReceive(
    session.person,
    stored.kind,
    stored.data,
    await audienceOf(batch, stored, session.person.role === 'coach'),
  );
}

/** The changes a push judges: those whose ids a database column can hold (a NUL cannot be stored). */
const storable = (change: OutboxChange) => isCleanText(change.id) && isCleanText(change.recordId);

/** The device's number for a change, when it is one a column can hold. */
function sequenceOf(change: OutboxChange): { seq?: number } {
  return Number.isSafeInteger(change.seq) && change.seq! >= 0 ? { seq: change.seq! } : {};
}

/**
 * What a push says the device has heard (src/server/db/migrations/004-retention.sql): it pushes its outbox oldest
 * first and removes a change only once it heard the answer, so its changes numbered below the lowest of this push
 * will never come again from this session, and their answers need not be kept. A device that numbers nothing (or
 * lies about it) only makes the server forget its own answers sooner: a change it sends again is then judged again.
 */
async function acknowledge(tx: Sql, session: SyncSession, changes: readonly OutboxChange[]): Promise<void> {
  const numbers = changes.flatMap((change) => sequenceOf(change).seq ?? []);
  if (numbers.length === 0) return;
  await tx.query('DELETE FROM applied_changes WHERE school_id = $1 AND session_id = $2 AND seq < $3', [
    session.schoolId,
    session.sessionId,
    Math.min(...numbers),
  ]);
}

/** Thrown when storing a push as a whole failed: it then runs again a change at a time (see above). */
class StoreFailed extends Error {
  constructor(readonly reason: unknown) {
    super('A push could not be stored as a whole');
  }
}

/**
 * Locks what the push writes and reads what it needs (see "Concurrency" above): the groups of its records, then
 * the records, their observations and the teachers' reflections on them, and the answers given to its change ids.
 */
async function prepare(tx: Sql, session: SyncSession, changes: readonly OutboxChange[], batch: PushBatch) {
  const { schoolId } = session;
  const known = changes.filter((change) => isKind(change.kind));
  await lockSchoolWrites(tx, schoolId, known.some((c) => c.kind === 'person') ? 'exclusive' : 'shared');
  // A record's observation never changes (the identity rules refuse a move): read it before locking its group.
  const inObservation = known.filter((c) => IN_OBSERVATION.has(c.kind));
  const observationOf = new Map<string, string | null>();
  if (inObservation.length > 0) {
    const rows = await tx.query<{ kind: string; id: string; observation_id: string | null }>(
      `SELECT r.kind, r.id, r.observation_id FROM records r
       JOIN unnest($2::text[], $3::text[]) AS k(kind, id) ON r.kind = k.kind AND r.id = k.id WHERE r.school_id = $1`,
      [schoolId, inObservation.map((c) => c.kind), inObservation.map((c) => c.recordId)],
    );
    for (const row of rows) observationOf.set(`${row.kind}\n${row.id}`, row.observation_id);
  }
  const groups = known.map((c) => recordGroup(c.kind, c.recordId, observationOfChange(c, observationOf)));
  await lockRecordGroups(tx, schoolId, groups);
  const observations = [...new Set(known.flatMap((c) => observationOfChange(c, observationOf) ?? []))];
  await batch.load(
    [
      ...known.map((c) => ({ kind: c.kind, id: c.recordId })),
      ...observations.flatMap((id) => [
        { kind: 'observation', id },
        { kind: 'reflection', id },
      ]),
      { kind: 'person', id: session.person.id },
    ],
    changes.map((c) => c.id),
  );
}

type Mode = 'together' | 'one at a time';

async function applyPush(
  database: Database,
  tx: Sql,
  session: SyncSession,
  changes: readonly OutboxChange[],
  now: number,
  mode: Mode,
  onError: (change: OutboxChange, error: unknown) => void,
  options: PushOptions,
): Promise<PushResult[]> {
  const batch = new PushBatch(tx, session.schoolId, session.person.id, session.sessionId, now);
  const judged = changes.filter(storable);
  await acknowledge(tx, session, judged);
  await prepare(tx, session, judged, batch);
  const lookups = lookupsOver(database, session.schoolId, {
    get: async (kind, id) => (await batch.get(kind, id))?.data,
    countIn: (kind, observationId) => batch.countIn(kind, observationId),
    now: () => now,
  });
  const context: PushContext = { database, tx, session, batch, lookups, notices: [], leaving: [] };
  const results: PushResult[] = [];
  for (const change of changes) {
    // An id no database column can hold (a NUL) is answered without storing it.
    if (!storable(change)) {
      results.push({ id: change.id, outcome: 'refused', reason: 'invalid-text' });
      continue;
    }
    if (mode === 'together') {
      try {
        results.push(await judge(context, change));
      } catch (error) {
        if (isDatabaseUnavailable(error)) throw error;
        throw new StoreFailed(error);
      }
      continue;
    }
    await tx.query('SAVEPOINT change');
    const noticed = context.notices.length;
    const left = context.leaving.length;
    let result: PushResult;
    try {
      result = await judge(context, change);
      await batch.flush();
      await tx.query('RELEASE SAVEPOINT change');
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT change');
      batch.discardUnflushed();
      context.notices.length = noticed;
      context.leaving.length = left;
      onError(change, error);
      result = await refuseUnstorable(context, change);
    }
    results.push(result);
  }
  try {
    await batch.flush();
  } catch (error) {
    if (isDatabaseUnavailable(error) || mode !== 'together') throw error;
    throw new StoreFailed(error);
  }
  await batch.number();
  for (const personId of context.leaving) await forgetMailOf(tx, session.schoolId, personId);
  if (options.notify) await enqueueNotices(tx, session.schoolId, context.notices, now);
  // A refused change comes back with the server's copy of its record, when the person may hold it, as it is now.
  for (const result of results) {
    const answer = result.outcome === 'refused' ? batch.answered(result.id) : undefined;
    if (!answer || !isKind(answer.kind)) continue;
    const stored = await batch.get(answer.kind, answer.recordId);
    if (stored && (await mayHold(context, stored)))
      result.record = {
        kind: stored.kind,
        id: stored.id,
        version: stored.version,
        data: asReceived(session.person, answer.kind, stored.data),
      };
  }
  return results;
}

/** Records a change that could not be stored as refused (so a resend is answered the same). */
async function refuseUnstorable({ batch, tx }: PushContext, change: OutboxChange): Promise<PushResult> {
  const reason = 'unstorable';
  batch.forget(String(change.kind), change.recordId);
  await tx.query('SAVEPOINT refusal');
  try {
    batch.answer({
      changeId: change.id,
      kind: String(change.kind),
      recordId: change.recordId,
      outcome: 'refused',
      reason,
      wrote: false,
      ...sequenceOf(change),
    });
    await batch.flush();
    await tx.query('RELEASE SAVEPOINT refusal');
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    await tx.query('ROLLBACK TO SAVEPOINT refusal');
    batch.discardUnflushed();
  }
  return { id: change.id, outcome: 'refused', reason };
}

export interface PushOptions {
  /** Queue the e-mail notices of what was stored (a server with SMTP configured); otherwise none are kept. */
  notify?: boolean;
}

/**
 * Applies a push's changes in order, in one transaction; one refused change does not stop the others (see above for
 * a change that cannot be stored, and for a database that is away). The e-mail notices of what was stored are
 * queued in the same transaction (src/server/mail/queue.ts), so a notice exists exactly when its change does.
 */
export async function pushChanges(
  database: Database,
  session: SyncSession,
  changes: readonly OutboxChange[],
  now = Date.now(),
  onError: (change: OutboxChange, error: unknown) => void = () => {},
  options: PushOptions = {},
): Promise<PushResult[]> {
  const apply = (mode: Mode) => (tx: Sql) => applyPush(database, tx, session, changes, now, mode, onError, options);
  try {
    return await database.transaction(apply('together'));
  } catch (error) {
    if (!(error instanceof StoreFailed)) throw error;
    return database.transaction(apply('one at a time'));
  }
}
