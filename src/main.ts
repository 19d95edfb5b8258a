// The global styles first, so every component's own <style> comes after them (see src/ui/styles/primitives.css).
import './ui/styles/tokens.css';
import './ui/styles/frame.css';
import './ui/styles/primitives.css';
import { mount } from 'svelte';
import { useActiveDatabase, getOpenAccount } from './data/sync/accounts';
import App from './ui/app.svelte';
import { installShippedInstruments } from './data/records/instruments';
import { replayJournals } from './data/records/page-writes';
import { compactOutbox } from './data/writes/outbox';
import { appUpdate } from './ui/shell/app-update.svelte';
import { afterFirstScreen } from './ui/shell/after-first-screen';
import { loadLanguage, locale } from './ui/i18n/locale.svelte';

// Before anything reads (no module above touches the database when it loads): the database of the account in use,
// or the device-only school's (see data/sync/accounts.ts).
useActiveDatabase();

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// Changes the last page journalled but could not write (a reload or a closed tab mid-write) go into the database
// before the first screen reads it, so it does not flash older values. With an empty journal this costs one
// synchronous look at localStorage. The app does not wait for ever: a database held up by an old tab (an upgrade
// waiting) must not leave a blank page, and screens follow the database live when the replay lands later.
const REPLAY_WAIT_MS = 2000;
await Promise.race([
  replayJournals().catch((error: unknown) => console.error('Meekijken could not replay its journal', error)),
  new Promise((resolve) => setTimeout(resolve, REPLAY_WAIT_MS)),
]);

// English texts are a chunk of their own: a tablet set to English loads them before the first screen.
await loadLanguage(locale.current).catch((error: unknown) =>
  console.error('Meekijken could not load its texts', error),
);

export default mount(App, { target });

// What no screen waits for comes after the first screen, one piece at a time (see ui/shell/after-first-screen.ts).
void afterFirstScreen(
  // The service worker caches the app for use without a network.
  () =>
    appUpdate
      .register()
      .catch((error: unknown) => console.error('Meekijken could not register its service worker', error)),
  // New shipped instrument versions become available on this device; installed versions are never changed. A
  // signed-in account gets its instruments from the school server (installing them here would push them as this
  // person, and only an administrator writes instruments). Creating a school or loading the demo installs them too.
  async () => {
    if (!getOpenAccount())
      await installShippedInstruments().catch((error: unknown) =>
        console.error('Meekijken could not install its instruments', error),
      );
  },
  // On a device-only school the outbox only grows; fold it once it is large (never what was sent, see data/writes/outbox.ts).
  () =>
    compactOutbox().then(
      () => undefined,
      (error: unknown) => console.error('Meekijken could not compact its outbox', error),
    ),
  // Observations completed before summaries existed get theirs stored, for the dashboards (see
  // data/records/insight.ts). Not on a signed-in account: its observations come from the server as their observers
  // stored them, and storing a summary here would push a change to colleagues' observations; the loader computes any
  // that are missing.
  async () => {
    if (!getOpenAccount())
      await import('./data/records/insight')
        .then(({ backfillSummaries }) => backfillSummaries())
        .then(
          () => undefined,
          (error: unknown) => console.error('Meekijken could not store observation summaries', error),
        );
  },
);
