/**
 * Checks on scoring (scoring maps, score items, domain and named scores; format 3's ratios, patterns, bands, parts
 * read through a map and snapshot matches), and that a file uses none of a later format's additions.
 */
import { arrayOf, idsOf, isObject, num, objects, str, type Json, type Segments, valueText } from './json-guards';
import { scaleValues, uniqueIds, type ItemRef, type Report } from './check-support';

/** Every scoring map by id; each map's ranges must be the right way round and must not overlap. */
export function checkScoringMaps(data: Json, report: Report): Map<string, Json> {
  const maps = new Map<string, Json>();
  const ids = uniqueIds(report);
  for (const [map, m] of objects(data.scoringMaps)) {
    const id = str(map.id);
    if (id && ids(id, ['scoringMaps', m, 'id'])) maps.set(id, map);
    checkRanges(map.entries, ['scoringMaps', m, 'entries'], report);
  }
  return maps;
}

/** Ranges (a map's entries, a score's bands) the right way round and without overlap; `below` ends one just before. */
function checkRanges(list: unknown, path: Segments, report: Report) {
  // Each range as [from, to, to inclusive?].
  const ranges: Array<[number, number, boolean]> = [];
  for (const [entry, e] of objects(list)) {
    const min = num(entry.min);
    const below = num(entry.below);
    const max = num(entry.max) ?? below;
    if (min === undefined || max === undefined) continue;
    const inclusive = below === undefined;
    if (inclusive ? min > max : min >= max) report([...path, e, 'min'], 'rangeInverted', { min, max });
    else if (ranges.some(([a, b, bIn]) => (bIn ? min <= b : min < b) && (inclusive ? max >= a : max > a))) {
      report([...path, e], 'mapOverlap', { min, max });
    }
    ranges.push([min, max, inclusive]);
  }
}

/**
 * What every score rule must hold, wherever it sits (a score item, a domain, a named score), given the names of its
 * parts: weights name parts (and only a mean or a sum weighs), `minParts` within the parts, a ratio of exactly two,
 * a pattern with cases (and cases only with a pattern), bands that do not overlap, a map that exists.
 */
function checkScoreRule(
  rule: Json,
  path: Segments,
  parts: readonly string[] | undefined,
  maps: Map<string, Json>,
  report: Report,
) {
  if (parts !== undefined) {
    checkWeights(rule, path, parts, report);
    checkMinParts(rule, path, parts.length, report);
    if (rule.method === 'ratio' && parts.length !== 2)
      report([...path, 'method'], 'ratioNeedsTwo', { parts: parts.length });
  }
  if (rule.method === 'pattern' && rule.patterns === undefined) report([...path, 'method'], 'patternWithoutCases');
  if (rule.patterns !== undefined && rule.method !== 'pattern')
    report([...path, 'patterns'], 'patternsWithoutPattern', { method: valueText(rule.method) });
  const cases: Array<Set<string>> = [];
  for (const [pattern, p] of objects(rule.patterns)) {
    for (const [count, c] of objects(pattern.when)) {
      const here = [...path, 'patterns', p, 'when', c];
      const min = num(count.min);
      const max = num(count.max);
      if (min !== undefined && max !== undefined && min > max) report([...here, 'min'], 'rangeInverted', { min, max });
      const bounds = (['atLeast', 'atMost', 'moreThan', 'lessThan'] as const).filter((b) => count[b] !== undefined);
      if (bounds.length === 0) report(here, 'conditionWithoutBounds');
      let said = false;
      for (const bound of bounds) {
        const value = num(count[bound]);
        if (count.share === true && value !== undefined && value > 1) {
          report([...here, bound], 'shareAboveOne', { value });
          said = true;
        }
      }
      if (!said && bounds.length > 0) checkCountCanHold(count, here, parts?.length, report);
    }
    // A case whose counts include all of an earlier case's holds only when that one does: it never gives its score.
    const counts = new Set(objects(pattern.when).map(([count]) => canonicalCount(count)));
    const earlier = cases.findIndex((before) => [...before].every((count) => counts.has(count)));
    if (earlier !== -1 && Array.isArray(pattern.when))
      report([...path, 'patterns', p], 'patternCaseUnreachable', { earlier: earlier + 1 });
    cases.push(counts);
  }
  const bandIds = uniqueIds(report);
  for (const [band, b] of objects(rule.bands))
    if (typeof band.id === 'string') bandIds(band.id, [...path, 'bands', b, 'id']);
  checkRanges(rule.bands, [...path, 'bands'], report);
  checkMapReference(rule.map, [...path, 'map'], maps, report);
}

/**
 * A count that can never hold: its bounds leave nothing between them, or nothing of what it counts (from 0 to the
 * number of parts, when known; a share from 0 to 1).
 */
function checkCountCanHold(count: Json, path: Segments, parts: number | undefined, report: Report) {
  const share = count.share === true;
  const highest = share ? 1 : parts;
  if (countCanHold(count, share, 0, highest ?? Infinity)) return;
  const reason = !countCanHold(count, share, -Infinity, Infinity) ? 'bounds' : share ? 'share' : 'parts';
  report(path, 'countNeverHolds', { reason, parts: highest ?? '' });
}

/** Whether a count's bounds leave a value from `lowest` to `highest`: any number for a share, else a whole number. */
function countCanHold(count: Json, share: boolean, lowest: number, highest: number): boolean {
  const atLeast = Math.max(lowest, num(count.atLeast) ?? lowest);
  const atMost = Math.min(highest, num(count.atMost) ?? highest);
  const above = num(count.moreThan);
  const below = num(count.lessThan);
  if (share) {
    const from = Math.max(atLeast, above ?? -Infinity);
    const to = Math.min(atMost, below ?? Infinity);
    return from < to || (from === to && from === atLeast && to === atMost);
  }
  // More than 1 and less than 2 of the parts leaves none.
  const from = Math.max(Math.ceil(atLeast), above === undefined ? -Infinity : Math.floor(above) + 1);
  const to = Math.min(Math.floor(atMost), below === undefined ? Infinity : Math.ceil(below) - 1);
  return from <= to;
}

/** A count written with sorted keys, to recognise the same count in two cases. */
const canonicalCount = (count: Json): string =>
  JSON.stringify(
    Object.keys(count)
      .sort()
      .map((key) => [key, count[key]]),
  );

/** A reference to a scoring map must resolve; a map on a scale must give every level a score. */
export function checkMapReference(
  id: unknown,
  path: Segments,
  maps: Map<string, Json>,
  report: Report,
  levels: number[] = [],
) {
  if (typeof id !== 'string') return;
  const map = maps.get(id);
  if (!map) return; // said where every name is checked (reference-check.ts)
  const entries = objects(map.entries).map(([e]) => [num(e.min), num(e.max), num(e.below)] as const);
  const holds = ([min, max, below]: (typeof entries)[number], v: number) =>
    min !== undefined && v >= min && (below !== undefined ? v < below : max !== undefined && v <= max);
  const missing = levels.filter((v) => !entries.some((entry) => holds(entry, v)));
  if (missing.length > 0) report(path, 'mapMissesLevels', { id, levels: missing.join(', ') });
}

/** Weights name what they weigh, and only a mean or a sum can use them. */
function checkWeights(rule: Json, path: Segments, parts: readonly string[], report: Report) {
  if (!isObject(rule.weights)) return;
  if (rule.method !== 'mean' && rule.method !== 'sum')
    report([...path, 'weights'], 'weightsWithoutMean', { method: valueText(rule.method) });
  for (const key of Object.keys(rule.weights)) {
    if (!parts.includes(key))
      report([...path, 'weights', key], 'weightUnknownPart', { id: key, parts: parts.join(', ') });
  }
}

export function checkScoreItem(
  ref: ItemRef,
  items: Map<string, ItemRef>,
  context: { scales: Map<string, Json>; maps: Map<string, Json>; report: Report },
) {
  const { item, path } = ref;
  const response = isObject(item.response) ? item.response : undefined;
  if (response?.type !== 'score') return;
  const { report } = context;
  const here = [...path, 'response'];
  let parts: string[] = [];
  if (response.from === 'children') {
    parts = idsOf(item.children);
    if (parts.length === 0) report([...here, 'from'], 'scoreWithoutParts', { from: 'children' });
  } else if (response.from === 'lookFors') {
    parts = idsOf(item.lookFors);
    if (parts.length === 0) report([...here, 'from'], 'scoreWithoutParts', { from: 'lookFors' });
  } else if (isObject(response.from) && response.from.snapshot !== undefined) {
    checkSnapshotSource(response.from, [...here, 'from'], ref, items, context);
  } else if (isObject(response.from)) {
    arrayOf(response.from.items).forEach((id, i) => {
      if (typeof id !== 'string') return;
      parts.push(id);
      const target = items.get(id);
      if (!target) return; // said where every name is checked (reference-check.ts)
      if (id === item.id) report([...here, 'from', 'items', i], 'scoreCircular', { id });
      else if (target.repeatedIn !== ref.repeatedIn)
        report([...here, 'from', 'items', i], 'scoreAcrossSections', { id });
    });
    const circle = findCircle(valueText(item.id), items);
    if (circle) report([...here, 'from'], 'scoreCircular', { id: circle.join(' → ') });
  }
  if (response.overridable === true && response.scale === undefined)
    report([...here, 'overridable'], 'overridableWithoutScale');
  // A snapshot score's parts are its snapshots: how many there will be is known only in the lesson.
  const snapshot = isObject(response.from) && response.from.snapshot !== undefined;
  checkScoreRule(response, here, snapshot ? undefined : parts, context.maps, report);
}

/**
 * A score from a snapshot: the snapshot item exists in the score's section; it reads one field (a number, or with
 * `in` the snapshots whose field holds one of these answers) or (format 3) a `match` over several fields, perhaps of
 * the snapshots `among` admits only, and a number may be divided `per` another number.
 */
function checkSnapshotSource(
  source: Json,
  path: Segments,
  ref: ItemRef,
  items: Map<string, ItemRef>,
  context: { scales: Map<string, Json>; report: Report },
) {
  const { report } = context;
  const id = str(source.snapshot);
  if (id === undefined) return;
  const target = items.get(id);
  const response = isObject(target?.item.response) ? (target.item.response as Json) : undefined;
  if (!target) return; // said where every name is checked (reference-check.ts)
  if (response?.type !== 'snapshot') return report([...path, 'snapshot'], 'conditionFieldNotSnapshot', { id });
  if (target.repeatedIn !== ref.repeatedIn) report([...path, 'snapshot'], 'scoreAcrossSections', { id });
  const fieldOf = (fieldId: unknown) => objects(response.fields).find(([f]) => f.id === fieldId)?.[0];
  const check = { id, fieldOf, scales: context.scales, report };
  if ((source.field === undefined) === (source.match === undefined)) report(path, 'snapshotSourceForm');
  for (const key of ['match', 'among'] as const)
    if (isObject(source[key])) checkMatch(source[key], [...path, key], check);
  if (source.per !== undefined && (source.in !== undefined || source.match !== undefined))
    report([...path, 'per'], 'perNeedsNumber');
  if (isObject(source.per) && source.per.field !== undefined) {
    const per = fieldOf(source.per.field);
    if (per && !isNumeric(per))
      report([...path, 'per', 'field'], 'conditionNotNumeric', { id, type: responseType(per) });
  }
  if (source.field === undefined) return;
  const field = fieldOf(source.field);
  if (!field) return; // said where every name is checked (reference-check.ts)
  if (source.in === undefined) {
    if (!isNumeric(field)) report([...path, 'field'], 'conditionNotNumeric', { id, type: responseType(field) });
    return;
  }
  checkAnswers(source.in, [...path, 'in'], field, check);
}

interface SnapshotCheck {
  id: string;
  fieldOf: (fieldId: unknown) => Json | undefined;
  scales: Map<string, Json>;
  report: Report;
}

/** A match names fields of the snapshot, with answers they can have or bounds on a number. */
function checkMatch(match: Json, path: Segments, check: SnapshotCheck) {
  // One form: all of, any of, or one field (with answers, or with bounds).
  const forms = (['all', 'any', 'field'] as const).filter((key) => match[key] !== undefined);
  const bounded = match.atLeast !== undefined || match.atMost !== undefined;
  if (
    forms.length !== 1 ||
    (match.in !== undefined && bounded) ||
    (forms[0] !== 'field' && (match.in !== undefined || bounded))
  )
    return check.report(path, 'matchForm');
  for (const key of ['all', 'any'] as const) {
    if (!Array.isArray(match[key])) continue;
    for (const [part, p] of objects(match[key])) checkMatch(part, [...path, key, p], check);
    return;
  }
  const field = check.fieldOf(match.field);
  if (!field) return; // an unknown field is said where every name is checked (reference-check.ts)
  if (match.in !== undefined) return checkAnswers(match.in, [...path, 'in'], field, check);
  if (match.atLeast === undefined && match.atMost === undefined) return check.report(path, 'conditionWithoutBounds');
  if (!isNumeric(field))
    check.report([...path, 'field'], 'conditionNotNumeric', { id: check.id, type: responseType(field) });
}

const responseType = (field: Json): string => valueText(isObject(field.response) ? field.response.type : undefined);
const isNumeric = (field: Json): boolean => ['counter', 'rating'].includes(responseType(field));

/** The answers a snapshot field can have, for `in`: options, yes/no, a counter's bands, a rating's levels. */
function checkAnswers(list: unknown, path: Segments, field: Json, check: SnapshotCheck) {
  const response = isObject(field.response) ? field.response : undefined;
  const allowed: Array<string | number> =
    response?.type === 'choice'
      ? idsOf(response.options)
      : response?.type === 'yes-no'
        ? ['yes', 'no', 'not-observed']
        : response?.type === 'counter'
          ? idsOf(response.bands)
          : response?.type === 'rating'
            ? objects(check.scales.get(valueText(response.scale))?.levels).flatMap(([l]) =>
                typeof l.value === 'number' ? [l.value] : [],
              )
            : [];
  arrayOf(list).forEach((value, v) => {
    if (!allowed.includes(value as string | number))
      check.report([...path, v], 'ruleUnknownAnswer', {
        id: check.id,
        value: valueText(value),
        allowed: allowed.join(', ') || '—',
      });
  });
}

/** A score item that (through other score items) reads itself: the path round, or undefined. */
function findCircle(start: string, items: Map<string, ItemRef>): string[] | undefined {
  const next = (id: string): string[] => {
    const response = items.get(id)?.item.response;
    if (!isObject(response) || response.type !== 'score') return [];
    if (response.from === 'children') return idsOf(items.get(id)?.item.children);
    return isObject(response.from)
      ? arrayOf(response.from.items).filter((x): x is string => typeof x === 'string')
      : [];
  };
  const walk = (id: string, trail: string[]): string[] | undefined => {
    for (const to of next(id)) {
      if (to === start && trail.length > 1) return [...trail, to];
      if (to === start || trail.includes(to)) continue;
      const found = walk(to, [...trail, to]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}

/** `minParts` asks for more parts than the score has: it never gives a score. */
function checkMinParts(rule: Json, path: Segments, parts: number, report: Report) {
  const minParts = num(rule.minParts);
  if (minParts !== undefined && minParts > parts)
    report([...path, 'minParts'], 'minPartsTooMany', { value: minParts, parts });
}

/** The item types that give a score a domain can combine. */
const SCORED_TYPES = new Set(['rating', 'yes-no', 'counter', 'score']);

const isScored = (item: Json): boolean => isObject(item.response) && SCORED_TYPES.has(valueText(item.response.type));

/** Whether a domain gives a score: it has a score rule and at least one item that is scored. */
export const domainScores = (domain: Json): boolean =>
  isObject(domain.score) && objects(domain.items).some(([item]) => isScored(item));

export function checkDomainScore(domain: Json, path: Segments, maps: Map<string, Json>, report: Report) {
  if (!isObject(domain.score)) return;
  const scored = objects(domain.items).filter(
    ([item]) => isObject(item.response) && SCORED_TYPES.has(valueText(item.response.type)),
  );
  checkWeights(domain.score, [...path, 'score'], idsOf(domain.items), report);
  if (scored.length === 0) report([...path, 'score'], 'domainScoreWithoutItems');
  else
    checkScoreRule(
      { ...domain.score, weights: undefined },
      [...path, 'score'],
      scored.map(([item]) => valueText(item.id)),
      maps,
      report,
    );
}

export function checkDerivedScores(
  data: Json,
  context: {
    items: Map<string, ItemRef>;
    domains: Map<string, Json>;
    maps: Map<string, Json>;
    scales: Map<string, Json>;
    report: Report;
  },
) {
  const { report } = context;
  const scores = new Map(objects(data.scores).flatMap(([s]) => (typeof s.id === 'string' ? [[s.id, s] as const] : [])));
  const ids = uniqueIds(report);
  const said = new Set<string>();
  const once: Report = (path, code, params) => {
    const key = `${code}:${JSON.stringify(params)}`;
    if (!said.has(key)) report(path, code, params);
    said.add(key);
  };
  for (const [score, s] of objects(data.scores)) {
    const here: Segments = ['scores', s];
    const id = str(score.id);
    if (id) ids(id, [...here, 'id']);
    const parts: string[] = [];
    const seen = new Set<string>();
    for (const [source, f] of objects(score.from)) {
      const kinds = SOURCE_KINDS.filter((kind) => source[kind] !== undefined);
      if (kinds.length !== 1) {
        report([...here, 'from', f], 'scoreSourceKinds');
        continue;
      }
      const kind = kinds[0]!;
      const target = source[kind];
      if (typeof target !== 'string') continue;
      // An unknown part is said where every name is checked (reference-check.ts).
      if (kind === 'domain' && context.domains.has(target) && !domainScores(context.domains.get(target)!))
        report([...here, 'from', f, 'domain'], 'scoreReadsScorelessDomain', { id: target });
      const item = kind === 'item' ? context.items.get(target)?.item : undefined;
      const itemsOf = kind === 'itemsOf' ? context.domains.get(target) : undefined;
      if ((item && !isScored(item)) || (itemsOf && !objects(itemsOf.items).some(([i]) => isScored(i))))
        report([...here, 'from', f, kind], 'scorePartNeverScored', { id: target });
      // A rating read through a map is read at its level: the map must give every level of its scale a score, or
      // an answer at a level it misses silently drops out of the score. One line per map and levels missed.
      const read = kind === 'item' ? (item ? [item] : []) : (context.domains.get(target)?.items ?? []);
      const levels = [...new Set(objects(read).flatMap(([part]) => ratingLevels(part, context.scales)))];
      if (kind !== 'score' && kind !== 'context' && typeof source.through === 'string')
        checkMapReference(
          source.through,
          [...here, 'from', f, 'through'],
          context.maps,
          once,
          levels.sort((a, b) => a - b),
        );
      // One part read twice the same way says nothing new; read through another map, it is another reading.
      const key = `${kind}:${target}:${valueText(source.through)}`;
      if (seen.has(key)) report([...here, 'from', f], 'repeatedValue', { value: target });
      seen.add(key);
      // Every scored item of a domain is a part of its own (and may be weighed by its id).
      const domain = kind === 'itemsOf' ? context.domains.get(target) : undefined;
      if (domain)
        parts.push(...objects(domain.items).flatMap(([item]) => (isScored(item) ? [valueText(item.id)] : [])));
      else parts.push(target);
    }
    checkScoreRule(score, here, parts, context.maps, report);
    if (id && readsItself(id, scores)) report([...here, 'from'], 'scoreCircular', { id });
  }
}

/** The levels a rating item's answer can have (none for other items). */
function ratingLevels(item: Json, scales: Map<string, Json>): number[] {
  const response = isObject(item.response) ? item.response : undefined;
  return response?.type === 'rating' ? scaleValues(scales.get(valueText(response.scale))) : [];
}

/** What a named score's part can be; exactly one of them. */
const SOURCE_KINDS = ['domain', 'item', 'score', 'itemsOf', 'context'] as const;

function readsItself(start: string, scores: Map<string, Json>): boolean {
  const reads = (id: string) =>
    objects(scores.get(id)?.from).flatMap(([source]) => (typeof source.score === 'string' ? [source.score] : []));
  const stack = [...reads(start)];
  const visited = new Set<string>();
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === start) return true;
    if (visited.has(id)) continue;
    visited.add(id);
    stack.push(...reads(id));
  }
  return false;
}

/** Format 2's additions, by where they sit; a format 1 file using one is told to declare format 2. */
const FORMAT_2_KEYS = new Set([
  'scoringMaps',
  'scores',
  'bands',
  'scoring',
  'repeat',
  'answeredBy',
  'score',
  'required',
  'lookForAnswer',
  'group',
  'groups',
  'equalParts',
  'repeatable',
  'maxEntries',
  'show',
  'require',
  'all',
  'any',
  'count',
  'atLeast',
  'atMost',
  'field',
]);
// A Map, not an object: a file's key "__proto__" or "constructor" must not find Object.prototype's members.
const FORMAT_2_VALUES: ReadonlyMap<string, ReadonlySet<unknown>> = new Map([
  ['type', new Set(['date', 'time', 'score'])],
  ['input', new Set(['date', 'time'])],
]);

/** Format 3's additions: what changes how scores are worked out. */
const FORMAT_3_KEYS = new Set(['patterns', 'through', 'match', 'among', 'per', 'itemsOf', 'overridable']);
const FORMAT_3_METHODS = new Set<unknown>(['ratio', 'pattern']);

/** The format a key (with its value, in its owner, at its path) first appears in. */
function formatOf(key: string, inner: unknown, owner: Json, path: Segments): 1 | 2 | 3 {
  // A score rule's bands (it has a method) and a score's part about the lesson (in a `from` list) are format 3's.
  if (FORMAT_3_KEYS.has(key) || (key === 'method' && FORMAT_3_METHODS.has(inner))) return 3;
  if (key === 'bands' && owner.method !== undefined) return 3;
  if (key === 'context' && path.at(-2) === 'from') return 3;
  // A rule on a score or a section, or acting on a whole section.
  if (path[0] === 'rules' && (key === 'score' || key === 'domain')) return 3;
  // Format 1 already had a counter's `bands` and a context field's `required`.
  const formatOne = (key === 'bands' && owner.type === 'counter') || (key === 'required' && path[0] === 'context');
  if ((FORMAT_2_KEYS.has(key) && !formatOne) || (FORMAT_2_VALUES.get(key)?.has(inner) ?? false)) return 2;
  return 1;
}

/** A file that uses a later format's additions than it declares is told which format to declare. */
export function checkFormatFeatures(data: Json, report: Report) {
  const declared = data.format === 1 || data.format === 2 ? data.format : 3;
  if (declared === 3) return;
  let found = 0;
  const walk = (value: unknown, path: Segments) => {
    if (found >= 5) return; // the first few places make the point
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, i]));
      return;
    }
    if (!isObject(value)) return;
    for (const [key, inner] of Object.entries(value)) {
      if (found >= 5) return;
      const needed = formatOf(key, inner, value, path);
      if (needed > declared) {
        found++;
        const isValue = key === 'method' || FORMAT_2_VALUES.get(key)?.has(inner);
        report([...path, key], needed === 3 ? 'needsFormat3' : 'needsFormat2', {
          field: isValue ? `${key}: ${valueText(inner)}` : key,
        });
        continue;
      }
      walk(inner, [...path, key]);
    }
  };
  walk(data, []);
}
