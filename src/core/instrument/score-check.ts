/**
 * Checks on format 2's scoring (scoring maps, score items, domain and named scores), and that a format 1 file uses
 * none of format 2's additions.
 */
import { arrayOf, idsOf, isObject, num, objects, str, type Json, type Segments, valueText } from './json-guards';
import { uniqueIds, type ItemRef, type Report } from './check-support';

/** Every scoring map by id; each map's ranges must be the right way round and must not overlap. */
export function checkScoringMaps(data: Json, report: Report): Map<string, Json> {
  const maps = new Map<string, Json>();
  const ids = uniqueIds(report);
  for (const [map, m] of objects(data.scoringMaps)) {
    const id = str(map.id);
    if (id && ids(id, ['scoringMaps', m, 'id'])) maps.set(id, map);
    // Each range as [from, to, to inclusive?]; `below` ends a range just before its value.
    const ranges: Array<[number, number, boolean]> = [];
    for (const [entry, e] of objects(map.entries)) {
      const min = num(entry.min);
      const below = num(entry.below);
      const max = num(entry.max) ?? below;
      if (min === undefined || max === undefined) continue;
      const inclusive = below === undefined;
      if (inclusive ? min > max : min >= max)
        report(['scoringMaps', m, 'entries', e, 'min'], 'rangeInverted', { min, max });
      else if (ranges.some(([a, b, bIn]) => (bIn ? min <= b : min < b) && (inclusive ? max >= a : max > a))) {
        report(['scoringMaps', m, 'entries', e], 'mapOverlap', { min, max });
      }
      ranges.push([min, max, inclusive]);
    }
  }
  return maps;
}

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
  checkWeights(response, here, parts, report);
  if (!isObject(response.from) || response.from.snapshot === undefined)
    checkMinParts(response, here, parts.length, report);
  checkMapReference(response.map, [...here, 'map'], context.maps, report);
}

/** A score from a snapshot field: the snapshot item and its field exist, sit in the score's section, `in` fits the field. */
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
  const fieldId = str(source.field);
  const field = objects(response.fields).find(([f]) => f.id === fieldId)?.[0];
  if (!field) return; // said where every name is checked (reference-check.ts)
  const fieldResponse = isObject(field.response) ? field.response : undefined;
  if (source.in === undefined) {
    if (fieldResponse?.type !== 'counter' && fieldResponse?.type !== 'rating')
      report([...path, 'field'], 'conditionNotNumeric', { id, type: valueText(fieldResponse?.type) });
    return;
  }
  const allowed: Array<string | number> =
    fieldResponse?.type === 'choice'
      ? idsOf(fieldResponse.options)
      : fieldResponse?.type === 'yes-no'
        ? ['yes', 'no', 'not-observed']
        : fieldResponse?.type === 'counter'
          ? idsOf(fieldResponse.bands)
          : fieldResponse?.type === 'rating'
            ? objects(context.scales.get(valueText(fieldResponse.scale))?.levels).flatMap(([l]) =>
                typeof l.value === 'number' ? [l.value] : [],
              )
            : [];
  arrayOf(source.in).forEach((value, v) => {
    if (!allowed.includes(value as string | number))
      report([...path, 'in', v], 'ruleUnknownAnswer', {
        id,
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

/** Whether a domain gives a score: it has a score rule and at least one item that is scored. */
const domainScores = (domain: Json): boolean =>
  isObject(domain.score) &&
  objects(domain.items).some(([item]) => isObject(item.response) && SCORED_TYPES.has(valueText(item.response.type)));

export function checkDomainScore(domain: Json, path: Segments, maps: Map<string, Json>, report: Report) {
  if (!isObject(domain.score)) return;
  const scored = objects(domain.items).filter(
    ([item]) => isObject(item.response) && SCORED_TYPES.has(valueText(item.response.type)),
  );
  checkWeights(domain.score, [...path, 'score'], idsOf(domain.items), report);
  if (scored.length === 0) report([...path, 'score'], 'domainScoreWithoutItems');
  else checkMinParts(domain.score, [...path, 'score'], scored.length, report);
  checkMapReference(domain.score.map, [...path, 'score', 'map'], maps, report);
}

export function checkDerivedScores(
  data: Json,
  context: { items: Map<string, ItemRef>; domains: Map<string, Json>; maps: Map<string, Json>; report: Report },
) {
  const { report } = context;
  const scores = new Map(objects(data.scores).flatMap(([s]) => (typeof s.id === 'string' ? [[s.id, s] as const] : [])));
  const ids = uniqueIds(report);
  for (const [score, s] of objects(data.scores)) {
    const here: Segments = ['scores', s];
    const id = str(score.id);
    if (id) ids(id, [...here, 'id']);
    const parts: string[] = [];
    const seen = new Set<string>();
    for (const [source, f] of objects(score.from)) {
      const [kind, target] = Object.entries(source)[0] ?? [];
      if (typeof target !== 'string') continue;
      const known =
        kind === 'domain'
          ? context.domains.has(target)
          : kind === 'item'
            ? context.items.has(target)
            : scores.has(target);
      // An unknown part is said where every name is checked (reference-check.ts).
      if (known && kind === 'domain' && !domainScores(context.domains.get(target)!))
        report([...here, 'from', f, 'domain'], 'scoreReadsScorelessDomain', { id: target });
      if (seen.has(`${kind}:${target}`)) report([...here, 'from', f], 'repeatedValue', { value: target });
      seen.add(`${kind}:${target}`);
      parts.push(target);
    }
    checkWeights(score, here, parts, report);
    checkMinParts(score, here, parts.length, report);
    checkMapReference(score.map, [...here, 'map'], context.maps, report);
    if (id && readsItself(id, scores)) report([...here, 'from'], 'scoreCircular', { id });
  }
}

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

export function checkFormat1(data: Json, report: Report) {
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
      // Format 1 already had a counter's `bands` and a context field's `required`.
      const formatOne = (key === 'bands' && value.type === 'counter') || (key === 'required' && path[0] === 'context');
      const newValue = FORMAT_2_VALUES.get(key)?.has(inner) ?? false;
      const feature = (FORMAT_2_KEYS.has(key) && !formatOne) || newValue;
      if (feature) {
        found++;
        report([...path, key], 'needsFormat2', { field: newValue ? `${key}: ${valueText(inner)}` : key });
        continue;
      }
      walk(inner, [...path, key]);
    }
  };
  walk(data, []);
}
