/**
 * A rule on an element (an item with behaviours under it): whatever the rule does to the element's card, hiding it
 * or making it not applicable, it does to everything under it, wherever the outcome is read: progress, what is
 * still open at completion, what is required, and the scores.
 */
import { describe, expect, it } from 'vitest';
import { observationProgress, type ResponseContent } from '../../src/core/observation/progress';
import { openAnswers } from '../../src/core/observation/open-answers';
import { ruleOutcome } from '../../src/core/observation/rules';
import { scoreObservation } from '../../src/core/instrument/scoring';
import { allItems } from '../../src/core/instrument/localize';
import type { Instrument, Item, RuleEffect } from '../../src/core/instrument';
import { both, buildInstrument } from '../factories/instrument-factory';

const answers = (entries: Record<string, Partial<ResponseContent>>): Map<string, ResponseContent> =>
  new Map(Object.entries(entries).map(([key, value]) => [key, { lookFors: [], ...value }]));

const rating = (id: string, extra: Partial<Item> = {}): Item => ({
  id,
  text: both(id),
  response: { type: 'rating', scale: 'vier' },
  ...extra,
});

/** A trigger in one domain, and in another an element with three required behaviours (one with its own behaviour). */
function withRule(effect: RuleEffect): Instrument {
  return buildInstrument({
    format: 2,
    context: [],
    domains: [
      {
        id: 'start',
        title: both('Start'),
        items: [{ id: 'differentieert', text: both('Differentieert'), response: { type: 'yes-no' } }],
      },
      {
        id: 'verdieping',
        title: both('Verdieping'),
        items: [
          rating('element', {
            children: [
              rating('gedrag-a', { required: true }),
              rating('gedrag-b', { required: true }),
              rating('gedrag-c', { required: true, children: [rating('gedrag-c1')] }),
            ],
          }),
        ],
      },
    ],
    rules: [{ id: 'regel', when: { item: 'differentieert', in: ['yes'] }, then: effect }],
  });
}

const behaviours = ['gedrag-a', 'gedrag-b', 'gedrag-c', 'gedrag-c1'];
const domainTotal = (instrument: Instrument, responses: Map<string, ResponseContent>) =>
  observationProgress(instrument, responses).domains.find((d) => d.domainId === 'verdieping')!.total;
const openIds = (instrument: Instrument, responses: Map<string, ResponseContent>) =>
  openAnswers(instrument, responses).map((o) => `${o.item.id}${o.required ? '!' : ''}`);

describe.each([
  // Shown when the trigger is met: ruled out while it is not.
  { effect: 'show', then: { show: ['element'] }, out: 'no' as const, back: 'yes' as const },
  // Not applicable when the trigger is met.
  { effect: 'notApplicable', then: { notApplicable: ['element'] }, out: 'yes' as const, back: 'no' as const },
])('a $effect rule on an element', ({ then, out, back }) => {
  const instrument = withRule(then);
  const items = new Map(allItems(instrument).map((item) => [item.id, item]));
  const ruledOut = answers({ differentieert: { answer: out } });
  const inPlay = answers({ differentieert: { answer: back } });

  it('rules out every behaviour under the element as well', () => {
    const outcome = ruleOutcome(instrument, items, ruledOut);
    const gone = new Set([...outcome.notApplicable, ...outcome.hidden]);
    for (const id of ['element', ...behaviours]) expect(gone.has(id), id).toBe(true);
    const kept = ruleOutcome(instrument, items, inPlay);
    expect([...kept.notApplicable, ...kept.hidden]).toEqual([]);
  });

  it('asks for no answer under a ruled-out element, and for all of them once it is in play again', () => {
    expect(domainTotal(instrument, ruledOut)).toBe(0);
    const progress = observationProgress(instrument, ruledOut);
    for (const id of behaviours) expect(progress.notApplicable.has(id), id).toBe(true);
    expect(progress.requiredOpen).toEqual([]);
    expect(domainTotal(instrument, inPlay)).toBe(5);
    expect(observationProgress(instrument, inPlay).requiredOpen.map((i) => i.id)).toEqual([
      'gedrag-a',
      'gedrag-b',
      'gedrag-c',
    ]);
  });

  it('lets completion go ahead without the behaviours, and waits for them once the element is in play', () => {
    expect(openIds(instrument, ruledOut)).toEqual([]);
    expect(openIds(instrument, inPlay)).toEqual(['element', 'gedrag-a!', 'gedrag-b!', 'gedrag-c!', 'gedrag-c1']);
  });

  it('scores no behaviour of a ruled-out element, even one answered before the rule held', () => {
    const given = { 'gedrag-a': { rating: 3 }, 'gedrag-c1': { rating: 2 } };
    const sheet = scoreObservation(instrument, answers({ differentieert: { answer: out }, ...given }));
    expect([...sheet.items.keys()].filter((id) => behaviours.includes(id))).toEqual([]);
    const scored = scoreObservation(instrument, answers({ differentieert: { answer: back }, ...given }));
    expect(scored.items.get('gedrag-a')).toBe(3);
  });
});
