/**
 * Where you are, for everyone (WCAG 2.4.2, 2.4.3, 4.1.3):
 * - every screen's page title is its `h1` ("Feedback voor Emre – Meekijken"), kept current as the heading changes
 *   (data arriving, another language); a screen whose heading is a bare name says what the screen is with
 *   `data-page-title` on its `h1`;
 * - after an in-app navigation (not on the first load, where the browser starts at the top) focus moves to the new
 *   screen's `h1`, once it is drawn, unless the screen put focus somewhere on purpose (an item it opens at);
 * - `announce` tells a screen reader, politely, what just happened where the heading alone does not say it ("handed
 *   over", "completed").
 *
 * One mechanism for every screen, so no screen can forget it; a test walks every route and checks both.
 */

import type { Route } from './router.svelte';

const APP_NAME = 'Meekijken';

/** The live region's text (app.svelte draws it); cleared first so that the same words twice are announced twice. */
class Announcer {
  text = $state('');
  private timer: ReturnType<typeof setTimeout> | undefined;

  say(words: string) {
    this.text = '';
    clearTimeout(this.timer);
    // A fresh text a moment later is what screen readers reliably pick up from a live region that already exists.
    this.timer = setTimeout(() => (this.text = words), 50);
  }
}

export const announcer = new Announcer();

/** Tells a screen reader what just happened, without moving focus (a polite live region). */
export function announce(words: string): void {
  announcer.say(words);
}

/** The text a screen's title is made of: the `h1`'s own words, or its `data-page-title`. */
function screenName(heading: HTMLElement): string {
  return (heading.dataset.pageTitle ?? heading.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Which screen a route shows: a change of `item` in an open observation is the same screen, not a navigation. */
export function screenOf(route: Route): string {
  return 'id' in route ? `${route.name}:${route.id}` : route.name;
}

/**
 * Follows the screens drawn inside `main`: keeps `document.title` at the current `h1`, and moves focus to it after
 * `navigated()`.
 */
export class ScreenFollower {
  private focusWanted = false;
  private readonly observer: MutationObserver;

  constructor(private readonly main: HTMLElement) {
    this.observer = new MutationObserver(() => this.sync());
    this.observer.observe(main, {
      childList: true,
      subtree: true,
      characterData: true,
      attributeFilter: ['data-page-title'],
    });
    this.sync();
  }

  /** An in-app navigation to another screen: its `h1` gets focus as soon as it is drawn. */
  navigated() {
    this.focusWanted = true;
    queueMicrotask(() => this.sync());
  }

  stop() {
    this.observer.disconnect();
  }

  private sync() {
    const heading = this.main.querySelector<HTMLElement>('h1');
    if (!heading) return;
    const name = screenName(heading);
    const title = name && name !== APP_NAME ? `${name} – ${APP_NAME}` : APP_NAME;
    if (document.title !== title) document.title = title;
    if (!this.focusWanted) return;
    this.focusWanted = false;
    const active = document.activeElement;
    // The screen already put focus inside itself on purpose (an item it opens at, a field to fill in): keep it.
    if (active && active !== document.body && active !== this.main && this.main.contains(active)) return;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}
