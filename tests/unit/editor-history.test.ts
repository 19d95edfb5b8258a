/**
 * The instrument editor's undo and redo (src/ui/features/instruments/editor-history.ts): every step back to the
 * value before it, typing in one field as one step, a bounded history, and redo until the next edit.
 */
import { describe, expect, it } from 'vitest';
import { COALESCE_MS, EditHistory } from '../../src/ui/features/instruments/editor-history';

/** A history on a clock the test moves. */
function history(limit?: number) {
  let time = 0;
  const steps = new EditHistory<string, string>(() => time, limit);
  return { steps, later: (ms: number) => (time += ms) };
}

describe('the editor’s history', () => {
  it('undoes each step back to the value before it, and redoes them until the next edit', () => {
    const { steps } = history();
    expect(steps.canUndo).toBe(false);
    expect(steps.undo('a')).toBeUndefined();
    steps.record('a');
    steps.record('b', { focus: 'domains[0]' });
    expect(steps.undo('c')).toEqual({ value: 'b', focus: 'domains[0]' });
    expect(steps.undo('b')).toEqual({ value: 'a' });
    expect(steps.canUndo).toBe(false);
    expect(steps.redo('a')).toEqual({ value: 'b' });
    expect(steps.redo('b')).toEqual({ value: 'c', focus: 'domains[0]' });
    expect(steps.canRedo).toBe(false);
    steps.undo('c');
    steps.record('b');
    expect(steps.canRedo).toBe(false);
  });

  it('takes typing in one field as one step, until a pause, another field or the end of the step', () => {
    const { steps, later } = history();
    steps.record('', { group: 'title' });
    later(200);
    steps.record('K', { group: 'title' });
    later(200);
    steps.record('Ki', { group: 'title' });
    steps.record('Kij', { group: 'description' });
    later(COALESCE_MS + 1);
    steps.record('Kij-', { group: 'description' });
    steps.close();
    steps.record('Kij--', { group: 'description' });
    expect(steps.undo('Kij---')).toEqual({ value: 'Kij--' });
    expect(steps.undo('Kij--')).toEqual({ value: 'Kij-' });
    expect(steps.undo('Kij-')).toEqual({ value: 'Kij' });
    expect(steps.undo('Kij')).toEqual({ value: '' });
    expect(steps.canUndo).toBe(false);
  });

  it('keeps a bounded number of steps, forgetting the oldest', () => {
    const { steps } = history(3);
    for (const value of ['a', 'b', 'c', 'd', 'e']) steps.record(value);
    expect([steps.undo('f')?.value, steps.undo('e')?.value, steps.undo('d')?.value, steps.undo('c')]).toEqual([
      'e',
      'd',
      'c',
      undefined,
    ]);
  });
});
