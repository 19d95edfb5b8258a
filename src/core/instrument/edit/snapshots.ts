/**
 * Snapshot items (time-on-task, engagement): measurements repeated at set moments of the lesson. Their schedule (at
 * given minutes, every N minutes from–until, or (format 2) at equal parts of the actual lesson) and their fields,
 * each a counter, a choice, yes/no or a rating. A field renamed or removed is renamed or removed in the rules and
 * scores that read it (`renameId`, `removeEntry`).
 */
import type { Instrument, Item, SnapshotField, SnapshotResponse, SnapshotSchedule } from '../types';
import { DEFAULT_LESSON_MINUTES, snapshotMinutes } from '../../observation/snapshots';
import { getAt, inFormat2, setAt, type Path } from './paths';
import { freshId } from './ids';
import { emptyText } from './texts';
import { insertEntry } from './lists';
import { mapRuleAnswers } from './references';

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
