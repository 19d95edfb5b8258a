/**
 * The scheduler of this page (sync-scheduler.svelte.ts) on the browser's events, syncing the account in use.
 * Started by the sync bar, which the app shows only for a signed-in account.
 */
import { SyncScheduler } from './sync-scheduler.svelte';
import { runSync } from './actions';
import { focusMode } from '../../shell/focus-mode.svelte';
import { getChangesAddress } from '../../../data/sync/sync-transport';

export const syncSession = new SyncScheduler({
  run: (mode) => runSync(mode),
  visible: () => document.visibilityState === 'visible',
  paused: () => focusMode.active,
  listen: (event, listener) => {
    const target = event === 'online' ? window : document;
    target.addEventListener(event, listener);
    return () => target.removeEventListener(event, listener);
  },
  serverChanges: (listener) => {
    // The browser reconnects a dropped stream by itself (after the server's `retry`); a refused one (signed out)
    // stays closed, and the periodic sync reports that.
    const source = new EventSource(getChangesAddress());
    source.addEventListener('changed', listener);
    return () => source.close();
  },
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});
