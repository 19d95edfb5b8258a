/**
 * Format 3's scoring constructs, each on a worked example checked by hand: a part read through a scoring map (an
 * item's second reading), a score by pattern, band labels on a score, a ratio of two values with a number answered
 * about the lesson, and snapshot scores over several fields, of some snapshots only, and per another number.
 */
import { describe, expect, it } from 'vitest';
import type { Instrument, Item } from '../../src/core/instrument';
import { scoreBand, scoreObservation } from '../../src/core/instrument/scoring';
import { validateInstrument } from '../../src/core/instrument/validate';
import type { ResponseContent } from '../../src/core/observation/progress';

const text = (nl: string) => ({ nl });
const rating = (id: string, scale: string): Item => ({ id, text: text(id), response: { type: 'rating', scale } });
const choice = (id: string, options: string[]) => ({
  id,
  label: text(id),
  response: { type: 'choice' as const, options: options.map((o) => ({ id: o, label: text(o) })) },
});
const counter = (id: string) => ({ id, label: text(id), response: { type: 'counter' as const } });
const snapshotScore = (id: string, from: object, extra: object = {}): Item =>
  ({ id, text: text(id), response: { type: 'score', method: 'mean', from, ...extra } }) as Item;

const levels = (values: number[]) => values.map((value) => ({ value, label: text(`${value}`) }));

const INSTRUMENT = {
  format: 3,
  id: 'proef.formaat-3',
  version: '1.0.0',
  kind: 'observation',
  languages: ['nl'],
  title: text('Formaat 3'),
  description: text('Elke nieuwe constructie een keer'),
  scales: [
    { id: 'vier', label: text('1–4'), levels: levels([1, 2, 3, 4]) },
    { id: 'lmh', label: text('laag–hoog'), levels: levels([1, 2, 3]) },
    { id: 'zeven', label: text('1–7'), levels: levels([1, 2, 3, 4, 5, 6, 7]) },
  ],
  scoringMaps: [
    {
      id: 'dicho',
      label: text('goed of niet'),
      entries: [
        { min: 1, max: 2, score: 0 },
        { min: 3, max: 4, score: 1 },
      ],
    },
  ],
  context: [{ id: 'pupils', label: text('Leerlingen aanwezig'), input: 'number', min: 1, max: 40 }],
  domains: [
    {
      id: 'icalt',
      title: text('Klimaat'),
      score: { method: 'mean' },
      items: [rating('i1', 'vier'), rating('i2', 'vier'), rating('i3', 'vier')],
    },
    {
      id: 'teach',
      title: text('Segment'),
      items: [
        {
          id: 'element',
          text: text('Element'),
          response: {
            type: 'score',
            method: 'pattern',
            // Teach-style: mostly low 1, mostly high 5, mostly medium 3; else low and medium 2, medium and high 4.
            patterns: [
              { when: [{ min: 1, max: 1, share: true, moreThan: 0.5 }], score: 1 },
              { when: [{ min: 3, max: 3, share: true, moreThan: 0.5 }], score: 5 },
              { when: [{ min: 2, max: 2, share: true, moreThan: 0.5 }], score: 3 },
              { when: [{ min: 1, max: 2, share: true, atLeast: 1 }], score: 2 },
              { when: [{ min: 2, max: 3, share: true, atLeast: 1 }], score: 4 },
            ],
            from: 'children',
          },
          children: [rating('b1', 'lmh'), rating('b2', 'lmh'), rating('b3', 'lmh')],
        },
      ],
    },
    {
      id: 'class',
      title: text('Interactie'),
      repeat: { label: text('Cyclus'), min: 1, max: 4 },
      score: {
        method: 'mean',
        bands: [
          { id: 'laag', label: text('laag'), min: 1, below: 3 },
          { id: 'midden', label: text('midden'), min: 3, below: 6 },
          { id: 'hoog', label: text('hoog'), min: 6, max: 7 },
        ],
      },
      items: [rating('c1', 'zeven'), rating('c2', 'zeven')],
    },
    {
      id: 'tijd',
      title: text('Tijd'),
      items: [
        {
          id: 'tot',
          text: text('Momentopname'),
          response: {
            type: 'snapshot',
            schedule: { atMinutes: [5, 10, 15, 20] },
            fields: [
              choice('activity', ['instr', 'work']),
              choice('grouping', ['whole', 'small', 'individual']),
              counter('offtask'),
              counter('present'),
            ],
          },
        },
        snapshotScore('instr-whole', {
          snapshot: 'tot',
          match: {
            all: [
              { field: 'activity', in: ['instr'] },
              { field: 'grouping', in: ['whole'] },
            ],
          },
        }),
        snapshotScore('whole-among-instr', {
          snapshot: 'tot',
          match: { field: 'grouping', in: ['whole'] },
          among: { field: 'activity', in: ['instr'] },
        }),
        snapshotScore(
          'off-per-pupils',
          { snapshot: 'tot', field: 'offtask', per: { context: 'pupils' } },
          { percent: true },
        ),
        snapshotScore('off-per-present', { snapshot: 'tot', field: 'offtask', per: { field: 'present' } }),
        { id: 'vragen', text: text('Vragen gesteld'), response: { type: 'counter' } },
      ],
    },
  ],
  scores: [
    { id: 'icalt-dicho', label: text('Klimaat (0/1)'), method: 'mean', from: [{ domain: 'icalt', through: 'dicho' }] },
    { id: 'i1-dicho', label: text('Item 1 (0/1)'), method: 'mean', from: [{ item: 'i1', through: 'dicho' }] },
    {
      id: 'per-leerling',
      label: text('Vragen per leerling'),
      method: 'ratio',
      from: [{ item: 'vragen' }, { context: 'pupils' }],
    },
  ],
  rules: [],
} as unknown as Instrument;

type Answer = Omit<ResponseContent, 'lookFors'>;

const ANSWERS: Array<[string, Answer]> = [
  ['i1', { rating: 2 }],
  ['i2', { rating: 3 }],
  ['i3', { rating: 4 }],
  ['b1', { rating: 1 }],
  ['b2', { rating: 1 }],
  ['b3', { rating: 3 }],
  ['c1#1', { rating: 2 }],
  ['c1#2', { rating: 3 }],
  ['c2#1', { rating: 3 }],
  ['c2#2', { rating: 3 }],
  [
    'tot',
    {
      snapshots: {
        '5': { activity: 'instr', grouping: 'whole', offtask: 2, present: 20 },
        '10': { activity: 'instr', grouping: 'small', offtask: 4, present: 20 },
        '15': { activity: 'work', grouping: 'individual', offtask: 0, present: 25 },
        '20': { activity: 'instr', grouping: 'whole', offtask: 5, present: 25 },
      },
    },
  ],
  ['vragen', { count: 12 }],
];

const sheetFor = (answers = ANSWERS, context: Record<string, number> = { pupils: 25 }) =>
  scoreObservation(
    INSTRUMENT,
    new Map(answers.map(([key, answer]): [string, ResponseContent] => [key, { lookFors: [], ...answer }])),
    { context },
  );

describe('format 3 scoring, worked by hand', () => {
  it('is a valid format 3 file', () => {
    expect(validateInstrument(INSTRUMENT).problems).toEqual([]);
  });

  it('reads an item and a domain through another map beside their own score (ICALT’s 1–4 and 0/1)', () => {
    const sheet = sheetFor();
    // 2, 3, 4 → mean 3; read 0/1: 0, 1, 1 → 2/3. Item 1 alone: 2 → 0.
    expect(sheet.domains.get('icalt')).toBe(3);
    expect(sheet.scores.get('icalt-dicho')).toBeCloseTo(2 / 3, 12);
    expect(sheet.scores.get('i1-dicho')).toBe(0);
  });

  it.each([
    ['L, L, H: mostly low (a mean of 1.67 would give 2)', [1, 1, 3], 1],
    ['L, M, M: mostly medium', [1, 2, 2], 3],
    ['L, M and one not rated: low and medium', [1, 2, undefined], 2],
    ['M, H and one not rated: medium and high', [undefined, 2, 3], 4],
    ['M, H, H: mostly high', [2, 3, 3], 5],
    ['L, M, H: no case fits, so no score', [1, 2, 3], undefined],
  ])('scores a pattern: %s', (_, values, expected) => {
    const answers = values.flatMap((rating, i): Array<[string, Answer]> =>
      rating === undefined ? [] : [[`b${i + 1}`, { rating }]],
    );
    expect(sheetFor(answers).items.get('element')).toBe(expected);
  });

  it('names the band a combined score falls in: a CLASS-style mean of 2.75 is low, 3 is middle', () => {
    const sheet = sheetFor();
    // c1: 2 and 3 → 2.5; c2: 3 and 3 → 3; the domain: (2.5 + 3) / 2 = 2.75.
    expect(sheet.domains.get('class')).toBe(2.75);
    const rule = INSTRUMENT.domains[2]!.score!;
    expect(scoreBand(rule, 2.75)?.id).toBe('laag');
    expect(scoreBand(rule, 3)?.id).toBe('midden');
    expect(scoreBand(rule, 5.99)?.id).toBe('midden');
    expect(scoreBand(rule, 7)?.id).toBe('hoog');
    expect(scoreBand(rule, 0.5)).toBeUndefined();
  });

  it('divides one part by the other, and gives no score without the second or when it is 0', () => {
    expect(sheetFor().scores.get('per-leerling')).toBeCloseTo(12 / 25, 12);
    expect(sheetFor(ANSWERS, {}).scores.has('per-leerling')).toBe(false);
    expect(sheetFor(ANSWERS, { pupils: 0 }).scores.has('per-leerling')).toBe(false);
  });

  it('scores snapshots over two fields at once, and among some snapshots only', () => {
    const sheet = sheetFor();
    // Instruction with the whole class: snapshots 5 and 20 of 4 → 0.5.
    expect(sheet.items.get('instr-whole')).toBe(0.5);
    // Of the three instruction snapshots (5, 10, 20), two with the whole class → 2/3.
    expect(sheet.items.get('whole-among-instr')).toBeCloseTo(2 / 3, 12);
  });

  it('divides a snapshot’s count per pupil present: a number about the lesson, or a field of the same snapshot', () => {
    const sheet = sheetFor();
    // (2 + 4 + 0 + 5) / 25 / 4 = 0.11; per present: 2/20, 4/20, 0/25, 5/25 → (0.1 + 0.2 + 0 + 0.2) / 4 = 0.125.
    expect(sheet.items.get('off-per-pupils')).toBeCloseTo(0.11, 12);
    expect(sheet.items.get('off-per-present')).toBeCloseTo(0.125, 12);
    // Without the number about the lesson, no share is made up.
    expect(sheetFor(ANSWERS, {}).items.has('off-per-pupils')).toBe(false);
  });
});

describe('a level worked out that the observer may set otherwise', () => {
  const instrument = structuredClone(INSTRUMENT);
  instrument.domains.push({
    id: 'component',
    title: text('Component'),
    score: { method: 'mean' },
    items: [
      {
        id: 'komponent',
        text: text('Komponent'),
        response: { type: 'score', from: 'children', method: 'mean', scale: 'vier', overridable: true },
        children: [rating('e1', 'vier'), rating('e2', 'vier'), rating('e3', 'vier')],
      },
    ],
  });
  const scored = (given: Array<[string, Answer]>) =>
    scoreObservation(
      instrument,
      new Map(given.map(([key, answer]): [string, ResponseContent] => [key, { lookFors: [], ...answer }])),
    );
  const elements: Array<[string, Answer]> = [
    ['e1', { rating: 2 }],
    ['e2', { rating: 3 }],
    ['e3', { rating: 3 }],
  ];

  it('is valid, and refused without a scale to choose a level on', () => {
    expect(validateInstrument(instrument).problems).toEqual([]);
    const without = structuredClone(instrument);
    delete (without.domains.at(-1)!.items[0]!.response as { scale?: string }).scale;
    expect(validateInstrument(without).problems.map((p) => p.code)).toContain('overridableWithoutScale');
  });

  it('keeps the level worked out unless the observer chose another, and then keeps both', () => {
    // (2 + 3 + 3) / 3 = 2.67: level 3.
    const kept = scored(elements);
    expect(kept.items.get('komponent')).toBe(3);
    expect(kept.derived.has('komponent')).toBe(false);
    const chosen = scored([...elements, ['komponent', { rating: 2 }]]);
    expect(chosen.items.get('komponent')).toBe(2);
    expect(chosen.derived.get('komponent')).toBe(3);
    // The chosen level counts in the domain.
    expect(chosen.domains.get('component')).toBe(2);
  });
});

describe('format 3 in files', () => {
  const copy = () => structuredClone(INSTRUMENT) as Instrument & Record<string, unknown>;
  const codes = (instrument: unknown) => validateInstrument(instrument).problems.map((p) => `${p.path} ${p.code}`);

  it('asks a format 2 file that uses format 3 to say so', () => {
    const older = copy();
    older.format = 2;
    expect(codes(older)).toEqual([
      '$.domains[1].items[0].response.method needsFormat3',
      '$.domains[1].items[0].response.patterns needsFormat3',
      '$.domains[2].score.bands needsFormat3',
      '$.domains[3].items[1].response.from.match needsFormat3',
      '$.domains[3].items[2].response.from.match needsFormat3',
      // The first five places make the point.
    ]);
  });

  it.each([
    [
      'a ratio of three parts',
      (i: Instrument) => i.scores![2]!.from.push({ item: 'i1' }),
      '$.scores[2].method ratioNeedsTwo',
    ],
    [
      'a pattern without cases',
      (i: Instrument) => delete (i.domains[1]!.items[0]!.response as { patterns?: unknown }).patterns,
      '$.domains[1].items[0].response.method patternWithoutCases',
    ],
    [
      'a share above 1',
      (i: Instrument) =>
        ((
          i.domains[1]!.items[0]!.response as { patterns: Array<{ when: Array<{ moreThan?: number }> }> }
        ).patterns[0]!.when[0]!.moreThan = 50),
      '$.domains[1].items[0].response.patterns[0].when[0].moreThan shareAboveOne',
    ],
    [
      'overlapping bands',
      (i: Instrument) => (i.domains[2]!.score!.bands![1]!.min = 2),
      '$.domains[2].score.bands[1] mapOverlap',
    ],
    [
      'a part about the lesson that is not a number (where each of the two scores reads it)',
      (i: Instrument) => (i.context[0] = { id: 'pupils', label: text('Leerlingen'), input: 'text' }),
      [
        '$.domains[3].items[3].response.from.per.context contextNotNumber',
        '$.scores[2].from[1].context contextNotNumber',
      ],
    ],
    [
      'a part about the lesson that does not exist',
      (i: Instrument) => ((i.scores![2]!.from[1] as { context: string }).context = 'klas'),
      '$.scores[2].from[1].context unknownContext',
    ],
    [
      'a reading through a map that does not exist',
      (i: Instrument) => (i.scores![0]!.from[0]!.through = 'weg'),
      '$.scores[0].from[0].through unknownMap',
    ],
    [
      'a match on a field the snapshot does not have',
      (i: Instrument) =>
        ((i.domains[3]!.items[2]!.response as { from: { among: { field: string } } }).from.among.field = 'weg'),
      '$.domains[3].items[2].response.from.among.field conditionUnknownField',
    ],
    [
      'a match on an answer the field cannot have',
      (i: Instrument) =>
        ((i.domains[3]!.items[2]!.response as { from: { match: { in: string[] } } }).from.match.in = ['hele-klas']),
      '$.domains[3].items[2].response.from.match.in[0] ruleUnknownAnswer',
    ],
    [
      '"per" with a share of snapshots',
      (i: Instrument) =>
        ((i.domains[3]!.items[1]!.response as { from: Record<string, unknown> }).from.per = { field: 'present' }),
      '$.domains[3].items[1].response.from.per perNeedsNumber',
    ],
    [
      'a snapshot score with both a field and a match',
      (i: Instrument) =>
        ((i.domains[3]!.items[1]!.response as { from: Record<string, unknown> }).from.field = 'offtask'),
      '$.domains[3].items[1].response.from snapshotSourceForm',
    ],
  ])('refuses %s in one line', (_, change, expected) => {
    const instrument = copy();
    change(instrument);
    expect(codes(instrument)).toEqual([expected].flat());
  });
});

describe('what review found: snapshot matches and parts that never score', () => {
  const copy = () => structuredClone(INSTRUMENT) as Instrument & Record<string, unknown>;
  const codes = (instrument: unknown) => validateInstrument(instrument).problems.map((p) => `${p.path} ${p.code}`);
  const from = (i: Instrument, n: number) =>
    (i.domains[3]!.items[n]!.response as { from: Record<string, unknown> }).from;

  it('refuses a match of more than one form', () => {
    const both = copy();
    from(both, 1).match = { all: [{ field: 'activity', in: ['instr'] }], any: [{ field: 'grouping', in: ['whole'] }] };
    expect(codes(both)).toEqual(['$.domains[3].items[1].response.from.match matchForm']);
  });

  it('refuses a part that never gives a score: a text item, or the items of a section without scored ones', () => {
    const text = copy();
    text.domains[3]!.items.push({ id: 'opmerking', text: { nl: 'Opmerking' }, response: { type: 'text' } } as never);
    text.scores!.push({ id: 'niets', label: { nl: 'Niets' }, method: 'mean', from: [{ item: 'opmerking' }] } as never);
    expect(codes(text)).toEqual(['$.scores[3].from[0].item scorePartNeverScored']);
  });

  it('leaves out a snapshot that did not record what a match reads, rather than count it as 0', () => {
    const answers = ANSWERS.map(([key, answer]): [string, Answer] =>
      key === 'tot' ? [key, { snapshots: { ...answer.snapshots, '25': { offtask: 1, present: 20 } } }] : [key, answer],
    );
    // Still 2 of the 4 snapshots that recorded activity and grouping.
    expect(sheetFor(answers).items.get('instr-whole')).toBe(0.5);
  });
});
