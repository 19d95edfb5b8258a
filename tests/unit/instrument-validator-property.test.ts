/**
 * Property: for any bytes at all, the validator gives a verdict and never throws. A refusal names at least one
 * problem, each with a path and a Dutch and English message free of control and invisible characters; an
 * acceptance is true, as far as invariants checked here independently of the validator's code can tell.
 *
 * The files are mostly mutations of the shipped and example instruments and of the test factory's instrument (which
 * uses every response type): deleted and inserted fields, wrong types, deep nesting, huge and invisible texts, control
 * characters, 1e999, numbers at the format's limits, copied entries (repeated ids), prototype keys, keys written
 * twice, cut-off files, flipped bytes, byte-order marks and UTF-16; the rest are random JSON and random bytes.
 *
 * Reproducible: a fixed seed unless FC_SEED is set (a failure prints the seed and path to replay); FC_RUNS raises the
 * number of files (at least 500 on every run); FC_STATS=1 prints how many were accepted and which problems came up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstrumentBytes } from '../../src/core/instrument/validate';
import { MAX_DEPTH, MAX_FILE_BYTES } from '../../src/core/instrument/limits';
import type { Condition, Instrument, Item, Response } from '../../src/core/instrument';
import { buildInstrument } from '../factories/instrument-factory';

const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 1_202_611;
const RUNS = Math.max(500, Number(process.env.FC_RUNS ?? 600));

/** The shipped instruments and the example instruments of formats 2 and 3 (tests/fixtures/instruments). */
const DIRS = [path.resolve(__dirname, '../../instruments'), path.resolve(__dirname, '../fixtures/instruments')];
const BASES: unknown[] = [
  buildInstrument(),
  ...DIRS.flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json'))
      .sort()
      .map((name) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as unknown),
  ),
];

// ---------------------------------------------------------------------------------------------------------------
// Hostile values. Some cannot be made as JavaScript values and serialised (1e999, ten thousand levels of nesting
// that JSON.stringify would overflow on), so they are placeholders replaced in the text.

const INVISIBLE = [
  '\u200B',
  '\u200C',
  '\u200D',
  '\u2060',
  '\uFEFF',
  '\u202A',
  '\u202E',
  '\u2066',
  '\u2069',
  '\u200E',
  '\u200F',
  '\u00AD',
  '\u3164',
  '\u2800',
];
const CONTROL = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000B', '\u001B', '\u007F', '\u0085', '\u009B'];
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const LIMIT_NUMBERS = [
  0,
  -0,
  1,
  -1,
  2,
  4,
  5,
  6,
  -6,
  6.5,
  7,
  10,
  -10,
  11,
  -11,
  40,
  120,
  121,
  480,
  481,
  10_000,
  10_001,
  0.5,
  1e-320,
  2 ** 53 + 1,
  1e308,
  -1e308,
];

type Placeholder = { placeholder: string; text: string };
const placeholders: Placeholder[] = [];
const marker = (text: string): string => {
  const placeholder = `@@hostile-${placeholders.length}@@`;
  placeholders.push({ placeholder, text });
  return placeholder;
};

const invisibleText = fc
  .array(fc.constantFrom(...INVISIBLE, ' ', '\t'), { minLength: 1, maxLength: 6 })
  .map((chars) => chars.join(''));
const withControl = fc
  .tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...CONTROL), fc.string({ maxLength: 10 }))
  .map(([a, c, b]) => a + c + b);
const hugeText = fc
  .tuple(fc.constantFrom('x', 'ä', '🙂', '\u200B', ' '), fc.integer({ min: 2_000, max: 600_000 }))
  .map(([c, n]) => c.repeat(n));
const deepNesting = fc
  .tuple(fc.integer({ min: MAX_DEPTH - 10, max: 20_000 }), fc.boolean())
  .map(([depth, objects]) =>
    marker(objects ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`),
  );
const infinity = fc.constantFrom('1e999', '-1e999', '1E400').map(marker);
const prototypeObject = fc
  .tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.jsonValue({ maxDepth: 2 }))
  .map(([key, value]) => JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value) ?? 'null'}}`) as unknown);
const idLike = fc.constantFrom('a', 'a-b', 'b-c', 'k1', 'vier', 'x', '1', 'A', 'a b', '', '-', 'a_b', 'é');

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: invisibleText },
  { weight: 2, arbitrary: withControl },
  { weight: 1, arbitrary: hugeText },
  { weight: 1, arbitrary: deepNesting },
  { weight: 2, arbitrary: infinity },
  { weight: 3, arbitrary: fc.constantFrom(...LIMIT_NUMBERS) },
  { weight: 1, arbitrary: prototypeObject },
  { weight: 2, arbitrary: idLike },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
);

// ---------------------------------------------------------------------------------------------------------------
// Mutations at a place picked among all places of the current value (`at` is taken modulo their number).

type Json = Record<string, unknown>;
type Place = { parent: Json | unknown[]; key: string | number };

function places(value: unknown, depth = 0, found: Place[] = []): Place[] {
  if (depth > 40 || typeof value !== 'object' || value === null) return found;
  if (Array.isArray(value)) {
    value.forEach((_, i) => {
      found.push({ parent: value, key: i });
      places(value[i], depth + 1, found);
    });
  } else {
    for (const key of Object.keys(value)) {
      found.push({ parent: value as Json, key });
      places((value as Json)[key], depth + 1, found);
    }
  }
  return found;
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant('copy-sibling' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert-key' as const),
    at: fc.nat(),
    key: fc.constantFrom(
      ...PROTOTYPE_KEYS,
      'id',
      'children',
      'descriptors',
      'reverse',
      '1',
      '01',
      ' 1',
      '1.0',
      '-0',
      'de',
      'x',
    ),
    value: hostileValue,
  }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('borrow-id' as const), at: fc.nat(), other: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(value: unknown, m: Mutation): void {
  const all = places(value);
  if (all.length === 0) return;
  const { parent, key } = all[m.at % all.length]!;
  const target = parent as Record<string | number, unknown>;
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete target[key];
      return;
    case 'replace':
      target[key] = m.value;
      return;
    case 'copy-sibling':
      // A copy beside the original: repeated ids, repeated levels, repeated rules.
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(parent[key as number]));
      return;
    case 'insert-key': {
      const object = target[key];
      if (typeof object === 'object' && object !== null && !Array.isArray(object)) {
        Object.defineProperty(object, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      }
      return;
    }
    case 'swap': {
      const other = all[m.other % all.length]!;
      const value2 = (other.parent as Record<string | number, unknown>)[other.key];
      (other.parent as Record<string | number, unknown>)[other.key] = target[key];
      target[key] = value2;
      return;
    }
    case 'borrow-id': {
      // Give one object the id of another (a domain and an item, two items, two options, …).
      const ids = all.filter((p) => p.key === 'id');
      if (ids.length < 2) return;
      const a = ids[m.at % ids.length]!;
      const b = ids[m.other % ids.length]!;
      (a.parent as Json).id = (b.parent as Json).id;
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// From a value to the bytes of a file, with damage done to the text and the bytes.

const textDamage = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('duplicate-key' as const),
      at: fc.nat(),
      key: fc.constantFrom('id', 'version', 'nl', 'type', 'scale', 'value'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.constantFrom(',', '}', ']', '"', '\\', '\u0000', '\n', '/*', 'NaN', '1e999', '"\\ud800"'),
    }),
  },
);
const byteDamage = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      at: fc.nat(),
      byte: fc.integer({ min: 0x80, max: 0xff }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'bom' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'utf16' as const }) },
);

function damageText(text: string, damage: { kind: string; at?: number; key?: string; text?: string }): string {
  const at = (damage.at ?? 0) % (text.length + 1);
  switch (damage.kind) {
    case 'duplicate-key': {
      // Repeat a key inside the object around a position: `{"id": "x", ...` gets a second "id".
      const open = text.lastIndexOf('{', at);
      return open < 0
        ? text
        : `${text.slice(0, open + 1)}"${damage.key}": "twice", ${text.slice(open + 1)}`.replace(/, }/, ' }');
    }
    case 'cut':
      return text.slice(0, at);
    case 'insert':
      return text.slice(0, at) + (damage.text ?? '') + text.slice(at);
    default:
      return text;
  }
}

function toBytes(text: string, damage: { kind: string; at?: number; byte?: number }): Uint8Array {
  if (damage.kind === 'utf16') return new Uint8Array(Buffer.from(`\uFEFF${text}`, 'utf16le'));
  const bytes = new TextEncoder().encode(text);
  if (damage.kind === 'bom') return new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
  if (damage.kind === 'flip' && bytes.length > 0) bytes[(damage.at ?? 0) % bytes.length] = damage.byte ?? 0xff;
  return bytes;
}

function serialise(value: unknown, indent: boolean): string {
  let text = JSON.stringify(value, null, indent ? 2 : undefined) ?? 'null';
  for (const { placeholder, text: replacement } of placeholders) {
    if (text.includes(placeholder)) text = text.split(`"${placeholder}"`).join(replacement);
  }
  return text;
}

const mutatedFile = fc
  .record({
    base: fc.nat({ max: BASES.length - 1 }),
    mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }),
    indent: fc.boolean(),
    text: textDamage,
    bytes: byteDamage,
  })
  .map(({ base, mutations, indent, text, bytes }) => {
    const value = structuredClone(BASES[base]);
    for (const m of mutations) mutate(value, m);
    return toBytes(damageText(serialise(value, indent), text), bytes);
  });

/** A file as a counterexample prints it: its size and the start of its text, not a list of every byte. */
class HostileFile {
  constructor(readonly bytes: Uint8Array) {}
  [fc.toStringMethod](): string {
    const text = new TextDecoder().decode(this.bytes.subarray(0, 300));
    return `HostileFile(${this.bytes.length} bytes: ${JSON.stringify(text)}…)`;
  }
}

const randomJson = fc
  .oneof(fc.jsonValue({ maxDepth: 6 }), fc.object({ maxDepth: 4 }))
  .map((value) => new TextEncoder().encode(JSON.stringify(value) ?? ''));
const randomText = fc.string({ unit: 'grapheme', maxLength: 500 }).map((text) => new TextEncoder().encode(text));
const randomBytes = fc.uint8Array({ maxLength: 2_000 });

const hostileFile = fc
  .oneof(
    { weight: 14, arbitrary: mutatedFile },
    { weight: 2, arbitrary: randomJson },
    { weight: 1, arbitrary: randomText },
    { weight: 2, arbitrary: randomBytes },
  )
  .map((bytes) => new HostileFile(bytes));

// ---------------------------------------------------------------------------------------------------------------
// What an accepted instrument must be, checked without the validator's code.

/** Control, invisible and direction characters, and half characters (with `u`, a surrogate range matches only those). */
const HIDDEN_IN_MESSAGE =
  /[\u0000-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\uD800-\uDFFF]/u;
const NOT_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const BLANK = /^[\s\u00AD\u034F\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u2800\u3164\uFEFF\uFFA0]*$/;

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(depthOf));
}

function everyString(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, entry] of Object.entries(value)) {
      visit(key);
      everyString(entry, visit);
    }
  }
}

function expectUnique(ids: string[], what: string) {
  expect(new Set(ids).size, `${what}: ${ids.join(', ')}`).toBe(ids.length);
}

function expectTrueInstrument(instrument: Instrument, bytes: Uint8Array) {
  expect(bytes.length).toBeLessThanOrEqual(MAX_FILE_BYTES);
  expect(depthOf(instrument)).toBeLessThanOrEqual(MAX_DEPTH);
  expect([1, 2, 3]).toContain(instrument.format);
  const languages = instrument.languages;
  expect(languages.length).toBeGreaterThan(0);
  expectUnique(languages, 'languages');

  everyString(instrument, (text) => {
    expect(text).not.toMatch(NOT_IN_TEXT);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    if (text.length > 0) expect(BLANK.test(text), JSON.stringify(text)).toBe(false);
  });
  JSON.stringify(instrument, (_, value: unknown) => {
    if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
    return value;
  });

  const texts: unknown[] = [];
  const scaleLevels = new Map<string, number[]>();
  /** Per scale, the levels each descriptor key stands for: a level ("3") or, in format 2, a band's id. */
  const descriptorKeys = new Map<string, Map<string, number[]>>();
  expectUnique(
    instrument.scales.map((s) => s.id),
    'scale ids',
  );
  for (const scale of instrument.scales) {
    const values = scale.levels.map((l) => l.value);
    values.forEach((v, i) => {
      expect(Number.isInteger(v)).toBe(true);
      if (i > 0) expect(v).toBeGreaterThan(values[i - 1]!);
    });
    scaleLevels.set(scale.id, values);
    const keys = new Map(values.map((v): [string, number[]] => [String(v), [v]]));
    for (const band of scale.bands ?? [])
      keys.set(
        band.id,
        values.filter((v) => v >= band.min && v <= band.max),
      );
    descriptorKeys.set(scale.id, keys);
    texts.push(scale.label, ...scale.levels.flatMap((l) => [l.label, l.descriptor]));
  }
  const ratingScale = (response: Response) => {
    if (response.type === 'rating') expect(scaleLevels.has(response.scale), `scale ${response.scale}`).toBe(true);
  };

  const items: Item[] = [];
  const walk = (item: Item) => {
    items.push(item);
    ratingScale(item.response);
    if (item.response.type === 'snapshot') {
      expectUnique(
        item.response.fields.map((f) => f.id),
        'snapshot field ids',
      );
      for (const field of item.response.fields) ratingScale(field.response);
    }
    if (item.response.type === 'choice')
      expectUnique(
        item.response.options.map((o) => o.id),
        'option ids',
      );
    expectUnique(
      (item.lookFors ?? []).map((l) => l.id),
      'look-for ids',
    );
    if (item.descriptors) {
      // Descriptors belong to a scale, and describe each of its levels exactly once.
      const scaleId = 'scale' in item.response ? item.response.scale : undefined;
      expect(typeof scaleId).toBe('string');
      const keys = descriptorKeys.get(scaleId as string)!;
      const described = Object.keys(item.descriptors).flatMap((key) => {
        expect(keys.has(key), `descriptor key ${JSON.stringify(key)}`).toBe(true);
        return keys.get(key) ?? [];
      });
      expect(described.sort((a, b) => a - b)).toEqual(
        [...(scaleLevels.get(scaleId as string) ?? [])].sort((a, b) => a - b),
      );
    }
    texts.push(
      item.text,
      item.guidance,
      ...(item.lookFors ?? []).map((l) => l.text),
      ...Object.values(item.descriptors ?? {}),
    );
    item.children?.forEach(walk);
  };
  expectUnique(
    instrument.domains.map((d) => d.id),
    'domain ids',
  );
  for (const domain of instrument.domains) {
    texts.push(domain.title, domain.description);
    domain.items.forEach(walk);
  }
  expectUnique(
    items.map((i) => i.id),
    'item ids',
  );
  const itemIds = new Set(items.map((i) => i.id));
  const conditionItems = (condition: Condition): string[] =>
    'item' in condition
      ? [condition.item]
      : 'all' in condition || 'any' in condition || 'count' in condition
        ? ('all' in condition ? condition.all : 'any' in condition ? condition.any : condition.count).flatMap(
            conditionItems,
          )
        : [];
  const domainIds = new Set(instrument.domains.map((d) => d.id));
  for (const rule of instrument.rules) {
    for (const id of conditionItems(rule.when)) expect(itemIds.has(id), `rule ${rule.id} reads ${id}`).toBe(true);
    for (const target of [
      ...(rule.then.notApplicable ?? []),
      ...(rule.then.show ?? []),
      ...(rule.then.require ?? []),
    ]) {
      if (typeof target === 'string') expect(itemIds.has(target), `rule ${rule.id} acts on ${target}`).toBe(true);
      else expect(domainIds.has(target.domain), `rule ${rule.id} acts on ${target.domain}`).toBe(true);
    }
  }

  texts.push(instrument.title, instrument.description);
  for (const text of texts) {
    if (text === undefined) continue;
    expect(Object.keys(text as object).sort()).toEqual([...languages].sort());
    for (const value of Object.values(text as object)) expect(typeof value === 'string' && value.length > 0).toBe(true);
  }
}

describe('the validator on generated hostile files', () => {
  it(`gives every one of ${RUNS} files a true verdict and never throws (seed ${SEED})`, { timeout: 60_000 }, () => {
    const verdicts = { accepted: 0, refused: 0 };
    const codes = new Map<string, number>();
    fc.assert(
      fc.property(hostileFile, ({ bytes }) => {
        const result = parseInstrumentBytes(bytes);
        if (result.ok) {
          verdicts.accepted++;
          expect(result.problems).toEqual([]);
          expectTrueInstrument(result.instrument, bytes);
          return;
        }
        verdicts.refused++;
        if (process.env.FC_STATS)
          for (const p of new Set(result.problems.map((x) => x.code))) codes.set(p, (codes.get(p) ?? 0) + 1);
        // "Could not check" would be the validator failing: for a file, that is a bug.
        expect(result.checked, JSON.stringify(result.problems[0])).toBe(true);
        expect(result.problems.length).toBeGreaterThan(0);
        for (const problem of result.problems) {
          expect(problem.path).toMatch(/^\$/);
          expect(problem.path.length).toBeLessThanOrEqual(300);
          for (const message of [problem.message.nl, problem.message.en]) {
            expect(message.trim()).not.toBe('');
            expect(message).not.toMatch(HIDDEN_IN_MESSAGE);
            expect(message.length).toBeLessThanOrEqual(1_000);
          }
          expect(problem.message.nl).not.toBe(problem.message.en);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    if (process.env.FC_STATS)
      console.log(
        verdicts,
        [...codes].sort((a, b) => b[1] - a[1]),
      );
    // The generator reaches both sides of the verdict, or the property would prove little.
    expect(verdicts.accepted + verdicts.refused).toBeGreaterThanOrEqual(RUNS);
    expect(verdicts.accepted).toBeGreaterThan(RUNS * 0.03);
    expect(verdicts.refused).toBeGreaterThan(RUNS * 0.5);
  });
});
