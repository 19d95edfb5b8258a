/**
 * Checks on rules: every condition reads an item (or snapshot field) that exists with answers it can have, ranges
 * are the right way round, targets exist and are not the rule's own triggers, a rule inside a repeated section stays
 * inside it, and no rule duplicates another or repeats what another rule with the same condition already does.
 */
import { arrayOf, isObject, num, objects, str, type Json, type Segments, valueText } from './json-guards';
import { scaleValues, type ItemRef, type Report } from './check-support';

export interface SeenRule {
  /** The condition written canonically (keys sorted, `in` sorted), to recognise the same condition twice. */
  condition: string;
  effects: Map<string, Set<string>>;
  path: Segments;
}

interface RuleContext {
  items: Map<string, ItemRef>;
  scales: Map<string, Json>;
  report: Report;
  seen: SeenRule[];
}

const EFFECTS = ['notApplicable', 'show', 'require'] as const;

export function checkRule(rule: Json, path: Segments, context: RuleContext) {
  const { report, items } = context;
  const triggers = new Set<string>();
  if (isObject(rule.when)) checkCondition(rule.when, [...path, 'when'], context, triggers);

  const then = isObject(rule.then) ? rule.then : undefined;
  const effects = new Map<string, Set<string>>();
  const sections = new Set([...triggers].map((id) => items.get(id)?.repeatedIn));
  if (sections.size > 1 && [...sections].some((s) => s !== undefined)) report([...path, 'when'], 'ruleAcrossSections');
  const section = sections.size === 1 ? [...sections][0] : undefined;
  const targeted = new Map<string, string>();
  for (const effect of EFFECTS) {
    const targets = new Set<string>();
    arrayOf(then?.[effect]).forEach((target, t) => {
      if (typeof target !== 'string') return;
      const here = [...path, 'then', effect, t];
      const ref = items.get(target);
      if (!ref) report(here, 'ruleUnknownItem', { id: target });
      else if (triggers.has(target)) report(here, 'ruleSelfReference', { id: target });
      else if (section !== undefined && ref.repeatedIn !== section) report(here, 'ruleAcrossSections');
      // Showing and requiring go together ("when X, ask Y and require it"); not applicable contradicts both.
      const earlier = targeted.get(target);
      if (earlier !== undefined && earlier !== effect && (earlier === 'notApplicable' || effect === 'notApplicable')) {
        report(here, 'ruleConflictingEffects', { id: target, first: earlier, second: effect });
      }
      targeted.set(target, effect);
      targets.add(target);
    });
    if (targets.size > 0) effects.set(effect, targets);
  }

  if (!isObject(rule.when)) return;
  const condition = canonical(rule.when);
  for (const earlier of context.seen) {
    if (earlier.condition !== condition) continue;
    // Same condition: a target already handled the same way by the earlier rule makes this one (partly) redundant.
    const repeated = [...effects].flatMap(([effect, targets]) =>
      [...targets].filter((t) => earlier.effects.get(effect)?.has(t)),
    );
    const all = [...effects.values()].reduce((n, t) => n + t.size, 0);
    if (repeated.length === 0) continue;
    const code = repeated.length === all && sameEffects(earlier.effects, effects) ? 'duplicateRule' : 'redundantRule';
    report(path, code, { first: formatRulePath(earlier.path), items: repeated.join(', ') });
    break;
  }
  context.seen.push({ condition, effects, path });
}

function sameEffects(a: Map<string, Set<string>>, b: Map<string, Set<string>>): boolean {
  if (a.size !== b.size) return false;
  return [...a].every(
    ([effect, targets]) => b.get(effect)?.size === targets.size && [...targets].every((t) => b.get(effect)!.has(t)),
  );
}

const formatRulePath = (path: Segments): string => `$.rules[${valueText(path[1])}]`;

function checkCondition(condition: Json, path: Segments, context: RuleContext, triggers: Set<string>) {
  const { report } = context;
  for (const key of ['all', 'any', 'count'] as const) {
    if (!Array.isArray(condition[key])) continue;
    const parts = objects(condition[key]);
    const seen = new Map<string, number>();
    for (const [part, p] of parts) {
      checkCondition(part, [...path, key, p], context, triggers);
      const written = canonical(part);
      const first = seen.get(written);
      if (first !== undefined) report([...path, key, p], 'conditionRepeated', { first: `${key}[${first}]` });
      else seen.set(written, p);
    }
    if (key === 'count') checkBounds(condition, path, report, parts.length);
    return;
  }
  const id = str(condition.item);
  if (id === undefined) return;
  triggers.add(id);
  const ref = context.items.get(id);
  if (!ref) {
    report([...path, 'item'], 'ruleUnknownItem', { id });
    return;
  }
  const type = isObject(ref.item.response) ? valueText(ref.item.response.type) : '';
  const field = str(condition.field);
  let answers: ReturnType<typeof possibleAnswers>;
  if (field !== undefined) {
    const fieldDef =
      type === 'snapshot' ? objects((ref.item.response as Json).fields).find(([f]) => f.id === field)?.[0] : undefined;
    if (type !== 'snapshot') {
      report([...path, 'field'], 'conditionFieldNotSnapshot', { id });
      return;
    }
    if (!fieldDef) {
      const known = objects((ref.item.response as Json).fields)
        .map(([f]) => valueText(f.id))
        .join(', ');
      report([...path, 'field'], 'conditionUnknownField', { id, field, known });
      return;
    }
    answers = possibleAnswers(fieldDef, context.scales);
  } else {
    answers = possibleAnswers(ref.item, context.scales);
  }
  if (Array.isArray(condition.in)) {
    if (answers.values === undefined) {
      report([...path, 'item'], 'ruleUnsupportedItem', { id, type: field ?? type });
      return;
    }
    const given = new Set<unknown>();
    arrayOf(condition.in).forEach((answer, a) => {
      if (given.has(answer)) report([...path, 'in', a], 'repeatedValue', { value: valueText(answer) });
      given.add(answer);
      if (!answers.values!.some((x) => x === answer)) {
        report([...path, 'in', a], 'ruleUnknownAnswer', {
          id,
          value: valueText(answer),
          allowed: answers.values!.join(', '),
        });
      }
    });
    if (answers.values.length > 0 && answers.values.every((x) => given.has(x)))
      report([...path, 'in'], 'conditionAlwaysTrue', { id });
  } else {
    if (!answers.numeric) {
      report([...path, 'item'], 'conditionNotNumeric', { id, type: field ?? type });
      return;
    }
    checkBounds(condition, path, report, answers.highest);
  }
}

function checkBounds(condition: Json, path: Segments, report: Report, highest: number | undefined) {
  const atLeast = num(condition.atLeast);
  const atMost = num(condition.atMost);
  if (atLeast === undefined && atMost === undefined) {
    report(path, 'conditionWithoutBounds');
    return;
  }
  if (atLeast !== undefined && atMost !== undefined && atLeast > atMost)
    report([...path, 'atLeast'], 'rangeInverted', { min: atLeast, max: atMost });
  if (atLeast !== undefined && highest !== undefined && atLeast > highest)
    report([...path, 'atLeast'], 'conditionNeverTrue', { value: atLeast, limit: highest });
}

/**
 * The answers a condition may test for: values for `in` (undefined when the type has none) and whether a range
 * applies (with the highest possible value, when known).
 */
function possibleAnswers(
  owner: Json,
  scales: Map<string, Json>,
): { values?: Array<string | number>; numeric: boolean; highest?: number } {
  const response = isObject(owner.response) ? owner.response : undefined;
  const lookFors = objects(owner.lookFors).flatMap(([l]) => (typeof l.id === 'string' ? [l.id] : []));
  switch (response?.type) {
    case 'rating': {
      const scale = scales.get(valueText(response.scale));
      if (!scale) return { numeric: false };
      const values = scaleValues(scale);
      return {
        values: [...values, ...(scale.notObserved ? ['not-observed'] : [])],
        numeric: true,
        highest: Math.max(...values),
      };
    }
    case 'yes-no':
      return { values: ['yes', 'no', ...(response.allowNotObserved ? ['not-observed'] : [])], numeric: false };
    case 'choice':
      return {
        values: objects(response.options).flatMap(([o]) => (typeof o.id === 'string' ? [o.id] : [])),
        numeric: false,
      };
    case 'counter':
      return { numeric: true, highest: num(response.max) };
    default:
      // Look-fors seen (by id), and how many were seen (a range up to their number).
      return lookFors.length > 0 ? { values: lookFors, numeric: true, highest: lookFors.length } : { numeric: false };
  }
}

/** A condition written with sorted keys and sorted `in` answers, so the same condition written twice compares equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (!isObject(value)) return JSON.stringify(value) ?? 'undefined';
  const entries = Object.keys(value)
    .sort()
    .map((key) => {
      const inner = value[key];
      const written =
        key === 'in' && Array.isArray(inner)
          ? `[${inner.map(canonical).sort().join(',')}]`
          : key === 'all' || key === 'any'
            ? `[${arrayOf(inner).map(canonical).sort().join(',')}]`
            : canonical(inner);
      return `${JSON.stringify(key)}:${written}`;
    });
  return `{${entries.join(',')}}`;
}
