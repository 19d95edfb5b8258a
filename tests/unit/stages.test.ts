import { describe, expect, it } from 'vitest';
import { stagesOf, handOverProblems, nextAction } from '../../src/core/feedback/stages';
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
});
