/**
 * What a device records for every change it makes (its outbox), and what a sync client will push to the school
 * server. Plain data: the device writes it, the server will read it; neither needs the other's code.
 */
import type { Static } from 'typebox';
import { RECORD_KINDS, type OutboxChangeShape } from './protocol-shapes';

/** The kinds of record that travel between devices (declared with the protocol's shapes, which list them). */
export { RECORD_KINDS };
export type RecordKind = (typeof RECORD_KINDS)[number];

export type ChangeOp = 'insert' | 'patch' | 'tombstone';

/**
 * A change as the device records it and pushes it: its id, kind, record id, operation, fields, time and actor. Its
 * shape, with each field's meaning and limits, is `OutboxChangeShape` in protocol-shapes.ts.
 */
export type OutboxChange = Static<typeof OutboxChangeShape>;
