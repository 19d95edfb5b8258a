/**
 * The shapes of the sync protocol (src/core/sync/protocol.ts), written once with TypeBox: each is a JSON Schema and,
 * through `Static`, the TypeScript type of the same thing. The server validates requests with them (Fastify compiles
 * them with Ajv, src/server/routes/sync.ts) and the device checks the server's answers with them (TypeBox's value
 * check, which interprets the schema and never evaluates generated code: the app's Content-Security-Policy forbids
 * `eval`; src/data/sync/sync-transport.ts).
 *
 * The limits here are the server's: an id of at most 64 characters, a record id of at most 200, a push of at most
 * `PUSH_BATCH` changes. A push body and a change take no unknown fields.
 */
import { Type } from 'typebox';

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

/** Changes per push request, at most. A device with more sends several. */
export const PUSH_BATCH = 200;

/**
 * A record-schema version as a device sends it: the version of its database schema (src/data/database/schema.ts),
 * a positive whole number. Whether the server accepts it is decided by the support window (sync-versions.ts).
 */
const SchemaVersionShape = Type.Integer({ minimum: 1, maximum: 999_999 });

/** Any JSON object; its content is judged by the core's rules (write-intent.ts, content.ts), not by its shape. */
const AnyObject = Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true });

const RecordKindShape = Type.Enum(RECORD_KINDS);

/** What a device records for every change it makes (its outbox), and pushes to the school server. */
export const OutboxChangeShape = Type.Object(
  {
    /** The device's sequence number for this change (auto-incremented by the outbox table). */
    seq: Type.Optional(Type.Integer()),
    /** A random id, so pushing the same change twice is harmless (the server ignores ids it has). */
    id: Type.String({ minLength: 1, maxLength: 64 }),
    kind: RecordKindShape,
    recordId: Type.String({ minLength: 1, maxLength: 200 }),
    op: Type.Enum(['insert', 'patch', 'tombstone']),
    /** The fields set: the whole record for an insert, the changed fields for a patch, `deletedAt` for a tombstone. */
    fields: AnyObject,
    /** When the change was made (the tap, not the write). */
    at: Type.Number(),
    /**
     * Who made it; null before anyone is chosen on the device, 'system' for the app itself (shipped instruments). The
     * device always writes it; the server takes a change without it (it judges every change as the signed-in
     * person, whatever actor the device wrote).
     */
    actor: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const PushRequestShape = Type.Object(
  {
    changes: Type.Array(OutboxChangeShape, { maxItems: PUSH_BATCH }),
    /**
     * The record-schema version the device writes. Absent in the apps released before the protocol was versioned:
     * they all write version 5 (`UNVERSIONED_SCHEMA`, sync-versions.ts).
     */
    schemaVersion: Type.Optional(SchemaVersionShape),
  },
  { additionalProperties: false },
);

/** A record as it travels: its kind, id, the server's version of it, and the record itself. */
export const SyncRecordShape = Type.Object({
  kind: RecordKindShape,
  id: Type.String(),
  version: Type.Integer(),
  data: AnyObject,
});

export const PushResultShape = Type.Object({
  /** The change id. */
  id: Type.String(),
  outcome: Type.Enum(['applied', 'duplicate', 'refused']),
  /** Why a change was refused (a `RefusalReason` of the writer rules, or a sync reason such as `unknown-record`). */
  reason: Type.Optional(Type.String()),
  /**
   * For a refused change: the record as the server holds it, for the device to put back; absent when the server
   * holds none the person may see (the device then drops its copy).
   */
  record: Type.Optional(SyncRecordShape),
});

export const PushResponseShape = Type.Object({ results: Type.Array(PushResultShape) });

const GoneShape = Type.Object({ kind: RecordKindShape, id: Type.String() });

export const PullResponseShape = Type.Object({
  records: Type.Array(SyncRecordShape),
  /** Records the person held and may no longer see. A gone observation takes everything recorded in it along. */
  gone: Type.Array(GoneShape),
  /** Pass this as `since` next time. A decimal string: versions may outgrow what JSON numbers hold exactly. */
  cursor: Type.String(),
  /** More changes wait beyond this page: pull again at once. */
  more: Type.Boolean(),
});

/**
 * Every error the server sends: a stable code for the app to act on (such as `app-too-old`), and a message in
 * plain English for logs and developers.
 */
export const ErrorBodyShape = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});
