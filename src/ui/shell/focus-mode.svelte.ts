/**
 * Focus mode while observing. During a lesson the observer's eyes are on the class and the tablet is held loosely:
 * one stray tap on the menu, the language switch or "who am I" must not take them off the observation. While a
 * screen holds focus mode (the capture form, the completion step), the header hides those links and offers one
 * deliberate way out instead, which first says the work is kept (app-header.svelte).
 */
import { untrack } from 'svelte';

class FocusMode {
  private holders = $state(0);
  /** The release of the hold a route took before its screen was in the page (see `holdUntilShown`). */
  private provisional: (() => void) | undefined;

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

  /**
   * Holds focus mode from the moment a route that observes is entered until its screen is in the page (`shown`),
   * which then holds it itself or not. Without it the header would change shape, and move the screen, once the
   * screen's chunk and records arrive after the first frame. Return it from an `$effect`.
   */
  holdUntilShown(): () => void {
    const release = this.hold();
    this.provisional = release;
    return () => {
      release();
      if (this.provisional === release) this.provisional = undefined;
    };
  }

  /** A screen is in the page (shell/lazy-screen.svelte says so): a hold taken until then ends. */
  shown(): void {
    this.provisional?.();
    this.provisional = undefined;
  }
}

export const focusMode = new FocusMode();
