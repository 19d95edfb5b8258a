/**
 * Six well-known kinds of instrument, written in format 2 or 3 (tests/fixtures/instruments), in our own words: each must
 * pass the validator, must really use the construct it is there for, and must score as the instrument intends
 * (checked against expectations worked out by hand).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInstrument, validateInstrument } from '../../src/core/instrument/validate';
import { allItems, type Instrument, type Item, type ScoringMap } from '../../src/core/instrument';
import { mapValue, scoreBand, scoreObservation } from '../../src/core/instrument/scoring';
import { observationProgress, type ResponseContent } from '../../src/core/observation/progress';
import { ruleOutcome } from '../../src/core/observation/rules';
import { LESSON_MINUTES_FIELD, snapshotMinutes } from '../../src/core/observation/snapshots';

const DIR = path.resolve(__dirname, '../fixtures/instruments');
const FILES = [
  'class-style.json',
  'danielson-style.json',
  'icalt-style.json',
  'peer-feedback.json',
  'stallings-style.json',
  'teach-style.json',
];

function load(file: string): Instrument {
  const result = parseInstrument(readFileSync(path.join(DIR, file), 'utf8'));
  if (!result.ok) throw new Error(`${file}: ${result.problems.map((p) => `${p.path} ${p.message.en}`).join('; ')}`);
  return result.instrument;
}

/** Answers keyed as an observation keys them (`item`, or `item#2` in the second repetition). */
const answers = (entries: Record<string, Partial<ResponseContent>>): Map<string, ResponseContent> =>
  new Map(Object.entries(entries).map(([key, value]) => [key, { lookFors: [], ...value }]));
const byId = (instrument: Instrument): Map<string, Item> =>
  new Map(allItems(instrument).map((item) => [item.id, item]));
const item = (instrument: Instrument, id: string): Item => {
  const found = byId(instrument).get(id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
};
const scoringMap = (instrument: Instrument, id: string): ScoringMap => {
  const found = instrument.scoringMaps?.find((m) => m.id === id);
  if (!found) throw new Error(`no scoring map ${id}`);
  return found;
};
/** A map whose ranges meet: each range ends (`below`) where the next begins, and only the last one has a `max`. */
const expectMeetingRanges = (map: ScoringMap) => {
  map.entries
    .slice(0, -1)
    .forEach((entry, i) => expect(entry.below, `${map.id} entry ${i}`).toBe(map.entries[i + 1]!.min));
  expect(map.entries.at(-1)?.max, map.id).toBeDefined();
};
/** The repetition count the capture starts for a group of sections repeated together: the same for each of them. */
const cyclesOfGroup = (instrument: Instrument, group: string, count: number): Record<string, number> =>
  Object.fromEntries(instrument.domains.filter((d) => d.repeat?.group === group).map((d) => [d.id, count]));

describe('the example instruments', () => {
  it('are the six, and nothing else sits in the folder', () => {
    expect(readdirSync(DIR).sort()).toEqual(FILES);
  });

  it.each(FILES)('%s passes the validator, in Dutch and English, in the lowest format that holds it', (file) => {
    const result = parseInstrument(readFileSync(path.join(DIR, file), 'utf8'));
    expect(result.problems.map((p) => `${p.path}: ${p.message.en}`)).toEqual([]);
    const instrument = load(file);
    expect([2, 3]).toContain(instrument.format);
    expect(instrument.languages).toEqual(['nl', 'en']);
    // A format lower than the file's is refused for what the file uses of its own format.
    const lower = validateInstrument({ ...instrument, format: instrument.format - 1 });
    expect(lower.problems.map((p) => p.code)).toContain(`needsFormat${instrument.format}`);
  });

  it('have ids of their own', () => {
    const ids = FILES.map((file) => load(file).id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('a Danielson-style rubric', () => {
  const instrument = load('danielson-style.json');
  const components = instrument.domains.flatMap((d) => d.items);

  it('has four domains of components, each read on four levels described in the component’s own words', () => {
    expect(instrument.domains.map((d) => d.id)).toEqual(['planning', 'klimaat', 'instructie', 'professionaliteit']);
    // One scale of four levels for everything; each component describes the levels for itself.
    expect(instrument.scales.map((s) => s.id)).toEqual(['niveau']);
    expect(instrument.scales[0]?.levels.map((l) => l.value)).toEqual([1, 2, 3, 4]);
    expect(components).toHaveLength(12);
    for (const component of components) {
      expect(component.response, component.id).toMatchObject({ type: 'score', scale: 'niveau' });
      expect(Object.keys(component.descriptors ?? {}), component.id).toEqual(['1', '2', '3', '4']);
      expect(
        Object.values(component.descriptors ?? {}).every((d) => d.nl && d.en),
        component.id,
      ).toBe(true);
    }
    const lowest = components.map((c) => c.descriptors?.['1']?.en);
    expect(new Set(lowest).size).toBe(components.length);
  });

  it('derives a component score from its elements, a domain score (mean) and a weighted overall score', () => {
    for (const component of components) {
      expect(component.response).toMatchObject({ type: 'score', from: 'children', method: 'mean' });
      expect(component.children?.length, component.id).toBeGreaterThanOrEqual(2);
      expect(component.children?.every((c) => c.response.type === 'rating' && c.response.scale === 'niveau')).toBe(
        true,
      );
    }
    expect(instrument.domains.every((d) => d.score?.method === 'mean')).toBe(true);
    const overall = instrument.scores?.find((s) => s.id === 'totaal');
    expect(overall).toMatchObject({ method: 'mean', weights: { klimaat: 2, instructie: 2 } });
    expect(overall?.from).toHaveLength(4);
  });

  it('scores a lesson: elements → component level (exactly between two levels: the higher) → domain mean → weighted overall score', () => {
    const rated = (values: Record<string, Array<number | 'not-observed'>>) =>
      answers(
        Object.fromEntries(
          Object.entries(values).flatMap(([component, levels]) =>
            levels.map((rating, i) => [`${component}-${i + 1}`, { rating }]),
          ),
        ),
      );
    const sheet = scoreObservation(
      instrument,
      rated({
        vakkennis: [3, 3, 4], // mean 3.33 → level 3
        leerdoelen: [2, 2], // 2
        ontwerp: [4, 4, 3], // 3.67 → 4
        relatie: [3, 4], // 3.5, exactly between: → 4
        leercultuur: [3, 3, 2], // 2.67 → 3
        routines: [3, 3, 3], // 3
        communicatie: [2, 2, 3], // 2.33 → 2
        gesprek: [1, 2], // 1.5, exactly between: → 2
        betrokkenheid: [2, 3, 3], // 2.67 → 3
        reflectie: ['not-observed', 'not-observed'], // no evidence: no score
        ouders: [3, 3], // 3
        groei: [4, 4], // 4
      }),
    );
    expect(Object.fromEntries(components.map((c) => [c.id, sheet.items.get(c.id)]))).toEqual({
      vakkennis: 3,
      leerdoelen: 2,
      ontwerp: 4,
      relatie: 4,
      leercultuur: 3,
      routines: 3,
      communicatie: 2,
      gesprek: 2,
      betrokkenheid: 3,
      reflectie: undefined,
      ouders: 3,
      groei: 4,
    });
    expect(sheet.domains.get('planning')).toBeCloseTo(3, 10);
    expect(sheet.domains.get('klimaat')).toBeCloseTo(10 / 3, 10);
    expect(sheet.domains.get('instructie')).toBeCloseTo(7 / 3, 10);
    expect(sheet.domains.get('professionaliteit')).toBeCloseTo(3.5, 10); // the component without evidence is left out
    // (3 + 2 × 10/3 + 2 × 7/3 + 3.5) / 6
    expect(sheet.scores.get('totaal')).toBeCloseTo((3 + (2 * 10) / 3 + (2 * 7) / 3 + 3.5) / 6, 10);
  });
});

describe('a CLASS-style protocol in cycles', () => {
  const instrument = load('class-style.json');
  const scored = ['emotionele-steun', 'organisatie', 'instructionele-steun'];

  it('repeats all its sections together as one cycle of 15–20 minutes, 4–6 of them, combined by the mean', () => {
    expect(instrument.domains.map((d) => d.id)).toEqual(['deze-cyclus', ...scored]);
    for (const domain of instrument.domains) {
      expect(domain.repeat?.minutes, domain.id).toBeGreaterThanOrEqual(15);
      expect(domain.repeat?.minutes, domain.id).toBeLessThanOrEqual(20);
      // One group: the observer starts a cycle once, for every domain.
      expect(domain.repeat, domain.id).toMatchObject({ min: 4, max: 6, combine: 'mean', group: 'cyclus' });
    }
    expect(instrument.domains.filter((d) => d.score?.method === 'mean').map((d) => d.id)).toEqual(scored);
    // Per cycle the observer notes how the class works and what the cycle is about.
    expect(instrument.domains[0]?.items.map((i) => [i.id, i.response.type])).toEqual([
      ['werkvorm', 'choice'],
      ['inhoud', 'choice'],
    ]);
  });

  it('rates dimensions 1–7 in three bands, with a descriptor per band per dimension, behaviours as look-fors and one reverse-keyed dimension', () => {
    const [scale] = instrument.scales;
    expect(scale?.levels.map((l) => l.value)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(scale?.bands?.map((b) => [b.id, b.min, b.max])).toEqual([
      ['laag', 1, 2],
      ['midden', 3, 5],
      ['hoog', 6, 7],
    ]);
    const dimensions = allItems(instrument).filter((i) => i.response.type === 'rating');
    expect(dimensions).toHaveLength(10);
    for (const dimension of dimensions) {
      expect(Object.keys(dimension.descriptors ?? {}).sort(), dimension.id).toEqual(['hoog', 'laag', 'midden']);
      expect(dimension.lookFors?.length, dimension.id).toBeGreaterThanOrEqual(3);
    }
    expect(dimensions.filter((d) => d.reverse).map((d) => d.id)).toEqual(['negatief-klimaat']);
  });

  it('scores the shared cycles: each dimension over the cycles before the domain mean, negative climate reversed', () => {
    const sheet = scoreObservation(
      instrument,
      answers({
        'werkvorm#1': { choice: ['klassikaal'] },
        'positief-klimaat#1': { rating: 5 },
        'negatief-klimaat#1': { rating: 2 }, // reversed: 6
        'sensitiviteit#1': { rating: 4 },
        'perspectief#1': { rating: 3 },
        'gedrag#1': { rating: 6 },
        'productiviteit#1': { rating: 5 },
        'werkvormen#1': { rating: 4 },
        'begrip#1': { rating: 3 },
        'feedback#1': { rating: 2 },
        'taal#1': { rating: 3 },

        'werkvorm#2': { choice: ['kleine-groep', 'zelfstandig'] },
        'positief-klimaat#2': { rating: 6 },
        'negatief-klimaat#2': { rating: 4 }, // reversed: 4
        'sensitiviteit#2': { rating: 5 },
        // perspectief not scored in the second cycle
        'gedrag#2': { rating: 5 },
        'productiviteit#2': { rating: 5 },
        'werkvormen#2': { rating: 5 },
        'begrip#2': { rating: 4 },
        'feedback#2': { rating: 3 },
        'taal#2': { rating: 3 },

        // The third cycle: emotional support was not scored
        'gedrag#3': { rating: 7 },
        'productiviteit#3': { rating: 6 },
        'werkvormen#3': { rating: 5 },
        'begrip#3': { rating: 3 },
        'feedback#3': { rating: 3 },
        'taal#3': { rating: 4 },
      }),
      { cycles: cyclesOfGroup(instrument, 'cyclus', 3) },
    );
    // Every domain counts the same three cycles.
    for (const id of scored)
      expect(
        sheet.perCycle.get(id)?.map((c) => c.cycle),
        id,
      ).toEqual([1, 2, 3]);
    expect(sheet.perCycle.get('emotionele-steun')?.map((c) => c.domain)).toEqual([
      (5 + 6 + 4 + 3) / 4,
      (6 + 4 + 5) / 3,
      undefined,
    ]);
    expect(sheet.perCycle.get('organisatie')?.map((c) => c.domain)).toEqual([5, 5, 6]);
    expect(sheet.items.get('positief-klimaat')).toBe(5.5);
    expect(sheet.items.get('negatief-klimaat')).toBe(5);
    expect(sheet.items.get('sensitiviteit')).toBe(4.5);
    expect(sheet.items.get('perspectief')).toBe(3);
    // The combined dimensions averaged: (5.5 + 5 + 4.5 + 3) / 4, not the mean of the two cycle scores (4.75).
    expect(sheet.domains.get('emotionele-steun')).toBe(4.5);
    // gedrag (6 + 5 + 7) / 3 = 6, productiviteit 16/3, werkvormen 14/3
    expect(sheet.domains.get('organisatie')).toBeCloseTo((6 + 16 / 3 + 14 / 3) / 3, 10);
    // begrip 10/3, feedback 8/3, taal 10/3
    expect(sheet.domains.get('instructionele-steun')).toBeCloseTo((10 / 3 + 8 / 3 + 10 / 3) / 3, 10);
    // Each domain's combined score is read in CLASS's ranges (format 3): all three in the middle range here.
    for (const id of ['emotionele-steun', 'organisatie', 'instructionele-steun']) {
      const rule = instrument.domains.find((d) => d.id === id)!.score!;
      expect(scoreBand(rule, sheet.domains.get(id)!)?.label.en, id).toBe('middle');
    }
    // The cycle's own notes are part of the cycle, but no score.
    expect(sheet.domains.has('deze-cyclus')).toBe(false);
    expect(sheet.items.has('werkvorm')).toBe(false);
  });
});

describe('a CLASS-style domain score read in ranges', () => {
  const rule = load('class-style.json').domains.find((d) => d.id === 'instructionele-steun')!.score!;

  it.each([
    [1, 'low'],
    [2.58, 'low'],
    [2.99, 'low'],
    [3, 'middle'],
    [5.99, 'middle'],
    [6, 'high'],
    [7, 'high'],
  ])('reads a mean of %s as %s', (value, band) => {
    expect(scoreBand(rule, value)?.label.en).toBe(band);
  });
});

describe('a Teach-style observation in two segments', () => {
  const instrument = load('teach-style.json');

  it('observes in exactly two segments shared by every part, with three time-on-learning snapshots in each', () => {
    for (const domain of instrument.domains)
      expect(domain.repeat, domain.id).toMatchObject({ min: 2, max: 2, minutes: 15, group: 'segment' });
    const snapshot = item(instrument, 'momentopname').response;
    if (snapshot.type !== 'snapshot') throw new Error('no snapshot');
    // Minutes from the start of each segment, inside its fifteen minutes.
    expect(snapshotMinutes(snapshot.schedule)).toEqual([4, 9, 14]);
    expect(snapshot.fields.map((f) => f.response.type)).toEqual(['yes-no', 'counter']);
  });

  it('derives time on learning from the snapshots: the share with a learning activity, and pupils on task from the mean off-task count', () => {
    expect(item(instrument, 'aandeel-leeractiviteit').response).toMatchObject({
      type: 'score',
      from: { snapshot: 'momentopname', field: 'leeractiviteit', in: ['yes'] },
      method: 'mean',
    });
    expect(item(instrument, 'niet-bij-taak-gemiddeld').response).toMatchObject({
      type: 'score',
      from: { snapshot: 'momentopname', field: 'niet-bij-taak' },
      method: 'mean',
    });
    expect(item(instrument, 'bij-de-taak').response).toMatchObject({ map: 'niet-bij-taak-naar-lmh', scale: 'lmh' });
    // Fewer than two off task is high, two up to six medium, six or more low: a mean of 1.9 is still high.
    const onTask = scoringMap(instrument, 'niet-bij-taak-naar-lmh');
    expect([0, 1, 1.9, 2, 5.5, 5.99, 6, 40].map((v) => mapValue(onTask, v))).toEqual([3, 3, 3, 2, 2, 2, 1, 1]);
  });

  it('derives element scores 1–5 from behaviours seen / not seen through a map whose ranges meet, or from behaviours rated low / medium / high by pattern', () => {
    const seen = allItems(instrument).filter((i) => i.lookForAnswer === 'seen-not-seen');
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (const element of seen) {
      expect(element.response).toMatchObject({
        type: 'score',
        from: 'lookFors',
        map: 'aandeel-naar-vijf',
        scale: 'vijf',
      });
      expect(element.required, element.id).toBe(true);
    }
    const fromBehaviours = allItems(instrument).filter(
      (i) => i.response.type === 'score' && i.response.from === 'children',
    );
    expect(fromBehaviours.length).toBeGreaterThanOrEqual(2);
    for (const element of fromBehaviours) {
      // Teach's own reading (format 3): mostly low 1, mostly high 5, mostly medium 3, low and medium 2, medium
      // and high 4; not a mean read through a map, which gives L, L, H a 2.
      expect(element.response).toMatchObject({ method: 'pattern', scale: 'vijf' });
      expect(instrument.format).toBe(3);
      expect(
        element.children?.every((c) => c.response.type === 'rating' && c.response.scale === 'lmh' && c.required),
      ).toBe(true);
    }
    for (const map of instrument.scoringMaps ?? []) expectMeetingRanges(map);
    // No value between two ranges is left without a score.
    const share = scoringMap(instrument, 'aandeel-naar-vijf');
    expect([0, 0.19, 0.199, 0.2, 0.5, 0.799, 0.8, 1].map((v) => mapValue(share, v))).toEqual([1, 1, 1, 2, 3, 4, 5, 5]);
  });

  it.each([
    ['L, L, H: mostly low', [1, 1, 3], 1],
    ['H, H, L: mostly high', [3, 3, 1], 5],
    ['M, M, L: mostly medium', [2, 2, 1], 3],
    ['L, M, one not rated: low and medium', [1, 2, undefined], 2],
    ['M, H, one not rated: medium and high', [2, 3, undefined], 4],
    ['L, M, H: as much of each', [1, 2, 3], 3],
  ])('reads behaviours by pattern: %s', (_, levels, expected) => {
    const given = Object.fromEntries(
      levels.flatMap((rating, i) => (rating === undefined ? [] : [[`autonomie-${i + 1}#1`, { rating }]])),
    );
    const sheet = scoreObservation(instrument, answers(given), { cycles: cyclesOfGroup(instrument, 'segment', 1) });
    expect(sheet.items.get('autonomie')).toBe(expected);
  });

  it('asks for every behaviour in both segments before the observation is complete', () => {
    const cycles = cyclesOfGroup(instrument, 'segment', 2);
    const allSeen = (id: string) => ({ lookFors: item(instrument, id).lookFors!.map((l) => l.id) });
    const requiredOpen = (given: Record<string, Partial<ResponseContent>>) =>
      observationProgress(instrument, answers(given), { cycles }).requiredOpen.map((i) => i.id);
    const open = requiredOpen({ 'ondersteunend#1': allSeen('ondersteunend') });
    expect(open).toContain('ondersteunend'); // the second segment still asks for it
    expect(open).toContain('autonomie-1');
    expect(
      requiredOpen({ 'ondersteunend#1': allSeen('ondersteunend'), 'ondersteunend#2': allSeen('ondersteunend') }),
    ).not.toContain('ondersteunend');
  });

  it('scores both segments and combines them', () => {
    const lookFors = (seen: number[], notSeen: number[], id: string) => ({
      lookFors: seen.map((n) => `${id}-${n}`),
      notSeen: notSeen.map((n) => `${id}-${n}`),
    });
    const sheet = scoreObservation(
      instrument,
      answers({
        'momentopname#1': {
          snapshots: {
            '4': { leeractiviteit: 'yes', 'niet-bij-taak': 1 },
            '9': { leeractiviteit: 'yes', 'niet-bij-taak': 3 },
            '14': { leeractiviteit: 'no', 'niet-bij-taak': 6 },
          }, // 2 of 3 with a learning activity; (1 + 3 + 6) / 3 = 3.33 off task → medium
        },
        'momentopname#2': {
          snapshots: {
            '4': { leeractiviteit: 'yes', 'niet-bij-taak': 0 },
            '9': { leeractiviteit: 'yes', 'niet-bij-taak': 2 },
            '14': { leeractiviteit: 'yes' }, // not counted
          }, // 3 of 3; (0 + 2) / 2 = 1 off task → high
        },
        'ondersteunend#1': lookFors([1, 2, 3], [4], 'ondersteunend'), // 0.75 → 4
        'ondersteunend#2': lookFors([1, 2, 3, 4], [], 'ondersteunend'), // 1 → 5
        'verwachtingen#1': lookFors([1], [2, 3], 'verwachtingen'), // 0.33 → 2
        'verwachtingen#2': lookFors([1, 2], [3], 'verwachtingen'), // 0.67 → 4
        'autonomie-1#1': { rating: 3 },
        'autonomie-2#1': { rating: 2 },
        'autonomie-3#1': { rating: 2 }, // H, M, M: mostly medium → 3 (a mean of 2.33 read through a map gave 4)
        'autonomie-1#2': { rating: 3 },
        'autonomie-2#2': { rating: 3 },
        'autonomie-3#2': { rating: 3 }, // mostly high → 5
        'doorzetten-1#1': { rating: 1 },
        'doorzetten-2#1': { rating: 1 },
        'doorzetten-3#1': { rating: 2 }, // L, L, M: mostly low → 1
        'doorzetten-1#2': { rating: 1 },
        'doorzetten-2#2': { rating: 2 },
        'doorzetten-3#2': { rating: 2 }, // L, M, M: mostly medium → 3
        'samenwerken-1#1': { rating: 2 },
        'samenwerken-2#1': { rating: 2 }, // M, M: mostly medium → 3; not rated in segment 2
      }),
      { cycles: cyclesOfGroup(instrument, 'segment', 2) },
    );
    const time = sheet.perCycle.get('tijd-voor-leren')!;
    expect(time.map((c) => c.items.get('aandeel-leeractiviteit'))).toEqual([2 / 3, 1]);
    expect(time.map((c) => c.items.get('niet-bij-taak-gemiddeld'))).toEqual([10 / 3, 1]);
    expect(time.map((c) => c.items.get('bij-de-taak'))).toEqual([2, 3]);
    expect(sheet.items.get('aandeel-leeractiviteit')).toBeCloseTo(5 / 6, 10);
    expect(sheet.items.get('niet-bij-taak-gemiddeld')).toBeCloseTo(13 / 6, 10);
    // Each segment's level, averaged over the segments (not the mean count of 2.17 read as a level).
    expect(sheet.items.get('bij-de-taak')).toBe(2.5);

    expect(
      sheet.perCycle
        .get('klassencultuur')
        ?.map((c) => [c.items.get('ondersteunend'), c.items.get('verwachtingen'), c.domain]),
    ).toEqual([
      [4, 2, 3],
      [5, 4, 4.5],
    ]);
    expect(sheet.items.get('ondersteunend')).toBe(4.5);
    expect(sheet.items.get('verwachtingen')).toBe(3);
    expect(sheet.domains.get('klassencultuur')).toBe(3.75);
    expect(sheet.items.get('autonomie')).toBe(4); // (3 + 5) / 2
    expect(sheet.items.get('doorzetten')).toBe(2); // (1 + 3) / 2
    expect(sheet.items.get('samenwerken')).toBe(3);
    expect(sheet.domains.get('sociaal-emotioneel')).toBe(3); // (4 + 2 + 3) / 3
    expect(sheet.domains.has('instructie')).toBe(false);
    // The quality score averages the domains that have a score.
    expect(sheet.scores.get('kwaliteit')).toBeCloseTo((3.75 + 3) / 2, 10);
  });
});

describe('a Stallings-style snapshot instrument', () => {
  const instrument = load('stallings-style.json');
  const snapshot = item(instrument, 'momentopname').response;
  if (snapshot.type !== 'snapshot') throw new Error('no snapshot');

  it('takes ten snapshots at equal parts of the actual lesson, whose length is asked for', () => {
    expect(snapshot.schedule).toEqual({ equalParts: 10 });
    expect(instrument.context.find((c) => c.id === LESSON_MINUTES_FIELD)).toMatchObject({
      input: 'number',
      required: true,
    });
    expect(snapshotMinutes(snapshot.schedule, 40)).toEqual([2, 6, 10, 14, 18, 22, 26, 30, 34, 38]);
    expect(snapshotMinutes(snapshot.schedule, 55)).toHaveLength(10);
  });

  it('records more than eight fields per snapshot: the teacher’s activity in option groups, materials, group size, pupil counts', () => {
    expect(snapshot.fields.length).toBeGreaterThan(8);
    const activity = snapshot.fields.find((f) => f.id === 'activiteit')?.response;
    if (activity?.type !== 'choice') throw new Error('no activity choice');
    expect(activity.groups?.map((g) => g.id)).toEqual(['instructie', 'management', 'niet-bij-les']);
    for (const group of activity.groups ?? [])
      expect(activity.options.filter((o) => o.group === group.id).length, group.id).toBeGreaterThanOrEqual(3);
    expect(snapshot.fields.find((f) => f.id === 'materiaal')?.response).toMatchObject({
      type: 'choice',
      multiple: true,
    });
    expect(snapshot.fields.find((f) => f.id === 'groepsgrootte')?.response.type).toBe('choice');
    expect(snapshot.fields.filter((f) => f.response.type === 'counter').length).toBeGreaterThanOrEqual(5);
    expect(snapshot.fields.find((f) => f.reverse)).toMatchObject({ id: 'rumoer', response: { type: 'rating' } });
  });

  it('derives the share of snapshots per group of teacher activities from the option groups, and mean pupil counts', () => {
    const activity = snapshot.fields.find((f) => f.id === 'activiteit')?.response;
    if (activity?.type !== 'choice') throw new Error('no activity choice');
    const inGroup = (group: string) => activity.options.filter((o) => o.group === group).map((o) => o.id);
    const shares = {
      'tijd-instructie': 'instructie',
      'tijd-management': 'management',
      'tijd-niet-bij-les': 'niet-bij-les',
    };
    for (const [id, group] of Object.entries(shares)) {
      expect(item(instrument, id).response, id).toEqual({
        type: 'score',
        from: { snapshot: 'momentopname', field: 'activiteit', in: inGroup(group) },
        method: 'mean',
        decimals: 2,
      });
    }
    expect(item(instrument, 'niet-bij-taak').response).toMatchObject({
      type: 'score',
      from: { items: ['kletsen-gemiddeld', 'afgeleid-gemiddeld', 'aangesproken-gemiddeld'] },
      method: 'sum',
    });
    expect(item(instrument, 'lestijd').response).toMatchObject({
      from: { items: ['tijd-instructie'] },
      map: 'lestijd-naar-richtlijn',
      scale: 'richtlijn',
    });
    const guideline = scoringMap(instrument, 'lestijd-naar-richtlijn');
    expectMeetingRanges(guideline);
    expect([0, 0.49, 0.5, 0.8499, 0.85, 1].map((v) => mapValue(guideline, v))).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('scores a lesson from its snapshots: shares of time, mean counts per snapshot, calm reversed, and the guideline', () => {
    const at = (activiteit: string, kletsen: number, afgeleid: number, aangesproken: number, rumoer: number) => ({
      activiteit,
      'lln-kletsen': kletsen,
      'lln-afgeleid': afgeleid,
      'lln-aangesproken': aangesproken,
      rumoer,
    });
    const sheet = scoreObservation(
      instrument,
      answers({
        momentopname: {
          snapshots: {
            '2': at('uitleg', 1, 0, 0, 1),
            '6': at('gesprek', 0, 1, 0, 1),
            '10': at('organiseren', 2, 1, 0, 2),
            '14': at('begeleiden', 1, 2, 1, 2),
            '18': at('begeleiden', 0, 0, 0, 1),
            '22': at('corrigeren', 3, 2, 1, 3),
            '26': at('inoefenen', 1, 0, 0, 1),
            '30': at('sociaal', 4, 3, 0, 3),
            '34': at('uitleg', 0, 1, 0, 2),
            // the snapshot at minute 38 was missed: it does not count
          },
        },
      }),
    );
    expect(sheet.items.get('tijd-instructie')).toBeCloseTo(6 / 9, 10);
    expect(sheet.items.get('tijd-management')).toBeCloseTo(2 / 9, 10);
    expect(sheet.items.get('tijd-niet-bij-les')).toBeCloseTo(1 / 9, 10);
    expect(sheet.items.get('kletsen-gemiddeld')).toBeCloseTo(12 / 9, 10);
    expect(sheet.items.get('afgeleid-gemiddeld')).toBeCloseTo(10 / 9, 10);
    expect(sheet.items.get('aangesproken-gemiddeld')).toBeCloseTo(2 / 9, 10);
    expect(sheet.items.get('niet-bij-taak')).toBeCloseTo(24 / 9, 10);
    // Noise is reverse-keyed: 1 (quiet) counts as 3. (3 + 3 + 2 + 2 + 3 + 1 + 3 + 1 + 2) / 9
    expect(sheet.items.get('rust')).toBeCloseTo(20 / 9, 10);
    // 67% instruction: half or more, under 85%
    expect(sheet.items.get('lestijd')).toBe(2);
  });

  it('scores over two fields of a snapshot, among some snapshots, and per pupil present (format 3)', () => {
    const at = (activiteit: string, groepsgrootte: string, kletsen: number) => ({
      activiteit,
      groepsgrootte,
      'lln-kletsen': kletsen,
    });
    const sheet = scoreObservation(
      instrument,
      answers({
        momentopname: {
          snapshots: {
            '2': at('uitleg', 'klas', 1),
            '6': at('gesprek', 'klein', 0),
            '10': at('organiseren', 'klas', 2),
            '14': at('begeleiden', 'een', 1),
            '18': at('uitleg', 'klas', 3),
          },
        },
      }),
      { context: { pupils: 20 } },
    );
    // Instruction and the whole class together: minutes 2 and 18 of 5.
    expect(sheet.items.get('instructie-hele-klas')).toBeCloseTo(2 / 5, 10);
    // Of the four instruction snapshots (2, 6, 14, 18), two with the whole class.
    expect(sheet.items.get('hele-klas-bij-instructie')).toBeCloseTo(1 / 2, 10);
    // (1 + 0 + 2 + 1 + 3) chatting of 20 present, over 5 snapshots: 7 %.
    expect(sheet.items.get('kletsen-per-leerling')).toBeCloseTo(7 / 100, 10);
    expect(instrument.format).toBe(3);
  });

  it('shows and requires follow-up questions from what the snapshots recorded', () => {
    const items = byId(instrument);
    const quiet = ruleOutcome(
      instrument,
      items,
      answers({ momentopname: { snapshots: { '2': { activiteit: 'uitleg', 'lln-kletsen': 1 } } } }),
    );
    expect([...quiet.hidden]).toEqual(['toelichting-afwezig']);
    expect(quiet.required.size).toBe(0);
    const busy = ruleOutcome(
      instrument,
      items,
      answers({
        momentopname: {
          snapshots: {
            '2': { activiteit: 'uitleg', 'lln-kletsen': 1 },
            '6': { activiteit: 'buiten-lokaal', 'lln-afgeleid': 6 },
          },
        },
      }),
    );
    expect(busy.hidden.size).toBe(0);
    expect([...busy.required]).toEqual(['toelichting-taak']);
  });
});

describe('an ICALT-style list', () => {
  const instrument = load('icalt-style.json');
  const observed = instrument.domains.filter(
    (d) => d.answeredBy !== 'observed' && d.items.some((i) => i.response.type === 'rating'),
  );
  const rated = observed.flatMap((d) => d.items.filter((i) => i.response.type === 'rating'));

  it('has 32 items in six domains on a 1–4 scale read dichotomously (1–2 → 0, 3–4 → 1)', () => {
    expect(observed).toHaveLength(6);
    expect(rated).toHaveLength(32);
    const [scale] = instrument.scales;
    expect(scale?.levels.map((l) => l.value)).toEqual([1, 2, 3, 4]);
    const map = instrument.scoringMaps?.find((m) => m.id === scale?.scoring);
    expect(map?.entries).toEqual([
      { min: 1, max: 2, score: 0 },
      { min: 3, max: 4, score: 1 },
    ]);
  });

  it('gives every item good-practice examples answered seen / not seen, and orders difficulties from easy domains to hard', () => {
    for (const entry of rated) {
      expect(entry.lookForAnswer, entry.id).toBe('seen-not-seen');
      expect(entry.lookFors?.length, entry.id).toBeGreaterThanOrEqual(3);
    }
    const difficulties = rated.map((i) => i.difficulty!);
    expect(difficulties.every((d) => typeof d === 'number')).toBe(true);
    expect([...difficulties].sort((a, b) => a - b)).toEqual(difficulties);
  });

  it('has a self-rating part answered by the observed teacher', () => {
    const self = instrument.domains.find((d) => d.answeredBy === 'observed');
    expect(self?.items.filter((i) => i.response.type === 'rating')).toHaveLength(6);
  });

  it('requires an explanation when two or more items of a domain are insufficient', () => {
    const items = byId(instrument);
    const low = ruleOutcome(
      instrument,
      items,
      answers({ k1: { rating: 4 }, k2: { rating: 2 }, k3: { rating: 1 }, o1: { rating: 2 } }),
    );
    expect([...low.required]).toEqual(['toelichting-klimaat']);
    const progress = observationProgress(
      instrument,
      answers({ k1: { rating: 4 }, k2: { rating: 2 }, k3: { rating: 1 } }),
    );
    expect(progress.requiredOpen.map((i) => i.id)).toEqual(['toelichting-klimaat']);
    expect(
      ruleOutcome(instrument, items, answers({ k1: { rating: 4 }, k2: { rating: 2 }, k3: { rating: 3 } })).required
        .size,
    ).toBe(0);
  });

  it('points to the domain of the next step from the share of sufficient points, through ranges that meet', () => {
    const next = item(instrument, 'volgende-stap');
    expect(next.response).toMatchObject({
      type: 'score',
      from: { items: rated.map((i) => i.id) },
      method: 'mean',
      map: 'aandeel-naar-stap',
      scale: 'stap',
    });
    const map = scoringMap(instrument, 'aandeel-naar-stap');
    // The ranges end where the cumulative number of points per domain ends: 4, 8, 15, 22, 26 of 32.
    expect(map.entries.map((e) => e.min)).toEqual([0, 4 / 32, 8 / 32, 15 / 32, 22 / 32, 26 / 32, 1]);
    expectMeetingRanges(map);
    expect(instrument.scales.find((s) => s.id === 'stap')?.levels.map((l) => l.value)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    const nextStep = (given: Record<string, Partial<ResponseContent>>) =>
      scoreObservation(instrument, answers(given)).items.get('volgende-stap');
    // The first `count` points (from easy to hard) sufficient, the others not.
    const sufficientFirst = (count: number) =>
      nextStep(Object.fromEntries(rated.map((i, n) => [i.id, { rating: n < count ? 3 : 2 }])));
    expect(sufficientFirst(3)).toBe(1); // climate not yet mastered
    expect(sufficientFirst(4)).toBe(2); // exactly the four climate points: next is organisation
    expect(sufficientFirst(14)).toBe(3); // one explanation point to go
    expect(sufficientFirst(15)).toBe(4); // exactly through explanation: activating teaching
    expect(sufficientFirst(31)).toBe(6);
    expect(sufficientFirst(32)).toBe(7);
    // Points not rated are left out: 3 of 4 rated points sufficient is a share of 0.75.
    expect(nextStep({ k1: { rating: 4 }, k2: { rating: 3 }, k3: { rating: 3 }, k4: { rating: 1 } })).toBe(5);
  });

  it('counts the sufficient items per domain and overall', () => {
    const sheet = scoreObservation(
      instrument,
      answers({
        k1: { rating: 4 },
        k2: { rating: 3 },
        k3: { rating: 2 },
        k4: { rating: 1 },
        o1: { rating: 3 },
        o2: { rating: 3 },
        o3: { rating: 4 },
        o4: { rating: 3 },
        'zelf-klimaat': { rating: 4 },
        'zelf-organisatie': { rating: 2 },
      }),
    );
    expect(['k1', 'k2', 'k3', 'k4'].map((id) => sheet.items.get(id))).toEqual([1, 1, 0, 0]);
    expect(sheet.domains.get('klimaat')).toBe(2);
    expect(sheet.domains.get('organisatie')).toBe(4);
    expect(sheet.domains.has('uitleg')).toBe(false);
    expect(sheet.scores.get('totaal')).toBe(6);
    expect(sheet.domains.get('zelfbeeld')).toBe(1);
    // The same ratings read a second way (format 3), each item's level as given: the mean level per domain.
    expect(sheet.scores.get('klimaat-niveau')).toBe((4 + 3 + 2 + 1) / 4);
    expect(sheet.scores.get('organisatie-niveau')).toBe((3 + 3 + 4 + 3) / 4);
    expect(sheet.scores.has('uitleg-niveau')).toBe(false);
    expect(instrument.format).toBe(3);
  });
});

describe('a peer-feedback form', () => {
  const instrument = load('peer-feedback.json');
  const items = byId(instrument);

  it('has the focus question answered by the observed teacher, tops and tips as lists, a next step, a date and a time', () => {
    const focus = instrument.domains.find((d) => d.items.some((i) => i.id === 'kijkvraag'));
    expect(focus?.answeredBy).toBe('observed');
    expect(item(instrument, 'tops').response).toMatchObject({ type: 'text', repeatable: true });
    expect(item(instrument, 'tips').response).toMatchObject({ type: 'text', repeatable: true });
    expect(item(instrument, 'volgende-stap').response.type).toBe('text');
    expect(item(instrument, 'vervolg-datum').response.type).toBe('date');
    expect(item(instrument, 'vervolg-tijd').response.type).toBe('time');
    expect(instrument.context.map((c) => c.input)).toEqual(expect.arrayContaining(['date', 'time']));
  });

  it('shows the follow-up questions only when a follow-up observation is wanted, and then asks for its date', () => {
    const followUp = ['vervolg-kijkvraag', 'vervolg-datum', 'vervolg-tijd'];
    // One rule shows the follow-up questions and requires the date.
    expect(instrument.rules.map((r) => r.then)).toEqual([{ show: followUp, require: ['vervolg-datum'] }]);
    expect([...ruleOutcome(instrument, items, answers({})).hidden].sort()).toEqual([...followUp].sort());
    expect([...ruleOutcome(instrument, items, answers({ vervolgobservatie: { answer: 'no' } })).hidden].sort()).toEqual(
      [...followUp].sort(),
    );
    expect(ruleOutcome(instrument, items, answers({ vervolgobservatie: { answer: 'yes' } })).hidden.size).toBe(0);

    const base = {
      kijkvraag: { text: 'Hoe start ik de les?' },
      waarnemingen: { text: 'Rustige start.' },
      tops: { entries: ['Stilteteken', 'Doel op het bord'] },
    };
    const open = (extra: Record<string, Partial<ResponseContent>>) =>
      observationProgress(instrument, answers({ ...base, ...extra })).requiredOpen.map((i) => i.id);
    expect(open({ vervolgobservatie: { answer: 'no' } })).toEqual([]);
    expect(open({ vervolgobservatie: { answer: 'yes' } })).toEqual(['vervolg-datum']);
    expect(open({ vervolgobservatie: { answer: 'yes' }, 'vervolg-datum': { text: '2026-12-03' } })).toEqual([]);
  });
});
