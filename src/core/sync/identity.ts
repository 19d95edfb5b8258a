/**
 * What makes a record the record it is, the same rule on a device and on the school server: ids derived from other
 * fields, and fields that never change once the record exists. Who may write a record inside an observation is
 * decided by that observation; if a change could move the record to another observation (or give a teacher's
 * reflection to someone else), a writer allowed in one observation could rewrite, take or reveal what belongs to
 * another. So:
 * - a response's id is `<observation>:<item>` (`#<repetition>` in a repeated section), a feedback's and a
 *   reflection's id is its observation's id: one of each per observation and item, never a second one under another
 *   id that points elsewhere;
 * - a record inside an observation never changes observation, a response never changes item or repetition, a
 *   reflection never changes teacher, a decline never changes request or observer, a goal never changes teacher;
 * - a request never changes who asked, whose lesson it is or who is asked to observe: who may see it, and whose
 *   calendars its visit is in, follow from those (src/core/notify/notices.ts). Asking someone else is a new request.
 */
import { responseId } from '../model/records';
import type { RecordKind } from './change';

export type IdentityProblem =
  /** The id is not the one its fields give (a response, feedback or reflection under an id of another record). */
  | 'wrong-id'
  /** The change would move the record: another observation, item, repetition, teacher, request, observer or owner. */
  | 'moved-record';

/** Fields that never change once a record of this kind exists (besides `owner`, which no record changes). */
const FIXED: Partial<Record<RecordKind, readonly string[]>> = {
  response: ['observationId', 'itemId', 'cycle'],
  note: ['observationId'],
  amendment: ['observationId'],
  feedback: ['observationId'],
  reflection: ['observationId', 'teacherId'],
  decline: ['requestId', 'observerId'],
  goal: ['teacherId'],
  request: ['requesterId', 'observedId', 'observerId'],
};
/** Who made a record stays who made it, for every kind. */
const FIXED_FOR_ALL = ['owner'];

/** The id a record of this kind must have, given its other fields; undefined when its id is free (a new uuid). */
function derivedId(kind: RecordKind, fields: object): string | undefined {
  const record = fields as Readonly<Record<string, unknown>>;
  const observationId = typeof record.observationId === 'string' ? record.observationId : '';
  switch (kind) {
    case 'response':
      return responseId(
        observationId,
        String(record.itemId ?? ''),
        typeof record.cycle === 'number' ? record.cycle : undefined,
      );
    case 'feedback':
    case 'reflection':
      return observationId;
    default:
      return undefined;
  }
}

/**
 * Why writing `after` (over `before`, the stored record, when there is one) breaks the record's identity, or
 * undefined when it keeps it. A tombstone keeps every field, so it passes when the stored record does.
 */
export function identityProblem<T extends { id: string }>(
  kind: RecordKind,
  before: object | undefined,
  after: T,
): IdentityProblem | undefined {
  const expected = derivedId(kind, after);
  if (expected !== undefined && after.id !== expected) return 'wrong-id';
  if (before) {
    const [was, is] = [before as Readonly<Record<string, unknown>>, after as Readonly<Record<string, unknown>>];
    const moved = [...FIXED_FOR_ALL, ...(FIXED[kind] ?? [])].some(
      (field) => JSON.stringify(was[field]) !== JSON.stringify(is[field]),
    );
    if (moved) return 'moved-record';
  }
  return undefined;
}
