/**
 * Where a problem is, in the words of the file's own titles: `Domein "Leerklimaat", item 1.3 "De leerkracht …"`
 * beside `$.domains[0].items[2]`. A school leader finds a section by its title and an item by its number long
 * before they can count positions in a JSON path.
 *
 * It reads the raw data the validator was given, so it trusts nothing: a title that is missing or not a text is
 * left out, and the numbering (item 1.3, behaviour 1.3.2) counts positions, as the editor and the capture screen do.
 */
import { arrayOf, isObject, type Json, type Segments } from './json-guards';

export interface Place {
  nl: string;
  en: string;
}

type Language = keyof Place;

const WORDS = {
  domain: { nl: 'Domein', en: 'Section' },
  item: { nl: 'item', en: 'item' },
  lookFor: { nl: 'kijkpunt', en: 'look-for' },
  option: { nl: 'keuze', en: 'option' },
  group: { nl: 'groep', en: 'group' },
  field: { nl: 'veld', en: 'field' },
  band: { nl: 'band', en: 'band' },
  scale: { nl: 'Schaal', en: 'Scale' },
  level: { nl: 'niveau', en: 'level' },
  context: { nl: 'Contextveld', en: 'Context field' },
  rule: { nl: 'Regel', en: 'Rule' },
  map: { nl: 'Scoretabel', en: 'Score table' },
  entry: { nl: 'rij', en: 'row' },
  score: { nl: 'Score', en: 'Score' },
  condition: { nl: 'voorwaarde', en: 'condition' },
  case: { nl: 'geval', en: 'case' },
  count: { nl: 'telling', en: 'count' },
} satisfies Record<string, Place>;

/** Lists whose entries are named by a word, their position and a text of their own (or, for rules, their id). */
const LISTS: Partial<Record<string, { word: keyof typeof WORDS; name: 'text' | 'label' | 'id' | 'none' }>> = {
  lookFors: { word: 'lookFor', name: 'text' },
  options: { word: 'option', name: 'label' },
  groups: { word: 'group', name: 'label' },
  fields: { word: 'field', name: 'label' },
  bands: { word: 'band', name: 'label' },
  scales: { word: 'scale', name: 'label' },
  context: { word: 'context', name: 'label' },
  rules: { word: 'rule', name: 'id' },
  scoringMaps: { word: 'map', name: 'label' },
  entries: { word: 'entry', name: 'none' },
  scores: { word: 'score', name: 'label' },
  all: { word: 'condition', name: 'none' },
  any: { word: 'condition', name: 'none' },
  count: { word: 'condition', name: 'none' },
  patterns: { word: 'case', name: 'none' },
  when: { word: 'count', name: 'none' },
};

/** At most this many characters of a title or text: enough to recognise it, short enough for one line. */
const SHOWN = 40;

/** The place of `segments` in `data` in Dutch and English, or undefined for the file as a whole. */
export function describePlace(data: unknown, segments: Segments): Place | undefined {
  if (!isObject(data) || segments.length === 0) return undefined;
  const languages = arrayOf(data.languages).filter((l): l is string => typeof l === 'string');
  const nl = placeIn(data, segments, 'nl', languages);
  const en = placeIn(data, segments, 'en', languages);
  return nl === '' ? undefined : { nl, en };
}

function placeIn(data: Json, segments: Segments, language: Language, languages: string[]): string {
  const parts: string[] = [];
  const text = (value: unknown) => quoted(value, language, languages);
  let owner: unknown = data;
  let itemNumber = '';
  for (let i = 0; i < segments.length; i++) {
    const key = segments[i];
    const index = segments[i + 1];
    const list = isObject(owner) && typeof key === 'string' ? owner[key] : undefined;
    const entry = typeof index === 'number' ? arrayOf(list)[index] : undefined;
    const atEntry = typeof index === 'number' && isObject(entry);
    if (!atEntry) {
      // A field of an entry (`response`, `when`, `all`): walk on, naming only what has a name of its own.
      if (key === 'descriptors' && index !== undefined) {
        parts.push(`${WORDS.level[language]} ${String(index)}`);
        break;
      }
      owner = isObject(owner) && typeof key === 'string' ? owner[key] : undefined;
      continue;
    }
    const n = index + 1;
    if (key === 'domains' || key === 'items' || key === 'children') {
      itemNumber = key === 'domains' || itemNumber === '' ? `${n}` : `${itemNumber}.${n}`;
      const word = key === 'domains' ? WORDS.domain : WORDS.item;
      parts.push(`${word[language]} ${itemNumber}${text(key === 'domains' ? entry.title : entry.text)}`);
    } else if (key === 'levels') {
      parts.push(`${WORDS.level[language]} ${typeof entry.value === 'number' ? entry.value : n}${text(entry.label)}`);
    } else if (typeof key === 'string' && LISTS[key]) {
      const { word, name } = LISTS[key];
      const named = name === 'id' ? (typeof entry.id === 'string' ? ` (${shorten(entry.id)})` : '') : text(entry[name]);
      // A score table without a label is named by its id.
      const fallback =
        key === 'scoringMaps' && named === '' && typeof entry.id === 'string' ? ` (${shorten(entry.id)})` : '';
      parts.push(`${WORDS[word][language]} ${n}${named || fallback}`);
    }
    owner = entry;
    i++;
  }
  return parts.join(', ');
}

/** ` "Leerklimaat"` in the wanted language (else the file's first, else any), or nothing when there is no text. */
function quoted(value: unknown, language: Language, languages: string[]): string {
  if (!isObject(value)) return '';
  const candidates = [value[language], ...languages.map((l) => value[l]), ...Object.values(value)];
  const found = candidates.find((t): t is string => typeof t === 'string' && t.trim() !== '');
  return found === undefined ? '' : ` "${shorten(found.trim().replace(/\s+/g, ' '))}"`;
}

function shorten(text: string): string {
  const characters = [...text];
  return characters.length <= SHOWN ? text : `${characters.slice(0, SHOWN - 1).join('')}…`;
}
