import { describe, expect, it } from 'vitest';
import { elapsedMs, formatClock, pauseClock, startClock } from '../../src/core/observation/clock';
import { dueSnapshot, snapshotMinutes } from '../../src/core/observation/snapshots';
import { observationProgress, type ResponseContent } from '../../src/core/observation/progress';
import { applyResponsePatch } from '../../src/core/observation/response-patch';
import { buildInstrument } from '../factories/instrument-factory';

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
    expect(applyResponsePatch(snap, { kind: 'snapshot', minute: 5, fieldId: 'x', value: null })).not.toHaveProperty('snapshots');
    expect(applyResponsePatch(empty, { kind: 'choice', value: [] })).not.toHaveProperty('choice');
  });
});

describe('observation progress', () => {
  const instrument = buildInstrument();
  const respond = (entries: Array<[string, Partial<ResponseContent>]>) =>
    new Map(entries.map(([id, r]) => [id, { lookFors: [], ...r }]));

  it('counts what expects an answer, per domain, including behaviours under an element', () => {
    const progress = observationProgress(instrument, new Map());
    // klimaat: k1, k2, k3 + k3a, k3b; overig: checklist, janee, keuze, momenten (counter and text are optional)
    expect(progress.domains.map((d) => [d.domainId, d.total, d.answered])).toEqual([
      ['klimaat', 5, 0],
      ['overig', 4, 0],
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
      [3, 2],
    ]);
    expect(progress.total).toBe(8);
    expect(progress.answered).toBe(4);
  });
});
