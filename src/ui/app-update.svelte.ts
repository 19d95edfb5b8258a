/**
 * The service worker and app updates, through workbox-window. A new version is downloaded in the background and
 * waits; it is activated only when the user agrees, and never while an observation is open (the screens decide
 * when to offer it). Whatever is being typed is saved before the page reloads into the new version.
 */
import { Workbox } from 'workbox-window';
import { flushUnsavedText, saveStatus } from './save-status.svelte';

/** How often a long-open app (a tablet that is never closed) looks for a new version. */
const CHECK_EVERY_MS = 60 * 60 * 1000;

class AppUpdate {
  /** A new version is installed and waiting for consent. */
  waiting = $state(false);
  /** The page runs offline-capable (a service worker controls it). */
  offlineReady = $state(false);
  private workbox: Workbox | undefined;
  private applying = false;

  register() {
    if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
    const workbox = new Workbox('/sw.js');
    this.workbox = workbox;
    workbox.addEventListener('waiting', () => (this.waiting = true));
    workbox.addEventListener('activated', () => (this.offlineReady = true));
    // The new worker takes over only after `apply()`; a takeover started from another tab does not reload this
    // one (it may have an observation open): the page keeps running and updates on its next start.
    workbox.addEventListener('controlling', () => {
      if (this.applying) location.reload();
    });
    workbox
      .register()
      .then((registration) => {
        if (registration?.active) this.offlineReady = true;
      })
      .catch((error: unknown) => console.error('Meekijken could not register its service worker', error));
    setInterval(() => void this.check(), CHECK_EVERY_MS);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void this.check();
    });
  }

  async check() {
    try {
      await this.workbox?.update();
    } catch {
      // Offline: the next check will do.
    }
  }

  /** Activates the waiting version and reloads into it, after saving what is being typed. */
  async apply() {
    if (!this.workbox || !this.waiting) return;
    this.applying = true;
    flushUnsavedText();
    await saveStatus.settled();
    this.workbox.messageSkipWaiting();
  }
}

export const appUpdate = new AppUpdate();
