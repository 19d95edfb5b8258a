/**
 * References: rules (conditions and what they do) and scores name items, domains and answers. The walks over an
 * instrument's items, rules and scores that the editor's steps use to keep those names right when an entry is
 * renamed, moved or removed.
 */
import type { Condition, DerivedScore, Domain, Instrument, Item, Rule, RuleEffect, ScoreRule } from '../types';
import { flattenItems } from '../localize';
import { isObject } from './paths';

// ---------------------------------------------------------------------------------------------------------------
// Items.

/** Every item of the instrument, behaviours under elements included. */
export const everyItem = (instrument: Instrument): Item[] =>
  instrument.domains.flatMap((domain) => flattenItems(domain.items ?? []));

/** Every item changed by `change` (behaviours under elements too); what it leaves alone stays the same object. */
export function mapItems(instrument: Instrument, change: (item: Item) => Item): Instrument {
  const mapList = (items: Item[]): Item[] => {
    const mapped = items.map((item) => {
      const changed = change(item);
      if (!changed.children) return changed;
      const children = mapList(changed.children);
      return children === changed.children ? changed : { ...changed, children };
    });
    return mapped.every((item, i) => item === items[i]) ? items : mapped;
  };
  const domains = instrument.domains.map((domain) => {
    const items = mapList(domain.items ?? []);
    return items === domain.items ? domain : { ...domain, items };
  });
  return domains.every((domain, i) => domain === instrument.domains[i]) ? instrument : { ...instrument, domains };
}

// ---------------------------------------------------------------------------------------------------------------
// Rules: their conditions, what they do, and the answers they test for.

/** The conditions that name an item (an answer or a number), however deep in "all", "any" and "count" they sit. */
type LeafCondition = Extract<Condition, { item: string }>;

/** A condition with each item condition changed; `undefined` from `change` drops that part. */
export function mapConditionItems(
  condition: Condition | undefined,
  change: (leaf: LeafCondition) => LeafCondition | undefined,
): Condition | undefined {
  if (!isObject(condition)) return condition;
  const list = (parts: unknown): Condition[] =>
    (Array.isArray(parts) ? (parts as Condition[]) : []).flatMap((part) => {
      const mapped = mapConditionItems(part, change);
      return mapped === undefined ? [] : [mapped];
    });
  if ('item' in condition) return change(condition as LeafCondition);
  if ('all' in condition) return { ...condition, all: list(condition.all) };
  if ('any' in condition) return { ...condition, any: list(condition.any) };
  if ('count' in condition) return { ...condition, count: list(condition.count) };
  return condition;
}

/** Every item a condition names. */
function conditionItems(condition: Condition | undefined): string[] {
  const names: string[] = [];
  mapConditionItems(condition, (leaf) => {
    names.push(leaf.item);
    return leaf;
  });
  return names;
}

const EFFECTS = ['notApplicable', 'show', 'require'] as const;

/** A rule's effects with each list of item ids changed; an empty list is removed. */
export function mapEffects(then: RuleEffect | undefined, change: (ids: string[]) => string[]): RuleEffect {
  const next: RuleEffect = { ...then };
  for (const effect of EFFECTS) {
    const ids = then?.[effect];
    if (!Array.isArray(ids)) continue;
    const changed = change(ids);
    if (changed.length > 0) next[effect] = changed;
    else delete next[effect];
  }
  return next;
}

export function mapRules(instrument: Instrument, change: (rule: Rule) => Rule | undefined): Instrument {
  const rules = instrument.rules.flatMap((rule) => {
    const changed = change(rule);
    return changed === undefined ? [] : [changed];
  });
  return rules.length === instrument.rules.length && rules.every((rule, i) => sameJson(rule, instrument.rules[i]))
    ? instrument
    : { ...instrument, rules };
}

const sameJson = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Changes the answers every condition on this item's answer tests for (`undefined` drops an answer). */
/**
 * Changes the answers rules test an item for (`field`: a snapshot field of that item) and, for a snapshot field, the
 * answers a score counts (`from: { snapshot, field, in }`).
 */
export function mapRuleAnswers(
  instrument: Instrument,
  itemId: string,
  change: (answer: string | number) => string | number | undefined,
  field?: string,
): Instrument {
  const changed = (answers: Array<string | number>) =>
    answers.flatMap((answer) => {
      const next = change(answer);
      return next === undefined ? [] : [next];
    });
  const next = mapRules(instrument, (rule) => ({
    ...rule,
    when:
      mapConditionItems(rule.when, (leaf) => {
        if (leaf.item !== itemId || leaf.field !== field || !('in' in leaf) || !Array.isArray(leaf.in)) return leaf;
        return { ...leaf, in: changed(leaf.in) };
      }) ?? rule.when,
  }));
  if (field === undefined) return next;
  return mapItems(next, (item) => {
    const response = item.response;
    if (response?.type !== 'score' || typeof response.from !== 'object' || !('snapshot' in response.from)) return item;
    const from = response.from;
    if (from.snapshot !== itemId || from.field !== field || !from.in) return item;
    return { ...item, response: { ...response, from: { ...from, in: changed(from.in) } } };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Scores: derived scores, score items and domain scores name items, domains and other scores.

/** A score's weights with one id's weight moved to another id (or dropped when `id` is undefined). */
export function renamedWeights(
  rule: Pick<ScoreRule, 'weights'>,
  old: string,
  id: string | undefined,
): Pick<ScoreRule, 'weights'> {
  if (!rule.weights || !(old in rule.weights)) return {};
  const weights = Object.fromEntries(
    Object.entries(rule.weights).flatMap(([key, weight]) =>
      key !== old ? [[key, weight]] : id === undefined ? [] : [[id, weight]],
    ),
  );
  return { weights };
}

/** The instrument's derived scores with each source changed (`undefined` drops it) and the weight of `old` moved to `id`. */
export function mapScoreSources(
  instrument: Instrument,
  change: (source: DerivedScore['from'][number]) => DerivedScore['from'][number] | undefined,
  old: string,
  id: string | undefined,
): Instrument {
  if (!Array.isArray(instrument.scores)) return instrument;
  const scores = instrument.scores.map((score) => {
    const from = (score.from ?? []).flatMap((source) => {
      const changed = change(source);
      return changed === undefined ? [] : [changed];
    });
    return sameJson(from, score.from) && !(score.weights && old in score.weights)
      ? score
      : { ...score, from, ...renamedWeights(score, old, id) };
  });
  return scores.every((score, i) => score === instrument.scores![i]) ? instrument : { ...instrument, scores };
}

function mapDomains(instrument: Instrument, change: (domain: Domain) => Domain): Instrument {
  const domains = instrument.domains.map(change);
  return domains.every((domain, i) => domain === instrument.domains[i]) ? instrument : { ...instrument, domains };
}

/**
 * An item's id where score items and domain scores name it: in a score's listed items, as the snapshot a score is
 * worked out from, and as a weight (of an element's behaviour, of a listed item, of a domain's item). `id`
 * undefined: the item is gone, and so is every mention of it (a score from a snapshot that is gone keeps naming it,
 * so the validator says what to choose instead).
 */
export function itemScoreReferences(instrument: Instrument, old: string, id: string | undefined): Instrument {
  let next = mapItems(instrument, (item) => {
    const response = item.response;
    if (response?.type !== 'score') return item;
    let from = response.from;
    if (typeof from === 'object' && 'items' in from && from.items.includes(old)) {
      from = { ...from, items: from.items.flatMap((x) => (x !== old ? [x] : id === undefined ? [] : [id])) };
    }
    if (typeof from === 'object' && 'snapshot' in from && from.snapshot === old && id !== undefined)
      from = { ...from, snapshot: id };
    const weights = renamedWeights(response, old, id);
    if (from === response.from && !('weights' in weights)) return item;
    return { ...item, response: { ...response, from, ...weights } };
  });
  next = mapDomains(next, (domain) =>
    domain.score?.weights && old in domain.score.weights
      ? { ...domain, score: { ...domain.score, ...renamedWeights(domain.score, old, id) } }
      : domain,
  );
  return next;
}

// ---------------------------------------------------------------------------------------------------------------
// What goes with a removed entry.

/**
 * The rules and scores without the items that are gone: a rule whose condition names one goes with it; a gone item
 * is taken out of what a rule does (and a rule left with nothing to do goes too) and out of the scores.
 */
export function withoutItems(instrument: Instrument, gone: ReadonlySet<string>): Instrument {
  if (gone.size === 0) return instrument;
  let next = mapRules(instrument, (rule) => {
    // A condition on an item that is gone can never be decided: the rule goes.
    if (conditionItems(rule.when).some((item) => gone.has(item))) return undefined;
    const then = mapEffects(rule.then, (ids) => ids.filter((id) => !gone.has(id)));
    return EFFECTS.some((effect) => then[effect]) ? { ...rule, then } : undefined;
  });
  for (const id of gone) {
    next = mapScoreSources(
      next,
      (source) => ('item' in source && source.item === id ? undefined : source),
      id,
      undefined,
    );
    next = itemScoreReferences(next, id, undefined);
  }
  return next;
}

/** Named scores left with nothing to read go, and so does every mention of them in other scores. */
export function withoutEmptyScores(instrument: Instrument): Instrument {
  let next = instrument;
  for (;;) {
    const empty = (next.scores ?? []).find((score) => Array.isArray(score.from) && score.from.length === 0);
    if (!empty) return next;
    next = { ...next, scores: (next.scores ?? []).filter((score) => score !== empty) };
    next = mapScoreSources(
      next,
      (source) => ('score' in source && source.score === empty.id ? undefined : source),
      empty.id,
      undefined,
    );
  }
}
