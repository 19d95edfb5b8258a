/**
 * Texts in the instrument's languages: the starting texts the editor writes, one language of a text set (with the
 * entry's id following it), and the instrument's languages changed in every text at once.
 */
import type { Instrument, LocalizedText } from '../types';
import { getAt, isObject, setAt, type Json, type Path } from './paths';
import { entryKind, followText, ID_SOURCE, type EditContext } from './ids';

export const emptyText = (languages: readonly string[]): LocalizedText =>
  Object.fromEntries(languages.map((language) => [language, '']));

/** Texts the editor writes into a new instrument, in the languages it knows (others start empty). */
export const STARTER_TEXTS = {
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

export const starter = (texts: Record<'nl' | 'en', string>, languages: readonly string[]): LocalizedText =>
  Object.fromEntries(
    languages.map((language) => [language, language === 'nl' || language === 'en' ? texts[language] : '']),
  );

/**
 * Sets one language of the text at `path`. An optional text (guidance, a description) emptied in every language
 * is removed, so "no guidance" is not an error; a required one keeps its empty strings, which the validator names.
 */
export function setText(
  instrument: Instrument,
  path: Path,
  language: string,
  value: string,
  options: { optional?: boolean } = {},
): Instrument {
  const current = getAt(instrument, path);
  const next: LocalizedText = { ...(isObject(current) ? (current as LocalizedText) : {}), [language]: value };
  if (options.optional && Object.values(next).every((text) => text === '')) return setAt(instrument, path, undefined);
  return setAt(instrument, path, next);
}

/**
 * Sets one language of the text `key` of the entry at `ownerPath` (an item's "text", a domain's "title"), and lets
 * the entry's id follow the text while it was made from it (see `followText`).
 */
export function editText(
  instrument: Instrument,
  ownerPath: Path,
  key: string,
  language: string,
  value: string,
  context: EditContext = {},
  options: { optional?: boolean } = {},
): Instrument {
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
  isObject(value) &&
  Object.keys(value).length > 0 &&
  Object.entries(value).every(([key, text]) => languages.has(key) && typeof text === 'string');

function mapTexts(
  value: unknown,
  languages: ReadonlySet<string>,
  change: (text: LocalizedText) => LocalizedText,
): unknown {
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
  const next = [
    ...before.filter((language) => languages.includes(language)),
    ...languages.filter((language) => !before.includes(language)),
  ];
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
