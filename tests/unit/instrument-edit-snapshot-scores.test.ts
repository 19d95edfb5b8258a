/**
 * Format 3 in the instrument editor's model: what a score item reads of a snapshot beyond one field (several fields
 * together, some snapshots only, a number divided by another), a score item the observer may judge otherwise, and
 * (format 2) a snapshot field's own descriptors and option groups. Each step raises the file to the format that
 * has it, keeps the file valid where the author has chosen enough, and its problems show at the field that edits it.
 */
import { describe, expect, it } from 'vitest';
import {
  addMatchCondition,
  addOptionGroup,
  getAt,
  isFlatMatch,
  removeEntry,
  renameId,
  matchAnswers,
  matchConditions,
  matchJoin,
  perKind,
  setAt,
  setFieldDescriptors,
  setMatchAnswer,
  setMatchField,
  setMatchJoin,
  setNumber,
  setScoreOverridable,
  setScoreScale,
  setSnapshotAmong,
  setSnapshotPer,
  setSnapshotReading,
  setSnapshotSource,
  setSnapshotValue,
  type Path,
} from '../../src/core/instrument/edit';
import { validateInstrument } from '../../src/core/instrument/validate';
import type { Instrument, SnapshotField } from '../../src/core/instrument';
import { editorFields, placeProblems } from '../../src/ui/features/instruments/editor-fields';

const text = (nl: string) => ({ nl });
const options = (...ids: string[]) => ids.map((id) => ({ id, label: text(id) }));
const SNAPSHOT = ['domains', 0, 'items', 0] as const;
const SCORE = ['domains', 0, 'items', 1] as const;
const FROM = [...SCORE, 'response', 'from'];
const MATCH = [...FROM, 'match'];
const AMONG = [...FROM, 'among'];

/** A format 2 instrument: a snapshot item (two choices, two counters, a rating, yes/no) and a score from it. */
function written(): Instrument {
  return {
    format: 2,
    id: 'test.momentopnamen',
    version: '1.0.0',
    kind: 'snapshot',
    languages: ['nl'],
    title: text('Momentopnamen'),
    description: text('Wat er gebeurt in de les.'),
    scales: [
      { id: 'drie', label: text('Drie'), levels: [1, 2, 3].map((value) => ({ value, label: text(`${value}`) })) },
    ],
    context: [
      { id: 'group', label: text('Groep'), input: 'text' },
      { id: 'pupils', label: text('Aanwezige leerlingen'), input: 'number', min: 1 },
    ],
    domains: [
      {
        id: 'les',
        title: text('Les'),
        items: [
          {
            id: 'momenten',
            text: text('Momentopnamen'),
            response: {
              type: 'snapshot',
              schedule: { atMinutes: [10, 20] },
              fields: [
                {
                  id: 'activity',
                  label: text('Activiteit'),
                  response: { type: 'choice', options: options('instruction', 'practice') },
                },
                {
                  id: 'grouping',
                  label: text('Groepering'),
                  response: { type: 'choice', options: options('whole', 'small') },
                },
                { id: 'offtask', label: text('Niet bij de les'), response: { type: 'counter', min: 0 } },
                { id: 'present', label: text('Aanwezig'), response: { type: 'counter', min: 0 } },
                { id: 'engaged', label: text('Betrokken'), response: { type: 'rating', scale: 'drie' } },
                { id: 'noisy', label: text('Rumoerig'), response: { type: 'yes-no' } },
              ],
            },
          },
          {
            id: 'aandeel',
            text: text('Aandeel instructie'),
            response: {
              type: 'score',
              method: 'mean',
              from: { snapshot: 'momenten', field: 'activity', in: ['instruction'] },
            },
          },
        ],
      },
    ],
    rules: [],
  };
}

const problemsOf = (instrument: Instrument) =>
  validateInstrument(JSON.parse(JSON.stringify(instrument))).problems.map((p) => `${p.path} ${p.code}`);
const from = (instrument: Instrument) => getAt(instrument, FROM);
/** Where the editor shows each problem (the path of the field), by the problem's path and code. */
function placed(instrument: Instrument): Record<string, string | undefined> {
  const problems = validateInstrument(JSON.parse(JSON.stringify(instrument))).problems;
  return Object.fromEntries(
    placeProblems(problems, editorFields(instrument)).all.map(({ problem, field }) => [
      `${problem.path} ${problem.code}`,
      field,
    ]),
  );
}

describe('a score from several snapshot fields together (match)', () => {
  it('turns one field and its answers into the first condition, raises the file to format 3, and goes back', () => {
    const start = written();
    expect(problemsOf(start)).toEqual([]);
    const i = setSnapshotReading(start, SCORE, 'match');
    expect(i.format).toBe(3);
    expect(from(i)).toEqual({ snapshot: 'momenten', match: { all: [{ field: 'activity', in: ['instruction'] }] } });
    expect(problemsOf(i)).toEqual([]);
    // The same reading again changes nothing; back to one field, its answers come along.
    expect(setSnapshotReading(i, SCORE, 'match')).toBe(i);
    expect(from(setSnapshotReading(i, SCORE, 'field'))).toEqual({
      snapshot: 'momenten',
      field: 'activity',
      in: ['instruction'],
    });
  });

  it('adds a condition on a field it does not read yet, its answers to tick, and tells where one is missing', () => {
    let i = setSnapshotReading(written(), SCORE, 'match');
    const added = addMatchCondition(i, SCORE, 'match');
    expect(added.index).toBe(1);
    i = added.instrument;
    expect(getAt(i, [...MATCH, 'all', 1])).toEqual({ field: 'grouping', in: [] });
    // Nothing ticked yet: said at the answers of that condition.
    const where = placed(i);
    const empty = Object.keys(where).find((key) =>
      key.startsWith('$.domains[0].items[1].response.from.match.all[1].in'),
    );
    expect(empty).toBeDefined();
    expect(where[empty!]).toBe('$.domains[0].items[1].response.from.match.all[1].in');
    i = setMatchAnswer(i, SCORE, 'match', ['all', 1], 'whole', true);
    expect(problemsOf(i)).toEqual([]);
    // Ticked in the order the field offers them, whatever order they are ticked in.
    i = setMatchAnswer(i, SCORE, 'match', ['all', 0], 'practice', true);
    i = setMatchAnswer(i, SCORE, 'match', ['all', 0], 'instruction', false);
    i = setMatchAnswer(i, SCORE, 'match', ['all', 0], 'instruction', true);
    expect(getAt(i, [...MATCH, 'all', 0, 'in'])).toEqual(['instruction', 'practice']);
    expect(matchConditions(getAt(i, MATCH)).map(({ path }) => path)).toEqual([
      ['all', 0],
      ['all', 1],
    ]);
  });

  it('reads a number field within bounds, keeps the bounds on another number, and asks for answers on a choice', () => {
    let i = setSnapshotReading(written(), SCORE, 'match');
    i = setMatchField(i, SCORE, 'match', ['all', 0], 'offtask');
    expect(getAt(i, [...MATCH, 'all', 0])).toEqual({ field: 'offtask', atLeast: 1 });
    i = setNumber(i, [...MATCH, 'all', 0, 'atMost'], 3);
    i = setMatchField(i, SCORE, 'match', ['all', 0], 'present');
    expect(getAt(i, [...MATCH, 'all', 0])).toEqual({ field: 'present', atLeast: 1, atMost: 3 });
    expect(problemsOf(i)).toEqual([]);
    // A rating starts at its top level; yes/no and a choice with answers to tick.
    expect(getAt(setMatchField(i, SCORE, 'match', ['all', 0], 'activity'), [...MATCH, 'all', 0])).toEqual({
      field: 'activity',
      in: [],
    });
    const engaged = setMatchField(
      setMatchField(i, SCORE, 'match', ['all', 0], 'noisy'),
      SCORE,
      'match',
      ['all', 0],
      'engaged',
    );
    expect(getAt(engaged, [...MATCH, 'all', 0])).toEqual({ field: 'engaged', atLeast: 3 });
    // Both bounds emptied: said at the condition's field.
    i = setNumber(setNumber(i, [...MATCH, 'all', 0, 'atLeast'], undefined), [...MATCH, 'all', 0, 'atMost'], undefined);
    expect(placed(i)).toEqual({
      '$.domains[0].items[1].response.from.match.all[0] conditionWithoutBounds':
        '$.domains[0].items[1].response.from.match.all[0].field',
    });
  });

  it('holds when all or any of its conditions hold; a condition on its own becomes a group of one', () => {
    let i = setSnapshotReading(written(), SCORE, 'match');
    i = setMatchJoin(i, SCORE, 'match', 'any');
    expect(getAt(i, MATCH)).toEqual({ any: [{ field: 'activity', in: ['instruction'] }] });
    expect(matchJoin(getAt(i, MATCH))).toBe('any');
    expect(setMatchJoin(i, SCORE, 'match', 'any')).toBe(i);
    // As a file may have it: one condition, not in a group.
    const single = setAt(i, MATCH, { field: 'grouping', in: ['whole'] });
    expect(problemsOf(single)).toEqual([]);
    expect(matchConditions(getAt(single, MATCH))).toEqual([
      { condition: { field: 'grouping', in: ['whole'] }, path: [] },
    ]);
    expect(getAt(setMatchJoin(single, SCORE, 'match', 'all'), MATCH)).toEqual({
      all: [{ field: 'grouping', in: ['whole'] }],
    });
    const added = addMatchCondition(single, SCORE, 'match');
    expect(getAt(added.instrument, MATCH)).toEqual({
      all: [
        { field: 'grouping', in: ['whole'] },
        { field: 'activity', in: [] },
      ],
    });
    expect(added.index).toBe(1);
  });

  it('follows a field renamed, and loses the condition on a field removed', () => {
    let i = setSnapshotReading(written(), SCORE, 'match');
    i = addMatchCondition(i, SCORE, 'match').instrument;
    i = setMatchAnswer(i, SCORE, 'match', ['all', 1], 'whole', true);
    i = setSnapshotAmong(i, SCORE, true);
    i = setMatchField(i, SCORE, 'among', ['all', 0], 'grouping');
    i = setMatchAnswer(i, SCORE, 'among', ['all', 0], 'whole', true);
    i = renameId(i, [...SNAPSHOT, 'response', 'fields', 1], 'with-whom');
    expect(getAt(i, [...MATCH, 'all', 1])).toEqual({ field: 'with-whom', in: ['whole'] });
    expect(getAt(i, AMONG)).toEqual({ all: [{ field: 'with-whom', in: ['whole'] }] });
    expect(problemsOf(i)).toEqual([]);
    i = removeEntry(i, [...SNAPSHOT, 'response', 'fields'], 1);
    expect(getAt(i, MATCH)).toEqual({ all: [{ field: 'activity', in: ['instruction'] }] });
    // Its last condition gone, the group is empty: said at the choice of all / any.
    expect(getAt(i, AMONG)).toEqual({ all: [] });
    expect(Object.values(placed(i))).toEqual(['$.domains[0].items[1].response.from.among.all']);
  });

  it('is a form only when flat: a nested one is kept and its problems show at the choice of reading', () => {
    const nested = {
      all: [
        { field: 'activity', in: ['instruction'] },
        {
          any: [
            { field: 'grouping', in: ['whole'] },
            { field: 'offtask', atMost: 0 },
          ],
        },
      ],
    };
    expect(isFlatMatch(nested)).toBe(false);
    expect(isFlatMatch({ all: [{ field: 'activity', in: ['instruction'] }] })).toBe(true);
    expect(isFlatMatch({ field: 'offtask', atLeast: 1, in: ['x'] })).toBe(false);
    let i = setAt(setSnapshotReading(written(), SCORE, 'match'), MATCH, nested);
    expect(problemsOf(i)).toEqual([]);
    i = setAt(i, [...MATCH, 'all', 1, 'any', 0, 'in'], ['nowhere']);
    expect(Object.values(placed(i))).toEqual(['$.domains[0].items[1].response.from.match']);
  });
});

describe('counting among some snapshots only (among)', () => {
  it('adds a condition to fill in, in format 3, and takes it away again', () => {
    let i = setSnapshotAmong(written(), SCORE, true);
    expect(i.format).toBe(3);
    expect(getAt(i, AMONG)).toEqual({ all: [{ field: 'activity', in: [] }] });
    i = setMatchField(i, SCORE, 'among', ['all', 0], 'grouping');
    i = setMatchAnswer(i, SCORE, 'among', ['all', 0], 'whole', true);
    expect(problemsOf(i)).toEqual([]);
    i = addMatchCondition(i, SCORE, 'among').instrument;
    expect(getAt(i, [...AMONG, 'all', 1])).toEqual({ field: 'activity', in: [] });
    expect(setSnapshotAmong(i, SCORE, true)).toBe(i);
    expect(from(setSnapshotAmong(i, SCORE, false))).toEqual(from(written()));
  });
});

describe('a number divided by another (per)', () => {
  const offTask = (i: Instrument) =>
    setSnapshotValue(setSnapshotSource(i, SCORE, { field: 'offtask' }), SCORE, 'x', false);

  it('divides by another number field of the snapshot, or by a number about the lesson, in format 3', () => {
    let i = offTask(written());
    expect(from(i)).toEqual({ snapshot: 'momenten', field: 'offtask' });
    i = setSnapshotPer(i, SCORE, 'field');
    expect(i.format).toBe(3);
    expect(getAt(i, [...FROM, 'per'])).toEqual({ field: 'present' });
    expect(perKind(getAt(i, [...FROM, 'per']))).toBe('field');
    expect(problemsOf(i)).toEqual([]);
    i = setSnapshotPer(i, SCORE, 'context');
    expect(getAt(i, [...FROM, 'per'])).toEqual({ context: 'pupils' });
    expect(problemsOf(i)).toEqual([]);
    expect(setSnapshotPer(i, SCORE, 'context')).toBe(i);
    expect(getAt(setSnapshotPer(i, SCORE, 'none'), [...FROM, 'per'])).toBeUndefined();
  });

  it('says where a divisor cannot be: with answers counted, a question that is not a number, one that is gone', () => {
    let i = setSnapshotPer(offTask(written()), SCORE, 'context');
    const counted = setSnapshotValue(setSnapshotSource(i, SCORE, { field: 'activity' }), SCORE, 'instruction', true);
    expect(placed(counted)).toEqual({
      '$.domains[0].items[1].response.from.per perNeedsNumber': '$.domains[0].items[1].response.from.per',
    });
    i = setAt(i, [...FROM, 'per', 'context'], 'group');
    expect(placed(i)).toEqual({
      '$.domains[0].items[1].response.from.per.context contextNotNumber':
        '$.domains[0].items[1].response.from.per.context',
    });
    i = setAt(i, [...FROM, 'per', 'context'], 'nowhere');
    expect(placed(i)).toEqual({
      '$.domains[0].items[1].response.from.per.context unknownContext':
        '$.domains[0].items[1].response.from.per.context',
    });
    // Several fields together count 1 or 0: the divisor goes.
    const matched = setSnapshotReading(setSnapshotPer(offTask(written()), SCORE, 'field'), SCORE, 'match');
    expect(getAt(matched, [...FROM, 'per'])).toBeUndefined();
    expect(getAt(matched, MATCH)).toEqual({ all: [{ field: 'offtask', atLeast: 1 }] });
  });

  it('goes, with the conditions, when the score reads another snapshot item', () => {
    let i = written();
    i.domains[0]!.items.push({ ...structuredClone(i.domains[0]!.items[0]!), id: 'later' });
    i = setSnapshotAmong(setSnapshotReading(i, SCORE, 'match'), SCORE, true);
    i = setSnapshotSource(i, SCORE, { snapshot: 'later' });
    expect(from(i)).toEqual({ snapshot: 'later', field: 'activity' });
  });
});

describe('a score item the observer may judge otherwise (overridable)', () => {
  it('is format 3, needs a scale, and goes when the scale goes', () => {
    let i = setScoreScale(written(), SCORE, 'drie');
    expect(i.format).toBe(2);
    i = setScoreOverridable(i, SCORE, true);
    expect(i.format).toBe(3);
    expect(getAt(i, [...SCORE, 'response'])).toMatchObject({ scale: 'drie', overridable: true });
    expect(problemsOf(i)).toEqual([]);
    // Without a scale there is no level to choose: said at the box, and the step that removes the scale removes it.
    expect(placed(setAt(i, [...SCORE, 'response', 'scale'], undefined))).toEqual({
      '$.domains[0].items[1].response.overridable overridableWithoutScale':
        '$.domains[0].items[1].response.overridable',
    });
    const none = setScoreScale(i, SCORE, undefined);
    expect(getAt(none, [...SCORE, 'response'])).not.toHaveProperty('overridable');
    expect(getAt(none, [...SCORE, 'response'])).not.toHaveProperty('scale');
    expect(problemsOf(none)).toEqual([]);
    expect(getAt(setScoreOverridable(i, SCORE, false), [...SCORE, 'response'])).not.toHaveProperty('overridable');
  });
});

describe('a snapshot field’s own descriptors and option groups (format 2)', () => {
  const field = (n: number): Path => [...SNAPSHOT, 'response', 'fields', n];

  it('writes descriptors per level of a rating field, raising a format 1 file, and removes them', () => {
    let i: Instrument = {
      ...written(),
      format: 1,
      domains: [{ ...written().domains[0]!, items: [written().domains[0]!.items[0]!] }],
    };
    expect(problemsOf(i)).toEqual([]);
    i = setFieldDescriptors(i, field(4), true);
    expect(i.format).toBe(2);
    expect(Object.keys((getAt(i, field(4)) as SnapshotField).descriptors ?? {})).toEqual(['1', '2', '3']);
    // Empty texts to write: said at each one's own field.
    const where = placed(i);
    expect(Object.values(where)).toEqual(
      ['1', '2', '3'].map((key) => `$.domains[0].items[0].response.fields[4].descriptors["${key}"].nl`),
    );
    for (const key of ['1', '2', '3']) i = setAt(i, [...field(4), 'descriptors', key, 'nl'], `Niveau ${key}`);
    expect(problemsOf(i)).toEqual([]);
    expect(getAt(setFieldDescriptors(i, field(4), false), field(4))).not.toHaveProperty('descriptors');
  });

  it('gives a choice field headings over its options, each option under one', () => {
    const { instrument: i, index } = addOptionGroup(written(), [...field(0), 'response']);
    expect(index).toBe(0);
    const response = getAt(i, [...field(0), 'response']) as { groups: unknown[]; options: Array<{ group?: string }> };
    expect(response.groups).toHaveLength(1);
    expect(response.options.every((option) => option.group === 'group')).toBe(true);
    const where = placed(i);
    expect(Object.values(where)).toEqual(['$.domains[0].items[0].response.fields[0].response.groups[0].label.nl']);
  });

  it('offers the answers of choice and yes/no fields, and bounds for numbers', () => {
    const fields = (written().domains[0]!.items[0]!.response as { fields: SnapshotField[] }).fields;
    expect(fields.map((f) => matchAnswers(f))).toEqual([
      ['instruction', 'practice'],
      ['whole', 'small'],
      undefined,
      undefined,
      undefined,
      ['yes', 'no'],
    ]);
  });
});
