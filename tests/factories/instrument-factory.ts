/**
 * Test data for instruments. `buildInstrument()` is small but uses every response type, an element with behaviours,
 * a reverse-keyed item, context fields and a rule, so a mutation of it can break any part of the format.
 */
import type { Instrument, Item, LocalizedText } from '../../src/core/instrument';

export const both = (nl: string, en: string = `${nl} (en)`): LocalizedText => ({ nl, en });

export function buildItem(id: string, overrides: Partial<Item> = {}): Item {
  return {
    id,
    text: both(`Item ${id}`),
    guidance: both(`Uitleg bij ${id}`),
    lookFors: [
      { id: 'lf1', text: both('Kijkpunt een') },
      { id: 'lf2', text: both('Kijkpunt twee') },
    ],
    response: { type: 'rating', scale: 'vier' },
    difficulty: 0,
    ...overrides,
  };
}

export function buildInstrument(overrides: Partial<Instrument> = {}): Instrument {
  return {
    $schema: './meekijken-instrument.schema.json',
    format: 1,
    id: 'test.instrument',
    version: '1.0.0',
    kind: 'observation',
    languages: ['nl', 'en'],
    title: both('Testinstrument', 'Test instrument'),
    description: both('Een instrument voor tests', 'An instrument for tests'),
    lessonMinutes: 45,
    scales: [
      {
        id: 'vier',
        label: both('Vierpuntsschaal', 'Four-point scale'),
        levels: [1, 2, 3, 4].map((value) => ({
          value,
          label: both(`Niveau ${value}`, `Level ${value}`),
          descriptor: both(`Beschrijving ${value}`, `Descriptor ${value}`),
        })),
        notObserved: { label: both('Niet gezien', 'Not observed') },
      },
    ],
    context: [
      { id: 'group', label: both('Groep', 'Group'), input: 'text' },
      { id: 'pupils', label: both('Aantal leerlingen', 'Number of pupils'), input: 'number', min: 1, max: 40 },
      {
        id: 'moment',
        label: both('Moment', 'Time of day'),
        input: 'choice',
        options: [
          { id: 'ochtend', label: both('Ochtend', 'Morning') },
          { id: 'middag', label: both('Middag', 'Afternoon') },
        ],
      },
    ],
    domains: [
      {
        id: 'klimaat',
        title: both('Klimaat', 'Climate'),
        description: both('Over het klimaat', 'About the climate'),
        items: [
          buildItem('k1', {
            difficulty: -1,
            descriptors: Object.fromEntries([1, 2, 3, 4].map((v) => [String(v), both(`Bij k1 niveau ${v}`)])),
          }),
          buildItem('k2', { reverse: true }),
          buildItem('k3', {
            response: { type: 'rating', scale: 'vier' },
            children: [buildItem('k3a'), buildItem('k3b')],
          }),
        ],
      },
      {
        id: 'overig',
        title: both('Overig', 'Other'),
        items: [
          buildItem('checklist', { response: { type: 'checklist' }, difficulty: undefined }),
          buildItem('janee', { response: { type: 'yes-no', allowNotObserved: true }, lookFors: undefined }),
          buildItem('keuze', {
            lookFors: undefined,
            response: {
              type: 'choice',
              options: [
                { id: 'a', label: both('Optie A') },
                { id: 'b', label: both('Optie B') },
              ],
            },
          }),
          buildItem('teller', {
            lookFors: undefined,
            response: {
              type: 'counter',
              min: 0,
              max: 40,
              bands: [
                { id: 'hoog', label: both('Hoog'), min: 0, max: 1 },
                { id: 'midden', label: both('Midden'), min: 2, max: 5 },
                { id: 'laag', label: both('Laag'), min: 6 },
              ],
            },
          }),
          buildItem('momenten', {
            lookFors: undefined,
            response: {
              type: 'snapshot',
              schedule: { everyMinutes: 5, fromMinute: 5, untilMinute: 40 },
              fields: [
                { id: 'off-task', label: both('Niet bij de taak'), response: { type: 'counter', min: 0, max: 40 } },
                {
                  id: 'activiteit',
                  label: both('Activiteit'),
                  response: {
                    type: 'choice',
                    options: [
                      { id: 'instructie', label: both('Instructie') },
                      { id: 'zelfstandig', label: both('Zelfstandig werken') },
                    ],
                  },
                },
              ],
            },
          }),
          buildItem('tekst', {
            lookFors: undefined,
            difficulty: undefined,
            response: { type: 'text', maxLength: 500, placeholder: both('Schrijf hier') },
          }),
        ],
      },
    ],
    rules: [{ id: 'geen-keuze', when: { item: 'janee', in: ['no'] }, then: { notApplicable: ['keuze'] } }],
    ...overrides,
  };
}

/** A deep copy to mutate freely in a test, typed loosely on purpose: broken files are not valid instruments. */
export function brokenCopy(mutate: (draft: Record<string, any>) => void): unknown {
  const draft = structuredClone(buildInstrument()) as Record<string, any>;
  mutate(draft);
  return draft;
}
