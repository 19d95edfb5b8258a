import type { Domain, Instrument, Item, LocalizedText } from './types';

/**
 * Picks the text in the wanted language, falling back to the instrument's first language and then to any text, so
 * a screen never shows an empty label for an instrument that was written in fewer languages than the app speaks.
 */
export function localize(text: LocalizedText | undefined, language: string, fallback?: string): string {
  if (!text) return '';
  return text[language] ?? (fallback !== undefined ? text[fallback] : undefined) ?? Object.values(text)[0] ?? '';
}

/** Items and the behaviours under them, in reading order (an element before its behaviours). */
export function flattenItems(items: readonly Item[]): Item[] {
  return items.flatMap((item) => [item, ...flattenItems(item.children ?? [])]);
}

/** Every item of an instrument in reading order. */
export function allItems(instrument: Instrument): Item[] {
  return instrument.domains.flatMap((domain) => flattenItems(domain.items));
}

/** Which repetitions a repeated section shares: its repeat group, or the section itself. */
export const repeatKey = (domain: Pick<Domain, 'id' | 'repeat'>): string => domain.repeat?.group ?? domain.id;
