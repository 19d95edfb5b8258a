/**
 * The names one part of an instrument gives another, found by one walk: a rule names the items it reads and acts
 * on and the answers it tests for; a score names its parts, their weights and its scoring map; an item names its
 * scale and scoring map; an option names its group.
 *
 * Three users read it, so a reference is never walked twice: the validator (does every name resolve, does a rule or
 * score read something that can never be there), the editor (a renamed entry is renamed wherever it is named; a
 * removed one takes with it what named it) and the observation's rules (which items a rule reads).
 *
 * It reads raw, unchecked data the way the validator does: whatever is not of the expected shape is skipped, never
 * trusted, and nothing here throws. Walk only after `checkLimits` passed (at most 64 levels deep).
 */
import { arrayOf, isObject, objects, type Json, type Segments } from './json-guards';

/** What a name points at. */
type TargetKind =
  | 'item'
  | 'domain'
  | 'score'
  | 'scale'
  | 'map'
  /** A question about the lesson (`context`) whose number a score reads. */
  | 'context'
  /** A look-for of `scope.item` (a score's weight). */
  | 'lookFor'
  /** A snapshot field of `scope.item`. */
  | 'field'
  /** An option group of the choice the option sits in (`scope.item`, and `scope.field` in a snapshot field). */
  | 'optionGroup'
  /** An answer `scope.item` (or its snapshot field `scope.field`) can have: a level, an option, a look-for, yes/no, a band. */
  | 'answer';

/** What names it. */
type ReferenceRole =
  /** A rule's condition reads it. */
  | 'condition'
  /** What a rule that holds does to it. */
  | 'notApplicable'
  | 'show'
  | 'require'
  /** A score is worked out from it. */
  | 'part'
  /** A score weighs it (the name is a key of `weights`). */
  | 'weight'
  /** Uses it: an item's or field's scale, a scoring map, an option's group. */
  | 'uses';

export interface Reference {
  kind: TargetKind;
  role: ReferenceRole;
  /** The name as written. */
  name: string | number;
  /** Where it is written; for a key (a weight), the path ends in the key. */
  path: Segments;
  /** The name is a key of an object rather than a value. */
  key?: true;
  /** For names that mean something only within one item: that item, and the snapshot field. */
  scope?: { item: string; field?: string };
}

const RULE_EFFECTS = ['notApplicable', 'show', 'require'] as const;

/** Every reference in an instrument, in file order. */
export function instrumentReferences(data: unknown): Reference[] {
  const found: Reference[] = [];
  if (!isObject(data)) return found;
  const add = (reference: Reference) => found.push(reference);

  for (const [scale, s] of objects(data.scales)) usesName(scale.scoring, 'map', ['scales', s, 'scoring'], add);

  for (const [domain, d] of objects(data.domains)) {
    const here: Segments = ['domains', d];
    const items = objects(domain.items);
    if (isObject(domain.score)) {
      scoreRuleNames(domain.score, [...here, 'score'], add, (name) =>
        items.some(([item]) => item.id === name) ? { kind: 'item' } : undefined,
      );
    }
    for (const [item, i] of items) itemReferences(item, [...here, 'items', i], add);
  }

  for (const [score, s] of objects(data.scores)) {
    const here: Segments = ['scores', s];
    const sources = objects(score.from);
    for (const [source, f] of sources) {
      for (const kind of ['domain', 'item', 'score', 'context'] as const) {
        if (typeof source[kind] === 'string')
          add({ kind, role: 'part', name: source[kind], path: [...here, 'from', f, kind] });
      }
      if (typeof source.itemsOf === 'string')
        add({ kind: 'domain', role: 'part', name: source.itemsOf, path: [...here, 'from', f, 'itemsOf'] });
      usesName(source.through, 'map', [...here, 'from', f, 'through'], add);
    }
    scoreRuleNames(score, here, add, (name) => {
      const source = sources.find(([s]) => s.domain === name || s.item === name || s.score === name)?.[0];
      if (!source) return undefined;
      return { kind: source.domain === name ? 'domain' : source.item === name ? 'item' : 'score' };
    });
  }

  for (const [rule, r] of objects(data.rules)) {
    const here: Segments = ['rules', r];
    conditionReferences(rule.when, [...here, 'when'], add);
    const then = isObject(rule.then) ? rule.then : undefined;
    for (const effect of RULE_EFFECTS) {
      arrayOf(then?.[effect]).forEach((target, t) => {
        if (typeof target === 'string')
          add({ kind: 'item', role: effect, name: target, path: [...here, 'then', effect, t] });
        else if (isObject(target) && typeof target.domain === 'string')
          add({ kind: 'domain', role: effect, name: target.domain, path: [...here, 'then', effect, t, 'domain'] });
      });
    }
  }
  return found;
}

/** The item ids a condition reads, however deep in "all", "any" and "count" they sit. */
export function conditionItems(condition: unknown): string[] {
  const names: string[] = [];
  conditionReferences(condition, [], (reference) => {
    if (reference.kind === 'item') names.push(reference.name as string);
  });
  return names;
}

function conditionReferences(condition: unknown, path: Segments, add: (reference: Reference) => void) {
  if (!isObject(condition)) return;
  for (const key of ['all', 'any', 'count'] as const) {
    if (Array.isArray(condition[key])) {
      for (const [part, p] of objects(condition[key])) conditionReferences(part, [...path, key, p], add);
      return;
    }
  }
  // A score or a section's score (format 3).
  if (typeof condition.score === 'string')
    add({ kind: 'score', role: 'condition', name: condition.score, path: [...path, 'score'] });
  if (typeof condition.domain === 'string')
    add({ kind: 'domain', role: 'condition', name: condition.domain, path: [...path, 'domain'] });
  if (typeof condition.item !== 'string') return;
  const item = condition.item;
  add({ kind: 'item', role: 'condition', name: item, path: [...path, 'item'] });
  const field = typeof condition.field === 'string' ? condition.field : undefined;
  if (field !== undefined)
    add({ kind: 'field', role: 'condition', name: field, path: [...path, 'field'], scope: { item } });
  answers(condition.in, [...path, 'in'], { item, ...(field !== undefined && { field }) }, 'condition', add);
}

function itemReferences(item: Json, path: Segments, add: (reference: Reference) => void) {
  const id = typeof item.id === 'string' ? item.id : undefined;
  const response = isObject(item.response) ? item.response : undefined;
  if (response) responseReferences(response, [...path, 'response'], id, undefined, add);
  if (response?.type === 'score') {
    const from = response.from;
    const here: Segments = [...path, 'response'];
    if (isObject(from) && Array.isArray(from.items)) {
      arrayOf(from.items).forEach((name, n) => {
        if (typeof name === 'string') add({ kind: 'item', role: 'part', name, path: [...here, 'from', 'items', n] });
      });
    }
    if (isObject(from) && typeof from.snapshot === 'string') {
      const snapshot = from.snapshot;
      add({ kind: 'item', role: 'part', name: snapshot, path: [...here, 'from', 'snapshot'] });
      if (typeof from.field === 'string') {
        add({
          kind: 'field',
          role: 'part',
          name: from.field,
          path: [...here, 'from', 'field'],
          scope: { item: snapshot },
        });
        answers(from.in, [...here, 'from', 'in'], { item: snapshot, field: from.field }, 'part', add);
      }
      for (const key of ['match', 'among'] as const) matchReferences(from[key], [...here, 'from', key], snapshot, add);
      const per = isObject(from.per) ? from.per : undefined;
      if (typeof per?.field === 'string')
        add({
          kind: 'field',
          role: 'part',
          name: per.field,
          path: [...here, 'from', 'per', 'field'],
          scope: { item: snapshot },
        });
      if (typeof per?.context === 'string')
        add({ kind: 'context', role: 'part', name: per.context, path: [...here, 'from', 'per', 'context'] });
    }
    scoreRuleNames(response, here, add, (name) => {
      if (from === 'children')
        return objects(item.children).some(([c]) => c.id === name) ? { kind: 'item' } : undefined;
      if (from === 'lookFors')
        return id !== undefined && objects(item.lookFors).some(([l]) => l.id === name)
          ? { kind: 'lookFor', scope: { item: id } }
          : undefined;
      return isObject(from) && arrayOf(from.items).includes(name) ? { kind: 'item' } : undefined;
    });
  }
  for (const [child, c] of objects(item.children)) itemReferences(child, [...path, 'children', c], add);
}

/** The fields (and their answers) a snapshot match reads, however deep in "all" and "any". */
function matchReferences(match: unknown, path: Segments, snapshot: string, add: (reference: Reference) => void) {
  if (!isObject(match)) return;
  for (const key of ['all', 'any'] as const) {
    if (Array.isArray(match[key])) {
      for (const [part, p] of objects(match[key])) matchReferences(part, [...path, key, p], snapshot, add);
      return;
    }
  }
  if (typeof match.field !== 'string') return;
  add({ kind: 'field', role: 'part', name: match.field, path: [...path, 'field'], scope: { item: snapshot } });
  answers(match.in, [...path, 'in'], { item: snapshot, field: match.field }, 'part', add);
}

/** A response's scale, scoring map and option groups; a snapshot's fields' too. */
function responseReferences(
  response: Json,
  path: Segments,
  item: string | undefined,
  field: string | undefined,
  add: (reference: Reference) => void,
) {
  usesName(response.scale, 'scale', [...path, 'scale'], add);
  usesName(response.scoring, 'map', [...path, 'scoring'], add);
  if (item !== undefined) {
    for (const [option, o] of objects(response.options)) {
      if (typeof option.group === 'string')
        add({
          kind: 'optionGroup',
          role: 'uses',
          name: option.group,
          path: [...path, 'options', o, 'group'],
          scope: { item, ...(field !== undefined && { field }) },
        });
    }
  }
  if (response.type !== 'snapshot') return;
  for (const [inner, f] of objects(response.fields)) {
    const innerResponse = isObject(inner.response) ? inner.response : undefined;
    const innerId = typeof inner.id === 'string' ? inner.id : undefined;
    if (innerResponse) responseReferences(innerResponse, [...path, 'fields', f, 'response'], item, innerId, add);
  }
}

/** A score rule's scoring map and its weights (each named as what `partOf` says the weighed name is). */
function scoreRuleNames(
  rule: Json,
  path: Segments,
  add: (reference: Reference) => void,
  partOf: (name: string) => Pick<Reference, 'kind' | 'scope'> | undefined,
) {
  usesName(rule.map, 'map', [...path, 'map'], add);
  if (!isObject(rule.weights)) return;
  for (const name of Object.keys(rule.weights)) {
    // A weight of something that is not a part is the validator's to report (`weightUnknownPart`).
    const part = partOf(name) ?? { kind: 'item' as const };
    add({ ...part, role: 'weight', name, path: [...path, 'weights', name], key: true });
  }
}

function usesName(name: unknown, kind: TargetKind, path: Segments, add: (reference: Reference) => void) {
  if (typeof name === 'string') add({ kind, role: 'uses', name, path });
}

function answers(
  list: unknown,
  path: Segments,
  scope: NonNullable<Reference['scope']>,
  role: ReferenceRole,
  add: (reference: Reference) => void,
) {
  arrayOf(list).forEach((name, a) => {
    if (typeof name === 'string' || typeof name === 'number')
      add({ kind: 'answer', role, name, path: [...path, a], scope });
  });
}
