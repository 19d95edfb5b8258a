/**
 * Scales and their levels: a new scale, levels added, removed, moved and renumbered with the item descriptors and
 * rule answers that name them, and a scale's descriptors and "not observed" switched on or off.
 */
import type { Instrument, Item, LocalizedText, Scale, ScaleBand, ScaleLevel } from '../types';
import { getAt, inFormat2, setAt, updateAt } from './paths';
import { freshId } from './ids';
import { everyItem, mapItems, mapRuleAnswers } from './references';
import { emptyText, starter, STARTER_TEXTS } from './texts';
import { insertEntry, removeEntry } from './lists';

export function starterScale(id: string, languages: readonly string[]): Scale {
  return {
    id,
    label: starter(STARTER_TEXTS.scale, languages),
    levels: STARTER_TEXTS.levels.map((label, i) => ({ value: i + 1, label: starter(label, languages) })),
  };
}

export function addScale(instrument: Instrument): { instrument: Instrument; index: number } {
  return insertEntry(
    instrument,
    ['scales'],
    starterScale(freshId(instrument, ['scales'], 'scale'), instrument.languages),
  );
}

const onScale = (scaleId: string) => (item: Item) =>
  item.response?.type === 'rating' && item.response.scale === scaleId;

/** Renames item descriptor keys and rule answers of the items rated on a scale, value by value. */
function remapLevelValues(
  instrument: Instrument,
  scaleId: string,
  map: (value: number) => number | undefined,
): Instrument {
  const rated = everyItem(instrument)
    .filter(onScale(scaleId))
    .map((item) => item.id);
  let next = mapItems(instrument, (item) => {
    if (!onScale(scaleId)(item) || !item.descriptors) return item;
    const descriptors: Record<string, LocalizedText> = {};
    for (const [key, text] of Object.entries(item.descriptors)) {
      const value = map(Number(key));
      if (value !== undefined) descriptors[String(value)] = text;
    }
    return { ...item, descriptors };
  });
  for (const id of rated)
    next = mapRuleAnswers(next, id, (answer) => (typeof answer === 'number' ? map(answer) : answer));
  return next;
}

/** Adds a level above the highest; items with their own descriptors on this scale get an empty one for it. */
export function addLevel(instrument: Instrument, scaleIndex: number): { instrument: Instrument; index: number } {
  const scale = instrument.scales[scaleIndex];
  if (!scale) return { instrument, index: -1 };
  const values = scale.levels.map((level) => level.value).filter((value) => Number.isFinite(value));
  const value = values.length > 0 ? Math.max(...values) + 1 : 1;
  const languages = instrument.languages;
  const level: ScaleLevel = {
    value,
    label: emptyText(languages),
    ...(scale.levels.some((l) => l.descriptor) ? { descriptor: emptyText(languages) } : {}),
  };
  const added = insertEntry(instrument, ['scales', scaleIndex, 'levels'], level);
  const next = mapItems(added.instrument, (item) =>
    onScale(scale.id)(item) && item.descriptors
      ? { ...item, descriptors: { ...item.descriptors, [String(value)]: emptyText(languages) } }
      : item,
  );
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
export function moveLevel(
  instrument: Instrument,
  scaleIndex: number,
  levelIndex: number,
  delta: number,
): { instrument: Instrument; index: number } {
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
export function setLevelValue(
  instrument: Instrument,
  scaleIndex: number,
  levelIndex: number,
  value: number,
): Instrument {
  const scale = instrument.scales[scaleIndex];
  const level = scale?.levels[levelIndex];
  if (!scale || !level) return instrument;
  const next = setAt(instrument, ['scales', scaleIndex, 'levels', levelIndex, 'value'], value);
  if (!Number.isFinite(value) || scale.levels.some((other, i) => i !== levelIndex && other.value === value))
    return next;
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
  return getAt(instrument, path)
    ? instrument
    : setAt(instrument, path, { label: starter(STARTER_TEXTS.notObserved, instrument.languages) });
}

/**
 * (format 2) Adds a band of levels to a scale: from the level after the last band to the highest level (the whole
 * scale for the first band), for the author to narrow. Removed or renamed, a band takes along the descriptors
 * written for it (`removeEntry`, `renameId`).
 */
export function addBand(instrument: Instrument, scaleIndex: number): { instrument: Instrument; index: number } {
  const scale = instrument.scales[scaleIndex];
  if (!scale) return { instrument, index: -1 };
  const values = scale.levels
    .map((level) => level.value)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const lastMax = scale.bands?.at(-1)?.max;
  const min = (lastMax === undefined ? values[0] : values.find((value) => value > lastMax)) ?? (lastMax ?? 0) + 1;
  const band: ScaleBand = {
    id: freshId(instrument, ['scales', scaleIndex, 'bands'], 'band'),
    label: emptyText(instrument.languages),
    min,
    max: Math.max(min, values.at(-1) ?? min),
  };
  return insertEntry(inFormat2(instrument), ['scales', scaleIndex, 'bands'], band);
}
