/**
 * Checks on rules: every condition reads an item (or snapshot field) that exists with answers it can have, ranges
 * are the right way round, targets exist and are not the rule's own triggers, a rule inside a repeated section stays
 * inside it, and no rule duplicates another or repeats what another rule with the same condition already does.
 */
import { arrayOf, idsOf, isObject, num, objects, str, type Json, type Segments, valueText } from './json-guards';
import { itemsOfSection, scaleValues, type ItemRef, type Report } from './check-support';
import { conditionItems, instrumentReferences } from './references';
import { domainScores } from './score-check';
import { formatPath } from './json-path';

export interface SeenRule {
  /** The condition written canonically (keys sorted, `in` sorted), to recognise the same condition twice. */
  condition: string;
  effects: Map<string, Set<string>>;
  path: Segments;
}

interface RuleContext {
  items: Map<string, ItemRef>;
  domains: Map<string, Json>;
  scales: Map<string, Json>;
  report: Report;
  seen: SeenRule[];
}

const EFFECTS = ['notApplicable', 'show', 'require'] as const;

/** What a rule that acts on its own trigger does wrong, by what it does. */
const SELF_REFERENCE = {
  notApplicable: 'ruleSelfReference',
  show: 'ruleShowsOwnTrigger',
  require: 'ruleRequiresOwnTrigger',
} as const;

/** A calculated score nobody answers (one from look-fors is answered through them). */
const isScoreItem = (item: Json): boolean =>
  isObject(item.response) && item.response.type === 'score' && item.response.from !== 'lookFors';

export function checkRule(rule: Json, path: Segments, context: RuleContext) {
  const { report, items } = context;
  const triggers = new Set<string>();
  if (isObject(rule.when)) checkCondition(rule.when, [...path, 'when'], context, triggers);

  const then = isObject(rule.then) ? rule.then : undefined;
  const effects = new Map<string, Set<string>>();
  const sections = new Set([...triggers].map((id) => items.get(id)?.repeatedIn));
  if (sections.size > 1 && [...sections].some((s) => s !== undefined)) report([...path, 'when'], 'ruleAcrossSections');
  const repeated = sections.size === 1 ? [...sections][0] : undefined;
  const targeted = new Map<string, string>();
  for (const effect of EFFECTS) {
    const targets = new Set<string>();
    arrayOf(then?.[effect]).forEach((target, t) => {
      const here = [...path, 'then', effect, t];
      // An item, or (format 3) every item of a section: each is checked, and the target gets one line at most.
      const section = isObject(target) && typeof target.domain === 'string' ? target.domain : undefined;
      const ids = typeof target === 'string' ? [target] : section !== undefined ? itemsOfSection(items, section) : [];
      let said = false;
      const say: Report = (at, code, params) => {
        if (!said) report(at, code, params);
        said = true;
      };
      for (const id of ids) {
        const ref = items.get(id);
        // An unknown target is said where every name is checked (reference-check.ts).
        if (!ref) continue;
        if (triggers.has(id)) say(here, SELF_REFERENCE[effect], { id });
        else if (effect === 'require' && section === undefined && isScoreItem(ref.item))
          say(here, 'ruleRequiresScore', { id });
        else if (repeated !== undefined && ref.repeatedIn !== repeated) say(here, 'ruleAcrossSections');
        // Showing and requiring go together ("when X, ask Y and require it"); not applicable contradicts both.
        const earlier = targeted.get(id);
        if (earlier !== undefined && earlier !== effect && (earlier === 'notApplicable' || effect === 'notApplicable'))
          say(here, 'ruleConflictingEffects', { id, first: earlier, second: effect });
        targeted.set(id, effect);
        targets.add(id);
      }
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

/**
 * Items that can never appear: an item named in a rule's `show` is hidden until one of those rules holds, and a
 * condition never holds on an item nobody can answer (a hidden one, or one under a hidden element). Starting from
 * what is always visible, whatever a rule that can hold shows becomes visible, until nothing changes; what is left
 * waits for itself, through one rule or a ring of them.
 */
export function checkNeverShown(data: Json, items: Map<string, ItemRef>, report: Report) {
  const showing = new Map<string, Array<{ when: unknown; path: Segments }>>();
  const rules = arrayOf(data.rules);
  for (const { role, kind, name, path } of instrumentReferences(data)) {
    if (role !== 'show' || typeof name !== 'string') continue;
    // An item, or (format 3) a whole section: each of its items is shown by the rule.
    const shown =
      kind === 'item' ? (items.has(name) ? [name] : []) : kind === 'domain' ? itemsOfSection(items, name, true) : [];
    const rule = rules[path[1] as number];
    const when = isObject(rule) ? rule.when : undefined;
    const at = kind === 'domain' ? path.slice(0, -1) : path;
    for (const id of shown) showing.set(id, [...(showing.get(id) ?? []), { when, path: at }]);
  }
  if (showing.size === 0) return;
  const byPath = new Map([...items].map(([id, ref]) => [JSON.stringify(ref.path), id]));
  const parentOf = (ref: ItemRef) =>
    ref.path.at(-2) === 'children' ? byPath.get(JSON.stringify(ref.path.slice(0, -2))) : undefined;
  const visible = new Set<string>();
  const canHold = (condition: unknown): boolean => {
    if (!isObject(condition)) return true;
    if (Array.isArray(condition.all)) return objects(condition.all).every(([c]) => canHold(c));
    if (Array.isArray(condition.any)) return objects(condition.any).some(([c]) => canHold(c));
    if (Array.isArray(condition.count))
      return objects(condition.count).filter(([c]) => canHold(c)).length >= (num(condition.atLeast) ?? 0);
    // A condition that names no item that exists is reported where it is checked: no second line here.
    if (typeof condition.item !== 'string' || !items.has(condition.item)) return true;
    return visible.has(condition.item);
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const [id, ref] of items) {
      if (visible.has(id)) continue;
      const parent = parentOf(ref);
      if (parent !== undefined && !visible.has(parent)) continue;
      const rulesShowing = showing.get(id);
      if (rulesShowing && !rulesShowing.some(({ when }) => canHold(when))) continue;
      visible.add(id);
      changed = true;
    }
  }
  // Items that wait for each other are one mistake: one line names them together.
  const hidden = [...showing.keys()].filter((id) => !visible.has(id));
  const waitsFor = new Map(
    hidden.map((id) => [
      id,
      new Set(showing.get(id)!.flatMap(({ when }) => conditionItems(when).filter((item) => !visible.has(item)))),
    ]),
  );
  const reported = new Set<string>();
  for (const id of hidden) {
    if (reported.has(id)) continue;
    const ring = new Set([id]);
    for (const member of ring)
      for (const other of hidden) {
        if (waitsFor.get(member)!.has(other) || waitsFor.get(other)!.has(member)) ring.add(other);
      }
    ring.forEach((member) => reported.add(member));
    const waits = waitsFor.get(id)!;
    // A rule that shows its own trigger is told so where it is checked (`ruleShowsOwnTrigger`).
    if (ring.size === 1 && waits.size === 1 && waits.has(id)) continue;
    const path = showing.get(id)![0]!.path;
    if (ring.size === 1) report(path, 'neverShown', { id, waits: [...waits].join(', ') });
    else report(path, 'neverShownTogether', { ids: [...ring].map((member) => `"${member}"`).join(', ') });
  }
}

/**
 * Rules that read a score (format 3) may not change what any score such a rule reads is worked out from: the score
 * would change with the rule, and the rule with the score (and through a chain of such rules, one pass after
 * another). What a score is worked out from: a section's scored items (and what their own scores read), a named
 * score's parts, followed through. Showing or ruling out something nobody scores, or requiring anything, is fine.
 */
export function checkScoreRules(data: Json, items: Map<string, ItemRef>, report: Report) {
  const read = instrumentReferences(data).filter(
    (ref) => ref.role === 'condition' && (ref.kind === 'score' || ref.kind === 'domain'),
  );
  if (read.length === 0) return;
  const used = itemsScoresRead(
    data,
    read.map((ref) => ({ kind: ref.kind as 'score' | 'domain', name: String(ref.name) })),
    (id) => items.get(id)?.item,
  );
  const domains = new Map(
    objects(data.domains).flatMap(([d]) => (typeof d.id === 'string' ? [[d.id, d] as const] : [])),
  );
  const under = (item: Json): string[] => [
    ...(typeof item.id === 'string' ? [item.id] : []),
    ...objects(item.children).flatMap(([child]) => under(child)),
  ];
  for (const r of new Set(read.map((ref) => ref.path[1] as number))) {
    const rule = arrayOf(data.rules)[r];
    const then = isObject(rule) && isObject(rule.then) ? rule.then : {};
    const targets = (['notApplicable', 'show'] as const).flatMap((effect) =>
      arrayOf(then[effect]).flatMap((target) => {
        if (typeof target === 'string') return items.get(target) ? under(items.get(target)!.item) : [];
        if (isObject(target) && typeof target.domain === 'string')
          return objects(domains.get(target.domain)?.items).flatMap(([item]) => under(item));
        return [];
      }),
    );
    const clash = targets.find((id) => used.has(id));
    if (clash !== undefined) report(['rules', r, 'then'], 'ruleActsOnItsScore', { id: clash });
  }
}

/**
 * The items the scores a rule reads (`reads`: named scores and sections' scores) are worked out from: a section's
 * scored items (and what their own scores read), a named score's parts, followed through. A rule that reads those
 * scores may not hide these items or rule them out (`ruleActsOnItsScore`).
 */
export function itemsScoresRead(
  data: Json,
  reads: ReadonlyArray<{ kind: 'score' | 'domain'; name: string }>,
  itemById: (id: string) => Json | undefined,
): Set<string> {
  const domains = new Map(
    objects(data.domains).flatMap(([d]) => (typeof d.id === 'string' ? [[d.id, d] as const] : [])),
  );
  const scores = new Map(objects(data.scores).flatMap(([s]) => (typeof s.id === 'string' ? [[s.id, s] as const] : [])));
  const topItems = (id: string) => idsOf(domains.get(id)?.items);
  const used = new Set<string>();
  const seen = new Set<string>();
  /** An item a score reads, when it is scored: with what its own score reads. */
  const addItem = (itemId: string) => {
    const item = itemById(itemId);
    if (!item || used.has(itemId) || !isObject(item.response)) return;
    const type = item.response.type;
    if (!['rating', 'yes-no', 'counter', 'score', 'snapshot'].includes(valueText(type))) return;
    used.add(itemId);
    if (type !== 'score') return;
    const from = item.response.from;
    if (from === 'children')
      objects(item.children).forEach(([child]) => typeof child.id === 'string' && addItem(child.id));
    if (isObject(from)) {
      arrayOf(from.items).forEach((other) => typeof other === 'string' && addItem(other));
      if (typeof from.snapshot === 'string') addItem(from.snapshot);
    }
  };
  const uses = (kind: 'score' | 'domain', id: string) => {
    if (seen.has(`${kind}:${id}`)) return;
    seen.add(`${kind}:${id}`);
    if (kind === 'domain') return topItems(id).forEach(addItem);
    for (const [source] of objects(scores.get(id)?.from)) {
      if (typeof source.item === 'string') addItem(source.item);
      if (typeof source.domain === 'string') uses('domain', source.domain);
      if (typeof source.itemsOf === 'string') topItems(source.itemsOf).forEach(addItem);
      if (typeof source.score === 'string') uses('score', source.score);
    }
  };
  reads.forEach(({ kind, name }) => uses(kind, name));
  return used;
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
      if (first !== undefined)
        report([...path, key, p], 'conditionRepeated', { first: formatPath([...path, key, first]) });
      else seen.set(written, p);
    }
    if (key === 'count') checkBounds(condition, path, report, { lowest: 0, highest: parts.length });
    if (key === 'all') checkTogether(parts, [...path, key], context);
    return;
  }
  if (condition.score !== undefined || condition.domain !== undefined) {
    // A score as worked out so far (format 3): its name is checked with every name (reference-check.ts).
    const domain = typeof condition.domain === 'string' ? context.domains.get(condition.domain) : undefined;
    if (domain && !domainScores(domain))
      report([...path, 'domain'], 'ruleReadsScorelessDomain', { id: valueText(condition.domain) });
    else checkBounds(condition, path, report, {});
    return;
  }
  const id = str(condition.item);
  if (id === undefined) return;
  triggers.add(id);
  const ref = context.items.get(id);
  if (!ref) return; // said where every name is checked (reference-check.ts)
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
    if (!fieldDef) return; // said where every name is checked (reference-check.ts)
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
    checkBounds(condition, path, report, answers);
  }
}

/**
 * Conditions that must all hold and read the same one answer (a rating, yes/no, a single choice, a counter) must
 * leave it some value: "at least 3" and "at most 2" of one rating never hold together, so the rule never fires.
 */
function checkTogether(parts: Array<[Json, number]>, path: Segments, context: RuleContext) {
  const byItem = new Map<string, Json[]>();
  for (const [part] of parts) {
    const id = str(part.item);
    if (id === undefined || part.field !== undefined) continue;
    byItem.set(id, [...(byItem.get(id) ?? []), part]);
  }
  for (const [id, leaves] of byItem) {
    const ref = context.items.get(id);
    if (leaves.length < 2 || !ref) continue;
    const answers = possibleAnswers(ref.item, context.scales);
    if (!answers.single) continue;
    const fits = (value: string | number) =>
      leaves.every((leaf) =>
        Array.isArray(leaf.in)
          ? leaf.in.includes(value)
          : typeof value === 'number' &&
            value >= (num(leaf.atLeast) ?? -Infinity) &&
            value <= (num(leaf.atMost) ?? Infinity),
      );
    let possible: boolean;
    if (answers.values) possible = answers.values.some(fits);
    else {
      // A counter: any whole number from its lowest to its highest.
      const from = Math.max(answers.lowest ?? 0, ...leaves.map((leaf) => num(leaf.atLeast) ?? -Infinity));
      const to = Math.min(answers.highest ?? Infinity, ...leaves.map((leaf) => num(leaf.atMost) ?? Infinity));
      possible = !leaves.some((leaf) => Array.isArray(leaf.in)) && Math.ceil(from) <= to;
    }
    if (!possible) context.report(path, 'conditionsContradict', { id });
  }
}

function checkBounds(
  condition: Json,
  path: Segments,
  report: Report,
  { lowest, highest }: { lowest?: number; highest?: number },
) {
  const atLeast = num(condition.atLeast);
  const atMost = num(condition.atMost);
  if (atLeast === undefined && atMost === undefined) {
    report(path, 'conditionWithoutBounds');
    return;
  }
  if (atLeast !== undefined && atMost !== undefined && atLeast > atMost)
    report([...path, 'atLeast'], 'rangeInverted', { min: atLeast, max: atMost });
  else if (atLeast !== undefined && highest !== undefined && atLeast > highest)
    report([...path, 'atLeast'], 'conditionNeverTrue', { value: atLeast, limit: highest });
  else if (atMost !== undefined && lowest !== undefined && atMost < lowest)
    report([...path, 'atMost'], 'conditionNeverTrueBelow', { value: atMost, limit: lowest });
}

/**
 * The answers a condition may test for: values for `in` (undefined when the type has none) and whether a range
 * applies (with the highest possible value, when known).
 */
function possibleAnswers(
  owner: Json,
  scales: Map<string, Json>,
): { values?: Array<string | number>; numeric: boolean; lowest?: number; highest?: number; single?: boolean } {
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
        lowest: Math.min(...values),
        highest: Math.max(...values),
        single: true,
      };
    }
    case 'yes-no':
      return {
        values: ['yes', 'no', ...(response.allowNotObserved ? ['not-observed'] : [])],
        numeric: false,
        single: true,
      };
    case 'choice':
      return {
        values: objects(response.options).flatMap(([o]) => (typeof o.id === 'string' ? [o.id] : [])),
        numeric: false,
        single: response.multiple !== true,
      };
    case 'counter':
      return { numeric: true, lowest: num(response.min) ?? 0, highest: num(response.max), single: true };
    default:
      // Look-fors seen (by id), and how many were seen (a range from one, as a list nobody ticked is not read, up
      // to their number).
      return lookFors.length > 0
        ? { values: lookFors, numeric: true, lowest: 1, highest: lookFors.length }
        : { numeric: false };
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
