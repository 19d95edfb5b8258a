/**
 * The service worker and app updates, through workbox-window. A new version is downloaded in the background and
 * waits; it is activated only when the user agrees, and never while an observation is open (the screens decide
 * when to offer it). Whatever is being typed is saved before the page reloads into the new version.
 */
import type { Workbox } from 'workbox-window';
import { saveStatus } from '../shared/save-status.svelte';

/** How often a long-open app (a tablet that is never closed) looks for a new version. */
const CHECK_EVERY_MS = 60 * 60 * 1000;

class AppUpdate {
  /** A new version is installed and waiting for consent. */
  waiting = $state(false);
  /**
   * The school server refused this version of the app (`app-too-old`, README "School server"): it must be updated to
   * sync again. The banner says so, and offers the update as soon as the new version waits.
   */
  required = $state(false);
  /** The page runs offline-capable: a service worker with every file of this version controls it. */
  offlineReady = $state(false);
  private workbox: Workbox | undefined;
  private applying = false;

  /** Registers the service worker; workbox-window is a chunk of its own, loaded after the first screen. */
  async register() {
    if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
    const { Workbox } = await import('workbox-window');
    const workbox = new Workbox('/sw.js');
    this.workbox = workbox;
    workbox.addEventListener('waiting', () => (this.waiting = true));
    // Activated means every file is cached; the page is offline-capable once that worker also controls it (it claims
    // the page on its first install).
    const controlled = () => {
      if (navigator.serviceWorker.controller) this.offlineReady = true;
    };
    workbox.addEventListener('activated', controlled);
    navigator.serviceWorker.addEventListener('controllerchange', controlled);
    // The new worker takes over only after `apply()`; a takeover started from another tab does not reload this
    // one (it may have an observation open): the page keeps running its old code, and the banner stays, so the
    // user can load the new version when it suits them.
    workbox.addEventListener('controlling', () => {
      if (this.applying) location.reload();
      else this.waiting = true;
    });
    workbox
      .register()
      .then((registration) => {
        if (registration?.active) controlled();
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
      // workbox-window stops announcing versions found after one installed from another tab; ask directly.
      if ((await navigator.serviceWorker.getRegistration())?.waiting) this.waiting = true;
    } catch {
      // Offline: the next check will do.
    }
  }

  /**
   * The school server no longer syncs with this version: say so, and ask the service worker for the new version at
   * once (`registration.update()`) instead of waiting for the hourly check. The update itself still waits for the
   * user's consent, and what waits to be sent stays on the tablet until the new version sends it.
   */
  async requireUpdate() {
    this.required = true;
    try {
      if (this.workbox) await this.workbox.update();
      else await (await navigator.serviceWorker?.getRegistration())?.update();
      if ((await navigator.serviceWorker?.getRegistration())?.waiting) this.waiting = true;
    } catch {
      // Offline, or no service worker yet: the next check will do.
    }
  }

  /**
   * Activates the waiting version and reloads into it, after saving what is being typed. Offered only outside an
   * observation. When another tab already activated it, this page only needs to load it.
   */
  async apply() {
    if (!this.workbox || !this.waiting) return;
    saveStatus.startAll();
    await saveStatus.settled();
    if (!(await navigator.serviceWorker.getRegistration())?.waiting) {
      location.reload();
      return;
    }
    this.applying = true;
    this.workbox.messageSkipWaiting();
  }
}

export const appUpdate = new AppUpdate();
