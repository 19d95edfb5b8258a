/**
 * What a change from an outbox does to a record, the same on every device and on the server: an insert sets the
 * whole record, a patch sets the fields it names (a field set to null is removed: records use absent fields, never
 * null, and `alive` reads a record with any `deletedAt` as deleted), a tombstone sets `deletedAt` (and `updatedAt`)
 * and nothing else: whatever other fields it carries are not the record's, so a removal can never rewrite it.
 */
import type { ChangeOp } from './change';

export type PlainRecord = Record<string, unknown> & { id: string };

/** What a tombstone sets. */
const TOMBSTONE_FIELDS: readonly string[] = ['deletedAt', 'updatedAt'];

function pick(fields: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([key]) => keys.includes(key)));
}

/** The record without the fields a patch removed (null values). */
function withoutNulls(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}

/**
 * The record after the change, or undefined when a patch or tombstone finds no record to change (the device
 * holds a record the server never received: a sync reason to refuse, `unknown-record`).
 */
export function applyChange(
  current: PlainRecord | undefined,
  change: { recordId: string; op: ChangeOp; fields: Record<string, unknown> },
): PlainRecord | undefined {
  if (change.op === 'insert') return { ...withoutNulls(change.fields), id: change.recordId };
  if (!current) return undefined;
  const next: Record<string, unknown> = { ...current };
  const fields = change.op === 'tombstone' ? pick(change.fields, TOMBSTONE_FIELDS) : change.fields;
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'id') continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as PlainRecord;
}
