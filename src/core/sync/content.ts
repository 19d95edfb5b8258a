/**
 * What a record may hold, the same rule on a device (before it writes) and on the school server (before it stores a
 * pushed change or an uploaded school): a device never produces what the server would refuse, and no device,
 * however it is programmed, stores a value its instrument does not allow. Checked on the whole record as it would
 * be after the change:
 *
 * - **Shape**: every field of the kind is known and of its type; ids are short and printable; enumerations hold one
 *   of their values; a record is at most RECORD_DEPTH levels deep and RECORD_CHARACTERS characters in all.
 * - **Texts**: no control characters (a tab, a line feed and a carriage return in free text excepted) and no lone
 *   surrogates, which no keyboard types and some databases cannot store; a name has at least one visible character
 *   and at most NAME_LENGTH characters; a free text (a note, evidence, feedback, a reflection) at most TEXT_LENGTH
 *   (and an answer at most what its item allows).
 * - **Against the instrument version the observation uses**: the item exists, a rating is one of its scale's
 *   values (or "not observed" when the scale offers it), a yes/no, choice, count, look-for or snapshot answer is one
 *   the item offers, only the fields of the item's kind of answer are set, a repetition lies within its section's
 *   bounds.
 * - **Dates**: times (milliseconds) between 2000 and a year from now; ISO dates (YYYY-MM-DD) real days between 2000
 *   and 2100.
 * - **References**: the people, team, instrument and request a new record names exist (checked when they are set:
 *   an existing record keeps them, src/core/sync/identity.ts).
 * - **Counts**: at most NOTES_PER_OBSERVATION notes and AMENDMENTS_PER_OBSERVATION amendments in one observation.
 *
 * A tombstone is judged only on its times (`tombstoneProblem`): removing a record must stay possible whatever it
 * holds, and a tombstone changes nothing else. Instrument content is
 * judged by the instrument validator (src/core/instrument/validate.ts), a draft's by the validator's limits.
 */
import type { Domain, Instrument, Item, Scale, SnapshotField } from '../instrument/types';
import { flattenItems, repeatKey } from '../instrument/localize';
import { checkLimits } from '../instrument/limits';
import { CONTROL } from '../instrument/control';
import { cycleBounds } from '../observation/cycles';
import { DUE_DAYS } from '../feedback/stages';
import { isTimeZone, MAX_HOLIDAYS, REMIND_SCHOOL_DAYS } from '../notify/school-days';
import { VISIT_MINUTES } from '../notify/calendar';
import {
  FEEDBACK_KINDS,
  GOAL_STATUSES,
  OBSERVATION_STATUSES,
  PURPOSES,
  ROLES,
  parseResponseKey,
  type Person,
  type Team,
} from '../model/records';
import type { RecordKind } from './change';

export type ContentReason =
  /** A field the kind does not have, or a value not of its type or not one the instrument offers. */
  | 'invalid-value'
  /** A text with a control character or a lone surrogate, or a name without a visible character. */
  | 'invalid-text'
  /** A text, list or record beyond its limit. */
  | 'too-large'
  /** A time or date outside what a school year can hold. */
  | 'implausible-date'
  /** A person, team, instrument, item or request that does not exist. */
  | 'unknown-reference'
  /** One note or amendment too many in an observation. */
  | 'too-many';

/** Why a record may not be stored, and where: a field path such as `rating` or `points.2.text`. */
export interface ContentProblem {
  reason: ContentReason;
  field: string;
}

const NAME_LENGTH = 200;
export const TEXT_LENGTH = 10_000;
const ID_LENGTH = 200;
/** A context answer (group, subject, …). */
const CONTEXT_LENGTH = 1_000;
const CONTEXT_FIELDS = 100;
const FEEDBACK_POINTS = 100;
const GOAL_ITEMS = 200;
export const NOTES_PER_OBSERVATION = 2_000;
const AMENDMENTS_PER_OBSERVATION = 10_000;
const RECORD_DEPTH = 10;
const RECORD_CHARACTERS = 1_000_000;
/** A counter without a declared maximum counts at most this far. */
const COUNT_LIMIT = 100_000;
/** A lesson clock, a note's moment and a repetition's start: at most a year (a clock left running for days is real). */
const LESSON_MS_LIMIT = 366 * 24 * 60 * 60 * 1000;
const EARLIEST = Date.UTC(2000, 0, 1);
const YEAR_MS = 366 * 24 * 60 * 60 * 1000;

/** What the check reads besides the record; each returns undefined when there is none. */
export interface ContentLookups {
  /** An installed instrument version's content, by `instrumentId@version`. */
  instrument(key: string): Promise<Instrument | undefined>;
  person(id: string): Promise<Person | undefined>;
  team(id: string): Promise<Team | undefined>;
  /** Whether a request exists (an observation answering it). */
  requestExists(id: string): Promise<boolean>;
  /** How many records of this kind the observation holds now. */
  countIn(kind: 'note' | 'amendment', observationId: string): Promise<number>;
  /** The instrument key of an observation, for the records inside it. */
  observationInstrument(observationId: string): Promise<string | undefined>;
  /** The time now, for the latest plausible time. */
  now(): number;
}

const LINE_BREAK = /[\t\n\r]/;
// Lone surrogates: half of a pair without the other half.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** A character that shows: not a space, separator, control or invisible format character. */
const VISIBLE = /[^\s\p{Z}\p{C}]/u;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Whether a text holds only what a keyboard types: no control characters (line breaks aside) and no lone surrogates. */
export function isCleanText(text: string): boolean {
  return !CONTROL.test(text) && !LONE_SURROGATE.test(text);
}

/**
 * The text without what `isCleanText` refuses: control characters dropped, lone surrogates replaced by U+FFFD. For
 * a text pasted from another app, before it is written.
 */
export function cleanText(text: string): string {
  if (isCleanText(text)) return text;
  return text.replace(new RegExp(CONTROL.source, 'g'), '').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\ufffd');
}

/** Whether a text may be a name (of a person, a team, a school): clean, on one line, visible, not too long. */
export function isValidName(value: string): boolean {
  return isCleanText(value) && value.length <= NAME_LENGTH && !LINE_BREAK.test(value) && VISIBLE.test(value);
}

/** The longest e-mail address a mail system accepts. */
const EMAIL_LENGTH = 254;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Whether a text is an e-mail address in form (one @, a domain with a dot, no spaces, clean, not too long). */
export function isValidEmail(value: string): boolean {
  return value.length <= EMAIL_LENGTH && isCleanText(value) && EMAIL.test(value);
}

/** Whether an ISO date (YYYY-MM-DD) is a real day between 2000 and 2100. */
export function isPlausibleDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 2000 || year > 2100) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

class Refused extends Error {
  constructor(readonly problem: ContentProblem) {
    super(`${problem.reason} at ${problem.field}`);
  }
}

const fail = (reason: ContentReason, field: string): never => {
  throw new Refused({ reason, field });
};

type Fields = Readonly<Record<string, unknown>>;
const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The generic walk: depth, size, and every text and key clean. Stops at the first problem; never recurses deeper
 * than RECORD_DEPTH (a value nested thousands of levels deep is refused at its first levels).
 */
function checkStructure(record: Fields, skip: ReadonlySet<string>): void {
  let characters = 0;
  const visit = (value: unknown, path: string, depth: number): void => {
    if (typeof value === 'string') {
      characters += value.length;
      if (!isCleanText(value)) fail('invalid-text', path);
      return;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) fail('invalid-value', path);
      return;
    }
    if (value === null || value === undefined || typeof value === 'boolean') return;
    if (typeof value !== 'object') return fail('invalid-value', path);
    if (depth >= RECORD_DEPTH) fail('too-large', path);
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [key, child] of entries) {
      const at = path ? `${path}.${key}` : key;
      if (depth === 0 && skip.has(key)) continue;
      characters += key.length;
      if (!isCleanText(key)) fail('invalid-text', at);
      visit(child, at, depth + 1);
      if (characters > RECORD_CHARACTERS) fail('too-large', at);
    }
  };
  visit(record, '', 0);
}

/** The checks of one field's value; `field` is its path. */
type FieldCheck = (value: unknown, field: string) => void;

const id: FieldCheck = (value, field) => {
  if (typeof value !== 'string' || value.length === 0 || VISIBLE.test(value) === false) fail('invalid-value', field);
  if ((value as string).length > ID_LENGTH) fail('too-large', field);
  if (/\s/.test(value as string)) fail('invalid-value', field);
};
const text =
  (limit: number, lineBreaks = true): FieldCheck =>
  (value, field) => {
    if (typeof value !== 'string') return fail('invalid-value', field);
    if (value.length > limit) fail('too-large', field);
    if (!lineBreaks && LINE_BREAK.test(value)) fail('invalid-text', field);
  };
const name: FieldCheck = (value, field) => {
  text(NAME_LENGTH, false)(value, field);
  if (!isValidName(value as string)) fail('invalid-text', field);
};
const freeText = text(TEXT_LENGTH);
const email: FieldCheck = (value, field) => {
  text(EMAIL_LENGTH, false)(value, field);
  if (!isValidEmail(value as string)) fail('invalid-text', field);
};
const oneOf =
  (values: readonly unknown[]): FieldCheck =>
  (value, field) => {
    if (!values.includes(value)) fail('invalid-value', field);
  };
const boolean = oneOf([true, false]);
const whole =
  (min: number, max: number): FieldCheck =>
  (value, field) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) return fail('invalid-value', field);
    if (value < min || value > max) fail('invalid-value', field);
  };
const duration = whole(0, LESSON_MS_LIMIT);
const isoDate: FieldCheck = (value, field) => {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return fail('invalid-value', field);
  if (!isPlausibleDate(value)) fail('implausible-date', field);
};
const listOf =
  (limit: number, each: FieldCheck): FieldCheck =>
  (value, field) => {
    if (!Array.isArray(value)) return fail('invalid-value', field);
    if (value.length > limit) fail('too-large', field);
    value.forEach((entry, i) => each(entry, `${field}.${i}`));
  };
const mapOf =
  (limit: number, each: FieldCheck): FieldCheck =>
  (value, field) => {
    if (!isObject(value)) return fail('invalid-value', field);
    const entries = Object.entries(value);
    if (entries.length > limit) fail('too-large', field);
    for (const [key, entry] of entries) {
      if (key.length === 0 || key.length > ID_LENGTH) fail('invalid-value', `${field}.${key}`);
      each(entry, `${field}.${key}`);
    }
  };
const anything: FieldCheck = () => undefined;
/** A time of day, `HH:MM` on a 24-hour clock. */
const clockTime: FieldCheck = (value, field) => {
  if (typeof value !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) fail('invalid-value', field);
};
const timeZone: FieldCheck = (value, field) => {
  if (!isTimeZone(value)) fail('invalid-value', field);
};

/** Checks each field against its spec: a field the spec does not name is refused, a required one must be there. */
function checkFields(
  record: Fields,
  spec: Readonly<Record<string, FieldCheck>>,
  required: readonly string[],
  prefix = '',
): void {
  for (const key of required) if (record[key] === undefined) fail('invalid-value', prefix + key);
  for (const [key, value] of Object.entries(record)) {
    const check = spec[key];
    if (!check) fail('invalid-value', prefix + key);
    if (value !== undefined) check!(value, prefix + key);
  }
}

const object =
  (spec: Readonly<Record<string, FieldCheck>>, required: readonly string[] = []): FieldCheck =>
  (value, field) => {
    if (!isObject(value)) return fail('invalid-value', field);
    checkFields(value, spec, required, `${field}.`);
  };

/** The fields of kinds with no instrument to check against; the checks that need lookups follow in `checkKind`. */
function specs(now: number): {
  base: Readonly<Record<string, FieldCheck>>;
  kinds: Readonly<Record<RecordKind, { fields: Readonly<Record<string, FieldCheck>>; required: readonly string[] }>>;
} {
  const time: FieldCheck = (value, field) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return fail('invalid-value', field);
    if (value < EARLIEST || value > now + YEAR_MS) fail('implausible-date', field);
  };
  const times = mapOf(1_000, time);
  const context = mapOf(CONTEXT_FIELDS, (value, field) => {
    if (typeof value === 'number') return void (Number.isFinite(value) || fail('invalid-value', field));
    text(CONTEXT_LENGTH, false)(value, field);
  });
  const base = {
    id,
    owner: (value: unknown, field: string) => value === null || id(value, field),
    createdAt: time,
    updatedAt: time,
    deletedAt: time,
  };
  const nameField = { name };
  return {
    base,
    kinds: {
      school: {
        fields: {
          ...nameField,
          demo: boolean,
          dueAfterDays: whole(DUE_DAYS.min, DUE_DAYS.max),
          timeZone,
          remindAfterSchoolDays: whole(REMIND_SCHOOL_DAYS.min, REMIND_SCHOOL_DAYS.max),
          holidays: listOf(
            MAX_HOLIDAYS,
            object({ name, startsOn: isoDate, endsOn: isoDate }, ['name', 'startsOn', 'endsOn']),
          ),
        },
        required: ['name'],
      },
      team: { fields: { ...nameField, archivedAt: time }, required: ['name'] },
      person: {
        fields: {
          ...nameField,
          role: oneOf(ROLES),
          teamId: id,
          starter: boolean,
          coachId: id,
          email,
          focusQuestion: freeText,
          archivedAt: time,
        },
        required: ['name', 'role', 'starter'],
      },
      schoolYear: {
        fields: { name: text(40, false), startsOn: isoDate, endsOn: isoDate },
        required: ['name', 'startsOn', 'endsOn'],
      },
      instrument: {
        fields: {
          instrumentId: id,
          version: id,
          content: anything,
          source: oneOf(['shipped', 'imported']),
          retiredAt: time,
        },
        required: ['instrumentId', 'version', 'content', 'source'],
      },
      instrumentDraft: {
        fields: {
          content: (value, field) => {
            if (!isObject(value)) return fail('invalid-value', field);
            if (checkLimits(value).length > 0) fail('too-large', field);
          },
          basedOnKey: id,
          changedAt: time,
        },
        required: ['owner', 'content'],
      },
      observation: {
        fields: {
          instrumentKey: id,
          observerId: id,
          observedId: id,
          purpose: oneOf(PURPOSES),
          status: oneOf(OBSERVATION_STATUSES),
          context,
          focusQuestion: freeText,
          schoolYearId: id,
          clock: object({ elapsedMs: duration, runningSince: time }, ['elapsedMs']),
          position: object({ domainId: id, cycle: whole(1, 1_000) }),
          cycles: mapOf(100, listOf(1_000, object({ startedMs: duration }, ['startedMs']))),
          changedAt: times,
          startedAt: time,
          completedAt: time,
          handedOverAt: time,
          requestId: id,
          aboutObservationId: id,
          // Derived on each side from the responses; the server drops a pushed one.
          summary: (value, field) => void (isObject(value) || fail('invalid-value', field)),
        },
        required: [
          'instrumentKey',
          'observerId',
          'observedId',
          'purpose',
          'status',
          'context',
          'clock',
          'position',
          'startedAt',
        ],
      },
      response: {
        fields: {
          observationId: id,
          itemId: id,
          cycle: whole(1, 1_000),
          rating: anything,
          answer: anything,
          choice: listOf(1_000, id),
          count: anything,
          text: anything,
          snapshots: anything,
          lookFors: listOf(1_000, id),
          notSeen: listOf(1_000, id),
          entries: anything,
          evidence: freeText,
          changedAt: times,
        },
        required: ['observationId', 'itemId', 'lookFors'],
      },
      note: {
        fields: { observationId: id, text: freeText, lessonMs: duration, itemId: id },
        required: ['observationId', 'text', 'lessonMs'],
      },
      amendment: {
        fields: { observationId: id, itemId: id, field: text(ID_LENGTH, false), before: anything, after: anything },
        required: ['observationId', 'field'],
      },
      feedback: {
        fields: {
          observationId: id,
          points: listOf(
            FEEDBACK_POINTS,
            object(
              {
                id,
                kind: oneOf(FEEDBACK_KINDS),
                text: freeText,
                link: object({
                  itemId: id,
                  noteId: id,
                  lessonMinute: (value, at) =>
                    void (
                      (typeof value === 'number' && value >= 0 && value <= LESSON_MS_LIMIT / 60_000) ||
                      fail('invalid-value', at)
                    ),
                }),
              },
              ['id', 'kind', 'text'],
            ),
          ),
          nextStep: freeText,
          changedAt: times,
        },
        required: ['observationId', 'points', 'nextStep'],
      },
      reflection: {
        fields: {
          observationId: id,
          teacherId: id,
          readAt: time,
          text: freeText,
          goalId: id,
          acknowledgedAt: time,
          sharedWithLeaderAt: time,
          sharedWithCoachAt: time,
          changedAt: times,
        },
        required: ['observationId', 'teacherId', 'text'],
      },
      request: {
        fields: {
          requesterId: id,
          observedId: id,
          observerId: id,
          purpose: oneOf(['peer', 'coach']),
          instrumentKey: id,
          focusQuestion: freeText,
          context,
          plannedOn: isoDate,
          plannedTime: clockTime,
          durationMinutes: whole(VISIT_MINUTES.min, VISIT_MINUTES.max),
          withdrawnAt: time,
        },
        required: ['requesterId', 'observedId', 'observerId', 'purpose', 'instrumentKey', 'context'],
      },
      decline: {
        fields: { requestId: id, observerId: id, reason: freeText },
        required: ['requestId', 'observerId', 'reason'],
      },
      goal: {
        fields: {
          teacherId: id,
          text: freeText,
          status: oneOf(GOAL_STATUSES),
          observationId: id,
          instrumentId: id,
          itemIds: listOf(GOAL_ITEMS, id),
          targetOn: isoDate,
          achievedAt: time,
          sharedWithCoachAt: time,
        },
        required: ['teacherId', 'text', 'status', 'itemIds'],
      },
    },
  };
}

/** An instrument as the checks read it: items, scales, sections and repetition groups by id. */
interface InstrumentIndex {
  items: Map<string, { item: Item; domain: Domain }>;
  scales: Map<string, Scale>;
  domains: Map<string, Domain>;
  /** Per repetition group: at most how many repetitions. */
  repeats: Map<string, number>;
}

const indexes = new WeakMap<Instrument, InstrumentIndex>();

function indexOf(instrument: Instrument): InstrumentIndex {
  const known = indexes.get(instrument);
  if (known) return known;
  const items = new Map<string, { item: Item; domain: Domain }>();
  const repeats = new Map<string, number>();
  for (const domain of instrument.domains) {
    for (const item of flattenItems(domain.items)) items.set(item.id, { item, domain });
    if (domain.repeat)
      repeats.set(repeatKey(domain), Math.max(repeats.get(repeatKey(domain)) ?? 0, cycleBounds(domain).max));
  }
  const index: InstrumentIndex = {
    items,
    scales: new Map(instrument.scales.map((scale) => [scale.id, scale])),
    domains: new Map(instrument.domains.map((domain) => [domain.id, domain])),
    repeats,
  };
  indexes.set(instrument, index);
  return index;
}

/** The rating values a scale offers. */
const ratingValues = (scale: Scale | undefined): unknown[] => [
  ...(scale?.levels.map((level) => level.value) ?? []),
  ...(scale?.notObserved ? ['not-observed'] : []),
];

/** Checks one answer value against what a field of a snapshot (or an item) offers. */
function answerValue(index: InstrumentIndex, response: SnapshotField['response'], value: unknown, field: string): void {
  switch (response.type) {
    case 'rating':
      return oneOf(ratingValues(index.scales.get(response.scale)))(value, field);
    case 'yes-no':
      return oneOf(response.allowNotObserved ? ['yes', 'no', 'not-observed'] : ['yes', 'no'])(value, field);
    case 'counter':
      return whole(response.min ?? 0, response.max ?? COUNT_LIMIT)(value, field);
    case 'choice': {
      const options = response.options.map((option) => option.id);
      const chosen = Array.isArray(value) ? value : [value];
      if (chosen.length === 0 || (!response.multiple && chosen.length > 1) || new Set(chosen).size !== chosen.length)
        fail('invalid-value', field);
      chosen.forEach((option) => oneOf(options)(option, field));
    }
  }
}

/** Which fields of a response an item's kind of answer sets (look-fors and evidence go with any item). */
const ANSWER_FIELDS: Record<Item['response']['type'], readonly string[]> = {
  rating: ['rating'],
  'yes-no': ['answer'],
  choice: ['choice'],
  counter: ['count'],
  text: ['text', 'entries'],
  date: ['text'],
  time: ['text'],
  snapshot: ['snapshots'],
  checklist: [],
  score: [],
};
const ALL_ANSWER_FIELDS = ['rating', 'answer', 'choice', 'count', 'text', 'entries', 'snapshots'];

function checkResponse(index: InstrumentIndex, record: Fields): void {
  const found = index.items.get(String(record.itemId));
  if (!found) return fail('unknown-reference', 'itemId');
  const { item, domain } = found;
  if (domain.repeat) {
    if (record.cycle === undefined) fail('invalid-value', 'cycle');
    whole(1, cycleBounds(domain).max)(record.cycle, 'cycle');
  } else if (record.cycle !== undefined) fail('invalid-value', 'cycle');
  const response = item.response;
  // A score the observer may set otherwise (format 3) takes a level of its scale as its rating.
  const allowed = response.type === 'score' && response.overridable ? ['rating'] : ANSWER_FIELDS[response.type];
  for (const key of ALL_ANSWER_FIELDS)
    if (record[key] !== undefined && !allowed.includes(key)) fail('invalid-value', key);
  const lookFors = new Set(item.lookFors?.map((lookFor) => lookFor.id) ?? []);
  for (const key of ['lookFors', 'notSeen'] as const) {
    const ids = (record[key] ?? []) as string[];
    if (new Set(ids).size !== ids.length) fail('invalid-value', key);
    ids.forEach((lookFor, i) => lookFors.has(lookFor) || fail('unknown-reference', `${key}.${i}`));
  }
  if (record.notSeen !== undefined && item.lookForAnswer !== 'seen-not-seen') fail('invalid-value', 'notSeen');
  if (record.rating !== undefined && response.type === 'rating') answerValue(index, response, record.rating, 'rating');
  if (record.rating !== undefined && response.type === 'score' && response.scale !== undefined)
    oneOf(index.scales.get(response.scale)?.levels.map((level) => level.value) ?? [])(record.rating, 'rating');
  if (record.answer !== undefined && response.type === 'yes-no') answerValue(index, response, record.answer, 'answer');
  if (record.count !== undefined && response.type === 'counter') answerValue(index, response, record.count, 'count');
  if (record.choice !== undefined && response.type === 'choice') answerValue(index, response, record.choice, 'choice');
  if (record.text !== undefined) {
    const limit = response.type === 'text' ? Math.min(response.maxLength ?? TEXT_LENGTH, TEXT_LENGTH) : 10;
    text(limit)(record.text, 'text');
    if (response.type === 'date') isoDate(record.text, 'text');
    if (response.type === 'time' && !CLOCK_TIME.test(record.text as string)) fail('invalid-value', 'text');
  }
  if (record.entries !== undefined && response.type === 'text') {
    if (!response.repeatable) fail('invalid-value', 'entries');
    listOf(response.maxEntries ?? 10, text(Math.min(response.maxLength ?? TEXT_LENGTH, TEXT_LENGTH)))(
      record.entries,
      'entries',
    );
  }
  if (record.snapshots !== undefined && response.type === 'snapshot') {
    const fields = new Map(response.fields.map((f) => [f.id, f]));
    mapOf(1_000, (values, at) => {
      if (!/^\d{1,4}$/.test(at.slice('snapshots.'.length))) fail('invalid-value', at);
      mapOf(fields.size, (value, path) => {
        const snapshotField = fields.get(path.slice(at.length + 1));
        if (!snapshotField) return fail('unknown-reference', path);
        answerValue(index, snapshotField.response, value, path);
      })(values, at);
    })(record.snapshots, 'snapshots');
  }
}

/**
 * What a removal may hold: its record stays as it was (a tombstone sets nothing else, src/core/sync/apply-change.ts),
 * so only its times are judged: `deletedAt` is required, and both are plausible times.
 */
export function tombstoneProblem(after: object, now: number): ContentProblem | undefined {
  const { deletedAt, updatedAt } = after as Fields;
  const { base } = specs(now);
  try {
    checkFields({ deletedAt, updatedAt }, { deletedAt: base.deletedAt!, updatedAt: base.updatedAt! }, ['deletedAt']);
    return undefined;
  } catch (error) {
    if (error instanceof Refused) return error.problem;
    throw error;
  }
}

/**
 * Why `after` (the record as it would be stored; `before` the stored one, if any) may not be stored, or undefined
 * when it may. Never throws on any input.
 */
export async function contentProblem(
  kind: RecordKind,
  before: object | undefined,
  after: object,
  lookups: ContentLookups,
): Promise<ContentProblem | undefined> {
  try {
    await checkRecord(kind, (before ?? undefined) as Fields | undefined, after as Fields, lookups);
    return undefined;
  } catch (error) {
    if (error instanceof Refused) return error.problem;
    // A value the checks cannot even walk (a getter that throws, a circular reference) is not a record.
    return { reason: 'invalid-value', field: '' };
  }
}

async function checkRecord(
  kind: RecordKind,
  before: Fields | undefined,
  record: Fields,
  lookups: ContentLookups,
): Promise<void> {
  if (!isObject(record)) return fail('invalid-value', '');
  const { base, kinds } = specs(lookups.now());
  const spec = kinds[kind];
  if (!spec) return fail('invalid-value', 'kind');
  // Instrument content has its own validator with its own limits; the rest of the record is walked here.
  checkStructure(record, new Set(kind === 'instrument' || kind === 'instrumentDraft' ? ['content'] : []));
  checkFields(record, { ...base, ...spec.fields }, ['id', 'createdAt', 'updatedAt', ...spec.required]);
  await checkReferences(kind, before, record, lookups);
}

/** References and instrument content: only what is set or changed by this write is looked up. */
async function checkReferences(
  kind: RecordKind,
  before: Fields | undefined,
  record: Fields,
  lookups: ContentLookups,
): Promise<void> {
  const changed = (field: string) => record[field] !== undefined && (!before || before[field] !== record[field]);
  const person = async (field: string) => {
    if (changed(field) && !(await lookups.person(String(record[field])))) fail('unknown-reference', field);
  };
  const instrument = async (field: string, key: string): Promise<InstrumentIndex> => {
    const content = await lookups.instrument(key);
    if (!content) return fail('unknown-reference', field);
    return indexOf(content);
  };
  switch (kind) {
    case 'school':
      for (const [i, holiday] of ((record.holidays ?? []) as Array<{ startsOn: string; endsOn: string }>).entries())
        if (holiday.endsOn < holiday.startsOn) fail('invalid-value', `holidays.${i}.endsOn`);
      return;
    case 'person':
      if (changed('teamId') && !(await lookups.team(String(record.teamId)))) fail('unknown-reference', 'teamId');
      if (changed('coachId')) {
        // A starter's coach is someone with the coach role (not their manager), and never themselves.
        const coach = await lookups.person(String(record.coachId));
        if (!coach) fail('unknown-reference', 'coachId');
        if (coach!.role !== 'coach' || coach!.id === record.id) fail('invalid-value', 'coachId');
      }
      return;
    case 'observation': {
      await person('observerId');
      await person('observedId');
      if (changed('requestId') && !(await lookups.requestExists(String(record.requestId))))
        fail('unknown-reference', 'requestId');
      const index = await instrument('instrumentKey', String(record.instrumentKey));
      const position = record.position as { domainId?: string };
      if (position.domainId !== undefined && !index.domains.has(position.domainId))
        fail('unknown-reference', 'position.domainId');
      for (const [group, marks] of Object.entries((record.cycles ?? {}) as Record<string, unknown[]>)) {
        const max = index.repeats.get(group);
        if (max === undefined) fail('unknown-reference', `cycles.${group}`);
        if (marks.length > max!) fail('too-large', `cycles.${group}`);
      }
      return;
    }
    case 'request':
      // A start time belongs to a planned day, a length to a start time.
      if (record.plannedTime !== undefined && record.plannedOn === undefined) fail('invalid-value', 'plannedTime');
      if (record.durationMinutes !== undefined && record.plannedTime === undefined)
        fail('invalid-value', 'durationMinutes');
      for (const field of ['requesterId', 'observedId', 'observerId']) await person(field);
      if (changed('instrumentKey')) await instrument('instrumentKey', String(record.instrumentKey));
      return;
    case 'goal':
      await person('teacherId');
      return;
    case 'response':
    case 'note':
    case 'amendment': {
      const key = await lookups.observationInstrument(String(record.observationId));
      // The writer rules refuse a record of an unknown observation (`unknown-observation`).
      if (key === undefined) return;
      if (kind !== 'response' && record.itemId === undefined) return countIn(kind, before, record, lookups);
      const index = await instrument('observationId', key);
      if (kind === 'response') return checkResponse(index, record);
      // An amendment names the answer it changed: the item, in a repeated section with its repetition (`item#2`).
      if (!index.items.has(parseResponseKey(String(record.itemId)).itemId)) fail('unknown-reference', 'itemId');
      return countIn(kind, before, record, lookups);
    }
    default:
      return;
  }
}

async function countIn(
  kind: 'note' | 'amendment',
  before: Fields | undefined,
  record: Fields,
  lookups: ContentLookups,
): Promise<void> {
  if (before) return;
  const limit = kind === 'note' ? NOTES_PER_OBSERVATION : AMENDMENTS_PER_OBSERVATION;
  if ((await lookups.countIn(kind, String(record.observationId))) >= limit) fail('too-many', 'observationId');
}
