/**
 * The instruments we ship: each must pass the validator, and each must be what the README promises ("Instruments") (six domains in
 * order, a 1–4 scale with descriptors, difficulties that climb from the first three domains to the last three, …).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateInstrument, parseInstrument } from '../../src/core/instrument/validate';
import { allItems, type Instrument, type Item } from '../../src/core/instrument';
import { scoreObservation } from '../../src/core/instrument/scoring';
import { mainFirst, suggestInstrument } from '../../src/core/instrument/suggest';
import type { ResponseContent } from '../../src/core/observation/progress';
import { compareVersions } from '../../src/core/instrument/versions';
import { wordsNotOurs } from './vocabulary';

const DIR = path.resolve(__dirname, '../../instruments');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'));
/** Versions shipped before, kept exactly as they shipped (src/server/sync/shipped-instruments.ts). */
const EARLIER = 'earlier-versions';
const earlierFiles = readdirSync(path.join(DIR, EARLIER)).map((f) => path.join(EARLIER, f));

function load(file: string): Instrument {
  const result = parseInstrument(readFileSync(path.join(DIR, file), 'utf8'));
  if (!result.ok) throw new Error(`${file}: ${result.problems.map((p) => `${p.path} ${p.message.en}`).join('; ')}`);
  return result.instrument;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ratingItems = (items: Item[]) => items.filter((i) => i.response.type === 'rating');

describe('shipped instruments', () => {
  it('ships the six instruments', () => {
    expect(files.sort()).toEqual(
      [
        'collegiale-feedback.json',
        'interactie-cycli.json',
        'lesobservatie.json',
        'startersbegeleiding.json',
        'time-on-task.json',
        'zelfevaluatie.json',
      ].sort(),
    );
  });

  it('are each valid, in Dutch and English, with a license, and name the published schema', () => {
    const problems = Object.fromEntries(
      files
        .map((file): [string, string[]] => {
          const result = validateInstrument(JSON.parse(readFileSync(path.join(DIR, file), 'utf8')));
          if (!result.ok) return [file, result.problems.map((p) => `${p.path}: ${p.message.en}`)];
          const instrument = result.instrument;
          return [
            file,
            [
              ...(instrument.languages.join() === 'nl,en'
                ? []
                : [`languages ${instrument.languages.join()}, not nl,en`]),
              ...(instrument.$schema === './meekijken-instrument.schema.json' ? [] : [`$schema ${instrument.$schema}`]),
              ...(instrument.license ? [] : ['no license']),
            ],
          ];
        })
        .filter(([, list]) => list.length > 0),
    );
    expect(problems).toEqual({});
  });

  it('has unique instrument ids', () => {
    const ids = files.map((f) => load(f).id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('speaks the app’s vocabulary in every Dutch text of the newest versions (README, "Words")', () => {
    /** Every Dutch text in a file: the `nl` of each text in its languages, wherever it stands. */
    const dutch = (value: unknown, at: string): Array<[string, string]> =>
      Array.isArray(value)
        ? value.flatMap((inner, i) => dutch(inner, `${at}[${i}]`))
        : value && typeof value === 'object'
          ? Object.entries(value).flatMap(([key, inner]) =>
              key === 'nl' && typeof inner === 'string'
                ? [[at, inner] as [string, string]]
                : dutch(inner, `${at}.${key}`),
            )
          : [];
    const texts = files.flatMap((file) => dutch(JSON.parse(readFileSync(path.join(DIR, file), 'utf8')), file));
    expect(texts.length).toBeGreaterThan(700);
    const found = texts.flatMap(([at, text]) => wordsNotOurs(text).map((word) => `${at}: ${word}`));
    expect(found).toEqual([]);
    // The check reads the texts: the version it replaced still says "leraar" (installed versions never change).
    const before = dutch(JSON.parse(readFileSync(path.join(DIR, EARLIER, 'lesobservatie-1.0.0.json'), 'utf8')), '');
    expect(before.some(([, text]) => wordsNotOurs(text).length > 0)).toBe(true);
  });

  describe('earlier versions (kept so tablets not yet updated keep syncing what they made with them)', () => {
    it('are valid, each an older version of an instrument shipped now, named by its id’s file and its version', () => {
      expect(earlierFiles.length).toBeGreaterThan(0);
      const current = new Map(files.map((file) => [load(file).id, file]));
      const keys = new Set<string>();
      for (const file of earlierFiles) {
        const earlier = load(file);
        const now = current.get(earlier.id);
        expect(now, file).toBeDefined();
        expect(path.basename(file)).toBe(`${path.basename(now!, '.json')}-${earlier.version}.json`);
        expect(compareVersions(earlier.version, load(now!).version), file).toBeLessThan(0);
        keys.add(`${earlier.id}@${earlier.version}`);
      }
      expect(keys.size).toBe(earlierFiles.length);
    });

    it('keep their domains, item ids and scales in the newest version, so figures and trends run on across versions', () => {
      const shape = (instrument: Instrument) =>
        new Map(
          instrument.domains.flatMap((domain) =>
            allItems({ ...instrument, domains: [domain] }).map((item) => {
              const response = item.response;
              const scale =
                response.type === 'rating'
                  ? instrument.scales.find((s) => s.id === response.scale)?.levels.map((l) => l.value)
                  : undefined;
              return [item.id, { domain: domain.id, type: response.type, scale, reverse: item.reverse ?? false }];
            }),
          ),
        );
      for (const file of earlierFiles) {
        const earlier = load(file);
        const newest = load(files.find((f) => load(f).id === earlier.id)!);
        const now = shape(newest);
        for (const [id, was] of shape(earlier)) expect(now.get(id), `${file}: ${id}`).toEqual(was);
      }
    });
  });

  describe('the general lesson observation', () => {
    const instrument = load('lesobservatie.json');

    it('has the six domains in order, each with 3–7 items', () => {
      expect(instrument.kind).toBe('observation');
      expect(instrument.domains.map((d) => d.id)).toEqual([
        'leerklimaat',
        'klassenmanagement',
        'duidelijke-instructie',
        'activerende-didactiek',
        'differentiatie',
        'leerstrategieen',
      ]);
      for (const domain of instrument.domains) {
        expect(domain.items.length, domain.id).toBeGreaterThanOrEqual(3);
        expect(domain.items.length, domain.id).toBeLessThanOrEqual(7);
      }
    });

    it('rates on a 1–4 scale with level descriptors and "not observed"', () => {
      const [scale] = instrument.scales;
      expect(scale?.levels.map((l) => l.value)).toEqual([1, 2, 3, 4]);
      expect(scale?.levels.every((l) => l.descriptor)).toBe(true);
      expect(scale?.notObserved).toBeDefined();
    });

    it('gives every rated item 3–5 look-fors, guidance and descriptors for all four levels', () => {
      const rated = ratingItems(allItems(instrument));
      expect(rated.length).toBeGreaterThanOrEqual(18);
      for (const item of rated) {
        expect(item.lookFors?.length, item.id).toBeGreaterThanOrEqual(3);
        expect(item.lookFors?.length, item.id).toBeLessThanOrEqual(5);
        expect(item.guidance, item.id).toBeDefined();
        expect(Object.keys(item.descriptors ?? {}).sort(), item.id).toEqual(['1', '2', '3', '4']);
      }
    });

    it('orders default difficulties: the first three domains easier than the last three, domain means rising', () => {
      const difficulties = instrument.domains.map((domain) =>
        ratingItems(domain.items).map((item) => {
          expect(item.difficulty, item.id).toBeTypeOf('number');
          return item.difficulty!;
        }),
      );
      const easy = difficulties.slice(0, 3).flat();
      const hard = difficulties.slice(3).flat();
      expect(Math.max(...easy)).toBeLessThan(Math.min(...hard));
      const means = difficulties.map(mean);
      for (let d = 1; d < means.length; d++) expect(means[d]).toBeGreaterThan(means[d - 1]!);
    });

    it('makes small-group items not applicable when there is no small-group instruction', () => {
      const rule = instrument.rules.find((r) => 'item' in r.when && r.when.item === 'df-subgroep');
      expect(rule?.when).toMatchObject({ in: ['no'] });
      expect(rule?.then.notApplicable?.length).toBeGreaterThan(0);
    });
  });

  it('the self-assessment shares the observation’s item ids, so results can be compared', () => {
    const observation = load('lesobservatie.json');
    const self = load('zelfevaluatie.json');
    expect(self.kind).toBe('self-assessment');
    expect(self.basedOn).toEqual({ id: observation.id, version: observation.version });
    expect(allItems(self).map((i) => i.id)).toEqual(allItems(observation).map((i) => i.id));
    expect(allItems(self).map((i) => i.difficulty)).toEqual(allItems(observation).map((i) => i.difficulty));
    // Written for the teacher: first person, not a copy of the observer's wording.
    const ownWords = allItems(self).filter((item, i) => item.text.nl !== allItems(observation)[i]!.text.nl);
    expect(ownWords.length).toBe(allItems(self).length);
  });

  it('the peer-feedback form asks for the focus question, tops, tips and a next step', () => {
    const feedback = load('collegiale-feedback.json');
    expect(feedback.kind).toBe('feedback');
    const ids = allItems(feedback).map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining(['kijkvraag', 'tops', 'tips', 'volgende-stap']));
    for (const id of ['kijkvraag', 'tops', 'tips', 'volgende-stap']) {
      expect(allItems(feedback).find((i) => i.id === id)?.response.type).toBe('text');
    }
  });

  it('the time-on-task instrument takes snapshots with an off-task counter in bands and an activity code', () => {
    const snapshot = load('time-on-task.json');
    expect(snapshot.kind).toBe('snapshot');
    const item = allItems(snapshot).find((i) => i.response.type === 'snapshot');
    if (item?.response.type !== 'snapshot') throw new Error('no snapshot item');
    expect('atMinutes' in item.response.schedule && item.response.schedule.atMinutes.length).toBeGreaterThanOrEqual(4);
    const types = item.response.fields.map((f) => f.response.type);
    expect(types).toEqual(expect.arrayContaining(['counter', 'choice']));
    const counter = item.response.fields.find((f) => f.response.type === 'counter')?.response;
    expect(counter?.type === 'counter' && counter.bands?.length).toBeGreaterThanOrEqual(3);
  });

  describe('the interaction-in-cycles example (format 2)', () => {
    const instrument = load('interactie-cycli.json');
    const dimensions = allItems(instrument);

    it('has three domains observed together in cycles of about fifteen minutes, each with a derived score, and an overall score', () => {
      expect(instrument.format).toBe(2);
      expect(instrument.kind).toBe('observation');
      expect(instrument.domains).toHaveLength(3);
      for (const domain of instrument.domains) {
        // One group: a cycle is started once and covers all three domains.
        expect(domain.repeat, domain.id).toMatchObject({ minutes: 15, combine: 'mean', group: 'cyclus' });
        expect(domain.repeat?.min, domain.id).toBeGreaterThanOrEqual(2);
        expect(domain.score?.method, domain.id).toBe('mean');
        expect(domain.items.length, domain.id).toBe(3);
      }
      expect(instrument.scores?.map((s) => s.from)).toEqual([instrument.domains.map((d) => ({ domain: d.id }))]);
    });

    it('rates on a 1–7 scale in three bands, with a descriptor per band, look-fors and guidance for every dimension', () => {
      const [scale] = instrument.scales;
      expect(scale?.levels.map((l) => l.value)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(scale?.bands?.map((b) => [b.min, b.max])).toEqual([
        [1, 2],
        [3, 5],
        [6, 7],
      ]);
      for (const item of dimensions) {
        expect(Object.keys(item.descriptors ?? {}).sort(), item.id).toEqual(scale?.bands?.map((b) => b.id).sort());
        expect(item.lookFors?.length, item.id).toBeGreaterThanOrEqual(3);
        expect(item.guidance, item.id).toBeDefined();
      }
      expect(dimensions.filter((i) => i.reverse).map((i) => i.id)).toEqual(['spanning']);
    });

    it('is not what a new observation suggests: the everyday lesson observation is, whatever the order', () => {
      const all = files.map((file) => ({ content: load(file) }));
      expect(all.findIndex((i) => i.content.id === instrument.id)).toBeLessThan(
        all.findIndex((i) => i.content.id === 'meekijken.lesobservatie'),
      );
      expect(suggestInstrument(all, 'observation')?.content.id).toBe('meekijken.lesobservatie');
      expect(suggestInstrument([...all].reverse(), 'observation')?.content.id).toBe('meekijken.lesobservatie');
      // Offered when it is the only one of its kind.
      expect(suggestInstrument([{ content: instrument }], 'observation')?.content).toBe(instrument);
      // Nor the main one on the insight screens, though its id sorts first: observations, the everyday ones first.
      expect(
        all
          .map((i) => i.content)
          .sort(mainFirst)
          .map((i) => i.id),
      ).toEqual([
        'meekijken.lesobservatie',
        'meekijken.interactie-cycli',
        'meekijken.collegiale-feedback',
        'meekijken.startersbegeleiding',
        'meekijken.time-on-task',
        'meekijken.zelfevaluatie',
      ]);
    });

    it('scores two shared cycles: each dimension averaged over the cycles, the tension dimension reversed', () => {
      expect(instrument.domains.map((d) => d.items.map((i) => i.id))).toEqual([
        ['warmte', 'spanning', 'afstemming'],
        ['verwachtingen', 'leertijd', 'werkvormen'],
        ['denken', 'terugkoppeling', 'taal'],
      ]);
      const ratings: Record<string, number> = {
        'warmte#1': 6,
        'spanning#1': 2, // reversed: 6
        'afstemming#1': 4,
        'verwachtingen#1': 5,
        'leertijd#1': 4,
        'werkvormen#1': 5,
        'denken#1': 3,
        'terugkoppeling#1': 3,
        'taal#1': 4,
        'warmte#2': 5,
        'spanning#2': 3, // reversed: 5
        'afstemming#2': 5,
        'verwachtingen#2': 6,
        'leertijd#2': 5,
        'werkvormen#2': 4,
        'denken#2': 4,
        'terugkoppeling#2': 2,
        // taal not rated in the second cycle
      };
      const answers = new Map<string, ResponseContent>(
        Object.entries(ratings).map(([key, rating]) => [key, { rating, lookFors: [] }]),
      );
      const cycles = Object.fromEntries(instrument.domains.map((d) => [d.id, 2]));
      const sheet = scoreObservation(instrument, answers, { cycles });
      // warmte (6 + 5) / 2 = 5.5; spanning reversed (6 + 5) / 2 = 5.5; afstemming (4 + 5) / 2 = 4.5
      const sfeer = (5.5 + 5.5 + 4.5) / 3;
      expect(sheet.domains.get('sfeer')).toBeCloseTo(sfeer, 10);
      expect(sheet.perCycle.get('sfeer')?.map((c) => c.domain)).toEqual([(6 + 6 + 4) / 3, (5 + 5 + 5) / 3]);
      // verwachtingen 5.5, leertijd 4.5, werkvormen 4.5
      const organisatie = (5.5 + 4.5 + 4.5) / 3;
      expect(sheet.domains.get('organisatie')).toBeCloseTo(organisatie, 10);
      // denken 3.5, terugkoppeling 2.5, taal 4 (the first cycle only)
      const leerondersteuning = (3.5 + 2.5 + 4) / 3;
      expect(sheet.domains.get('leerondersteuning')).toBeCloseTo(leerondersteuning, 10);
      expect(sheet.perCycle.get('leerondersteuning')?.map((c) => c.domain)).toEqual([(3 + 3 + 4) / 3, (4 + 2) / 2]);
      expect(sheet.scores.get('interactie')).toBeCloseTo((sfeer + organisatie + leerondersteuning) / 3, 10);
    });

    it('scores one domain alone when only that one was rated', () => {
      const answers = new Map<string, ResponseContent>(
        Object.entries({ 'warmte#1': 6, 'spanning#1': 2, 'afstemming#1': 4 }).map(([key, rating]) => [
          key,
          { rating, lookFors: [] },
        ]),
      );
      const sheet = scoreObservation(instrument, answers);
      expect(sheet.domains.has('organisatie')).toBe(false);
      expect(sheet.scores.get('interactie')).toBeCloseTo((6 + 6 + 4) / 3, 10);
    });
  });

  it('the starter-coaching instrument covers the basics, from easy to hard, with behaviours under an element', () => {
    const coaching = load('startersbegeleiding.json');
    expect(coaching.kind).toBe('coaching');
    expect(allItems(coaching).some((i) => i.children && i.children.length > 0)).toBe(true);
    for (const domain of coaching.domains) {
      const ds = ratingItems(domain.items).map((i) => i.difficulty ?? 0);
      expect(
        [...ds].sort((a, b) => a - b),
        domain.id,
      ).toEqual(ds);
    }
  });
});
