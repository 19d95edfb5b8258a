/**
 * The validator against files made to break it: a verdict for each, never an exception, and exactly the right
 * refusal. (The property-based test in instrument-validator-property.test.ts generates hundreds more.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatPath } from '../../src/core/instrument/json-path';
import { describe, expect, it } from 'vitest';
import {
  parseInstrument,
  parseInstrumentBytes,
  validateInstrument,
  type InstrumentValidation,
} from '../../src/core/instrument/validate';
import {
  MAX_DEPTH,
  MAX_FILE_BYTES,
  MAX_LIST_LENGTH,
  MAX_OBJECT_KEYS,
  MAX_TEXT_LENGTH,
  MAX_VALUES,
} from '../../src/core/instrument/limits';
import { isBlankText, showHidden } from '../../src/core/instrument/characters';
import { firstInvalidByte } from '../../src/core/instrument/text-input';
import { brokenCopy, buildInstrument, both } from '../factories/instrument-factory';

const encode = (text: string) => new TextEncoder().encode(text);
const found = (result: InstrumentValidation) => result.problems.map((p) => `${p.path} ${p.code}`);
const only = (result: InstrumentValidation) => {
  expect(result.ok).toBe(false);
  return result.problems.map((p) => ({ path: p.path, code: p.code, en: p.message.en }));
};
const shipped = (name: string) => readFileSync(path.resolve(__dirname, '../../instruments', name), 'utf8');

describe('limits on size, nesting and counts', () => {
  it('refuses thousands of levels of nesting before parsing, with the place, and never throws', () => {
    for (const text of ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000)]) {
      const result = parseInstrument(text);
      expect(only(result)).toEqual([
        { path: '$', code: 'tooDeep', en: expect.stringContaining(`more than ${MAX_DEPTH} levels`) as string },
      ]);
      expect(result.problems[0]!.message.en).toContain('(line 1, column');
    }
  });

  it('refuses deep nesting in a value handed over by code (a circular one too) without a stack overflow', () => {
    const deep: Record<string, unknown> = {};
    let here = deep;
    for (let i = 0; i < 10_000; i++) here = here.x = {};
    const cyclic = brokenCopy((d) => (d.domains[0].self = d));
    expect(found(validateInstrument(deep))).toEqual([`$${'.x'.repeat(MAX_DEPTH)} tooDeep`]);
    expect(validateInstrument(cyclic).problems.map((p) => p.code)).toContain('tooDeep');
  });

  it('accepts the nesting the format needs, right up to the limit', () => {
    // A list nested exactly MAX_DEPTH levels deep is read (and refused for its content, not its depth).
    const text = `{"x":${'['.repeat(MAX_DEPTH - 1)}${']'.repeat(MAX_DEPTH - 1)}}`;
    expect(parseInstrument(text).problems.map((p) => p.code)).not.toContain('tooDeep');
    const over = `{"x":${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}}`;
    expect(parseInstrument(over).problems.map((p) => p.code)).toEqual(['tooDeep']);
  });

  it('refuses a file over the size limit in bytes, and says how large it is', () => {
    const bytes = new Uint8Array(MAX_FILE_BYTES + 1).fill(0x20);
    expect(only(parseInstrumentBytes(bytes))).toEqual([
      { path: '$', code: 'fileTooLarge', en: 'The file is 5.0 MB; an instrument may be at most 5 MB.' },
    ]);
    expect(parseInstrument(' '.repeat(MAX_FILE_BYTES + 1)).problems[0]?.code).toBe('fileTooLarge');
  });

  it('refuses a multi-megabyte text with its length, and keeps the message short', () => {
    const huge = 'ä'.repeat(2_000_000);
    const result = validateInstrument(brokenCopy((d) => (d.description.nl = huge)));
    expect(only(result)).toEqual([
      {
        path: '$.description.nl',
        code: 'tooLong',
        en: `Too long: 2000000 characters, at most ${MAX_TEXT_LENGTH} allowed.`,
      },
    ]);
  });

  it('counts characters as people do: emoji are one each', () => {
    const emoji = '🙂'.repeat(MAX_TEXT_LENGTH);
    expect(validateInstrument({ ...buildInstrument(), author: emoji }).problems.map((p) => p.code)).toEqual([
      'tooLong',
    ]);
    // 10,000 emoji pass the limit (20,000 UTF-16 units) and get the schema's own maximum of 200 instead.
    expect(validateInstrument({ ...buildInstrument(), author: emoji }).problems[0]?.message.en).toContain(
      'at most 200 allowed',
    );
  });

  it('refuses a huge key without repeating it in the path', () => {
    const key = 'k'.repeat(MAX_TEXT_LENGTH + 1);
    const result = validateInstrument({ ...buildInstrument(), [key]: 1 });
    expect(found(result)).toEqual([`$["${'k'.repeat(20)}…"] tooLong`]);
  });

  it('refuses a list or an object too long to check, and too many values in all', () => {
    expect(
      found(validateInstrument(brokenCopy((d) => (d.rules[0].when.in = Array(MAX_LIST_LENGTH + 1).fill('ja'))))),
    ).toEqual(['$.rules[0].when.in tooMany']);
    const wide = Object.fromEntries(Array.from({ length: MAX_OBJECT_KEYS + 1 }, (_, i) => [String(i), both('x')]));
    expect(found(validateInstrument(brokenCopy((d) => (d.domains[0].items[0].descriptors = wide))))).toEqual([
      '$.domains[0].items[0].descriptors tooMany',
    ]);
    const many = Array.from({ length: MAX_VALUES / 500 + 1 }, () => Array(MAX_LIST_LENGTH / 2).fill(0));
    expect(found(validateInstrument({ ...buildInstrument(), extra: many }))).toEqual(['$ tooManyValues']);
  });

  // 85,000 wrong values through the whole validator: a second alone, several on a machine busy with other work.
  it('describes the first 1,000 mistakes against the schema and counts the rest', { timeout: 30_000 }, () => {
    const rules = Array.from({ length: 85 }, (_, r) => ({
      id: `r${r}`,
      when: { item: 'janee', in: Array(999).fill(true) },
      then: { notApplicable: ['keuze'] },
    }));
    const result = validateInstrument({ ...buildInstrument(), rules });
    const schemaProblems = result.problems.filter((p) => p.code === 'wrongType');
    expect(schemaProblems.length).toBeLessThanOrEqual(1_000);
    const more = result.problems.find((p) => p.code === 'moreSchemaProblems')?.message.en ?? '';
    expect(more).toMatch(
      /^And \d+ more places where the file does not match the schema\. Fix the problems above first\.$/,
    );
    expect(Number(/\d+/.exec(more)?.[0])).toBeGreaterThanOrEqual(85 * 999 - 1_000);
  });

  it('reports at most 20 limits, then stops', () => {
    const texts = Array.from({ length: 100 }, () => 'x'.repeat(MAX_TEXT_LENGTH + 1));
    expect(validateInstrument({ ...buildInstrument(), extra: texts }).problems).toHaveLength(20);
  });
});

describe('bytes and encodings', () => {
  const good = JSON.stringify(buildInstrument());

  it('accepts UTF-8 with and without a byte-order mark', () => {
    expect(parseInstrumentBytes(encode(good)).ok).toBe(true);
    expect(parseInstrumentBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...encode(good)])).ok).toBe(true);
  });

  it('refuses a byte that is not UTF-8, with where it is, instead of replacing the letter', () => {
    // "Doel" with a Latin-1 é (0xE9), as an old Windows editor saves it.
    const text = good.replace('"Testinstrument"', '"Test\u0000instrument"');
    const bytes = encode(text);
    const at = bytes.indexOf(0);
    bytes[at] = 0xe9;
    const result = parseInstrumentBytes(bytes);
    expect(only(result)).toEqual([
      { path: '$', code: 'notUtf8', en: expect.stringContaining(`byte ${at} (line 1, column ${at + 1})`) as string },
    ]);
    expect(result.problems[0]!.message.nl).toContain('Sla het bestand op als UTF-8');
    // With a byte-order mark the offset still counts from the start of the file; on line 3 the column restarts.
    const withBom = parseInstrumentBytes(
      new Uint8Array([0xef, 0xbb, 0xbf, ...encode('{\n\n  "a": "'), 0xc3, 0x28, ...encode('"}')]),
    );
    expect(withBom.problems[0]?.message.en).toContain('byte 14 (line 3, column 9)');
  });

  it.each([
    ['an overlong slash', [0xc0, 0xaf]],
    ['a surrogate', [0xed, 0xa0, 0x80]],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a sequence cut short', [0xe2, 0x82]],
    ['a lone continuation byte', [0x80]],
  ])('refuses %s', (_, sequence) => {
    const bytes = new Uint8Array([...encode('{"a":"'), ...sequence, ...encode('"}')]);
    expect(firstInvalidByte(bytes)).toBe(6);
    expect(parseInstrumentBytes(bytes).problems.map((p) => p.code)).toEqual(['notUtf8']);
  });

  it('finds no fault in well-formed UTF-8 of every length', () => {
    const bytes = encode('a é € 🙂 \u07FF \uFFFD \u{10FFFF}');
    expect(firstInvalidByte(bytes)).toBe(bytes.length);
  });

  it('tells a UTF-16 or UTF-32 file to be saved as UTF-8', () => {
    const utf16le = new Uint8Array(Buffer.from(good, 'utf16le'));
    expect(found(parseInstrumentBytes(new Uint8Array([0xff, 0xfe, ...utf16le])))).toEqual(['$ utf16File']);
    expect(found(parseInstrumentBytes(utf16le))).toEqual(['$ utf16File']);
    expect(parseInstrumentBytes(new Uint8Array([0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0])).problems[0]?.message.en).toBe(
      'This file is saved as UTF-32. Save it as UTF-8 and choose it again.',
    );
  });
});

describe('texts and characters', () => {
  it.each([
    ['zero-width spaces', '\u200B\u200B'],
    ['a word joiner and a soft hyphen', '\u2060\u00AD'],
    ['direction overrides and isolates', '\u202E\u2066\u2069\u200F'],
    ['a byte-order mark and spaces', ' \uFEFF '],
    ['a Hangul filler', '\u3164'],
  ])('refuses a text of %s only', (_, value) => {
    const result = validateInstrument(brokenCopy((d) => (d.domains[0].items[0].text.en = value)));
    expect(found(result)).toEqual(['$.domains[0].items[0].text.en invisibleText']);
    expect(result.problems[0]!.message.en).toMatch(/invisible characters \(such as U\+[0-9A-F]{4}\) and spaces only/);
  });

  it('refuses a text of spaces only anywhere, not only in translated texts', () => {
    expect(found(validateInstrument(brokenCopy((d) => (d.title.en = ' \t\n '))))).toEqual(['$.title.en blankText']);
    expect(found(validateInstrument({ ...buildInstrument(), author: '   ' }))).toEqual(['$.author blankText']);
    expect(found(validateInstrument({ ...buildInstrument(), license: '\u200B' }))).toEqual(['$.license invisibleText']);
  });

  it('keeps a text with a zero-width joiner between visible characters (an emoji family, a Persian word)', () => {
    expect(validateInstrument(brokenCopy((d) => (d.title.en = 'Team 👩\u200D👩\u200D👧 time'))).ok).toBe(true);
    expect(isBlankText('a\u200B')).toBe(false);
  });

  it.each([
    ['NUL', '\u0000', 'U+0000'],
    ['an escape sequence', '\u001B[2J', 'U+001B'],
    ['DEL', '\u007F', 'U+007F'],
    ['a C1 control', '\u0085', 'U+0085'],
  ])('refuses %s inside a text, with its place', (_, control, name) => {
    const result = validateInstrument(brokenCopy((d) => (d.domains[0].items[0].text.nl = `Doel${control}en`)));
    expect(found(result)).toEqual(['$.domains[0].items[0].text.nl controlCharacter']);
    expect(result.problems[0]!.message.en).toContain(`control character ${name} (character 5)`);
  });

  it('allows tabs and line breaks in a longer text', () => {
    expect(validateInstrument(brokenCopy((d) => (d.description.nl = 'Eerste regel\nTweede\tregel\r\n'))).ok).toBe(true);
  });

  it('refuses half a character (a lone surrogate written as \\ud800)', () => {
    const text = JSON.stringify(buildInstrument()).replace('"Testinstrument"', '"Test\\ud800instrument"');
    expect(found(parseInstrument(text))).toEqual(['$.title.nl brokenCharacter']);
  });

  it('refuses a control character in a key, and never shows one in a path or message', () => {
    const result = validateInstrument({ ...buildInstrument(), 'evil\u001B]0;owned\u0007\u202E': 1 });
    expect(result.problems.map((p) => p.code).sort()).toEqual(['controlCharacter', 'unknownField']);
    for (const p of result.problems) {
      for (const text of [p.path, p.message.nl, p.message.en]) {
        expect(text).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u200B-\u200F]/);
      }
    }
    expect(result.problems.find((p) => p.code === 'unknownField')?.message.en).toBe(
      'Unknown field "evil\\u{001B}]0;owned\\u{0007}\\u{202E}". Is it a typo?',
    );
  });

  it('shows hidden characters as \\u{…}', () => {
    expect(showHidden('a\u200Bb\u0000c\n🙂\uD800')).toBe('a\\u{200B}b\\u{0000}c\\u{000A}🙂\\u{D800}');
  });
});

describe('exact refusals', () => {
  it.each([
    ['a stray word', '{\n  "format": 1,\n  "id": nope\n}', 'line 3, column 9', "Unexpected token 'n'"],
    ['an emoji where a value belongs', '{"a": 🙂}', 'line 1, column 7', "Unexpected token '🙂'"],
    ['single quotes', "{'a': 1}", 'line 1, column 2', 'Expected property name'],
    ['text after the end', '{} x', 'line 1, column 4', 'Unexpected non-whitespace character after JSON.'],
    ['a cut-off file', '{"a": [1, 2', 'line 1, column 12', ''],
  ])('names the line and column of %s', (_, text, where, says) => {
    const [problem] = parseInstrument(text).problems;
    expect(problem?.code).toBe('notJson');
    expect(problem?.message.en).toContain(`(${where})`);
    expect(problem?.message.en).toContain(says);
    expect(problem?.message.nl).toContain(`(regel ${where.replace('line ', '').replace(', column ', ', kolom ')})`);
  });

  it.each(['01', '1.0', ' 1', '1e0', '+1', '-0'])(
    'refuses the descriptor key "%s": it names no level of the scale',
    (key) => {
      const result = validateInstrument(
        brokenCopy((d) => {
          const descriptors = d.domains[0].items[0].descriptors;
          descriptors[key] = descriptors['1'];
          delete descriptors['1'];
        }),
      );
      expect(result.ok).toBe(false);
      // One mistake, one line: at the key, which also says that level 1 has no descriptor yet.
      const lines = result.problems.filter((p) => p.path.startsWith('$.domains[0].items[0].descriptors'));
      expect(lines).toHaveLength(1);
      expect(lines[0]!.path).toBe(formatPath(['domains', 0, 'items', 0, 'descriptors', key]));
      expect(['descriptorWrongKey', 'badLevelKey']).toContain(lines[0]!.code);
    },
  );

  it('says that 1e999 is an infinite number, not that a number is not a number', () => {
    const text = JSON.stringify(buildInstrument())
      .replace('"lessonMinutes":45', '"lessonMinutes":1e999')
      .replace('"difficulty":0', '"difficulty":-1e999');
    const result = parseInstrument(text);
    expect(only(result)).toEqual(
      expect.arrayContaining([
        {
          path: '$.lessonMinutes',
          code: 'infiniteNumber',
          en: 'This number is too large to work with (it counts as infinite). Use an ordinary number.',
        },
        { path: '$.domains[0].items[1].difficulty', code: 'infiniteNumber', en: expect.any(String) as string },
      ]),
    );
    const asText = parseInstrument(JSON.stringify(buildInstrument()).replace('"Testinstrument"', '1e999'));
    expect(asText.problems[0]?.message.en).toBe('Expected text, but this is an infinite number.');
  });

  it("lists a snapshot field's own response types when a field's type is unknown", () => {
    const result = validateInstrument(
      brokenCopy((d) => (d.domains[1].items[4].response.fields[0].response = { type: 'text' })),
    );
    const problem = result.problems.find((p) => p.code === 'unknownResponseType');
    expect(problem?.path).toBe('$.domains[1].items[4].response.fields[0].response.type');
    expect(problem?.message.en).toBe('Unknown response type "text". Choose from: rating, yes-no, choice, counter.');
    const item = validateInstrument(brokenCopy((d) => (d.domains[0].items[1].response = { type: 'slider' })));
    // Read from the schema: format 2's date, time and score are there without a change here.
    expect(item.problems[0]?.message.en).toBe(
      'Unknown response type "slider". Choose from: rating, checklist, yes-no, choice, counter, snapshot, text, date, time, score.',
    );
  });

  it('refuses a key that appears twice in one object, naming the second', () => {
    const text = JSON.stringify(buildInstrument(), null, 2).replace(
      '"version": "1.0.0",',
      '"version": "1.0.0",\n  "version": "2.0.0",',
    );
    const result = parseInstrument(text);
    expect(only(result)).toEqual([
      {
        path: '$.version',
        code: 'duplicateKey',
        en: 'The field "version" appears twice in the same object (line 6, column 3). Keep one.',
      },
    ]);
    const nested = parseInstrument('{"a":[{"b":1},{"b":1,"\\u0062":2}]}');
    expect(found(nested)).toContain('$.a[1].b duplicateKey');
  });

  it('reads "__proto__" and "constructor" as plain (unknown) keys', () => {
    const text = JSON.stringify(buildInstrument()).replace(
      '{"$schema"',
      '{"__proto__":{"polluted":true},"constructor":1,"$schema"',
    );
    const result = parseInstrument(text);
    expect(found(result).sort()).toEqual(['$.__proto__ unknownField', '$.constructor unknownField']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('checks a file with an object whose own "toString" or "__proto__" is data, at every place of the instrument', () => {
    // `String(value)` throws on {"toString": 1}; a check that quotes a value must not use it.
    const hostile = JSON.parse('{"toString": 1, "valueOf": 2, "__proto__": {"x": 1}, "constructor": 3}') as unknown;
    const places: Array<Array<string | number>> = [];
    const walk = (value: unknown, path: Array<string | number>) => {
      if (typeof value !== 'object' || value === null) return;
      for (const [key, inner] of Object.entries(value)) {
        const here = [...path, Array.isArray(value) ? Number(key) : key];
        places.push(here);
        walk(inner, here);
      }
    };
    walk(buildInstrument(), []);
    expect(places.length).toBeGreaterThan(200);
    for (const place of places) {
      const copy = brokenCopy(() => {}) as Record<string | number, unknown>;
      let parent: Record<string | number, unknown> = copy;
      for (const key of place.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      parent[place.at(-1)!] = hostile;
      const result = validateInstrument(copy);
      expect(result.ok, place.join('.')).toBe(false);
      expect(
        result.problems.map((p) => p.code),
        place.join('.'),
      ).not.toContain('couldNotCheck');
    }
  });

  it('answers "could not check", never throws, for a value code hands over that cannot be read', () => {
    const hostile = new Proxy(buildInstrument(), {
      ownKeys() {
        throw new Error('no keys for you');
      },
    });
    const result = validateInstrument(hostile);
    expect(result).toEqual({
      ok: false,
      checked: false,
      problems: [expect.objectContaining({ path: '$', code: 'couldNotCheck' })],
    });
    expect(result.problems[0]!.message.en).toContain('Error: no keys for you');
  });

  it('still accepts every shipped instrument, from its bytes', () => {
    for (const name of [
      'lesobservatie.json',
      'time-on-task.json',
      'collegiale-feedback.json',
      'startersbegeleiding.json',
      'zelfevaluatie.json',
    ]) {
      expect(found(parseInstrumentBytes(encode(shipped(name)))), name).toEqual([]);
    }
  });
});
