import { describe, expect, it } from 'vitest';
import { elapsedMs, formatClock, pauseClock, startClock } from '../../src/core/observation/clock';
import { dueSnapshot, isFieldFilled, snapshotMinutes, snapshotsToFill } from '../../src/core/observation/snapshots';
import { itemProgress, observationProgress, type ResponseContent } from '../../src/core/observation/progress';
import type { Item, SnapshotResponse } from '../../src/core/instrument';
import { applyResponsePatch } from '../../src/core/observation/response-patch';
import { both, buildInstrument, buildItem } from '../factories/instrument-factory';

describe('lesson clock', () => {
  it('counts wall time while running and keeps it while paused', () => {
    let clock = startClock({ elapsedMs: 0 }, 1_000);
    expect(elapsedMs(clock, 61_000)).toBe(60_000);
    clock = pauseClock(clock, 61_000);
    expect(elapsedMs(clock, 999_999)).toBe(60_000);
    clock = startClock(clock, 100_000);
    expect(startClock(clock, 200_000)).toBe(clock);
    expect(elapsedMs(clock, 130_000)).toBe(90_000);
  });

  it('never runs backwards when the device clock does', () => {
    expect(elapsedMs({ elapsedMs: 5_000, runningSince: 10_000 }, 9_000)).toBe(5_000);
  });

  it('formats minutes and seconds, rolling hours into minutes', () => {
    expect(formatClock(0)).toBe('00:00');
    expect(formatClock(65_999)).toBe('01:05');
    expect(formatClock(95 * 60_000)).toBe('95:00');
  });
});

describe('snapshots', () => {
  it('lists fixed and interval schedules', () => {
    expect(snapshotMinutes({ atMinutes: [5, 10, 20] })).toEqual([5, 10, 20]);
    expect(snapshotMinutes({ everyMinutes: 5, fromMinute: 5, untilMinute: 20 })).toEqual([5, 10, 15, 20]);
  });

  it('makes the latest reached, unrecorded minute due', () => {
    const minutes = [5, 10, 15];
    expect(dueSnapshot(minutes, 4 * 60_000, new Set())).toBeUndefined();
    expect(dueSnapshot(minutes, 5 * 60_000, new Set())).toBe(5);
    expect(dueSnapshot(minutes, 11 * 60_000, new Set())).toBe(10);
    expect(dueSnapshot(minutes, 11 * 60_000, new Set([10]))).toBeUndefined();
  });
});

describe('response patches', () => {
  const empty: ResponseContent = { lookFors: [] };

  it('sets values, never toggles', () => {
    const on = applyResponsePatch(empty, { kind: 'lookFor', id: 'a', on: true });
    expect(applyResponsePatch(on, { kind: 'lookFor', id: 'a', on: true }).lookFors).toEqual(['a']);
    expect(applyResponsePatch(on, { kind: 'lookFor', id: 'a', on: false }).lookFors).toEqual([]);
    expect(empty.lookFors).toEqual([]);
  });

  it('removes cleared fields and empty snapshots', () => {
    const rated = applyResponsePatch(empty, { kind: 'rating', value: 3 });
    expect(applyResponsePatch(rated, { kind: 'rating', value: null })).not.toHaveProperty('rating');
    const snap = applyResponsePatch(empty, { kind: 'snapshot', minute: 5, fieldId: 'x', value: 0 });
    expect(snap.snapshots).toEqual({ '5': { x: 0 } });
    expect(applyResponsePatch(snap, { kind: 'snapshot', minute: 5, fieldId: 'x', value: null })).not.toHaveProperty(
      'snapshots',
    );
    expect(applyResponsePatch(empty, { kind: 'choice', value: [] })).not.toHaveProperty('choice');
  });
});

describe('observation progress', () => {
  const instrument = buildInstrument();
  const respond = (entries: Array<[string, Partial<ResponseContent>]>) =>
    new Map(entries.map(([id, r]) => [id, { lookFors: [], ...r }]));

  it('counts what expects an answer, per domain, including behaviours under an element', () => {
    const progress = observationProgress(instrument, new Map());
    // klimaat: k1, k2, k3 + k3a, k3b; overig: checklist, janee, keuze (counter and text are optional, and no
    // snapshot is asked for before the lesson clock reaches one)
    expect(progress.domains.map((d) => [d.domainId, d.total, d.answered])).toEqual([
      ['klimaat', 5, 0],
      ['overig', 3, 0],
    ]);
    expect(progress.domains[0]?.open.map((i) => i.id)).toEqual(['k1', 'k2', 'k3', 'k3a', 'k3b']);
  });

  it('counts "not observed" as answered and follows the rules', () => {
    const progress = observationProgress(
      instrument,
      respond([
        ['k1', { rating: 'not-observed' }],
        ['k2', { rating: 2 }],
        ['janee', { answer: 'no' }],
        ['checklist', { lookFors: ['lf1'] }],
      ]),
    );
    expect(progress.notApplicable).toEqual(new Set(['keuze']));
    expect(progress.domains.map((d) => [d.total, d.answered])).toEqual([
      [5, 2],
      [2, 2],
    ]);
    expect(progress.total).toBe(7);
    expect(progress.answered).toBe(4);
  });
});

describe('progress of snapshots: one answer per field of every snapshot asked for so far', () => {
  const instrument = buildInstrument();
  const minutes = (m: number) => m * 60_000;
  /** `momenten`: every 5 minutes from 5 to 40, two fields (off-task count, activity). */
  const withSnapshots = (snapshots: ResponseContent['snapshots']) =>
    new Map([['momenten', { lookFors: [], snapshots }]]);
  const overig = (responses: ReadonlyMap<string, ResponseContent>, elapsedMs?: number) => {
    const domain = observationProgress(instrument, responses, { elapsedMs }).domains[1]!;
    return { total: domain.total, answered: domain.answered, open: domain.open.map((item) => item.id) };
  };

  it('asks for nothing before the lesson clock reaches the first snapshot', () => {
    expect(overig(new Map(), minutes(4))).toEqual({ total: 3, answered: 0, open: ['checklist', 'janee', 'keuze'] });
  });

  it('asks for every field of every snapshot the clock has reached, and keeps a missed one open', () => {
    // At 11 minutes: snapshots 5 and 10, two fields each.
    expect(overig(new Map(), minutes(11))).toEqual({
      total: 3 + 4,
      answered: 0,
      open: ['checklist', 'janee', 'keuze', 'momenten'],
    });
    // Minute 5 fully recorded, minute 10 missed: still open.
    const five = withSnapshots({ '5': { 'off-task': 0, activiteit: ['instructie'] } });
    expect(overig(five, minutes(11))).toMatchObject({ total: 7, answered: 2 });
    expect(overig(five, minutes(11)).open).toContain('momenten');
  });

  it('counts a half-filled snapshot as half, not as done, and an unentered count as not entered', () => {
    const countOnly = withSnapshots({ '5': { 'off-task': 3 } });
    expect(overig(countOnly, minutes(6))).toMatchObject({ total: 5, answered: 1 });
    expect(overig(countOnly, minutes(6)).open).toContain('momenten');
    const both = withSnapshots({ '5': { 'off-task': 0, activiteit: ['zelfstandig'] } });
    // 0 pupils off task is an answer.
    expect(overig(both, minutes(6))).toEqual({ total: 5, answered: 2, open: ['checklist', 'janee', 'keuze'] });
    // An emptied choice is not an answer.
    expect(overig(withSnapshots({ '5': { 'off-task': 2, activiteit: [] } }), minutes(6))).toMatchObject({
      total: 5,
      answered: 1,
    });
  });

  it('counts a snapshot that holds a value before its minute, or with the clock never started', () => {
    const early = withSnapshots({ '20': { 'off-task': 1 } });
    expect(overig(early, minutes(11))).toMatchObject({ total: 3 + 6, answered: 1 });
    expect(overig(early)).toMatchObject({ total: 3 + 2, answered: 1 });
  });

  it('counts a five-field snapshot as five answers to fill', () => {
    const fields = ['a', 'b', 'c', 'd', 'e'].map((id) => ({
      id,
      label: both(id),
      response: { type: 'yes-no' as const },
    }));
    const response: SnapshotResponse = { type: 'snapshot', schedule: { atMinutes: [10, 20] }, fields };
    const item: Item = buildItem('vijf', { response, lookFors: undefined });
    expect(itemProgress(item, undefined, { elapsedMs: minutes(12) })).toEqual({ total: 5, answered: 0 });
    const three = { lookFors: [], snapshots: { '10': { a: 'yes', b: 'no', c: 'yes' } } };
    expect(itemProgress(item, three, { elapsedMs: minutes(12) })).toEqual({ total: 5, answered: 3 });
    expect(itemProgress(item, three, { elapsedMs: minutes(25) })).toEqual({ total: 10, answered: 3 });
    expect(snapshotsToFill(response, three.snapshots, minutes(25))).toEqual([
      { minute: 10, filled: 3, fields: 5 },
      { minute: 20, filled: 0, fields: 5 },
    ]);
  });

  it('treats only real values as filled', () => {
    expect([0, 'no', ['a'], 3].map(isFieldFilled)).toEqual([true, true, true, true]);
    expect([undefined, null, '', []].map(isFieldFilled)).toEqual([false, false, false, false]);
  });

  it('asks nothing of optional counters and free text', () => {
    const items = new Map(instrument.domains.flatMap((d) => d.items).map((item) => [item.id, item]));
    expect(itemProgress(items.get('teller')!, undefined)).toEqual({ total: 0, answered: 0 });
    expect(itemProgress(items.get('tekst')!, undefined)).toEqual({ total: 0, answered: 0 });
  });
});
