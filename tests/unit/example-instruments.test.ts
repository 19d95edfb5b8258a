/**
 * Six well-known kinds of instrument, written in format 2 (tests/fixtures/instruments), in our own words: each must
 * pass the validator, must really use the construct it is there for, and must score as the instrument intends
 * (checked against expectations worked out by hand).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInstrument } from '../../src/core/instrument/validate';
import { allItems, type Instrument, type Item } from '../../src/core/instrument';
import { scoreObservation } from '../../src/core/instrument/scoring';
import { observationProgress, type ResponseContent } from '../../src/core/observation/progress';
import { ruleOutcome } from '../../src/core/observation/rules';
import { LESSON_MINUTES_FIELD, snapshotMinutes } from '../../src/core/observation/snapshots';

const DIR = path.resolve(__dirname, '../fixtures/instruments');
const FILES = ['class-style.json', 'danielson-style.json', 'icalt-style.json', 'peer-feedback.json', 'stallings-style.json', 'teach-style.json'];

function load(file: string): Instrument {
  const result = parseInstrument(readFileSync(path.join(DIR, file), 'utf8'));
  if (!result.ok) throw new Error(`${file}: ${result.problems.map((p) => `${p.path} ${p.message.en}`).join('; ')}`);
  return result.instrument;
}

/** Answers keyed as an observation keys them (`item`, or `item#2` in the second repetition). */
const answers = (entries: Record<string, Partial<ResponseContent>>): Map<string, ResponseContent> =>
  new Map(Object.entries(entries).map(([key, value]) => [key, { lookFors: [], ...value }]));
const byId = (instrument: Instrument): Map<string, Item> => new Map(allItems(instrument).map((item) => [item.id, item]));
const item = (instrument: Instrument, id: string): Item => {
  const found = byId(instrument).get(id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
};

describe('the example instruments', () => {
  it('are the six, and nothing else sits in the folder', () => {
    expect(readdirSync(DIR).sort()).toEqual(FILES);
  });

  it.each(FILES)('%s passes the validator, in Dutch and English, as format 2', (file) => {
    const result = parseInstrument(readFileSync(path.join(DIR, file), 'utf8'));
    expect(result.problems.map((p) => `${p.path}: ${p.message.en}`)).toEqual([]);
    const instrument = load(file);
    expect(instrument.format).toBe(2);
    expect(instrument.languages).toEqual(['nl', 'en']);
  });

  it('have ids of their own', () => {
    const ids = FILES.map((file) => load(file).id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('a Danielson-style rubric', () => {
  const instrument = load('danielson-style.json');
  const components = instrument.domains.flatMap((d) => d.items);

  it('has four domains of components, each on four levels with a descriptor per level', () => {
    expect(instrument.domains.map((d) => d.id)).toEqual(['planning', 'klimaat', 'instructie', 'professionaliteit']);
    for (const component of components) {
      expect(component.response.type, component.id).toBe('score');
      if (component.response.type !== 'score') continue;
      // Each component reads its level on a scale of its own, whose four levels carry the component's descriptors.
      const scale = instrument.scales.find((s) => s.id === (component.response.type === 'score' ? component.response.scale : ''));
      expect(scale?.levels.map((l) => l.value), component.id).toEqual([1, 2, 3, 4]);
      expect(scale?.levels.every((l) => l.descriptor?.nl && l.descriptor.en), component.id).toBe(true);
    }
  });

  it('derives a component score from its elements, a domain score (mean) and a weighted overall score', () => {
    for (const component of components) {
      expect(component.response).toMatchObject({ type: 'score', from: 'children', method: 'mean' });
      expect(component.children?.length, component.id).toBeGreaterThanOrEqual(2);
      expect(component.children?.every((c) => c.response.type === 'rating')).toBe(true);
    }
    expect(instrument.domains.every((d) => d.score?.method === 'mean')).toBe(true);
    const overall = instrument.scores?.find((s) => s.id === 'totaal');
    expect(overall).toMatchObject({ method: 'mean', weights: { klimaat: 2, instructie: 2 } });
    expect(overall?.from).toHaveLength(4);
  });

  it('scores a lesson: elements → component level → domain mean → weighted overall score', () => {
    const rated = (values: Record<string, Array<number | 'not-observed'>>) =>
      answers(Object.fromEntries(Object.entries(values).flatMap(([component, levels]) => levels.map((rating, i) => [`${component}-${i + 1}`, { rating }]))));
    const sheet = scoreObservation(
      instrument,
      rated({
        vakkennis: [3, 3, 4], // mean 3.33 → level 3
        leerdoelen: [2, 2], // 2
        ontwerp: [4, 4, 3], // 3.67 → 4
        relatie: [4, 4], // 4
        leercultuur: [3, 3, 2], // 2.67 → 3
        routines: [3, 3, 3], // 3
        communicatie: [2, 2, 3], // 2.33 → 2
        gesprek: [1, 1], // 1
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
      gesprek: 1,
      betrokkenheid: 3,
      reflectie: undefined,
      ouders: 3,
      groei: 4,
    });
    expect(sheet.domains.get('planning')).toBeCloseTo(3, 10);
    expect(sheet.domains.get('klimaat')).toBeCloseTo(10 / 3, 10);
    expect(sheet.domains.get('instructie')).toBeCloseTo(2, 10);
    expect(sheet.domains.get('professionaliteit')).toBeCloseTo(3.5, 10); // the component without evidence is left out
    // (3 + 2 × 10/3 + 2 × 2 + 3.5) / 6
    expect(sheet.scores.get('totaal')).toBeCloseTo((3 + (2 * 10) / 3 + 2 * 2 + 3.5) / 6, 10);
  });
});

describe('a CLASS-style protocol in cycles', () => {
  const instrument = load('class-style.json');

  it('has three domains repeated in cycles of 15–20 minutes, 4–6 of them, combined by the mean', () => {
    expect(instrument.domains.map((d) => d.id)).toEqual(['emotionele-steun', 'organisatie', 'instructionele-steun']);
    for (const domain of instrument.domains) {
      expect(domain.repeat?.minutes, domain.id).toBeGreaterThanOrEqual(15);
      expect(domain.repeat?.minutes, domain.id).toBeLessThanOrEqual(20);
      expect(domain.repeat).toMatchObject({ min: 4, max: 6, combine: 'mean' });
      expect(domain.score?.method).toBe('mean');
    }
  });

  it('rates dimensions 1–7 in three bands, with a descriptor per band per dimension, behaviours as look-fors and one reverse-keyed dimension', () => {
    const [scale] = instrument.scales;
    expect(scale?.levels.map((l) => l.value)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(scale?.bands?.map((b) => [b.id, b.min, b.max])).toEqual([
      ['laag', 1, 2],
      ['midden', 3, 5],
      ['hoog', 6, 7],
    ]);
    const dimensions = allItems(instrument);
    expect(dimensions).toHaveLength(10);
    for (const dimension of dimensions) {
      expect(Object.keys(dimension.descriptors ?? {}).sort(), dimension.id).toEqual(['hoog', 'laag', 'midden']);
      expect(dimension.lookFors?.length, dimension.id).toBeGreaterThanOrEqual(3);
    }
    expect(dimensions.filter((d) => d.reverse).map((d) => d.id)).toEqual(['negatief-klimaat']);
  });

  it('scores each cycle, and combines the dimensions over the cycles before the domain mean, negative climate reversed', () => {
    const sheet = scoreObservation(
      instrument,
      answers({
        'positief-klimaat#1': { rating: 5 },
        'negatief-klimaat#1': { rating: 2 }, // reversed: 6
        'sensitiviteit#1': { rating: 4 },
        'perspectief#1': { rating: 3 },
        'positief-klimaat#2': { rating: 6 },
        'negatief-klimaat#2': { rating: 4 }, // reversed: 4
        'sensitiviteit#2': { rating: 5 },
        // perspectief not scored in the second cycle
      }),
    );
    const cycles = sheet.perCycle.get('emotionele-steun');
    expect(cycles?.map((c) => c.domain)).toEqual([(5 + 6 + 4 + 3) / 4, (6 + 4 + 5) / 3]);
    expect(sheet.items.get('positief-klimaat')).toBe(5.5);
    expect(sheet.items.get('negatief-klimaat')).toBe(5);
    expect(sheet.items.get('sensitiviteit')).toBe(4.5);
    expect(sheet.items.get('perspectief')).toBe(3);
    // The combined dimensions averaged: (5.5 + 5 + 4.5 + 3) / 4, not the mean of the two cycle scores (4.75).
    expect(sheet.domains.get('emotionele-steun')).toBe(4.5);
    expect(sheet.domains.has('organisatie')).toBe(false);
  });
});

describe('a Teach-style observation in two segments', () => {
  const instrument = load('teach-style.json');

  it('observes in exactly two segments, with three time-on-learning snapshots in each', () => {
    for (const domain of instrument.domains) expect(domain.repeat, domain.id).toMatchObject({ min: 2, max: 2 });
    const snapshot = item(instrument, 'momentopname').response;
    if (snapshot.type !== 'snapshot') throw new Error('no snapshot');
    expect(snapshotMinutes(snapshot.schedule)).toHaveLength(3);
    expect(snapshot.fields.map((f) => f.response.type)).toEqual(['yes-no', 'counter']);
  });

  it('derives element scores 1–5 from behaviours seen / not seen, or rated low / medium / high, through a scoring map', () => {
    const seen = allItems(instrument).filter((i) => i.lookForAnswer === 'seen-not-seen');
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (const element of seen) expect(element.response).toMatchObject({ type: 'score', from: 'lookFors', map: 'aandeel-naar-vijf', scale: 'vijf' });
    const fromBehaviours = allItems(instrument).filter((i) => i.response.type === 'score' && i.response.from === 'children');
    expect(fromBehaviours.length).toBeGreaterThanOrEqual(2);
    for (const element of fromBehaviours) {
      expect(element.response).toMatchObject({ map: 'lmh-naar-vijf', scale: 'vijf' });
      expect(element.children?.every((c) => c.response.type === 'rating' && c.response.scale === 'lmh')).toBe(true);
    }
  });

  it('scores both segments and combines them', () => {
    const lookFors = (seen: number[], notSeen: number[], id: string) => ({
      lookFors: seen.map((n) => `${id}-${n}`),
      notSeen: notSeen.map((n) => `${id}-${n}`),
    });
    const sheet = scoreObservation(
      instrument,
      answers({
        'ondersteunend#1': lookFors([1, 2, 3], [4], 'ondersteunend'), // 0.75 → 4
        'ondersteunend#2': lookFors([1, 2, 3, 4], [], 'ondersteunend'), // 1 → 5
        'verwachtingen#1': lookFors([1], [2, 3], 'verwachtingen'), // 0.33 → 2
        'verwachtingen#2': lookFors([1, 2], [3], 'verwachtingen'), // 0.67 → 4
        'autonomie-1#1': { rating: 3 },
        'autonomie-2#1': { rating: 2 },
        'autonomie-3#1': { rating: 2 }, // mean 2.33 → 4
        'autonomie-1#2': { rating: 3 },
        'autonomie-2#2': { rating: 3 },
        'autonomie-3#2': { rating: 3 }, // 3 → 5
        'doorzetten-1#1': { rating: 1 },
        'doorzetten-2#1': { rating: 1 },
        'doorzetten-3#1': { rating: 2 }, // 1.33 → 2
        'doorzetten-1#2': { rating: 1 },
        'doorzetten-2#2': { rating: 2 },
        'doorzetten-3#2': { rating: 2 }, // 1.67 → 2
        'samenwerken-1#1': { rating: 2 },
        'samenwerken-2#1': { rating: 2 }, // 2 → 3; not rated in segment 2
      }),
    );
    expect(sheet.perCycle.get('klassencultuur')?.map((c) => [c.items.get('ondersteunend'), c.items.get('verwachtingen'), c.domain])).toEqual([
      [4, 2, 3],
      [5, 4, 4.5],
    ]);
    expect(sheet.items.get('ondersteunend')).toBe(4.5);
    expect(sheet.items.get('verwachtingen')).toBe(3);
    expect(sheet.domains.get('klassencultuur')).toBe(3.75);
    expect(sheet.items.get('autonomie')).toBe(4.5);
    expect(sheet.items.get('doorzetten')).toBe(2);
    expect(sheet.items.get('samenwerken')).toBe(3);
    expect(sheet.domains.get('sociaal-emotioneel')).toBeCloseTo((4.5 + 2 + 3) / 3, 10);
    expect(sheet.domains.has('instructie')).toBe(false);
    // The quality score averages the domains that have a score.
    expect(sheet.scores.get('kwaliteit')).toBeCloseTo((3.75 + (4.5 + 2 + 3) / 3) / 2, 10);
  });
});

describe('a Stallings-style snapshot instrument', () => {
  const instrument = load('stallings-style.json');
  const snapshot = item(instrument, 'momentopname').response;
  if (snapshot.type !== 'snapshot') throw new Error('no snapshot');

  it('takes ten snapshots at equal parts of the actual lesson, whose length is asked for', () => {
    expect(snapshot.schedule).toEqual({ equalParts: 10 });
    expect(instrument.context.find((c) => c.id === LESSON_MINUTES_FIELD)).toMatchObject({ input: 'number', required: true });
    expect(snapshotMinutes(snapshot.schedule, 40)).toEqual([2, 6, 10, 14, 18, 22, 26, 30, 34, 38]);
    expect(snapshotMinutes(snapshot.schedule, 55)).toHaveLength(10);
  });

  it('records more than eight fields per snapshot: the teacher’s activity in option groups, materials, group size, pupil counts', () => {
    expect(snapshot.fields.length).toBeGreaterThan(8);
    const activity = snapshot.fields.find((f) => f.id === 'activiteit')?.response;
    if (activity?.type !== 'choice') throw new Error('no activity choice');
    expect(activity.groups?.map((g) => g.id)).toEqual(['instructie', 'management', 'niet-bij-les']);
    for (const group of activity.groups ?? []) expect(activity.options.filter((o) => o.group === group.id).length, group.id).toBeGreaterThanOrEqual(3);
    expect(snapshot.fields.find((f) => f.id === 'materiaal')?.response).toMatchObject({ type: 'choice', multiple: true });
    expect(snapshot.fields.find((f) => f.id === 'groepsgrootte')?.response.type).toBe('choice');
    expect(snapshot.fields.filter((f) => f.response.type === 'counter').length).toBeGreaterThanOrEqual(5);
    expect(snapshot.fields.find((f) => f.reverse)).toMatchObject({ id: 'rumoer', response: { type: 'rating' } });
  });

  it('shows and requires follow-up questions from what the snapshots recorded', () => {
    const items = byId(instrument);
    const quiet = ruleOutcome(instrument, items, answers({ momentopname: { snapshots: { '2': { activiteit: 'uitleg', 'lln-kletsen': 1 } } } }));
    expect([...quiet.hidden]).toEqual(['toelichting-afwezig']);
    expect(quiet.required.size).toBe(0);
    const busy = ruleOutcome(
      instrument,
      items,
      answers({ momentopname: { snapshots: { '2': { activiteit: 'uitleg', 'lln-kletsen': 1 }, '6': { activiteit: 'buiten-lokaal', 'lln-afgeleid': 6 } } } }),
    );
    expect(busy.hidden.size).toBe(0);
    expect([...busy.required]).toEqual(['toelichting-taak']);
  });
});

describe('an ICALT-style list', () => {
  const instrument = load('icalt-style.json');
  const observed = instrument.domains.filter((d) => d.answeredBy !== 'observed');
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
    const low = ruleOutcome(instrument, items, answers({ k1: { rating: 4 }, k2: { rating: 2 }, k3: { rating: 1 }, o1: { rating: 2 } }));
    expect([...low.required]).toEqual(['toelichting-klimaat']);
    const progress = observationProgress(instrument, answers({ k1: { rating: 4 }, k2: { rating: 2 }, k3: { rating: 1 } }));
    expect(progress.requiredOpen.map((i) => i.id)).toEqual(['toelichting-klimaat']);
    expect(ruleOutcome(instrument, items, answers({ k1: { rating: 4 }, k2: { rating: 2 }, k3: { rating: 3 } })).required.size).toBe(0);
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
    expect([...ruleOutcome(instrument, items, answers({})).hidden].sort()).toEqual([...followUp].sort());
    expect([...ruleOutcome(instrument, items, answers({ vervolgobservatie: { answer: 'no' } })).hidden].sort()).toEqual([...followUp].sort());
    expect(ruleOutcome(instrument, items, answers({ vervolgobservatie: { answer: 'yes' } })).hidden.size).toBe(0);

    const base = { kijkvraag: { text: 'Hoe start ik de les?' }, waarnemingen: { text: 'Rustige start.' }, tops: { entries: ['Stilteteken', 'Doel op het bord'] } };
    const open = (extra: Record<string, Partial<ResponseContent>>) =>
      observationProgress(instrument, answers({ ...base, ...extra })).requiredOpen.map((i) => i.id);
    expect(open({ vervolgobservatie: { answer: 'no' } })).toEqual([]);
    expect(open({ vervolgobservatie: { answer: 'yes' } })).toEqual(['vervolg-datum']);
    expect(open({ vervolgobservatie: { answer: 'yes' }, 'vervolg-datum': { text: '2026-12-03' } })).toEqual([]);
  });
});
