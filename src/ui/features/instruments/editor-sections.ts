/**
 * The instrument editor shows one section at a time: the general part, the scales, the questions about the lesson,
 * one domain, the rules or the scores (format 2: scoring maps, named scores and how they are worked out). A domain with many items shows them a page at a time, so what is drawn stays small for
 * the largest instrument the validator allows (a list of 1,000 items). The section is named in the address
 * (`?section=domain-3`, `domain-3-page-2`), so a reload and back/forward keep it.
 */
import type { Segment } from '../../../core/instrument/edit';
import type { Instrument } from '../../../core/instrument';

/** The items a domain's section draws at once; a domain with more shows them a page at a time. */
export const ITEMS_PER_PAGE = 40;

export type EditorSection =
  | { kind: 'general' | 'scales' | 'context' | 'rules' | 'scores' }
  /** `domain` and `page` count from 0. */
  | { kind: 'domain'; domain: number; page: number };

const PLAIN = ['general', 'scales', 'context', 'rules', 'scores'] as const;

/** How the address names a section; domains and pages count from 1 there, as on screen. */
export function sectionKey(section: EditorSection): string {
  if (section.kind !== 'domain') return section.kind;
  return section.page > 0 ? `domain-${section.domain + 1}-page-${section.page + 1}` : `domain-${section.domain + 1}`;
}

const domainCount = (instrument: Instrument) => (Array.isArray(instrument.domains) ? instrument.domains.length : 0);

const itemCount = (instrument: Instrument, domain: number) => {
  const items = Array.isArray(instrument.domains) ? instrument.domains[domain]?.items : undefined;
  return Array.isArray(items) ? items.length : 0;
};

/** The pages of a domain's items (at least one, also for a domain without items). */
export function pageCount(items: number): number {
  return Math.max(1, Math.ceil(items / ITEMS_PER_PAGE));
}

/** A domain's page, kept within the instrument as it stands (a domain or page that has gone shows its last one). */
function domainSection(instrument: Instrument, domain: number, page: number): EditorSection {
  const d = Math.max(0, Math.min(domain, domainCount(instrument) - 1));
  const p = Math.max(0, Math.min(page, pageCount(itemCount(instrument, d)) - 1));
  return { kind: 'domain', domain: d, page: p };
}

/** The section an address names; the general part when it names none (or one the instrument does not have). */
export function parseSection(key: string | undefined, instrument: Instrument): EditorSection {
  const plain = PLAIN.find((kind) => kind === key);
  if (plain) return { kind: plain };
  const match = /^domain-(\d{1,4})(?:-page-(\d{1,4}))?$/.exec(key ?? '');
  if (match) return domainSection(instrument, Number(match[1]) - 1, match[2] ? Number(match[2]) - 1 : 0);
  return { kind: 'general' };
}

export function sameSection(a: EditorSection, b: EditorSection): boolean {
  return sectionKey(a) === sectionKey(b);
}

/**
 * The section that shows a place of the instrument (a field's path, or a problem's). A place that belongs to a
 * domain as a whole (its list of items, where "add item" is; the list of domains) stays in `current` when that is
 * one of its pages.
 */
export function sectionOf(segments: readonly Segment[], instrument: Instrument, current?: EditorSection): EditorSection {
  const [first, domain, list, item] = segments;
  if (first === 'scales' || first === 'context' || first === 'rules') return { kind: first };
  if (first === 'scoringMaps' || first === 'scores') return { kind: 'scores' };
  if (first !== 'domains') return { kind: 'general' };
  const inCurrent = current?.kind === 'domain';
  if (typeof domain !== 'number') return inCurrent ? current : domainSection(instrument, 0, 0);
  if (list === 'items' && typeof item === 'number') return domainSection(instrument, domain, Math.floor(item / ITEMS_PER_PAGE));
  if (inCurrent && current.domain === domain) return current;
  return domainSection(instrument, domain, 0);
}

/** Every section in the order of the outline, a long domain's pages one by one: for "previous" and "next". */
export function sectionsInOrder(instrument: Instrument): EditorSection[] {
  const domains = Array.from({ length: domainCount(instrument) }, (_, d) =>
    Array.from({ length: pageCount(itemCount(instrument, d)) }, (_, page): EditorSection => ({ kind: 'domain', domain: d, page })),
  );
  return [{ kind: 'general' }, { kind: 'scales' }, { kind: 'context' }, ...domains.flat(), { kind: 'rules' }, { kind: 'scores' }];
}

/** The first and last item (counting from 0) a domain's page shows. */
export function pageItems(page: number, items: number): { from: number; to: number } {
  const from = page * ITEMS_PER_PAGE;
  return { from, to: Math.min(items, from + ITEMS_PER_PAGE) };
}
