/**
 * A panel's one action at a time (reading a chosen file, writing what it holds): busy while it runs, a failure kept
 * as text to show, and focus on the panel's result afterwards, so a screen reader and a keyboard user land on what
 * happened.
 */
import { tick } from 'svelte';

export class PanelAction {
  busy = $state(false);
  failed = $state<string | undefined>();

  constructor(private readonly result: () => HTMLElement | undefined) {}

  async run(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.failed = undefined;
    try {
      await work();
    } catch (error) {
      this.failed = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = false;
    }
    await tick();
    this.result()?.focus();
  }
}
