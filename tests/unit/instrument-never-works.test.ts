/**
 * Files that pass the schema but can never work as written: each is refused, with one line for the one mistake, at
 * the place of the mistake, named by the file's own titles as well as its path.
 */
import { describe, expect, it } from 'vitest';
import { validateInstrument } from '../../src/core/instrument/validate';
import type { Instrument, ScoreSource } from '../../src/core/instrument';

const text = (nl: string) => ({ nl });
const rating = (id: string, title: string, extra: Record<string, unknown> = {}) => ({
  id,
  text: text(title),
  response: { type: 'rating', scale: 'vier' },
  ...extra,
});

/** A small, valid format 2 instrument: a rated section with a score, and a section of notes. */
function base(): Instrument {
  return structuredClone({
    format: 2,
    id: 'proef.nooit',
    version: '1.0.0',
    kind: 'observation',
    languages: ['nl'],
    title: text('Proef'),
    description: text('Een proefinstrument'),
    scales: [
      {
        id: 'vier',
        label: text('Vierpunts'),
        levels: [1, 2, 3, 4].map((value) => ({ value, label: text(`Niveau ${value}`) })),
      },
    ],
    context: [],
    domains: [
      {
        id: 'klimaat',
        title: text('Leerklimaat'),
        score: { method: 'mean' },
        items: [rating('a', 'De leerkracht is warm'), rating('b', 'De sfeer is veilig'), rating('c', 'Er is rust')],
      },
      {
        id: 'notities',
        title: text('Notities'),
        items: [{ id: 't', text: text('Wat viel op'), response: { type: 'text' } }],
      },
    ],
    rules: [],
  }) as unknown as Instrument;
}

type Change = (i: Instrument & Record<string, unknown>) => void;

/** The problems of the changed file, after checking that the unchanged one is valid. */
function refusalOf(change: Change) {
  expect(validateInstrument(base()).ok).toBe(true);
  const instrument = base() as Instrument & Record<string, unknown>;
  change(instrument);
  const result = validateInstrument(instrument);
  expect(result.ok).toBe(false);
  return result.problems;
}

const cases: Array<{ name: string; change: Change; path: string; code: string; place: string }> = [
  {
    name: 'two show rules that each wait for the other’s item',
    change: (i) => {
      i.rules = [
        { id: 'r1', when: { item: 'a', in: [1] }, then: { show: ['b'] } },
        { id: 'r2', when: { item: 'b', in: [1] }, then: { show: ['a'] } },
      ];
    },
    path: '$.rules[0].then.show[0]',
    code: 'neverShownTogether',
    place: 'Regel 1 (r1)',
  },
  {
    name: 'a show rule waiting for a behaviour under an element that waits for it',
    change: (i) => {
      i.domains[0]!.items.push({
        id: 'element',
        text: text('Element'),
        response: { type: 'score', from: 'children', method: 'mean' },
        children: [rating('gedrag', 'Gedrag')],
      } as never);
      i.rules = [
        { id: 'r1', when: { item: 'c', in: [1] }, then: { show: ['element'] } },
        { id: 'r2', when: { item: 'gedrag', in: [4] }, then: { show: ['c'] } },
      ];
    },
    path: '$.rules[0].then.show[0]',
    code: 'neverShownTogether',
    place: 'Regel 1 (r1)',
  },
  {
    name: '"atMost": 0 on a 1–4 rating',
    change: (i) => {
      i.rules = [{ id: 'r1', when: { item: 'a', atMost: 0 }, then: { show: ['b'] } }];
    },
    path: '$.rules[0].when.atMost',
    code: 'conditionNeverTrueBelow',
    place: 'Regel 1 (r1)',
  },
  {
    name: '"atMost": 0 on look-fors (a list is read once something is ticked)',
    change: (i) => {
      i.domains[0]!.items[0]!.lookFors = [{ id: 'l1', text: text('Kijkpunt') }];
      i.rules = [{ id: 'r1', when: { item: 'a', atMost: 0 }, then: { show: ['b'] } }];
      i.domains[0]!.items[0]!.response = { type: 'checklist' };
    },
    path: '$.rules[0].when.atMost',
    code: 'conditionNeverTrueBelow',
    place: 'Regel 1 (r1)',
  },
  {
    name: 'a contradictory "all" (a ≥ 3 and a ≤ 2)',
    change: (i) => {
      i.rules = [
        {
          id: 'r1',
          when: {
            all: [
              { item: 'a', atLeast: 3 },
              { item: 'a', atMost: 2 },
            ],
          },
          then: { show: ['b'] },
        },
      ];
    },
    path: '$.rules[0].when.all',
    code: 'conditionsContradict',
    place: 'Regel 1 (r1)',
  },
  {
    name: 'a contradictory "all" of two answers to one rating',
    change: (i) => {
      i.rules = [
        {
          id: 'r1',
          when: {
            all: [
              { item: 'a', in: [1] },
              { item: 'a', in: [2] },
            ],
          },
          then: { show: ['b'] },
        },
      ];
    },
    path: '$.rules[0].when.all',
    code: 'conditionsContradict',
    place: 'Regel 1 (r1)',
  },
  {
    name: 'a rule that requires a calculated score',
    change: (i) => {
      i.domains[0]!.items.push({
        id: 'som',
        text: text('Samen'),
        response: { type: 'score', from: { items: ['a', 'b'] }, method: 'mean' },
      } as never);
      i.rules = [{ id: 'r1', when: { item: 'c', in: [1] }, then: { require: ['som'] } }];
    },
    path: '$.rules[0].then.require[0]',
    code: 'ruleRequiresScore',
    place: 'Regel 1 (r1)',
  },
  {
    name: '"minParts" beyond the number of parts of a named score',
    change: (i) => {
      i.scores = [{ id: 'totaal', label: text('Totaal'), method: 'mean', minParts: 2, from: [{ domain: 'klimaat' }] }];
    },
    path: '$.scores[0].minParts',
    code: 'minPartsTooMany',
    place: 'Score 1 "Totaal"',
  },
  {
    name: '"minParts" beyond the scored items of a domain',
    change: (i) => {
      i.domains[0]!.score = { method: 'mean', minParts: 4 };
    },
    path: '$.domains[0].score.minParts',
    code: 'minPartsTooMany',
    place: 'Domein 1 "Leerklimaat"',
  },
  {
    name: '"minParts" beyond the items a score item lists',
    change: (i) => {
      i.domains[0]!.items.push({
        id: 'som',
        text: text('Samen'),
        response: { type: 'score', from: { items: ['a', 'b'] }, method: 'mean', minParts: 3 },
      } as never);
    },
    path: '$.domains[0].items[3].response.minParts',
    code: 'minPartsTooMany',
    place: 'Domein 1 "Leerklimaat", item 1.4 "Samen"',
  },
  {
    name: 'a named score reading a domain that gives no score',
    change: (i) => {
      i.scores = [{ id: 'totaal', label: text('Totaal'), method: 'mean', from: [{ domain: 'notities' }] }];
    },
    path: '$.scores[0].from[0].domain',
    code: 'scoreReadsScorelessDomain',
    place: 'Score 1 "Totaal"',
  },
  {
    name: 'a domain score over a section without scored items',
    change: (i) => {
      i.domains[1]!.score = { method: 'mean' };
    },
    path: '$.domains[1].score',
    code: 'domainScoreWithoutItems',
    place: 'Domein 2 "Notities"',
  },
  {
    name: 'a self-rated item inside a repeated section',
    change: (i) => {
      i.domains[0]!.repeat = { label: text('Cyclus') };
      i.domains[0]!.items[1]!.answeredBy = 'observed';
    },
    path: '$.domains[0].items[1].answeredBy',
    code: 'selfRatedInRepeat',
    place: 'Domein 1 "Leerklimaat", item 1.2 "De sfeer is veilig"',
  },
  {
    name: 'a self-rated repeated section',
    change: (i) => {
      i.domains[0]!.repeat = { label: text('Cyclus') };
      i.domains[0]!.answeredBy = 'observed';
    },
    path: '$.domains[0].answeredBy',
    code: 'selfRatedInRepeat',
    place: 'Domein 1 "Leerklimaat"',
  },
  {
    name: 'a rule that shows its own trigger',
    change: (i) => {
      i.rules = [{ id: 'r1', when: { item: 'a', in: [1] }, then: { show: ['a'] } }];
    },
    path: '$.rules[0].then.show[0]',
    code: 'ruleShowsOwnTrigger',
    place: 'Regel 1 (r1)',
  },
  {
    name: 'a band a 1–4 mean can never reach',
    change: (i) => {
      i.format = 3;
      i.domains[0]!.score = {
        method: 'mean',
        bands: [
          { id: 'laag', label: text('Laag'), min: 1, below: 3 },
          { id: 'hoog', label: text('Hoog'), min: 3, max: 4 },
          { id: 'top', label: text('Top'), min: 5, max: 7 },
        ],
      };
    },
    path: '$.domains[0].score.bands[2]',
    code: 'bandNeverReached',
    place: 'Domein 1 "Leerklimaat", band 3 "Top"',
  },
  {
    name: 'bands with a gap a mean falls in (1–2 and 3–4 leave 2.5 without a name)',
    change: (i) => {
      i.format = 3;
      i.domains[0]!.score = {
        method: 'mean',
        bands: [
          { id: 'laag', label: text('Laag'), min: 1, max: 2 },
          { id: 'hoog', label: text('Hoog'), min: 3, max: 4 },
        ],
      };
    },
    path: '$.domains[0].score.bands[1].min',
    code: 'bandsLeaveGap',
    place: 'Domein 1 "Leerklimaat", band 2 "Hoog"',
  },
  {
    name: 'bands on a percentage written 0–100 (the share is 0 to 1)',
    change: (i) => {
      i.format = 3;
      i.domains[0]!.items.push({
        id: 'gezien',
        text: text('Gezien'),
        response: {
          type: 'score',
          from: 'lookFors',
          method: 'mean',
          percent: true,
          bands: [
            { id: 'weinig', label: text('Weinig'), min: 0, below: 50 },
            { id: 'veel', label: text('Veel'), min: 50, max: 100 },
          ],
        },
        lookFors: [
          { id: 'l1', text: text('Eén') },
          { id: 'l2', text: text('Twee') },
        ],
      } as never);
    },
    path: '$.domains[0].items[3].response.bands[1]',
    code: 'bandNeverReached',
    place: 'Domein 1 "Leerklimaat", item 1.4 "Gezien", band 2 "Veel"',
  },
  {
    name: 'a rule on a section score of 1–4 that asks for at least 5',
    change: (i) => {
      i.format = 3;
      i.rules = [{ id: 'r1', when: { domain: 'klimaat', atLeast: 5 }, then: { show: ['t'] } }];
    },
    path: '$.rules[0].when.atLeast',
    code: 'conditionScoreOutOfRange',
    place: 'Regel 1 (r1)',
  },
  {
    name: 'a pattern score that is no level of the scale its item is read on',
    change: (i) => {
      i.format = 3;
      i.domains[0]!.items.push({
        id: 'element',
        text: text('Element'),
        response: {
          type: 'score',
          from: 'children',
          method: 'pattern',
          scale: 'vier',
          patterns: [
            { when: [{ min: 1, max: 2, share: true, moreThan: 0.5 }], score: 1 },
            { when: [{ min: 1, max: 4, atLeast: 1 }], score: 9 },
          ],
        },
        children: [rating('g1', 'Gedrag een'), rating('g2', 'Gedrag twee')],
      } as never);
    },
    path: '$.domains[0].items[3].response.patterns[1].score',
    code: 'patternScoreNotLevel',
    place: 'Domein 1 "Leerklimaat", item 1.4 "Element", geval 2',
  },
];

describe('files that can never work', () => {
  it.each(cases)('refuses $name in one line, at its place', ({ change, path, code, place }) => {
    const problems = refusalOf(change);
    expect(problems.map((p) => `${p.path} ${p.code}`)).toEqual([`${path} ${code}`]);
    expect(problems[0]!.place?.nl).toBe(place);
    expect(problems[0]!.message.nl).not.toBe(problems[0]!.message.en);
  });

  it('still accepts what can work: a show rule on an always visible item, a satisfiable "all"', () => {
    const instrument = base() as Instrument & Record<string, unknown>;
    instrument.rules = [
      { id: 'r1', when: { item: 'a', in: [1] }, then: { show: ['b'] } },
      { id: 'r2', when: { item: 'b', in: [1] }, then: { show: ['c'] } },
      {
        id: 'r3',
        when: {
          all: [
            { item: 'a', atLeast: 2 },
            { item: 'a', atMost: 2 },
          ],
        },
        then: { require: ['c'] },
      },
    ];
    instrument.scores = [
      { id: 'totaal', label: text('Totaal'), method: 'mean', minParts: 1, from: [{ domain: 'klimaat' }] },
    ];
    expect(validateInstrument(instrument)).toMatchObject({ ok: true });
  });
});

describe('messages that say what to change', () => {
  it('names a misspelled key once, with the key it was meant to be', () => {
    const problems = refusalOf((i) => {
      i.rules = [{ id: 'r1', when: { itme: 'a', in: [1] }, then: { show: ['b'] } } as never];
    });
    expect(problems.map((p) => `${p.path} ${p.code}`)).toEqual(['$.rules[0].when.itme misspelledField']);
    expect(problems[0]!.message.en).toBe('Unknown field "itme". Did you mean "item"?');
  });

  it.each([
    ['a word that is not one of the shapes', 'kids', 'notAllowed'],
    ['an object of no shape', { itemz: ['a'] }, 'shapeNone'],
  ])('says in one line what a score may be calculated from, for %s', (_, from, code) => {
    const problems = refusalOf((i) => {
      i.domains[0]!.items.push({
        id: 'som',
        text: text('Samen'),
        response: { type: 'score', from, method: 'mean' },
      } as never);
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.code).toBe(code);
    expect(problems[0]!.message.en).not.toMatch(/oneOf|schema/);
  });

  it('tells a score table row to give "max" or "below", not both and not neither', () => {
    const both = refusalOf((i) => {
      i.scoringMaps = [{ id: 'm', entries: [{ min: 1, max: 2, below: 3, score: 0 }] }];
    });
    expect(both.map((p) => p.code)).toEqual(['keysBoth']);
    expect(both[0]!.message.nl).toBe('Geef "max" of "below", niet meer dan één.');
    const neither = refusalOf((i) => {
      i.scoringMaps = [{ id: 'm', entries: [{ min: 1, score: 0 }] }];
    });
    expect(neither.map((p) => p.code)).toEqual(['keysNone']);
  });

  it('names all three ways of a snapshot schedule', () => {
    const problems = refusalOf((i) => {
      i.domains[1]!.items.push({
        id: 'snap',
        text: text('Momentopname'),
        response: {
          type: 'snapshot',
          schedule: {},
          fields: [{ id: 'f', label: text('F'), response: { type: 'counter' } }],
        },
      } as never);
    });
    expect(problems.map((p) => p.code)).toEqual(['scheduleForm']);
    expect(problems[0]!.message.en).toContain('"equalParts"');
  });

  it('names the other place a message points at by its titles, not by its JSON path', () => {
    const messages = (change: Change) => refusalOf(change).map((p) => p.message.nl);
    expect(
      messages((i) => {
        i.domains[1]!.items[0]!.id = 'a';
      }),
    ).toEqual([
      'De id "a" komt al eerder voor (Domein 1 "Leerklimaat", item 1.1 "De leerkracht is warm"). Ids moeten uniek zijn.',
    ]);
    expect(
      messages((i) => {
        i.rules = [
          { id: 'r1', when: { item: 'a', in: [1] }, then: { show: ['b'] } },
          { id: 'r2', when: { item: 'a', in: [1] }, then: { show: ['b'] } },
        ];
      }),
    ).toEqual(['Deze regel is gelijk aan Regel 1 (r1). Verwijder er één.']);
    expect(
      messages((i) => {
        i.rules = [
          {
            id: 'r1',
            when: {
              any: [
                { item: 'a', in: [1] },
                { item: 'a', in: [1] },
              ],
            },
            then: { show: ['b'] },
          },
        ];
      }),
    ).toEqual(['Deze voorwaarde staat er al (Regel 1 (r1), voorwaarde 1).']);
    const group = refusalOf((i) => {
      i.domains[0]!.repeat = { label: text('Cyclus'), minutes: 15, group: 'samen' };
      i.domains[1]!.repeat = { label: text('Cyclus'), minutes: 20, group: 'samen' };
    });
    expect(group.map((p) => [p.path, p.message.nl])).toEqual([
      [
        '$.domains[1].repeat.minutes',
        'Onderdelen in herhaalgroep "samen" worden samen herhaald: "minutes" moet hier hetzelfde zijn als bij Domein 1 "Leerklimaat".',
      ],
    ]);
    expect(group[0]!.message.en).toContain('as in Section 1 "Leerklimaat"');
  });

  it('tells a repeat setting of the wrong kind once, not also as a disagreement within its group', () => {
    const problems = refusalOf((i) => {
      i.domains[0]!.repeat = { label: text('Cyclus'), min: 'twee' as never, group: 'samen' };
      i.domains[1]!.repeat = { label: text('Cyclus'), min: 2, group: 'samen' };
    });
    expect(problems.map((p) => `${p.path} ${p.code}`)).toEqual(['$.domains[0].repeat.min wrongType']);
  });

  it('does not say "at least 0, but is 0" of a number that must be greater than 0', () => {
    const problems = refusalOf((i) => {
      i.domains[0]!.score = { method: 'mean', weights: { a: 0 } };
    });
    expect(problems.map((p) => `${p.path} ${p.code}`)).toEqual(['$.domains[0].score.weights.a tooSmall']);
    expect(problems[0]!.message).toEqual({
      nl: 'Moet groter dan 0 zijn, maar is 0.',
      en: 'Must be greater than 0, but is 0.',
    });
  });

  it('says where by the titles in Dutch and in English, and leaves the file as a whole without a place', () => {
    const [problem] = refusalOf((i) => {
      i.domains[0]!.items[2]!.text = { nl: '' };
    });
    expect(problem!.place).toEqual({ nl: 'Domein 1 "Leerklimaat", item 1.3', en: 'Section 1 "Leerklimaat", item 1.3' });
    const [whole] = refusalOf((i) => {
      delete (i as Partial<Instrument>).version;
    });
    expect(whole!.path).toBe('$.version');
    expect(whole!.place).toBeUndefined();
  });
});

describe('a rating read through another scoring map (format 3)', () => {
  /** The base, raised to format 3, with a map that reads levels 1–3 only. */
  const readThrough = (from: ScoreSource) => (i: Instrument & Record<string, unknown>) => {
    i.format = 3;
    i.scoringMaps = [
      { id: 'drie', label: text('Eén tot drie'), entries: [1, 2, 3].map((v) => ({ min: v, max: v, score: v })) },
    ];
    i.scores = [
      { id: 'niveaus', label: text('In niveaus'), method: 'mean', from: [{ ...from, through: 'drie' }] },
      { id: 'ook', label: text('Nog eens'), method: 'mean', from: [{ item: 'b', through: 'drie' }] },
    ];
  };

  it.each([
    ['an item', { item: 'a' }],
    ['a section', { domain: 'klimaat' }],
    ['each item of a section', { itemsOf: 'klimaat' }],
  ])('refuses a map that misses a level of %s, once for the map', (_, from) => {
    const problems = refusalOf(readThrough(from));
    expect(problems.map((p) => `${p.path} ${p.code}`)).toEqual(['$.scores[0].from[0].through mapMissesLevels']);
    expect(problems[0]!.place?.nl).toBe('Score 1 "In niveaus"');
    expect(problems[0]!.message.nl).toContain('niveau 4');
  });

  it('accepts a map that gives every level a score', () => {
    const instrument = base() as Instrument & Record<string, unknown>;
    readThrough({ itemsOf: 'klimaat' })(instrument);
    instrument.scoringMaps![0]!.entries.push({ min: 4, max: 4, score: 4 });
    expect(validateInstrument(instrument).problems).toEqual([]);
  });
});

describe('a score by pattern whose case can never give its score (format 3)', () => {
  /** The section's score by pattern over its three ratings: mostly low → 1, else some high → 3. */
  const byPattern = (patterns: object[]) => (i: Instrument & Record<string, unknown>) => {
    i.format = 3;
    i.domains[0]!.score = { method: 'pattern', patterns } as never;
  };
  const mostlyLow = { when: [{ min: 1, max: 1, share: true, moreThan: 0.5 }], score: 1 };
  const someHigh = { when: [{ min: 4, max: 4, atLeast: 1 }], score: 3 };

  it.each([
    ['a share more than all of them', { min: 1, max: 1, share: true, moreThan: 1 }, 'een deel ligt van 0 tot 1'],
    ['a share below nothing', { min: 1, max: 1, share: true, lessThan: 0 }, 'een deel ligt van 0 tot 1'],
    ['more of them than there are parts', { min: 4, max: 4, atLeast: 4 }, 'er zijn hoogstens 3 onderdelen'],
    ['bounds that leave nothing', { min: 4, max: 4, atLeast: 2, atMost: 1 }, 'de grenzen sluiten elkaar uit'],
    [
      'a share between bounds that leave nothing',
      { min: 4, max: 4, share: true, atLeast: 0.6, lessThan: 0.6 },
      'de grenzen sluiten elkaar uit',
    ],
    [
      '"more than" and "less than" that leave no number',
      { min: 4, max: 4, moreThan: 1, lessThan: 2 },
      'de grenzen sluiten elkaar uit',
    ],
  ])('refuses %s, in one line at the count', (_, count, says) => {
    const problems = refusalOf(byPattern([mostlyLow, { when: [count], score: 3 }]));
    expect(problems.map((p) => `${p.path} ${p.code}`)).toEqual([
      '$.domains[0].score.patterns[1].when[0] countNeverHolds',
    ]);
    expect(problems[0]!.place?.nl).toBe('Domein 1 "Leerklimaat", geval 2, telling 1');
    expect(problems[0]!.message.nl).toContain(says);
  });

  it('refuses a case that holds only when an earlier one does (the same counts, or more)', () => {
    const problems = refusalOf(
      byPattern([someHigh, mostlyLow, { when: [...mostlyLow.when, { min: 4, max: 4, atLeast: 1 }], score: 2 }]),
    );
    expect(problems.map((p) => `${p.path} ${p.code}`)).toEqual([
      '$.domains[0].score.patterns[2] patternCaseUnreachable',
    ]);
    expect(problems[0]!.message.nl).toContain('geval 1');
  });

  it('accepts cases that overlap but can each give their score, and counts that can hold', () => {
    const instrument = base() as Instrument & Record<string, unknown>;
    byPattern([
      { when: [{ min: 4, max: 4, share: true, atLeast: 1 }], score: 4 },
      someHigh,
      mostlyLow,
      { when: [{ min: 1, max: 4, atLeast: 3, atMost: 3 }], score: 2 },
      { when: [{ min: 1, max: 2, share: true, moreThan: 0, lessThan: 1 }], score: 2 },
    ])(instrument);
    expect(validateInstrument(instrument).problems).toEqual([]);
  });
});
