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
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a broken file has no type: tests reach anywhere in it
export function brokenCopy(mutate: (draft: Record<string, any>) => void): unknown {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  const draft = structuredClone(buildInstrument()) as Record<string, any>;
  mutate(draft);
  return draft;
}

/**
 * A format 2 instrument that uses every addition: bands and a scoring map, a repeated section with a domain score,
 * a score item from behaviours and one from seen / not-seen look-fors, option groups, a snapshot at equal parts with
 * a reverse-keyed field, a self-rated item, a repeatable list, a date, and rules with show, require, any and count.
 */
export function buildInstrumentV2(): Instrument {
  const zeven = [1, 2, 3, 4, 5, 6, 7];
  return buildInstrument({
    format: 2,
    scales: [
      {
        id: 'zeven',
        label: both('Zevenpuntsschaal', 'Seven-point scale'),
        levels: zeven.map((value) => ({ value, label: both(`Niveau ${value}`, `Level ${value}`) })),
        bands: [
          { id: 'laag', label: both('Laag', 'Low'), min: 1, max: 2, descriptor: both('Zelden', 'Rarely') },
          { id: 'midden', label: both('Midden', 'Middle'), min: 3, max: 5, descriptor: both('Soms', 'Sometimes') },
          { id: 'hoog', label: both('Hoog', 'High'), min: 6, max: 7, descriptor: both('Vaak', 'Often') },
        ],
      },
      {
        id: 'vier',
        label: both('Vierpuntsschaal', 'Four-point scale'),
        levels: [1, 2, 3, 4].map((value) => ({ value, label: both(`Niveau ${value}`, `Level ${value}`) })),
        scoring: 'dicho',
      },
    ],
    scoringMaps: [
      {
        id: 'dicho',
        label: both('Goed of niet', 'Good or not'),
        entries: [
          { min: 1, max: 2, score: 0 },
          { min: 3, max: 4, score: 1 },
        ],
      },
    ],
    context: [
      { id: 'lesson-minutes', label: both('Lesduur', 'Lesson length'), input: 'number', min: 10, max: 120 },
      { id: 'datum', label: both('Datum', 'Date'), input: 'date' },
    ],
    domains: [
      {
        id: 'cyclus',
        title: both('Interactie', 'Interaction'),
        repeat: { label: both('Cyclus', 'Cycle'), min: 2, max: 6, minutes: 15 },
        score: { method: 'mean' },
        items: [
          buildItem('warmte', {
            response: { type: 'rating', scale: 'zeven' },
            lookFors: undefined,
            descriptors: { laag: both('Koel'), midden: both('Wisselend'), hoog: both('Warm') },
          }),
          buildItem('spanning', { response: { type: 'rating', scale: 'zeven' }, lookFors: undefined, reverse: true }),
          buildItem('toelichting', { response: { type: 'text' }, lookFors: undefined }),
        ],
      },
      {
        id: 'instructie',
        title: both('Instructie', 'Instruction'),
        score: { method: 'sum', weights: { element: 2 } },
        items: [
          buildItem('doel', { response: { type: 'rating', scale: 'vier' } }),
          buildItem('element', {
            lookFors: undefined,
            response: { type: 'score', from: 'children', method: 'mean' },
            children: [
              buildItem('gedrag-a', { response: { type: 'yes-no' }, lookFors: undefined }),
              buildItem('gedrag-b', { response: { type: 'yes-no' }, lookFors: undefined }),
            ],
          }),
          buildItem('kijkpunten', {
            lookForAnswer: 'seen-not-seen',
            response: { type: 'score', from: 'lookFors', method: 'mean' },
          }),
          buildItem('werkvorm', {
            lookFors: undefined,
            response: {
              type: 'choice',
              groups: [
                { id: 'klassikaal', label: both('Klassikaal', 'Whole class') },
                { id: 'zelfstandig', label: both('Zelfstandig', 'Independent') },
              ],
              options: [
                { id: 'uitleg', label: both('Uitleg', 'Explanation'), group: 'klassikaal' },
                { id: 'gesprek', label: both('Gesprek', 'Discussion'), group: 'klassikaal' },
                { id: 'taak', label: both('Taak', 'Task'), group: 'zelfstandig' },
              ],
            },
          }),
          buildItem('vervolg', { lookFors: undefined, response: { type: 'text' }, required: false }),
        ],
      },
      {
        id: 'tijd',
        title: both('Tijd', 'Time'),
        items: [
          buildItem('betrokken', {
            lookFors: undefined,
            response: {
              type: 'snapshot',
              schedule: { equalParts: 5 },
              fields: [
                {
                  id: 'taakgericht',
                  label: both('Taakgericht', 'On task'),
                  response: { type: 'counter', min: 0, max: 40 },
                },
                {
                  id: 'onrust',
                  label: both('Onrust', 'Unrest'),
                  reverse: true,
                  response: { type: 'rating', scale: 'zeven' },
                  descriptors: { laag: both('Rustig'), midden: both('Wat onrust'), hoog: both('Onrustig') },
                },
              ],
            },
          }),
        ],
      },
      {
        id: 'zelf',
        title: both('Zelf', 'Self'),
        answeredBy: 'observed',
        items: [
          buildItem('zelfbeeld', { response: { type: 'rating', scale: 'vier' }, lookFors: undefined }),
          buildItem('tops', {
            lookFors: undefined,
            response: { type: 'text', repeatable: true, maxEntries: 5, maxLength: 200 },
          }),
          buildItem('wanneer', { lookFors: undefined, response: { type: 'date' } }),
        ],
      },
    ],
    rules: [
      { id: 'spanning-toelichten', when: { item: 'spanning', atLeast: 5 }, then: { require: ['toelichting'] } },
      {
        id: 'vervolg-tonen',
        when: {
          any: [
            { item: 'doel', in: [1, 2] },
            { item: 'werkvorm', in: ['taak'] },
          ],
        },
        then: { show: ['vervolg'] },
      },
      {
        id: 'onrust-vaak',
        when: {
          count: [
            { item: 'betrokken', field: 'onrust', atLeast: 6 },
            { item: 'betrokken', field: 'taakgericht', atMost: 10 },
          ],
          atLeast: 1,
        },
        then: { require: ['vervolg'] },
      },
    ],
    scores: [
      { id: 'interactie', label: both('Interactie', 'Interaction'), method: 'mean', from: [{ domain: 'cyclus' }] },
      {
        id: 'totaal',
        label: both('Totaal', 'Total'),
        method: 'mean',
        weights: { interactie: 2 },
        from: [{ score: 'interactie' }, { domain: 'instructie' }],
      },
    ],
  });
}
