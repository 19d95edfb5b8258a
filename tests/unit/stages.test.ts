import { describe, expect, it } from 'vitest';
import {
  DUE_DAYS,
  dueAfterDaysOf,
  stagesOf,
  handOverProblems,
  nextAction,
  waitingAtStep,
} from '../../src/core/feedback/stages';
import type { Observation, ObservationStatus, Purpose } from '../../src/core/model/records';

const observation = (
  status: ObservationStatus,
  purpose: Purpose = 'peer',
): Pick<
  Observation,
  'observerId' | 'observedId' | 'purpose' | 'status' | 'startedAt' | 'completedAt' | 'handedOverAt'
> => ({
  observerId: 'bram',
  observedId: purpose === 'self' ? 'bram' : 'anna',
  purpose,
  status,
  startedAt: 100,
  ...(status !== 'draft' ? { completedAt: 200 } : {}),
  ...(status === 'shared' ? { handedOverAt: 300 } : {}),
});

describe('the stages of an observation', () => {
  it('moves draft → completed → handed over → read → discussed, keeping each time', () => {
    expect(stagesOf(observation('draft'))).toEqual({ step: 'draft', at: { draft: 100 } });
    expect(stagesOf(observation('completed'))).toEqual({ step: 'completed', at: { draft: 100, completed: 200 } });
    expect(stagesOf(observation('shared'))).toEqual({
      step: 'handed-over',
      at: { draft: 100, completed: 200, 'handed-over': 300 },
    });
    expect(stagesOf(observation('shared'), { readAt: 400 }).step).toBe('read');
    expect(stagesOf(observation('shared'), { readAt: 400, acknowledgedAt: 500 })).toEqual({
      step: 'discussed',
      at: { draft: 100, completed: 200, 'handed-over': 300, read: 400, discussed: 500 },
    });
  });

  it('says what each side does next', () => {
    const table: Array<
      [
        string,
        ReturnType<typeof observation>,
        { readAt?: number; acknowledgedAt?: number; text: string } | undefined,
        string | undefined,
        string | undefined,
      ]
    > = [
      ['recording', observation('draft'), undefined, 'observe', undefined],
      ['completed', observation('completed'), undefined, 'write-feedback', undefined],
      ['handed over', observation('shared'), undefined, 'await-reading', 'read'],
      ['read, no reflection yet', observation('shared'), { readAt: 4, text: '' }, 'await-discussion', 'reflect'],
      ['reflected', observation('shared'), { readAt: 4, text: 'Herkenbaar' }, 'await-discussion', 'discuss'],
      ['discussed', observation('shared'), { readAt: 4, acknowledgedAt: 5, text: '' }, undefined, undefined],
      ['a completed self-assessment', observation('completed', 'self'), undefined, undefined, undefined],
    ];
    for (const [, o, reflection, observer, observed] of table) {
      expect([nextAction('bram', o, reflection), nextAction('anna', o, reflection)]).toEqual([
        observer,
        o.purpose === 'self' ? undefined : observed,
      ]);
    }
    expect(nextAction('someone-else', observation('shared'))).toBeUndefined();
  });

  it('hands over only with a top and a tip that say something', () => {
    expect(handOverProblems(undefined)).toEqual(['no-top', 'no-tip']);
    expect(handOverProblems({ points: [{ id: '1', kind: 'top', text: 'Rust' }] })).toEqual(['no-tip']);
    expect(
      handOverProblems({
        points: [
          { id: '1', kind: 'top', text: 'Rust' },
          { id: '2', kind: 'tip', text: ' ' },
        ],
      }),
    ).toEqual(['no-tip']);
    expect(
      handOverProblems({
        points: [
          { id: '1', kind: 'tip', text: 'Lesdoel' },
          { id: '2', kind: 'top', text: 'Rust' },
        ],
      }),
    ).toEqual([]);
  });

  it('counts the whole days a cycle waits at its step, late from the day the school allows', () => {
    const DAY = 24 * 60 * 60 * 1000;
    const completed = observation('completed');
    const stages = stagesOf(completed);
    // Waiting for the feedback since completing (200).
    expect(waitingAtStep(completed, stages, 200 + 3 * DAY - 1)).toEqual({ days: 2, late: false });
    expect(waitingAtStep(completed, stages, 200 + DUE_DAYS.default * DAY)).toEqual({
      days: DUE_DAYS.default,
      late: true,
    });
    expect(waitingAtStep(completed, stages, 200 + 5 * DAY, 5)).toEqual({ days: 5, late: true });
    // The school's own number of days, else the default.
    expect(dueAfterDaysOf(undefined)).toBe(DUE_DAYS.default);
    expect(dueAfterDaysOf({})).toBe(DUE_DAYS.default);
    expect(dueAfterDaysOf({ dueAfterDays: 5 })).toBe(5);
    // A clock set back never makes a negative age.
    expect(waitingAtStep(completed, stages, 0)).toEqual({ days: 0, late: false });
    // Handed over: waiting for reading since the hand-over (300); read: for the conversation since reading (400).
    const shared = observation('shared');
    expect(waitingAtStep(shared, stagesOf(shared), 300 + DAY)?.days).toBe(1);
    expect(waitingAtStep(shared, stagesOf(shared, { readAt: 400 }), 400 + 20 * DAY)).toEqual({ days: 20, late: true });
    // Nothing waits in a draft, after the conversation, or in a self-assessment.
    expect(waitingAtStep(observation('draft'), stagesOf(observation('draft')), 100 * DAY)).toBeUndefined();
    expect(waitingAtStep(shared, stagesOf(shared, { readAt: 400, acknowledgedAt: 500 }), 100 * DAY)).toBeUndefined();
    const self = observation('completed', 'self');
    expect(waitingAtStep(self, stagesOf(self), 100 * DAY)).toBeUndefined();
  });
});
