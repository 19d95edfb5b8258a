/**
 * What a device records for every change it makes (its outbox), and what a sync client will push to the school
 * server. Plain data: the device writes it, the server will read it; neither needs the other's code.
 */
import type { Timestamp, Uuid } from '../model/records';

/** The kinds of record that travel between devices. Device settings ("who uses this tablet") never do. */
export const RECORD_KINDS = [
  'school',
  'team',
  'person',
  'schoolYear',
  'instrument',
  'observation',
  'response',
  'note',
  'amendment',
  'feedback',
  'reflection',
  'request',
  'decline',
  'goal',
  'instrumentDraft',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export type ChangeOp = 'insert' | 'patch' | 'tombstone';

export interface OutboxChange {
  /** The device's sequence number for this change (auto-incremented by the outbox table). */
  seq?: number;
  /** A random id, so pushing the same change twice is harmless (the server ignores ids it has). */
  id: Uuid;
  kind: RecordKind;
  recordId: string;
  op: ChangeOp;
  /** The fields set: the whole record for an insert, the changed fields for a patch, `deletedAt` for a tombstone. */
  fields: Record<string, unknown>;
  /** When the change was made (the tap, not the write). */
  at: Timestamp;
  /** Who made it; null before anyone is chosen on the device, 'system' for the app itself (shipped instruments). */
  actor: Uuid | null | 'system';
}
