/**
 * Keeping names right while the editor changes an instrument: a renamed entry is renamed wherever it is named, and a
 * removed one takes along what named it. Where names are is the core's one reference model
 * (`../references.ts`); this file only says what a change does to each kind of reference.
 */
import type { Instrument, Item, LocalizedText } from '../types';
import { flattenItems } from '../localize';
import { instrumentReferences, type Reference } from '../references';
import { getAt, isObject, setAt, type Path } from './paths';

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
// Changing references.

/**
 * Each reference `select` picks gets the name `change` gives it. `undefined` takes the reference out, and with it
 * what cannot stand without it:
 * - a rule whose condition reads something that is gone goes: it could never be decided;
 * - a name in a list (a rule's targets, a score's parts, the answers a condition tests for) leaves the list, and a
 *   rule left with nothing to do goes, as does a named score left with nothing to read (and every mention of it);
 * - a weight goes with its part;
 * - a score item that was worked out from a snapshot keeps naming it, so the validator says what to choose instead.
 */
function changeReferences(
  instrument: Instrument,
  select: (reference: Reference) => boolean,
  change: (reference: Reference) => string | number | undefined,
): Instrument {
  let next = instrument;
  const goneRules = new Set<number>();
  const removals: Reference[] = [];
  for (const reference of instrumentReferences(instrument)) {
    if (!select(reference)) continue;
    const name = change(reference);
    if (name === reference.name) continue;
    if (name !== undefined) next = renamed(next, reference, name);
    else if (reference.role === 'condition' && reference.kind !== 'answer') goneRules.add(reference.path[1] as number);
    else if (!keptWhenGone(reference)) removals.push(reference);
  }
  // From the end of the file back, so that a removal never moves a place still to be visited.
  for (const reference of removals.sort((a, b) => comparePaths(b.path, a.path))) {
    if (reference.path[0] === 'rules' && goneRules.has(reference.path[1] as number)) continue;
    next = removed(next, reference);
  }
  if (next === instrument && goneRules.size === 0) return instrument;
  // Only a rule that lost a target here can have been left idle by it: one still being written keeps its empty list.
  const touched = new Set(
    removals.flatMap(({ path }) => (path[0] === 'rules' && path[2] === 'then' ? [path[1] as number] : [])),
  );
  // So with a named score: one that lost its last part here goes, one whose first part is still to be chosen stays.
  const emptied = new Set(
    removals.flatMap(({ path }) => (path[0] === 'scores' && path[2] === 'from' ? [path[1] as number] : [])),
  );
  return withoutEmptyScores(withoutIdleRules(next, goneRules, touched), emptied);
}

/**
 * A score item keeps naming the snapshot (and field) it was worked out from, and the number it divides by: its own
 * choice, not a list entry, so the validator says what to choose instead.
 */
const keptWhenGone = (reference: Reference): boolean =>
  reference.role === 'part' &&
  reference.path[0] === 'domains' &&
  (reference.path.at(-2) === 'from' || reference.path.at(-2) === 'per');

function renamed(instrument: Instrument, reference: Reference, name: string | number): Instrument {
  if (!reference.key) return setAt(instrument, reference.path, name);
  // A key keeps its place among the others.
  const owner = reference.path.slice(0, -1);
  const object = getAt(instrument, owner);
  if (!isObject(object)) return instrument;
  const entries = Object.entries(object).map(([key, value]) => [key === reference.name ? String(name) : key, value]);
  return setAt(instrument, owner, Object.fromEntries(entries));
}

function removed(instrument: Instrument, reference: Reference): Instrument {
  const { path } = reference;
  if (reference.key) {
    // The last weight gone, no weights are left: an empty object would only say the same less plainly.
    const next = setAt(instrument, path, undefined);
    const owner = getAt(next, path.slice(0, -1));
    return isObject(owner) && Object.keys(owner).length === 0 ? setAt(next, path.slice(0, -1), undefined) : next;
  }
  const last = path.at(-1);
  // A named score's part ({ "domain": "…" }) and a rule's section target are objects in a list: the whole entry goes.
  // So does (format 3) a snapshot score's condition on a field that is gone, from its group (all / any).
  const inMatch = reference.kind === 'field' && last === 'field' && typeof path.at(-2) === 'number';
  const inList =
    reference.path[0] === 'scores' || (reference.path[0] === 'rules' && reference.path[2] === 'then') || inMatch;
  const entry = typeof last === 'number' ? path : inList ? path.slice(0, -1) : undefined;
  if (entry === undefined) return setAt(instrument, path, undefined);
  const list = getAt(instrument, entry.slice(0, -1));
  const index = entry.at(-1);
  if (!Array.isArray(list) || typeof index !== 'number') return instrument;
  return setAt(
    instrument,
    entry.slice(0, -1),
    list.filter((_, i) => i !== index),
  );
}

/**
 * The rules that could never be decided gone; of the rules that lost targets (`touched`), empty target lists go, and
 * so does a rule left with nothing to do.
 */
function withoutIdleRules(instrument: Instrument, gone: ReadonlySet<number>, touched: ReadonlySet<number>): Instrument {
  const effects = ['notApplicable', 'show', 'require'] as const;
  const rules = instrument.rules.flatMap((rule, r) => {
    if (gone.has(r)) return [];
    if (!touched.has(r) || !isObject(rule.then)) return [rule];
    const empty = effects.filter((effect) => Array.isArray(rule.then[effect]) && rule.then[effect].length === 0);
    if (empty.length === 0) return [rule];
    const then = { ...rule.then };
    for (const effect of empty) delete then[effect];
    return effects.some((effect) => then[effect] !== undefined) ? [{ ...rule, then }] : [];
  });
  const same = rules.length === instrument.rules.length && rules.every((rule, r) => rule === instrument.rules[r]);
  return same ? instrument : { ...instrument, rules };
}

/** Named scores left with nothing to read (of `emptied`) go, and so does every mention of them in other scores. */
function withoutEmptyScores(instrument: Instrument, emptied: ReadonlySet<number>): Instrument {
  const scores = instrument.scores ?? [];
  const empty = scores.filter((score, s) => emptied.has(s) && Array.isArray(score.from) && score.from.length === 0);
  if (empty.length === 0) return instrument;
  const gone = new Set(empty.map((score) => score.id));
  const next = { ...instrument, scores: scores.filter((score) => !empty.includes(score)) };
  return changeReferences(
    next,
    (reference) => reference.kind === 'score' && gone.has(reference.name as string),
    () => undefined,
  );
}

/** Orders paths as the file does: segment by segment, positions as numbers. */
function comparePaths(a: Path, b: Path): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Whether a rule on this item tests for its look-fors by id: a rating, yes/no, choice or counter is tested for its
 * own answers (which may share a look-for's name), anything else for the look-fors seen.
 */
export const rulesTestLookFors = (item: Pick<Item, 'response'> | undefined): boolean =>
  !['rating', 'yes-no', 'choice', 'counter'].includes(item?.response?.type ?? '');

// ---------------------------------------------------------------------------------------------------------------
// The changes the editor's steps make.

/** Renames what names an entry of this kind (`scope`: for names that mean something only within one item). */
export const renameReferences = (
  instrument: Instrument,
  kinds: ReadonlyArray<Reference['kind']>,
  old: string | number,
  name: string,
  scope?: Reference['scope'],
): Instrument =>
  changeReferences(
    instrument,
    (reference) => kinds.includes(reference.kind) && reference.name === old && inScope(reference, scope),
    () => name,
  );

/** Removes what names these entries of this kind, and what cannot stand without it. */
export const removeReferences = (
  instrument: Instrument,
  kind: Reference['kind'],
  gone: ReadonlySet<string | number>,
  scope?: Reference['scope'],
): Instrument =>
  changeReferences(
    instrument,
    (reference) => reference.kind === kind && gone.has(reference.name) && inScope(reference, scope),
    () => undefined,
  );

/**
 * Changes the answers rules test an item for (`field`: a snapshot field of that item) and, for a snapshot field, the
 * answers a score counts (`undefined` drops an answer).
 */
export const mapRuleAnswers = (
  instrument: Instrument,
  itemId: string,
  change: (answer: string | number) => string | number | undefined,
  field?: string,
): Instrument =>
  changeReferences(
    instrument,
    (reference) =>
      reference.kind === 'answer' && inScope(reference, { item: itemId, ...(field !== undefined && { field }) }),
    (reference) => change(reference.name),
  );

const inScope = (reference: Reference, scope: Reference['scope']): boolean =>
  scope === undefined || (reference.scope?.item === scope.item && reference.scope?.field === scope.field);

// ---------------------------------------------------------------------------------------------------------------
// Descriptors written for a scale's band.

/** A descriptor key renamed (or with `undefined` removed), keeping its place among the others. */
function renamedKey(
  descriptors: Record<string, LocalizedText> | undefined,
  old: string,
  name: string | undefined,
): Record<string, LocalizedText> | undefined {
  if (!descriptors || !Object.hasOwn(descriptors, old)) return descriptors;
  const entries = Object.entries(descriptors).flatMap(([key, text]) =>
    key !== old ? [[key, text] as const] : name === undefined ? [] : [[name, text] as const],
  );
  return Object.fromEntries(entries);
}

/**
 * The descriptors written under a band's id (by an item rated on its scale, a score item read on it, a snapshot
 * field rated on it) follow the band when it is renamed, and go when it is removed (`name` undefined). Descriptor
 * keys are no names the reference model knows: a band is what they are written for, not what they point at.
 */
export function renameDescriptorKeys(
  instrument: Instrument,
  scaleId: string,
  old: string,
  name: string | undefined,
): Instrument {
  const withKeys = <T extends { descriptors?: Record<string, LocalizedText> }>(owner: T): T => {
    const descriptors = renamedKey(owner.descriptors, old, name);
    if (descriptors === owner.descriptors) return owner;
    const { descriptors: _old, ...rest } = owner;
    return (Object.keys(descriptors ?? {}).length > 0 ? { ...rest, descriptors } : rest) as T;
  };
  return mapItems(instrument, (item) => {
    const response = item.response;
    let next = item;
    if ((response?.type === 'rating' || response?.type === 'score') && response.scale === scaleId)
      next = withKeys(next);
    if (response?.type === 'snapshot' && Array.isArray(response.fields)) {
      const fields = response.fields.map((field) =>
        field.response?.type === 'rating' && field.response.scale === scaleId ? withKeys(field) : field,
      );
      if (fields.some((field, f) => field !== response.fields[f]))
        next = { ...next, response: { ...response, fields } };
    }
    return next;
  });
}

/** The descriptors written for a band of this scale that is gone. */
export const removeDescriptorKeys = (instrument: Instrument, scaleId: string, band: string): Instrument =>
  renameDescriptorKeys(instrument, scaleId, band, undefined);
