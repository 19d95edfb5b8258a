/**
 * Lists: an entry added, moved or removed at a path. Removing an item, a domain, a look-for or a choice option takes
 * what depended on it along (the rules, scores and rule answers that named it); so does (format 2) removing a
 * scoring map, a named score, a snapshot field, an option group or a scale's band.
 */
import type { Domain, Instrument, Item } from '../types';
import { flattenItems } from '../localize';
import { getAt, isObject, setAt, type Path } from './paths';
import { choiceOwner, entryKind } from './ids';
import { mapRuleAnswers, removeDescriptorKeys, removeReferences, rulesTestLookFors } from './references';

/** Moves the entry at `index` of the list at `listPath` by `delta` places; returns where it is now. */
export function moveEntry(
  instrument: Instrument,
  listPath: Path,
  index: number,
  delta: number,
): { instrument: Instrument; index: number } {
  const list = getAt(instrument, listPath);
  if (!Array.isArray(list)) return { instrument, index };
  const to = index + delta;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length || delta === 0) return { instrument, index };
  const copy = [...list];
  const [moved] = copy.splice(index, 1);
  copy.splice(to, 0, moved);
  return { instrument: setAt(instrument, listPath, copy), index: to };
}

export function insertEntry(
  instrument: Instrument,
  listPath: Path,
  entry: unknown,
  at?: number,
): { instrument: Instrument; index: number } {
  const list = getAt(instrument, listPath);
  const copy = Array.isArray(list) ? [...list] : [];
  const index = at === undefined ? copy.length : Math.max(0, Math.min(at, copy.length));
  copy.splice(index, 0, entry);
  return { instrument: setAt(instrument, listPath, copy), index };
}

/**
 * Removes the entry at `index` of the list at `listPath`. A list of look-fors, behaviours, counter bands or item
 * descriptors that becomes empty is removed itself (an item without look-fors has none, not an empty list).
 */
export function removeEntry(instrument: Instrument, listPath: Path, index: number): Instrument {
  const list = getAt(instrument, listPath);
  if (!Array.isArray(list) || index < 0 || index >= list.length) return instrument;
  const copy = list.filter((_, i) => i !== index);
  const removed = list[index] as unknown;
  const kind = entryKind([...listPath, index]);
  const id = isObject(removed) && typeof removed.id === 'string' ? removed.id : undefined;
  let next = instrument;
  if (kind === 'lookFor' && id !== undefined) {
    // A score weighs a look-for by id (known as one while it is still there); a rule on a look-for list tests
    // whether it was seen.
    const item = getAt(next, listPath.slice(0, -1)) as Item | undefined;
    if (typeof item?.id === 'string') {
      next = removeReferences(next, 'lookFor', new Set([id]), { item: item.id });
      if (rulesTestLookFors(item))
        next = mapRuleAnswers(next, item.id, (answer) => (answer === id ? undefined : answer));
    }
  }
  // An item without look-fors (or behaviours) has none, not an empty list.
  const dropsEmpty = listPath.at(-1) === 'lookFors' || listPath.at(-1) === 'children';
  next = setAt(next, listPath, copy.length === 0 && dropsEmpty ? undefined : copy);
  if (kind === 'item' || kind === 'domain') {
    const gone = kind === 'item' ? flattenItems([removed as Item]) : flattenItems((removed as Domain).items ?? []);
    next = removeReferences(next, 'item', new Set(gone.map((item) => item.id)));
  }
  const goneDomain = kind === 'domain' ? (removed as Domain | undefined)?.id : undefined;
  if (goneDomain !== undefined) next = removeReferences(next, 'domain', new Set([goneDomain]));
  if (id === undefined) return next;
  // A question about the lesson whose number a score reads (format 3).
  if (kind === 'context') next = removeReferences(next, 'context', new Set([id]));
  const owner =
    (kind === 'option' || kind === 'optionGroup' || kind === 'answerBand') && listPath.at(-2) === 'response';
  const choice = owner ? choiceOwner(next, [...listPath, index]) : undefined;
  if ((kind === 'option' || kind === 'answerBand') && choice)
    next = mapRuleAnswers(next, choice.item, (answer) => (answer === id ? undefined : answer), choice.field);
  // A counter or a score without bands has none, not an empty list (which the format refuses).
  if ((kind === 'answerBand' || kind === 'scoreBand') && copy.length === 0) next = setAt(next, listPath, undefined);
  if (kind === 'optionGroup' && choice) {
    // Its options lose their heading; the last group gone, the choice has no headings at all.
    next = removeReferences(next, 'optionGroup', new Set([id]), choice);
    if (copy.length === 0) next = setAt(next, listPath, undefined);
  }
  if (kind === 'scoringMap') next = removeReferences(next, 'map', new Set([id]));
  if (kind === 'score') next = removeReferences(next, 'score', new Set([id]));
  if (kind === 'field') {
    const item = getAt(next, listPath.slice(0, -2)) as Item | undefined;
    if (typeof item?.id === 'string') next = removeReferences(next, 'field', new Set([id]), { item: item.id });
  }
  if (kind === 'band') {
    const scale = getAt(next, listPath.slice(0, -1)) as { id?: unknown } | undefined;
    if (typeof scale?.id === 'string') next = removeDescriptorKeys(next, scale.id, id);
    if (copy.length === 0) next = setAt(next, listPath, undefined);
  }
  return next;
}
