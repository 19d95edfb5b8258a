/**
 * What a record may hold (src/core/sync/content.ts): shape, texts, values against the instrument version the
 * observation uses, dates, references and counts. The same check runs on a device and on the school server.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cleanText,
  contentProblem,
  isCleanText,
  isPlausibleDate,
  NOTES_PER_OBSERVATION,
  TEXT_LENGTH,
  type ContentLookups,
} from '../../src/core/sync/content';
import { storeLookups } from '../../src/core/sync/write-intent';
import { DUE_DAYS } from '../../src/core/feedback/stages';
import { MAX_HOLIDAYS, REMIND_SCHOOL_DAYS } from '../../src/core/notify/school-days';
import type { RecordKind } from '../../src/core/sync/change';
import type { Instrument } from '../../src/core/instrument/types';
import type { ItemResponse, Observation, Person } from '../../src/core/model/records';

const NOW = Date.UTC(2026, 10, 25, 9, 0);
const T = NOW - 60_000;
const base = { owner: 'anna', createdAt: T, updatedAt: T };
const shipped = (file: string) => JSON.parse(readFileSync(path.join('instruments', file), 'utf8')) as Instrument;
const lesobservatie = shipped('lesobservatie.json');
const timeOnTask = shipped('time-on-task.json');
const cycles = shipped('interactie-cycli.json');
const key = (instrument: Instrument) => `${instrument.id}@${instrument.version}`;
/** A format 3 variant: a score over two items that the observer may set to another level of its scale. */
const withJudgement: Instrument = (() => {
  const copy = structuredClone(lesobservatie);
  const [first, second] = copy.domains[0]!.items;
  copy.domains[0]!.items.push({
    id: 'eigen-oordeel',
    text: { nl: 'Oordeel', en: 'Judgement' },
    response: {
      type: 'score',
      from: { items: [first!.id, second!.id] },
      method: 'mean',
      scale: (first!.response as { scale: string }).scale,
      overridable: true,
    },
  });
  return { ...copy, format: 3, id: 'proef.oordeel' };
})();

const anna: Person = { ...base, id: 'anna', name: 'Anna', role: 'teacher', starter: false };
const bram: Person = { ...base, id: 'bram', name: 'Bram', role: 'teacher', starter: true };
const dirk: Person = { ...base, id: 'dirk', name: 'Dirk', role: 'coach', starter: false };
const observation = (instrument: Instrument, extra: Partial<Observation> = {}): Observation => ({
  ...base,
  id: `o-${instrument.id}`,
  instrumentKey: key(instrument),
  observerId: 'anna',
  observedId: 'bram',
  purpose: 'peer',
  status: 'draft',
  context: { group: 'groep 5' },
  clock: { elapsedMs: 0 },
  position: {},
  startedAt: T,
  ...extra,
});

function lookups(notes = 0): ContentLookups {
  const records: Record<string, object> = {
    anna,
    bram,
    dirk,
    onderbouw: { ...base, id: 'onderbouw', name: 'Onderbouw' },
    [`o-${lesobservatie.id}`]: observation(lesobservatie),
    [`o-${timeOnTask.id}`]: observation(timeOnTask),
    [`o-${cycles.id}`]: observation(cycles),
    [`o-${withJudgement.id}`]: observation(withJudgement),
  };
  for (const instrument of [lesobservatie, timeOnTask, cycles, withJudgement])
    records[key(instrument)] = { ...base, id: key(instrument), content: instrument };
  return storeLookups({
    get: async (_kind: RecordKind, id: string) => records[id],
    countIn: async () => notes,
    now: () => NOW,
  });
}

const response = (instrument: Instrument, itemId: string, extra: Partial<ItemResponse> = {}): ItemResponse => ({
  ...base,
  id: `o-${instrument.id}:${itemId}${extra.cycle ? `#${extra.cycle}` : ''}`,
  observationId: `o-${instrument.id}`,
  itemId,
  lookFors: [],
  ...extra,
});

const problemOf = (kind: RecordKind, record: object, before?: object, notes?: number) =>
  contentProblem(kind, before, record, lookups(notes));

describe('texts', () => {
  it('accepts what a keyboard types, and refuses control characters and lone surrogates', () => {
    expect(isCleanText('Tim zegt: "Juf, ik snap het!" 👍\nNieuwe regel\tmet tab')).toBe(true);
    for (const bad of [
      'a\u0000b',
      'a\u0007',
      '\u001b[31m',
      'a\u0085',
      'a\ud800',
      '\udc00b',
      'a\ud800\ud800\udc00x\udfff',
    ])
      expect(isCleanText(bad), JSON.stringify(bad)).toBe(false);
    expect(cleanText('a\u0000b\ud800c👍')).toBe('ab\ufffdc👍');
    expect(cleanText('al goed')).toBe('al goed');
  });

  it('refuses a name of only invisible characters, on two lines or too long', async () => {
    expect(await problemOf('person', { ...anna, name: '\u200b' })).toEqual({ reason: 'invalid-text', field: 'name' });
    expect(await problemOf('person', { ...anna, name: '  \u00a0 ' })).toEqual({
      reason: 'invalid-text',
      field: 'name',
    });
    expect(await problemOf('person', { ...anna, name: 'Anna\nJansen' })).toEqual({
      reason: 'invalid-text',
      field: 'name',
    });
    expect(await problemOf('person', { ...anna, name: 'A'.repeat(201) })).toEqual({
      reason: 'too-large',
      field: 'name',
    });
    expect(await problemOf('person', { ...anna, name: 'Anna Jansen-de Vries' })).toBeUndefined();
  });

  it('takes a work e-mail address in form only: one @, a domain with a dot, clean, at most 254 characters', async () => {
    expect(await problemOf('person', { ...anna, email: 'anna.jansen@delinde.nl' })).toBeUndefined();
    for (const email of [
      'anna',
      'anna@',
      '@delinde.nl',
      'anna@delinde',
      'an na@delinde.nl',
      'a@b@delinde.nl',
      'anna\u0000@delinde.nl',
    ])
      expect(await problemOf('person', { ...anna, email })).toEqual({ reason: 'invalid-text', field: 'email' });
    expect(await problemOf('person', { ...anna, email: `${'a'.repeat(250)}@d.nl` })).toEqual({
      reason: 'too-large',
      field: 'email',
    });
    expect(await problemOf('person', { ...anna, email: 42 })).toEqual({ reason: 'invalid-value', field: 'email' });
  });

  it('finds a NUL or a lone surrogate anywhere in a record, keys included', async () => {
    const note = { ...base, id: 'n1', observationId: `o-${lesobservatie.id}`, text: 'ok', lessonMs: 0 };
    expect(await problemOf('note', { ...note, text: 'pasted\u0000text' })).toEqual({
      reason: 'invalid-text',
      field: 'text',
    });
    expect(await problemOf('note', { ...note, text: 'half an emoji \ud83d' })).toEqual({
      reason: 'invalid-text',
      field: 'text',
    });
    expect(await problemOf('observation', { ...observation(lesobservatie), context: { 'gr\u0000oep': 'x' } })).toEqual({
      reason: 'invalid-text',
      field: 'context.gr\u0000oep',
    });
    expect(await problemOf('note', { ...note, text: 'x'.repeat(TEXT_LENGTH + 1) })).toEqual({
      reason: 'too-large',
      field: 'text',
    });
    expect(await problemOf('note', note)).toBeUndefined();
  });
});

describe('shape', () => {
  it('refuses a field the kind does not have, a missing one, and a value of another type', async () => {
    expect(await problemOf('person', { ...anna, isAdmin: true })).toEqual({
      reason: 'invalid-value',
      field: 'isAdmin',
    });
    const { role: _role, ...roleless } = anna;
    expect(await problemOf('person', roleless)).toEqual({ reason: 'invalid-value', field: 'role' });
    expect(await problemOf('person', { ...anna, role: 'admin' })).toEqual({ reason: 'invalid-value', field: 'role' });
    expect(await problemOf('person', { ...anna, starter: 'yes' })).toEqual({
      reason: 'invalid-value',
      field: 'starter',
    });
    expect(
      await problemOf('goal', { ...base, id: 'g', teacherId: 'bram', text: 'x', status: 'open', itemIds: 5 }),
    ).toEqual({ reason: 'invalid-value', field: 'itemIds' });
  });

  it('takes a school’s number of days before feedback is late only as a whole number within the range', async () => {
    const school = { ...base, id: 's', name: 'De Linde' };
    expect(await problemOf('school', { ...school, dueAfterDays: DUE_DAYS.min })).toBeUndefined();
    expect(await problemOf('school', { ...school, dueAfterDays: DUE_DAYS.max })).toBeUndefined();
    for (const dueAfterDays of [DUE_DAYS.min - 1, DUE_DAYS.max + 1, 7.5, '14', -14, Number.NaN])
      expect(await problemOf('school', { ...school, dueAfterDays })).toEqual({
        reason: 'invalid-value',
        field: 'dueAfterDays',
      });
  });

  it('takes a school’s calendar: a time zone the runtime knows, reminder days in range, holidays that end after they start', async () => {
    const school = { ...base, id: 's', name: 'De Linde' };
    const calendar = {
      timeZone: 'Europe/Brussels',
      remindAfterSchoolDays: REMIND_SCHOOL_DAYS.max,
      holidays: [{ name: 'Kerstvakantie', startsOn: '2026-12-21', endsOn: '2027-01-01' }],
    };
    expect(await problemOf('school', { ...school, ...calendar })).toBeUndefined();
    const refusals: Array<[object, string]> = [
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ timeZone: '' }, 'timeZone'],
      [{ remindAfterSchoolDays: REMIND_SCHOOL_DAYS.min - 1 }, 'remindAfterSchoolDays'],
      [{ remindAfterSchoolDays: REMIND_SCHOOL_DAYS.max + 1 }, 'remindAfterSchoolDays'],
      [{ holidays: [{ name: 'Omgekeerd', startsOn: '2026-12-21', endsOn: '2026-12-20' }] }, 'holidays.0.endsOn'],
      [{ holidays: [{ name: 'Zonder eind', startsOn: '2026-12-21' }] }, 'holidays.0.endsOn'],
      [{ holidays: [{ name: 'Geen dag', startsOn: '2026-02-30', endsOn: '2026-03-01' }] }, 'holidays.0.startsOn'],
    ];
    for (const [fields, field] of refusals)
      expect((await problemOf('school', { ...school, ...fields }))?.field, JSON.stringify(fields)).toBe(field);
    const many = Array.from({ length: MAX_HOLIDAYS + 1 }, () => calendar.holidays[0]);
    expect(await problemOf('school', { ...school, holidays: many })).toEqual({
      reason: 'too-large',
      field: 'holidays',
    });
  });

  it('takes a request’s start time only with its day, and a length only with its time', async () => {
    const request = {
      ...base,
      id: 'r',
      requesterId: 'anna',
      observedId: 'anna',
      observerId: 'bram',
      purpose: 'peer',
      instrumentKey: key(lesobservatie),
      context: {},
      plannedOn: '2026-12-10',
    };
    expect(await problemOf('request', { ...request, plannedTime: '08:30', durationMinutes: 45 })).toBeUndefined();
    const refusals: Array<[object, string]> = [
      [{ plannedOn: undefined, plannedTime: '08:30' }, 'plannedTime'],
      [{ durationMinutes: 45 }, 'durationMinutes'],
      [{ plannedTime: '24:00' }, 'plannedTime'],
      [{ plannedTime: '8:30' }, 'plannedTime'],
      [{ plannedTime: '08:30', durationMinutes: 4 }, 'durationMinutes'],
      [{ plannedTime: '08:30', durationMinutes: 12 * 60 + 1 }, 'durationMinutes'],
      [{ plannedTime: '08:30', durationMinutes: 30.5 }, 'durationMinutes'],
    ];
    for (const [fields, field] of refusals)
      expect((await problemOf('request', { ...request, ...fields }))?.field, JSON.stringify(fields)).toBe(field);
  });

  it('refuses a value nested thousands of levels deep at its first levels, without overflowing the stack', async () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 5000; i++) deep = { deeper: deep };
    const problem = await problemOf('amendment', {
      ...base,
      id: 'a1',
      observationId: `o-${lesobservatie.id}`,
      field: 'rating',
      before: deep,
      after: 3,
    });
    expect(problem?.reason).toBe('too-large');
    expect(problem?.field.split('.').length).toBeLessThan(12);
  });

  it('refuses times outside 2000 … a year from now, and ISO dates that are no real day', async () => {
    expect(await problemOf('observation', observation(lesobservatie, { startedAt: Date.UTC(9999, 0, 1) }))).toEqual({
      reason: 'implausible-date',
      field: 'startedAt',
    });
    expect(await problemOf('observation', observation(lesobservatie, { createdAt: 5 }))).toEqual({
      reason: 'implausible-date',
      field: 'createdAt',
    });
    expect(await problemOf('observation', observation(lesobservatie, { startedAt: Number.NaN }))).toEqual({
      reason: 'invalid-value',
      field: 'startedAt',
    });
    expect(isPlausibleDate('2027-02-29')).toBe(false);
    expect(isPlausibleDate('2028-02-29')).toBe(true);
    expect(isPlausibleDate('9999-01-01')).toBe(false);
    const year = { ...base, id: 'y', name: '2026-2027', startsOn: '2026-08-01', endsOn: '2027-13-01' };
    expect(await problemOf('schoolYear', year)).toEqual({ reason: 'implausible-date', field: 'endsOn' });
    expect(await problemOf('schoolYear', { ...year, endsOn: '31-07-2027' })).toEqual({
      reason: 'invalid-value',
      field: 'endsOn',
    });
  });
});

describe('answers, against the instrument version the observation uses', () => {
  it('takes a level for a score only where the observer may set it otherwise, and only a level of its scale', async () => {
    expect(await problemOf('response', response(withJudgement, 'eigen-oordeel', { rating: 2 }))).toBeUndefined();
    for (const rating of [99, 'not-observed', 2.5])
      expect(
        await problemOf('response', response(withJudgement, 'eigen-oordeel', { rating: rating as never })),
        String(rating),
      ).toMatchObject({ field: 'rating' });
  });

  it('takes a rating only from the scale, or "not observed" when the scale offers it', async () => {
    expect(await problemOf('response', response(lesobservatie, 'lk-respect', { rating: 3 }))).toBeUndefined();
    for (const rating of [99, 0, 2.5, 1e308, 'hoog', null, [3]]) {
      expect(
        await problemOf('response', response(lesobservatie, 'lk-respect', { rating: rating as never })),
        String(rating),
      ).toMatchObject({ field: 'rating' });
    }
    const scale = lesobservatie.scales.find(
      (s) => s.id === (lesobservatie.domains[0]!.items[0]!.response as { scale: string }).scale,
    )!;
    expect(await problemOf('response', response(lesobservatie, 'lk-respect', { rating: 'not-observed' }))).toEqual(
      scale.notObserved ? undefined : { reason: 'invalid-value', field: 'rating' },
    );
  });

  it('refuses an unknown item, unknown or repeated look-fors, and a field of another kind of answer', async () => {
    expect(await problemOf('response', response(lesobservatie, 'no-such-item', { rating: 3 }))).toEqual({
      reason: 'unknown-reference',
      field: 'itemId',
    });
    expect(await problemOf('response', response(lesobservatie, 'lk-respect', { lookFors: 5 as never }))).toEqual({
      reason: 'invalid-value',
      field: 'lookFors',
    });
    expect(await problemOf('response', response(lesobservatie, 'lk-respect', { lookFors: ['lf9'] }))).toEqual({
      reason: 'unknown-reference',
      field: 'lookFors.0',
    });
    expect(await problemOf('response', response(lesobservatie, 'lk-respect', { lookFors: ['lf1', 'lf1'] }))).toEqual({
      reason: 'invalid-value',
      field: 'lookFors',
    });
    expect(await problemOf('response', response(lesobservatie, 'lk-respect', { answer: 'yes' }))).toEqual({
      reason: 'invalid-value',
      field: 'answer',
    });
    expect(await problemOf('response', response(lesobservatie, 'df-subgroep', { answer: 'maybe' as never }))).toEqual({
      reason: 'invalid-value',
      field: 'answer',
    });
    expect(
      await problemOf('response', response(lesobservatie, 'df-subgroep', { answer: 'no', lookFors: [] })),
    ).toBeUndefined();
  });

  it('checks snapshots by minute, field and option, and counts within the counter', async () => {
    const snapshot = (snapshots: unknown) => response(timeOnTask, 'snapshot', { snapshots: snapshots as never });
    expect(
      await problemOf('response', snapshot({ '5': { 'off-task': 2, activiteit: 'kleine-groep' } })),
    ).toBeUndefined();
    expect(await problemOf('response', snapshot({ '5': { activiteit: 'dansen' } }))).toEqual({
      reason: 'invalid-value',
      field: 'snapshots.5.activiteit',
    });
    expect(await problemOf('response', snapshot({ '5': { 'off-task': -1 } }))).toEqual({
      reason: 'invalid-value',
      field: 'snapshots.5.off-task',
    });
    expect(await problemOf('response', snapshot({ '5': { mood: 1 } }))).toEqual({
      reason: 'unknown-reference',
      field: 'snapshots.5.mood',
    });
    expect(await problemOf('response', snapshot({ later: {} }))).toEqual({
      reason: 'invalid-value',
      field: 'snapshots.later',
    });
    expect(await problemOf('response', response(timeOnTask, 'storingen', { count: 3 }))).toBeUndefined();
    expect(await problemOf('response', response(timeOnTask, 'storingen', { count: 1.5 }))).toEqual({
      reason: 'invalid-value',
      field: 'count',
    });
  });

  it('keeps a repetition within its section: required in a repeated one, absent elsewhere', async () => {
    const item = cycles.domains[0]!.items[0]!.id;
    const max = cycles.domains[0]!.repeat!.max!;
    expect(await problemOf('response', response(cycles, item, { cycle: max }))).toBeUndefined();
    expect(await problemOf('response', response(cycles, item, { cycle: max + 1 }))).toEqual({
      reason: 'invalid-value',
      field: 'cycle',
    });
    expect(await problemOf('response', response(cycles, item))).toEqual({ reason: 'invalid-value', field: 'cycle' });
    expect(await problemOf('response', response(lesobservatie, 'lk-respect', { cycle: 1 }))).toEqual({
      reason: 'invalid-value',
      field: 'cycle',
    });
    const group = cycles.domains[0]!.repeat!.group!;
    const starts = (n: number) => ({ [group]: Array.from({ length: n }, (_, i) => ({ startedMs: i * 60_000 })) });
    expect(await problemOf('observation', observation(cycles, { cycles: starts(max) }))).toBeUndefined();
    expect(await problemOf('observation', observation(cycles, { cycles: starts(max + 1) }))).toEqual({
      reason: 'too-large',
      field: `cycles.${group}`,
    });
    expect(await problemOf('observation', observation(cycles, { cycles: { nope: [] } }))).toEqual({
      reason: 'unknown-reference',
      field: 'cycles.nope',
    });
  });
});

describe('references and counts', () => {
  it('refuses an unknown instrument, person or team when it is set, not when an existing record keeps it', async () => {
    expect(await problemOf('observation', observation(lesobservatie, { instrumentKey: 'made.up@1.0.0' }))).toEqual({
      reason: 'unknown-reference',
      field: 'instrumentKey',
    });
    expect(await problemOf('observation', observation(lesobservatie, { observedId: 'nobody' }))).toEqual({
      reason: 'unknown-reference',
      field: 'observedId',
    });
    expect(await problemOf('person', { ...anna, teamId: 'no-team' })).toEqual({
      reason: 'unknown-reference',
      field: 'teamId',
    });
    expect(await problemOf('person', { ...anna, teamId: 'onderbouw' })).toBeUndefined();
    // A starter's coach: someone with the coach role, never a teacher or leader, never the starter themselves.
    expect(await problemOf('person', { ...bram, coachId: 'dirk' })).toBeUndefined();
    expect(await problemOf('person', { ...bram, coachId: 'nobody' })).toEqual({
      reason: 'unknown-reference',
      field: 'coachId',
    });
    expect(await problemOf('person', { ...bram, coachId: 'anna' })).toEqual({
      reason: 'invalid-value',
      field: 'coachId',
    });
    expect(await problemOf('person', { ...dirk, coachId: 'dirk' })).toEqual({
      reason: 'invalid-value',
      field: 'coachId',
    });
    // A colleague who has since left keeps their observations: an existing record is not judged by who still exists.
    const gone = observation(lesobservatie, { observedId: 'left-the-school' });
    expect(await problemOf('observation', { ...gone, clock: { elapsedMs: 1000 } }, gone)).toBeUndefined();
  });

  it('bounds the notes in one observation', async () => {
    const note = { ...base, id: 'n1', observationId: `o-${lesobservatie.id}`, text: 'x', lessonMs: 0 };
    expect(await problemOf('note', note, undefined, NOTES_PER_OBSERVATION - 1)).toBeUndefined();
    expect(await problemOf('note', note, undefined, NOTES_PER_OBSERVATION)).toEqual({
      reason: 'too-many',
      field: 'observationId',
    });
    // Editing a note that exists is never one too many.
    expect(await problemOf('note', { ...note, text: 'y' }, note, NOTES_PER_OBSERVATION)).toBeUndefined();
  });

  it('never throws, whatever it is given', async () => {
    const hostile = [null, 5, 'x', [], { id: 1 }, Object.create(null), { ...anna, name: { toString: () => 'x' } }];
    for (const value of hostile)
      for (const kind of ['person', 'response', 'note', 'observation'] as const)
        await expect(contentProblem(kind, undefined, value as object, lookups())).resolves.toBeDefined();
  });
});
