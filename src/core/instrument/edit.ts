/**
 * Editing an instrument without JSON: the pure steps behind the instrument editor (src/ui/features/instruments).
 * Every step takes an instrument and returns a new one, sharing what it did not change, so the editor can keep its
 * state as one value, write it with every keystroke, and undo a deletion by keeping the value before it.
 *
 * Two promises hold for every step:
 * - **fields it does not edit survive untouched.** Entries are copied with their spread, never rebuilt from the
 *   fields this file knows, so a field of a newer format (or one this editor has no control for) comes back
 *   exactly as it was;
 * - **references follow.** Removing an item removes the rules that depended on it; an id that changes (a new item's
 *   id follows its text) is changed in the rules and responses that point at it; moving a scale level moves its
 *   descriptors and rule answers along.
 *
 * The result is often not a valid instrument yet (an empty text, a rule without a target): the validator says so,
 * and the editor shows its messages next to the fields. Nothing here refuses a step for being incomplete.
 */
import type { AnswerCondition, ChoiceOption, Condition, ContextField, DerivedScore, Domain, Instrument, Item, LocalizedText, LookFor, Response, Rule, RuleEffect, Scale, ScaleLevel, ScoreRule } from './types';
import { INSTRUMENT_FORMAT_VERSION } from './types';
import { compareVersions } from './versions';
import { flattenItems } from './localize';

export type Segment = string | number;
export type Path = readonly Segment[];

// ---------------------------------------------------------------------------------------------------------------
// Values at a path, changed without touching anything beside them.

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at `path`, or undefined when the path leads nowhere. */
export function getAt(root: unknown, path: Path): unknown {
  let here: unknown = root;
  for (const segment of path) {
    if (Array.isArray(here) && typeof segment === 'number') here = here[segment];
    else if (isObject(here) && typeof segment === 'string') here = here[segment];
    else return undefined;
  }
  return here;
}

/**
 * A copy of `root` with `value` at `path`: each object and list on the way is copied, everything else is shared.
 * `undefined` removes an object's key (an optional field switched off); missing objects on the way are created.
 */
export function setAt<T>(root: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path as [Segment, ...Segment[]];
  if (Array.isArray(root) && typeof head === 'number') {
    const copy = [...root];
    copy[head] = setAt(copy[head], rest, value);
    return copy as T;
  }
  const copy: Json = isObject(root) ? { ...root } : {};
  const key = String(head);
  const next = setAt(copy[key], rest, value);
  if (next === undefined) delete copy[key];
  else copy[key] = next;
  return copy as T;
}

/** A copy of `root` with the value at `path` replaced by `change(value)`. */
export function updateAt<T, V>(root: T, path: Path, change: (value: V) => unknown): T {
  return setAt(root, path, change(getAt(root, path) as V));
}

/** A deep copy of plain JSON data (an installed instrument the editor starts from). */
export const cloneJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

// ---------------------------------------------------------------------------------------------------------------
// Ids: made from the text, unique where they must be.

/** Articles carry no meaning in an id ("de leraar zorgt …" → "leraar-zorgt-…"). */
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
export type EntryKind = 'instrument' | 'domain' | 'item' | 'lookFor' | 'scale' | 'level' | 'context' | 'option' | 'rule';

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
  return undefined;
}

/** The text an entry's id is made from, and the id it gets while that text is empty. */
const ID_SOURCE: Partial<Record<EntryKind, { key: string; fallback: string }>> = {
  instrument: { key: 'title', fallback: 'instrument' },
  domain: { key: 'title', fallback: 'domain' },
  item: { key: 'text', fallback: 'item' },
  lookFor: { key: 'text', fallback: 'look-for' },
  scale: { key: 'label', fallback: 'scale' },
  context: { key: 'label', fallback: 'field' },
  option: { key: 'label', fallback: 'option' },
};

const idsOf = (list: unknown): string[] => (Array.isArray(list) ? list.flatMap((entry) => (isObject(entry) && typeof entry.id === 'string' ? [entry.id] : [])) : []);

/** Every item of the instrument, behaviours under elements included. */
const everyItem = (instrument: Instrument): Item[] => instrument.domains.flatMap((domain) => flattenItems(domain.items ?? []));

/** The ids an entry at `path` must differ from: its siblings', or for items every item's in the file. */
export function idScope(instrument: Instrument, path: Path, context: EditContext = {}): string[] {
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
      return others(idsOf(getAt(instrument, path.slice(0, -1))));
    default:
      return [];
  }
}

/** A new id for an entry that is about to be added to the list at `listPath`. */
function freshId(instrument: Instrument, listPath: Path, base: string): string {
  const taken = path0(listPath) === 'domains' && (listPath.at(-1) === 'items' || listPath.at(-1) === 'children') ? everyItem(instrument).map((item) => item.id) : idsOf(getAt(instrument, listPath));
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
  for (const field of base.context ?? []) add('option', field.options);
  for (const item of everyItem(base)) {
    locked.add(`item:${item.id}`);
    add('lookFor', item.lookFors);
    if (item.response?.type === 'choice') add('option', item.response.options);
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

const derivedFrom = (id: string, base: string): boolean => id === base || (id.startsWith(`${base}-`) && /^\d+$/.test(id.slice(base.length + 1)));

/**
 * Changes the id of the entry at `path` everywhere it is referred to: an item's id in the rules and scores, a
 * domain's in the scores, a scale's in the items rated on it, a choice option's in the rules that test for it.
 */
export function renameId(instrument: Instrument, path: Path, id: string): Instrument {
  const kind = entryKind(path);
  if (kind === 'instrument') return { ...instrument, id };
  const entry = getAt(instrument, path) as { id?: unknown } | undefined;
  const old = entry?.id;
  let next = setAt(instrument, [...path, 'id'], id);
  if (typeof old !== 'string' || old === id) return next;
  const rename = (value: string) => (value === old ? id : value);
  if (kind === 'item') {
    next = mapRules(next, (rule) => ({
      ...rule,
      when: mapConditionItems(rule.when, (leaf) => (leaf.item === old ? { ...leaf, item: id } : leaf)) ?? rule.when,
      then: mapEffects(rule.then, (ids) => ids.map(rename)),
    }));
    next = mapScoreSources(next, (source) => ('item' in source && source.item === old ? { item: id } : source), old, id);
    next = itemScoreReferences(next, old, id);
  }
  if (kind === 'lookFor') {
    // A score from look-fors weighs them by id.
    const owner = getAt(next, path.slice(0, -2)) as Item | undefined;
    if (owner?.response?.type === 'score' && owner.response.weights && old in owner.response.weights) {
      next = setAt(next, [...path.slice(0, -2), 'response'], { ...owner.response, ...renamedWeights(owner.response, old, id) });
    }
  }
  if (kind === 'domain') next = mapScoreSources(next, (source) => ('domain' in source && source.domain === old ? { domain: id } : source), old, id);
  if (kind === 'scale') {
    next = mapItems(next, (item) => {
      const response = item.response;
      if ((response?.type === 'rating' || response?.type === 'score') && response.scale === old) return { ...item, response: { ...response, scale: id } };
      return item;
    });
  }
  if (kind === 'option' && path.at(-3) === 'response') {
    // An item's choice, or (under `fields`) a snapshot field's: then the rules and scores that read that field.
    const inField = path.at(-5) === 'fields';
    const item = getAt(next, inField ? path.slice(0, -6) : path.slice(0, -3)) as Item | undefined;
    const field = inField ? (getAt(next, path.slice(0, -3)) as { id?: string } | undefined)?.id : undefined;
    if (item && (!inField || field !== undefined)) next = mapRuleAnswers(next, item.id, (answer) => (answer === old ? id : answer), field);
  }
  return next;
}

// ---------------------------------------------------------------------------------------------------------------
// References: rules (conditions and what they do) and scores name items, domains and answers.

/** The conditions that name an item (an answer or a number), however deep in "all", "any" and "count" they sit. */
type LeafCondition = Extract<Condition, { item: string }>;

/** A condition with each item condition changed; `undefined` from `change` drops that part. */
function mapConditionItems(condition: Condition | undefined, change: (leaf: LeafCondition) => LeafCondition | undefined): Condition | undefined {
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
function mapEffects(then: RuleEffect | undefined, change: (ids: string[]) => string[]): RuleEffect {
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

function mapRules(instrument: Instrument, change: (rule: Rule) => Rule | undefined): Instrument {
  const rules = instrument.rules.flatMap((rule) => {
    const changed = change(rule);
    return changed === undefined ? [] : [changed];
  });
  return rules.length === instrument.rules.length && rules.every((rule, i) => sameJson(rule, instrument.rules[i])) ? instrument : { ...instrument, rules };
}

const sameJson = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** A score's weights with one id's weight moved to another id (or dropped when `id` is undefined). */
function renamedWeights(rule: Pick<ScoreRule, 'weights'>, old: string, id: string | undefined): Pick<ScoreRule, 'weights'> {
  if (!rule.weights || !(old in rule.weights)) return {};
  const weights = Object.fromEntries(Object.entries(rule.weights).flatMap(([key, weight]) => (key !== old ? [[key, weight]] : id === undefined ? [] : [[id, weight]])));
  return { weights };
}

/** The instrument's derived scores with each source changed (`undefined` drops it) and the weight of `old` moved to `id`. */
function mapScoreSources(instrument: Instrument, change: (source: DerivedScore['from'][number]) => DerivedScore['from'][number] | undefined, old: string, id: string | undefined): Instrument {
  if (!Array.isArray(instrument.scores)) return instrument;
  const scores = instrument.scores.map((score) => {
    const from = (score.from ?? []).flatMap((source) => {
      const changed = change(source);
      return changed === undefined ? [] : [changed];
    });
    return sameJson(from, score.from) && !(score.weights && old in score.weights) ? score : { ...score, from, ...renamedWeights(score, old, id) };
  });
  return scores.every((score, i) => score === instrument.scores![i]) ? instrument : { ...instrument, scores };
}

function mapDomains(instrument: Instrument, change: (domain: Domain) => Domain): Instrument {
  const domains = instrument.domains.map(change);
  return domains.every((domain, i) => domain === instrument.domains[i]) ? instrument : { ...instrument, domains };
}

/**
 * Whether the editor edits this rule: "when item X has one of these answers, these items do not apply". Rules that
 * combine conditions, test a number or a snapshot field, or show or require items are kept as they are.
 */
export function isSimpleRule(rule: Rule | undefined): rule is Rule & { when: AnswerCondition } {
  const when = rule?.when as Json | undefined;
  if (!isObject(when) || !isObject(rule?.then)) return false;
  const whenKeys = Object.keys(when);
  const thenKeys = Object.keys(rule.then);
  return typeof when.item === 'string' && Array.isArray(when.in) && whenKeys.every((key) => key === 'item' || key === 'in') && thenKeys.every((key) => key === 'notApplicable');
}

/**
 * When the text an id is made from changes in the instrument's first language, an id that was made from the old
 * text (and is not locked) follows the new one: a new item's id reads like its text without anyone typing it.
 */
function followText(instrument: Instrument, path: Path, oldText: string, newText: string, context: EditContext): Instrument {
  const kind = entryKind(path);
  const source = kind ? ID_SOURCE[kind] : undefined;
  const entry = getAt(instrument, path) as { id?: unknown } | undefined;
  if (!kind || !source || typeof entry?.id !== 'string') return instrument;
  if (context.lockedIds?.has(`${kind}:${entry.id}`)) return instrument;
  if (!derivedFrom(entry.id, slugify(oldText) || source.fallback)) return instrument;
  const id = uniqueId(slugify(newText) || source.fallback, idScope(instrument, path, context));
  return id === entry.id ? instrument : renameId(instrument, path, id);
}

// ---------------------------------------------------------------------------------------------------------------
// Texts in the instrument's languages.

export const emptyText = (languages: readonly string[]): LocalizedText => Object.fromEntries(languages.map((language) => [language, '']));

/** Texts the editor writes into a new instrument, in the languages it knows (others start empty). */
const STARTER_TEXTS = {
  scale: { nl: 'Vierpuntsschaal', en: 'Four-point scale' },
  levels: [
    { nl: 'Onvoldoende', en: 'Insufficient' },
    { nl: 'Matig', en: 'Weak' },
    { nl: 'Voldoende', en: 'Sufficient' },
    { nl: 'Goed', en: 'Good' },
  ],
  notObserved: { nl: 'Niet gezien', en: 'Not observed' },
  group: { nl: 'Groep', en: 'Group' },
  subject: { nl: 'Vak', en: 'Subject' },
  copy: { nl: ' (kopie)', en: ' (copy)' },
} satisfies Record<string, Record<'nl' | 'en', string> | Array<Record<'nl' | 'en', string>>>;

const starter = (texts: Record<'nl' | 'en', string>, languages: readonly string[]): LocalizedText =>
  Object.fromEntries(languages.map((language) => [language, language === 'nl' || language === 'en' ? texts[language] : '']));

/**
 * Sets one language of the text at `path`. An optional text (guidance, a description) emptied in every language
 * is removed, so "no guidance" is not an error; a required one keeps its empty strings, which the validator names.
 */
export function setText(instrument: Instrument, path: Path, language: string, value: string, options: { optional?: boolean } = {}): Instrument {
  const current = getAt(instrument, path);
  const next: LocalizedText = { ...(isObject(current) ? (current as LocalizedText) : {}), [language]: value };
  if (options.optional && Object.values(next).every((text) => text === '')) return setAt(instrument, path, undefined);
  return setAt(instrument, path, next);
}

/**
 * Sets one language of the text `key` of the entry at `ownerPath` (an item's "text", a domain's "title"), and lets
 * the entry's id follow the text while it was made from it (see `followText`).
 */
export function editText(instrument: Instrument, ownerPath: Path, key: string, language: string, value: string, context: EditContext = {}, options: { optional?: boolean } = {}): Instrument {
  const owner = getAt(instrument, ownerPath) as Json | undefined;
  const primary = instrument.languages?.[0];
  const oldText = isObject(owner?.[key]) ? String((owner[key] as LocalizedText)[language] ?? '') : '';
  const next = setText(instrument, [...ownerPath, key], language, value, options);
  const kind = entryKind(ownerPath);
  if (language !== primary || !kind || ID_SOURCE[kind]?.key !== key) return next;
  return followText(next, ownerPath, oldText, value, context);
}

/**
 * Whether a value is a text in languages (`{ "nl": …, "en": … }`): an object whose keys are all among `languages`
 * and whose values are all strings. Walking the whole instrument with this finds every text, also in parts of the
 * format this editor has no control for.
 */
const isLocalizedText = (value: unknown, languages: ReadonlySet<string>): value is LocalizedText =>
  isObject(value) && Object.keys(value).length > 0 && Object.entries(value).every(([key, text]) => languages.has(key) && typeof text === 'string');

function mapTexts(value: unknown, languages: ReadonlySet<string>, change: (text: LocalizedText) => LocalizedText): unknown {
  if (isLocalizedText(value, languages)) return change(value);
  if (Array.isArray(value)) {
    const mapped = value.map((entry) => mapTexts(entry, languages, change));
    return mapped.every((entry, i) => entry === value[i]) ? value : mapped;
  }
  if (isObject(value)) {
    let copy: Json | undefined;
    for (const [key, entry] of Object.entries(value)) {
      const mapped = mapTexts(entry, languages, change);
      if (mapped !== entry) (copy ??= { ...value })[key] = mapped;
    }
    return copy ?? value;
  }
  return value;
}

/**
 * The instrument in other languages: a language taken away is removed from every text (so no text is left in a
 * language the instrument no longer declares); a language added shows as a missing translation in every text
 * until it is written. The languages keep their order; a new one comes last.
 */
export function setLanguages(instrument: Instrument, languages: readonly string[]): Instrument {
  const before = instrument.languages ?? [];
  const next = [...before.filter((language) => languages.includes(language)), ...languages.filter((language) => !before.includes(language))];
  if (next.length === 0) return instrument;
  const removed = before.filter((language) => !next.includes(language));
  let result: Instrument = { ...instrument, languages: next };
  if (removed.length > 0) {
    result = mapTexts(result, new Set(before), (text) => {
      const kept = Object.fromEntries(Object.entries(text).filter(([language]) => !removed.includes(language)));
      // A text written only in a language taken away: left empty in the first language, for the author to write.
      return Object.keys(kept).length > 0 ? kept : { [next[0]!]: '' };
    }) as Instrument;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Starting points.

function starterScale(id: string, languages: readonly string[]): Scale {
  return {
    id,
    label: starter(STARTER_TEXTS.scale, languages),
    levels: STARTER_TEXTS.levels.map((label, i) => ({ value: i + 1, label: starter(label, languages) })),
  };
}

function newItem(id: string, languages: readonly string[], scales: readonly Scale[]): Item {
  const scale = scales[0];
  return { id, text: emptyText(languages), response: scale ? { type: 'rating', scale: scale.id } : { type: 'yes-no' } };
}

/**
 * A new instrument to fill in: a four-point scale with its level names, the lesson's group and subject, and one
 * domain with one item. Its title, domain and item are empty: the editor asks for them.
 */
export function newInstrument(options: { languages: readonly string[]; otherInstrumentIds?: readonly string[] }): Instrument {
  const languages = options.languages.length > 0 ? [...options.languages] : ['nl'];
  const scales = [starterScale('scale', languages)];
  return {
    format: INSTRUMENT_FORMAT_VERSION,
    id: uniqueId('instrument', options.otherInstrumentIds ?? []),
    version: '1.0.0',
    kind: 'observation',
    languages,
    title: emptyText(languages),
    description: emptyText(languages),
    scales,
    context: [
      { id: 'group', label: starter(STARTER_TEXTS.group, languages), input: 'text' },
      { id: 'subject', label: starter(STARTER_TEXTS.subject, languages), input: 'text' },
    ],
    domains: [{ id: 'domain', title: emptyText(languages), items: [newItem('item', languages, scales)] }],
    rules: [],
  };
}

/** The next minor version after the newest of `versions` ("1.2.0" → "1.3.0"); "1.0.0" when there is none. */
export function nextVersion(versions: readonly string[]): string {
  const valid = versions.filter((version) => /^\d+\.\d+\.\d+$/.test(version)).sort(compareVersions);
  const newest = valid.at(-1);
  if (!newest) return '1.0.0';
  const [major, minor] = newest.split('.').map(Number) as [number, number];
  return `${major}.${minor + 1}.0`;
}

/** A new version of an installed instrument: the same id and everything in it, the next free version. */
export function newVersionOf(installed: Instrument, installedVersions: readonly string[]): Instrument {
  return { ...cloneJson(installed), version: nextVersion([...installedVersions, installed.version]) };
}

/**
 * A new instrument that starts as a copy of an installed one: "(kopie)" after its title, an id of its own (made
 * from that title, so it follows when the title changes), version 1.0.0.
 */
export function copyOf(installed: Instrument, otherInstrumentIds: readonly string[]): Instrument {
  const copy = cloneJson(installed);
  const title = Object.fromEntries(Object.entries(copy.title).map(([language, text]) => [language, `${text}${language === 'en' ? STARTER_TEXTS.copy.en : STARTER_TEXTS.copy.nl}`]));
  const primary = copy.languages[0] ?? 'nl';
  return { ...copy, title, id: uniqueId(slugify(title[primary] ?? '') || 'instrument', otherInstrumentIds), version: '1.0.0' };
}

// ---------------------------------------------------------------------------------------------------------------
// Lists: add, remove, move.

/** Moves the entry at `index` of the list at `listPath` by `delta` places; returns where it is now. */
export function moveEntry(instrument: Instrument, listPath: Path, index: number, delta: number): { instrument: Instrument; index: number } {
  const list = getAt(instrument, listPath);
  if (!Array.isArray(list)) return { instrument, index };
  const to = index + delta;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length || delta === 0) return { instrument, index };
  const copy = [...list];
  const [moved] = copy.splice(index, 1);
  copy.splice(to, 0, moved);
  return { instrument: setAt(instrument, listPath, copy), index: to };
}

function insertEntry(instrument: Instrument, listPath: Path, entry: unknown, at?: number): { instrument: Instrument; index: number } {
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
    next = withoutItems(next, new Set(gone.map((item) => item.id)));
  }
  const goneDomain = kind === 'domain' ? (removed as Domain | undefined)?.id : undefined;
  if (goneDomain !== undefined) next = mapScoreSources(next, (source) => ('domain' in source && source.domain === goneDomain ? undefined : source), goneDomain, undefined);
  if (kind === 'option' && listPath.at(-2) === 'response') {
    const inField = listPath.at(-4) === 'fields';
    const item = getAt(next, inField ? listPath.slice(0, -5) : listPath.slice(0, -2)) as Item | undefined;
    const field = inField ? (getAt(next, listPath.slice(0, -2)) as { id?: string } | undefined)?.id : undefined;
    const id = (removed as ChoiceOption | undefined)?.id;
    if (item && id !== undefined && (!inField || field !== undefined)) next = mapRuleAnswers(next, item.id, (answer) => (answer === id ? undefined : answer), field);
  }
  return withoutEmptyScores(next);
}

/** Named scores left with nothing to read go, and so does every mention of them in other scores. */
function withoutEmptyScores(instrument: Instrument): Instrument {
  let next = instrument;
  for (;;) {
    const empty = (next.scores ?? []).find((score) => Array.isArray(score.from) && score.from.length === 0);
    if (!empty) return next;
    next = { ...next, scores: (next.scores ?? []).filter((score) => score !== empty) };
    next = mapScoreSources(next, (source) => ('score' in source && source.score === empty.id ? undefined : source), empty.id, undefined);
  }
}


/**
 * The rules and scores without the items that are gone: a rule whose condition names one goes with it; a gone item
 * is taken out of what a rule does (and a rule left with nothing to do goes too) and out of the scores.
 */
function withoutItems(instrument: Instrument, gone: ReadonlySet<string>): Instrument {
  if (gone.size === 0) return instrument;
  let next = mapRules(instrument, (rule) => {
    // A condition on an item that is gone can never be decided: the rule goes.
    if (conditionItems(rule.when).some((item) => gone.has(item))) return undefined;
    const then = mapEffects(rule.then, (ids) => ids.filter((id) => !gone.has(id)));
    return EFFECTS.some((effect) => then[effect]) ? { ...rule, then } : undefined;
  });
  for (const id of gone) {
    next = mapScoreSources(next, (source) => ('item' in source && source.item === id ? undefined : source), id, undefined);
    next = itemScoreReferences(next, id, undefined);
  }
  return next;
}

/**
 * An item's id where score items and domain scores name it: in a score's listed items, as the snapshot a score is
 * worked out from, and as a weight (of an element's behaviour, of a listed item, of a domain's item). `id`
 * undefined: the item is gone, and so is every mention of it (a score from a snapshot that is gone keeps naming it,
 * so the validator says what to choose instead).
 */
function itemScoreReferences(instrument: Instrument, old: string, id: string | undefined): Instrument {
  let next = mapItems(instrument, (item) => {
    const response = item.response;
    if (response?.type !== 'score') return item;
    let from = response.from;
    if (typeof from === 'object' && 'items' in from && from.items.includes(old)) {
      from = { ...from, items: from.items.flatMap((x) => (x !== old ? [x] : id === undefined ? [] : [id])) };
    }
    if (typeof from === 'object' && 'snapshot' in from && from.snapshot === old && id !== undefined) from = { ...from, snapshot: id };
    const weights = renamedWeights(response, old, id);
    if (from === response.from && !('weights' in weights)) return item;
    return { ...item, response: { ...response, from, ...weights } };
  });
  next = mapDomains(next, (domain) => (domain.score?.weights && old in domain.score.weights ? { ...domain, score: { ...domain.score, ...renamedWeights(domain.score, old, id) } } : domain));
  return next;
}

export function addDomain(instrument: Instrument): { instrument: Instrument; index: number } {
  const languages = instrument.languages;
  const id = freshId(instrument, ['domains'], 'domain');
  const itemId = uniqueId('item', everyItem(instrument).map((item) => item.id));
  const domain: Domain = { id, title: emptyText(languages), items: [newItem(itemId, languages, instrument.scales)] };
  return insertEntry(instrument, ['domains'], domain);
}

/** Adds an empty item to a domain (after `after`, or at its end), rated on the first scale. */
export function addItem(instrument: Instrument, domainIndex: number, after?: number): { instrument: Instrument; index: number } {
  const listPath = ['domains', domainIndex, 'items'];
  const item = newItem(freshId(instrument, listPath, 'item'), instrument.languages, instrument.scales);
  return insertEntry(instrument, listPath, item, after === undefined ? undefined : after + 1);
}

export function addLookFor(instrument: Instrument, itemPath: Path): { instrument: Instrument; index: number } {
  const listPath = [...itemPath, 'lookFors'];
  const lookFor: LookFor = { id: freshId(instrument, listPath, 'look-for'), text: emptyText(instrument.languages) };
  return insertEntry(instrument, listPath, lookFor);
}

export function addScale(instrument: Instrument): { instrument: Instrument; index: number } {
  return insertEntry(instrument, ['scales'], starterScale(freshId(instrument, ['scales'], 'scale'), instrument.languages));
}

export function addContextField(instrument: Instrument): { instrument: Instrument; index: number } {
  const field: ContextField = { id: freshId(instrument, ['context'], 'field'), label: emptyText(instrument.languages), input: 'text' };
  return insertEntry(instrument, ['context'], field);
}

/** Adds a choice option to the list at `listPath` (a choice item's or a context field's options). */
export function addOption(instrument: Instrument, listPath: Path): { instrument: Instrument; index: number } {
  const option: ChoiceOption = { id: freshId(instrument, listPath, 'option'), label: emptyText(instrument.languages) };
  return insertEntry(instrument, listPath, option);
}

/** A rule to fill in: when the first item a rule can depend on gets an answer still to choose (the editor's kind, see `isSimpleRule`). */
export function addRule(instrument: Instrument): { instrument: Instrument; index: number } {
  const trigger = ruleTriggers(instrument)[0];
  const rule: Rule = { id: freshId(instrument, ['rules'], 'rule'), when: { item: trigger?.id ?? '', in: [] }, then: { notApplicable: [] } };
  return insertEntry(instrument, ['rules'], rule);
}

// ---------------------------------------------------------------------------------------------------------------
// Scales and their levels.

/** Every item changed by `change` (behaviours under elements too); what it leaves alone stays the same object. */
function mapItems(instrument: Instrument, change: (item: Item) => Item): Instrument {
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

/** Changes the answers every condition on this item's answer tests for (`undefined` drops an answer). */
/**
 * Changes the answers rules test an item for (`field`: a snapshot field of that item) and, for a snapshot field, the
 * answers a score counts (`from: { snapshot, field, in }`).
 */
function mapRuleAnswers(instrument: Instrument, itemId: string, change: (answer: string | number) => string | number | undefined, field?: string): Instrument {
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

const onScale = (scaleId: string) => (item: Item) => item.response?.type === 'rating' && item.response.scale === scaleId;

/** Renames item descriptor keys and rule answers of the items rated on a scale, value by value. */
function remapLevelValues(instrument: Instrument, scaleId: string, map: (value: number) => number | undefined): Instrument {
  const rated = everyItem(instrument).filter(onScale(scaleId)).map((item) => item.id);
  let next = mapItems(instrument, (item) => {
    if (!onScale(scaleId)(item) || !item.descriptors) return item;
    const descriptors: Record<string, LocalizedText> = {};
    for (const [key, text] of Object.entries(item.descriptors)) {
      const value = map(Number(key));
      if (value !== undefined) descriptors[String(value)] = text;
    }
    return { ...item, descriptors };
  });
  for (const id of rated) next = mapRuleAnswers(next, id, (answer) => (typeof answer === 'number' ? map(answer) : answer));
  return next;
}

/** Adds a level above the highest; items with their own descriptors on this scale get an empty one for it. */
export function addLevel(instrument: Instrument, scaleIndex: number): { instrument: Instrument; index: number } {
  const scale = instrument.scales[scaleIndex];
  if (!scale) return { instrument, index: -1 };
  const values = scale.levels.map((level) => level.value).filter((value) => Number.isFinite(value));
  const value = values.length > 0 ? Math.max(...values) + 1 : 1;
  const languages = instrument.languages;
  const level: ScaleLevel = { value, label: emptyText(languages), ...(scale.levels.some((l) => l.descriptor) ? { descriptor: emptyText(languages) } : {}) };
  const added = insertEntry(instrument, ['scales', scaleIndex, 'levels'], level);
  const next = mapItems(added.instrument, (item) => (onScale(scale.id)(item) && item.descriptors ? { ...item, descriptors: { ...item.descriptors, [String(value)]: emptyText(languages) } } : item));
  return { instrument: next, index: added.index };
}

/** Removes a level, with the item descriptors written for it and the rule answers that named it. */
export function removeLevel(instrument: Instrument, scaleIndex: number, levelIndex: number): Instrument {
  const scale = instrument.scales[scaleIndex];
  const level = scale?.levels[levelIndex];
  if (!scale || !level) return instrument;
  const next = removeEntry(instrument, ['scales', scaleIndex, 'levels'], levelIndex);
  return remapLevelValues(next, scale.id, (value) => (value === level.value ? undefined : value));
}

/**
 * Moves a level up or down the scale. The values stay in place (low to high), the level's words move: its label,
 * descriptor, the items' descriptors for it and the rule answers that named it all go to its new value.
 */
export function moveLevel(instrument: Instrument, scaleIndex: number, levelIndex: number, delta: number): { instrument: Instrument; index: number } {
  const scale = instrument.scales[scaleIndex];
  const to = levelIndex + delta;
  const from = scale?.levels[levelIndex];
  const other = scale?.levels[to];
  if (!scale || !from || !other || delta === 0) return { instrument, index: levelIndex };
  const levels = [...scale.levels];
  levels[to] = { ...from, value: other.value };
  levels[levelIndex] = { ...other, value: from.value };
  const next = setAt(instrument, ['scales', scaleIndex, 'levels'], levels);
  const swap = (value: number) => (value === from.value ? other.value : value === other.value ? from.value : value);
  return { instrument: remapLevelValues(next, scale.id, swap), index: to };
}

/** Sets a level's value; descriptors and rule answers follow, unless another level has that value already. */
export function setLevelValue(instrument: Instrument, scaleIndex: number, levelIndex: number, value: number): Instrument {
  const scale = instrument.scales[scaleIndex];
  const level = scale?.levels[levelIndex];
  if (!scale || !level) return instrument;
  const next = setAt(instrument, ['scales', scaleIndex, 'levels', levelIndex, 'value'], value);
  if (!Number.isFinite(value) || scale.levels.some((other, i) => i !== levelIndex && other.value === value)) return next;
  return remapLevelValues(next, scale.id, (v) => (v === level.value ? value : v));
}

/** A descriptor for every level of a scale (empty, to write), or for none: a scale's descriptors come all or none. */
export function setScaleDescriptors(instrument: Instrument, scaleIndex: number, on: boolean): Instrument {
  return updateAt<Instrument, ScaleLevel[]>(instrument, ['scales', scaleIndex, 'levels'], (levels) =>
    levels.map((level) => {
      if (on) return level.descriptor ? level : { ...level, descriptor: emptyText(instrument.languages) };
      const { descriptor: _dropped, ...rest } = level;
      return rest;
    }),
  );
}

/** Offers "not observed" on a scale (with a starting label), or stops offering it. */
export function setNotObserved(instrument: Instrument, scaleIndex: number, on: boolean): Instrument {
  const path = ['scales', scaleIndex, 'notObserved'];
  if (!on) return setAt(instrument, path, undefined);
  return getAt(instrument, path) ? instrument : setAt(instrument, path, { label: starter(STARTER_TEXTS.notObserved, instrument.languages) });
}

// ---------------------------------------------------------------------------------------------------------------
// Items.

/**
 * The response types the editor offers; snapshots (timed measurements) and scores (derived, nobody enters them) are
 * kept as they are but not made here.
 */
export const EDITABLE_RESPONSE_TYPES = ['rating', 'checklist', 'yes-no', 'choice', 'counter', 'text', 'date', 'time'] as const;
/** Parts of format 2 an instrument in format 1 may not use: choosing one moves the instrument to format 2. */
const FORMAT_2_TYPES = new Set<string>(['date', 'time']);
const inFormatFor = (instrument: Instrument, type: string): Instrument =>
  FORMAT_2_TYPES.has(type) && instrument.format < INSTRUMENT_FORMAT_VERSION ? { ...instrument, format: INSTRUMENT_FORMAT_VERSION } : instrument;
export type EditableResponseType = (typeof EDITABLE_RESPONSE_TYPES)[number];

/**
 * Gives an item another kind of answer. What only a rating has (descriptors per level, reverse scoring) goes, and
 * the rules that depend on the item forget their answers (a "yes" means nothing to a rating).
 */
export function setResponseType(instrument: Instrument, itemPath: Path, type: EditableResponseType): Instrument {
  const item = getAt(instrument, itemPath) as Item | undefined;
  if (!item || item.response?.type === type) return instrument;
  const languages = instrument.languages;
  const option = (id: string): ChoiceOption => ({ id, label: emptyText(languages) });
  const response: Response =
    type === 'rating'
      ? { type, scale: instrument.scales[0]?.id ?? '' }
      : type === 'choice'
        ? { type, options: [option('option'), option('option-2')] }
        : { type };
  const { descriptors: _descriptors, reverse: _reverse, ...rest } = item;
  const next = setAt(inFormatFor(instrument, type), itemPath, { ...(type === 'rating' ? item : rest), response });
  return mapRuleAnswers(next, item.id, () => undefined);
}

/** Descriptors of this item for every level of its scale (empty, to write), or none (the scale's own apply). */
export function setItemDescriptors(instrument: Instrument, itemPath: Path, on: boolean): Instrument {
  const item = getAt(instrument, itemPath) as Item | undefined;
  if (!item) return instrument;
  if (!on) return setAt(instrument, [...itemPath, 'descriptors'], undefined);
  const scale = item.response?.type === 'rating' ? instrument.scales.find((s) => s.id === (item.response as { scale: string }).scale) : undefined;
  const existing = item.descriptors ?? {};
  const descriptors = Object.fromEntries((scale?.levels ?? []).map((level) => [String(level.value), existing[String(level.value)] ?? emptyText(instrument.languages)]));
  return setAt(instrument, [...itemPath, 'descriptors'], descriptors);
}

/** Sets a yes/no field (reverse, required, "not observed" allowed): off removes it, since absent means no. */
export const setFlag = (instrument: Instrument, path: Path, on: boolean): Instrument => setAt(instrument, path, on ? true : undefined);

/** Sets a number field; an empty or unreadable input removes it. */
export const setNumber = (instrument: Instrument, path: Path, value: number | undefined): Instrument =>
  setAt(instrument, path, value === undefined || Number.isNaN(value) ? undefined : value);

// ---------------------------------------------------------------------------------------------------------------
// Context fields.

/** A context field's kind of input; only a choice has options, only a number a minimum and maximum. */
export function setContextInput(instrument: Instrument, index: number, input: ContextField['input']): Instrument {
  const field = instrument.context[index];
  if (!field || field.input === input) return instrument;
  const { options, min, max, ...rest } = field;
  const next: ContextField = { ...rest, input };
  if (input === 'number') Object.assign(next, min === undefined ? {} : { min }, max === undefined ? {} : { max });
  if (input === 'choice') {
    const option = (id: string): ChoiceOption => ({ id, label: emptyText(instrument.languages) });
    next.options = options ?? [option('option'), option('option-2')];
  }
  return setAt(inFormatFor(instrument, input), ['context', index], next);
}

// ---------------------------------------------------------------------------------------------------------------
// Rules.

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
export function setRuleAnswer(instrument: Instrument, ruleIndex: number, answer: string | number, included: boolean): Instrument {
  const rule = instrument.rules[ruleIndex];
  if (!isSimpleRule(rule)) return instrument;
  const trigger = everyItem(instrument).find((item) => item.id === rule.when.item);
  const current = rule.when.in ?? [];
  const wanted = included ? [...current.filter((a) => a !== answer), answer] : current.filter((a) => a !== answer);
  const order = trigger ? possibleAnswers(instrument, trigger) : [];
  const rank = (a: string | number) => (order.indexOf(a) === -1 ? order.length : order.indexOf(a));
  return setAt(instrument, ['rules', ruleIndex, 'when', 'in'], [...wanted].sort((a, b) => rank(a) - rank(b)));
}

/** Includes an item among those the rule makes not applicable, or leaves it out (in reading order). */
export function setRuleTarget(instrument: Instrument, ruleIndex: number, itemId: string, included: boolean): Instrument {
  const rule = instrument.rules[ruleIndex];
  if (!rule) return instrument;
  const current = rule.then?.notApplicable ?? [];
  const wanted = included ? [...current.filter((id) => id !== itemId), itemId] : current.filter((id) => id !== itemId);
  const order = everyItem(instrument).map((item) => item.id);
  const rank = (id: string) => (order.indexOf(id) === -1 ? order.length : order.indexOf(id));
  return setAt(instrument, ['rules', ruleIndex, 'then', 'notApplicable'], [...wanted].sort((a, b) => rank(a) - rank(b)));
}
