import { describe, expect, it } from 'vitest';
import { parseInstrument, validateInstrument } from '../../src/core/instrument/validate';
import { PROBLEM_CODES, problem, type ProblemCode } from '../../src/core/instrument/problems';
import { brokenCopy, buildInstrument, both } from '../factories/instrument-factory';

const paths = (data: unknown) => validateInstrument(data).problems.map((p) => `${p.path} ${p.code}`);

describe('validateInstrument', () => {
  it('accepts an instrument that uses every response type, an element, a rule and a reverse-keyed item', () => {
    const result = validateInstrument(buildInstrument());
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  interface Case {
    name: string;
    input: unknown;
    path: string;
    code: ProblemCode;
    /** A fragment of the English message that tells the author what to fix. */
    says: string;
  }

  const cases: Case[] = [
    {
      name: 'a file that is not JSON',
      input: '{ "format": 1, "id": "x", }',
      path: '$',
      code: 'notJson',
      says: 'line 1, column 27',
    },
    { name: 'an empty file', input: '   ', path: '$', code: 'emptyFile', says: 'The file is empty' },
    { name: 'JSON that is not an object', input: '[1, 2]', path: '$', code: 'notObject', says: 'JSON object' },
    {
      name: 'a missing version',
      input: brokenCopy((d) => delete d.version),
      path: '$.version',
      code: 'required',
      says: 'The required field "version" is missing',
    },
    {
      name: 'a version that is not semantic',
      input: brokenCopy((d) => (d.version = 'v2')),
      path: '$.version',
      code: 'badVersion',
      says: '"v2" is not a valid version',
    },
    {
      name: 'a format this app cannot read',
      input: brokenCopy((d) => (d.format = 4)),
      path: '$.format',
      code: 'unsupportedFormat',
      says: 'Unknown format version 4. This version of Meekijken reads format 1, 2 and 3',
    },
    {
      name: 'duplicate item ids across domains',
      input: brokenCopy((d) => (d.domains[1].items[0].id = 'k1')),
      path: '$.domains[1].items[0].id',
      code: 'duplicateId',
      says: 'The id "k1" is already used (Section 1 "Climate", item 1.1 "Item k1 (en)")',
    },
    {
      name: 'a behaviour id that repeats an item id',
      input: brokenCopy((d) => (d.domains[0].items[2].children[1].id = 'k2')),
      path: '$.domains[0].items[2].children[1].id',
      code: 'duplicateId',
      says: '"k2"',
    },
    {
      name: 'duplicate look-for ids within an item',
      input: brokenCopy((d) => (d.domains[0].items[0].lookFors[1].id = 'lf1')),
      path: '$.domains[0].items[0].lookFors[1].id',
      code: 'duplicateId',
      says: '"lf1"',
    },
    {
      name: 'an unknown response type',
      input: brokenCopy((d) => (d.domains[0].items[1].response = { type: 'slider' })),
      path: '$.domains[0].items[1].response.type',
      code: 'unknownResponseType',
      says: 'Unknown response type "slider". Choose from: rating, checklist, yes-no, choice, counter, snapshot, text',
    },
    {
      name: 'a rule pointing at an item that does not exist',
      input: brokenCopy((d) => (d.rules[0].when.item = 'bestaat-niet')),
      path: '$.rules[0].when.item',
      code: 'ruleUnknownItem',
      says: '"bestaat-niet", but that item does not exist',
    },
    {
      name: 'a rule making a missing item not applicable',
      input: brokenCopy((d) => d.rules[0].then.notApplicable.push('weg')),
      path: '$.rules[0].then.notApplicable[1]',
      code: 'ruleUnknownItem',
      says: '"weg"',
    },
    {
      name: 'a rule testing for an answer the item cannot give',
      input: brokenCopy((d) => (d.rules[0].when.in = ['misschien'])),
      path: '$.rules[0].when.in[0]',
      code: 'ruleUnknownAnswer',
      says: 'cannot have the answer "misschien". Possible: yes, no, not-observed',
    },
    {
      name: 'a rule driven by a free-text item',
      input: brokenCopy((d) => (d.rules[0].when.item = 'tekst')),
      path: '$.rules[0].when.item',
      code: 'ruleUnsupportedItem',
      says: 'is of type "text"',
    },
    {
      name: 'a missing translation',
      input: brokenCopy((d) => delete d.domains[0].items[1].text.en),
      path: '$.domains[0].items[1].text.en',
      code: 'missingTranslation',
      says: 'The text in "en" is missing',
    },
    {
      name: 'a text in a language the instrument does not declare',
      input: brokenCopy((d) => (d.title.de = 'Testinstrument')),
      path: '$.title.de',
      code: 'undeclaredLanguage',
      says: '"de" is not listed',
    },
    {
      name: 'item descriptors that skip a scale level',
      input: brokenCopy((d) => delete d.domains[0].items[0].descriptors['3']),
      path: '$.domains[0].items[0].descriptors',
      code: 'descriptorMissing',
      says: 'descriptor for level 3 of scale "vier" is missing',
    },
    {
      name: 'item descriptors for a level the scale does not have',
      input: brokenCopy((d) => (d.domains[0].items[0].descriptors['5'] = both('Vijf'))),
      path: '$.domains[0].items[0].descriptors["5"]',
      code: 'descriptorUnknownLevel',
      says: 'Scale "vier" has no level 5. Levels: 1, 2, 3, 4',
    },
    {
      name: 'a scale level without a descriptor when the others have one',
      input: brokenCopy((d) => delete d.scales[0].levels[2].descriptor),
      path: '$.scales[0].levels[2].descriptor',
      code: 'levelDescriptorsIncomplete',
      says: 'Level 3 has no descriptor',
    },
    {
      name: 'a rating on a scale that is not declared',
      input: brokenCopy((d) => (d.domains[0].items[1].response.scale = 'vijf')),
      path: '$.domains[0].items[1].response.scale',
      code: 'unknownScale',
      says: 'no scale with id "vijf". Known scales: vier',
    },
    {
      name: 'scale levels out of order',
      input: brokenCopy((d) => d.scales[0].levels.reverse()),
      path: '$.scales[0].levels',
      code: 'levelsNotAscending',
      says: 'from low to high',
    },
    {
      name: 'a number where text is expected',
      input: brokenCopy((d) => (d.domains[0].title.nl = 42)),
      path: '$.domains[0].title.nl',
      code: 'wrongType',
      says: 'Expected text, but this is a whole number',
    },
    {
      name: 'a list where an object is expected',
      input: brokenCopy((d) => (d.scales[0].notObserved = [])),
      path: '$.scales[0].notObserved',
      code: 'wrongType',
      says: 'Expected an object',
    },
    {
      name: 'an over-long item text',
      input: brokenCopy((d) => (d.domains[0].items[0].text.nl = 'x'.repeat(301))),
      path: '$.domains[0].items[0].text.nl',
      code: 'tooLong',
      says: 'Too long: 301 characters, at most 300 allowed',
    },
    {
      name: 'an empty label',
      input: brokenCopy((d) => (d.scales[0].levels[0].label.en = '')),
      path: '$.scales[0].levels[0].label.en',
      code: 'empty',
      says: 'Must not be empty',
    },
    {
      name: 'a text of spaces only',
      input: brokenCopy((d) => (d.description.en = '   ')),
      path: '$.description.en',
      code: 'blankText',
      says: 'spaces only',
    },
    {
      name: 'a misspelt field',
      input: brokenCopy((d) => (d.domains[0].items[0].lookfors = [])),
      path: '$.domains[0].items[0].lookfors',
      code: 'unknownField',
      says: 'Unknown field "lookfors"',
    },
    {
      name: 'an id with capitals and spaces',
      input: brokenCopy((d) => (d.domains[0].id = 'Leer klimaat')),
      path: '$.domains[0].id',
      code: 'badId',
      says: '"Leer klimaat" is not a valid id',
    },
    {
      name: 'an unknown instrument kind',
      input: brokenCopy((d) => (d.kind = 'exam')),
      path: '$.kind',
      code: 'notAllowed',
      says: '"exam" is not allowed here. Choose from: observation, feedback',
    },
    {
      name: 'counter bands with a gap',
      input: brokenCopy((d) => (d.domains[1].items[3].response.bands[1].min = 3)),
      path: '$.domains[1].items[3].response.bands[1].min',
      code: 'bandsNotContiguous',
      says: 'must start at 2',
    },
    {
      name: 'an open band that is not the last',
      input: brokenCopy((d) => delete d.domains[1].items[3].response.bands[0].max),
      path: '$.domains[1].items[3].response.bands[0]',
      code: 'bandOpenNotLast',
      says: 'Only the last band',
    },
    {
      name: 'a snapshot after the end of the lesson',
      input: brokenCopy((d) => (d.domains[1].items[4].response.schedule = { atMinutes: [10, 20, 50] })),
      path: '$.domains[1].items[4].response.schedule.atMinutes[2]',
      code: 'scheduleBeyondLesson',
      says: 'Minute 50 falls after the end of the lesson (45 minutes)',
    },
    {
      name: 'a snapshot in a repeated section after the end of one repetition',
      input: brokenCopy((d) => {
        d.domains[1].repeat = { label: { nl: 'Cyclus', en: 'Cycle' }, minutes: 15 };
        d.domains[1].items[4].response.schedule = { atMinutes: [5, 10, 20] };
      }),
      path: '$.domains[1].items[4].response.schedule.atMinutes[2]',
      code: 'scheduleBeyondRepeat',
      says: 'Minute 20 falls after the end of one repetition (15 minutes)',
    },
    {
      name: 'a snapshot schedule with both forms',
      input: brokenCopy((d) => (d.domains[1].items[4].response.schedule.atMinutes = [5])),
      path: '$.domains[1].items[4].response.schedule',
      code: 'scheduleForm',
      says: 'Choose one way: "atMinutes"',
    },
    {
      name: 'a reverse-keyed item that is not a rating',
      input: brokenCopy((d) => (d.domains[1].items[1].reverse = true)),
      path: '$.domains[1].items[1].reverse',
      code: 'reverseWithoutRating',
      says: '"reverse" only has meaning',
    },
    {
      name: 'behaviours nested two levels deep',
      input: brokenCopy(
        (d) =>
          (d.domains[0].items[2].children[0].children = [
            {
              id: 'diep',
              text: both('Diep'),
              response: { type: 'checklist' },
              lookFors: [{ id: 'a', text: both('a') }],
            },
          ]),
      ),
      path: '$.domains[0].items[2].children[0].children',
      code: 'nestingTooDeep',
      says: 'cannot have items of their own',
    },
    {
      name: 'a difficulty far outside the logit range',
      input: brokenCopy((d) => (d.domains[0].items[0].difficulty = 40)),
      path: '$.domains[0].items[0].difficulty',
      code: 'tooLarge',
      says: 'Must be at most 6, but is 40',
    },
  ];

  it.each(cases)('refuses $name with the path and a plain message', ({ input, path, code, says }) => {
    const result = typeof input === 'string' ? parseInstrument(input) : validateInstrument(input);
    expect(result.ok).toBe(false);
    const found = result.problems.find((p) => p.path === path && p.code === code);
    expect(
      found,
      `expected ${code} at ${path}; got:\n${result.problems.map((p) => `${p.path} ${p.code}`).join('\n')}`,
    ).toBeDefined();
    expect(found!.message.en).toContain(says);
    expect(found!.message.nl.length).toBeGreaterThan(10);
    expect(found!.message.nl).not.toBe(found!.message.en);
  });

  it('reports every problem of a file at once, not only the first', () => {
    const input = brokenCopy((d) => {
      delete d.version;
      d.domains[1].items[0].id = 'k1';
      d.rules[0].when.item = 'nergens';
      delete d.title.en;
    });
    expect(paths(input)).toEqual(
      expect.arrayContaining([
        '$.version required',
        '$.domains[1].items[0].id duplicateId',
        '$.rules[0].when.item ruleUnknownItem',
        '$.title.en missingTranslation',
      ]),
    );
  });

  it('gives Dutch messages that name the field too', () => {
    const [first] = validateInstrument(brokenCopy((d) => delete d.version)).problems;
    expect(first?.message.nl).toBe('Het verplichte veld "version" ontbreekt.');
  });

  it('accepts a file with a byte-order mark', () => {
    expect(parseInstrument(`\uFEFF${JSON.stringify(buildInstrument())}`).ok).toBe(true);
  });

  it('has a Dutch and an English message for every problem code', () => {
    for (const code of PROBLEM_CODES) {
      const params = { field: 'f', value: 'v', id: 'i', language: 'en', languages: 'nl, en', limit: 1, actual: 2 };
      const more = { detail: 'd', expected: 'string', allowed: 'a, b', first: '$', scale: 's', levels: '1, 2' };
      const fileParams = {
        offset: 7,
        line: 1,
        column: 8,
        encoding: 'UTF-16',
        key: 'k',
        char: 'U+200B',
        position: 3,
        count: 5,
      };
      const { message } = problem('$', code, {
        ...params,
        ...more,
        ...fileParams,
        known: 's',
        type: 'text',
        min: 1,
        max: 2,
        input: 'text',
        second: 'show',
        items: 'a',
        from: 'children',
        method: 'min',
        parts: 'a, b',
        group: 'g',
        meant: 'm',
        forms: '"max"; "below"',
        waits: 'a',
        ids: '"a", "b"',
        missing: '1',
        earlier: 1,
        reason: 'parts',
        to: 3,
        after: 2,
        before: 3,
        example: 2.5,
        bound: 'atLeast',
      });
      expect(message.nl.trim(), code).not.toBe('');
      expect(message.en.trim(), code).not.toBe('');
      expect(message.nl, code).not.toContain('undefined');
      expect(message.en, code).not.toContain('undefined');
    }
  });
});
