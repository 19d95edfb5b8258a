/**
 * Starting points: a new instrument to fill in, a new version of an installed one, or a copy of it with an id of
 * its own.
 */
import type { Instrument } from '../types';
import { INSTRUMENT_FORMAT_VERSION } from '../types';
import { compareVersions } from '../versions';
import { cloneJson } from './paths';
import { slugify, uniqueId } from './ids';
import { emptyText, starter, STARTER_TEXTS } from './texts';
import { starterScale } from './scales';
import { newItem } from './items';

/**
 * A new instrument to fill in: a four-point scale with its level names, the lesson's group and subject, and one
 * domain with one item. Its title, domain and item are empty: the editor asks for them.
 */
export function newInstrument(options: {
  languages: readonly string[];
  otherInstrumentIds?: readonly string[];
}): Instrument {
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
  const title = Object.fromEntries(
    Object.entries(copy.title).map(([language, text]) => [
      language,
      `${text}${language === 'en' ? STARTER_TEXTS.copy.en : STARTER_TEXTS.copy.nl}`,
    ]),
  );
  const primary = copy.languages[0] ?? 'nl';
  return {
    ...copy,
    title,
    id: uniqueId(slugify(title[primary] ?? '') || 'instrument', otherInstrumentIds),
    version: '1.0.0',
  };
}

/**
 * The instrument this one is a variant of (a self-assessment of an observation instrument, sharing its item ids so
 * the results can be set side by side), or none.
 */
export function setBasedOn(instrument: Instrument, basedOn: { id: string; version: string } | undefined): Instrument {
  if (!basedOn) {
    const { basedOn: _gone, ...rest } = instrument;
    return rest as Instrument;
  }
  return { ...instrument, basedOn: { id: basedOn.id, version: basedOn.version } };
}
