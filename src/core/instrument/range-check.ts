/**
 * What a score can never reach, judged once a file has the shape `Instrument` describes (every other check passed):
 * a band outside the score's range, a gap between bands a mean or a share can fall in, a rule's bound on a score
 * that is never true, a pattern's score that is no level of the scale it is read on. The range a score can take is
 * the core's one reading (`score-range.ts`), as the editor hints it.
 */
import type { Condition, Instrument, Item, ScoreRule } from './types';
import { scoreRanges, type Range, type RangeSubject } from './score-range';
import { formatPath, problem, type InstrumentProblem } from './problems';

type Segments = Array<string | number>;

/** Methods whose result may fall between two whole numbers: between two bands that meet only at whole numbers. */
const BETWEEN = new Set(['mean', 'median', 'ratio']);

export function checkRanges(instrument: Instrument): InstrumentProblem[] {
  const problems: InstrumentProblem[] = [];
  const say = (path: Segments, code: Parameters<typeof problem>[1], params: Parameters<typeof problem>[2] = {}) =>
    problems.push(problem(formatPath(path), code, params));
  const rules: Array<{ rule: ScoreRule; path: Segments; subject: RangeSubject; id: string; item?: Item }> = [];
  instrument.domains.forEach((domain, d) => {
    if (domain.score)
      rules.push({ rule: domain.score, path: ['domains', d, 'score'], subject: 'domain', id: domain.id });
    const visit = (item: Item, path: Segments) => {
      if (item.response?.type === 'score')
        rules.push({ rule: item.response, path: [...path, 'response'], subject: 'item', id: item.id, item });
      (item.children ?? []).forEach((child, c) => visit(child, [...path, 'children', c]));
    };
    (domain.items ?? []).forEach((item, i) => visit(item, ['domains', d, 'items', i]));
  });
  (instrument.scores ?? []).forEach((score, s) =>
    rules.push({ rule: score, path: ['scores', s], subject: 'score', id: score.id }),
  );

  const rangeOf = scoreRanges(instrument);
  for (const { rule, path, subject, id, item } of rules) {
    checkBands(rule, path, rangeOf(subject, id), say);
    if (item) checkPatternLevels(instrument, item, rule, path, say);
  }
  instrument.rules.forEach((rule, r) => checkCondition(rangeOf, rule.when, ['rules', r, 'when'], say));
  return problems;
}

type RangeOf = ReturnType<typeof scoreRanges>;
type Say = (path: Segments, code: Parameters<typeof problem>[1], params?: Parameters<typeof problem>[2]) => void;

/** A band the score never reaches, and (for a score between whole numbers) a gap between two bands. */
function checkBands(rule: ScoreRule, path: Segments, range: Range | undefined, say: Say) {
  const bands = rule.bands ?? [];
  bands.forEach((band, b) => {
    const top = band.below ?? band.max ?? band.min;
    const reached =
      range === undefined ||
      (band.below !== undefined
        ? band.min < band.below && range.max >= band.min && range.min < band.below
        : range.max >= band.min && range.min <= top);
    if (!reached)
      say([...path, 'bands', b], 'bandNeverReached', {
        from: band.min,
        to: top,
        min: range!.min,
        max: range!.max,
        percent: rule.percent && band.min >= 1 ? 'yes' : 'no',
      });
  });
  // With a map, the score is one of the map's values: a band that meets the next at whole numbers misses nothing.
  if (!BETWEEN.has(rule.method) || rule.map !== undefined) return;
  const sorted = bands.map((band, b) => ({ band, b })).sort((x, y) => x.band.min - y.band.min);
  for (let k = 1; k < sorted.length; k++) {
    const before = sorted[k - 1]!.band;
    const { band, b } = sorted[k]!;
    if (before.below !== undefined || before.max === undefined || band.min <= before.max) continue;
    // Only a gap the score can fall in.
    if (range && (range.max <= before.max || range.min >= band.min)) continue;
    say([...path, 'bands', b, 'min'], 'bandsLeaveGap', {
      after: before.max,
      before: band.min,
      example: Math.round(((before.max + band.min) / 2) * 100) / 100,
    });
  }
}

/** A score item read on a scale whose pattern gives a score that is no level of it. */
function checkPatternLevels(instrument: Instrument, item: Item, rule: ScoreRule, path: Segments, say: Say) {
  if (rule.method !== 'pattern') return;
  const scaleId = item.response?.type === 'score' ? item.response.scale : undefined;
  const scale = scaleId === undefined ? undefined : instrument.scales.find((s) => s.id === scaleId);
  if (!scale) return;
  const levels = scale.levels.map((level) => level.value);
  (rule.patterns ?? []).forEach((pattern, p) => {
    if (!levels.includes(pattern.score))
      say([...path, 'patterns', p, 'score'], 'patternScoreNotLevel', {
        value: pattern.score,
        levels: levels.join(', '),
      });
  });
}

/** A rule's bound on a score (a named one, a section's) that the score can never meet. */
function checkCondition(rangeOf: RangeOf, condition: Condition, path: Segments, say: Say) {
  if ('all' in condition) return condition.all.forEach((c, i) => checkCondition(rangeOf, c, [...path, 'all', i], say));
  if ('any' in condition) return condition.any.forEach((c, i) => checkCondition(rangeOf, c, [...path, 'any', i], say));
  if ('count' in condition)
    return condition.count.forEach((c, i) => checkCondition(rangeOf, c, [...path, 'count', i], say));
  const subject: RangeSubject | undefined =
    'score' in condition ? 'score' : 'domain' in condition ? 'domain' : undefined;
  if (!subject) return;
  const range = rangeOf(
    subject,
    subject === 'score' ? (condition as { score: string }).score : (condition as { domain: string }).domain,
  );
  if (!range) return;
  const { atLeast, atMost } = condition as { atLeast?: number; atMost?: number };
  if (atLeast !== undefined && atLeast > range.max)
    say([...path, 'atLeast'], 'conditionScoreOutOfRange', { bound: 'atLeast', value: atLeast, max: range.max });
  else if (atMost !== undefined && atMost < range.min)
    say([...path, 'atMost'], 'conditionScoreOutOfRange', { bound: 'atMost', value: atMost, min: range.min });
}
