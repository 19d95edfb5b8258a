/**
 * Focus mode while observing. During a lesson the observer's eyes are on the class and the tablet is held loosely:
 * one stray tap on the menu, the language switch or "who am I" must not take them off the observation. While a
 * screen holds focus mode (the capture form, the completion step), the header hides those links and offers one
 * deliberate way out instead, which first says the work is kept (app-header.svelte).
 */
import { untrack } from 'svelte';

class FocusMode {
  private holders = $state(0);

  get active(): boolean {
    return this.holders > 0;
  }

  /** Holds focus mode until the returned function is called: return it from an `$effect`. */
  hold(): () => void {
    // Not a dependency of the effect that holds: reading the count there would make each hold wake that effect
    // again (it releases and holds anew), and with it every screen that follows focus mode.
    untrack(() => this.holders++);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      untrack(() => this.holders--);
    };
  }
}

export const focusMode = new FocusMode();
