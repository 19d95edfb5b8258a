/**
 * Focus mode (src/ui/shell/focus-mode.svelte.ts): a screen holds it from an `$effect`. Holding must not make that
 * effect depend on the count of holders, or every hold wakes the holding effect again, which releases and holds
 * anew: the capture screen then re-ran its effects and the header on every tap (megabytes of garbage per tap, and
 * garbage collections that held taps back a frame).
 */
import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { focusMode } from '../../src/ui/shell/focus-mode.svelte';

describe('focus mode', () => {
  it('is active while held and the holding effect runs once per change of what it reads', () => {
    let runs = 0;
    let show = $state(true);
    const stop = $effect.root(() => {
      $effect(() => {
        runs++;
        if (show) return focusMode.hold();
      });
    });
    flushSync();
    expect(focusMode.active).toBe(true);
    expect(runs).toBe(1);
    // Another holder (a second screen) comes and goes: the first effect is not woken.
    const release = focusMode.hold();
    flushSync();
    release();
    release(); // releasing twice counts once
    flushSync();
    expect(runs).toBe(1);
    expect(focusMode.active).toBe(true);
    show = false;
    flushSync();
    expect(runs).toBe(2);
    expect(focusMode.active).toBe(false);
    stop();
  });
});
