/**
 * Ids: made from the text, unique where they must be, and changed everywhere they are named. An id that was made
 * from its entry's text follows that text (see `followText`) until it is locked or typed by hand.
 */
import type { Instrument, Item } from '../types';
import { getAt, isObject, setAt, type Path } from './paths';
import { everyItem, mapRuleAnswers, renameDescriptorKeys, renameReferences, rulesTestLookFors } from './references';

/** Articles carry no meaning in an id ("de leerkracht zorgt …" → "leerkracht-zorgt-…"). */
const ARTICLES = new Set(['de', 'het', 'een', 'the', 'a', 'an', 'le', 'la', 'les', 'der', 'die', 'das']);

/**
 * A readable id from a text: lowercase letters and digits joined by dashes, accents dropped, at most `maxLength`
 * characters cut at a word. Empty when the text has no letters or digits. Fits both id patterns of the format
 * (an instrument's and the local ids).
 */
export function slugify(text: string, maxLength = 32): string {
  const words = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const meaningful = words.filter((word) => !ARTICLES.has(word));
  let slug = '';
  for (const word of meaningful.length > 0 ? meaningful : words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > maxLength) return slug || word.slice(0, maxLength);
    slug = next;
  }
  return slug;
}

/** `base`, or `base-2`, `base-3` … : the first that is not taken. */
export function uniqueId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** What an entry at a path is; its id is unique among the entries of its kind in `idScope`. */
type EntryKind =
  | 'instrument'
  | 'domain'
  | 'item'
  | 'lookFor'
  | 'scale'
  | 'level'
  | 'context'
  | 'option'
  | 'rule'
  /** (format 2) A scoring map, a named score, a band of a scale, a snapshot's field, a choice's option group. */
  | 'scoringMap'
  | 'score'
  | 'band'
  | 'field'
  | 'optionGroup'
  /**
   * A band of an answer (an item's or a snapshot field's): a counter's count read in bands, or (format 3) a score
   * item's names for its ranges; a rule can test a counter for its bands.
   */
  | 'answerBand'
  /** (format 3) A name for a range of a domain's score or a named score. */
  | 'scoreBand';

export function entryKind(path: Path): EntryKind | undefined {
  if (path.length === 0) return 'instrument';
  const parent = path.at(-2);
  if (typeof path.at(-1) !== 'number') return undefined;
  if (parent === 'domains' && path.length === 2) return 'domain';
  if (parent === 'items' || parent === 'children') return 'item';
  if (parent === 'lookFors') return 'lookFor';
  if (parent === 'scales' && path.length === 2) return 'scale';
  if (parent === 'levels') return 'level';
  if (parent === 'context' && path.length === 2) return 'context';
  if (parent === 'options') return 'option';
  if (parent === 'rules' && path.length === 2) return 'rule';
  if (parent === 'scoringMaps' && path.length === 2) return 'scoringMap';
  if (parent === 'scores' && path.length === 2) return 'score';
  if (parent === 'bands' && path[0] === 'scales' && path.length === 4) return 'band';
  if (parent === 'fields' && path.at(-3) === 'response') return 'field';
  if (parent === 'groups' && path.at(-3) === 'response') return 'optionGroup';
  if (parent === 'bands' && path.at(-3) === 'response') return 'answerBand';
  if (parent === 'bands' && (path.at(-3) === 'score' || (path[0] === 'scores' && path.length === 4)))
    return 'scoreBand';
  return undefined;
}

/** The text an entry's id is made from, and the id it gets while that text is empty. */
export const ID_SOURCE: Partial<Record<EntryKind, { key: string; fallback: string }>> = {
  instrument: { key: 'title', fallback: 'instrument' },
  domain: { key: 'title', fallback: 'domain' },
  item: { key: 'text', fallback: 'item' },
  lookFor: { key: 'text', fallback: 'look-for' },
  scale: { key: 'label', fallback: 'scale' },
  context: { key: 'label', fallback: 'field' },
  option: { key: 'label', fallback: 'option' },
  scoringMap: { key: 'label', fallback: 'map' },
  score: { key: 'label', fallback: 'score' },
  band: { key: 'label', fallback: 'band' },
  field: { key: 'label', fallback: 'field' },
  optionGroup: { key: 'label', fallback: 'group' },
  answerBand: { key: 'label', fallback: 'band' },
  scoreBand: { key: 'label', fallback: 'band' },
};

const idsOf = (list: unknown): string[] =>
  Array.isArray(list)
    ? list.flatMap((entry) => (isObject(entry) && typeof entry.id === 'string' ? [entry.id] : []))
    : [];

/** The ids an entry at `path` must differ from: its siblings', or for items every item's in the file. */
function idScope(instrument: Instrument, path: Path, context: EditContext = {}): string[] {
  const kind = entryKind(path);
  const own = kind === 'instrument' ? undefined : (getAt(instrument, path) as { id?: unknown } | undefined);
  const others = (ids: string[]) => {
    const index = own && typeof own.id === 'string' ? ids.indexOf(own.id) : -1;
    return index === -1 ? ids : [...ids.slice(0, index), ...ids.slice(index + 1)];
  };
  switch (kind) {
    case 'instrument':
      return [...(context.otherInstrumentIds ?? [])];
    case 'item':
      return others(everyItem(instrument).map((item) => item.id));
    case 'domain':
    case 'lookFor':
    case 'scale':
    case 'context':
    case 'option':
    case 'rule':
    case 'scoringMap':
    case 'score':
    case 'band':
    case 'field':
    case 'optionGroup':
    case 'answerBand':
    case 'scoreBand':
      return others(idsOf(getAt(instrument, path.slice(0, -1))));
    default:
      return [];
  }
}

/** A new id for an entry that is about to be added to the list at `listPath`. */
export function freshId(instrument: Instrument, listPath: Path, base: string): string {
  const taken =
    path0(listPath) === 'domains' && (listPath.at(-1) === 'items' || listPath.at(-1) === 'children')
      ? everyItem(instrument).map((item) => item.id)
      : idsOf(getAt(instrument, listPath));
  return uniqueId(base, taken);
}
const path0 = (path: Path) => path[0];

/** Ids that never follow their text: those of the installed version a new version starts from (`kind:id`). */
export function lockedIdsOf(base: Instrument): Set<string> {
  const locked = new Set<string>([`instrument:${base.id}`]);
  const add = (kind: EntryKind, list: unknown) => idsOf(list).forEach((id) => locked.add(`${kind}:${id}`));
  add('domain', base.domains);
  add('scale', base.scales);
  add('context', base.context);
  add('rule', base.rules);
  add('scoringMap', base.scoringMaps);
  add('score', base.scores);
  for (const scale of base.scales ?? []) add('band', scale.bands);
  for (const field of base.context ?? []) add('option', field.options);
  for (const item of everyItem(base)) {
    locked.add(`item:${item.id}`);
    add('lookFor', item.lookFors);
    if (item.response?.type === 'choice') {
      add('option', item.response.options);
      add('optionGroup', item.response.groups);
    }
    if (item.response?.type === 'counter') add('answerBand', item.response.bands);
    if (item.response?.type === 'snapshot') {
      add('field', item.response.fields);
      for (const field of item.response.fields ?? []) {
        if (field.response?.type === 'choice') add('option', field.response.options);
        if (field.response?.type === 'counter') add('answerBand', field.response.bands);
      }
    }
  }
  return locked;
}

/** What the editor knows beyond the instrument: the installed instruments' ids and the ids that must stay. */
export interface EditContext {
  /** Ids of other installed instruments: a new instrument's id must differ from them. */
  otherInstrumentIds?: readonly string[];
  /** `kind:id` of ids that never change by themselves (see `lockedIdsOf`). */
  lockedIds?: ReadonlySet<string>;
}

const derivedFrom = (id: string, base: string): boolean =>
  id === base || (id.startsWith(`${base}-`) && /^\d+$/.test(id.slice(base.length + 1)));

/**
 * Changes the id of the entry at `path` everywhere it is referred to (the core's reference model says where): an
 * item's id in the rules and scores, a look-for's in a score's weights and the rules that test for it, a domain's
 * in the scores, a scale's in the items and snapshot fields rated on it, a choice option's in the rules and scores
 * that test for it; (format 2) a scoring map's in the scales and scores that use it, a named score's in the scores
 * that read or weigh it, a snapshot field's in the rules and scores that read it, an option group's in its options,
 * a scale band's in the descriptors written for it.
 */
export function renameId(instrument: Instrument, path: Path, id: string): Instrument {
  const kind = entryKind(path);
  if (kind === 'instrument') return { ...instrument, id };
  const entry = getAt(instrument, path) as { id?: unknown } | undefined;
  const old = entry?.id;
  if (typeof old !== 'string' || old === id) return setAt(instrument, [...path, 'id'], id);
  // The names are found while the entry still has its old id (a weight is known as a look-for's by that id).
  let next = instrument;
  if (kind === 'item') next = renameReferences(next, ['item'], old, id);
  if (kind === 'lookFor') {
    // A score from look-fors weighs them by id; a rule on a look-for list tests for them by id (a rule on a rating,
    // yes/no, choice or counter tests for its own answers, which may share the name).
    const owner = getAt(next, path.slice(0, -2)) as Item | undefined;
    if (typeof owner?.id === 'string')
      next = renameReferences(next, rulesTestLookFors(owner) ? ['lookFor', 'answer'] : ['lookFor'], old, id, {
        item: owner.id,
      });
  }
  // A question about the lesson whose number a score reads (format 3).
  if (kind === 'context') next = renameReferences(next, ['context'], old, id);
  if (kind === 'domain') next = renameReferences(next, ['domain'], old, id);
  if (kind === 'scale') next = renameReferences(next, ['scale'], old, id);
  if ((kind === 'option' || kind === 'optionGroup') && path.at(-3) === 'response') {
    // An item's choice, or (under `fields`) a snapshot field's: then the rules and scores that read that field.
    const owner = choiceOwner(next, path);
    if (owner && kind === 'option')
      next = mapRuleAnswers(next, owner.item, (answer) => (answer === old ? id : answer), owner.field);
    if (owner && kind === 'optionGroup')
      next = renameReferences(next, ['optionGroup'], old, id, {
        item: owner.item,
        ...(owner.field !== undefined && { field: owner.field }),
      });
  }
  if (kind === 'answerBand') {
    // A rule or a snapshot score that tests whether the count fell in this band.
    const owner = choiceOwner(next, path);
    if (owner) next = mapRuleAnswers(next, owner.item, (answer) => (answer === old ? id : answer), owner.field);
  }
  if (kind === 'scoringMap') next = renameReferences(next, ['map'], old, id);
  if (kind === 'score') next = renameReferences(next, ['score'], old, id);
  if (kind === 'field') {
    const item = getAt(next, path.slice(0, -3)) as Item | undefined;
    if (typeof item?.id === 'string') next = renameReferences(next, ['field'], old, id, { item: item.id });
  }
  if (kind === 'band') {
    const scale = getAt(next, path.slice(0, -2)) as { id?: unknown } | undefined;
    if (typeof scale?.id === 'string') next = renameDescriptorKeys(next, scale.id, old, id);
  }
  return setAt(next, [...path, 'id'], id);
}

/**
 * The item (and snapshot field) a choice option, option group or counter band at `path` belongs to:
 * `…items[i].response.options[o]`, or `…items[i].response.fields[f].response.options[o]`.
 */
export function choiceOwner(instrument: Instrument, path: Path): { item: string; field?: string } | undefined {
  const inField = path.at(-5) === 'fields';
  const item = getAt(instrument, inField ? path.slice(0, -6) : path.slice(0, -3)) as Item | undefined;
  const field = inField ? (getAt(instrument, path.slice(0, -3)) as { id?: unknown } | undefined)?.id : undefined;
  if (typeof item?.id !== 'string' || (inField && typeof field !== 'string')) return undefined;
  return { item: item.id, ...(typeof field === 'string' && { field }) };
}

/**
 * When the text an id is made from changes in the instrument's first language, an id that was made from the old
 * text (and is not locked) follows the new one: a new item's id reads like its text without anyone typing it.
 */
export function followText(
  instrument: Instrument,
  path: Path,
  oldText: string,
  newText: string,
  context: EditContext,
): Instrument {
  const kind = entryKind(path);
  const source = kind ? ID_SOURCE[kind] : undefined;
  const entry = getAt(instrument, path) as { id?: unknown } | undefined;
  if (!kind || !source || typeof entry?.id !== 'string') return instrument;
  if (context.lockedIds?.has(`${kind}:${entry.id}`)) return instrument;
  if (!derivedFrom(entry.id, slugify(oldText) || source.fallback)) return instrument;
  const id = uniqueId(slugify(newText) || source.fallback, idScope(instrument, path, context));
  return id === entry.id ? instrument : renameId(instrument, path, id);
}
