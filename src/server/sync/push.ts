/**
 * A device pushes the changes in its outbox (src/core/sync/protocol.ts). Each change is applied in a transaction of
 * its own, in the order sent, as the signed-in person:
 * 1. a change id the server has seen is answered as before (`duplicate`, or `refused` again), never applied twice;
 * 2. the change is applied to the server's copy of the record (`applyChange`), and the core's rules judge it
 *    (`writeIntent` + `refusal`: the record's identity, the writer and lifecycle rules, and what the record may hold
 *    against its instrument version) with the server's records, the same rules the device asked. A record sent as
 *    the server already has it is a no-op only for whoever may hold it; anyone else's is judged, so the answer never
 *    tells them what a record they may not read holds;
 * 3. an accepted change takes the school's next version; if it changes who may see an observation (handed over,
 *    shared with the leadership or taken back, a role changed), everything recorded in that observation is
 *    renumbered so every device's next pull looks at it again.
 *
 * What a device may not decide: summaries are derived data (each side computes its own from the responses), so a
 * change's `summary` field is dropped. The device's `actor` is not trusted: the actor is the session's person.
 * Changes the app itself makes on every device ("system": shipped instruments, the school year) are accepted
 * from anyone, but only as what the app makes: a shipped instrument must be one of the server's own shipped files.
 */
import type { Sql, Database } from '../db/database';
import { RECORD_KINDS, type OutboxChange, type RecordKind } from '../../core/sync/change';
import type { PushResult } from '../../core/sync/protocol';
import { applyChange, type PlainRecord } from '../../core/sync/apply-change';
import { writeIntent } from '../../core/sync/write-intent';
import { serverLookups } from './lookups';
import { isCleanText } from '../../core/sync/content';
import { isDatabaseUnavailable } from '../db/unavailable';
import { mayReceive } from '../../core/sync/audience';
import { refusal } from '../../core/model/lifecycle';
import { schoolYearId, schoolYearOf } from '../../core/model/school-year';
import {
  instrumentKey,
  type InstalledInstrument,
  type Person,
  type Reflection,
  type SchoolYear,
} from '../../core/model/records';
import { canonicalJson, sameContent } from '../../core/model/installed-instruments';
import { getRecord, lockSchool, putRecord, renumberObservations, takeVersions, type StoredRecord } from '../db/records';
import { shippedInstruments } from './shipped-instruments';
import { receivedContext } from './context';
import { refreshSummary } from './summaries';

export interface SyncSession {
  sessionId: string;
  schoolId: string;
  /** The signed-in person as the server holds them now. */
  person: Person;
}

/** Fields a device never decides. */
const DERIVED_FIELDS = ['summary'];

/** Whether `record` is exactly what the app itself makes on every device for this kind ("system" writes). */
function madeByTheApp(kind: RecordKind, record: PlainRecord): boolean {
  if (kind === 'instrument') {
    const installed = record as unknown as InstalledInstrument;
    // One of the files the app ships, exactly (not any valid instrument that calls itself shipped), installed as
    // the app installs it: not retired (only an administrator retires an instrument).
    const shipped = shippedInstruments().find((content) => instrumentKey(content) === installed.id);
    if (!shipped || installed.source !== 'shipped' || installed.retiredAt !== undefined) return false;
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

/** Whether a change makes an observation visible to other people, or hides it from them. */
function changesWhoSees(kind: RecordKind, before: PlainRecord | undefined, after: PlainRecord): string[] {
  if (kind === 'observation') return before && before.status !== after.status ? [after.id] : [];
  if (kind === 'reflection') {
    const shared = (r: PlainRecord | undefined) => (r as Reflection | undefined)?.sharedWithLeaderAt !== undefined;
    return shared(before) !== shared(after) ? [String(after.observationId)] : [];
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

/** Equal records; PostgreSQL's jsonb does not keep the order of keys, so compare with keys sorted. */
const sameRecord = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

function isKind(kind: unknown): kind is RecordKind {
  return (RECORD_KINDS as readonly unknown[]).includes(kind);
}

async function applyOne(
  database: Database,
  tx: Sql,
  session: SyncSession,
  change: OutboxChange,
  now: number,
): Promise<PushResult> {
  const { schoolId, person } = session;
  await lockSchool(tx, schoolId);
  const [seen] = await tx.query<{ outcome: string; reason: string | null; kind: RecordKind; record_id: string }>(
    'SELECT outcome, reason, kind, record_id FROM applied_changes WHERE school_id = $1 AND change_id = $2',
    [schoolId, change.id],
  );
  if (seen) {
    if (seen.outcome === 'applied') return { id: change.id, outcome: 'duplicate' };
    return {
      id: change.id,
      outcome: 'refused',
      ...(seen.reason ? { reason: seen.reason } : {}),
      ...(await visibleRecord(tx, session, seen.kind, seen.record_id)),
    };
  }
  const refuse = async (reason: string): Promise<PushResult> => {
    await tx.query(
      "INSERT INTO applied_changes (school_id, change_id, person_id, kind, record_id, outcome, reason, received_at) VALUES ($1, $2, $3, $4, $5, 'refused', $6, $7)",
      [schoolId, change.id, person.id, change.kind, change.recordId, reason, now],
    );
    return {
      id: change.id,
      outcome: 'refused',
      reason,
      ...(await visibleRecord(tx, session, change.kind, change.recordId)),
    };
  };
  if (!isKind(change.kind)) return refuse('unknown-kind');

  const fields = Object.fromEntries(Object.entries(change.fields).filter(([key]) => !DERIVED_FIELDS.includes(key)));
  const stored = await getRecord(tx, schoolId, change.kind, change.recordId);
  const before = stored?.data;
  const unchanged = async (): Promise<PushResult> => {
    await recordApplied(tx, schoolId, change, person.id, null, now);
    return { id: change.id, outcome: 'applied' };
  };
  const byTheApp =
    change.actor === 'system' &&
    change.op === 'insert' &&
    madeByTheApp(change.kind, applyChange(undefined, { ...change, fields })!);
  // Every tablet installs the same shipped instrument and starts the same school year: the first one counts.
  if (byTheApp && before) return unchanged();
  // An insert of a record the server has is a new version of it (a device replaying after compaction).
  const op = change.op === 'insert' && before ? 'patch' : change.op;
  const after = applyChange(before, { recordId: change.recordId, op, fields });
  if (!after) return refuse('unknown-record');
  // A record sent as the server has it changes nothing: "applied" for whoever may hold it (a device replaying its own
  // records). Anyone else's is judged like any change, so an answer never confirms a value they may not read.
  const same = stored !== undefined && sameRecord(before, after);
  if (same && (await mayHold(tx, session, stored))) return unchanged();
  if (!byTheApp) {
    const intent = await writeIntent(change.kind, op, before, after, serverLookups(database, tx, schoolId, now));
    const reason = refusal(person, intent);
    if (reason) return refuse(reason);
  }
  if (same) return unchanged();
  const version = await takeVersions(tx, schoolId, 1);
  await putRecord(tx, schoolId, change.kind, after, version);
  await recordApplied(tx, schoolId, change, person.id, version, now);
  const renumber = changesWhoSees(change.kind, before, after);
  if (change.kind === 'person' && before && before.role !== after.role)
    renumber.push(...(await sharedObservations(tx, schoolId)));
  await renumberObservations(tx, schoolId, renumber);
  if (change.kind === 'observation' || change.kind === 'response')
    await refreshSummary(tx, schoolId, change.kind === 'observation' ? after.id : String(after.observationId));
  return { id: change.id, outcome: 'applied' };
}

async function recordApplied(
  tx: Sql,
  schoolId: string,
  change: OutboxChange,
  personId: string,
  version: number | null,
  now: number,
): Promise<void> {
  await tx.query(
    "INSERT INTO applied_changes (school_id, change_id, person_id, kind, record_id, outcome, version, received_at) VALUES ($1, $2, $3, $4, $5, 'applied', $6, $7)",
    [schoolId, change.id, personId, change.kind, change.recordId, version, now],
  );
}

/** The server's copy of a record for a refused change, when the person may hold it. */
async function visibleRecord(
  tx: Sql,
  session: SyncSession,
  kind: RecordKind,
  id: string,
): Promise<Pick<PushResult, 'record'>> {
  const stored = await getRecord(tx, session.schoolId, kind, id);
  if (!stored || !(await mayHold(tx, session, stored))) return {};
  return { record: { kind, id, version: stored.version, data: stored.data } };
}

/** Whether the person may hold this stored record (what a pull would give them). */
async function mayHold(tx: Sql, session: SyncSession, stored: StoredRecord): Promise<boolean> {
  const context = await receivedContext(tx, session.schoolId, [stored]);
  return mayReceive(session.person, stored.kind, stored.data, context(stored));
}

/**
 * Applies the changes in order, each in its own transaction; one refused change does not stop the others. A change
 * the database cannot store (or that breaks the server's own code) is refused alone, as `unstorable`, and
 * `onError` hears why; only a database that is away stops the push (thrown: the route answers 503 and the device
 * sends the rest again, the changes applied so far then answered as duplicates).
 */
export async function pushChanges(
  database: Database,
  session: SyncSession,
  changes: readonly OutboxChange[],
  now = Date.now(),
  onError: (change: OutboxChange, error: unknown) => void = () => {},
): Promise<PushResult[]> {
  const results: PushResult[] = [];
  for (const change of changes) {
    // An id no database column can hold (a NUL) is answered without storing it.
    if (!isCleanText(change.id) || !isCleanText(change.recordId)) {
      results.push({ id: change.id, outcome: 'refused', reason: 'invalid-text' });
      continue;
    }
    try {
      results.push(await database.transaction((tx) => applyOne(database, tx, session, change, now)));
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      onError(change, error);
      results.push(await refuseUnstorable(database, session, change, now));
    }
  }
  return results;
}

/** Records a change that could not be stored as refused (so a resend is answered the same), with the server's copy. */
async function refuseUnstorable(
  database: Database,
  session: SyncSession,
  change: OutboxChange,
  now: number,
): Promise<PushResult> {
  const reason = 'unstorable';
  try {
    return await database.transaction(async (tx) => {
      await tx.query(
        "INSERT INTO applied_changes (school_id, change_id, person_id, kind, record_id, outcome, reason, received_at) VALUES ($1, $2, $3, $4, $5, 'refused', $6, $7) ON CONFLICT DO NOTHING",
        [session.schoolId, change.id, session.person.id, change.kind, change.recordId, reason, now],
      );
      return {
        id: change.id,
        outcome: 'refused',
        reason,
        ...(isKind(change.kind) ? await visibleRecord(tx, session, change.kind, change.recordId) : {}),
      } satisfies PushResult;
    });
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw error;
    return { id: change.id, outcome: 'refused', reason };
  }
}
