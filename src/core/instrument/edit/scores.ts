/**
 * (format 2) Scores: the instrument's named scores (`scores`, across domains, items and other scores), and what
 * every score rule has (a domain's `score`, a named score, a score item's response): how its parts are combined,
 * their weights, a scoring map, decimals, a percentage, the fewest parts that give a score. A rule is found by its
 * path, so one step serves all three. (format 3) A ratio or a pattern as the method, and a named score's parts that
 * are a domain's items or a number about the lesson; the rest of format 3's score steps are in `scores-format-3.ts`.
 */
import type { DerivedScore, Instrument, PartCount, ScoreMethod, ScoreRule, ScoreSource } from '../types';
import { getAt, inFormat2, inFormat3, isObject, setAt, updateAt, type Path } from './paths';
import { freshId } from './ids';
import { emptyText } from './texts';
import { insertEntry } from './lists';

/**
 * The methods a score can combine its parts with; weights only for a mean or a sum. (format 3) A ratio divides its
 * first part by its second; a pattern gives the score of the first of its cases that holds.
 */
export const SCORE_METHODS: readonly ScoreMethod[] = [
  'mean',
  'sum',
  'min',
  'max',
  'median',
  'mode',
  'ratio',
  'pattern',
];
const FORMAT_3_METHODS: ReadonlySet<ScoreMethod> = new Set(['ratio', 'pattern']);
export const takesWeights = (method: ScoreMethod | undefined): boolean => method === 'mean' || method === 'sum';

/** The id a score's part is known by (in its weights), whatever it is. */
export const sourceId = (source: ScoreSource): string =>
  (source as Partial<Record<ReturnType<typeof sourceKind>, string>>)[sourceKind(source)] ?? '';
/** What a part is: a domain's score, an item's, another score's, or (format 3) a domain's items or a number about the lesson. */
const sourceKind = (source: ScoreSource): 'domain' | 'item' | 'score' | 'itemsOf' | 'context' =>
  'domain' in source
    ? 'domain'
    : 'item' in source
      ? 'item'
      : 'itemsOf' in source
        ? 'itemsOf'
        : 'context' in source
          ? 'context'
          : 'score';

/** A case of a pattern score, as the file holds it. */
type ScorePattern = NonNullable<ScoreRule['patterns']>[number];

/** The first scale's levels, low to high (1–4 when there is none): what a new count's range is made from. */
function levelValues(instrument: Instrument): number[] {
  const values = (instrument.scales?.[0]?.levels ?? [])
    .map((level) => level.value)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return values.length > 0 ? values : [1, 2, 3, 4];
}

/** A new count: more than half of the parts score in the upper half of the first scale (3–4 of 1–4). */
export function newPartCount(instrument: Instrument): PartCount {
  const values = levelValues(instrument);
  const upper = values[Math.floor(values.length / 2)] ?? values[0]!;
  return { min: upper, max: values.at(-1)!, share: true, moreThan: 0.5 };
}

/** A count that holds whenever any part has a value: at least one scores anywhere on the first scale. */
export function anyPartCount(instrument: Instrument): PartCount {
  const values = levelValues(instrument);
  return { min: values[0]!, max: values.at(-1)!, atLeast: 1 };
}

/** The cases a score by pattern starts with: one, scoring 1, for the author to change. */
export const firstPatterns = (instrument: Instrument): ScorePattern[] => [
  { when: [newPartCount(instrument)], score: 1 },
];

const SCORED = new Set(['rating', 'yes-no', 'counter', 'score']);

/**
 * The ids a part is weighed by: a domain's, an item's, a score's or a question's id, and for "each item of a
 * domain" the id of each of its scored items (each is a part of its own).
 */
export function partIds(instrument: Instrument, source: ScoreSource): string[] {
  if (!('itemsOf' in source)) return [sourceId(source)];
  const domain = instrument.domains.find((d) => d.id === source.itemsOf);
  return (domain?.items ?? []).filter((item) => SCORED.has(item.response?.type)).map((item) => item.id);
}

/** Every id a named score's parts are weighed by, in the parts' order, each once. */
export const scorePartIds = (instrument: Instrument, from: readonly ScoreSource[]): string[] => [
  ...new Set(from.flatMap((source) => (isObject(source) ? partIds(instrument, source) : []))),
];

/**
 * A new named score: the mean of the domains that have a score (or of the first domain when none has one yet, for
 * the author to change). It never starts without a part: a score with nothing to read means nothing.
 */
export function addScore(instrument: Instrument): { instrument: Instrument; index: number } {
  const scored = instrument.domains.filter((domain) => domain.score);
  const from: ScoreSource[] = (scored.length > 0 ? scored : instrument.domains.slice(0, 1)).map((domain) => ({
    domain: domain.id,
  }));
  const score: DerivedScore = {
    id: freshId(instrument, ['scores'], 'score'),
    label: emptyText(instrument.languages),
    method: 'mean',
    from,
  };
  return insertEntry(inFormat2(instrument), ['scores'], score);
}

/**
 * Includes a part in a named score, or leaves it out (the weights of what it was with it, unless another part still
 * gives them); the parts keep the order they were added. (format 3) A domain's items each as a part of their own
 * (`itemsOf`) or a number about the lesson (`context`) raise the file to format 3.
 */
export function setScoreSource(
  instrument: Instrument,
  scoreIndex: number,
  source: ScoreSource,
  included: boolean,
): Instrument {
  const path = ['scores', scoreIndex];
  const score = getAt(instrument, path) as DerivedScore | undefined;
  if (!score) return instrument;
  const from = Array.isArray(score.from) ? score.from : [];
  const same = (other: ScoreSource) =>
    isObject(other) && sourceKind(other) === sourceKind(source) && sourceId(other) === sourceId(source);
  const has = from.some(same);
  if (has === included) return instrument;
  if (included) {
    const format3 = 'itemsOf' in source || 'context' in source || source.through !== undefined;
    return setAt(format3 ? inFormat3(instrument) : instrument, [...path, 'from'], [...from, source]);
  }
  const rest = from.filter((other) => !same(other));
  let next = setAt(instrument, [...path, 'from'], rest);
  const still = new Set(scorePartIds(next, rest));
  for (const removed of from.filter(same))
    for (const id of partIds(instrument, removed)) if (!still.has(id)) next = setWeight(next, path, id, undefined);
  return next;
}

/**
 * How a score rule combines its parts; weights go with a method that does not use them, and a pattern's cases with
 * any other method. A ratio or a pattern raises the file to format 3; a pattern starts with one case to change.
 */
export function setScoreMethod(instrument: Instrument, rulePath: Path, method: ScoreMethod): Instrument {
  const next = updateAt<Instrument, ScoreRule | undefined>(instrument, rulePath, (rule) => {
    if (!isObject(rule)) return rule;
    const { weights, patterns, ...rest } = rule;
    return {
      ...rest,
      method,
      ...(takesWeights(method) && weights ? { weights } : {}),
      ...(method === 'pattern' ? { patterns: patterns ?? firstPatterns(instrument) } : {}),
    };
  });
  return next !== instrument && FORMAT_3_METHODS.has(method) ? inFormat3(next) : next;
}

/** A part's weight (absent weighs 1); `undefined` removes it, and the last one removes the weights. */
export function setWeight(
  instrument: Instrument,
  rulePath: Path,
  part: string,
  weight: number | undefined,
): Instrument {
  const rule = getAt(instrument, rulePath) as ScoreRule | undefined;
  if (!isObject(rule)) return instrument;
  const weights = { ...(rule.weights ?? {}) };
  if (weight === undefined || Number.isNaN(weight)) delete weights[part];
  else weights[part] = weight;
  return setAt(instrument, [...rulePath, 'weights'], Object.keys(weights).length > 0 ? weights : undefined);
}

/** A domain's score from its items (the mean to start with), or none. */
export function setDomainScore(instrument: Instrument, domainIndex: number, on: boolean): Instrument {
  const path = ['domains', domainIndex, 'score'];
  if (!on) return setAt(instrument, path, undefined);
  return getAt(instrument, path) ? instrument : setAt(inFormat2(instrument), path, { method: 'mean' });
}

// ---------------------------------------------------------------------------------------------------------------
// Score items (`type: 'score'`): what an item's score is worked out from.

export type ScoreFrom = 'children' | 'lookFors' | 'items' | 'snapshot';
export const SCORE_FROM: readonly ScoreFrom[] = ['lookFors', 'children', 'items', 'snapshot'];

export const scoreFromKind = (from: unknown): ScoreFrom | undefined =>
  from === 'children' || from === 'lookFors'
    ? from
    : isObject(from)
      ? 'snapshot' in from
        ? 'snapshot'
        : 'items' in from
          ? 'items'
          : undefined
      : undefined;

/**
 * What a score item is worked out from: its behaviours, its look-fors, listed items, or a snapshot field (the first
 * snapshot item's first field, to start with). Weights go: they weighed the parts of the old source.
 */
export function setScoreFrom(instrument: Instrument, itemPath: Path, kind: ScoreFrom): Instrument {
  const path = [...itemPath, 'response'];
  const response = getAt(instrument, path) as (ScoreRule & { from?: unknown }) | undefined;
  if (!isObject(response) || scoreFromKind(response.from) === kind) return instrument;
  const snapshot = everySnapshot(instrument)[0];
  const from =
    kind === 'items'
      ? { items: [] }
      : kind === 'snapshot'
        ? { snapshot: snapshot?.id ?? '', field: snapshot?.fields[0]?.id ?? '' }
        : kind;
  const { weights: _weights, ...rest } = response;
  return setAt(instrument, path, { ...rest, from });
}

/**
 * The scale a score item's result is read as a level of, or none (the number itself). Without a scale there is no
 * level for the observer to choose otherwise (`overridable` goes).
 */
export function setScoreScale(instrument: Instrument, itemPath: Path, scale: string | undefined): Instrument {
  const path = [...itemPath, 'response'];
  const next = setAt(instrument, [...path, 'scale'], scale || undefined);
  return scale ? next : setAt(next, [...path, 'overridable'], undefined);
}

/** (format 3) Whether the observer may choose another level than the one worked out (only with a scale). */
export const setScoreOverridable = (instrument: Instrument, itemPath: Path, on: boolean): Instrument =>
  setAt(on ? inFormat3(instrument) : instrument, [...itemPath, 'response', 'overridable'], on ? true : undefined);

/** Includes an item among those a score item combines, or leaves it out (with its weight). */
export function setScoreItem(instrument: Instrument, itemPath: Path, id: string, included: boolean): Instrument {
  const listPath = [...itemPath, 'response', 'from', 'items'];
  const list = getAt(instrument, listPath);
  const current = Array.isArray(list) ? (list as string[]) : [];
  if (current.includes(id) === included) return instrument;
  const next = setAt(instrument, listPath, included ? [...current, id] : current.filter((other) => other !== id));
  return included ? next : setWeight(next, [...itemPath, 'response'], id, undefined);
}

/**
 * The snapshot item (its first field) or the field a score item reads; the values it counted meant the old one. So
 * (format 3) did the fields another snapshot item's conditions and divisor named: they go with it.
 */
export function setSnapshotSource(
  instrument: Instrument,
  itemPath: Path,
  change: { snapshot: string } | { field: string },
): Instrument {
  const path = [...itemPath, 'response', 'from'];
  const from = getAt(instrument, path);
  if (!isObject(from)) return instrument;
  const { in: _in, ...rest } = from;
  const { match: _match, among: _among, per: _per, ...own } = rest;
  const next =
    'snapshot' in change
      ? {
          ...own,
          snapshot: change.snapshot,
          field: everySnapshot(instrument).find((s) => s.id === change.snapshot)?.fields[0]?.id ?? '',
        }
      : { ...rest, field: change.field };
  return setAt(instrument, path, next);
}

/**
 * Includes a value among those a score from a snapshot field counts (the share of snapshots with one of them), or
 * leaves it out; with none, the score reads the field's number itself.
 */
export function setSnapshotValue(
  instrument: Instrument,
  itemPath: Path,
  value: string | number,
  included: boolean,
): Instrument {
  const path = [...itemPath, 'response', 'from', 'in'];
  const list = getAt(instrument, path);
  const current = Array.isArray(list) ? (list as Array<string | number>) : [];
  if (current.includes(value) === included) return instrument;
  const next = included ? [...current, value] : current.filter((other) => other !== value);
  return setAt(instrument, path, next.length > 0 ? next : undefined);
}

/** Every snapshot item, with its fields. */
export function everySnapshot(instrument: Instrument): Array<{ id: string; fields: Array<{ id: string }> }> {
  const found: Array<{ id: string; fields: Array<{ id: string }> }> = [];
  const walk = (items: unknown) => {
    if (!Array.isArray(items)) return;
    for (const item of items) {
      if (!isObject(item)) continue;
      const response = item.response;
      if (isObject(response) && response.type === 'snapshot' && typeof item.id === 'string')
        found.push({
          id: item.id,
          fields: Array.isArray(response.fields)
            ? response.fields.filter((f): f is { id: string } => isObject(f) && typeof f.id === 'string')
            : [],
        });
      walk(item.children);
    }
  };
  for (const domain of instrument.domains ?? []) walk(domain.items);
  return found;
}
