/**
 * What the school server sends, written as the server has it: `applyRemote` is the only write that skips the
 * writer rules and the outbox, because the server has decided. It also takes answered entries out of the outbox
 * and stores a pull page's cursor, in the same transaction.
 */
import type { Table } from 'dexie';
import { db, type MeekijkenDb } from '../database/db';
import { TABLES } from './tables';
import type { Observation, Uuid } from '../../core/model/records';
import type { OutboxChange, RecordKind } from '../../core/sync/change';
import type { SyncRecord } from '../../core/sync/protocol';

/** What `applyRemote` does besides writing records, in the same transaction. */
export interface RemoteOptions {
  /** Outbox entries the server answered: they leave the outbox (each only while it is still the same change). */
  answered?: ReadonlyArray<Pick<OutboxChange, 'seq' | 'id'>>;
  /**
   * The server refused this device's change and sent its own version back: write it even though the outbox may
   * still hold entries of the record. (Without this, a record with entries waiting is left as it is.)
   */
  overwrite?: boolean;
  /**
   * A pull page's cursor, stored with the page: a crash between the two cannot skip a page. Not stored when a
   * record of the page was left as it is (see `applyRemote`).
   */
  cursor?: string;
  /** This database's person: observations newly handed over to them are remembered as new feedback. */
  me?: Uuid;
}

export interface RemoteOutcome {
  /** Records written. */
  written: number;
  /** Records left as they are because this device's own change of them waits in the outbox. */
  skipped: number;
  /** Records removed (gone, or dropped after a refusal, with what was recorded in a removed observation). */
  removed: number;
}

/** Kinds recorded in an observation under their own ids; an observation's feedback and reflection carry its id. */
const RECORDED_IN_OBSERVATION = ['response', 'note', 'amendment'] as const;

/**
 * Writes what the school server sent: records as the server has them, and removes records this person may no
 * longer see (`gone`). One transaction, with the options' outbox removals and cursor. No writer rules and no
 * outbox entries: the server decided, and these changes are not this device's to send back.
 *
 * - A record that still has an entry in this device's outbox is not overwritten (unless `overwrite`): the local
 *   change is newer and will be pushed, and the pull after that brings the server's merged version (the page's
 *   cursor is then not stored, so the page comes again).
 * - `gone` removes the record from this device for real (not a tombstone: nobody deleted it, this person may only
 *   no longer see it, e.g. a share taken back). A gone observation takes its responses, notes, amendments,
 *   feedback and reflection along; a gone request its declines. Gone always wins over waiting local changes: what this person may not see does
 *   not stay on their tablet. Those changes stay in the outbox and are still pushed (the server decides on them).
 * - An observation that arrives without a current summary gets one computed by the dashboards' loader
 *   (`loadInsight` in insight.ts), so nothing here has to.
 */
export async function applyRemote(
  records: readonly SyncRecord[],
  gone: ReadonlyArray<{ kind: RecordKind; id: string }>,
  options: RemoteOptions = {},
): Promise<RemoteOutcome> {
  const database = db();
  const tables = [...new Set<string>(Object.values(TABLES)), 'outbox', 'device'].map((name) => database.table(name));
  return database.transaction('rw', tables, async () => {
    for (const { seq, id } of options.answered ?? []) {
      if (seq !== undefined && (await database.outbox.get(seq))?.id === id) await database.outbox.delete(seq);
    }
    // Records with local changes waiting, read from the index alone (no entry is loaded).
    const waiting = options.overwrite
      ? new Set<string>()
      : new Set(
          (await database.outbox.orderBy('[kind+recordId]').uniqueKeys()).map((key) =>
            Array.isArray(key) ? key.join(':') : String(key),
          ),
        );
    const outcome: RemoteOutcome = { written: 0, skipped: 0, removed: 0 };
    const byKind = new Map<RecordKind, Array<Record<string, unknown>>>();
    for (const record of records) {
      if (waiting.has(`${record.kind}:${record.id}`)) {
        outcome.skipped++;
        continue;
      }
      byKind.set(record.kind, [...(byKind.get(record.kind) ?? []), { ...record.data, id: record.id }]);
    }
    const arriving = (byKind.get('observation') ?? []) as unknown as Observation[];
    const before = options.me && arriving.length ? await database.observations.bulkGet(arriving.map((o) => o.id)) : [];
    for (const [kind, rows] of byKind) {
      await database.table(TABLES[kind]).bulkPut(rows);
      outcome.written += rows.length;
    }
    for (const { kind, id } of gone) outcome.removed += await removeRecord(database, kind, id);
    // A page with a record left as it is keeps the old cursor: the page comes again after the next push, when the
    // record's entries are answered. (Moving on would lose the server's version of it for good when that version
    // already holds this device's change, e.g. after an answer lost on the way back: nothing newer would follow.)
    if (options.cursor !== undefined && outcome.skipped === 0)
      await database.device.put({ key: 'syncCursor', value: options.cursor });
    if (options.me)
      await rememberNewFeedback(
        database,
        options.me,
        arriving.filter((o, i) => handedOverTo(options.me!, o) && !handedOverTo(options.me!, before[i])),
      );
    return outcome;
  });
}

const handedOverTo = (me: Uuid, observation: Observation | undefined): boolean =>
  !!observation &&
  observation.deletedAt === undefined &&
  observation.observedId === me &&
  observation.observerId !== me &&
  observation.status === 'shared';

/** Removes a record from this device (an observation with what is recorded in it); returns how many went. */
async function removeRecord(database: MeekijkenDb, kind: RecordKind, id: string): Promise<number> {
  const table = database.table(TABLES[kind]);
  if (kind !== 'observation') {
    const present = (await table.get(id)) !== undefined;
    await table.delete(id);
    // A gone request takes its declines along.
    const declines = kind === 'request' ? await database.declines.where('requestId').equals(id).primaryKeys() : [];
    await database.declines.bulkDelete(declines);
    return (present ? 1 : 0) + declines.length;
  }
  let removed = 0;
  for (const child of RECORDED_IN_OBSERVATION) {
    const keys = await database.table(TABLES[child]).where('observationId').equals(id).primaryKeys();
    await database.table(TABLES[child]).bulkDelete(keys);
    removed += keys.length;
  }
  // The observation's feedback and reflection carry its id.
  for (const childTable of [database.feedback, database.reflections, database.observations] as Table[]) {
    if ((await childTable.get(id)) !== undefined) removed++;
    await childTable.delete(id);
  }
  return removed;
}

/**
 * Keeps the list of observations a pull brought that were newly handed over to this person (the status line says
 * "Nieuwe feedback"), without those read or gone since.
 */
async function rememberNewFeedback(database: MeekijkenDb, me: Uuid, arrived: readonly Observation[]): Promise<void> {
  const stored = await database.device.get('syncNewFeedback');
  const ids = [...new Set([...parseIds(stored?.value), ...arrived.map((o) => o.id)])];
  const [observations, reflections] = await Promise.all([
    database.observations.bulkGet(ids),
    database.reflections.bulkGet(ids),
  ]);
  const unread = ids.filter((_, i) => handedOverTo(me, observations[i]) && reflections[i]?.readAt === undefined);
  if (unread.length === 0 && !stored) return;
  await database.device.put({ key: 'syncNewFeedback', value: JSON.stringify(unread) });
}

/** A JSON list of ids stored in a device setting; anything else is an empty list. */
export function parseIds(value: string | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(value ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}
