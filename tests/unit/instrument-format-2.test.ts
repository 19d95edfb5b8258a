/**
 * Format 2 in the validator: a file using every addition passes, old files stay valid, and each mistake an author
 * can make with the additions is refused at its own path with a plain message.
 */
import { describe, expect, it } from 'vitest';
import { validateInstrument } from '../../src/core/instrument/validate';
import type { ProblemCode } from '../../src/core/instrument';
import { buildInstrument, buildInstrumentV2 } from '../factories/instrument-factory';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Draft = any;
const broken = (change: (d: Draft) => void) => {
  const copy = structuredClone(buildInstrumentV2()) as Draft;
  change(copy);
  return copy;
};
const rule = (d: Draft, id: string) => d.rules.find((r: Draft) => r.id === id);

describe('format 2', () => {
  it('accepts a file that uses every addition', () => {
    expect(validateInstrument(buildInstrumentV2()).problems).toEqual([]);
  });

  it('accepts sections repeated together, ranges that meet, snapshot shares, a described derived level, show with require', () => {
    const d = structuredClone(buildInstrumentV2()) as Draft;
    d.domains[0].repeat.group = 'cycli';
    d.domains[1].repeat = { ...d.domains[0].repeat };
    d.scoringMaps.push({
      id: 'aandeel',
      entries: [
        { min: 0, below: 0.5, score: 0 },
        { min: 0.5, max: 1, score: 1 },
      ],
    });
    d.domains[2].items.push({
      id: 'aandeel',
      text: d.domains[2].items[0].text,
      response: {
        type: 'score',
        method: 'mean',
        map: 'aandeel',
        from: { snapshot: 'betrokken', field: 'onrust', in: [6, 7] },
      },
    });
    d.domains[1].items[1].response.scale = 'vier';
    d.domains[1].items[1].descriptors = Object.fromEntries(
      [1, 2, 3, 4].map((v) => [String(v), { nl: `n${v}`, en: `e${v}` }]),
    );
    d.rules[1].then.require = ['vervolg'];
    d.rules.splice(2, 1);
    d.rules[0].then.require = ['toelichting'];
    const result = validateInstrument(d);
    // Rules across sections: section "instructie" now shares the cycles, so rule 1 reads and acts inside one group.
    expect(result.problems).toEqual([]);
  });

  it('explains a broken condition by the shape its keys show, without the other shapes’ complaints', () => {
    const d = broken((x) => {
      x.rules[0].when = { item: 'spanning', in: [] };
      x.rules[1].when = { all: [{ item: 'doel', in: [1] }] };
      x.rules[2].when = { item: 'doel' };
    });
    const problems = validateInstrument(d).problems.filter((p) => p.path.startsWith('$.rules'));
    expect(problems.map((p) => `${p.path} ${p.code}`)).toEqual([
      '$.rules[0].when.in tooFew',
      '$.rules[1].when.all tooFew',
      '$.rules[2].when conditionWithoutBounds',
    ]);
  });

  it('keeps format 1 files valid', () => {
    expect(validateInstrument(buildInstrument()).problems).toEqual([]);
  });

  it('tells a format 1 file that uses an addition to declare format 2', () => {
    const result = validateInstrument({ ...buildInstrumentV2(), format: 1 });
    expect(result.ok).toBe(false);
    const paths = result.problems.filter((p) => p.code === 'needsFormat2').map((p) => p.path);
    expect(paths).toContain('$.scales[0].bands');
    expect(paths.length).toBeLessThanOrEqual(5);
    expect(result.problems.find((p) => p.code === 'needsFormat2')!.message.en).toContain('"format": 2');
  });

  const cases: Array<{ name: string; input: unknown; path: string; code: ProblemCode; says?: string }> = [
    {
      name: 'a band bound that is not a level',
      input: broken((d) => (d.scales[0].bands[0].max = 8)),
      path: '$.scales[0].bands[0].max',
      code: 'bandNotALevel',
    },
    {
      name: 'overlapping bands',
      input: broken((d) => (d.scales[0].bands[1].min = 2)),
      path: '$.scales[0].bands[1].min',
      code: 'bandsOverlap',
    },
    {
      name: 'a level in no band',
      input: broken((d) => (d.scales[0].bands[2].min = 7)),
      path: '$.scales[0].bands',
      code: 'bandsIncomplete',
    },
    {
      name: 'a descriptor key that is neither a level nor a band',
      input: broken((d) => (d.domains[0].items[0].descriptors.mid = d.domains[0].items[0].descriptors.midden)),
      path: '$.domains[0].items[0].descriptors.mid',
      code: 'descriptorUnknownLevel',
    },
    {
      name: 'a level key written loosely ("01")',
      input: broken((d) => {
        d.domains[1].items[0].descriptors = {
          '01': { nl: 'a', en: 'a' },
          '2': { nl: 'b', en: 'b' },
          '3': { nl: 'c', en: 'c' },
          '4': { nl: 'd', en: 'd' },
        };
      }),
      path: '$.domains[1].items[0].descriptors["01"]',
      code: 'descriptorWrongKey',
    },
    {
      name: 'a level described by its value and its band',
      input: broken((d) => (d.domains[0].items[0].descriptors['1'] = { nl: 'a', en: 'a' })),
      // Object keys that are numbers come first, so the band is the second description of level 1.
      path: '$.domains[0].items[0].descriptors.laag',
      code: 'descriptorOverlap',
    },
    {
      name: 'an unknown scoring map',
      input: broken((d) => (d.scales[1].scoring = 'nope')),
      path: '$.scales[1].scoring',
      code: 'unknownMap',
    },
    {
      name: 'a scoring map that misses a level',
      input: broken((d) => (d.scoringMaps[0].entries[1].max = 3)),
      path: '$.scales[1].scoring',
      code: 'mapMissesLevels',
    },
    {
      name: 'overlapping map ranges',
      input: broken((d) => (d.scoringMaps[0].entries[1].min = 2)),
      path: '$.scoringMaps[0].entries[1]',
      code: 'mapOverlap',
    },
    {
      name: 'weights on a minimum',
      input: broken((d) => (d.domains[1].score = { method: 'min', weights: { doel: 2 } })),
      path: '$.domains[1].score.weights',
      code: 'weightsWithoutMean',
    },
    {
      name: 'a weight for something not in the score',
      input: broken((d) => (d.domains[1].score.weights = { nope: 2 })),
      path: '$.domains[1].score.weights.nope',
      code: 'weightUnknownPart',
    },
    {
      name: 'a score from children without children',
      input: broken((d) => delete d.domains[1].items[1].children),
      path: '$.domains[1].items[1].response.from',
      code: 'scoreWithoutParts',
    },
    {
      name: 'a score reading an unknown item',
      input: broken((d) => (d.domains[1].items[1].response.from = { items: ['nope'] })),
      path: '$.domains[1].items[1].response.from.items[0]',
      code: 'scoreUnknownPart',
    },
    {
      name: 'score items that read each other',
      input: broken((d) => {
        d.domains[1].items[1].response.from = { items: ['kijkpunten'] };
        d.domains[1].items[2].response.from = { items: ['element'] };
      }),
      path: '$.domains[1].items[1].response.from',
      code: 'scoreCircular',
    },
    {
      name: 'a named score reading itself',
      input: broken((d) => d.scores[0].from.push({ score: 'totaal' }) && d.scores[1].from.push({ score: 'totaal' })),
      path: '$.scores[1].from',
      code: 'scoreCircular',
    },
    {
      name: 'a named score reading an unknown domain',
      input: broken((d) => (d.scores[0].from[0].domain = 'nope')),
      path: '$.scores[0].from[0].domain',
      code: 'scoreUnknownPart',
    },
    {
      name: 'an option without its group',
      input: broken((d) => delete d.domains[1].items[3].response.options[2].group),
      path: '$.domains[1].items[3].response.options[2]',
      code: 'optionWithoutGroup',
    },
    {
      name: 'an option in an unknown group',
      input: broken((d) => (d.domains[1].items[3].response.options[2].group = 'nope')),
      path: '$.domains[1].items[3].response.options[2].group',
      code: 'unknownGroup',
    },
    {
      name: 'a group with no options',
      input: broken((d) => (d.domains[1].items[3].response.options[2].group = 'klassikaal')),
      path: '$.domains[1].items[3].response.groups[1]',
      code: 'emptyGroup',
    },
    {
      name: 'two schedule forms at once',
      input: broken((d) => (d.domains[2].items[0].response.schedule.atMinutes = [5])),
      path: '$.domains[2].items[0].response.schedule',
      code: 'scheduleForm',
    },
    {
      name: 'a reverse-keyed counter field',
      input: broken((d) => (d.domains[2].items[0].response.fields[0].reverse = true)),
      path: '$.domains[2].items[0].response.fields[0].reverse',
      code: 'reverseWithoutRating',
    },
    {
      name: 'seen / not seen without look-fors',
      input: broken((d) => (d.domains[0].items[0].lookForAnswer = 'seen-not-seen')),
      path: '$.domains[0].items[0].lookForAnswer',
      code: 'lookForAnswerWithoutLookFors',
    },
    {
      name: 'maxEntries without a list',
      input: broken((d) => delete d.domains[3].items[1].response.repeatable),
      path: '$.domains[3].items[1].response.maxEntries',
      code: 'maxEntriesWithoutRepeatable',
    },
    {
      name: 'a required score',
      input: broken((d) => (d.domains[1].items[1].required = true)),
      path: '$.domains[1].items[1].required',
      code: 'scoreNotAnswered',
    },
    {
      name: 'a range on a choice',
      input: broken((d) => (rule(d, 'vervolg-tonen').when.any[1] = { item: 'werkvorm', atLeast: 1 })),
      path: '$.rules[1].when.any[1].item',
      code: 'conditionNotNumeric',
    },
    {
      name: 'a range that can never hold',
      input: broken((d) => (rule(d, 'spanning-toelichten').when.atLeast = 9)),
      path: '$.rules[0].when.atLeast',
      code: 'conditionNeverTrue',
    },
    {
      name: 'an inverted range',
      input: broken((d) => (rule(d, 'spanning-toelichten').when.atMost = 2)),
      path: '$.rules[0].when.atLeast',
      code: 'rangeInverted',
    },
    {
      name: 'a field of an item that is no snapshot',
      input: broken((d) => (rule(d, 'spanning-toelichten').when.field = 'x')),
      path: '$.rules[0].when.field',
      code: 'conditionFieldNotSnapshot',
    },
    {
      name: 'an unknown snapshot field',
      input: broken((d) => (rule(d, 'onrust-vaak').when.count[0].field = 'nope')),
      path: '$.rules[2].when.count[0].field',
      code: 'conditionUnknownField',
    },
    {
      name: 'the same condition twice in an any',
      input: broken((d) => (rule(d, 'vervolg-tonen').when.any[1] = { item: 'doel', in: [2, 1] })),
      path: '$.rules[1].when.any[1]',
      code: 'conditionRepeated',
    },
    {
      name: 'a condition true for every answer',
      input: broken((d) => (rule(d, 'vervolg-tonen').when.any[0].in = [1, 2, 3, 4])),
      path: '$.rules[1].when.any[0].in',
      code: 'conditionAlwaysTrue',
    },
    {
      name: 'a count asking for more than it has',
      input: broken((d) => (rule(d, 'onrust-vaak').when.atLeast = 3)),
      path: '$.rules[2].when.atLeast',
      code: 'conditionNeverTrue',
    },
    {
      name: 'a duplicate rule (conditions written in another order)',
      input: broken((d) =>
        d.rules.push({
          id: 'kopie',
          when: {
            any: [
              { item: 'werkvorm', in: ['taak'] },
              { item: 'doel', in: [2, 1] },
            ],
          },
          then: { show: ['vervolg'] },
        }),
      ),
      path: '$.rules[3]',
      code: 'duplicateRule',
    },
    {
      name: 'a rule that repeats part of another',
      input: broken((d) =>
        d.rules.push({
          id: 'deels',
          when: { item: 'spanning', atLeast: 5 },
          then: { require: ['toelichting'], notApplicable: ['warmte'] },
        }),
      ),
      path: '$.rules[3]',
      code: 'redundantRule',
    },
    {
      name: 'a rule doing two things to one item',
      input: broken((d) => (rule(d, 'vervolg-tonen').then.notApplicable = ['vervolg'])),
      path: '$.rules[1].then.show[0]',
      code: 'ruleConflictingEffects',
      says: '(make not applicable and show)',
    },
    {
      name: 'a rule from a cycle acting outside it',
      input: broken((d) => (rule(d, 'spanning-toelichten').then.require = ['doel'])),
      path: '$.rules[0].then.require[0]',
      code: 'ruleAcrossSections',
    },
    {
      name: 'a show target that does not exist',
      input: broken((d) => (rule(d, 'vervolg-tonen').then.show = ['nope'])),
      path: '$.rules[1].then.show[0]',
      code: 'ruleUnknownItem',
    },
    {
      name: 'a band label in a missing language',
      input: broken((d) => delete d.scales[0].bands[0].label.en),
      path: '$.scales[0].bands[0].label.en',
      code: 'missingTranslation',
    },
    {
      name: 'a repeat label in a missing language',
      input: broken((d) => delete d.domains[0].repeat.label.en),
      path: '$.domains[0].repeat.label.en',
      code: 'missingTranslation',
    },
    {
      name: 'an inverted cycle count',
      input: broken((d) => (d.domains[0].repeat.max = 1)),
      path: '$.domains[0].repeat.min',
      code: 'rangeInverted',
    },
    {
      name: 'sections repeated together that disagree',
      input: broken((d) => {
        d.domains[0].repeat.group = 'cycli';
        d.domains[1].repeat = { ...d.domains[0].repeat, max: 4 };
      }),
      path: '$.domains[1].repeat.max',
      code: 'repeatGroupDisagrees',
    },
    {
      name: 'a map range ending before it starts',
      input: broken((d) => (d.scoringMaps[0].entries[0] = { min: 1, below: 1, score: 0 })),
      path: '$.scoringMaps[0].entries[0].min',
      code: 'rangeInverted',
    },
    {
      name: 'a snapshot score over an unknown field',
      input: broken((d) =>
        d.domains[2].items.push({
          id: 'aandeel',
          text: d.domains[2].items[0].text,
          response: { type: 'score', method: 'mean', from: { snapshot: 'betrokken', field: 'nope' } },
        }),
      ),
      path: '$.domains[2].items[1].response.from.field',
      code: 'conditionUnknownField',
    },
    {
      name: 'a snapshot share of values the field cannot have',
      input: broken((d) =>
        d.domains[2].items.push({
          id: 'aandeel',
          text: d.domains[2].items[0].text,
          response: { type: 'score', method: 'mean', from: { snapshot: 'betrokken', field: 'onrust', in: [9] } },
        }),
      ),
      path: '$.domains[2].items[1].response.from.in[0]',
      code: 'ruleUnknownAnswer',
    },
    {
      name: 'descriptors on a score without a scale',
      input: broken((d) => (d.domains[1].items[1].descriptors = { '1': { nl: 'a', en: 'a' } })),
      path: '$.domains[1].items[1].descriptors',
      code: 'descriptorsWithoutScale',
    },
    {
      name: 'min/max on a date context field',
      input: broken((d) => (d.context[1].min = 1)),
      path: '$.context[1].min',
      code: 'fieldNotForInput',
    },
  ];

  it.each(cases)('refuses $name', ({ input, path, code, says }) => {
    const result = validateInstrument(input);
    expect(result.ok).toBe(false);
    const found = result.problems.find((p) => p.path === path && p.code === code);
    expect(
      found,
      `expected ${code} at ${path}; got:\n${result.problems.map((p) => `${p.path} ${p.code}: ${p.message.en}`).join('\n')}`,
    ).toBeDefined();
    expect(found!.message.nl).not.toBe(found!.message.en);
    if (says) expect(found!.message.en).toContain(says);
  });
});
