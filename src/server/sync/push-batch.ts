/**
 * What one push has read and decided so far, inside its transaction (push.ts). Records are read once, for the whole
 * push, and a change sees what the changes before it in the push wrote. Writes wait here until `flush` stores them
 * in a few statements, and `number` gives them their versions last, just before the commit (src/server/db/records.ts,
 * "Versions in commit order").
 */
import type { Sql } from '../db/database';
import type { RecordKind } from '../../core/sync/change';
import type { PlainRecord } from '../../core/sync/apply-change';
import { observationIdOf } from '../../core/sync/audience';
import { numberWrites, readRecords, recordsOfObservations, writeRecords, type StoredRecord } from '../db/records';
import { refreshSummaries } from './summaries';

/** A change the push answered, as `applied_changes` keeps it: a resend is answered the same. */
export interface Answered {
  changeId: string;
  kind: string;
  recordId: string;
  outcome: 'applied' | 'refused';
  reason?: string;
  /** Whether the change wrote the record (an applied change that changed nothing did not). */
  wrote: boolean;
  /** The device's number for the change (its outbox sequence), when it gave one. */
  seq?: number;
}

const keyOf = (kind: string, id: string) => `${kind}\n${id}`;

export class PushBatch {
  /** Records read or written, by kind and id; null: the school has none. */
  private readonly records = new Map<string, StoredRecord | null>();
  /** Records written since the last flush, the last write of each. */
  private readonly unflushed = new Map<string, { kind: RecordKind; data: PlainRecord }>();
  /** Every record this push wrote, in the order of their last writes: the order of their versions. */
  private readonly written = new Map<string, { kind: string; id: string }>();
  private readonly flushedWrites = new Set<string>();
  /** Answers since the last flush, and every answer of this push. */
  private unflushedAnswers: Answered[] = [];
  private readonly answers = new Map<string, Answered>();
  /** Records created since the last flush, per kind and observation (counted by the content rules). */
  private readonly created = new Map<string, number>();
  /** Observations whose summaries must be computed again, and whose records all take new versions. */
  private readonly toSummarise = new Set<string>();
  private readonly toRenumber = new Set<string>();
  private readonly recordsToRenumber = new Map<string, { kind: string; id: string }>();

  constructor(
    private readonly tx: Sql,
    private readonly schoolId: string,
    private readonly personId: string,
    private readonly sessionId: string,
    private readonly now: number,
  ) {}

  /** Reads these records and the answers the server gave to these change ids before, in two statements. */
  async load(keys: readonly { kind: string; id: string }[], changeIds: readonly string[]): Promise<void> {
    const wanted = keys.filter((k) => !this.records.has(keyOf(k.kind, k.id)));
    for (const k of wanted) this.records.set(keyOf(k.kind, k.id), null);
    for (const row of await readRecords(this.tx, this.schoolId, wanted)) this.records.set(keyOf(row.kind, row.id), row);
    if (changeIds.length === 0) return;
    const rows = await this.tx.query<{
      change_id: string;
      outcome: 'applied' | 'refused';
      reason: string | null;
      kind: string;
      record_id: string;
    }>(
      'SELECT change_id, outcome, reason, kind, record_id FROM applied_changes WHERE school_id = $1 AND change_id = ANY($2)',
      [this.schoolId, [...changeIds]],
    );
    for (const row of rows)
      this.answers.set(row.change_id, {
        changeId: row.change_id,
        kind: row.kind,
        recordId: row.record_id,
        outcome: row.outcome,
        ...(row.reason ? { reason: row.reason } : {}),
        wrote: false,
      });
  }

  /** The school's record as this push sees it (with what the push wrote so far), read on first use. */
  async get(kind: string, id: string): Promise<StoredRecord | undefined> {
    const key = keyOf(kind, id);
    if (!this.records.has(key)) await this.load([{ kind, id }], []);
    return this.records.get(key) ?? undefined;
  }

  /** How many records of a kind an observation holds, with those this push created. */
  async countIn(kind: string, observationId: string): Promise<number> {
    const [row] = await this.tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM records WHERE school_id = $1 AND observation_id = $2 AND kind = $3',
      [this.schoolId, observationId, kind],
    );
    return Number(row?.n ?? 0) + (this.created.get(keyOf(kind, observationId)) ?? 0);
  }

  /** How the push answered this change id before (in an earlier push or earlier in this one). */
  answered(changeId: string): Answered | undefined {
    return this.answers.get(changeId);
  }

  answer(answer: Answered): void {
    this.answers.set(answer.changeId, answer);
    this.unflushedAnswers.push(answer);
  }

  /** Writes a record (numbered when the push ends); its observation's summary is computed again if it counts. */
  write(kind: RecordKind, data: PlainRecord): void {
    const key = keyOf(kind, data.id);
    const before = this.records.get(key);
    const observationId = observationIdOf(kind, data) ?? null;
    if (!before && observationId)
      this.created.set(keyOf(kind, observationId), (this.created.get(keyOf(kind, observationId)) ?? 0) + 1);
    this.records.set(key, { kind, id: data.id, data, version: before?.version ?? 0, observation_id: observationId });
    this.unflushed.set(key, { kind, data });
    this.written.delete(key);
    this.written.set(key, { kind, id: data.id });
    if (observationId && (kind === 'observation' || kind === 'response')) this.toSummarise.add(observationId);
  }

  /** Everything recorded in these observations takes a new version when the push ends (see push.ts). */
  renumber(observationIds: readonly string[]): void {
    for (const id of observationIds) this.toRenumber.add(id);
  }

  /** These records of their own (goals, requests, declines) take a new version when the push ends (see push.ts). */
  renumberRecords(records: readonly { kind: string; id: string }[]): void {
    for (const record of records) this.recordsToRenumber.set(keyOf(record.kind, record.id), record);
  }

  /** Forgets a record read or written, so the next `get` reads the database again (after a rollback to a savepoint). */
  forget(kind: string, id: string): void {
    this.records.delete(keyOf(kind, id));
  }

  /**
   * Drops what was written and answered since the last flush (after a rollback to a savepoint): the next `get` of
   * those records reads the database again, as the savepoint left it.
   */
  discardUnflushed(): void {
    for (const key of this.unflushed.keys()) {
      this.records.delete(key);
      if (!this.flushedWrites.has(key)) this.written.delete(key);
    }
    for (const answer of this.unflushedAnswers) this.answers.delete(answer.changeId);
    this.unflushed.clear();
    this.unflushedAnswers = [];
    this.created.clear();
  }

  /** Stores what was written and answered since the last flush, and the summaries it changed. */
  async flush(): Promise<void> {
    await writeRecords(this.tx, this.schoolId, [...this.unflushed.values()]);
    for (const key of this.unflushed.keys()) this.flushedWrites.add(key);
    this.unflushed.clear();
    this.created.clear();
    const answers = this.unflushedAnswers;
    this.unflushedAnswers = [];
    if (answers.length > 0)
      await this.tx.query(
        `INSERT INTO applied_changes (school_id, change_id, person_id, session_id, kind, record_id, outcome, reason, seq, received_at)
         SELECT $1, a.change_id, $2, $3, a.kind, a.record_id, a.outcome, a.reason, a.seq, $4
         FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int8[]) AS a(change_id, kind, record_id, outcome, reason, seq)`,
        [
          this.schoolId,
          this.personId,
          this.sessionId,
          this.now,
          answers.map((a) => a.changeId),
          answers.map((a) => a.kind),
          answers.map((a) => a.recordId),
          answers.map((a) => a.outcome),
          answers.map((a) => a.reason ?? null),
          answers.map((a) => a.seq ?? null),
        ],
      );
    const observations = [...this.toSummarise];
    this.toSummarise.clear();
    await refreshSummaries(this.tx, this.schoolId, observations);
  }

  /**
   * Numbers every record this push wrote, everything recorded in the observations to renumber and the records to
   * renumber; the last statement before the commit. The records this push holds take their new versions.
   */
  async number(): Promise<void> {
    const order = new Map(this.written);
    for (const record of [
      ...(await recordsOfObservations(this.tx, this.schoolId, [...this.toRenumber])),
      ...this.recordsToRenumber.values(),
    ]) {
      const key = keyOf(record.kind, record.id);
      if (!order.has(key)) order.set(key, record);
    }
    const keys = [...order.keys()];
    const position = new Map(keys.map((key, i) => [key, i]));
    const changes = [...this.answers.values()].flatMap((a) =>
      a.wrote ? [{ changeId: a.changeId, record: position.get(keyOf(a.kind, a.recordId))! }] : [],
    );
    const base = await numberWrites(this.tx, this.schoolId, [...order.values()], changes);
    for (const [key, i] of position) {
      const stored = this.records.get(key);
      if (stored) stored.version = base + i + 1;
    }
  }
}
