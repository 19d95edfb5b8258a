/**
 * Rules as the editor makes them: "when item X has one of these answers, these items do not apply". Which rules
 * are of that kind, a new one, and its trigger item, answers and targets.
 */
import type { AnswerCondition, Instrument, Item, Rule, RuleTarget } from '../types';
import { isObject, setAt, updateAt, type Json } from './paths';
import { freshId } from './ids';
import { everyItem } from './references';
import { insertEntry } from './lists';

/**
 * Whether the editor edits this rule: "when item X has one of these answers, these items do not apply". Rules that
 * combine conditions, test a number or a snapshot field, or show or require items are kept as they are.
 */
export function isSimpleRule(rule: Rule | undefined): rule is Rule & { when: AnswerCondition } {
  const when = rule?.when as Json | undefined;
  if (!isObject(when) || !isObject(rule?.then)) return false;
  const whenKeys = Object.keys(when);
  const thenKeys = Object.keys(rule.then);
  return (
    typeof when.item === 'string' &&
    Array.isArray(when.in) &&
    whenKeys.every((key) => key === 'item' || key === 'in') &&
    thenKeys.every((key) => key === 'notApplicable')
  );
}

/** A rule to fill in: when the first item a rule can depend on gets an answer still to choose (the editor's kind, see `isSimpleRule`). */
export function addRule(instrument: Instrument): { instrument: Instrument; index: number } {
  const trigger = ruleTriggers(instrument)[0];
  const rule: Rule = {
    id: freshId(instrument, ['rules'], 'rule'),
    when: { item: trigger?.id ?? '', in: [] },
    then: { notApplicable: [] },
  };
  return insertEntry(instrument, ['rules'], rule);
}

/** Items a rule can depend on: rated, yes/no or choice items (the answers a rule can test for). */
export function ruleTriggers(instrument: Instrument): Item[] {
  return everyItem(instrument).filter((item) => ['rating', 'yes-no', 'choice'].includes(item.response?.type));
}

/** The answers a rule on this item can test for, as the rule stores them. */
export function possibleAnswers(instrument: Instrument, item: Item): Array<string | number> {
  const response = item.response;
  switch (response?.type) {
    case 'rating': {
      const scale = instrument.scales.find((s) => s.id === response.scale);
      return scale ? [...scale.levels.map((level) => level.value), ...(scale.notObserved ? ['not-observed'] : [])] : [];
    }
    case 'yes-no':
      return ['yes', 'no', ...(response.allowNotObserved ? ['not-observed'] : [])];
    case 'choice':
      return response.options.map((option) => option.id);
    default:
      return [];
  }
}

/** Which item the rule depends on; the answers chosen for the previous one mean nothing for this one. */
export function setRuleTrigger(instrument: Instrument, ruleIndex: number, itemId: string): Instrument {
  return updateAt<Instrument, Rule>(instrument, ['rules', ruleIndex], (rule) => ({
    ...rule,
    when: { ...(rule.when as AnswerCondition), item: itemId, in: [] },
    then: { ...rule.then, notApplicable: (rule.then?.notApplicable ?? []).filter((target) => target !== itemId) },
  }));
}

/** Includes an answer in the rule's trigger answers, or leaves it out (kept in the order the item offers them). */
export function setRuleAnswer(
  instrument: Instrument,
  ruleIndex: number,
  answer: string | number,
  included: boolean,
): Instrument {
  const rule = instrument.rules[ruleIndex];
  if (!isSimpleRule(rule)) return instrument;
  const trigger = everyItem(instrument).find((item) => item.id === rule.when.item);
  const current = rule.when.in ?? [];
  const wanted = included ? [...current.filter((a) => a !== answer), answer] : current.filter((a) => a !== answer);
  const order = trigger ? possibleAnswers(instrument, trigger) : [];
  const rank = (a: string | number) => (order.indexOf(a) === -1 ? order.length : order.indexOf(a));
  return setAt(
    instrument,
    ['rules', ruleIndex, 'when', 'in'],
    [...wanted].sort((a, b) => rank(a) - rank(b)),
  );
}

/** Includes an item among those the rule makes not applicable, or leaves it out (in reading order). */
export function setRuleTarget(
  instrument: Instrument,
  ruleIndex: number,
  itemId: string,
  included: boolean,
): Instrument {
  const rule = instrument.rules[ruleIndex];
  if (!rule) return instrument;
  const current = rule.then?.notApplicable ?? [];
  const wanted = included ? [...current.filter((id) => id !== itemId), itemId] : current.filter((id) => id !== itemId);
  const order = everyItem(instrument).map((item) => item.id);
  // A whole section (format 3) comes after the items, in the order it was written.
  const rank = (id: RuleTarget) =>
    typeof id !== 'string' || order.indexOf(id) === -1 ? order.length : order.indexOf(id);
  return setAt(
    instrument,
    ['rules', ruleIndex, 'then', 'notApplicable'],
    [...wanted].sort((a, b) => rank(a) - rank(b)),
  );
}
