/**
 * The scheduler of this page (sync-scheduler.svelte.ts) on the browser's events, syncing the account in use.
 * Started by the sync bar, which the app shows only for a signed-in account.
 */
import { SyncScheduler } from './sync-scheduler.svelte';
import { runSync } from './actions';
import { focusMode } from '../../shell/focus-mode.svelte';
import { getChangesAddress } from '../../../data/sync/sync-transport';
import { appUpdate } from '../../shell/app-update.svelte';

export const syncSession = new SyncScheduler({
  run: async (mode) => {
    const result = await runSync(mode);
    // The school server no longer syncs with this version: the update flow offers the new one (the banner).
    if (result?.outcome === 'failed' && result.failure === 'app-too-old') void appUpdate.requireUpdate();
    return result;
  },
  visible: () => document.visibilityState === 'visible',
  paused: () => focusMode.active,
  listen: (event, listener) => {
    const target = event === 'online' ? window : document;
    target.addEventListener(event, listener);
    return () => target.removeEventListener(event, listener);
  },
  serverChanges: (on) => {
    // The browser reconnects a dropped stream by itself (after the server's `retry`), and says `open` again; a
    // refused one (an error answer) it leaves closed, and the scheduler reopens it once it has been silent a while.
    let source: EventSource | undefined;
    const open = () => {
      const current = new EventSource(getChangesAddress());
      current.addEventListener('open', () => on('open'));
      current.addEventListener('beat', () => on('beat'));
      current.addEventListener('changed', () => on('changed'));
      current.addEventListener('error', () => on('lost'));
      source = current;
    };
    open();
    return {
      close: () => source?.close(),
      reopen: () => {
        source?.close();
        open();
      },
    };
  },
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});
