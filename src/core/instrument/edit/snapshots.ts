/**
 * Snapshot items (time-on-task, engagement): measurements repeated at set moments of the lesson. Their schedule (at
 * given minutes, every N minutes from–until, or (format 2) at equal parts of the actual lesson) and their fields,
 * each a counter, a choice, yes/no or a rating. A field renamed or removed is renamed or removed in the rules and
 * scores that read it (`renameId`, `removeEntry`). And (format 3) what a score item reads of a snapshot beyond one
 * field: several fields together, some snapshots only, a number divided by another.
 */
import type { Instrument, Item, SnapshotField, SnapshotResponse, SnapshotSchedule } from '../types';
import { DEFAULT_LESSON_MINUTES, snapshotMinutes } from '../../observation/snapshots';
import { getAt, inFormat2, inFormat3, isObject, setAt, type Json, type Path } from './paths';
import { freshId } from './ids';
import { emptyText } from './texts';
import { insertEntry } from './lists';
import { everyItem, mapRuleAnswers } from './references';

export type ScheduleKind = 'atMinutes' | 'every' | 'equalParts';
export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['atMinutes', 'every', 'equalParts'];
export type FieldResponseType = SnapshotField['response']['type'];
export const FIELD_RESPONSE_TYPES: readonly FieldResponseType[] = ['counter', 'choice', 'yes-no', 'rating'];

export const scheduleKind = (schedule: SnapshotSchedule | undefined): ScheduleKind | undefined =>
  !schedule
    ? undefined
    : 'atMinutes' in schedule
      ? 'atMinutes'
      : 'equalParts' in schedule
        ? 'equalParts'
        : 'everyMinutes' in schedule
          ? 'every'
          : undefined;

/** A new snapshot: at minutes 10, 20 and 30, counting one thing (e.g. the pupils at work). */
export function newSnapshot(languages: readonly string[]): SnapshotResponse {
  return {
    type: 'snapshot',
    schedule: { atMinutes: [10, 20, 30] },
    fields: [{ id: 'field', label: emptyText(languages), response: { type: 'counter', min: 0 } }],
  };
}

/** Another kind of schedule, keeping as much as it can: the number of moments, the first and the last. */
export function setSchedule(instrument: Instrument, itemPath: Path, kind: ScheduleKind): Instrument {
  const path = [...itemPath, 'response', 'schedule'];
  const schedule = getAt(instrument, path) as SnapshotSchedule | undefined;
  if (scheduleKind(schedule) === kind) return instrument;
  const lesson = instrument.lessonMinutes ?? DEFAULT_LESSON_MINUTES;
  // A schedule being written (a field still empty) has no minutes to keep: then the new one's own.
  let minutes = schedule ? snapshotMinutes(schedule, lesson).filter(Number.isFinite).slice(0, 100) : [];
  if (minutes.length === 0) minutes = [10, 20, 30];
  const first = Math.round(minutes[0]!);
  const last = Math.round(minutes.at(-1)!);
  const next: SnapshotSchedule =
    kind === 'atMinutes'
      ? { atMinutes: minutes.map(Math.round).filter((m, i, all) => i === 0 || m > all[i - 1]!) }
      : kind === 'every'
        ? {
            everyMinutes: minutes.length > 1 ? Math.max(1, Math.round((last - first) / (minutes.length - 1))) : 10,
            fromMinute: first,
            untilMinute: Math.max(first, last),
          }
        : { equalParts: minutes.length };
  return setAt(kind === 'equalParts' ? inFormat2(instrument) : instrument, path, next);
}

/** One more moment at given minutes: ten minutes after the last. */
export function addSnapshotMinute(instrument: Instrument, itemPath: Path): { instrument: Instrument; index: number } {
  const listPath = [...itemPath, 'response', 'schedule', 'atMinutes'];
  const minutes = getAt(instrument, listPath);
  const last = Array.isArray(minutes) && typeof minutes.at(-1) === 'number' ? (minutes.at(-1) as number) : 0;
  return insertEntry(instrument, listPath, last + 10);
}

export function addSnapshotField(instrument: Instrument, itemPath: Path): { instrument: Instrument; index: number } {
  const listPath = [...itemPath, 'response', 'fields'];
  const field: SnapshotField = {
    id: freshId(instrument, listPath, 'field'),
    label: emptyText(instrument.languages),
    response: { type: 'counter', min: 0 },
  };
  return insertEntry(instrument, listPath, field);
}

/**
 * A field's kind of answer. What only a rating has (reverse scoring, descriptors) goes, and so do the answers rules
 * and scores tested this field for (a "yes" means nothing to a count).
 */
export function setFieldResponseType(instrument: Instrument, fieldPath: Path, type: FieldResponseType): Instrument {
  const field = getAt(instrument, fieldPath) as SnapshotField | undefined;
  const item = getAt(instrument, fieldPath.slice(0, -3)) as Item | undefined;
  if (!field || !item || field.response?.type === type) return instrument;
  const option = (id: string) => ({ id, label: emptyText(instrument.languages) });
  const response: SnapshotField['response'] =
    type === 'rating'
      ? { type, scale: instrument.scales[0]?.id ?? '' }
      : type === 'choice'
        ? { type, options: [option('option'), option('option-2')] }
        : type === 'counter'
          ? { type, min: 0 }
          : { type };
  const { reverse: _reverse, descriptors: _descriptors, ...rest } = field;
  const next = setAt(instrument, fieldPath, { ...(type === 'rating' ? field : rest), response });
  return mapRuleAnswers(next, item.id, () => undefined, field.id);
}

// ---------------------------------------------------------------------------------------------------------------
// (format 3) A score item's snapshot source beyond one field: several fields of the snapshot together (`match`),
// some snapshots only (`among`), and each snapshot's number divided by another number (`per`). A condition is found
// by the item's path, which of the two (`match` or `among`), and its path under it (`[]` for one condition on its
// own, `['all', 1]` for the second of those that must all hold).

/** How the conditions of a match hold together: all of them, or at least one. */
export const MATCH_JOINS = ['all', 'any'] as const;
export type MatchJoin = (typeof MATCH_JOINS)[number];
export type MatchKey = 'match' | 'among';
/** What a score from a snapshot reads: one field (a number, or the share with some answers), or several together. */
export type SnapshotReading = 'field' | 'match';
/** What each snapshot's number is divided by: nothing, a number field of the same snapshot, a number about the lesson. */
export type PerKind = 'none' | 'field' | 'context';
export const PER_KINDS: readonly PerKind[] = ['none', 'field', 'context'];

type MatchLeaf = { field: string; in?: Array<string | number>; atLeast?: number; atMost?: number };
const LEAF_KEYS = new Set(['field', 'in', 'atLeast', 'atMost']);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export const matchJoin = (match: unknown): MatchJoin | undefined =>
  isObject(match) ? MATCH_JOINS.find((join) => Array.isArray(match[join])) : undefined;

function isMatchLeaf(match: unknown): match is MatchLeaf {
  if (!isObject(match) || typeof match.field !== 'string') return false;
  if (!Object.keys(match).every((key) => LEAF_KEYS.has(key))) return false;
  if (match.in !== undefined)
    return (
      match.atLeast === undefined &&
      match.atMost === undefined &&
      Array.isArray(match.in) &&
      match.in.every((value) => typeof value === 'string' || typeof value === 'number')
    );
  return ['atLeast', 'atMost'].every((key) => match[key] === undefined || isFiniteNumber(match[key]));
}

/**
 * Whether the editor shows a match as a form: one condition on a field, or all / any of such conditions. A nested
 * one is kept exactly and described in words.
 */
export function isFlatMatch(match: unknown): boolean {
  if (isMatchLeaf(match)) return true;
  const join = matchJoin(match);
  if (!join || Object.keys(match as Json).length !== 1) return false;
  const parts = (match as Json)[join] as unknown[];
  // An empty group (its last condition's field removed) too: the form adds one, the validator asks for one.
  return parts.every(isMatchLeaf);
}

/** The conditions of a flat match, each with its path under the match. */
export function matchConditions(match: unknown): Array<{ condition: MatchLeaf; path: Path }> {
  if (isMatchLeaf(match)) return [{ condition: match, path: [] }];
  const join = matchJoin(match);
  if (!join) return [];
  return ((match as Json)[join] as unknown[]).flatMap((part, p) =>
    isMatchLeaf(part) ? [{ condition: part, path: [join, p] }] : [],
  );
}

/** The fields of the snapshot item a score item at `itemPath` reads. */
function sourceFields(instrument: Instrument, itemPath: Path): SnapshotField[] {
  const from = getAt(instrument, [...itemPath, 'response', 'from']);
  const id = isObject(from) ? from.snapshot : undefined;
  const item = everyItem(instrument).find((other) => other.id === id);
  return item?.response?.type === 'snapshot' && Array.isArray(item.response.fields) ? item.response.fields : [];
}

/**
 * What a condition on a snapshot field tests: answers to tick for a choice or yes/no (the option ids; yes, no and
 * "not observed" when offered), bounds for a number (a counter, a rating's level).
 */
export function matchAnswers(field: SnapshotField | undefined): Array<string | number> | undefined {
  const response = field?.response;
  if (response?.type === 'choice') return (response.options ?? []).map((option) => option.id);
  if (response?.type === 'yes-no') return ['yes', 'no', ...(response.allowNotObserved ? ['not-observed'] : [])];
  return undefined;
}

/** A condition on a field: its answers still to tick, or for a number at least one (a rating: its top level). */
function newLeaf(instrument: Instrument, field: SnapshotField | undefined): MatchLeaf {
  const id = field?.id ?? '';
  if (matchAnswers(field)) return { field: id, in: [] };
  const scale =
    field?.response?.type === 'rating'
      ? instrument.scales.find((s) => s.id === (field.response as { scale: string }).scale)
      : undefined;
  return { field: id, atLeast: scale?.levels.at(-1)?.value ?? 1 };
}

/** The first field with answers to tick that the match does not read yet; else the first it does not read. */
function nextField(fields: readonly SnapshotField[], read: ReadonlySet<string>): SnapshotField | undefined {
  const unread = fields.filter((field) => !read.has(field.id));
  const pool = unread.length > 0 ? unread : fields;
  return pool.find((field) => matchAnswers(field)) ?? pool[0];
}

const fromPathOf = (itemPath: Path): Path => [...itemPath, 'response', 'from'];

/**
 * One field, or several fields together. To several: the field (and the answers ticked for it) becomes the first
 * condition that must all hold, and a number it was divided by goes (a match counts 1 or 0). Back to one field: the
 * first condition's field and answers.
 */
export function setSnapshotReading(instrument: Instrument, itemPath: Path, reading: SnapshotReading): Instrument {
  const path = fromPathOf(itemPath);
  const from = getAt(instrument, path);
  if (!isObject(from) || (reading === 'match') === (from.match !== undefined)) return instrument;
  const fields = sourceFields(instrument, itemPath);
  if (reading === 'match') {
    const { field, in: values, per: _per, ...rest } = from;
    const current = fields.find((f) => f.id === field);
    const leaf = newLeaf(instrument, current ?? nextField(fields, new Set()));
    const ticked = Array.isArray(values) && leaf.in ? { ...leaf, in: [...(values as Array<string | number>)] } : leaf;
    return setAt(inFormat3(instrument), path, { ...rest, match: { all: [ticked] } });
  }
  const { match, ...rest } = from;
  const first = matchConditions(match)[0]?.condition;
  const field = first?.field ?? fields[0]?.id ?? '';
  const values = first?.in && first.in.length > 0 ? { in: [...first.in] } : {};
  return setAt(instrument, path, { ...rest, field, ...values });
}

/** Counting only among the snapshots where a condition holds (one to fill in), or among all of them. */
export function setSnapshotAmong(instrument: Instrument, itemPath: Path, on: boolean): Instrument {
  const path = [...fromPathOf(itemPath), 'among'];
  if (!on) return setAt(instrument, path, undefined);
  if (getAt(instrument, path) !== undefined) return instrument;
  const leaf = newLeaf(instrument, nextField(sourceFields(instrument, itemPath), new Set()));
  return setAt(inFormat3(instrument), path, { all: [leaf] });
}

/**
 * Adds a condition to a match (`key`): to its group, or with a condition on its own in a new group that must all
 * hold; on a field the match does not read yet. Returns its index in the group (`[...key, join]`).
 */
export function addMatchCondition(
  instrument: Instrument,
  itemPath: Path,
  key: MatchKey,
): { instrument: Instrument; index: number } {
  const path = [...fromPathOf(itemPath), key];
  const match = getAt(instrument, path);
  const read = new Set(matchConditions(match).map(({ condition }) => condition.field));
  const leaf = newLeaf(instrument, nextField(sourceFields(instrument, itemPath), read));
  const join = matchJoin(match);
  const next = inFormat3(instrument);
  if (join) return insertEntry(next, [...path, join], leaf);
  if (match === undefined) return { instrument: setAt(next, path, { all: [leaf] }), index: 0 };
  return { instrument: setAt(next, path, { all: [match, leaf] }), index: 1 };
}

/** Whether all conditions of a match must hold, or at least one; a condition on its own becomes a group of one. */
export function setMatchJoin(instrument: Instrument, itemPath: Path, key: MatchKey, join: MatchJoin): Instrument {
  const path = [...fromPathOf(itemPath), key];
  const match = getAt(instrument, path);
  const from = matchJoin(match);
  if (from === join) return instrument;
  if (from) return setAt(instrument, path, { [join]: (match as Json)[from] });
  return isMatchLeaf(match) ? setAt(instrument, path, { [join]: [match] }) : instrument;
}

/**
 * The field a condition reads. The answers ticked for the previous one mean nothing for this one; bounds on a
 * number stay when the new one is a number too.
 */
export function setMatchField(
  instrument: Instrument,
  itemPath: Path,
  key: MatchKey,
  conditionPath: Path,
  fieldId: string,
): Instrument {
  const path = [...fromPathOf(itemPath), key, ...conditionPath];
  const current = getAt(instrument, path);
  if (!isMatchLeaf(current) || current.field === fieldId) return instrument;
  const leaf = newLeaf(
    instrument,
    sourceFields(instrument, itemPath).find((f) => f.id === fieldId),
  );
  const bounds = { atLeast: current.atLeast, atMost: current.atMost };
  const kept = !leaf.in && current.in === undefined && (bounds.atLeast !== undefined || bounds.atMost !== undefined);
  const next = kept
    ? {
        field: fieldId,
        ...(bounds.atLeast !== undefined && { atLeast: bounds.atLeast }),
        ...(bounds.atMost !== undefined && { atMost: bounds.atMost }),
      }
    : { ...leaf, field: fieldId };
  return setAt(instrument, path, next);
}

/** Ticks an answer a condition tests for, or unticks it (kept in the order the field offers them). */
export function setMatchAnswer(
  instrument: Instrument,
  itemPath: Path,
  key: MatchKey,
  conditionPath: Path,
  answer: string | number,
  included: boolean,
): Instrument {
  const path = [...fromPathOf(itemPath), key, ...conditionPath];
  const leaf = getAt(instrument, path);
  if (!isMatchLeaf(leaf)) return instrument;
  const current = leaf.in ?? [];
  if (current.includes(answer) === included) return instrument;
  const wanted = included ? [...current, answer] : current.filter((a) => a !== answer);
  const order = matchAnswers(sourceFields(instrument, itemPath).find((f) => f.id === leaf.field)) ?? [];
  const rank = (a: string | number) => (order.indexOf(a) === -1 ? order.length : order.indexOf(a));
  return setAt(
    instrument,
    [...path, 'in'],
    [...wanted].sort((a, b) => rank(a) - rank(b)),
  );
}

/** What each snapshot's number is divided by, as `setSnapshotPer` writes it. */
export const perKind = (per: unknown): PerKind =>
  isObject(per) ? ('context' in per ? 'context' : 'field' in per ? 'field' : 'none') : 'none';

/** A snapshot field that holds a number: a counter or a rating. */
export const isNumberField = (field: SnapshotField | undefined): boolean =>
  field?.response?.type === 'counter' || field?.response?.type === 'rating';

/**
 * Each snapshot's number divided by nothing, by a number field of the same snapshot (the first other counter or
 * rating, to start with), or by a number answered about the lesson (the first question with a number).
 */
export function setSnapshotPer(instrument: Instrument, itemPath: Path, kind: PerKind): Instrument {
  const path = [...fromPathOf(itemPath), 'per'];
  if (kind === 'none') return setAt(instrument, path, undefined);
  if (perKind(getAt(instrument, path)) === kind) return instrument;
  const from = getAt(instrument, fromPathOf(itemPath));
  const read = isObject(from) ? from.field : undefined;
  const per =
    kind === 'field'
      ? { field: sourceFields(instrument, itemPath).find((f) => f.id !== read && isNumberField(f))?.id ?? '' }
      : { context: instrument.context.find((question) => question.input === 'number')?.id ?? '' };
  return setAt(inFormat3(instrument), path, per);
}
