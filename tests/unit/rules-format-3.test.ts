/**
 * Rules about a whole section and rules that read a score (format 3): "when this section's score is low, ask why"
 * and "when this is answered so, the whole section does not apply", in the capture's progress, what is open, the
 * scores, the validator and the editor.
 */
import { describe, expect, it } from 'vitest';
import type { Instrument, Item } from '../../src/core/instrument';
import { ruleScoresOf, scoreObservation } from '../../src/core/instrument/scoring';
import { validateInstrument } from '../../src/core/instrument/validate';
import { removeEntry } from '../../src/core/instrument/edit';
import { observationProgress, type ResponseContent } from '../../src/core/observation/progress';
import { openAnswers } from '../../src/core/observation/open-answers';

const text = (nl: string) => ({ nl });
const rating = (id: string): Item => ({ id, text: text(id), response: { type: 'rating', scale: 'vier' } });

const INSTRUMENT = {
  format: 3,
  id: 'proef.regels-3',
  version: '1.0.0',
  kind: 'observation',
  languages: ['nl'],
  title: text('Regels'),
  description: text('Regels over domeinen en scores'),
  scales: [
    { id: 'vier', label: text('1–4'), levels: [1, 2, 3, 4].map((value) => ({ value, label: text(`${value}`) })) },
  ],
  context: [],
  domains: [
    { id: 'klimaat', title: text('Klimaat'), score: { method: 'mean' }, items: [rating('a'), rating('b')] },
    { id: 'uitleg', title: text('Uitleg'), items: [rating('c'), rating('d')] },
    {
      id: 'toelichting',
      title: text('Toelichting'),
      items: [{ id: 'waarom', text: text('Waarom?'), response: { type: 'text' } }],
    },
  ],
  scores: [{ id: 'totaal', label: text('Totaal'), method: 'mean', from: [{ domain: 'klimaat' }] }],
  rules: [
    { id: 'laag', when: { domain: 'klimaat', atMost: 2 }, then: { show: ['waarom'], require: ['waarom'] } },
    { id: 'geen-uitleg', when: { item: 'a', in: [4] }, then: { notApplicable: [{ domain: 'uitleg' }] } },
  ],
} as unknown as Instrument;

const answers = (given: Record<string, number>) =>
  new Map(Object.entries(given).map(([id, rating]): [string, ResponseContent] => [id, { rating, lookFors: [] }]));

const asked = (given: Record<string, number>) => {
  const responses = answers(given);
  const options = { scores: ruleScoresOf(INSTRUMENT, responses) };
  const progress = observationProgress(INSTRUMENT, responses, options);
  return {
    perDomain: Object.fromEntries(progress.domains.map((d) => [d.domainId, d.total])),
    required: openAnswers(INSTRUMENT, responses, options)
      .filter((open) => open.required)
      .map((open) => open.item.id),
  };
};

describe('rules on a section and on a score, while observing', () => {
  it('is a valid format 3 file', () => {
    expect(validateInstrument(INSTRUMENT).problems).toEqual([]);
  });

  it('asks why, and requires it, once the section’s score is low; not before anything is rated', () => {
    expect(asked({}).required).toEqual([]);
    expect(asked({}).perDomain.toelichting).toBe(0);
    // (1 + 2) / 2 = 1.5: at most 2.
    expect(asked({ a: 1, b: 2 }).required).toEqual(['waarom']);
    // (3 + 2) / 2 = 2.5: not low.
    expect(asked({ a: 3, b: 2 }).required).toEqual([]);
  });

  it('rules out a whole section, every item in it', () => {
    expect(asked({ a: 3 }).perDomain.uitleg).toBe(2);
    expect(asked({ a: 4 }).perDomain.uitleg).toBe(0);
    const sheet = scoreObservation(INSTRUMENT, answers({ a: 4, b: 4, c: 2 }));
    expect(sheet.items.has('c')).toBe(false);
    expect(sheet.scores.get('totaal')).toBe(4);
  });
});

describe('rules on a section and on a score, in files', () => {
  const copy = () => structuredClone(INSTRUMENT) as Instrument & Record<string, unknown>;
  const codes = (instrument: unknown) => validateInstrument(instrument).problems.map((p) => `${p.path} ${p.code}`);

  it('asks a format 2 file to declare format 3', () => {
    const older = copy();
    older.format = 2;
    expect(codes(older)).toEqual([
      '$.rules[0].when.domain needsFormat3',
      '$.rules[1].then.notApplicable[0].domain needsFormat3',
    ]);
  });

  it.each([
    [
      'a rule that acts on what the score it reads is worked out from',
      (i: Instrument) => (i.rules[0]!.then = { show: ['b'] }),
      '$.rules[0].then ruleActsOnItsScore',
    ],
    [
      'a rule that acts on what a named score reads, through its section',
      (i: Instrument) =>
        (i.rules[0] = {
          id: 'laag',
          when: { score: 'totaal', atMost: 2 },
          then: { notApplicable: [{ domain: 'klimaat' }] },
        }),
      '$.rules[0].then ruleActsOnItsScore',
    ],
    [
      'a score that does not exist',
      (i: Instrument) => (i.rules[0]!.when = { score: 'weg', atMost: 2 }),
      '$.rules[0].when.score ruleUnknownScore',
    ],
    [
      'a section that does not exist',
      (i: Instrument) => (i.rules[1]!.then = { notApplicable: [{ domain: 'weg' }] }),
      '$.rules[1].then.notApplicable[0].domain ruleUnknownDomain',
    ],
    [
      'a score condition without bounds',
      (i: Instrument) => (i.rules[0]!.when = { score: 'totaal' } as never),
      '$.rules[0].when conditionWithoutBounds',
    ],
  ])('refuses %s', (_, change, expected) => {
    const instrument = copy();
    change(instrument);
    expect(codes(instrument)).toContain(expected);
  });

  it('takes a removed section out of the rules that name it: a rule left with nothing to do goes', () => {
    const withoutExplaining = removeEntry(INSTRUMENT, ['domains'], 1);
    expect(withoutExplaining.rules.map((r) => r.id)).toEqual(['laag']);
    const withoutClimate = removeEntry(INSTRUMENT, ['domains'], 0);
    // The rule reading the climate's score goes (it can never be decided), and the one on item a with it.
    expect(withoutClimate.rules).toEqual([]);
  });
});

describe('what review found: rules on scores and sections, checked as they will run', () => {
  const copy = () => structuredClone(INSTRUMENT) as Instrument & Record<string, unknown>;
  const codes = (instrument: unknown) => validateInstrument(instrument).problems.map((p) => `${p.path} ${p.code}`);

  it('refuses a chain of rules on scores, one changing what the other’s score is worked out from', () => {
    const chain = copy();
    chain.domains[1]!.score = { method: 'mean' };
    chain.rules = [
      { id: 'r1', when: { domain: 'klimaat', atMost: 1 }, then: { notApplicable: ['c'] } },
      { id: 'r2', when: { domain: 'uitleg', atLeast: 3 }, then: { show: ['waarom'] } },
    ];
    expect(codes(chain)).toEqual(['$.rules[0].then ruleActsOnItsScore']);
  });

  it('accepts showing and requiring what no score counts, and requiring what one does', () => {
    const fine = copy();
    fine.domains[0]!.items.push({ id: 'toelichting-klimaat', text: text('Toelichting'), response: { type: 'text' } });
    fine.rules = [
      { id: 'laag', when: { domain: 'klimaat', atMost: 2 }, then: { show: ['toelichting-klimaat'], require: ['a'] } },
    ];
    expect(codes(fine)).toEqual([]);
  });

  it('checks a section target like its items: a rule ruling out its own trigger’s section says so once', () => {
    const own = copy();
    own.rules = [{ id: 'eigen', when: { item: 'a', in: [1] }, then: { notApplicable: [{ domain: 'klimaat' }] } }];
    expect(codes(own)).toEqual(['$.rules[0].then.notApplicable[0] ruleSelfReference']);
    const both = copy();
    both.rules = [
      { id: 'twee', when: { item: 'c', in: [1] }, then: { notApplicable: [{ domain: 'klimaat' }], require: ['a'] } },
    ];
    expect(codes(both)).toEqual(['$.rules[0].then.require[0] ruleConflictingEffects']);
  });

  it('finds a section no rule can show, and tells an item from a section of the same name', () => {
    const never = copy();
    never.rules = [{ id: 'zelf', when: { item: 'a', in: [1] }, then: { show: [{ domain: 'klimaat' }] } }];
    expect(codes(never)).toEqual(['$.rules[0].then.show[0] ruleShowsOwnTrigger']);
    const named = copy();
    named.domains[2]!.items.push(rating('uitleg'));
    named.rules = [
      { id: 'r1', when: { item: 'd', in: [1] }, then: { show: [{ domain: 'toelichting' }] } },
      { id: 'r2', when: { item: 'uitleg', in: [1] }, then: { show: ['d'] } },
    ];
    // Item "uitleg" sits in the section shown by r1, which waits for d, which waits for "uitleg": a ring.
    expect(codes(named)).toEqual(['$.rules[0].then.show[0] neverShownTogether']);
    named.domains[2]!.items.pop();
    named.domains[0]!.items.push(rating('uitleg'));
    // Now item "uitleg" is always visible (in Klimaat); the section "uitleg" is another thing.
    expect(codes(named)).toEqual([]);
  });

  it('refuses a rule on the score of a section that gives none', () => {
    const none = copy();
    none.rules[0] = { id: 'laag', when: { domain: 'uitleg', atMost: 2 }, then: { show: ['waarom'] } };
    expect(codes(none)).toEqual(['$.rules[0].when.domain ruleReadsScorelessDomain']);
  });

  it('says a misspelled bound once', () => {
    const typo = copy();
    typo.rules[0]!.when = { domain: 'klimaat', atleast: 3 } as never;
    expect(codes(typo)).toEqual(['$.rules[0].when.atleast misspelledField']);
  });

  it.each([
    ['an id of the wrong form', { domain: 'D 2' }, '$.rules[1].then.notApplicable[0].domain badId'],
    ['a misspelled key', { domian: 'uitleg' }, '$.rules[1].then.notApplicable[0].domian misspelledField'],
  ])('says a section target with %s in one line', (_, target, expected) => {
    const wrong = copy();
    wrong.rules[1]!.then = { notApplicable: [target as never] };
    expect(codes(wrong)).toEqual([expected]);
  });
});
