/**
 * Start-up work that no screen waits for (registering the service worker, installing new shipped instruments,
 * folding the outbox, storing missing summaries) runs once the first screen is drawn and the browser is idle, one
 * piece per idle moment. On a slow tablet the first screen's scripts, reads and drawing then go first: that work's
 * chunks (the instruments are 50 KB compressed) and database reads no longer hold up the first screen.
 */

/** When no screen is drawn by then (a database that does not open, an error), the work starts anyway. */
const AT_THE_LATEST_MS = 5000;
/** Where the browser has no idle callbacks (Safari): a short pause between the pieces. */
const PAUSE_MS = 100;

let drawn: (() => void) | undefined;
const firstScreen = new Promise<void>((resolve) => {
  drawn = resolve;
  setTimeout(resolve, AT_THE_LATEST_MS);
});

/**
 * A screen is in the page (shell/lazy-screen.svelte says so for every screen; only the first one counts): the work
 * waits until the browser has painted it (the task after the next frame).
 */
export function screenDrawn(): void {
  const resolve = drawn;
  drawn = undefined;
  if (resolve) requestAnimationFrame(() => setTimeout(resolve));
}

const idle = () =>
  new Promise<void>((resolve) => {
    if ('requestIdleCallback' in window) requestIdleCallback(() => resolve(), { timeout: 2000 });
    else setTimeout(resolve, PAUSE_MS);
  });

/** Runs `work` in turn after the first screen, each piece when the browser is idle; each handles its own failure. */
export async function afterFirstScreen(...work: ReadonlyArray<() => Promise<void>>): Promise<void> {
  await firstScreen;
  for (const piece of work) {
    await idle();
    await piece();
  }
}
