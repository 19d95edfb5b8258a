/**
 * Next steps and themes for a screen: estimated in the worker (development.ts) when the screen's data really change
 * (not on every live-query answer); the estimate it replaces is abandoned, its answer never shown. Create it while a
 * component initialises.
 */
import { untrack } from 'svelte';
import { computeDevelopment } from './development';
import type { Development, DevelopmentInput } from '../../core/insight/development';

export class DevelopmentEstimate {
  result = $state.raw<Development | undefined>();
  failed = $state(false);

  /** `input` gives what to estimate, or undefined while the data are not there yet. */
  constructor(input: () => DevelopmentInput | undefined) {
    const key = $derived.by(() => {
      const current = input();
      if (!current) return '';
      const newest = current.rows.reduce((max, r) => Math.max(max, r.startedAt), 0);
      return `${current.instrument.id}:${current.rows.length}:${newest}:${Object.keys(current.teams).length}`;
    });
    $effect(() => {
      if (!key) return;
      const current = untrack(input)!;
      const controller = new AbortController();
      this.failed = false;
      this.result = undefined;
      computeDevelopment(current, controller.signal).then(
        (next) => !controller.signal.aborted && (this.result = next),
        () => !controller.signal.aborted && (this.failed = true),
      );
      return () => controller.abort();
    });
  }
}
