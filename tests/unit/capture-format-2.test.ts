/**
 * The core of observing with format 2: the seen / not-seen and entries patches, repetitions of repeated sections
 * (starts, bounds, what progress asks for), who answers what (the observer's and the self-assessment's form),
 * what is still open per repetition (and what blocks completion), and response keys.
 */
import { describe, expect, it } from 'vitest';
import {
  applyResponsePatch,
  fieldValue,
  lookForState,
  patchField,
  type ResponsePatch,
} from '../../src/core/observation/response-patch';
import {
  cycleBounds,
  cycleCounts,
  cycleStartsMs,
  cyclesAskedFor,
  cyclesShort,
  cyclesStarted,
  lessonMinutesOf,
  startCycle,
} from '../../src/core/observation/cycles';
import {
  answeredElsewhere,
  formFor,
  hasSelfRatedParts,
  respondentFor,
  respondents,
} from '../../src/core/observation/form';
import { openAnswers } from '../../src/core/observation/open-answers';
import { snapshotMinutes, snapshotSpan } from '../../src/core/observation/snapshots';
import { observationProgress, optionsForCycle, type ResponseContent } from '../../src/core/observation/progress';
import { byResponseKey, parseResponseKey, responseId, responseKey } from '../../src/core/model/records';
import type { Domain, Instrument, Item } from '../../src/core/instrument';
import { both, buildInstrument } from '../factories/instrument-factory';

const empty: ResponseContent = { lookFors: [] };
const answers = (entries: Record<string, Partial<ResponseContent>>): Map<string, ResponseContent> =>
  new Map(Object.entries(entries).map(([key, value]) => [key, { lookFors: [], ...value }]));
const rating = (id: string, extra: Partial<Item> = {}): Item => ({
  id,
  text: both(id),
  response: { type: 'rating', scale: 'vier' },
  ...extra,
});

describe('seen / not-seen look-fors', () => {
  const seen = (response: ResponseContent, id: string, state: 'seen' | 'not-seen' | null) =>
    applyResponsePatch(response, { kind: 'lookForState', id, state });

  it('sets a look-for seen, not seen or unanswered, never both, and a replay changes nothing', () => {
    const a = seen(empty, 'x', 'seen');
    expect(a).toMatchObject({ lookFors: ['x'] });
    expect(a).not.toHaveProperty('notSeen');
    expect(seen(a, 'x', 'seen')).toEqual(a);
    const b = seen(a, 'x', 'not-seen');
    expect(b).toEqual({ lookFors: [], notSeen: ['x'] });
    expect(seen(b, 'x', 'not-seen')).toEqual(b);
    const c = seen(seen(b, 'y', 'seen'), 'x', null);
    expect(c).toEqual({ lookFors: ['y'] });
    expect(lookForState(c, 'y')).toBe('seen');
    expect(lookForState(c, 'x')).toBeUndefined();
    expect(lookForState(b, 'x')).toBe('not-seen');
  });

  it('is one field per look-for, shared with ticking, and records its state as an amendment value', () => {
    const patch: ResponsePatch = { kind: 'lookForState', id: 'x', state: 'not-seen' };
    expect(patchField(patch)).toBe('lookFors.x');
    expect(patchField({ kind: 'lookFor', id: 'x', on: true })).toBe('lookFors.x');
    expect(fieldValue(empty, patch)).toBeUndefined();
    expect(fieldValue(applyResponsePatch(empty, patch), patch)).toBe('not-seen');
  });

  it('does not change the response it was given', () => {
    const before: ResponseContent = { lookFors: ['x'], notSeen: ['y'] };
    seen(before, 'y', 'seen');
    expect(before).toEqual({ lookFors: ['x'], notSeen: ['y'] });
  });
});

describe('repeatable text entries', () => {
  it('sets the whole list, and an empty list removes it', () => {
    const patch: ResponsePatch = { kind: 'entries', value: ['Rustige start', ''] };
    const one = applyResponsePatch(empty, patch);
    expect(one.entries).toEqual(['Rustige start', '']);
    expect(patchField(patch)).toBe('entries');
    expect(fieldValue(one, patch)).toEqual(['Rustige start', '']);
    expect(applyResponsePatch(one, { kind: 'entries', value: [] })).not.toHaveProperty('entries');
    // The list given is copied, not kept.
    const list = ['a'];
    const two = applyResponsePatch(empty, { kind: 'entries', value: list });
    list.push('b');
    expect(two.entries).toEqual(['a']);
  });
});

describe('response keys', () => {
  it('keys a repetition’s answer as item#n and reads it back', () => {
    expect(responseKey('a')).toBe('a');
    expect(responseKey('a', 2)).toBe('a#2');
    expect(responseId('obs', 'a', 2)).toBe('obs:a#2');
    expect(parseResponseKey('a#2')).toEqual({ itemId: 'a', cycle: 2 });
    expect(parseResponseKey('a')).toEqual({ itemId: 'a' });
    expect(parseResponseKey('a#x')).toEqual({ itemId: 'a' });
    expect(parseResponseKey('a#0')).toEqual({ itemId: 'a' });
  });

  it('maps stored responses by their key, repetitions apart', () => {
    const map = byResponseKey([
      { itemId: 'a', lookFors: [] },
      { itemId: 'b', cycle: 1, lookFors: [] },
      { itemId: 'b', cycle: 2, lookFors: ['x'] },
    ]);
    expect([...map.keys()]).toEqual(['a', 'b#1', 'b#2']);
    expect(map.get('b#2')?.lookFors).toEqual(['x']);
  });
});

const repeated: Domain = {
  id: 'ronde',
  title: both('Ronde'),
  repeat: { label: both('Ronde'), min: 2, max: 3 },
  items: [rating('r1'), rating('r2')],
};

describe('repetitions', () => {
  it('has bounds: at least one, at most eight unless the section says', () => {
    expect(cycleBounds(repeated)).toEqual({ min: 2, max: 3 });
    expect(cycleBounds({ repeat: { label: both('x') } })).toEqual({ min: 1, max: 8 });
    expect(cycleBounds({ repeat: { label: both('x'), min: 5, max: 2 } })).toEqual({ min: 5, max: 5 });
  });

  it('starts the next repetition at the lesson clock, as a whole new map, up to the maximum', () => {
    const first = startCycle(undefined, repeated, 61_234.4);
    expect(first).toEqual({ ronde: [{ startedMs: 61_234 }] });
    const other = { other: [{ startedMs: 5 }] };
    const second = startCycle({ ...first, ...other }, repeated, 900_000);
    expect(second).toEqual({ ronde: [{ startedMs: 61_234 }, { startedMs: 900_000 }], other: [{ startedMs: 5 }] });
    // The given map is not changed.
    expect(first).toEqual({ ronde: [{ startedMs: 61_234 }] });
    const third = startCycle(second, repeated, 1_800_000);
    expect(cyclesStarted({ cycles: third }, repeated)).toBe(3);
    expect(startCycle(third, repeated, 2_000_000)).toEqual(third);
    // A section that is not repeated never gets one.
    expect(startCycle(undefined, { id: 'plain', repeat: undefined }, 0)).toEqual({});
  });

  it('asks progress for the repetitions started, at least the minimum, and says which sections fall short', () => {
    const instrument = buildInstrument({
      format: 2,
      domains: [repeated, { id: 'plain', title: both('Plain'), items: [rating('p1')] }],
      rules: [],
    });
    expect(cyclesAskedFor(instrument, undefined)).toEqual({ ronde: 2 });
    expect(
      cyclesAskedFor(instrument, { cycles: { ronde: [{ startedMs: 0 }, { startedMs: 1 }, { startedMs: 2 }] } }),
    ).toEqual({ ronde: 3 });
    expect(cyclesShort(instrument, { cycles: { ronde: [{ startedMs: 0 }] } })).toEqual([
      { domain: repeated, started: 1, min: 2 },
    ]);
    expect(cyclesShort(instrument, { cycles: { ronde: [{ startedMs: 0 }, { startedMs: 1 }] } })).toEqual([]);
    const progress = observationProgress(
      instrument,
      answers({ 'r1#1': { rating: 3 }, 'r2#1': { rating: 2 }, p1: { rating: 1 } }),
      {
        cycles: cyclesAskedFor(instrument, { cycles: { ronde: [{ startedMs: 0 }] } }),
      },
    );
    expect(progress.domains.map((d) => [d.answered, d.total])).toEqual([
      [2, 4],
      [1, 1],
    ]);
  });

  it('shares the repetitions of sections repeated together: one start for the group, progress and shortfall per group', () => {
    const together = (id: string): Domain => ({
      id,
      title: both(id),
      repeat: { label: both('Cyclus'), min: 2, max: 4, group: 'les' },
      items: [rating(`${id}-1`)],
    });
    const instrument = buildInstrument({ format: 2, domains: [together('a'), together('b'), repeated], rules: [] });
    const cycles = startCycle(startCycle(undefined, instrument.domains[0]!, 0), instrument.domains[1]!, 60_000);
    expect(cycles).toEqual({ les: [{ startedMs: 0 }, { startedMs: 60_000 }] });
    expect(cyclesStarted({ cycles }, instrument.domains[1]!)).toBe(2);
    expect(cyclesAskedFor(instrument, { cycles })).toEqual({ les: 2, ronde: 2 });
    expect(cycleCounts({ cycles })).toEqual({ les: 2 });
    expect(cycleCounts({})).toBeUndefined();
    expect(
      cyclesShort(instrument, { cycles: { les: [{ startedMs: 0 }] } }).map((s) => [s.domain.id, s.started]),
    ).toEqual([
      ['a', 1],
      ['ronde', 0],
    ]);
    const progress = observationProgress(instrument, answers({ 'a-1#1': { rating: 2 }, 'b-1#2': { rating: 3 } }), {
      cycles: cyclesAskedFor(instrument, { cycles }),
    });
    expect(progress.domains.map((d) => [d.answered, d.total])).toEqual([
      [1, 2],
      [1, 2],
      [0, 4],
    ]);
  });

  it('counts a snapshot in a repeated section from its repetition’s start', () => {
    const segment: Domain = {
      id: 'segment',
      title: both('Segment'),
      repeat: { label: both('Segment'), min: 1, max: 3 },
      items: [
        {
          id: 'snap',
          text: both('Snap'),
          response: {
            type: 'snapshot',
            schedule: { atMinutes: [4, 9] },
            fields: [{ id: 'f', label: both('f'), response: { type: 'yes-no' } }],
          },
        },
      ],
    };
    const instrument = buildInstrument({ format: 2, domains: [segment], rules: [] });
    const starts = { segment: [0, 10 * 60_000] };
    const options = { elapsedMs: 12 * 60_000, cycles: { segment: 3 }, cycleStartsMs: starts };
    expect(optionsForCycle(options, segment, 2).elapsedMs).toBe(2 * 60_000);
    expect(optionsForCycle(options, segment, 3)).not.toHaveProperty('elapsedMs');
    expect(optionsForCycle(options, { id: 'plain' }, undefined)).toBe(options);
    // Repetition 1 has reached both minutes, the second neither, the third has not started.
    const progress = observationProgress(
      instrument,
      answers({ 'snap#1': { snapshots: { '4': { f: 'yes' } } } }),
      options,
    );
    expect(progress.domains[0]).toMatchObject({ answered: 1, total: 2 });
    expect(openAnswers(instrument, answers({}), options).map((o) => o.cycle)).toEqual([1]);
    expect(cycleStartsMs({ cycles: { segment: [{ startedMs: 0 }, { startedMs: 600_000 }] } })).toEqual(starts);
  });

  it('divides one repetition of its length, not the lesson, into equal parts, from the repetition’s start', () => {
    const cycle: Domain = {
      id: 'cycle',
      title: both('Cyclus'),
      repeat: { label: both('Cyclus'), min: 1, max: 4, minutes: 20 },
      items: [
        {
          id: 'snap',
          text: both('Snap'),
          response: {
            type: 'snapshot',
            schedule: { equalParts: 2 },
            fields: [{ id: 'f', label: both('f'), response: { type: 'yes-no' } }],
          },
        },
      ],
    };
    const instrument = buildInstrument({ format: 2, domains: [cycle], rules: [], lessonMinutes: 60 });
    // The second cycle started at minute 30 of a 60-minute lesson; it is now minute 46: 16 minutes into the cycle.
    const options = {
      elapsedMs: 46 * 60_000,
      lessonMinutes: 60,
      cycles: { cycle: 2 },
      cycleStartsMs: { cycle: [0, 30 * 60_000] },
    };
    const second = optionsForCycle(options, cycle, 2);
    expect(second).toMatchObject({ elapsedMs: 16 * 60_000, lessonMinutes: 20 });
    // Equal parts of the 20-minute cycle: minutes 5 and 15 of it (of the lesson: 15 and 45, which it had not reached).
    expect(
      snapshotMinutes(
        cycle.items[0]!.response.type === 'snapshot' ? cycle.items[0]!.response.schedule : { atMinutes: [] },
        second.lessonMinutes,
      ),
    ).toEqual([5, 15]);
    expect(snapshotSpan(cycle, 60)).toBe(20);
    expect(snapshotSpan({ repeat: { label: both('Cyclus') } }, 60)).toBe(60);
    expect(snapshotSpan(undefined, 60)).toBe(60);
    // Both of the second cycle's snapshots are due by now; the first cycle's too.
    const progress = observationProgress(
      instrument,
      answers({ 'snap#2': { snapshots: { '5': { f: 'yes' } } } }),
      options,
    );
    expect(progress.domains[0]).toMatchObject({ answered: 1, total: 4 });
  });

  it('takes the lesson length from the observation’s answer, else the instrument’s', () => {
    expect(lessonMinutesOf({ lessonMinutes: 50 }, { context: { 'lesson-minutes': 40 } })).toBe(40);
    expect(lessonMinutesOf({ lessonMinutes: 50 }, { context: { 'lesson-minutes': '35' } })).toBe(35);
    expect(lessonMinutesOf({ lessonMinutes: 50 }, { context: { 'lesson-minutes': 0 } })).toBe(50);
    expect(lessonMinutesOf({ lessonMinutes: 50 }, { context: {} })).toBe(50);
    expect(lessonMinutesOf({}, undefined)).toBe(45);
  });
});

describe('who answers what', () => {
  const selfRated: Instrument = buildInstrument({
    format: 2,
    domains: [
      {
        id: 'les',
        title: both('Les'),
        items: [
          rating('a'),
          rating('b', { answeredBy: 'observed' }),
          rating('el', { children: [rating('el1'), rating('el2', { answeredBy: 'observed' })] }),
        ],
      },
      {
        id: 'zelf',
        title: both('Zelf'),
        answeredBy: 'observed',
        items: [rating('z1'), rating('z2', { answeredBy: 'observer' })],
      },
    ],
    rules: [],
  });

  it('inherits from element and domain, and defaults to the observer', () => {
    expect(hasSelfRatedParts(selfRated)).toBe(true);
    expect(hasSelfRatedParts(buildInstrument())).toBe(false);
    expect(Object.fromEntries(respondents(selfRated))).toEqual({
      a: 'observer',
      b: 'observed',
      el: 'observer',
      el1: 'observer',
      el2: 'observed',
      z1: 'observed',
      z2: 'observer',
    });
    expect(respondentFor('self')).toBe('observed');
    expect(respondentFor('peer')).toBe('observer');
  });

  it('gives the observer every domain without the teacher’s items, and a self-assessment only the teacher’s', () => {
    const observer = formFor(selfRated, 'peer');
    expect(
      observer.domains.map((d) => [d.id, d.items.map((i) => [i.id, (i.children ?? []).map((c) => c.id)])]),
    ).toEqual([
      [
        'les',
        [
          ['a', []],
          ['el', ['el1']],
        ],
      ],
      ['zelf', [['z2', []]]],
    ]);
    const self = formFor(selfRated, 'self');
    expect(self.domains.map((d) => [d.id, d.items.map((i) => i.id)])).toEqual([
      ['les', ['b']],
      ['zelf', ['z1']],
    ]);
    expect(answeredElsewhere(selfRated, 'les', 'peer').map((i) => i.id)).toEqual(['b']);
    expect(answeredElsewhere(selfRated, 'zelf', 'self').map((i) => i.id)).toEqual(['z2']);
  });

  it('leaves an instrument without self-rated parts whole, for a self-assessment too', () => {
    const plain = buildInstrument();
    expect(formFor(plain, 'self')).toBe(plain);
    expect(formFor(plain, 'peer')).toBe(plain);
    expect(answeredElsewhere(plain, plain.domains[0]!.id, 'peer')).toEqual([]);
  });

  it('drops a domain the teacher rates entirely from a self-assessment only when nothing is left of it', () => {
    const onlyObserver = buildInstrument({
      format: 2,
      domains: [
        { id: 'les', title: both('Les'), items: [rating('a')] },
        { id: 'zelf', title: both('Zelf'), answeredBy: 'observed', items: [rating('z')] },
      ],
      rules: [],
    });
    expect(formFor(onlyObserver, 'self').domains.map((d) => d.id)).toEqual(['zelf']);
    expect(formFor(onlyObserver, 'coach').domains.map((d) => [d.id, d.items.length])).toEqual([
      ['les', 1],
      ['zelf', 0],
    ]);
  });
});

describe('what is still open, per repetition', () => {
  const instrument = buildInstrument({
    format: 2,
    domains: [
      {
        id: 'start',
        title: both('Start'),
        items: [
          { id: 'doel', text: both('Doel'), response: { type: 'yes-no' } },
          { id: 'hoe', text: both('Hoe'), response: { type: 'choice', options: [{ id: 'x', label: both('x') }] } },
          { id: 'waarom', text: both('Waarom'), response: { type: 'text' } },
          { id: 'datum', text: both('Datum'), response: { type: 'date' }, required: true },
          { id: 'vrij', text: both('Vrij'), response: { type: 'yes-no' }, required: false },
        ],
      },
      repeated,
    ],
    rules: [
      { id: 'toon', when: { item: 'doel', in: ['yes'] }, then: { show: ['hoe'] } },
      { id: 'eis', when: { item: 'doel', in: ['no'] }, then: { require: ['waarom'] } },
    ],
  });
  const open = (responses: Map<string, ResponseContent>, started = 2) =>
    openAnswers(instrument, responses, { cycles: { ronde: started } }).map(
      (o) => `${o.item.id}${o.cycle ? `#${o.cycle}` : ''}${o.required ? '!' : ''}`,
    );

  it('lists each repetition’s open items, leaves hidden and optional ones out, and marks what is required', () => {
    expect(open(answers({}))).toEqual(['doel', 'datum!', 'r1#1', 'r2#1', 'r1#2', 'r2#2']);
    expect(open(answers({ doel: { answer: 'yes' }, 'r1#1': { rating: 2 } }))).toEqual([
      'hoe',
      'datum!',
      'r2#1',
      'r1#2',
      'r2#2',
    ]);
  });

  it('makes an answer a rule requires block, until it is given', () => {
    expect(open(answers({ doel: { answer: 'no' }, datum: { text: '2026-12-01' } }), 1)).toEqual([
      'waarom!',
      'r1#1',
      'r2#1',
    ]);
    expect(
      open(
        answers({ doel: { answer: 'no' }, waarom: { text: 'Meteen aan het werk' }, datum: { text: '2026-12-01' } }),
        1,
      ),
    ).toEqual(['r1#1', 'r2#1']);
  });

  it('agrees with progress on what is required', () => {
    const responses = answers({ doel: { answer: 'no' } });
    const progress = observationProgress(instrument, responses, { cycles: { ronde: 2 } });
    expect(progress.requiredOpen.map((i) => i.id).sort()).toEqual(
      openAnswers(instrument, responses, { cycles: { ronde: 2 } })
        .filter((o) => o.required)
        .map((o) => o.item.id)
        .sort(),
    );
  });
});
