import type { Instrument, Item, LocalizedText } from './types';

/**
 * Picks the text in the wanted language, falling back to the instrument's first language and then to any text, so
 * a screen never shows an empty label for an instrument that was written in fewer languages than the app speaks.
 */
export function localize(text: LocalizedText | undefined, language: string, fallback?: string): string {
  if (!text) return '';
  return text[language] ?? (fallback !== undefined ? text[fallback] : undefined) ?? Object.values(text)[0] ?? '';
}

/** Every item of an instrument in reading order, elements before the behaviours under them. */
export function allItems(instrument: Instrument): Item[] {
  const out: Item[] = [];
  const visit = (item: Item) => {
    out.push(item);
    item.children?.forEach(visit);
  };
  for (const domain of instrument.domains) domain.items.forEach(visit);
  return out;
}
