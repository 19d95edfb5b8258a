/**
 * The one reference model: every name a part of an instrument gives another, found once, and the editor's renames
 * and removals and the validator's resolution reading it.
 */
import { describe, expect, it } from 'vitest';
import { conditionItems, instrumentReferences } from '../../src/core/instrument/references';
import { renameId, removeEntry } from '../../src/core/instrument/edit';
import { validateInstrument } from '../../src/core/instrument/validate';
import type { Instrument } from '../../src/core/instrument';
import { buildInstrumentV2 } from '../factories/instrument-factory';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const INSTRUMENTS = path.resolve(import.meta.dirname, '../../instruments');
const SHIPPED_INSTRUMENTS = readdirSync(INSTRUMENTS)
  .filter((file) => file.endsWith('.json') && !file.includes('schema'))
  .map((file) => JSON.parse(readFileSync(path.join(INSTRUMENTS, file), 'utf8')) as Instrument);

const named = (instrument: unknown) =>
  instrumentReferences(instrument).map((r) => `${r.role} ${r.kind} ${String(r.name)}${r.key ? ' (key)' : ''}`);

describe('the reference model', () => {
  it('finds each kind of name where it is written', () => {
    const instrument = {
      scales: [{ id: 'vier', scoring: 'dicho' }],
      domains: [
        {
          id: 'd',
          score: { method: 'mean', weights: { a: 2 }, map: 'dicho' },
          items: [
            { id: 'a', response: { type: 'rating', scale: 'vier', scoring: 'dicho' } },
            {
              id: 's',
              lookFors: [{ id: 'l1' }],
              response: { type: 'score', from: 'lookFors', method: 'mean', weights: { l1: 3 } },
            },
            {
              id: 'snap',
              response: {
                type: 'snapshot',
                fields: [
                  {
                    id: 'act',
                    response: { type: 'choice', groups: [{ id: 'g' }], options: [{ id: 'o', group: 'g' }] },
                  },
                ],
              },
            },
            {
              id: 'deel',
              response: { type: 'score', from: { snapshot: 'snap', field: 'act', in: ['o'] }, method: 'mean' },
            },
          ],
        },
      ],
      scores: [{ id: 'tot', from: [{ domain: 'd' }, { item: 'a' }], weights: { d: 2 }, method: 'mean' }],
      rules: [
        {
          id: 'r',
          when: {
            any: [
              { item: 'a', in: [1] },
              { item: 'snap', field: 'act', in: ['o'] },
            ],
          },
          then: { show: ['s'], require: ['a'] },
        },
      ],
    };
    expect(named(instrument)).toEqual([
      'uses map dicho',
      'uses map dicho',
      'weight item a (key)',
      'uses scale vier',
      'uses map dicho',
      'weight lookFor l1 (key)',
      'uses optionGroup g',
      'part item snap',
      'part field act',
      'part answer o',
      'part domain d',
      'part item a',
      'weight domain d (key)',
      'condition item a',
      'condition answer 1',
      'condition item snap',
      'condition field act',
      'condition answer o',
      'show item s',
      'require item a',
    ]);
    const field = instrumentReferences(instrument).find((r) => r.kind === 'field' && r.role === 'condition');
    expect(field).toMatchObject({ path: ['rules', 0, 'when', 'any', 1, 'field'], scope: { item: 'snap' } });
  });

  it('reads anything without throwing, and skips what is not a name', () => {
    for (const value of [null, 1, 'x', [], { domains: 'x' }, { rules: [{ when: { all: 'x' } }, null, 3] }])
      expect(() => instrumentReferences(value)).not.toThrow();
    expect(conditionItems({ all: [{ item: 'a' }, { count: [{ item: 'b' }, { item: 3 }] }] })).toEqual(['a', 'b']);
  });
});

describe('renames and removals through the model', () => {
  const everyItemId = (instrument: Instrument) =>
    instrument.domains.flatMap((d) => d.items.flatMap((item) => [item, ...(item.children ?? [])]));

  it.each(SHIPPED_INSTRUMENTS.map((i) => [i.id, i] as const))(
    'renames every item of %s: the file stays valid and the old name is nowhere',
    (_, instrument) => {
      for (const [d, domain] of instrument.domains.entries()) {
        for (const [i, item] of domain.items.entries()) {
          const renamed = renameId(instrument, ['domains', d, 'items', i], `${item.id}-nieuw`);
          expect(validateInstrument(renamed).problems).toEqual([]);
          expect(instrumentReferences(renamed).some((r) => r.kind === 'item' && r.name === item.id)).toBe(false);
        }
      }
    },
  );

  it.each(SHIPPED_INSTRUMENTS.map((i) => [i.id, i] as const))(
    'removes every item of %s: nothing names it any more',
    (_, instrument) => {
      for (const [d, domain] of instrument.domains.entries()) {
        for (const [i, item] of domain.items.entries()) {
          const gone = new Set([item.id, ...(item.children ?? []).map((c) => c.id)]);
          const removed = removeEntry(instrument, ['domains', d, 'items'], i);
          const left = instrumentReferences(removed).filter(
            (r) => r.kind === 'item' && gone.has(r.name as string) && r.path.at(-2) !== 'from',
          );
          expect(left).toEqual([]);
          expect(everyItemId(removed).some((other) => gone.has(other.id))).toBe(false);
        }
      }
    },
  );

  it('renames a scale where a snapshot field is rated on it, and a look-for where a rule tests for it', () => {
    let i = buildInstrumentV2();
    const snapshot = {
      id: 'snap',
      text: { nl: 'S', en: 'S' },
      response: {
        type: 'snapshot',
        schedule: { equalParts: 3 },
        fields: [{ id: 'f', label: { nl: 'F', en: 'F' }, response: { type: 'rating', scale: 'vier' } }],
      },
    };
    const list = {
      id: 'lijst',
      text: { nl: 'L', en: 'L' },
      lookFors: [
        { id: 'l1', text: { nl: 'K', en: 'K' } },
        { id: 'l2', text: { nl: 'M', en: 'M' } },
      ],
      response: { type: 'checklist' },
    };
    i = {
      ...i,
      domains: i.domains.map((d, n) => (n === 1 ? { ...d, items: [...d.items, snapshot, list] } : d)),
    } as Instrument;
    i = {
      ...i,
      rules: [...i.rules, { id: 'op-lijst', when: { item: 'lijst', in: ['l1'] }, then: { require: ['snap'] } }],
    };
    expect(validateInstrument(i).problems).toEqual([]);
    const scale = i.scales.findIndex((s) => s.id === 'vier');
    const renamedScale = renameId(i, ['scales', scale], 'vierpunts');
    expect(validateInstrument(renamedScale).problems).toEqual([]);
    const listIndex = i.domains[1]!.items.findIndex((item) => item.id === 'lijst');
    const renamedLookFor = renameId(i, ['domains', 1, 'items', listIndex, 'lookFors', 0], 'kijk-1');
    expect(renamedLookFor.rules.at(-1)!.when).toEqual({ item: 'lijst', in: ['kijk-1'] });
    expect(validateInstrument(renamedLookFor).problems).toEqual([]);
  });
});

describe('the validator resolves every name through the model', () => {
  it.each([
    ['a rule target', (i: Instrument) => (i.rules[0]!.then.notApplicable = ['weg']), 'ruleUnknownItem'],
    [
      'a scale',
      (i: Instrument) => ((i.domains[0]!.items[0]!.response as { scale: string }).scale = 'weg'),
      'unknownScale',
    ],
    ['a scoring map', (i: Instrument) => (i.scales[1]!.scoring = 'weg'), 'unknownMap'],
    ['a named score part', (i: Instrument) => (i.scores![0]!.from = [{ domain: 'weg' }]), 'scoreUnknownPart'],
  ])('says once that %s does not exist', (_, change, code) => {
    const instrument = structuredClone(buildInstrumentV2());
    change(instrument);
    const problems = validateInstrument(instrument).problems.filter((p) => p.code === code);
    expect(problems).toHaveLength(1);
  });
});

describe('what review found: renames and removals that over- or under-reach', () => {
  const withScores = () => {
    const i = structuredClone(buildInstrumentV2());
    const d = i.domains.findIndex((domain) => domain.score !== undefined && !domain.repeat);
    const id = i.domains[d]!.id;
    i.scores = [
      { id: 'een', label: { nl: 'Een', en: 'One' }, method: 'mean', from: [{ domain: id }] },
      { id: 'twee', label: { nl: 'Twee', en: 'Two' }, method: 'mean', from: [{ domain: id }] },
      { id: 'beide', label: { nl: 'Beide', en: 'Both' }, method: 'mean', from: [{ score: 'een' }, { score: 'twee' }] },
    ];
    return { i, d };
  };

  it('takes every named score left empty when a section goes, and the scores that read only them', () => {
    const { i, d } = withScores();
    expect(validateInstrument(i).problems).toEqual([]);
    const removed = removeEntry(i, ['domains'], d);
    expect(removed.scores).toEqual([]);
  });

  it('renames a question about the lesson where scores read it, and a removed one leaves no part behind', () => {
    let i = structuredClone(buildInstrumentV2()) as Instrument;
    i = {
      ...i,
      format: 3,
      context: [...i.context, { id: 'pupils', label: { nl: 'Leerlingen', en: 'Pupils' }, input: 'number' }],
      scores: [
        ...(i.scores ?? []),
        {
          id: 'per-leerling',
          label: { nl: 'Per leerling', en: 'Per pupil' },
          method: 'ratio',
          from: [{ score: i.scores![0]!.id }, { context: 'pupils' }],
        },
      ],
    };
    expect(validateInstrument(i).problems).toEqual([]);
    const at = i.context.length - 1;
    const renamed = renameId(i, ['context', at], 'leerlingen');
    expect(renamed.scores!.at(-1)!.from[1]).toEqual({ context: 'leerlingen' });
    expect(validateInstrument(renamed).problems).toEqual([]);
    const removed = removeEntry(i, ['context'], at);
    expect(removed.scores!.at(-1)!.from).toEqual([{ score: i.scores![0]!.id }]);
  });

  it('renames a look-for of a choice without touching the rule answers, which are the choice’s options', () => {
    const i = structuredClone(buildInstrumentV2()) as Instrument;
    const [d, n] = i.domains.flatMap((domain, dd) =>
      domain.items.flatMap((item, nn) => (item.response.type === 'choice' ? [[dd, nn] as const] : [])),
    )[0]!;
    const choice = i.domains[d]!.items[n]!;
    const option = (choice.response as { options: Array<{ id: string }> }).options[0]!.id;
    choice.lookFors = [{ id: option, text: { nl: 'Kijkpunt', en: 'Look-for' } }];
    i.rules = [
      {
        id: 'op-keuze',
        when: { item: choice.id, in: [option] },
        then: { notApplicable: [i.domains[d]!.items.find((x) => x !== choice)!.id] },
      },
    ];
    const renamed = renameId(i, ['domains', d, 'items', n, 'lookFors', 0], 'ander-kijkpunt');
    expect(renamed.rules[0]!.when).toEqual({ item: choice.id, in: [option] });
  });
});
