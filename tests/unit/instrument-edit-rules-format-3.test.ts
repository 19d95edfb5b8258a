/**
 * Format 3's rules in the instrument editor (src/core/instrument/edit/rules.ts): a condition on a score as worked out
 * so far (a named score, a section's score), whole sections as targets, what a rule may not act on, the range of a
 * score for the hint under its bounds; renames and removals carried into those conditions and targets; and the
 * rule in words, in Dutch and English.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  addCondition,
  addRule,
  barredTargets,
  isEditableRule,
  getAt,
  removeEntry,
  renameId,
  setAt,
  setConditionAnswer,
  setConditionItem,
  setConditionScore,
  setEffectKind,
  setEffectSection,
  setEffectTarget,
} from '../../src/core/instrument/edit';
import { validateInstrument } from '../../src/core/instrument/validate';
import { scoreRange } from '../../src/core/instrument/score-range';
import type { Instrument, Item, Rule } from '../../src/core/instrument';
import { describeCondition } from '../../src/ui/shared/instrument-describe';
import { editorFields, placeProblems } from '../../src/ui/features/instruments/editor-fields';
import { locale } from '../../src/ui/i18n/locale.svelte';

// The words come from the app's message catalogue, whose language state marks the page's language: these tests run
// without a page, so it gets a stand-in.
vi.hoisted(() => {
  (globalThis as { document?: unknown }).document ??= { documentElement: {} };
});

const text = (nl: string) => ({ nl });
const rating = (id: string): Item => ({ id, text: text(id), response: { type: 'rating', scale: 'vier' } });

/** Format 2: a scored section (klimaat: a, b), one without a score (uitleg: c, d), a question (waarom), a named score. */
function base(): Instrument {
  return {
    format: 2,
    id: 'proef.regels-editor',
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
    rules: [],
  } as unknown as Instrument;
}

const codes = (instrument: Instrument) =>
  validateInstrument(JSON.parse(JSON.stringify(instrument))).problems.map((p) => `${p.path} ${p.code}`);
const rule = (when: unknown, then: unknown, id = 'r'): Rule => ({ id, when, then }) as Rule;

describe('a condition on a score, edited as a form', () => {
  it('builds "when the domain score of Klimaat is at most 2, show Toelichting" and raises the file to format 3', () => {
    let i = addRule(base()).instrument;
    expect(i.rules[0]!.when).toEqual({ item: 'a', in: [] });
    i = setConditionScore(i, 0, [], 'domain', 'klimaat');
    expect(i.format).toBe(3);
    expect(i.rules[0]!.when).toEqual({ domain: 'klimaat' });
    expect(codes(i)).toContain('$.rules[0].when conditionWithoutBounds');
    i = setAt(i, ['rules', 0, 'when', 'atMost'], 2);
    i = setEffectKind(i, 0, 'notApplicable', 'show');
    i = setEffectSection(i, 0, 'show', 'toelichting', true);
    expect(i.rules[0]).toEqual({
      id: 'rule',
      when: { domain: 'klimaat', atMost: 2 },
      then: { show: [{ domain: 'toelichting' }] },
    });
    expect(isEditableRule(i.rules[0])).toBe(true);
    expect(codes(i)).toEqual([]);
  });

  it('keeps the bounds from a number to a score and back, and drops answers chosen', () => {
    let i = addRule(base()).instrument;
    i = setAt(i, ['rules', 0, 'when'], { item: 'a', atLeast: 2, atMost: 3 });
    i = setConditionScore(i, 0, [], 'score', 'totaal');
    expect(i.rules[0]!.when).toEqual({ score: 'totaal', atLeast: 2, atMost: 3 });
    i = setConditionScore(i, 0, [], 'domain', 'klimaat');
    expect(i.rules[0]!.when).toEqual({ domain: 'klimaat', atLeast: 2, atMost: 3 });
    // Back to an item with a number: the bounds stay; to one with answers only: they start over.
    expect(setConditionItem(i, 0, [], 'c').rules[0]!.when).toEqual({ item: 'c', atLeast: 2, atMost: 3 });
    const answered = setAt(i, ['rules', 0, 'when'], { item: 'a', in: [1] });
    expect(setConditionScore(answered, 0, [], 'score', 'totaal').rules[0]!.when).toEqual({ score: 'totaal' });
  });

  it('reads a score inside all, any and count, as a condition on an item does', () => {
    let i = addRule(base()).instrument;
    i = setAt(i, ['rules', 0, 'when'], { item: 'c', in: [1] });
    const added = addCondition(i, 0, []);
    i = setConditionScore(added.instrument, 0, added.path, 'score', 'totaal');
    i = setAt(i, ['rules', 0, 'when', ...added.path, 'atMost'], 2);
    expect(i.format).toBe(3);
    expect(i.rules[0]!.when).toEqual({
      all: [
        { item: 'c', in: [1] },
        { score: 'totaal', atMost: 2 },
      ],
    });
    const group = addCondition(i, 0, [], { group: true });
    i = setConditionScore(group.instrument, 0, [...group.path, 'any', 1], 'domain', 'klimaat');
    i = setAt(i, ['rules', 0, 'when', ...group.path, 'any', 1, 'atLeast'], 3);
    i = setConditionAnswer(i, 0, [...group.path, 'any', 0], 2, true);
    expect(getAt(i, ['rules', 0, 'when', ...group.path])).toEqual({
      any: [
        { item: 'a', in: [2] },
        { domain: 'klimaat', atLeast: 3 },
      ],
    });
    i = setEffectTarget(i, 0, 'notApplicable', 'waarom', true);
    expect(isEditableRule(i.rules[0])).toBe(true);
    expect(codes(i)).toEqual([]);
  });

  it('shows as a form a rule on a score or with a section target; keeps other shapes as they are', () => {
    const editable = [
      rule({ score: 'totaal', atMost: 2 }, { show: ['waarom'] }),
      rule({ domain: 'klimaat', atLeast: 1, atMost: 2 }, { show: [{ domain: 'toelichting' }], require: ['waarom'] }),
      rule(
        {
          count: [
            { score: 'totaal', atMost: 2 },
            { item: 'c', in: [1] },
          ],
          atLeast: 1,
        },
        { notApplicable: ['d'] },
      ),
      rule({ item: 'a', in: [4] }, { notApplicable: [{ domain: 'uitleg' }, 'waarom'] }),
    ];
    expect(editable.map(isEditableRule)).toEqual([true, true, true, true]);
    const kept = [
      rule({ score: 'totaal', in: [2] }, { show: ['waarom'] }),
      rule({ score: 'totaal', domain: 'klimaat', atMost: 2 }, { show: ['waarom'] }),
      rule({ domain: 'klimaat', atMost: '2' }, { show: ['waarom'] }),
      rule({ score: 3, atMost: 2 }, { show: ['waarom'] }),
      rule({ item: 'a', in: [4] }, { notApplicable: [{ domain: 'uitleg', items: ['c'] }] }),
      rule({ item: 'a', in: [4] }, { notApplicable: [{ domain: 7 }] }),
    ];
    expect(kept.map(isEditableRule)).toEqual([false, false, false, false, false, false]);
  });
});

describe('problems of a condition on a score, at its fields', () => {
  it('puts what is wrong with the score read at the choice of score, and a target’s problem at its effect', () => {
    const i = setAt(
      { ...base(), format: 3 } as Instrument,
      ['rules'],
      [
        rule({ domain: 'uitleg', atMost: 2 }, { show: ['waarom'] }, 'geen-score'),
        rule(
          {
            any: [
              { score: 'weg', atLeast: 1 },
              { item: 'c', in: [1] },
            ],
          },
          { show: ['d'] },
          'weg',
        ),
        rule({ item: 'a', in: [1] }, { notApplicable: [{ domain: 'klimaat' }] }, 'eigen'),
      ],
    );
    const problems = validateInstrument(JSON.parse(JSON.stringify(i))).problems;
    const placed = placeProblems(problems, editorFields(i)).all.map(({ problem, field }) => [problem.code, field]);
    expect(placed).toEqual(
      expect.arrayContaining([
        ['ruleReadsScorelessDomain', '$.rules[0].when.domain'],
        ['ruleUnknownScore', '$.rules[1].when.any[0].score'],
        ['ruleSelfReference', '$.rules[2].then.notApplicable'],
      ]),
    );
  });
});

describe('a whole section as a target', () => {
  it('stands for its items: ticking it raises the file to format 3 and takes its items off that list', () => {
    let i = setAt(base(), ['rules'], [rule({ item: 'a', in: [4] }, { notApplicable: ['c', 'waarom', 'd'] })]);
    i = setEffectTarget(i, 0, 'notApplicable', 'd', true);
    expect(i.format).toBe(2);
    i = setEffectSection(i, 0, 'notApplicable', 'uitleg', true);
    expect(i.format).toBe(3);
    // Items in reading order, then sections in theirs.
    expect(i.rules[0]!.then.notApplicable).toEqual(['waarom', { domain: 'uitleg' }]);
    i = setEffectTarget(i, 0, 'notApplicable', 'b', true);
    expect(i.rules[0]!.then.notApplicable).toEqual(['b', 'waarom', { domain: 'uitleg' }]);
    expect(codes(i)).toEqual([]);
    i = setEffectSection(i, 0, 'notApplicable', 'uitleg', false);
    expect(i.rules[0]!.then.notApplicable).toEqual(['b', 'waarom']);
  });

  it('moves with its effect to another kind without being named twice', () => {
    let i = setAt(base(), ['rules'], [rule({ item: 'a', in: [4] }, { notApplicable: [{ domain: 'uitleg' }] })]);
    i = setAt(i, ['rules', 0, 'then', 'require'], [{ domain: 'uitleg' }, 'waarom']);
    i = setEffectKind(i, 0, 'notApplicable', 'require');
    expect(i.rules[0]!.then).toEqual({ require: [{ domain: 'uitleg' }, 'waarom'] });
  });

  it('is not offered where the validator would refuse it: the section the rule reads, what its score reads', () => {
    const reads = setAt(base(), ['rules'], [rule({ item: 'c', in: [1] }, { notApplicable: [] })]);
    const own = barredTargets(reads, 0);
    for (const effect of ['notApplicable', 'show', 'require'] as const) {
      expect([...own[effect].items]).toEqual(['c']);
      expect([...own[effect].domains]).toEqual(['uitleg']);
    }
    // Each barred target, ticked anyway, is what the validator refuses.
    const selfTarget = setEffectSection(reads, 0, 'show', 'uitleg', true);
    expect(codes(selfTarget)).toContain('$.rules[0].then.show[0] ruleShowsOwnTrigger');
    const required = setEffectSection(reads, 0, 'require', 'uitleg', true);
    expect(codes(required)).toContain('$.rules[0].then.require[0] ruleRequiresOwnTrigger');

    const score = setAt(base(), ['rules'], [rule({ score: 'totaal', atMost: 2 }, { show: ['waarom'] })]);
    const barred = barredTargets(score, 0);
    expect([...barred.show.items].sort()).toEqual(['a', 'b']);
    expect([...barred.notApplicable.domains]).toEqual(['klimaat']);
    // Requiring what a score reads is fine.
    expect([...barred.require.items]).toEqual([]);
    expect(codes(setEffectSection(score, 0, 'show', 'klimaat', true))).toContain('$.rules[0].then ruleActsOnItsScore');
    expect(codes(setEffectSection(score, 0, 'require', 'klimaat', true))).toEqual([]);
  });
});

describe('the range of a score, for the hint under its bounds', () => {
  it('reads the scale, a scoring map, yes/no and a counter; knows none for a sum or a percentage', () => {
    const i = base();
    expect(scoreRange(i, 'domain', 'klimaat')).toEqual({ min: 1, max: 4 });
    expect(scoreRange(i, 'score', 'totaal')).toEqual({ min: 1, max: 4 });
    expect(scoreRange(i, 'domain', 'uitleg')).toBeUndefined();
    const mapped = setAt(
      setAt(
        i,
        ['scoringMaps'],
        [
          {
            id: 'dicho',
            entries: [
              { min: 1, max: 2, score: 0 },
              { min: 3, max: 4, score: 1 },
            ],
          },
        ],
      ),
      ['scores', 0, 'map'],
      'dicho',
    );
    expect(scoreRange(mapped, 'score', 'totaal')).toEqual({ min: 0, max: 1 });
    expect(scoreRange(setAt(i, ['scores', 0, 'method'], 'sum'), 'score', 'totaal')).toBeUndefined();
    // Shown as a percentage, the editor gives no range (0–1 underneath is 0–100 % on screen); bands and rules read 0–1.
    expect(scoreRange(setAt(i, ['scores', 0, 'percent'], true), 'score', 'totaal', { shown: true })).toBeUndefined();
    expect(scoreRange(setAt(i, ['scores', 0, 'percent'], true), 'score', 'totaal')).toEqual({ min: 1, max: 4 });
    const mixed = setAt(i, ['domains', 0, 'items', 1, 'response'], { type: 'yes-no' });
    expect(scoreRange(mixed, 'domain', 'klimaat')).toEqual({ min: 0, max: 4 });
    const counted = setAt(i, ['domains', 0, 'items', 1, 'response'], { type: 'counter' });
    expect(scoreRange(counted, 'domain', 'klimaat')).toBeUndefined();
  });
});

describe('renames and removals reach the conditions on scores and the section targets', () => {
  const withRules = () =>
    setAt(
      { ...base(), format: 3 } as Instrument,
      ['rules'],
      [
        rule({ domain: 'klimaat', atMost: 2 }, { show: [{ domain: 'toelichting' }] }, 'laag'),
        rule(
          {
            any: [
              { score: 'totaal', atLeast: 3 },
              { item: 'c', in: [4] },
            ],
          },
          { notApplicable: [{ domain: 'toelichting' }, 'd'] },
          'hoog',
        ),
      ],
    );

  it('follows a renamed section and a renamed score', () => {
    expect(codes(withRules())).toEqual([]);
    let i = renameId(withRules(), ['domains', 0], 'sfeer');
    i = renameId(i, ['domains', 2], 'waarom-laag');
    i = renameId(i, ['scores', 0], 'alles');
    expect(i.rules.map((r) => [r.when, r.then])).toEqual([
      [{ domain: 'sfeer', atMost: 2 }, { show: [{ domain: 'waarom-laag' }] }],
      [
        {
          any: [
            { score: 'alles', atLeast: 3 },
            { item: 'c', in: [4] },
          ],
        },
        { notApplicable: [{ domain: 'waarom-laag' }, 'd'] },
      ],
    ]);
    expect(codes(i)).toEqual([]);
  });

  it('takes a removed section out of the targets; a rule left with nothing to do goes', () => {
    const i = removeEntry(withRules(), ['domains'], 2);
    expect(i.rules).toEqual([
      rule(
        {
          any: [
            { score: 'totaal', atLeast: 3 },
            { item: 'c', in: [4] },
          ],
        },
        { notApplicable: ['d'] },
        'hoog',
      ),
    ]);
  });

  it('removes a rule whose condition reads a removed score or section, as one reading a removed item', () => {
    // The score is gone: the rule reading it (within "any" too) could never be decided as written.
    const noScore = removeEntry(withRules(), ['scores'], 0);
    expect(noScore.rules.map((r) => r.when)).toEqual([{ domain: 'klimaat', atMost: 2 }]);
    const noItem = removeEntry(withRules(), ['domains', 1, 'items'], 0);
    expect(noItem.rules.map((r) => r.when)).toEqual([{ domain: 'klimaat', atMost: 2 }]);
    // The section is gone: with it the rule on its score and the named score that read only it.
    const noSection = removeEntry(withRules(), ['domains'], 0);
    expect(noSection.rules).toEqual([]);
    expect(noSection.scores).toEqual([]);
  });
});

describe('the rule in words', () => {
  afterAll(() => locale.set('nl'));

  it('says which score and its bounds, in Dutch and in English', async () => {
    const i = base();
    await locale.set('nl');
    expect(describeCondition(i, { domain: 'klimaat', atMost: 2.5 })).toBe(
      'de domeinscore van “Klimaat” is hoogstens 2,5',
    );
    expect(describeCondition(i, { score: 'totaal', atLeast: 3 })).toBe('de score “Totaal” is minstens 3');
    expect(
      describeCondition(i, {
        all: [
          { score: 'totaal', atLeast: 1, atMost: 2 },
          { item: 'c', in: [1] },
        ],
      }),
    ).toBe('de score “Totaal” ligt tussen 1 en 2 en "c" is beantwoord met: 1 – 1');
    await locale.set('en');
    expect(describeCondition(i, { domain: 'klimaat', atMost: 2.5 })).toBe(
      'the domain score of “Klimaat” is at most 2.5',
    );
    expect(describeCondition(i, { score: 'totaal', atLeast: 1, atMost: 2 })).toBe(
      'the score “Totaal” is between 1 and 2',
    );
  });
});
