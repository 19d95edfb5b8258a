/**
 * The instrument editor's model (src/core/instrument/edit/) and where its problems show
 * (src/ui/features/instruments/editor-fields.ts): adding, removing and moving entries with what depends on them,
 * ids made from texts and unique, fields the editor does not know kept exactly, and every validator problem put at
 * the field it is about.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  exampleAnswer,
  exampleAnswers,
  exampleCycles,
  scorePreview,
  addCondition,
  addEffect,
  conditionChoices,
  conditionJoin,
  conditionLeaves,
  conditionTargets,
  isEditableRule,
  removeCondition,
  removeEffect,
  setConditionAnswer,
  setConditionItem,
  setConditionJoin,
  setConditionMode,
  setEffectKind,
  setEffectTarget,
  addBand,
  addChild,
  setBasedOn,
  setEvidence,
  addCounterBand,
  addDomain,
  addItem,
  addLevel,
  addLookFor,
  addMapEntry,
  addOption,
  addOptionGroup,
  addRule,
  addScore,
  addScoringMap,
  addSnapshotField,
  addSnapshotMinute,
  copyOf,
  editText,
  getAt,
  isSimpleRule,
  lockedIdsOf,
  moveEntry,
  moveLevel,
  newInstrument,
  newVersionOf,
  nextVersion,
  removeEntry,
  removeLevel,
  renameId,
  setAt,
  setContextInput,
  setDomainScore,
  setFieldResponseType,
  setItemDescriptors,
  setLookForAnswer,
  setMapEntryEnd,
  setRepeat,
  setRepeatable,
  setRequired,
  setRespondent,
  setSchedule,
  setScoreFrom,
  setScoreItem,
  setScoreMethod,
  setScoreSource,
  setSnapshotSource,
  setSnapshotValue,
  setWeight,
  setLanguages,
  setLevelValue,
  setResponseType,
  setRuleAnswer,
  setRuleTarget,
  setRuleTrigger,
  setScaleDescriptors,
  setText,
  slugify,
  uniqueId,
  SCORE_METHODS,
  SCORE_FROM,
  SCHEDULE_KINDS,
  FIELD_RESPONSE_TYPES,
  scoreFromKind,
  scheduleKind,
  sourceId,
  takesWeights,
  everySnapshot,
} from '../../src/core/instrument/edit';
import { validateInstrument } from '../../src/core/instrument/validate';
import { scoreObservation } from '../../src/core/instrument/scoring';
import type { AnswerCondition, Instrument, SnapshotSchedule } from '../../src/core/instrument';
import {
  editorFields,
  fieldId,
  placeProblems,
  tidyRuleProblems,
} from '../../src/ui/features/instruments/editor-fields';
import { formatPath } from '../../src/core/instrument/problems';
import { parsePath } from '../../src/core/instrument/json-path';
import { instrumentJson } from '../../src/ui/features/instruments/export-instrument';
import { both, buildInstrument, buildInstrumentV2 } from '../factories/instrument-factory';

const ITEM = ['domains', 0, 'items', 0] as const;
/** The answers the first rule tests for (the editor's rules test an item's answer). */
const answers = (i: Instrument) => (i.rules[0]!.when as AnswerCondition).in;
const problemsOf = (instrument: Instrument) =>
  validateInstrument(JSON.parse(JSON.stringify(instrument))).problems.map((p) => `${p.path} ${p.code}`);

/** A small valid instrument built with the editor's own steps, as an author on a tablet would. */
function written(): Instrument {
  let i = newInstrument({ languages: ['nl'] });
  i = editText(i, [], 'title', 'nl', 'Kijkwijzer rekenles');
  i = editText(i, [], 'description', 'nl', 'Voor de rekenles in groep 5 tot en met 8.');
  i = editText(i, ['domains', 0], 'title', 'nl', 'Instructie');
  i = editText(i, ITEM, 'text', 'nl', 'De leerkracht noemt het lesdoel');
  return i;
}

describe('ids', () => {
  it('are made from a text: lowercase, no accents, articles dropped, cut at a word', () => {
    expect(slugify('De leerkracht zorgt voor een veilig klimaat')).toBe('leerkracht-zorgt-voor-veilig');
    expect(slugify('Één café, twee thee’s!')).toBe('cafe-twee-thee-s');
    expect(slugify('Een')).toBe('een');
    expect(slugify('Het')).toBe('het');
    expect(slugify('   ')).toBe('');
    expect(slugify('a'.repeat(50))).toHaveLength(32);
    for (const text of ['Groep 5/6 – rekenen', 'x', '1 2 3']) expect(slugify(text)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('are unique: a taken id gets a number', () => {
    expect(uniqueId('item', [])).toBe('item');
    expect(uniqueId('item', ['item', 'item-2'])).toBe('item-3');
  });

  it('follow the text while they were made from it, and keep references right', () => {
    let i = written();
    expect(i.id).toBe('kijkwijzer-rekenles');
    expect(i.domains[0]!.id).toBe('instructie');
    expect(i.domains[0]!.items[0]!.id).toBe('leerkracht-noemt-lesdoel');
    i = addItem(i, 0).instrument;
    i = editText(i, ['domains', 0, 'items', 1], 'text', 'nl', 'De leerkracht noemt het lesdoel');
    // Two items with the same text still get different ids.
    expect(i.domains[0]!.items[1]!.id).toBe('leerkracht-noemt-lesdoel-2');
    i = addRule(i).instrument;
    i = setRuleTarget(i, 0, 'leerkracht-noemt-lesdoel-2', true);
    i = editText(i, ['domains', 0, 'items', 1], 'text', 'nl', 'De leerkracht controleert begrip');
    expect(i.domains[0]!.items[1]!.id).toBe('leerkracht-controleert-begrip');
    expect(i.rules[0]!.then.notApplicable).toEqual(['leerkracht-controleert-begrip']);
    // An id typed by hand, or in another language's text, does not follow.
    i = renameId(i, ['domains', 0, 'items', 1], 'begrip');
    i = editText(i, ['domains', 0, 'items', 1], 'text', 'nl', 'De leerkracht controleert het begrip');
    expect(i.domains[0]!.items[1]!.id).toBe('begrip');
    expect(i.rules[0]!.then.notApplicable).toEqual(['begrip']);
  });

  it('of a version an instrument starts from never change by themselves', () => {
    const base = buildInstrument();
    const version = newVersionOf(base, ['1.0.0']);
    const locked = lockedIdsOf(base);
    const renamedDomain = setAt(version, ['domains', 0, 'id'], 'klimaat');
    const edited = editText(renamedDomain, ['domains', 0], 'title', 'nl', 'Pedagogisch klimaat', { lockedIds: locked });
    expect(edited.domains[0]!.id).toBe('klimaat');
    // Without the lock an id made from the old title would follow it.
    const free = editText(
      setAt(version, ['domains', 0, 'title', 'nl'], 'Klimaat'),
      ['domains', 0],
      'title',
      'nl',
      'Pedagogisch klimaat',
    );
    expect(free.domains[0]!.id).toBe('pedagogisch-klimaat');
  });

  it('of a new instrument stay clear of the instruments installed', () => {
    const i = editText(
      newInstrument({ languages: ['nl'], otherInstrumentIds: ['instrument'] }),
      [],
      'title',
      'nl',
      'Lesobservatie',
      { otherInstrumentIds: ['lesobservatie'] },
    );
    expect(i.id).toBe('lesobservatie-2');
  });

  it('renamed by hand are renamed in rules, ratings and rule answers', () => {
    let i = buildInstrument();
    i = renameId(i, ['scales', 0], 'vierpunts');
    expect(getAt(i, [...ITEM, 'response'])).toEqual({ type: 'rating', scale: 'vierpunts' });
    const keuze = ['domains', 1, 'items', 2];
    expect(getAt(i, [...keuze, 'id']) as string).toBe('keuze');
    i = setRuleTrigger(i, 0, 'keuze');
    i = setRuleAnswer(i, 0, 'a', true);
    i = setRuleTarget(i, 0, 'k2', true);
    i = renameId(i, [...keuze, 'response', 'options', 0], 'optie-a');
    expect(i.rules[0]!.when).toEqual({ item: 'keuze', in: ['optie-a'] });
    expect(problemsOf(i)).toEqual([]);
  });
});

describe('starting points', () => {
  it('a new instrument: a 1–4 scale, group and subject, one domain with one item; only its texts are missing', () => {
    const i = newInstrument({ languages: ['nl', 'en'] });
    expect(i.scales[0]!.levels.map((l) => [l.value, l.label])).toEqual([
      [1, { nl: 'Onvoldoende', en: 'Insufficient' }],
      [2, { nl: 'Matig', en: 'Weak' }],
      [3, { nl: 'Voldoende', en: 'Sufficient' }],
      [4, { nl: 'Goed', en: 'Good' }],
    ]);
    expect(i.context.map((c) => c.id)).toEqual(['group', 'subject']);
    expect(new Set(validateInstrument(i).problems.map((p) => p.code))).toEqual(new Set(['empty']));
    expect(problemsOf(written())).toEqual([]);
  });

  it('a new version: the same instrument and ids, the next free version', () => {
    const base = buildInstrument();
    expect(nextVersion(['1.0.0', '1.2.0', '1.10.0', 'x'])).toBe('1.11.0');
    expect(nextVersion([])).toBe('1.0.0');
    const version = newVersionOf(base, ['1.0.0', '1.1.0']);
    expect(version).toEqual({ ...base, version: '1.2.0' });
    expect(version.domains).not.toBe(base.domains);
  });

  it('a copy: an id of its own made from its title, version 1.0.0', () => {
    const copy = copyOf(buildInstrument({ version: '2.3.0' }), ['testinstrument-kopie']);
    expect(copy.title).toEqual({ nl: 'Testinstrument (kopie)', en: 'Test instrument (copy)' });
    expect(copy.id).toBe('testinstrument-kopie-2');
    expect(copy.version).toBe('1.0.0');
    expect(problemsOf(copy)).toEqual([]);
  });
});

describe('lists', () => {
  it('add a domain (with an item), an item, a look-for, a choice, with fresh ids', () => {
    let i = written();
    const domain = addDomain(i);
    expect(domain.index).toBe(1);
    i = domain.instrument;
    expect(i.domains[1]).toMatchObject({
      id: 'domain',
      items: [{ id: 'item', response: { type: 'rating', scale: 'scale' } }],
    });
    const item = addItem(i, 1, 0);
    expect(item.index).toBe(1);
    i = item.instrument;
    expect(i.domains[1]!.items.map((x) => x.id)).toEqual(['item', 'item-2']);
    i = addLookFor(i, ITEM).instrument;
    i = addLookFor(i, ITEM).instrument;
    expect(i.domains[0]!.items[0]!.lookFors!.map((l) => l.id)).toEqual(['look-for', 'look-for-2']);
    i = setContextInput(i, 0, 'choice');
    i = addOption(i, ['context', 0, 'options']).instrument;
    expect(i.context[0]!.options!.map((o) => o.id)).toEqual(['option', 'option-2', 'option-3']);
  });

  it('move an entry up and down within its list, and nowhere past its ends', () => {
    const i = buildInstrument();
    const ids = (x: Instrument) => x.domains[0]!.items.map((item) => item.id);
    const down = moveEntry(i, ['domains', 0, 'items'], 0, 1);
    expect([down.index, ids(down.instrument)]).toEqual([1, ['k2', 'k1', 'k3']]);
    const up = moveEntry(down.instrument, ['domains', 0, 'items'], 1, -1);
    expect(ids(up.instrument)).toEqual(['k1', 'k2', 'k3']);
    expect(moveEntry(i, ['domains', 0, 'items'], 0, -1).instrument).toBe(i);
    expect(moveEntry(i, ['domains', 0, 'items'], 2, 1).instrument).toBe(i);
  });

  it('remove an item with the rules that depended on it, and a rule left without targets', () => {
    let base = buildInstrument();
    expect(base.rules[0]).toMatchObject({ when: { item: 'janee' }, then: { notApplicable: ['keuze'] } });
    base = setRuleTarget(base, 0, 'k2', true);
    // Removing a target leaves the rule its other targets.
    const keuze = base.domains[1]!.items.findIndex((item) => item.id === 'keuze');
    expect(removeEntry(base, ['domains', 1, 'items'], keuze).rules[0]!.then.notApplicable).toEqual(['k2']);
    // A rule left with nothing to do goes.
    const withoutK2 = removeEntry(base, ['domains', 0, 'items'], 1);
    expect(removeEntry(withoutK2, ['domains', 1, 'items'], keuze).rules).toEqual([]);
    // Removing the trigger removes the rule.
    const janee = base.domains[1]!.items.findIndex((item) => item.id === 'janee');
    expect(removeEntry(base, ['domains', 1, 'items'], janee).rules).toEqual([]);
    // Removing a domain removes its items' rules too.
    expect(removeEntry(base, ['domains'], 1).rules).toEqual([]);
    // The last look-for leaves no empty list behind.
    let i = written();
    i = addLookFor(i, ITEM).instrument;
    i = removeEntry(i, [...ITEM, 'lookFors'], 0);
    expect('lookFors' in i.domains[0]!.items[0]!).toBe(false);
    expect(problemsOf(i)).toEqual([]);
  });

  it('remove a choice option with the rule answers that named it', () => {
    let i = buildInstrument();
    i = setRuleTrigger(i, 0, 'keuze');
    i = setRuleAnswer(i, 0, 'b', true);
    i = setRuleAnswer(i, 0, 'a', true);
    expect(answers(i)).toEqual(['a', 'b']);
    i = removeEntry(i, ['domains', 1, 'items', 2, 'response', 'options'], 0);
    expect(answers(i)).toEqual(['b']);
  });
});

describe('behaviours under an element', () => {
  it('are items of their own with ids unique in the file; the last one removed leaves no empty list', () => {
    let i = written();
    const added = addChild(i, ITEM);
    i = added.instrument;
    expect(added.index).toBe(0);
    i = addChild(i, ITEM).instrument;
    const children = i.domains[0]!.items[0]!.children!;
    expect(children.map((child) => child.id)).toEqual(['behaviour', 'behaviour-2']);
    expect(children[0]!.response).toEqual({ type: 'rating', scale: i.scales[0]!.id });
    i = editText(i, [...ITEM, 'children', 0], 'text', 'nl', 'Geeft een voorbeeld');
    i = editText(i, [...ITEM, 'children', 1], 'text', 'nl', 'Laat leerlingen het zelf doen');
    expect(problemsOf(i)).toEqual([]);
    // An item added to the domain gets an id no behaviour has.
    i = addItem(i, 0).instrument;
    const ids = [...i.domains[0]!.items.map((item) => item.id), ...children.map((child) => child.id)];
    expect(new Set(ids).size).toBe(ids.length);
    // A score from the behaviours; a rule on a behaviour goes with it.
    i = setResponseType(i, ITEM, 'score');
    expect(i.domains[0]!.items[0]!.response).toMatchObject({ type: 'score', from: 'children' });
    const behaviour = i.domains[0]!.items[0]!.children![0]!.id;
    i = {
      ...i,
      rules: [{ id: 'r', when: { item: behaviour, in: [1] }, then: { notApplicable: [i.domains[0]!.items[1]!.id] } }],
    };
    i = removeEntry(i, [...ITEM, 'children'], 0);
    expect(i.rules).toEqual([]);
    i = removeEntry(i, [...ITEM, 'children'], 0);
    expect('children' in i.domains[0]!.items[0]!).toBe(false);
  });
});

describe('an item’s note, its difficulty and a variant’s base', () => {
  it('a note is offered by default except on free text; only a change from the default is written down', () => {
    let i = written();
    i = setEvidence(i, ITEM, false);
    expect(getAt(i, [...ITEM, 'evidence'])).toBe(false);
    i = setEvidence(i, ITEM, true);
    expect('evidence' in i.domains[0]!.items[0]!).toBe(false);
    i = setResponseType(i, ITEM, 'text');
    i = setEvidence(i, ITEM, true);
    expect(getAt(i, [...ITEM, 'evidence'])).toBe(true);
    expect(problemsOf(i)).toEqual([]);
  });

  it('a difficulty and a base are valid where the editor sets them, and their problems show at their fields', () => {
    let i = setAt(written(), [...ITEM, 'difficulty'], 1.5);
    i = setBasedOn({ ...i, kind: 'self-assessment' }, { id: 'lesobservatie', version: '2.0.0' });
    expect(i.basedOn).toEqual({ id: 'lesobservatie', version: '2.0.0' });
    expect(problemsOf(i)).toEqual([]);
    // Based on itself: told at the base's field.
    const self = setBasedOn(i, { id: i.id, version: '1.0.0' });
    const placed = placeProblems(validateInstrument(self).problems, editorFields(self));
    expect(placed.all.map((p) => `${p.problem.code} ${p.field}`)).toEqual(['basedOnSelf $.basedOn']);
    expect('basedOn' in setBasedOn(i, undefined)).toBe(false);
    const tooHard = setAt(i, [...ITEM, 'difficulty'], 'moeilijk');
    const wrong = placeProblems(validateInstrument(tooHard).problems, editorFields(tooHard));
    expect(wrong.all.map((p) => p.field)).toEqual(['$.domains[0].items[0].difficulty']);
  });
});

describe('counter bands', () => {
  const COUNTER = ['domains', 1, 'items', 3] as const;
  function counted(): Instrument {
    let i = buildInstrument();
    expect(getAt(i, [...COUNTER, 'response', 'type'])).toBe('counter');
    i = setAt(i, [...COUNTER, 'response', 'bands'], undefined);
    i = setAt(i, [...COUNTER, 'response', 'min'], 0);
    return i;
  }
  it('are added above the last one, the open top one closed where the new one starts', () => {
    let i = counted();
    i = addCounterBand(i, [...COUNTER, 'response']).instrument;
    i = addCounterBand(i, [...COUNTER, 'response']).instrument;
    i = setAt(i, [...COUNTER, 'response', 'bands', 1, 'min'], 2);
    i = addCounterBand(i, [...COUNTER, 'response']).instrument;
    const bands = getAt(i, [...COUNTER, 'response', 'bands']) as Array<{ id: string; min: number; max?: number }>;
    expect(bands.map(({ id, min, max }) => ({ id, min, max }))).toEqual([
      { id: 'band', min: 0, max: 0 },
      { id: 'band-2', min: 2, max: 2 },
      { id: 'band-3', min: 3, max: undefined },
    ]);
  });

  it('renamed or removed, take the rule answers that named them along', () => {
    let i = counted();
    const counter = getAt(i, [...COUNTER, 'id']) as string;
    for (let b = 0; b < 2; b++) i = addCounterBand(i, [...COUNTER, 'response']).instrument;
    i = {
      ...i,
      rules: [{ id: 'r', when: { item: counter, in: ['band', 'band-2'] }, then: { notApplicable: ['keuze'] } }],
    };
    i = renameId(i, [...COUNTER, 'response', 'bands', 0], 'weinig');
    expect(answers(i)).toEqual(['weinig', 'band-2']);
    i = removeEntry(i, [...COUNTER, 'response', 'bands'], 1);
    expect(answers(i)).toEqual(['weinig']);
    i = removeEntry(i, [...COUNTER, 'response', 'bands'], 0);
    expect('bands' in (getAt(i, [...COUNTER, 'response']) as object)).toBe(false);
    // As with a choice's options: the rule stays, its answer to be chosen again (the validator says so).
    expect(answers(i)).toEqual([]);
  });
});

describe('scales', () => {
  it('a level added gets the next value, and items with descriptors an empty one for it', () => {
    let i = buildInstrument();
    i = addLevel(i, 0).instrument;
    expect(i.scales[0]!.levels.at(-1)).toMatchObject({
      value: 5,
      label: { nl: '', en: '' },
      descriptor: { nl: '', en: '' },
    });
    expect(i.domains[0]!.items[0]!.descriptors!['5']).toEqual({ nl: '', en: '' });
    expect(problemsOf(i).every((p) => p.endsWith(' empty'))).toBe(true);
  });

  it('a level removed takes its item descriptors and rule answers along', () => {
    let i = buildInstrument();
    i = setRuleTrigger(i, 0, 'k1');
    i = setRuleAnswer(i, 0, 1, true);
    i = setRuleAnswer(i, 0, 2, true);
    i = removeLevel(i, 0, 0);
    expect(i.scales[0]!.levels.map((l) => l.value)).toEqual([2, 3, 4]);
    expect(Object.keys(i.domains[0]!.items[0]!.descriptors!)).toEqual(['2', '3', '4']);
    expect(answers(i)).toEqual([2]);
    expect(problemsOf(i)).toEqual([]);
  });

  it('a level moved keeps the values in order and takes its words, descriptors and rule answers along', () => {
    let i = buildInstrument();
    i = setRuleTrigger(i, 0, 'k1');
    i = setRuleAnswer(i, 0, 1, true);
    const moved = moveLevel(i, 0, 0, 1);
    expect(moved.index).toBe(1);
    i = moved.instrument;
    expect(i.scales[0]!.levels.map((l) => [l.value, l.label.nl])).toEqual([
      [1, 'Niveau 2'],
      [2, 'Niveau 1'],
      [3, 'Niveau 3'],
      [4, 'Niveau 4'],
    ]);
    expect(i.domains[0]!.items[0]!.descriptors!['2']).toEqual(both('Bij k1 niveau 1'));
    expect(answers(i)).toEqual([2]);
    expect(problemsOf(i)).toEqual([]);
  });

  it('a level’s value changed by hand renames its descriptors, unless another level has it', () => {
    let i = setLevelValue(buildInstrument(), 0, 3, 7);
    expect(Object.keys(i.domains[0]!.items[0]!.descriptors!)).toEqual(['1', '2', '3', '7']);
    i = setLevelValue(i, 0, 3, 3);
    expect(i.scales[0]!.levels.map((l) => l.value)).toEqual([1, 2, 3, 3]);
    expect(problemsOf(i)).toContain('$.scales[0].levels[3].value duplicateLevel');
  });

  it('descriptors per level come all or none, for a scale and for an item', () => {
    let i = written();
    i = setScaleDescriptors(i, 0, true);
    expect(i.scales[0]!.levels.every((l) => l.descriptor?.nl === '')).toBe(true);
    i = setScaleDescriptors(i, 0, false);
    expect(i.scales[0]!.levels.some((l) => 'descriptor' in l)).toBe(false);
    i = setItemDescriptors(i, ITEM, true);
    expect(Object.keys(i.domains[0]!.items[0]!.descriptors!)).toEqual(['1', '2', '3', '4']);
    i = setItemDescriptors(i, ITEM, false);
    expect(problemsOf(i)).toEqual([]);
  });
});

describe('items and texts', () => {
  it('a new kind of answer takes what only a rating has away, and the rule answers that meant something else', () => {
    let i = buildInstrument();
    i = setRuleTrigger(i, 0, 'k1');
    i = setRuleAnswer(i, 0, 4, true);
    i = setResponseType(i, ITEM, 'yes-no');
    const item = i.domains[0]!.items[0]!;
    expect(item.response).toEqual({ type: 'yes-no' });
    expect('descriptors' in item || 'reverse' in item).toBe(false);
    expect(answers(i)).toEqual([]);
    i = setResponseType(i, ITEM, 'choice');
    expect(i.domains[0]!.items[0]!.response).toEqual({
      type: 'choice',
      options: [
        { id: 'option', label: { nl: '', en: '' } },
        { id: 'option-2', label: { nl: '', en: '' } },
      ],
    });
  });

  it('an optional text emptied in every language is removed; a required one stays, empty', () => {
    let i = written();
    i = setText(i, [...ITEM, 'guidance'], 'nl', 'Let op', { optional: true });
    expect(i.domains[0]!.items[0]!.guidance).toEqual({ nl: 'Let op' });
    i = setText(i, [...ITEM, 'guidance'], 'nl', '', { optional: true });
    expect('guidance' in i.domains[0]!.items[0]!).toBe(false);
    i = setText(i, ['title'], 'nl', '');
    expect(i.title).toEqual({ nl: '' });
    expect(problemsOf(i)).toEqual(['$.title.nl empty']);
  });

  it('a language taken away leaves every text, also in places the editor does not know; one added is missing everywhere', () => {
    const base = { ...buildInstrument(), bands: [{ id: 'b', label: both('Band') }] } as Instrument;
    const dutch = setLanguages(base, ['nl']);
    expect(dutch.languages).toEqual(['nl']);
    expect(dutch.title).toEqual({ nl: 'Testinstrument' });
    expect((dutch as unknown as { bands: Array<{ label: object }> }).bands[0]!.label).toEqual({ nl: 'Band' });
    expect(JSON.stringify(dutch)).not.toContain('"en"');
    const back = setLanguages(setLanguages(buildInstrument(), ['nl']), ['nl', 'en']);
    expect(problemsOf(back).length).toBeGreaterThan(10);
    expect(problemsOf(back).every((p) => p.endsWith(' missingTranslation'))).toBe(true);
  });
});

describe('fields the editor does not edit', () => {
  /** Fields from a later format (or another tool), on every level the editor touches. */
  const unknown = () =>
    ({
      ...buildInstrument(),
      scoring: { overall: 'mean', weights: { klimaat: 2 } },
      scales: buildInstrument().scales.map((s) => ({ ...s, bands: [{ from: 1, to: 2 }] })),
      domains: buildInstrument().domains.map((d) => ({
        ...d,
        weight: 2,
        items: d.items.map((item) => ({ ...item, required: true, who: 'observer' })),
      })),
      rules: buildInstrument().rules.map((r) => ({ ...r, mode: 'all' })),
    }) as unknown as Instrument;

  it('survive every kind of edit', () => {
    let i = unknown();
    i = editText(i, ITEM, 'text', 'nl', 'Nieuwe tekst');
    i = addItem(i, 0).instrument;
    i = moveEntry(i, ['domains', 0, 'items'], 0, 1).instrument;
    i = addLevel(i, 0).instrument;
    i = moveLevel(i, 0, 0, 1).instrument;
    i = setRuleAnswer(i, 0, 'no', true);
    i = addLookFor(i, ['domains', 0, 'items', 1]).instrument;
    i = setLanguages(i, ['nl', 'en']);
    const json = i as unknown as Record<string, unknown> & {
      domains: Array<Record<string, unknown> & { items: Array<Record<string, unknown>> }>;
      scales: Array<Record<string, unknown>>;
      rules: Array<Record<string, unknown>>;
    };
    expect(json.scoring).toEqual({ overall: 'mean', weights: { klimaat: 2 } });
    expect(json.scales[0]!.bands).toEqual([{ from: 1, to: 2 }]);
    expect(json.domains.every((d) => d.weight === 2)).toBe(true);
    expect(json.domains[0]!.items.filter((item) => item.required === true && item.who === 'observer')).toHaveLength(3);
    expect(json.rules[0]!.mode).toBe('all');
  });

  it('come back exactly from a round trip through the editor and its JSON export', () => {
    const original = unknown();
    let i = editText(original, ITEM, 'text', 'nl', 'Tijdelijk');
    i = editText(i, ITEM, 'text', 'nl', original.domains[0]!.items[0]!.text.nl!);
    const exported = JSON.parse(instrumentJson(i)) as Instrument;
    expect(exported).toEqual({ ...original, $schema: './meekijken-instrument.schema.json' });
    expect(Object.keys(exported)[0]).toBe('$schema');
  });

  it('are shared, not copied, where nothing changed', () => {
    const i = buildInstrument();
    const edited = editText(i, ['domains', 1, 'items', 0], 'text', 'nl', 'Anders');
    expect(edited.domains[0]).toBe(i.domains[0]);
    expect(edited.scales).toBe(i.scales);
    expect(edited.domains[1]!.items[1]).toBe(i.domains[1]!.items[1]);
  });
});

describe('format 2 references', () => {
  /** A format 2 instrument with a rule that combines conditions and shows an item, and scores over items and domains. */
  const rich = () =>
    ({
      ...buildInstrument(),
      format: 2,
      rules: [
        {
          id: 'combi',
          when: {
            all: [
              { item: 'k1', in: [4] },
              {
                any: [
                  { item: 'k2', atLeast: 3 },
                  { item: 'janee', in: ['yes'] },
                ],
              },
            ],
          },
          then: { show: ['k3'], notApplicable: ['keuze'] },
        },
      ],
      scores: [
        {
          id: 'totaal',
          label: both('Totaal'),
          method: 'mean',
          from: [{ item: 'k1' }, { domain: 'klimaat' }],
          weights: { k1: 2, klimaat: 1 },
        },
      ],
    }) as unknown as Instrument;

  it('tells the rules the editor edits from those it keeps as they are', () => {
    expect(isSimpleRule(buildInstrument().rules[0])).toBe(true);
    expect(isSimpleRule(rich().rules[0])).toBe(false);
    expect(isSimpleRule({ id: 'r', when: { item: 'k1', in: [1] }, then: { require: ['k2'] } } as never)).toBe(false);
  });

  it('renames an item and a domain in combined conditions, effects, scores and weights', () => {
    let i = renameId(rich(), ITEM, 'start');
    i = renameId(i, ['domains', 0], 'sfeer');
    expect(JSON.stringify(i.rules[0]!.when)).toContain('"item":"start"');
    expect(JSON.stringify(i.rules[0]!.when)).not.toContain('"k1"');
    expect(i.scores![0]).toMatchObject({
      from: [{ item: 'start' }, { domain: 'sfeer' }],
      weights: { start: 2, sfeer: 1 },
    });
  });

  it('removes a rule whose condition names a removed item, and takes a removed item out of effects and scores', () => {
    const i = rich();
    expect(removeEntry(i, ['domains', 0, 'items'], 0).rules).toEqual([]);
    const withoutK3 = removeEntry(i, ['domains', 0, 'items'], 2);
    expect(withoutK3.rules[0]!.then).toEqual({ notApplicable: ['keuze'] });
    expect(removeEntry(i, ['domains', 0, 'items'], 0).scores![0]).toMatchObject({
      from: [{ domain: 'klimaat' }],
      weights: { klimaat: 1 },
    });
  });

  it('moves an instrument to format 2 when it takes a date or time', () => {
    const i = setResponseType(buildInstrument(), ITEM, 'date');
    expect(i.format).toBe(2);
    expect(problemsOf(i)).toEqual([]);
    expect(setContextInput(buildInstrument(), 0, 'time').format).toBe(2);
  });
});

describe('problems at their fields', () => {
  it('reads a validator path back into its segments', () => {
    for (const segments of [
      ['domains', 0, 'items', 2, 'text', 'en'],
      ['domains', 1, 'items', 0, 'descriptors', '3', 'nl'],
      ['$schema'],
      [],
      ['x y', 0],
    ]) {
      expect(parsePath(formatPath(segments))).toEqual(segments);
    }
    expect(fieldId('$.domains[0].items[2].text.en')).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(fieldId(['domains', 0])).not.toBe(fieldId(['domains', 1]));
  });

  it('puts every problem of an edited instrument at its field, or in the summary when the editor has none', () => {
    let i = written();
    i = setLanguages(i, ['nl', 'en']);
    i = setText(i, ['title'], 'nl', '');
    i = setItemDescriptors(i, ITEM, true);
    i = setAt(i, ['domains', 0, 'items', 0, 'descriptors', '9'], { nl: 'x', en: 'x' });
    i = setResponseType(i, ['domains', 0, 'items', 0], 'checklist');
    i = setAt(
      i,
      ['domains', 0, 'items', 0, 'children'],
      [{ id: 'child', text: { nl: '' }, response: { type: 'checklist' } }],
    );
    i = addRule(i).instrument;
    i = setAt(i, ['domains', 0, 'id'], 'Instructie!');
    const problems = tidyRuleProblems(i, validateInstrument(i).problems);
    const placed = placeProblems(problems, editorFields(i));
    // A rule with no answer chosen yet is one problem, not one per form a condition may take.
    expect(problems.filter((p) => p.path.startsWith('$.rules[0].when')).map((p) => `${p.path} ${p.code}`)).toEqual([
      '$.rules[0].when.in tooFew',
    ]);
    const at = (path: string) => placed.all.filter((p) => p.problem.path === path).map((p) => p.field);
    expect(at('$.title.nl')).toEqual(['$.title.nl']);
    expect(at('$.title.en')).toEqual(['$.title.en']);
    expect(at('$.domains[0].id')).toEqual(['$.domains[0].id']);
    expect(at('$.domains[0].items[0].lookFors')).toEqual(['$.domains[0].items[0].lookFors']);
    expect(at('$.rules[0].when.in')).toEqual(['$.rules[0].when.in']);
    expect(at('$.rules[0].then.notApplicable')).toEqual(['$.rules[0].then.notApplicable']);
    // A behaviour under an element has its own fields: its empty text is told there.
    const children = placed.all.filter((p) => p.problem.path.includes('children'));
    expect(children.length).toBeGreaterThan(0);
    expect(at('$.domains[0].items[0].children[0].text.nl')).toEqual(['$.domains[0].items[0].children[0].text.nl']);
    expect(children.every((p) => p.field !== undefined)).toBe(true);
    // Every field that shows problems is one the editor renders.
    const known = new Set(editorFields(i).map((f) => f.anchor ?? f.path));
    for (const field of placed.byField.keys()) expect(known.has(field)).toBe(true);
  });

  it('puts an empty descriptor of an item at that level’s field, whichever spelling of the level the check uses', () => {
    const i = setItemDescriptors(setLanguages(written(), ['nl', 'en']), ITEM, true);
    const placed = placeProblems(validateInstrument(i).problems, editorFields(i));
    const descriptorProblems = placed.all.filter((p) => p.problem.path.includes('descriptors'));
    expect(descriptorProblems.length).toBe(8);
    expect(new Set(descriptorProblems.map((p) => p.field))).toEqual(
      new Set(
        [1, 2, 3, 4].flatMap((level) =>
          ['nl', 'en'].map((language) => `$.domains[0].items[0].descriptors["${level}"].${language}`),
        ),
      ),
    );
  });

  it('puts a language the instrument does not declare at its text, and a response’s odd field at its type', () => {
    const i = setAt(setAt(written(), ['title', 'fr'], 'Titre'), [...ITEM, 'response', 'colour'], 'red');
    const placed = placeProblems(validateInstrument(i).problems, editorFields(i));
    expect(placed.all.map((p) => [p.problem.path, p.field])).toEqual(
      expect.arrayContaining([
        ['$.title.fr', '$.title'],
        ['$.domains[0].items[0].response.colour', '$.domains[0].items[0].response.type'],
      ]),
    );
  });
});

describe('rules of format 2, edited as a form', () => {
  const valid = (instrument: Instrument) => expect(problemsOf(instrument)).toEqual([]);

  it('tells the rules it shows as a form from those it keeps read-only', () => {
    const two = buildInstrumentV2();
    expect(two.rules.map(isEditableRule)).toEqual([true, true, true]);
    expect(isEditableRule(buildInstrument().rules[0])).toBe(true);
    const odd = (when: unknown, then: unknown = { show: ['k2'] }) => ({ id: 'r', when, then }) as never;
    expect(isEditableRule(odd({ item: 'k1', in: [1], colour: 'red' }))).toBe(false);
    expect(isEditableRule(odd({ item: 'k1', in: [1], atLeast: 2 }))).toBe(false);
    expect(isEditableRule(odd({ all: [] }))).toBe(false);
    expect(isEditableRule(odd({ item: 'k1', in: [1] }, { show: ['k2'], hide: ['k3'] }))).toBe(false);
    const deep = { any: [{ any: [{ any: [{ any: [{ any: [{ any: [{ item: 'k1', in: [1] }] }] }] }] }] }] };
    expect(isEditableRule(odd(deep))).toBe(false);
  });

  it('builds "when item A is at most 2, show item B", and reads counters, look-fors and snapshot fields', () => {
    let i = setAt(buildInstrument(), ['rules'], []);
    i = addRule(i).instrument;
    expect(i.rules[0]!.when).toEqual({ item: 'k1', in: [] });
    i = setConditionMode(i, 0, [], 'range');
    i = setAt(i, ['rules', 0, 'when', 'atMost'], 2);
    i = setEffectKind(i, 0, 'notApplicable', 'show');
    i = setEffectTarget(i, 0, 'show', 'k2', true);
    expect(i.format).toBe(2);
    expect(i.rules[0]).toEqual({ id: 'rule', when: { item: 'k1', atMost: 2 }, then: { show: ['k2'] } });
    valid(i);
    // Another item that has a number keeps the bounds; one with answers only starts over with them.
    expect(setConditionItem(i, 0, [], 'teller').rules[0]!.when).toEqual({ item: 'teller', atMost: 2 });
    expect(setConditionItem(i, 0, [], 'janee').rules[0]!.when).toEqual({ item: 'janee', in: [] });
    // A snapshot item: its first field, then another.
    const snapshot = setConditionItem(i, 0, [], 'momenten');
    expect(snapshot.rules[0]!.when).toEqual({ item: 'momenten', field: 'off-task', atMost: 2 });
    expect(setConditionItem(snapshot, 0, [], 'momenten', 'activiteit').rules[0]!.when).toEqual({
      item: 'momenten',
      field: 'activiteit',
      in: [],
    });
    expect(conditionTargets(i).map((item) => item.id)).toEqual(
      expect.arrayContaining(['k1', 'checklist', 'janee', 'keuze', 'teller', 'momenten']),
    );
    expect(conditionTargets(i).map((item) => item.id)).not.toContain('tekst');
    expect(conditionChoices(i, i.domains[1]!.items[0]!)).toEqual({ answers: ['lf1', 'lf2'], numeric: true });
  });

  it('combines conditions in groups (all, any, a count), nested, and takes them apart again', () => {
    let i = setAt(buildInstrument(), ['rules'], []);
    i = addRule(i).instrument;
    i = setConditionAnswer(i, 0, [], 4, true);
    let added = addCondition(i, 0, []);
    i = added.instrument;
    expect(added.path).toEqual(['all', 1]);
    i = setConditionItem(i, 0, added.path, 'janee');
    i = setConditionAnswer(i, 0, added.path, 'no', true);
    i = setConditionAnswer(i, 0, added.path, 'yes', true);
    expect(i.rules[0]!.when).toEqual({
      all: [
        { item: 'k1', in: [4] },
        { item: 'janee', in: ['yes', 'no'] },
      ],
    });
    added = addCondition(i, 0, [], { group: true });
    i = added.instrument;
    expect(added.path).toEqual(['all', 2]);
    expect(conditionJoin(getAt(i, ['rules', 0, 'when', 'all', 2]))).toBe('any');
    i = setConditionJoin(i, 0, [], 'count');
    expect(i.rules[0]!.when).toMatchObject({ atLeast: 1 });
    expect(conditionLeaves(i.rules[0]!.when).map((leaf) => leaf.path)).toEqual([
      ['count', 0],
      ['count', 1],
      ['count', 2, 'any', 0],
      ['count', 2, 'any', 1],
    ]);
    i = setAt(i, ['rules', 0, 'when', 'atLeast'], 3);
    i = removeCondition(i, 0, ['count', 2, 'any', 0]);
    expect(getAt(i, ['rules', 0, 'when', 'count', 2])).toEqual({ item: 'k3', in: [] });
    i = removeCondition(i, 0, ['count', 2]);
    expect(i.rules[0]!.when).toMatchObject({ atLeast: 2 });
    i = setConditionJoin(i, 0, [], 'any');
    expect(Object.keys(i.rules[0]!.when)).toEqual(['any']);
    i = removeCondition(i, 0, ['any', 1]);
    expect(i.rules[0]!.when).toEqual({ item: 'k1', in: [4] });
    expect(isEditableRule(i.rules[0])).toBe(true);
  });

  it('gives a rule more effects, moves one to another kind, and removes one', () => {
    let i = buildInstrument();
    i = setRuleTarget(i, 0, 'k2', true);
    const more = addEffect(i, 0);
    expect(more.effect).toBe('show');
    i = setEffectTarget(more.instrument, 0, 'show', 'tekst', true);
    expect(i.rules[0]!.then).toEqual({ notApplicable: ['k2', 'keuze'], show: ['tekst'] });
    // Moved to one it has already, the targets join.
    i = setEffectKind(i, 0, 'show', 'notApplicable');
    expect(i.rules[0]!.then).toEqual({ notApplicable: ['k2', 'keuze', 'tekst'] });
    i = setEffectKind(i, 0, 'notApplicable', 'require');
    expect(i.rules[0]!.then).toEqual({ require: ['k2', 'keuze', 'tekst'] });
    expect(removeEffect(addEffect(i, 0).instrument, 0, 'require').rules[0]!.then).toEqual({ notApplicable: [] });
  });
});

describe('format 2’s problems at their fields', () => {
  it('puts problems of bands, scoring maps, named scores and their weights at the fields that edit them', () => {
    let i = buildInstrumentV2();
    i = setAt(i, ['scales', 0, 'bands', 1, 'min'], 7);
    i = setAt(i, ['scoringMaps', 0, 'entries', 1, 'min'], 2);
    i = setAt(i, ['scores', 1, 'weights', 'onbekend'], 2);
    i = setAt(i, ['scores', 0, 'from', 0], { domain: 'tijd' });
    i = setAt(i, ['scores', 0, 'label', 'en'], '');
    i = setAt(i, ['domains', 1, 'score', 'minParts'], 9);
    i = setAt(i, ['scales', 1, 'scoring'], 'nergens');
    i = setAt(i, ['domains', 1, 'score', 'weights', 'nergens'], 2);
    i = setRepeat(i, 3, true);
    const problems = validateInstrument(i).problems;
    const placed = placeProblems(problems, editorFields(i));
    const fieldOf = (path: string) => placed.all.find((p) => p.problem.path === path)?.field;
    expect(problems.length).toBeGreaterThanOrEqual(6);
    expect(fieldOf('$.scales[0].bands[1].min')).toBe('$.scales[0].bands[1].min');
    expect(fieldOf('$.scoringMaps[0].entries[1]')).toBe('$.scoringMaps[0].entries[1]');
    expect(fieldOf('$.scores[1].weights.onbekend')).toBe('$.scores[1].weights.onbekend');
    // A part's problem shows at the part, in the list that orders the parts.
    expect(fieldOf('$.scores[0].from[0].domain')).toBe('$.scores[0].from[0]');
    expect(fieldOf('$.scores[0].label.en')).toBe('$.scores[0].label.en');
    expect(fieldOf('$.scales[1].scoring')).toBe('$.scales[1].scoring');
    expect(fieldOf('$.domains[1].score.weights.nergens')).toBe('$.domains[1].score.weights.nergens');
    expect(fieldOf('$.domains[3].answeredBy')).toBe('$.domains[3].answeredBy');
    // Every problem of these parts finds a field.
    for (const { problem, field } of placed.all)
      if (/^\$\.(scoringMaps|scores|scales|domains\[\d+\]\.(score|repeat|answeredBy))/.test(problem.path))
        expect(field, problem.path).toBeDefined();
  });
});

describe('rule problems at their fields', () => {
  it('puts a nested condition’s problems at its fields, an empty one’s as one, and a kept rule’s at its words', () => {
    let i = buildInstrumentV2();
    i = setAt(i, ['rules', 1, 'when', 'any', 0, 'in'], []);
    i = setAt(i, ['rules', 1, 'when', 'any', 1, 'in'], ['nergens']);
    i = setAt(i, ['rules', 0, 'when', 'atMost'], 2); // at least 5 and at most 2
    i = setAt(i, ['rules', 2, 'when', 'count', 1], { item: 'betrokken', field: 'taakgericht' });
    i.rules.push({ id: 'vreemd', when: { item: 'doel', in: [1], soort: 'x' } as never, then: { show: ['vervolg'] } });
    const problems = tidyRuleProblems(i, validateInstrument(i).problems);
    const placed = placeProblems(problems, editorFields(i));
    const fieldOf = (path: string) => placed.all.find((p) => p.problem.path === path)?.field;
    expect(problems.filter((p) => p.path.startsWith('$.rules[1].when.any[0]')).map((p) => p.code)).toEqual(['tooFew']);
    expect(fieldOf('$.rules[1].when.any[0].in')).toBe('$.rules[1].when.any[0].in');
    expect(fieldOf('$.rules[1].when.any[1].in[0]')).toBe('$.rules[1].when.any[1].in');
    expect(fieldOf('$.rules[0].when.atLeast')).toBe('$.rules[0].when.atLeast');
    expect(fieldOf('$.rules[2].when.count[1]')).toBe('$.rules[2].when.count[1]');
    expect(placed.all.filter((p) => p.problem.path.startsWith('$.rules[3]')).map((p) => p.field)).toEqual(
      expect.arrayContaining(['$.rules[3].when']),
    );
    for (const { problem, field } of placed.all)
      if (problem.path.startsWith('$.rules')) expect(field, problem.path).toBeDefined();
  });
});

describe('format 2’s item problems at their fields', () => {
  it('puts problems of score items, snapshots, option groups, lists and required flags at the fields that edit them', () => {
    let i = buildInstrumentV2();
    i = setAt(i, ['domains', 1, 'items', 1, 'required'], true); // a score item nobody answers
    i = setAt(i, ['domains', 1, 'items', 3, 'response', 'groups', 0, 'label', 'nl'], '');
    i = setAt(i, ['domains', 3, 'items', 1, 'response', 'repeatable'], undefined); // maxEntries stays
    i = setAt(i, ['domains', 2, 'items', 0, 'response', 'schedule'], { atMinutes: [20, 10] });
    i = setAt(i, ['domains', 2, 'items', 0, 'response', 'fields', 0, 'label', 'en'], '');
    i.domains[2]!.items.push({
      id: 'aandeel',
      text: both('Aandeel'),
      response: { type: 'score', method: 'mean', from: { items: ['nergens'] } },
    });
    const problems = validateInstrument(i).problems;
    const placed = placeProblems(problems, editorFields(i));
    const fieldOf = (path: string) => placed.all.find((p) => p.problem.path === path)?.field;
    expect(fieldOf('$.domains[1].items[1].required')).toBe('$.domains[1].items[1].required');
    expect(fieldOf('$.domains[1].items[3].response.groups[0].label.nl')).toBe(
      '$.domains[1].items[3].response.groups[0].label.nl',
    );
    expect(fieldOf('$.domains[3].items[1].response.maxEntries')).toBe('$.domains[3].items[1].response.maxEntries');
    expect(fieldOf('$.domains[2].items[0].response.schedule.atMinutes')).toBe(
      '$.domains[2].items[0].response.schedule.atMinutes',
    );
    expect(fieldOf('$.domains[2].items[0].response.fields[0].label.en')).toBe(
      '$.domains[2].items[0].response.fields[0].label.en',
    );
    expect(fieldOf('$.domains[2].items[1].response.from.items[0]')).toBe('$.domains[2].items[1].response.from.items');
    for (const { problem, field } of placed.all) expect(field, problem.path).toBeDefined();
  });
});

describe('the shipped instruments in the editor', () => {
  const dir = path.resolve(__dirname, '../../instruments');
  const files = readdirSync(dir).filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json'));

  it.each(files)('%s: a new version and a copy stay valid, and an edit undone gives back the same file', (file) => {
    const shipped = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Instrument;
    expect(problemsOf(newVersionOf(shipped, [shipped.version]))).toEqual([]);
    expect(problemsOf(copyOf(shipped, [shipped.id]))).toEqual([]);
    const first = ['domains', 0, 'items', 0];
    const language = shipped.languages[0]!;
    const text = shipped.domains[0]!.items[0]!.text[language]!;
    const context = { lockedIds: lockedIdsOf(shipped) };
    const back = editText(
      editText(shipped, first, 'text', language, 'Iets anders', context),
      first,
      'text',
      language,
      text,
      context,
    );
    expect(back).toEqual(shipped);
    // Every problem of a broken copy finds its field or the summary, without an error.
    const broken = setText(shipped, [...first, 'text'], language, '');
    const placed = placeProblems(tidyRuleProblems(broken, validateInstrument(broken).problems), editorFields(broken));
    expect(placed.all.find((p) => p.problem.path === `$.domains[0].items[0].text.${language}`)?.field).toBe(
      `$.domains[0].items[0].text.${language}`,
    );
  });
});

describe('format 2 references follow every rename and removal', () => {
  const valid = (instrument: Instrument) =>
    expect(validateInstrument(instrument).problems.map((p) => `${p.path} ${p.code}`)).toEqual([]);
  const pathOf = (instrument: Instrument, id: string): Array<string | number> => {
    for (const [d, domain] of instrument.domains.entries()) {
      for (const [i, item] of domain.items.entries()) {
        if (item.id === id) return ['domains', d, 'items', i];
        for (const [c, child] of (item.children ?? []).entries())
          if (child.id === id) return ['domains', d, 'items', i, 'children', c];
      }
    }
    throw new Error(id);
  };

  it('renames a weighted behaviour, a listed item, a snapshot source and a weighted look-for', () => {
    let instrument = buildInstrumentV2();
    const element = instrument.domains[1]!.items[1]!;
    if (element.response.type === 'score') element.response.weights = { 'gedrag-a': 2 };
    const kijk = instrument.domains[1]!.items[2]!;
    if (kijk.response.type === 'score') kijk.response.weights = { lf1: 3 };
    instrument.domains[2]!.items.push({
      id: 'aandeel',
      text: both('Aandeel'),
      response: { type: 'score', method: 'mean', weights: { doel: 2 }, from: { items: ['doel', 'zelfbeeld'] } },
    });
    instrument.domains[2]!.items.push({
      id: 'rustig',
      text: both('Rustig'),
      response: { type: 'score', method: 'mean', from: { snapshot: 'betrokken', field: 'taakgericht' } },
    });
    valid(instrument);
    instrument = renameId(instrument, pathOf(instrument, 'gedrag-a'), 'gedrag-x');
    instrument = renameId(instrument, pathOf(instrument, 'doel'), 'lesdoel');
    instrument = renameId(instrument, pathOf(instrument, 'betrokken'), 'inzet');
    instrument = renameId(instrument, [...pathOf(instrument, 'kijkpunten'), 'lookFors', 0], 'eerste');
    valid(instrument);
    expect(JSON.stringify(instrument)).not.toMatch(/"gedrag-a"|"doel"|"betrokken"/);
    expect(instrument.domains[1]!.items[2]!.response).toMatchObject({ weights: { eerste: 3 } });
  });

  it('removes a behaviour, a listed item and a domain from every score that named them', () => {
    let instrument = buildInstrumentV2();
    const element = instrument.domains[1]!.items[1]!;
    if (element.response.type === 'score') element.response.weights = { 'gedrag-a': 2 };
    instrument.domains[1]!.items.push({
      id: 'aandeel',
      text: both('Aandeel'),
      response: { type: 'score', method: 'mean', weights: { werkvorm: 2 }, from: { items: ['doel', 'werkvorm'] } },
    });
    valid(instrument);
    const [, d, , i, , c] = pathOf(instrument, 'gedrag-a');
    instrument = removeEntry(instrument, ['domains', d!, 'items', i!, 'children'], c as number);
    const [, d2, , i2] = pathOf(instrument, 'werkvorm');
    instrument = removeEntry(instrument, ['domains', d2!, 'items'], i2 as number);
    instrument = removeEntry(instrument, ['domains'], 0); // "cyclus", read by the named score "interactie"
    valid(instrument);
    // "interactie" read only that domain: it goes, and "totaal" no longer reads (or weighs) it.
    expect(instrument.scores?.map((score) => score.id)).toEqual(['totaal']);
    expect(instrument.scores?.[0]).toMatchObject({ from: [{ domain: 'instructie' }] });
    expect(instrument.scores?.[0]?.weights ?? {}).toEqual({});
  });
});

describe('a snapshot field’s options', () => {
  it('renames and removes them in the rules and shares that read that field, not in an item that shares its id', () => {
    let instrument = buildInstrumentV2();
    const snapshot = instrument.domains[2]!.items[0]!;
    if (snapshot.response.type !== 'snapshot') throw new Error('fixture');
    snapshot.response.fields.push({
      id: 'werkvorm',
      label: both('Werkvorm'),
      response: { type: 'choice', options: ['klas', 'groep', 'alleen'].map((id) => ({ id, label: both(id) })) },
    });
    instrument.domains[2]!.items.push({
      id: 'klassikaal',
      text: both('Klassikaal'),
      response: {
        type: 'score',
        method: 'mean',
        from: { snapshot: 'betrokken', field: 'werkvorm', in: ['klas', 'groep'] },
      },
    });
    instrument.rules.push({
      id: 'klas-vaak',
      when: { item: 'betrokken', field: 'werkvorm', in: ['klas'] },
      then: { require: ['wanneer'] },
    });
    const options = ['domains', 2, 'items', 0, 'response', 'fields', 2, 'response', 'options'];
    const itemRule = JSON.stringify(instrument.rules.find((r) => r.id === 'vervolg-tonen'));
    instrument = renameId(instrument, [...options, 0], 'klassikaal-werk');
    instrument = removeEntry(instrument, options, 1);
    expect(instrument.domains[2]!.items[1]!.response).toMatchObject({ from: { in: ['klassikaal-werk'] } });
    expect(instrument.rules.find((r) => r.id === 'klas-vaak')!.when).toMatchObject({ in: ['klassikaal-werk'] });
    // The item "werkvorm" (a choice with its own option ids) is untouched.
    expect(JSON.stringify(instrument.rules.find((r) => r.id === 'vervolg-tonen'))).toBe(itemRule);
    expect(validateInstrument(instrument).problems).toEqual([]);
  });
});

describe('format 2’s own parts, edited without JSON', () => {
  const valid = (instrument: Instrument) => expect(problemsOf(instrument)).toEqual([]);
  const v2 = buildInstrumentV2;
  /** Where things sit in `buildInstrumentV2`. */
  const BETROKKEN = ['domains', 2, 'items', 0] as const;
  const WERKVORM = ['domains', 1, 'items', 3] as const;

  it('a scoring map: made from the first scale, renamed and removed wherever it is used', () => {
    let i = addScoringMap(buildInstrument()).instrument;
    expect(i.format).toBe(2);
    expect(i.scoringMaps![0]).toMatchObject({
      id: 'map',
      entries: [
        { min: 1, max: 2, score: 0 },
        { min: 3, max: 4, score: 1 },
      ],
    });
    i = editText(i, ['scoringMaps', 0], 'label', 'nl', 'Goed of niet');
    i = editText(i, ['scoringMaps', 0], 'label', 'en', 'Good or not');
    expect(i.scoringMaps![0]!.id).toBe('goed-of-niet');
    i = setAt(i, ['scales', 0, 'scoring'], 'goed-of-niet');
    valid(i);
    i = addMapEntry(i, 0).instrument;
    expect(i.scoringMaps![0]!.entries[2]).toEqual({ min: 5, max: 5, score: 2 });
    i = setMapEntryEnd(i, 0, 0, 'below');
    expect(i.scoringMaps![0]!.entries[0]).toEqual({ min: 1, below: 3, score: 0 });
    expect(setMapEntryEnd(i, 0, 0, 'max').scoringMaps![0]!.entries[0]).toEqual({ min: 1, max: 2, score: 0 });

    let two = v2();
    two = setAt(two, ['domains', 1, 'score', 'map'], 'dicho');
    two = renameId(two, ['scoringMaps', 0], 'goed');
    expect(two.scales[1]!.scoring).toBe('goed');
    expect(two.domains[1]!.score!.map).toBe('goed');
    two = removeEntry(two, ['scoringMaps'], 0);
    expect(two.scales[1]!.scoring).toBeUndefined();
    expect(two.domains[1]!.score).toEqual({ method: 'sum', weights: { element: 2 } });
    valid(two);
  });

  it('a named score: parts, weights and method; renamed and removed in the scores that read it', () => {
    let i = addScore(v2()).instrument;
    const s = i.scores!.length - 1;
    expect(i.scores![s]).toMatchObject({
      id: 'score',
      method: 'mean',
      from: [{ domain: 'cyclus' }, { domain: 'instructie' }],
    });
    i = setWeight(i, ['scores', s], 'instructie', 3);
    i = setScoreSource(i, s, { score: 'interactie' }, true);
    expect(i.scores![s]!.from).toEqual([{ domain: 'cyclus' }, { domain: 'instructie' }, { score: 'interactie' }]);
    i = setScoreSource(i, s, { domain: 'instructie' }, false);
    expect(i.scores![s]!.weights).toBeUndefined();
    i = setWeight(i, ['scores', s], 'cyclus', 2);
    expect(setScoreMethod(i, ['scores', s], 'median').scores![s]).not.toHaveProperty('weights');
    expect(setScoreMethod(i, ['scores', s], 'sum').scores![s]!.weights).toEqual({ cyclus: 2 });
    i = editText(i, ['scores', s], 'label', 'nl', 'Alles');
    i = editText(i, ['scores', s], 'label', 'en', 'All');
    expect(i.scores![s]!.id).toBe('alles');
    valid(i);

    // "totaal" reads and weighs "interactie": a rename follows; a removal takes it out, and a score left with
    // nothing to read goes with every mention of it.
    let j = renameId(v2(), ['scores', 0], 'samen');
    expect(j.scores![1]).toMatchObject({ from: [{ score: 'samen' }, { domain: 'instructie' }], weights: { samen: 2 } });
    j = removeEntry(j, ['scores'], 0);
    expect(j.scores!.map((score) => score.id)).toEqual(['totaal']);
    expect(j.scores![0]).toMatchObject({ from: [{ domain: 'instructie' }] });
    expect(j.scores![0]!.weights ?? {}).toEqual({});
    valid(j);
    // A score whose parts are still to be chosen is kept while other names change.
    let k = setScoreSource(setScoreSource(v2(), 1, { score: 'interactie' }, false), 1, { domain: 'instructie' }, false);
    k = renameId(k, ['domains', 1], 'uitleg');
    expect(k.scores!.map((score) => score.id)).toEqual(['interactie', 'totaal']);
  });

  it('a scale’s band: added after the last, renamed and removed in the descriptors written for it', () => {
    let b = addBand(buildInstrument(), 0).instrument;
    expect(b.format).toBe(2);
    expect(b.scales[0]!.bands).toEqual([{ id: 'band', label: { nl: '', en: '' }, min: 1, max: 4 }]);
    b = setAt(b, ['scales', 0, 'bands', 0, 'max'], 2);
    b = addBand(b, 0).instrument;
    expect(b.scales[0]!.bands![1]).toMatchObject({ id: 'band-2', min: 3, max: 4 });
    expect(
      removeEntry(removeEntry(b, ['scales', 0, 'bands'], 0), ['scales', 0, 'bands'], 0).scales[0],
    ).not.toHaveProperty('bands');

    let i = renameId(v2(), ['scales', 0, 'bands', 0], 'weinig');
    expect(Object.keys(i.domains[0]!.items[0]!.descriptors!)).toEqual(['weinig', 'midden', 'hoog']);
    const field = () => (i.domains[2]!.items[0]!.response as { fields: Array<{ descriptors?: object }> }).fields[1]!;
    expect(Object.keys(field().descriptors!)).toEqual(['weinig', 'midden', 'hoog']);
    i = removeEntry(i, ['scales', 0, 'bands'], 2);
    expect(Object.keys(i.domains[0]!.items[0]!.descriptors!)).toEqual(['weinig', 'midden']);
    expect(Object.keys(field().descriptors!)).toEqual(['weinig', 'midden']);
    // Bands that covered the scale no longer do: the validator says so, nothing else is touched.
    expect(problemsOf(i)).toContain('$.scales[0].bands bandsIncomplete');
  });

  it('a snapshot field: renamed in the rules and scores that read it; removed with the rules that read it', () => {
    let i = v2();
    i.domains[2]!.items.push({
      id: 'onrustig',
      text: both('Onrustig'),
      response: { type: 'score', method: 'mean', from: { snapshot: 'betrokken', field: 'onrust' } },
    });
    i = renameId(i, [...BETROKKEN, 'response', 'fields', 1], 'rumoer');
    expect(JSON.stringify(i)).not.toContain('"onrust"');
    expect(i.domains[2]!.items[1]!.response).toMatchObject({ from: { field: 'rumoer' } });
    valid(i);
    const rules = i.rules.length;
    i = removeEntry(i, [...BETROKKEN, 'response', 'fields'], 1);
    expect(i.rules).toHaveLength(rules - 1);
    expect(i.rules.some((rule) => JSON.stringify(rule).includes('rumoer'))).toBe(false);
  });

  it('a snapshot: a schedule of another kind, moments, fields and their kind of answer', () => {
    let i = setResponseType(buildInstrument(), ITEM, 'snapshot');
    expect(getAt(i, [...ITEM, 'response'])).toMatchObject({ schedule: { atMinutes: [10, 20, 30] } });
    i = setSchedule(i, ITEM, 'every');
    expect(getAt(i, [...ITEM, 'response', 'schedule'])).toEqual({ everyMinutes: 10, fromMinute: 10, untilMinute: 30 });
    i = setSchedule(i, ITEM, 'equalParts');
    expect(i.format).toBe(2);
    expect(getAt(i, [...ITEM, 'response', 'schedule'])).toEqual({ equalParts: 3 });
    i = setSchedule(i, ITEM, 'atMinutes');
    i = addSnapshotMinute(i, ITEM).instrument;
    expect(getAt(i, [...ITEM, 'response', 'schedule', 'atMinutes'])).toHaveLength(4);
    i = addSnapshotField(i, ITEM).instrument;
    i = setFieldResponseType(i, [...ITEM, 'response', 'fields', 1], 'rating');
    expect(getAt(i, [...ITEM, 'response', 'fields', 1, 'response'])).toEqual({ type: 'rating', scale: 'vier' });
    // A field's choices answered in a rule go when it counts instead.
    let j = v2();
    j.rules.push({
      id: 'klas',
      when: { item: 'betrokken', field: 'taakgericht', atMost: 3 },
      then: { require: ['vervolg'] },
    });
    j = setFieldResponseType(j, [...BETROKKEN, 'response', 'fields', 0], 'yes-no');
    expect(getAt(j, [...BETROKKEN, 'response', 'fields', 0, 'response'])).toEqual({ type: 'yes-no' });
  });

  it('a score item: from look-fors, behaviours, listed items or a snapshot field', () => {
    let i = setResponseType(v2(), ['domains', 1, 'items', 0], 'score');
    expect(getAt(i, ['domains', 1, 'items', 0, 'response'])).toEqual({
      type: 'score',
      method: 'mean',
      from: 'lookFors',
    });
    expect(i.domains[1]!.items[0]).not.toHaveProperty('descriptors');
    const at = ['domains', 2, 'items', 1];
    i.domains[2]!.items.push({
      id: 'aandeel',
      text: both('Aandeel'),
      response: { type: 'score', method: 'mean', from: 'lookFors' },
      lookFors: [{ id: 'l', text: both('l') }],
    });
    i = setScoreFrom(i, at, 'snapshot');
    expect(getAt(i, [...at, 'response', 'from'])).toEqual({ snapshot: 'betrokken', field: 'taakgericht' });
    i = setSnapshotSource(i, at, { field: 'onrust' });
    i = setSnapshotValue(i, at, 6, true);
    i = setSnapshotValue(i, at, 7, true);
    expect(getAt(i, [...at, 'response', 'from'])).toEqual({ snapshot: 'betrokken', field: 'onrust', in: [6, 7] });
    i = setSnapshotValue(setSnapshotValue(i, at, 6, false), at, 7, false);
    expect(getAt(i, [...at, 'response', 'from'])).toEqual({ snapshot: 'betrokken', field: 'onrust' });
    i = setScoreFrom(i, at, 'items');
    i = setScoreItem(i, at, 'betrokken', true);
    i = setScoreItem(i, at, 'zelfbeeld', true);
    i = setWeight(i, [...at, 'response'], 'zelfbeeld', 2);
    i = setScoreItem(i, at, 'zelfbeeld', false);
    expect(getAt(i, [...at, 'response'])).toEqual({ type: 'score', method: 'mean', from: { items: ['betrokken'] } });
  });

  it('a domain repeated in cycles, with a score and a respondent; an item required or optional', () => {
    let i = setRepeat(buildInstrument(), 1, true);
    expect(i.format).toBe(2);
    expect(i.domains[1]!.repeat).toEqual({ label: { nl: 'Cyclus', en: 'Cycle' } });
    i = setDomainScore(i, 1, true);
    expect(i.domains[1]!.score).toEqual({ method: 'mean' });
    i = setRespondent(i, ['domains', 0], 'observed');
    expect(i.domains[0]!.answeredBy).toBe('observed');
    expect(setRespondent(i, ['domains', 0], 'observer').domains[0]).not.toHaveProperty('answeredBy');
    i = setRespondent(i, [...ITEM], 'observer');
    expect(i.domains[0]!.items[0]!.answeredBy).toBe('observer');
    i = setRequired(i, ITEM, 'required');
    expect(i.domains[0]!.items[0]!.required).toBe(true);
    expect(setRequired(i, ITEM, 'optional').domains[0]!.items[0]!.required).toBe(false);
    expect(setRequired(i, ITEM, 'default').domains[0]!.items[0]).not.toHaveProperty('required');
    i = setLookForAnswer(i, ITEM, 'seen-not-seen');
    expect(i.domains[0]!.items[0]!.lookForAnswer).toBe('seen-not-seen');
    expect(setLookForAnswer(i, ITEM, 'tick').domains[0]!.items[0]).not.toHaveProperty('lookForAnswer');
    expect(setRepeat(i, 1, false).domains[1]).not.toHaveProperty('repeat');
    expect(setDomainScore(i, 1, false).domains[1]).not.toHaveProperty('score');
  });

  it('an item’s own descriptors on a scale with bands: one per band', () => {
    const warmte = ['domains', 0, 'items', 0];
    const i = setItemDescriptors(setItemDescriptors(v2(), warmte, false), warmte, true);
    expect(Object.keys(i.domains[0]!.items[0]!.descriptors!)).toEqual(['laag', 'midden', 'hoog']);
  });

  it('a repeatable text, and a choice’s option groups renamed and removed in its options', () => {
    const tekst = ['domains', 1, 'items', 5];
    let i = setRepeatable(buildInstrument(), tekst, true);
    i = setAt(i, [...tekst, 'response', 'maxEntries'], 5);
    expect(i.format).toBe(2);
    expect(getAt(setRepeatable(i, tekst, false), [...tekst, 'response'])).toEqual(
      buildInstrument().domains[1]!.items[5]!.response,
    );
    const keuze = ['domains', 1, 'items', 2, 'response'];
    i = addOptionGroup(i, keuze).instrument;
    expect(getAt(i, [...keuze, 'options'])).toMatchObject([{ group: 'group' }, { group: 'group' }]);
    i = addOptionGroup(i, keuze).instrument;
    i = editText(i, [...keuze, 'groups', 0], 'label', 'nl', 'Klassikaal');
    expect(getAt(i, [...keuze, 'options'])).toMatchObject([{ group: 'klassikaal' }, { group: 'klassikaal' }]);
    i = setAt(i, [...keuze, 'options', 1, 'group'], 'group-2');
    i = removeEntry(i, [...keuze, 'groups'], 0);
    expect(getAt(i, [...keuze, 'options', 0])).not.toHaveProperty('group');
    expect(getAt(i, [...keuze, 'options', 1, 'group'])).toBe('group-2');
    i = removeEntry(i, [...keuze, 'groups'], 0);
    expect(getAt(i, keuze)).not.toHaveProperty('groups');
    expect(getAt(i, [...keuze, 'options', 1])).not.toHaveProperty('group');
    // In buildInstrumentV2 a group renamed follows into its options.
    const two = renameId(v2(), [...WERKVORM, 'response', 'groups', 1], 'alleen');
    expect(getAt(two, [...WERKVORM, 'response', 'options', 2, 'group'])).toBe('alleen');
    valid(two);
  });

  it('a look-for removed leaves the weights and rule answers that named it', () => {
    let i = v2();
    const kijk = ['domains', 1, 'items', 2];
    i = setWeight(i, [...kijk, 'response'], 'lf2', 3);
    i.rules.push({ id: 'lf', when: { item: 'kijkpunten', in: ['lf1', 'lf2'] }, then: { show: ['vervolg'] } });
    i = removeEntry(i, [...kijk, 'lookFors'], 1);
    expect(getAt(i, [...kijk, 'response'])).not.toHaveProperty('weights');
    expect(i.rules.at(-1)!.when).toEqual({ item: 'kijkpunten', in: ['lf1'] });
  });

  it('keep every field they do not edit', () => {
    const extra = { later: { kept: true } };
    let i = v2();
    i = setAt(i, ['scoringMaps', 0, 'later'], extra);
    i = setAt(i, ['scores', 1, 'later'], extra);
    i = setAt(i, ['scales', 0, 'bands', 0, 'later'], extra);
    i = setAt(i, [...BETROKKEN, 'response', 'fields', 0, 'later'], extra);
    i = setAt(i, [...WERKVORM, 'response', 'groups', 0, 'later'], extra);
    i = setAt(i, ['domains', 0, 'repeat', 'later'], extra);
    i = setAt(i, ['domains', 1, 'score', 'later'], extra);
    const before = JSON.stringify(i);
    i = addMapEntry(i, 0).instrument;
    i = setMapEntryEnd(i, 0, 0, 'below');
    i = setScoreSource(i, 1, { domain: 'cyclus' }, true);
    i = setScoreMethod(i, ['scores', 1], 'sum');
    i = setWeight(i, ['domains', 1, 'score'], 'doel', 2);
    i = renameId(i, ['scoringMaps', 0], 'goed');
    i = renameId(i, ['scales', 0, 'bands', 0], 'weinig');
    i = renameId(i, [...BETROKKEN, 'response', 'fields', 0], 'aan-het-werk');
    i = renameId(i, [...WERKVORM, 'response', 'groups', 0], 'klas');
    i = setSchedule(i, BETROKKEN, 'atMinutes');
    i = setAt(i, ['domains', 0, 'repeat', 'max'], 5);
    for (const path of [
      ['scoringMaps', 0, 'later'],
      ['scores', 1, 'later'],
      ['scales', 0, 'bands', 0, 'later'],
      [...BETROKKEN, 'response', 'fields', 0, 'later'],
      [...WERKVORM, 'response', 'groups', 0, 'later'],
      ['domains', 0, 'repeat', 'later'],
      ['domains', 1, 'score', 'later'],
    ])
      expect(getAt(i, path)).toEqual(extra);
    expect(before).not.toBe(JSON.stringify(i));
  });

  it('offer every method, source, schedule and field answer the format has, and read which one a part uses', () => {
    expect([...SCORE_METHODS].sort()).toEqual(['max', 'mean', 'median', 'min', 'mode', 'pattern', 'ratio', 'sum']);
    expect(SCORE_METHODS.filter(takesWeights)).toEqual(['mean', 'sum']);
    expect([...SCORE_FROM].sort()).toEqual(['children', 'items', 'lookFors', 'snapshot']);
    expect(['children', 'lookFors', { items: [] }, { snapshot: 's', field: 'f' }, 'x'].map(scoreFromKind)).toEqual([
      'children',
      'lookFors',
      'items',
      'snapshot',
      undefined,
    ]);
    const scheduleOf = (kind: (typeof SCHEDULE_KINDS)[number]) =>
      getAt(setSchedule(v2(), BETROKKEN, kind), [...BETROKKEN, 'response', 'schedule']) as SnapshotSchedule;
    expect(SCHEDULE_KINDS.map((kind) => scheduleKind(scheduleOf(kind)))).toEqual([...SCHEDULE_KINDS]);
    expect([...FIELD_RESPONSE_TYPES].sort()).toEqual(['choice', 'counter', 'rating', 'yes-no']);
    expect([{ domain: 'd' }, { item: 'i' }, { score: 's' }].map(sourceId)).toEqual(['d', 'i', 's']);
    expect(everySnapshot(v2()).map((s) => [s.id, s.fields.map((f) => f.id)])).toEqual([
      ['betrokken', ['taakgericht', 'onrust']],
    ]);
  });
});

describe('the preview of how scores are worked out', () => {
  it('fills in mid-scale answers, each repetition of a repeated section, and lists every score in order', () => {
    const instrument = buildInstrumentV2();
    expect(exampleCycles(instrument)).toEqual({ cyclus: 2 });
    const answers = exampleAnswers(instrument);
    expect(answers.get('warmte#1')).toMatchObject({ rating: 4 });
    expect(answers.get('warmte#2')).toMatchObject({ rating: 4 });
    expect(answers.has('warmte')).toBe(false);
    expect(answers.get('doel')).toMatchObject({ rating: 3 });
    expect(answers.get('gedrag-a')).toMatchObject({ answer: 'yes' });
    expect(answers.get('kijkpunten')).toMatchObject({ lookFors: ['lf1'], notSeen: ['lf2'] });
    expect(Object.keys(answers.get('betrokken')!.snapshots!)).toHaveLength(5);
    expect(Object.values(answers.get('betrokken')!.snapshots!)[0]).toEqual({ taakgericht: 20, onrust: 4 });
    expect(answers.has('toelichting#1')).toBe(false);

    const lines = scorePreview(instrument, answers);
    expect(lines.map((line) => `${line.kind}:${line.id}`)).toEqual([
      'domain:cyclus',
      'item:warmte',
      'item:spanning',
      'domain:instructie',
      'item:doel',
      'item:element',
      'item:gedrag-a',
      'item:gedrag-b',
      'item:kijkpunten',
      'item:zelfbeeld',
      'score:interactie',
      'score:totaal',
    ]);
    const value = (id: string) => lines.find((line) => line.id === id)?.value;
    // 4 of 1–7, turned round for "spanning" (1 + 7 − 4); "doel" through the scale's map (3–4 → 1).
    expect([value('warmte'), value('spanning'), value('cyclus'), value('doel')]).toEqual([4, 4, 4, 1]);
    expect(lines.find((line) => line.id === 'cyclus')!.perCycle).toEqual([4, 4]);
    // Half the look-fors seen; the domain's sum weighs the element twice: 1 + 2 × 1 + 0.5.
    expect([value('kijkpunten'), value('instructie')]).toEqual([0.5, 3.5]);
    expect(value('totaal')).toBeCloseTo((4 * 2 + 3.5) / 3);
    expect(lines.find((line) => line.id === 'totaal')!.rule).toMatchObject({
      method: 'mean',
      weights: { interactie: 2 },
    });
    // Exactly what the core gives an observation with these answers.
    const sheet = scoreObservation(instrument, answers, { cycles: exampleCycles(instrument) });
    for (const line of lines) {
      const expected = line.kind === 'item' ? sheet.items : line.kind === 'domain' ? sheet.domains : sheet.scores;
      expect(line.value, line.id).toBe(expected.get(line.id));
    }
  });

  it('follows an answer the author changes, and the rules it decides', () => {
    const instrument = buildInstrumentV2();
    const answers = exampleAnswers(instrument);
    answers.set('doel', { ...exampleAnswer(instrument, instrument.domains[1]!.items[0]!)!, rating: 1 });
    answers.delete('gedrag-b');
    const lines = scorePreview(instrument, answers);
    const value = (id: string) => lines.find((line) => line.id === id)?.value;
    expect([value('doel'), value('gedrag-b'), value('element')]).toEqual([0, undefined, 1]);
  });
});
