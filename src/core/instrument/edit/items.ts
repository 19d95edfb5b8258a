/**
 * Domains and their items: a new domain, item, look-for or choice option, and an item's kind of answer with what
 * only some answers have (descriptors per level, reverse scoring, choice options).
 */
import type { ChoiceOption, Domain, Instrument, Item, LookFor, Response, Scale } from '../types';
import { getAt, inFormat2, setAt, type Path } from './paths';
import { freshId, uniqueId } from './ids';
import { everyItem, mapRuleAnswers } from './references';
import { emptyText } from './texts';
import { insertEntry } from './lists';
import { newSnapshot } from './snapshots';

export function newItem(id: string, languages: readonly string[], scales: readonly Scale[]): Item {
  const scale = scales[0];
  return { id, text: emptyText(languages), response: scale ? { type: 'rating', scale: scale.id } : { type: 'yes-no' } };
}

export function addDomain(instrument: Instrument): { instrument: Instrument; index: number } {
  const languages = instrument.languages;
  const id = freshId(instrument, ['domains'], 'domain');
  const itemId = uniqueId(
    'item',
    everyItem(instrument).map((item) => item.id),
  );
  const domain: Domain = { id, title: emptyText(languages), items: [newItem(itemId, languages, instrument.scales)] };
  return insertEntry(instrument, ['domains'], domain);
}

/** Adds an empty item to a domain (after `after`, or at its end), rated on the first scale. */
export function addItem(
  instrument: Instrument,
  domainIndex: number,
  after?: number,
): { instrument: Instrument; index: number } {
  const listPath = ['domains', domainIndex, 'items'];
  const item = newItem(freshId(instrument, listPath, 'item'), instrument.languages, instrument.scales);
  return insertEntry(instrument, listPath, item, after === undefined ? undefined : after + 1);
}

/**
 * Adds a behaviour under an element (an item's `children`), rated on the first scale. Only an item of a domain has
 * behaviours: one level, as the format allows.
 */
export function addChild(instrument: Instrument, itemPath: Path): { instrument: Instrument; index: number } {
  const listPath = [...itemPath, 'children'];
  const child = newItem(freshId(instrument, listPath, 'behaviour'), instrument.languages, instrument.scales);
  return insertEntry(instrument, listPath, child);
}

/**
 * Adds a band a counter's count is read in (an item's counter or a snapshot field's), above the last one: from one
 * past its top, open upwards. An open top band gets its own lower bound as its top, so the bands still meet.
 */
export function addCounterBand(instrument: Instrument, responsePath: Path): { instrument: Instrument; index: number } {
  const listPath = [...responsePath, 'bands'];
  const response = getAt(instrument, responsePath) as { min?: unknown; bands?: unknown } | undefined;
  const bands = Array.isArray(response?.bands) ? (response.bands as Array<{ min?: unknown; max?: unknown }>) : [];
  const last = bands.at(-1);
  const bottom = typeof response?.min === 'number' ? response.min : 0;
  let next = instrument;
  let min = bottom;
  if (last && typeof last.max === 'number') min = last.max + 1;
  else if (last) {
    const lastMin = typeof last.min === 'number' ? last.min : bottom;
    next = setAt(next, [...listPath, bands.length - 1, 'max'], lastMin);
    min = lastMin + 1;
  }
  const band = { id: freshId(next, listPath, 'band'), label: emptyText(instrument.languages), min };
  return insertEntry(next, listPath, band);
}

export function addLookFor(instrument: Instrument, itemPath: Path): { instrument: Instrument; index: number } {
  const listPath = [...itemPath, 'lookFors'];
  const lookFor: LookFor = { id: freshId(instrument, listPath, 'look-for'), text: emptyText(instrument.languages) };
  return insertEntry(instrument, listPath, lookFor);
}

/** Adds a choice option to the list at `listPath` (a choice item's or a context field's options). */
export function addOption(instrument: Instrument, listPath: Path): { instrument: Instrument; index: number } {
  const option: ChoiceOption = { id: freshId(instrument, listPath, 'option'), label: emptyText(instrument.languages) };
  return insertEntry(instrument, listPath, option);
}

// ---------------------------------------------------------------------------------------------------------------
// An item's answer.

/** The response types the editor offers: every type of the format. */
export const EDITABLE_RESPONSE_TYPES = [
  'rating',
  'checklist',
  'yes-no',
  'choice',
  'counter',
  'text',
  'date',
  'time',
  'snapshot',
  'score',
] as const;
/** Parts of format 2 an instrument in format 1 may not use: choosing one moves the instrument to format 2. */
const FORMAT_2_TYPES = new Set<string>(['date', 'time', 'score']);
export const inFormatFor = (instrument: Instrument, type: string): Instrument =>
  FORMAT_2_TYPES.has(type) && instrument.format < 2 ? { ...instrument, format: 2 } : instrument;
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
        : type === 'snapshot'
          ? newSnapshot(languages)
          : type === 'score'
            ? {
                type,
                method: 'mean',
                from: item.children ? 'children' : item.lookFors ? 'lookFors' : { items: [] },
              }
            : { type };
  const { descriptors: _descriptors, reverse: _reverse, ...rest } = item;
  const next = setAt(inFormatFor(instrument, type), itemPath, { ...(type === 'rating' ? item : rest), response });
  return mapRuleAnswers(next, item.id, () => undefined);
}

/**
 * Descriptors of this item for every level of its scale, or (format 2) for every band when the scale has bands
 * (empty, to write), or none (the scale's own apply).
 */
export function setItemDescriptors(instrument: Instrument, itemPath: Path, on: boolean): Instrument {
  const item = getAt(instrument, itemPath) as Item | undefined;
  if (!item) return instrument;
  if (!on) return setAt(instrument, [...itemPath, 'descriptors'], undefined);
  const scale =
    item.response?.type === 'rating'
      ? instrument.scales.find((s) => s.id === (item.response as { scale: string }).scale)
      : undefined;
  const existing = item.descriptors ?? {};
  const keys = scale?.bands ? scale.bands.map((band) => band.id) : (scale?.levels ?? []).map((l) => String(l.value));
  const descriptors = Object.fromEntries(keys.map((key) => [key, existing[key] ?? emptyText(instrument.languages)]));
  return setAt(instrument, [...itemPath, 'descriptors'], descriptors);
}

/**
 * (format 2) A snapshot field's own descriptors, rated on a scale as an item is: per level, or per band on a scale
 * with bands; or none (the scale's own apply).
 */
export const setFieldDescriptors = (instrument: Instrument, fieldPath: Path, on: boolean): Instrument =>
  setItemDescriptors(on ? inFormat2(instrument) : instrument, fieldPath, on);

// ---------------------------------------------------------------------------------------------------------------
// (format 2) What else an item has: required or not, how its look-fors are answered, a list of texts, headings
// over its choices.

/** `default`: as its kind of answer says (absent); `required`: completion waits for it; `optional`: never open. */
export type Requirement = 'default' | 'required' | 'optional';

export function setRequired(instrument: Instrument, itemPath: Path, requirement: Requirement): Instrument {
  const value = requirement === 'default' ? undefined : requirement === 'required';
  return setAt(value === undefined ? instrument : inFormat2(instrument), [...itemPath, 'required'], value);
}

/** `tick` (the default, written as nothing): a look-for is ticked when seen; `seen-not-seen`: each is answered. */
export function setLookForAnswer(instrument: Instrument, itemPath: Path, answer: 'tick' | 'seen-not-seen'): Instrument {
  const value = answer === 'tick' ? undefined : answer;
  return setAt(value === undefined ? instrument : inFormat2(instrument), [...itemPath, 'lookForAnswer'], value);
}

/** A text answered as a list of entries (tops, tips), or as one text; its most entries go with the list. */
export function setRepeatable(instrument: Instrument, itemPath: Path, on: boolean): Instrument {
  const path = [...itemPath, 'response'];
  if (on) return setAt(inFormat2(instrument), [...path, 'repeatable'], true);
  return setAt(setAt(instrument, [...path, 'repeatable'], undefined), [...path, 'maxEntries'], undefined);
}

/**
 * Adds a heading to a choice's options (`responsePath`: an item's or a snapshot field's response). The first
 * heading takes every option under it: once there are headings, every option names one.
 */
export function addOptionGroup(instrument: Instrument, responsePath: Path): { instrument: Instrument; index: number } {
  const listPath = [...responsePath, 'groups'];
  const group = { id: freshId(instrument, listPath, 'group'), label: emptyText(instrument.languages) };
  const first = !Array.isArray(getAt(instrument, listPath));
  let next = inFormat2(instrument);
  if (first) {
    const options = getAt(next, [...responsePath, 'options']);
    if (Array.isArray(options))
      next = setAt(
        next,
        [...responsePath, 'options'],
        options.map((option: ChoiceOption) => ({ ...option, group: group.id })),
      );
  }
  return insertEntry(next, listPath, group);
}

/** Whether an item offers a note by default: every item except free text (its text is the note). */
export const evidenceByDefault = (item: Pick<Item, 'response'>): boolean => item.response?.type !== 'text';

/** Whether the observer can add a note to an item; the default is not written down. */
export function setEvidence(instrument: Instrument, itemPath: Path, on: boolean): Instrument {
  const item = getAt(instrument, itemPath) as Item | undefined;
  if (!item) return instrument;
  return setAt(instrument, [...itemPath, 'evidence'], on === evidenceByDefault(item) ? undefined : on);
}
