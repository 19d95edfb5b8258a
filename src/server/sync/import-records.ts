/**
 * Records that arrive whole rather than as changes: the demo school loaded on the server, and a school that
 * started on one tablet and uploads what it has, once. Each record keeps its id, so an upload sent twice (or
 * interrupted and sent again) adds nothing the second time: records the server already holds are left as they are.
 *
 * Only an administrator may do this (the route checks). An uploaded school's records are everyone's history, not
 * one person's writes, so who wrote them is not asked; but each new record is judged by what makes it the record it
 * is and what it may hold (`historyRefusal`: derived ids, content against its instrument version, a valid
 * instrument), as a push would judge it, and it may not add to an observation that reached the server through sync:
 * an upload cannot put a reflection, a note or feedback into a colleague's observation. One such record refuses the
 * whole upload (`UploadRefused`, naming it): nothing of it is stored. The demo school, which the server generates
 * itself, is not judged. Every record gets a version, so devices pull them.
 */
import type { Database, Sql } from '../db/database';
import { RECORD_KINDS, type RecordKind } from '../../core/sync/change';
import type { PlainRecord } from '../../core/sync/apply-change';
import { observationIdOf } from '../../core/sync/audience';
import { writeIntent } from '../../core/sync/write-intent';
import { historyRefusal } from '../../core/model/lifecycle';
import { insertRecords, lockSchool, lockSchoolWrites, takeVersions } from '../db/records';
import { serverLookups } from './lookups';
import { refreshSummaries } from './summaries';
import type { Person } from '../../core/model/records';

/** The order records are written in, parents first (an observation before its responses). */
const ORDER: readonly RecordKind[] = [
  'school',
  'team',
  'person',
  'schoolYear',
  'instrument',
  'request',
  'decline',
  'observation',
  'response',
  'note',
  'amendment',
  'feedback',
  'reflection',
  'goal',
  'instrumentDraft',
];

/** Records by kind; each a record as devices hold it (src/core/model/records.ts). */
export type RecordsByKind = Partial<Record<RecordKind, readonly { id: string }[]>>;

export interface ImportResult {
  added: number;
  /** Records the server held already (same kind and id), left unchanged. */
  skipped: number;
}

/** An uploaded record the school may not take as it is; the upload stored nothing. */
export class UploadRefused extends Error {
  constructor(
    readonly kind: RecordKind,
    readonly id: string,
    readonly reason: string,
    readonly field?: string,
  ) {
    super(`${kind} ${id}: ${reason}${field ? ` (${field})` : ''}`);
    this.name = 'UploadRefused';
  }
}

/** What judging an upload needs: the database (its instrument cache) and the server's clock. */
export interface UploadJudge {
  database: Database;
  now: number;
}

/**
 * Adds the records the school does not have yet. The school's own record takes the server's school id (a device
 * names its school with an id of its own), so there is one school record per school. With `judge`, each new record
 * is judged first (see above) and the first that fails throws `UploadRefused`: the caller's transaction rolls back.
 */
export async function importRecords(
  tx: Sql,
  schoolId: string,
  records: RecordsByKind,
  judge?: UploadJudge,
): Promise<ImportResult> {
  // Numbers records as it goes, holding the counter: no push may hold a lock this upload could wait for.
  await lockSchoolWrites(tx, schoolId, 'exclusive');
  await lockSchool(tx, schoolId);
  let added = 0;
  let skipped = 0;
  const completed = new Set<string>();
  for (const kind of ORDER.filter((k) => RECORD_KINDS.includes(k))) {
    const list = (records[kind] ?? []).map(
      (record) => (kind === 'school' ? { ...record, id: schoolId } : record) as PlainRecord,
    );
    if (list.length === 0) continue;
    const existing = new Set(
      (
        await tx.query<{ id: string }>('SELECT id FROM records WHERE school_id = $1 AND kind = $2 AND id = ANY($3)', [
          schoolId,
          kind,
          list.map((r) => r.id),
        ])
      ).map((row) => row.id),
    );
    const fresh = list.filter((record) => !existing.has(record.id));
    skipped += list.length - fresh.length;
    if (fresh.length === 0) continue;
    if (judge) await judgeRecords(tx, schoolId, kind, fresh, judge);
    await insertRecords(tx, schoolId, kind, fresh, await takeVersions(tx, schoolId, fresh.length));
    added += fresh.length;
    if (kind === 'observation') for (const o of fresh) if (o.status !== 'draft') completed.add(o.id);
    // An upload in parts may bring an observation's responses after the observation itself.
    if (kind === 'response')
      for (const r of fresh) if (typeof r.observationId === 'string') completed.add(r.observationId);
  }
  // (No summary for a draft or an unknown observation.)
  await refreshSummaries(tx, schoolId, [...completed]);
  return { added, skipped };
}

/**
 * Judges an upload's new records of one kind, after the kinds before it were stored (parents first), so references
 * to them are found like any other. Counts per observation (notes, amendments) include the upload's own.
 */
async function judgeRecords(
  tx: Sql,
  schoolId: string,
  kind: RecordKind,
  fresh: readonly PlainRecord[],
  judge: UploadJudge,
): Promise<void> {
  const stored = serverLookups(judge.database, tx, schoolId, judge.now);
  // People refer to each other (a starter's coach): one the upload brings counts as known, like one stored.
  const uploaded = new Map(kind === 'person' ? fresh.map((record) => [record.id, record as unknown as Person]) : []);
  const lookups: typeof stored = {
    ...stored,
    person: async (id) => (await stored.person(id)) ?? uploaded.get(id),
  };
  const added = new Map<string, number>();
  const countIn: typeof lookups.countIn = async (counted, observationId) =>
    (await lookups.countIn(counted, observationId)) + (added.get(`${counted}\n${observationId}`) ?? 0);
  const synced = await syncedObservations(tx, schoolId, kind, fresh);
  for (const record of fresh) {
    const observationId = kind === 'observation' ? undefined : observationIdOf(kind, record);
    if (observationId && synced.has(observationId))
      throw new UploadRefused(kind, record.id, 'synced-observation', 'observationId');
    const intent = await writeIntent(kind, 'insert', undefined, record, { ...lookups, countIn });
    const reason = historyRefusal(intent);
    if (reason) throw new UploadRefused(kind, record.id, reason, intent.content?.field);
    if (observationId) added.set(`${kind}\n${observationId}`, (added.get(`${kind}\n${observationId}`) ?? 0) + 1);
  }
}

/**
 * The observations these records go into that the server has from sync (a push applied a change to them). An
 * observation an earlier part of the same upload brought has none, so an upload in parts still adds its records.
 */
async function syncedObservations(
  tx: Sql,
  schoolId: string,
  kind: RecordKind,
  fresh: readonly PlainRecord[],
): Promise<Set<string>> {
  if (kind === 'observation') return new Set();
  const ids = [...new Set(fresh.map((record) => observationIdOf(kind, record)).filter((id) => id !== undefined))];
  if (ids.length === 0) return new Set();
  const rows = await tx.query<{ record_id: string }>(
    "SELECT DISTINCT record_id FROM applied_changes WHERE school_id = $1 AND kind = 'observation' AND outcome = 'applied' AND record_id = ANY($2)",
    [schoolId, ids],
  );
  return new Set(rows.map((row) => row.record_id));
}
