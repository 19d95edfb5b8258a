/**
 * Records that arrive whole rather than as changes: the demo school loaded on the server, and a school that
 * started on one tablet and uploads what it has, once. Each record keeps its id, so an upload sent twice (or
 * interrupted and sent again) adds nothing the second time: records the server already holds are left as they are.
 *
 * Only an administrator may do this (the route checks); the records are not judged change by change, since they
 * are a school's history, not one person's writes. Every record still gets a version, so devices pull them.
 */
import type { Sql } from '../db/database';
import { RECORD_KINDS, type RecordKind } from '../../core/sync/change';
import type { PlainRecord } from '../../core/sync/apply-change';
import { insertRecords, lockSchool, takeVersions } from '../db/records';
import { refreshSummary } from './summaries';

/** The order records are written in, parents first (an observation before its responses). */
const ORDER: readonly RecordKind[] = ['school', 'team', 'person', 'schoolYear', 'instrument', 'request', 'decline', 'observation', 'response', 'note', 'amendment', 'feedback', 'reflection', 'goal', 'instrumentDraft'];

/** Records by kind; each a record as devices hold it (src/core/model/records.ts). */
export type RecordsByKind = Partial<Record<RecordKind, readonly { id: string }[]>>;

export interface ImportResult {
  added: number;
  /** Records the server held already (same kind and id), left unchanged. */
  skipped: number;
}

/**
 * Adds the records the school does not have yet. The school's own record takes the server's school id (a device
 * names its school with an id of its own), so there is one school record per school.
 */
export async function importRecords(tx: Sql, schoolId: string, records: RecordsByKind): Promise<ImportResult> {
  await lockSchool(tx, schoolId);
  let added = 0;
  let skipped = 0;
  const completed = new Set<string>();
  for (const kind of ORDER.filter((k) => RECORD_KINDS.includes(k))) {
    const list = (records[kind] ?? []).map((record) => (kind === 'school' ? { ...record, id: schoolId } : record) as PlainRecord);
    if (list.length === 0) continue;
    const existing = new Set(
      (await tx.query<{ id: string }>('SELECT id FROM records WHERE school_id = $1 AND kind = $2 AND id = ANY($3)', [schoolId, kind, list.map((r) => r.id)])).map((row) => row.id),
    );
    const fresh = list.filter((record) => !existing.has(record.id));
    skipped += list.length - fresh.length;
    if (fresh.length === 0) continue;
    await insertRecords(tx, schoolId, kind, fresh, await takeVersions(tx, schoolId, fresh.length));
    added += fresh.length;
    if (kind === 'observation') for (const o of fresh) if (o.status !== 'draft') completed.add(o.id);
    // An upload in parts may bring an observation's responses after the observation itself.
    if (kind === 'response') for (const r of fresh) if (typeof r.observationId === 'string') completed.add(r.observationId);
  }
  // (refreshSummary keeps no summary for a draft or an unknown observation.)
  for (const id of completed) await refreshSummary(tx, schoolId, id);
  return { added, skipped };
}
