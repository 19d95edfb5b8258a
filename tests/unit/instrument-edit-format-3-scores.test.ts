/**
 * The instrument editor's steps for format 3's scores (src/core/instrument/edit/scores.ts and scores-format-3.ts):
 * a ratio and a score by pattern, bands on any score rule, and a named score's parts that are a domain's items, a
 * number about the lesson or read through a scoring map. Each raises the file to format 3, ids are fresh, a removal
 * takes what belonged to it along, and weights follow the parts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addPartCount,
  addPatternCase,
  addScore,
  addScoreBand,
  COUNT_KINDS,
  countKind,
  editText,
  exampleAnswers,
  exampleContext,
  moveEntry,
  partIds,
  removeEntry,
  removeScorePart,
  scorePartIds,
  scorePreview,
  setAt,
  setCountKind,
  setMapEntryEnd,
  setPartThrough,
  setRangeEnd,
  setScoreMethod,
  setScoreSource,
  setWeight,
  SCORE_METHODS,
  SHARES,
} from '../../src/core/instrument/edit';
import { validateInstrument } from '../../src/core/instrument/validate';
import { formatPath } from '../../src/core/instrument/problems';
import { scoreBand, scoreObservation } from '../../src/core/instrument/scoring';
import type { Instrument } from '../../src/core/instrument';
import { buildInstrumentV2 } from '../factories/instrument-factory';
import { editorFields, placeProblems } from '../../src/ui/features/instruments/editor-fields';

const problemsOf = (instrument: Instrument) =>
  validateInstrument(JSON.parse(JSON.stringify(instrument))).problems.map((p) => `${p.path} ${p.code}`);
const valid = (instrument: Instrument) => expect(problemsOf(instrument)).toEqual([]);
/** `buildInstrumentV2` (format 2) with a third named score over the domain "instructie", to change. */
function withScore(): { instrument: Instrument; s: number } {
  let instrument = addScore(buildInstrumentV2()).instrument;
  const s = instrument.scores!.length - 1;
  instrument = editText(instrument, ['scores', s], 'label', 'nl', 'Nieuw');
  instrument = editText(instrument, ['scores', s], 'label', 'en', 'New');
  instrument = setAt(instrument, ['scores', s, 'from'], [{ domain: 'instructie' }]);
  return { instrument, s };
}

describe('a ratio and a score by pattern', () => {
  it('are methods to choose; either raises the file to format 3, a mean does not', () => {
    expect(SCORE_METHODS).toEqual(expect.arrayContaining(['ratio', 'pattern']));
    const { instrument, s } = withScore();
    expect(instrument.format).toBe(2);
    expect(setScoreMethod(instrument, ['scores', s], 'median').format).toBe(2);
    expect(setScoreMethod(instrument, ['scores', s], 'ratio').format).toBe(3);
    expect(setScoreMethod(instrument, ['domains', 1, 'score'], 'pattern').format).toBe(3);
  });

  it('a ratio divides the first part by the second, so the order of the parts decides it', () => {
    const start = withScore();
    const { s } = start;
    let { instrument } = start;
    instrument = setScoreSource(instrument, s, { domain: 'cyclus' }, true);
    instrument = setScoreMethod(instrument, ['scores', s], 'ratio');
    expect(instrument.scores![s]).toMatchObject({
      method: 'ratio',
      from: [{ domain: 'instructie' }, { domain: 'cyclus' }],
    });
    valid(instrument);
    const answers = exampleAnswers(instrument);
    const value = (i: Instrument) => scorePreview(i, answers).find((line) => line.id === 'nieuw')!.value;
    // Instructie 3.5 (see the format 2 preview test), the cycles' domain 4.
    expect(value(instrument)).toBeCloseTo(3.5 / 4);
    const swapped = moveEntry(instrument, ['scores', s, 'from'], 1, -1).instrument;
    expect(value(swapped)).toBeCloseTo(4 / 3.5);
    // One part only: the validator says a ratio needs two.
    expect(problemsOf(removeScorePart(instrument, s, 1))).toContain(`$.scores[${s}].method ratioNeedsTwo`);
  });

  it('a pattern starts with one case; its weights go, and another method takes its cases away', () => {
    const start = withScore();
    const { s } = start;
    let { instrument } = start;
    instrument = setWeight(instrument, ['scores', s], 'instructie', 2);
    instrument = setScoreMethod(instrument, ['scores', s], 'pattern');
    const rule = instrument.scores![s]!;
    expect(rule.weights).toBeUndefined();
    // The upper half of the first scale (1–7): more than half of the parts score 4 to 7.
    expect(rule.patterns).toEqual([{ when: [{ min: 4, max: 7, share: true, moreThan: 0.5 }], score: 1 }]);
    valid(instrument);
    // Chosen again, it keeps its cases; another method takes them (the validator refuses cases without a pattern).
    expect(setScoreMethod(instrument, ['scores', s], 'pattern').scores![s]!.patterns).toBe(rule.patterns);
    expect(setScoreMethod(instrument, ['scores', s], 'max').scores![s]).not.toHaveProperty('patterns');
  });

  it('cases in order, each with counts: a new case holds for anything the ones before leave, scoring one more', () => {
    const start = withScore();
    const { s } = start;
    let { instrument } = start;
    const rule = ['scores', s];
    instrument = setScoreMethod(instrument, rule, 'pattern');
    instrument = addPatternCase(instrument, rule).instrument;
    const [first, second] = instrument.scores![s]!.patterns!;
    expect(second!.score).toBe(2);
    // "Otherwise": at least one part anywhere on the scale, reached whenever the first case does not hold.
    const levels = instrument.scales[0]!.levels.map((level) => level.value);
    const anything = { min: Math.min(...levels), max: Math.max(...levels), atLeast: 1 };
    expect(second!.when).toEqual([anything]);
    valid(instrument);
    // A count added to it is the first kind of count: the case then holds only when the first does, and is never
    // reached; the author is told at the case.
    instrument = addPartCount(instrument, [...rule, 'patterns', 1]).instrument;
    expect(instrument.scores![s]!.patterns![1]!.when[1]).toEqual(first!.when[0]);
    expect(problemsOf(instrument)).toEqual([`${formatPath([...rule, 'patterns', 1])} patternCaseUnreachable`]);
    instrument = setAt(instrument, [...rule, 'patterns', 1, 'when', 1, 'moreThan'], 0.1);
    valid(instrument);
    // A third case after an "otherwise" is never reached either.
    instrument = setAt(instrument, [...rule, 'patterns', 1, 'when'], [anything]);
    instrument = addPatternCase(instrument, rule).instrument;
    expect(problemsOf(instrument)).toEqual([`${formatPath([...rule, 'patterns', 2])} patternCaseUnreachable`]);
    // A case added to a rule without cases (a score item's, by hand) is the first kind of case.
    const fresh = addPatternCase(buildInstrumentV2(), ['domains', 1, 'score']);
    expect(fresh.index).toBe(0);
    expect(fresh.instrument.format).toBe(3);
    expect(fresh.instrument.domains[1]!.score!.patterns![0]!.score).toBe(1);
  });

  it('a count reads by one bound: of parts or of a share; the number stays when its kind stays', () => {
    const start = withScore();
    const { s } = start;
    let { instrument } = start;
    instrument = setScoreMethod(instrument, ['scores', s], 'pattern');
    const path = ['scores', s, 'patterns', 0, 'when', 0];
    const count = () => instrument.scores![s]!.patterns![0]!.when[0]!;
    expect(countKind(count())).toBe('moreThan-share');
    instrument = setCountKind(instrument, path, 'atLeast-share');
    expect(count()).toEqual({ min: 4, max: 7, share: true, atLeast: 0.5 });
    instrument = setCountKind(instrument, path, 'atLeast');
    expect(count()).toEqual({ min: 4, max: 7, atLeast: 1 });
    instrument = setAt(instrument, [...path, 'atLeast'], 2);
    instrument = setCountKind(instrument, path, 'atMost');
    expect(count()).toEqual({ min: 4, max: 7, atMost: 2 });
    expect(countKind(count())).toBe('atMost');
    instrument = setCountKind(instrument, path, 'lessThan-share');
    expect(count()).toEqual({ min: 4, max: 7, share: true, lessThan: 0.5 });
    valid(instrument);
    // A count made by hand with two bounds reads by its first, and by one once its kind is chosen.
    instrument = setAt(instrument, path, { min: 1, max: 2, atLeast: 1, atMost: 3 });
    expect(countKind(count())).toBe('atLeast');
    expect(setCountKind(instrument, path, 'atLeast')).toBe(instrument);
    expect(setCountKind(instrument, path, 'atMost').scores![s]!.patterns![0]!.when[0]).toEqual({
      min: 1,
      max: 2,
      atMost: 1,
    });
  });

  it('the first case whose counts hold gives the score', () => {
    const start = withScore();
    const { s } = start;
    let { instrument } = start;
    instrument = setAt(instrument, ['scores', s, 'from'], [{ itemsOf: 'cyclus' }]);
    instrument = setScoreMethod(instrument, ['scores', s], 'pattern');
    instrument = addPatternCase(instrument, ['scores', s]).instrument;
    instrument = setAt(instrument, ['scores', s, 'patterns', 1, 'when', 0], { min: 1, max: 7, atLeast: 1 });
    valid(instrument);
    const answers = exampleAnswers(instrument);
    const value = () => scorePreview(instrument, answers).find((line) => line.id === 'nieuw')!.value;
    // warmte 4 and spanning 4 (turned round): both within 4–7, more than half: the first case.
    expect(value()).toBe(1);
    answers.set('warmte#1', { lookFors: [], rating: 1 });
    answers.set('warmte#2', { lookFors: [], rating: 1 });
    expect(value()).toBe(2);
  });
});

describe('bands on a score', () => {
  it('on a domain’s score, a named score and a score item: the first raises the file to format 3, ids are fresh', () => {
    const { instrument, s } = withScore();
    for (const rule of [
      ['domains', 1, 'score'],
      ['scores', s],
      ['domains', 1, 'items', 1, 'response'],
    ]) {
      let i = addScoreBand(instrument, rule);
      expect(i.index).toBe(0);
      expect(i.instrument.format).toBe(3);
      i = addScoreBand(i.instrument, rule);
      i = addScoreBand(i.instrument, rule);
      const bands = getBands(i.instrument, rule);
      expect(bands.map((band) => band.id)).toEqual(['band', 'band-2', 'band-3']);
      expect(bands.map(({ min, max }) => [min, max])).toEqual([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      expect(bands[0]!.label).toEqual({ nl: '', en: '' });
      // Named, a band's id follows its name (in the first language), and stays unique among its neighbours.
      let named = editText(i.instrument, [...rule, 'bands', 0], 'label', 'nl', 'Laag');
      named = editText(named, [...rule, 'bands', 1], 'label', 'nl', 'Laag');
      expect(getBands(named, rule).map((band) => band.id)).toEqual(['laag', 'laag-2', 'band-3']);
    }
  });

  it('a band taken away: its neighbours stay; the last one gone, the rule has no bands', () => {
    const { instrument, s } = withScore();
    const rule = ['scores', s];
    let i = addScoreBand(addScoreBand(instrument, rule).instrument, rule).instrument;
    i = removeEntry(i, [...rule, 'bands'], 0);
    expect(getBands(i, rule).map((band) => band.id)).toEqual(['band-2']);
    // A new band's id differs from those still there.
    expect(getBands(addScoreBand(i, rule).instrument, rule).map((band) => band.id)).toEqual(['band-2', 'band']);
    i = removeEntry(i, [...rule, 'bands'], 0);
    expect(i.scores![s]).not.toHaveProperty('bands');
    expect(removeEntry(i, [...rule, 'bands'], 0)).toBe(i);
  });

  it('a band ends at a value or just below one; the next band starts where it ends', () => {
    const { instrument, s } = withScore();
    const rule = ['scores', s];
    let i = addScoreBand(instrument, rule).instrument;
    i = setRangeEnd(i, [...rule, 'bands', 0], 'below');
    expect(getBands(i, rule)[0]).toMatchObject({ min: 1, below: 3 });
    expect(getBands(i, rule)[0]).not.toHaveProperty('max');
    i = addScoreBand(i, rule).instrument;
    expect(getBands(i, rule)[1]).toMatchObject({ min: 3, below: 4 });
    expect(setRangeEnd(i, [...rule, 'bands', 0], 'below')).toBe(i);
    expect(getBands(setRangeEnd(i, [...rule, 'bands', 0], 'max'), rule)[0]).toMatchObject({ min: 1, max: 2 });
    // A scoring map's entry ends the same way.
    expect(setMapEntryEnd(i, 0, 0, 'below').scoringMaps![0]!.entries[0]).toEqual({ min: 1, below: 3, score: 0 });
  });

  it('named, the bands make a valid file, and the preview’s score falls in one', () => {
    const { instrument, s } = withScore();
    const rule = ['scores', s];
    let i = addScoreBand(instrument, rule).instrument;
    i = addScoreBand(i, rule).instrument;
    i = setRangeEnd(setRangeEnd(i, [...rule, 'bands', 0], 'below'), [...rule, 'bands', 1], 'below');
    i = setAt(i, [...rule, 'bands', 0, 'below'], 3);
    i = setAt(i, [...rule, 'bands', 1], { ...getBands(i, rule)[1]!, min: 3, below: 10 });
    expect(problemsOf(i)).toContain(`$.scores[${s}].bands[0].label.nl empty`);
    i = editText(i, [...rule, 'bands', 0], 'label', 'nl', 'Laag');
    i = editText(i, [...rule, 'bands', 0], 'label', 'en', 'Low');
    i = editText(i, [...rule, 'bands', 1], 'label', 'nl', 'Hoog');
    i = editText(i, [...rule, 'bands', 1], 'label', 'en', 'High');
    valid(i);
    const line = scorePreview(i, exampleAnswers(i)).find((l) => l.id === 'nieuw')!;
    expect(line.value).toBe(3.5);
    expect(scoreBand(line.rule!, line.value!)?.label.nl).toBe('Hoog');
  });
});

const getBands = (instrument: Instrument, rule: readonly (string | number)[]) => {
  let here: unknown = instrument;
  for (const key of rule) here = (here as Record<string | number, unknown>)[key];
  return (
    here as { bands: Array<{ id: string; min: number; max?: number; below?: number; label: Record<string, string> }> }
  ).bands;
};

describe('a named score’s format 3 parts', () => {
  it('each item of a domain as a part of its own: format 3, weighed by the items’ ids', () => {
    const start = withScore();
    const { s } = start;
    let { instrument } = start;
    instrument = setScoreSource(instrument, s, { itemsOf: 'cyclus' }, true);
    expect(instrument.format).toBe(3);
    expect(instrument.scores![s]!.from).toEqual([{ domain: 'instructie' }, { itemsOf: 'cyclus' }]);
    // The scored items of "cyclus" (not its text item).
    expect(partIds(instrument, { itemsOf: 'cyclus' })).toEqual(['warmte', 'spanning']);
    expect(scorePartIds(instrument, instrument.scores![s]!.from)).toEqual(['instructie', 'warmte', 'spanning']);
    instrument = setWeight(instrument, ['scores', s], 'warmte', 2);
    instrument = setWeight(instrument, ['scores', s], 'instructie', 3);
    valid(instrument);
    // Left out again: its items' weights go with it, the others stay.
    const without = setScoreSource(instrument, s, { itemsOf: 'cyclus' }, false);
    expect(without.scores![s]).toMatchObject({ from: [{ domain: 'instructie' }], weights: { instructie: 3 } });
    valid(without);
  });

  it('a weight another part still gives stays when a part goes', () => {
    const start = withScore();
    const { s } = start;
    let { instrument } = start;
    instrument = setScoreSource(instrument, s, { itemsOf: 'cyclus' }, true);
    instrument = setScoreSource(instrument, s, { item: 'warmte' }, true);
    instrument = setWeight(instrument, ['scores', s], 'warmte', 2);
    instrument = setWeight(instrument, ['scores', s], 'spanning', 4);
    const without = removeScorePart(instrument, s, 1);
    expect(without.scores![s]).toMatchObject({
      from: [{ domain: 'instructie' }, { item: 'warmte' }],
      weights: { warmte: 2 },
    });
    const neither = removeScorePart(without, s, 1);
    expect(neither.scores![s]).not.toHaveProperty('weights');
    expect(removeScorePart(neither, s, 5)).toBe(neither);
  });

  it('a number about the lesson: format 3; the validator wants a number question', () => {
    const start = withScore();
    const { s } = start;
    let { instrument } = start;
    instrument = setScoreSource(instrument, s, { context: 'lesson-minutes' }, true);
    expect(instrument.format).toBe(3);
    valid(instrument);
    instrument = setScoreSource(instrument, s, { context: 'datum' }, true);
    expect(problemsOf(instrument)).toContain(`$.scores[${s}].from[2].context contextNotNumber`);
    expect(setScoreSource(instrument, s, { context: 'datum' }, false).scores![s]!.from).toEqual([
      { domain: 'instructie' },
      { context: 'lesson-minutes' },
    ]);
  });

  it('the preview reads a number about the lesson: the middle of its range, or what the author gives', () => {
    const start = withScore();
    const { s } = start;
    expect(exampleContext(start.instrument)).toEqual({});
    let instrument = setScoreSource(start.instrument, s, { context: 'lesson-minutes' }, true);
    instrument = setScoreMethod(instrument, ['scores', s], 'ratio');
    // Lesson length 10–120: 65 minutes in the example; only what a score reads.
    expect(exampleContext(instrument)).toEqual({ 'lesson-minutes': 65 });
    const answers = exampleAnswers(instrument);
    const value = (context?: Record<string, number>) =>
      scorePreview(instrument, answers, undefined, context).find((line) => line.id === 'nieuw')!.value;
    expect(value()).toBeCloseTo(3.5 / 65);
    expect(value({ 'lesson-minutes': 35 })).toBeCloseTo(0.1);
    expect(value({})).toBeUndefined();
  });

  it('a part read through a scoring map: format 3; no map takes it off again', () => {
    // "dicho" read on the 1–7 scale of "cyclus" must give each of its levels a score: 3–7 → 1.
    const wide = (i: Instrument) => setAt(i, ['scoringMaps', 0, 'entries', 1, 'max'], 7);
    const start = withScore();
    const { s } = start;
    let instrument = wide(start.instrument);
    instrument = setScoreSource(instrument, s, { itemsOf: 'cyclus' }, true);
    instrument = setScoreMethod(instrument, ['scores', s], 'mean');
    const two = setScoreSource(wide(withScore().instrument), withScore().s, { domain: 'cyclus' }, true);
    expect(two.format).toBe(2);
    const through = setPartThrough(two, s, 1, 'dicho');
    expect(through.format).toBe(3);
    expect(through.scores![s]!.from[1]).toEqual({ domain: 'cyclus', through: 'dicho' });
    valid(through);
    expect(setPartThrough(through, s, 1, undefined).scores![s]!.from[1]).toEqual({ domain: 'cyclus' });
    expect(setPartThrough(through, s, 7, 'dicho')).toBe(through);
    // The items of "cyclus" read through "dicho" (4 of 1–7 is in 3–7 → 1), then the mean with "instructie".
    instrument = setPartThrough(instrument, s, 1, 'dicho');
    const answers = exampleAnswers(instrument);
    const sheet = scoreObservation(instrument, answers);
    const line = scorePreview(instrument, answers).find((l) => l.id === 'nieuw')!;
    expect(line.value).toBe(sheet.scores.get('nieuw'));
    expect(line.value).toBeCloseTo((3.5 + 1 + 1) / 3);
  });
});

describe('format 3’s score problems at their fields', () => {
  it('puts a count’s, a case’s, a band’s and a part’s problems at the fields that edit them', () => {
    const start = withScore();
    const { s } = start;
    let i = setScoreSource(start.instrument, s, { domain: 'cyclus' }, true);
    i = setScoreMethod(i, ['scores', s], 'pattern');
    const count = ['scores', s, 'patterns', 0, 'when', 0];
    i = setAt(i, count, { min: 3, max: 1, share: true, moreThan: 2 });
    i = addPartCount(i, ['scores', s, 'patterns', 0]).instrument;
    i = setAt(i, ['scores', s, 'patterns', 0, 'when', 1], { min: 1, max: 2 });
    i = addScoreBand(addScoreBand(i, ['domains', 1, 'score']).instrument, ['domains', 1, 'score']).instrument;
    i = setAt(i, ['domains', 1, 'score', 'bands', 1, 'min'], 2);
    i = setAt(i, ['scores', s, 'from', 1, 'through'], 'nergens');
    const problems = validateInstrument(JSON.parse(JSON.stringify(i))).problems;
    const placed = placeProblems(problems, editorFields(i));
    const fieldOf = (code: string, path: string) =>
      placed.all.find((p) => p.problem.code === code && p.problem.path === path)?.field;
    const at = (path: readonly (string | number)[]) => formatPath(path);
    expect(fieldOf('rangeInverted', at([...count, 'min']))).toBe(at([...count, 'min']));
    expect(fieldOf('shareAboveOne', at([...count, 'moreThan']))).toBe(at([...count, 'moreThan']));
    const second = ['scores', s, 'patterns', 0, 'when', 1];
    expect(fieldOf('conditionWithoutBounds', at(second))).toBe(at(second));
    const band = ['domains', 1, 'score', 'bands', 1];
    expect(fieldOf('mapOverlap', at(band))).toBe(at(band));
    expect(fieldOf('empty', at([...band, 'label', 'nl']))).toBe(at([...band, 'label', 'nl']));
    const through = ['scores', s, 'from', 1, 'through'];
    expect(placed.all.find((p) => p.problem.path === at(through))?.field).toBe(at(through));
  });
});

describe('the format 3 example instruments in the editor', () => {
  const dir = path.resolve(__dirname, '../fixtures/instruments');
  const counts = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => {
      const found: Array<{ name: string; count: Record<string, unknown> }> = [];
      const walk = (value: unknown) => {
        if (Array.isArray(value)) value.forEach(walk);
        else if (value && typeof value === 'object') {
          const patterns = (value as { patterns?: unknown }).patterns;
          if (Array.isArray(patterns))
            for (const pattern of patterns) for (const count of pattern.when) found.push({ name, count });
          Object.values(value).forEach(walk);
        }
      };
      walk(JSON.parse(readFileSync(path.join(dir, name), 'utf8')));
      return found;
    });

  it('read every count of their patterns as one of the kinds offered, each share by name', () => {
    expect(counts.length).toBeGreaterThan(0);
    for (const { name, count } of counts) {
      expect(COUNT_KINDS, name).toContain(countKind(count));
      const bound = ['atLeast', 'atMost', 'moreThan', 'lessThan'].find((key) => count[key] !== undefined)!;
      if (count.share) expect(SHARES, name).toContain(count[bound]);
    }
  });
});
