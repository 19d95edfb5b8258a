/**
 * The instrument editor's sections (src/ui/features/instruments/editor-sections.ts): one part of the instrument at a
 * time, named in the address, a long domain a page of items at a time, and every place (a field's, a problem's)
 * shown in the section that holds it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ITEMS_PER_PAGE,
  pageCount,
  pageItems,
  parseSection,
  sectionKey,
  sectionOf,
  sectionsInOrder,
  type EditorSection,
} from '../../src/ui/features/instruments/editor-sections';
import type { Instrument } from '../../src/core/instrument';

const lesobservatie = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '../../instruments/lesobservatie.json'), 'utf8'),
) as Instrument;

/** Two domains: one of 2 items, one long enough for three pages. */
const long: Instrument = {
  ...lesobservatie,
  domains: [
    { ...lesobservatie.domains[0]!, items: lesobservatie.domains[0]!.items.slice(0, 2) },
    {
      ...lesobservatie.domains[1]!,
      items: Array.from({ length: ITEMS_PER_PAGE * 2 + 1 }, (_, i) => ({
        ...lesobservatie.domains[1]!.items[0]!,
        id: `i${i}`,
      })),
    },
  ],
};

describe('the editor’s sections', () => {
  it('are named in the address and read back, domains and pages counted from 1 there', () => {
    const sections: EditorSection[] = [
      { kind: 'general' },
      { kind: 'scales' },
      { kind: 'context' },
      { kind: 'rules' },
      { kind: 'scores' },
      { kind: 'domain', domain: 0, page: 0 },
      { kind: 'domain', domain: 1, page: 2 },
    ];
    expect(sections.map(sectionKey)).toEqual([
      'general',
      'scales',
      'context',
      'rules',
      'scores',
      'domain-1',
      'domain-2-page-3',
    ]);
    for (const section of sections) expect(parseSection(sectionKey(section), long)).toEqual(section);
  });

  it('show the general part for no address or a strange one, and the last domain or page for one that has gone', () => {
    expect(parseSection(undefined, long)).toEqual({ kind: 'general' });
    expect(parseSection('items', long)).toEqual({ kind: 'general' });
    expect(parseSection('domain-0', long)).toEqual({ kind: 'domain', domain: 0, page: 0 });
    expect(parseSection('domain-9', long)).toEqual({ kind: 'domain', domain: 1, page: 0 });
    expect(parseSection('domain-1-page-4', long)).toEqual({ kind: 'domain', domain: 0, page: 0 });
    expect(parseSection('domain-2-page-9', long)).toEqual({ kind: 'domain', domain: 1, page: 2 });
  });

  it('go in the outline’s order, a long domain’s pages one by one', () => {
    expect(sectionsInOrder(long).map(sectionKey)).toEqual([
      'general',
      'scales',
      'context',
      'domain-1',
      'domain-2',
      'domain-2-page-2',
      'domain-2-page-3',
      'rules',
      'scores',
    ]);
    expect(pageCount(0)).toBe(1);
    expect(pageCount(ITEMS_PER_PAGE)).toBe(1);
    expect(pageCount(1_000)).toBe(Math.ceil(1_000 / ITEMS_PER_PAGE));
    expect(pageItems(2, ITEMS_PER_PAGE * 2 + 1)).toEqual({ from: ITEMS_PER_PAGE * 2, to: ITEMS_PER_PAGE * 2 + 1 });
  });

  it('hold every place of the instrument: a field’s or a problem’s goes to the section that shows it', () => {
    expect(sectionOf(['title', 'nl'], long)).toEqual({ kind: 'general' });
    expect(sectionOf([], long)).toEqual({ kind: 'general' });
    expect(sectionOf(['scales', 0, 'levels', 2, 'label', 'en'], long)).toEqual({ kind: 'scales' });
    expect(sectionOf(['context', 1, 'label'], long)).toEqual({ kind: 'context' });
    expect(sectionOf(['rules', 0, 'when', 'item'], long)).toEqual({ kind: 'rules' });
    expect(sectionOf(['scoringMaps', 0, 'entries', 1, 'min'], long)).toEqual({ kind: 'scores' });
    expect(sectionOf(['scores', 2, 'weights', 'klimaat'], long)).toEqual({ kind: 'scores' });
    expect(sectionOf(['scales', 0, 'bands', 1, 'label', 'nl'], long)).toEqual({ kind: 'scales' });
    expect(sectionOf(['domains', 1, 'title', 'nl'], long)).toEqual({ kind: 'domain', domain: 1, page: 0 });
    expect(sectionOf(['domains', 1, 'items', ITEMS_PER_PAGE + 3, 'text'], long)).toEqual({
      kind: 'domain',
      domain: 1,
      page: 1,
    });
  });

  it('keep a place that belongs to a whole domain (its list of items, the list of domains) on the page shown', () => {
    const page3: EditorSection = { kind: 'domain', domain: 1, page: 2 };
    expect(sectionOf(['domains', 1, 'items'], long, page3)).toEqual(page3);
    expect(sectionOf(['domains', 1], long, page3)).toEqual(page3);
    expect(sectionOf(['domains'], long, page3)).toEqual(page3);
    expect(sectionOf(['domains'], long, { kind: 'rules' })).toEqual({ kind: 'domain', domain: 0, page: 0 });
    expect(sectionOf(['domains', 0, 'items'], long, page3)).toEqual({ kind: 'domain', domain: 0, page: 0 });
  });
});
