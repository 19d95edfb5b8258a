/**
 * What an instrument's rules do to an observation, given the answers so far: which items are not applicable, which
 * are hidden (named in a rule's `show` that does not hold), and which a rule makes required.
 *
 * A condition reads answers the way an observer gave them: a level value (rating), `yes`/`no`/`not-observed`, option
 * ids (choice), look-fors seen, a count, or a snapshot field's values in any recorded snapshot. An unanswered item
 * meets no condition, so a rule never fires on a blank. A condition on a score (format 3) reads the scores given
 * (`RuleScores`); without them, or while a score has nothing to be worked out from, it does not hold.
 *
 * A rule acts on items, each with everything under it, or (format 3) on whole sections.
 */
import type { Condition, Instrument, Item, Rule, RuleTarget } from '../instrument/types';
import type { SnapshotValues } from '../model/records';
import { conditionItems } from '../instrument/references';

/** The parts of a response that conditions read. */
interface ConditionAnswers {
  rating?: number | 'not-observed';
  answer?: string;
  choice?: string[];
  count?: number;
  lookFors?: readonly string[];
  snapshots?: Readonly<Record<string, SnapshotValues>>;
}

export type AnswersByItem = ReadonlyMap<string, ConditionAnswers | undefined>;

export interface RuleOutcome {
  /** Items a rule that holds makes not applicable, with everything under them (an element's behaviours). */
  notApplicable: Set<string>;
  /** Items named in some rule's `show`, none of whose rules holds, with everything under them. */
  hidden: Set<string>;
  /** Items a rule that holds makes required. */
  required: Set<string>;
}

/** The scores a condition on a score reads: named scores and section scores, as worked out so far. */
export interface RuleScores {
  scores: ReadonlyMap<string, number>;
  domains: ReadonlyMap<string, number>;
}

export function ruleOutcome(
  instrument: Pick<Instrument, 'rules'> & Partial<Pick<Instrument, 'domains'>>,
  items: ReadonlyMap<string, Item>,
  answers: AnswersByItem,
  scores?: RuleScores,
): RuleOutcome {
  const notApplicable = new Set<string>();
  const shownBy = new Map<string, boolean>();
  const required = new Set<string>();
  const idsOf = (targets: readonly RuleTarget[] | undefined) =>
    (targets ?? []).flatMap((t) => targetItems(t, instrument));
  for (const rule of instrument.rules) {
    const holds = conditionHolds(rule.when, items, answers, scores);
    for (const id of idsOf(rule.then.show)) shownBy.set(id, (shownBy.get(id) ?? false) || holds);
    if (!holds) continue;
    idsOf(rule.then.notApplicable).forEach((id) => notApplicable.add(id));
    idsOf(rule.then.require).forEach((id) => required.add(id));
  }
  const hidden = new Set([...shownBy].filter(([, shown]) => !shown).map(([id]) => id));
  return { notApplicable: withDescendants(notApplicable, items), hidden: withDescendants(hidden, items), required };
}

/**
 * The items and everything under them: a rule on an element rules out its behaviours too (their card goes with
 * the element's), so every reader of the outcome (progress, what is open, scores) leaves them out alike.
 */
function withDescendants(ids: ReadonlySet<string>, items: ReadonlyMap<string, Item>): Set<string> {
  const out = new Set<string>();
  const add = (item: Item) => {
    out.add(item.id);
    item.children?.forEach(add);
  };
  for (const id of ids) {
    const item = items.get(id);
    if (item) add(item);
    else out.add(id);
  }
  return out;
}

/** The items a target stands for: the item itself, or a section's items (those under them go with them). */
export function targetItems(target: RuleTarget, instrument: Partial<Pick<Instrument, 'domains'>>): string[] {
  if (typeof target === 'string') return [target];
  return (instrument.domains ?? []).find((d) => d.id === target.domain)?.items.map((item) => item.id) ?? [];
}

/** Whether any rule reads a score: then the outcome depends on scores, and scores on the outcome (two passes). */
export const rulesReadScores = (instrument: Pick<Instrument, 'rules'>): boolean =>
  instrument.rules.some((rule) => readsScore(rule.when));

function readsScore(condition: Condition): boolean {
  if ('all' in condition) return condition.all.some(readsScore);
  if ('any' in condition) return condition.any.some(readsScore);
  if ('count' in condition) return condition.count.some(readsScore);
  return 'score' in condition || 'domain' in condition;
}

function conditionHolds(
  condition: Condition,
  items: ReadonlyMap<string, Item>,
  answers: AnswersByItem,
  scores: RuleScores | undefined,
): boolean {
  if ('all' in condition) return condition.all.every((c) => conditionHolds(c, items, answers, scores));
  if ('any' in condition) return condition.any.some((c) => conditionHolds(c, items, answers, scores));
  if ('count' in condition) {
    const holding = condition.count.filter((c) => conditionHolds(c, items, answers, scores)).length;
    return within(holding, condition.atLeast, condition.atMost);
  }
  if ('score' in condition || 'domain' in condition) {
    const value = 'score' in condition ? scores?.scores.get(condition.score) : scores?.domains.get(condition.domain);
    return value !== undefined && within(value, condition.atLeast, condition.atMost);
  }
  const item = items.get(condition.item);
  if (!item) return false;
  const values = answerValues(item, answers.get(item.id), condition.field);
  if ('in' in condition) return values.some((value) => condition.in.includes(value));
  return values.some((value) => typeof value === 'number' && within(value, condition.atLeast, condition.atMost));
}

const within = (value: number, atLeast: number | undefined, atMost: number | undefined): boolean =>
  (atLeast === undefined || value >= atLeast) && (atMost === undefined || value <= atMost);

/**
 * The values an item's answer offers a condition. For a range condition on a look-for list, the number seen; on
 * a choice, nothing numeric. A snapshot field gives its value in each recorded snapshot (choices spread out).
 */
function answerValues(item: Item, answers: ConditionAnswers | undefined, field?: string): Array<string | number> {
  if (!answers) return [];
  if (field !== undefined) {
    return Object.values(answers.snapshots ?? {}).flatMap((values) => {
      const value = values[field];
      if (value === undefined || value === '') return [];
      return Array.isArray(value) ? value : [value];
    });
  }
  switch (item.response.type) {
    case 'rating':
      return answers.rating !== undefined ? [answers.rating] : [];
    case 'yes-no':
      return answers.answer !== undefined ? [answers.answer] : [];
    case 'choice':
      return answers.choice ?? [];
    case 'counter':
      return answers.count !== undefined ? [answers.count] : [];
    case 'checklist':
    default: {
      // Look-fors: the ids seen, and how many were seen (for a range), once the observer has ticked any.
      const seen = answers.lookFors ?? [];
      return (item.lookFors?.length ?? 0) > 0 && seen.length > 0 ? [...seen, seen.length] : [];
    }
  }
}

/** Every item a rule reads (the core's reference model walks the condition). */
export const ruleTriggers = (rule: Rule): string[] => conditionItems(rule.when);
