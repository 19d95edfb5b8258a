/**
 * Lists: an entry added, moved or removed at a path. Removing an item, a domain or a choice option takes what
 * depended on it along (the rules, scores and rule answers that named it).
 */
import type { ChoiceOption, Domain, Instrument, Item } from '../types';
import { flattenItems } from '../localize';
import { getAt, setAt, type Path } from './paths';
import { entryKind } from './ids';
import { mapRuleAnswers, removeReferences } from './references';

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
 * Removes the entry at `index` of the list at `listPath`. A list of look-fors or item descriptors that becomes empty
 * is removed itself (an item without look-fors has none, not an empty list).
 */
export function removeEntry(instrument: Instrument, listPath: Path, index: number): Instrument {
  const list = getAt(instrument, listPath);
  if (!Array.isArray(list) || index < 0 || index >= list.length) return instrument;
  const copy = list.filter((_, i) => i !== index);
  const removed = list[index] as unknown;
  let next = setAt(instrument, listPath, copy.length === 0 && listPath.at(-1) === 'lookFors' ? undefined : copy);
  const kind = entryKind([...listPath, index]);
  if (kind === 'item' || kind === 'domain') {
    const gone = kind === 'item' ? flattenItems([removed as Item]) : flattenItems((removed as Domain).items ?? []);
    next = removeReferences(next, 'item', new Set(gone.map((item) => item.id)));
  }
  const goneDomain = kind === 'domain' ? (removed as Domain | undefined)?.id : undefined;
  if (goneDomain !== undefined) next = removeReferences(next, 'domain', new Set([goneDomain]));
  const goneContext = kind === 'context' ? (removed as { id?: unknown } | undefined)?.id : undefined;
  if (typeof goneContext === 'string') next = removeReferences(next, 'context', new Set([goneContext]));
  if (kind === 'option' && listPath.at(-2) === 'response') {
    const inField = listPath.at(-4) === 'fields';
    const item = getAt(next, inField ? listPath.slice(0, -5) : listPath.slice(0, -2)) as Item | undefined;
    const field = inField ? (getAt(next, listPath.slice(0, -2)) as { id?: string } | undefined)?.id : undefined;
    const id = (removed as ChoiceOption | undefined)?.id;
    if (item && id !== undefined && (!inField || field !== undefined))
      next = mapRuleAnswers(next, item.id, (answer) => (answer === id ? undefined : answer), field);
  }
  return next;
}
