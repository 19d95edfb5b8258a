import { describe, expect, it } from 'vitest';
import { observationProgress, type ResponseContent } from '../../src/core/observation/progress';
import { buildInstrumentV2 } from '../factories/instrument-factory';

const answers = (entries: Record<string, Partial<ResponseContent>>): Map<string, ResponseContent> =>
  new Map(Object.entries(entries).map(([key, value]) => [key, { lookFors: [], ...value }]));

describe('progress with format 2', () => {
  const instrument = buildInstrumentV2();
  const open = (progress: ReturnType<typeof observationProgress>) =>
    progress.domains.flatMap((d) => d.open.map((i) => i.id));

  it('hides an item until its show rule holds, and never counts an optional item as open', () => {
    const before = observationProgress(instrument, answers({ doel: { rating: 4 } }));
    expect(before.notApplicable.has('vervolg')).toBe(true);
    const after = observationProgress(instrument, answers({ doel: { rating: 1 } }));
    expect(after.notApplicable.has('vervolg')).toBe(false);
    // `vervolg` is marked optional, so showing it asks nothing.
    expect(open(after)).not.toContain('vervolg');
  });

  it('makes an item required when a rule holds, per repetition of a repeated section', () => {
    const calm = observationProgress(instrument, answers({ 'spanning#1': { rating: 2 } }), { cycles: { cyclus: 2 } });
    expect(calm.requiredOpen.map((i) => i.id)).not.toContain('toelichting');
    const tense = observationProgress(instrument, answers({ 'spanning#2': { rating: 6 } }), { cycles: { cyclus: 2 } });
    expect(tense.requiredOpen.map((i) => i.id)).toEqual(['toelichting']);
    const explained = observationProgress(
      instrument,
      answers({ 'spanning#2': { rating: 6 }, 'toelichting#2': { text: 'Uitgelegd' } }),
      { cycles: { cyclus: 2 } },
    );
    expect(explained.requiredOpen).toEqual([]);
  });

  it('never asks for more repetitions than the section allows', () => {
    const many = observationProgress(instrument, answers({}), { cycles: { cyclus: 1e9 } });
    const six = observationProgress(instrument, answers({}), { cycles: { cyclus: 6 } });
    expect(many.total).toBe(six.total);
  });

  it('counts each repetition’s answers, and a score from seen / not-seen look-fors asks for each look-for', () => {
    const one = observationProgress(instrument, answers({}), { cycles: { cyclus: 1 } });
    const two = observationProgress(instrument, answers({}), { cycles: { cyclus: 2 } });
    const cycleDomain = (p: typeof one) => p.domains.find((d) => d.domainId === 'cyclus')!.total;
    expect(cycleDomain(two)).toBe(2 * cycleDomain(one));
    const lookFors = observationProgress(instrument, answers({ kijkpunten: { lookFors: ['lf1'], notSeen: ['lf2'] } }));
    const before = observationProgress(instrument, answers({}));
    expect(lookFors.answered - before.answered).toBe(2);
  });
});
