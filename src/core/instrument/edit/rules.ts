/**
 * Rules as the editor makes them: when a condition holds, items do not apply, are shown, or must be answered. A
 * condition reads an item's answer (one of these answers, or a number within bounds: a counter, a rating, the
 * look-fors seen, a snapshot field) or combines conditions (all, any, or how many of them hold), nested.
 *
 * A condition is found by its path under the rule's `when` (`[]` for the whole condition, `['all', 1]` for the
 * second of those that must all hold). A rule the editor cannot show as a form (`isEditableRule`) is kept exactly as
 * it is, and shown read-only.
 *
 * Format 3 adds a condition on a score as worked out so far (a named score, or a section's score) and whole sections
 * as targets; a step that adds either raises the file to format 3.
 */
import type { Condition, Domain, Instrument, Item, Rule, RuleEffect, RuleTarget, SnapshotField } from '../types';
import { flattenItems } from '../localize';
import { conditionItems, instrumentReferences } from '../references';
import { itemsScoresRead } from '../rule-check';
import { getAt, inFormat2, inFormat3, isObject, setAt, updateAt, type Json, type Path } from './paths';
import { freshId } from './ids';
import { everyItem } from './references';
import { insertEntry } from './lists';

/** What a rule that holds does to its targets, in the order the editor offers them. */
export const RULE_EFFECTS = ['notApplicable', 'show', 'require'] as const;
export type EffectKind = (typeof RULE_EFFECTS)[number];
/** How a group of conditions holds: all of them, at least one, or a number of them (`count`, with bounds). */
export const CONDITION_JOINS = ['all', 'any', 'count'] as const;
export type ConditionJoin = (typeof CONDITION_JOINS)[number];

/** The deepest nesting of condition groups the editor shows as a form; deeper is kept and shown read-only. */
const MAX_DEPTH = 4;
const LEAF_KEYS = new Set(['item', 'field', 'in', 'atLeast', 'atMost']);
/** What a condition on a score (format 3) reads: a named score, or a section's score. */
const SCORE_SUBJECTS = ['score', 'domain'] as const;
export type ScoreSubject = (typeof SCORE_SUBJECTS)[number];
const isNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

/** The join of a condition group (`all`, `any`, `count`), or undefined for a condition on one item. */
export function conditionJoin(condition: unknown): ConditionJoin | undefined {
  if (!isObject(condition)) return undefined;
  return CONDITION_JOINS.find((join) => Array.isArray(condition[join]));
}

/** Whether the editor shows this condition as a form: the shapes of the format, nested at most `MAX_DEPTH` deep. */
function isEditableCondition(condition: unknown, depth = 0): boolean {
  if (!isObject(condition) || depth > MAX_DEPTH) return false;
  const join = conditionJoin(condition);
  const keys = Object.keys(condition);
  if (join) {
    const parts = condition[join] as unknown[];
    const allowed = join === 'count' ? ['count', 'atLeast', 'atMost'] : [join];
    return (
      keys.every((key) => allowed.includes(key)) &&
      keys.filter((key) => key !== join).every((key) => isNumber(condition[key])) &&
      parts.length > 0 &&
      parts.every((part) => isEditableCondition(part, depth + 1))
    );
  }
  const subject = scoreSubject(condition);
  if (subject) {
    // A score within bounds (format 3).
    return (
      typeof condition[subject] === 'string' &&
      keys.every((key) => key === subject || key === 'atLeast' || key === 'atMost') &&
      ['atLeast', 'atMost'].every((key) => condition[key] === undefined || isNumber(condition[key]))
    );
  }
  if (typeof condition.item !== 'string' || !keys.every((key) => LEAF_KEYS.has(key))) return false;
  if (condition.field !== undefined && typeof condition.field !== 'string') return false;
  if (condition.in !== undefined) {
    return (
      condition.atLeast === undefined &&
      condition.atMost === undefined &&
      Array.isArray(condition.in) &&
      condition.in.every((answer) => typeof answer === 'string' || typeof answer === 'number')
    );
  }
  return ['atLeast', 'atMost'].every((key) => condition[key] === undefined || isNumber(condition[key]));
}

/** Whether the editor shows this rule as a form; any other is kept exactly and described read-only. */
export function isEditableRule(rule: Rule | undefined): boolean {
  if (!isObject(rule) || !isEditableCondition(rule.when) || !isObject(rule.then)) return false;
  return Object.entries(rule.then).every(
    ([key, targets]) =>
      (RULE_EFFECTS as readonly string[]).includes(key) &&
      Array.isArray(targets) &&
      targets.every(
        // An item, or (format 3) a whole section.
        (target) =>
          typeof target === 'string' ||
          (isObject(target) && typeof target.domain === 'string' && Object.keys(target).length === 1),
      ),
  );
}

/** What a condition on a score reads (format 3): a named score, a section's score; undefined for any other. */
export function scoreSubject(condition: unknown): ScoreSubject | undefined {
  if (!isObject(condition) || condition.item !== undefined || conditionJoin(condition)) return undefined;
  return SCORE_SUBJECTS.find((key) => condition[key] !== undefined);
}

/**
 * Whether a rule is of the first kind the editor made: "when item X has one of these answers, these items do not
 * apply" (one condition, one effect).
 */
export function isSimpleRule(
  rule: Rule | undefined,
): rule is Rule & { when: { item: string; in: Array<string | number> } } {
  const when = rule?.when as Json | undefined;
  if (!isObject(when) || !isObject(rule?.then)) return false;
  return (
    typeof when.item === 'string' &&
    Array.isArray(when.in) &&
    Object.keys(when).every((key) => key === 'item' || key === 'in') &&
    Object.keys(rule.then).every((key) => key === 'notApplicable')
  );
}

// ---------------------------------------------------------------------------------------------------------------
// What a condition can read.

/** What a condition on an item (or a snapshot field of it) can test: answers to choose from, a number in bounds. */
export interface ConditionChoices {
  /** The answers `in` may list, as the rule stores them; undefined when the item has none to choose from. */
  answers?: Array<string | number>;
  /** Whether bounds apply (a counter, a rating's value, the number of look-fors seen, a snapshot field's number). */
  numeric: boolean;
}

function responseChoices(
  instrument: Instrument,
  response: Item['response'] | SnapshotField['response'] | undefined,
): ConditionChoices | undefined {
  switch (response?.type) {
    case 'rating': {
      const scale = instrument.scales.find((s) => s.id === response.scale);
      return {
        answers: scale
          ? [...scale.levels.map((level) => level.value), ...(scale.notObserved ? ['not-observed'] : [])]
          : [],
        numeric: true,
      };
    }
    case 'yes-no':
      return { answers: ['yes', 'no', ...(response.allowNotObserved ? ['not-observed'] : [])], numeric: false };
    case 'choice':
      return { answers: (response.options ?? []).map((option) => option.id), numeric: false };
    case 'counter':
      return { numeric: true };
    default:
      return undefined;
  }
}

/** What a condition can test on this item (`field`: one of its snapshot fields), as the validator allows it. */
export function conditionChoices(instrument: Instrument, item: Item, field?: string): ConditionChoices {
  if (field !== undefined) {
    const fields = item.response?.type === 'snapshot' ? item.response.fields : [];
    return responseChoices(instrument, fields.find((f) => f.id === field)?.response) ?? { numeric: false };
  }
  const own = responseChoices(instrument, item.response);
  if (own) return own;
  // Look-fors seen (by id), and how many were seen.
  const lookFors = (item.lookFors ?? []).map((lookFor) => lookFor.id);
  return lookFors.length > 0 ? { answers: lookFors, numeric: true } : { numeric: false };
}

/** Items a condition can read: those with answers to test for or a number, and snapshot items (by a field). */
export function conditionTargets(instrument: Instrument): Item[] {
  return everyItem(instrument).filter((item) => {
    if (item.response?.type === 'snapshot') return (item.response.fields ?? []).length > 0;
    const choices = conditionChoices(instrument, item);
    return (choices.answers?.length ?? 0) > 0 || choices.numeric;
  });
}

/** Items a rule can depend on by their answer: rated, yes/no or choice items (the answers a rule can test for). */
function ruleTriggers(instrument: Instrument): Item[] {
  return everyItem(instrument).filter((item) => ['rating', 'yes-no', 'choice'].includes(item.response?.type));
}

// ---------------------------------------------------------------------------------------------------------------
// A rule and its condition.

/** A rule to fill in: when the first item a rule can depend on gets an answer still to choose, items do not apply. */
export function addRule(instrument: Instrument): { instrument: Instrument; index: number } {
  const rule: Rule = {
    id: freshId(instrument, ['rules'], 'rule'),
    when: newCondition(instrument),
    then: { notApplicable: [] },
  };
  return insertEntry(instrument, ['rules'], rule);
}

/**
 * A condition to fill in: on the first item with answers (answers still to choose), else the first with a number;
 * one the rule does not read yet (`avoid`), when there is one.
 */
function newCondition(instrument: Instrument, avoid: ReadonlySet<unknown> = new Set()): Condition {
  const candidates = conditionTargets(instrument);
  const pick = (list: Item[]) => list.find((item) => !avoid.has(item.id)) ?? list[0];
  const answered = pick(ruleTriggers(instrument));
  if (answered) return { item: answered.id, in: [] };
  const other = pick(candidates);
  if (!other) return { item: '', in: [] };
  return leafFor(instrument, other.id, undefined, undefined) as unknown as Condition;
}

const whenPath = (ruleIndex: number, conditionPath: Path): Path => ['rules', ruleIndex, 'when', ...conditionPath];

/** A condition on an item: its answers to choose (`in`), or bounds for a number (`range`), as it allows. */
function leafFor(
  instrument: Instrument,
  itemId: string,
  field: string | undefined,
  mode: 'in' | 'range' | undefined,
): Json {
  const item = everyItem(instrument).find((candidate) => candidate.id === itemId);
  const snapshotField = field ?? (item?.response?.type === 'snapshot' ? item.response.fields?.[0]?.id : undefined);
  const choices = item ? conditionChoices(instrument, item, snapshotField) : { numeric: false };
  const range = mode === 'range' ? choices.numeric : choices.answers === undefined && choices.numeric;
  const base = { item: itemId, ...(snapshotField !== undefined && { field: snapshotField }) };
  return range ? base : { ...base, in: [] };
}

/**
 * The item a condition reads (with `field`, one of its snapshot fields). The answers chosen for the previous one mean
 * nothing for this one; a test on a number keeps its bounds when the new one has a number too.
 */
export function setConditionItem(
  instrument: Instrument,
  ruleIndex: number,
  conditionPath: Path,
  itemId: string,
  field?: string,
): Instrument {
  const path = whenPath(ruleIndex, conditionPath);
  const current = getAt(instrument, path) as Json | undefined;
  const wasRange = isObject(current) && current.in === undefined;
  const next = leafFor(instrument, itemId, field, wasRange ? 'range' : 'in');
  if (wasRange && next.in === undefined)
    for (const key of ['atLeast', 'atMost']) if (isNumber(current?.[key])) next[key] = current![key];
  return setAt(instrument, path, next);
}

/**
 * A condition on a score as worked out so far (format 3): a named score (`score`) or a section's score (`domain`),
 * within bounds. Bounds set for a number before (another score, a counter, a rating) stay.
 */
export function setConditionScore(
  instrument: Instrument,
  ruleIndex: number,
  conditionPath: Path,
  subject: ScoreSubject,
  id: string,
): Instrument {
  const path = whenPath(ruleIndex, conditionPath);
  const current = getAt(instrument, path) as Json | undefined;
  const next: Json = { [subject]: id };
  if (isObject(current) && current.in === undefined)
    for (const key of ['atLeast', 'atMost']) if (isNumber(current[key])) next[key] = current[key];
  return setAt(inFormat3(instrument), path, next);
}

/** The sections a condition can read the score of: those that give one (format 3). */
export const scoredDomains = (instrument: Instrument): Domain[] =>
  instrument.domains.filter((domain) => domain.score !== undefined);

/** Whether a condition tests for answers (`in`) or a number within bounds (`range`). */
export function setConditionMode(
  instrument: Instrument,
  ruleIndex: number,
  conditionPath: Path,
  mode: 'in' | 'range',
): Instrument {
  return updateAt<Instrument, Json | undefined>(instrument, whenPath(ruleIndex, conditionPath), (leaf) => {
    if (!isObject(leaf) || (mode === 'in') === Array.isArray(leaf.in)) return leaf;
    const { in: _in, atLeast: _atLeast, atMost: _atMost, ...rest } = leaf;
    return mode === 'in' ? { ...rest, in: [] } : rest;
  });
}

/** Includes an answer among those a condition tests for, or leaves it out (kept in the order the item offers them). */
export function setConditionAnswer(
  instrument: Instrument,
  ruleIndex: number,
  conditionPath: Path,
  answer: string | number,
  included: boolean,
): Instrument {
  const path = whenPath(ruleIndex, conditionPath);
  const leaf = getAt(instrument, path) as Json | undefined;
  if (!isObject(leaf) || typeof leaf.item !== 'string' || !Array.isArray(leaf.in)) return instrument;
  const current = leaf.in as Array<string | number>;
  const wanted = included ? [...current.filter((a) => a !== answer), answer] : current.filter((a) => a !== answer);
  const item = everyItem(instrument).find((candidate) => candidate.id === leaf.item);
  const order = item ? (conditionChoices(instrument, item, leaf.field as string | undefined).answers ?? []) : [];
  const rank = (a: string | number) => (order.indexOf(a) === -1 ? order.length : order.indexOf(a));
  return setAt(
    instrument,
    [...path, 'in'],
    [...wanted].sort((a, b) => rank(a) - rank(b)),
  );
}

/**
 * Adds a condition (`group`: a group of conditions of its own, any of two) beside the one at `conditionPath`: in its
 * group, or with it in a new group that must all hold. Returns the new condition's path under `when`.
 */
export function addCondition(
  instrument: Instrument,
  ruleIndex: number,
  conditionPath: Path,
  options: { group?: boolean } = {},
): { instrument: Instrument; path: Path } {
  const path = whenPath(ruleIndex, conditionPath);
  const current = getAt(instrument, path);
  const read = new Set(conditionLeaves(instrument.rules[ruleIndex]?.when).map(({ leaf }) => leaf.item));
  const leaf = newCondition(instrument, read);
  const added: Condition = options.group
    ? { any: [leaf, newCondition(instrument, new Set([...read, (leaf as { item?: string }).item]))] }
    : leaf;
  const join = conditionJoin(current);
  if (join) {
    const parts = (current as Json)[join] as unknown[];
    return {
      instrument: setAt(instrument, [...path, join, parts.length], added),
      path: [...conditionPath, join, parts.length],
    };
  }
  return { instrument: setAt(instrument, path, { all: [current, added] }), path: [...conditionPath, 'all', 1] };
}

/** Removes a condition from its group; a group of "all" or "any" left with one condition becomes that condition. */
export function removeCondition(instrument: Instrument, ruleIndex: number, conditionPath: Path): Instrument {
  const index = conditionPath.at(-1);
  const groupPath = conditionPath.slice(0, -2);
  const join = conditionPath.at(-2);
  if (typeof index !== 'number' || !CONDITION_JOINS.includes(join as ConditionJoin)) return instrument;
  const path = whenPath(ruleIndex, groupPath);
  const group = getAt(instrument, path) as Json | undefined;
  const parts = isObject(group) && Array.isArray(group[join as string]) ? (group[join as string] as unknown[]) : [];
  if (parts.length <= 1) return instrument;
  const left = parts.filter((_, p) => p !== index);
  if (left.length === 1 && join !== 'count') return setAt(instrument, path, left[0]);
  const next = setAt(instrument, [...path, join as string], left);
  // A count that asked for more conditions than are left asks for all of them.
  const atLeast = (getAt(next, [...path, 'atLeast']) as number | undefined) ?? 0;
  return join === 'count' && atLeast > left.length ? setAt(next, [...path, 'atLeast'], left.length) : next;
}

/** How a group holds: all of its conditions, at least one, or a number of them (at least one to start with). */
export function setConditionJoin(
  instrument: Instrument,
  ruleIndex: number,
  groupPath: Path,
  join: ConditionJoin,
): Instrument {
  return updateAt<Instrument, Json | undefined>(instrument, whenPath(ruleIndex, groupPath), (group) => {
    const from = conditionJoin(group);
    if (!from || from === join || !group) return group;
    const parts = group[from];
    return join === 'count' ? { count: parts, atLeast: 1 } : { [join]: parts };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// What a rule does.

/** Includes an item among a rule's targets of one effect, or leaves it out (in reading order). */
export function setEffectTarget(
  instrument: Instrument,
  ruleIndex: number,
  effect: EffectKind,
  itemId: string,
  included: boolean,
): Instrument {
  const rule = instrument.rules[ruleIndex];
  if (!rule) return instrument;
  const current = rule.then?.[effect] ?? [];
  const wanted = included ? [...current.filter((id) => id !== itemId), itemId] : current.filter((id) => id !== itemId);
  return setAt(instrument, ['rules', ruleIndex, 'then', effect], inReadingOrder(instrument, wanted));
}

/** Targets in reading order: the items as the file has them, then whole sections (format 3) in theirs. */
function inReadingOrder(instrument: Instrument, targets: readonly RuleTarget[]): RuleTarget[] {
  const order = everyItem(instrument).map((item) => item.id);
  const sections = instrument.domains.map((domain) => domain.id);
  const rank = (target: RuleTarget) => {
    if (typeof target === 'string') return order.indexOf(target) === -1 ? order.length : order.indexOf(target);
    const at = sections.indexOf(target.domain);
    return order.length + 1 + (at === -1 ? sections.length : at);
  };
  return [...targets].sort((a, b) => rank(a) - rank(b));
}

/**
 * Includes a whole section among a rule's targets of one effect (format 3), or leaves it out. Its own items, named
 * one by one before, go from that effect's list: the section stands for them.
 */
export function setEffectSection(
  instrument: Instrument,
  ruleIndex: number,
  effect: EffectKind,
  domainId: string,
  included: boolean,
): Instrument {
  const rule = instrument.rules[ruleIndex];
  if (!rule) return instrument;
  const current = rule.then?.[effect] ?? [];
  const isIt = (target: RuleTarget) => typeof target !== 'string' && target.domain === domainId;
  if (!included)
    return setAt(
      instrument,
      ['rules', ruleIndex, 'then', effect],
      current.filter((t) => !isIt(t)),
    );
  const own = new Set(flattenItems(instrument.domains.find((d) => d.id === domainId)?.items ?? []).map((i) => i.id));
  const kept = current.filter((target) => !isIt(target) && !(typeof target === 'string' && own.has(target)));
  const next = setAt(
    instrument,
    ['rules', ruleIndex, 'then', effect],
    inReadingOrder(instrument, [...kept, { domain: domainId }]),
  );
  return inFormat3(next);
}

/** What a rule may not act on, for one effect: items, and whole sections (format 3). */
export interface BarredTargets {
  items: ReadonlySet<string>;
  domains: ReadonlySet<string>;
}

/**
 * What the rule at `ruleIndex` may not act on, by effect, as the validator sees it: an item its condition reads
 * (nor the section it sits in), and (format 3) for hiding or ruling out, what a score read by any rule is worked out
 * from (an item whose own items or behaviours a score reads, and the section holding it).
 */
export function barredTargets(instrument: Instrument, ruleIndex: number): Record<EffectKind, BarredTargets> {
  const rule = instrument.rules[ruleIndex];
  const triggers = new Set(rule ? conditionItems(rule.when) : []);
  const reads = instrumentReferences(instrument).flatMap((reference) =>
    reference.role === 'condition' && (reference.kind === 'score' || reference.kind === 'domain')
      ? [{ kind: reference.kind, name: String(reference.name) }]
      : [],
  );
  const byId = new Map(everyItem(instrument).map((item) => [item.id, item]));
  const used =
    reads.length > 0
      ? itemsScoresRead(instrument as unknown as Json, reads, (id) => byId.get(id) as Json | undefined)
      : new Set<string>();
  const scoreBarred = new Set(
    [...byId.values()]
      .filter((item) => flattenItems([item]).some((inner) => used.has(inner.id)))
      .map((item) => item.id),
  );
  const sectionsWith = (ids: ReadonlySet<string>) =>
    new Set(
      instrument.domains
        .filter((domain) => flattenItems(domain.items ?? []).some((item) => ids.has(item.id)))
        .map((domain) => domain.id),
    );
  const own = { items: triggers, domains: sectionsWith(triggers) };
  const both = new Set([...triggers, ...scoreBarred]);
  const hiding = { items: both, domains: sectionsWith(both) };
  return { notApplicable: hiding, show: hiding, require: own };
}

/** Includes an item among those the rule makes not applicable, or leaves it out (in reading order). */
export const setRuleTarget = (instrument: Instrument, ruleIndex: number, itemId: string, included: boolean) =>
  setEffectTarget(instrument, ruleIndex, 'notApplicable', itemId, included);

/**
 * What one of a rule's effects does instead (its targets go along, joining that effect's when it has one already).
 * Showing or requiring an item is format 2.
 */
export function setEffectKind(instrument: Instrument, ruleIndex: number, from: EffectKind, to: EffectKind): Instrument {
  const then = instrument.rules[ruleIndex]?.then;
  if (!then || from === to || !then[from]) return instrument;
  const same = (a: RuleTarget, b: RuleTarget) =>
    typeof a === 'string' || typeof b === 'string' ? a === b : a.domain === b.domain;
  const merged = [...(then[to] ?? []), ...then[from]!.filter((id) => !(then[to] ?? []).some((t) => same(t, id)))];
  const next: RuleEffect = {};
  for (const [key, targets] of Object.entries(then) as Array<[EffectKind, RuleTarget[]]>) {
    if (key === from) next[to] = merged;
    else if (key !== to) next[key] = targets;
  }
  const moved = setAt(instrument, ['rules', ruleIndex, 'then'], next);
  return to === 'notApplicable' ? moved : inFormat2(moved);
}

/** Another effect for a rule (the first it does not have yet), its targets still to choose. */
export function addEffect(instrument: Instrument, ruleIndex: number): { instrument: Instrument; effect?: EffectKind } {
  const then = instrument.rules[ruleIndex]?.then ?? {};
  const effect = RULE_EFFECTS.find((kind) => !then[kind]);
  if (!effect) return { instrument };
  const next = setAt(instrument, ['rules', ruleIndex, 'then', effect], []);
  return { instrument: effect === 'notApplicable' ? next : inFormat2(next), effect };
}

/** Removes one of a rule's effects with its targets. */
export const removeEffect = (instrument: Instrument, ruleIndex: number, effect: EffectKind): Instrument =>
  setAt(instrument, ['rules', ruleIndex, 'then', effect], undefined);

// ---------------------------------------------------------------------------------------------------------------
// The first steps, on the whole condition: kept for the rules of the first kind.

/** Which item the rule depends on; the answers chosen for the previous one mean nothing for this one. */
export function setRuleTrigger(instrument: Instrument, ruleIndex: number, itemId: string): Instrument {
  const next = setConditionItem(instrument, ruleIndex, [], itemId);
  const targets = next.rules[ruleIndex]?.then?.notApplicable;
  return targets?.includes(itemId) ? setEffectTarget(next, ruleIndex, 'notApplicable', itemId, false) : next;
}

/** Includes an answer in the rule's trigger answers, or leaves it out (kept in the order the item offers them). */
export const setRuleAnswer = (instrument: Instrument, ruleIndex: number, answer: string | number, included: boolean) =>
  setConditionAnswer(instrument, ruleIndex, [], answer, included);

/** Every condition on one item in a rule's condition, with its path under `when`. */
export function conditionLeaves(condition: unknown, path: Path = []): Array<{ leaf: Json; path: Path }> {
  const join = conditionJoin(condition);
  if (join) {
    const parts = (condition as Json)[join] as unknown[];
    return parts.flatMap((part, p) => conditionLeaves(part, [...path, join, p]));
  }
  return isObject(condition) && typeof condition.item === 'string' ? [{ leaf: condition, path }] : [];
}
