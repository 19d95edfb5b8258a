import { mount } from 'svelte';
import App from './ui/app.svelte';
import { installShippedInstruments } from './data/instruments';
import { databaseInUse } from './data/connection';
import { replayJournals } from './data/journal';
import { compactOutbox } from './data/write';
import { appUpdate } from './ui/shell/app-update.svelte';
import { pageStorage } from './ui/shared/save-status.svelte';
import './ui/styles/app.css';
import './ui/styles/cycle.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// New shipped instrument versions become available on this device; installed versions are never changed.
installShippedInstruments().catch((error: unknown) => console.error('Meekijken could not install its instruments', error));

// Changes the last page journalled but could not write (a reload or a closed tab mid-write) go into the database
// before the first screen reads it, so it does not flash older values. With an empty journal this costs one
// synchronous look at localStorage. The app does not wait for ever: a database held up by an old tab (an upgrade
// waiting) must not leave a blank page, and screens follow the database live when the replay lands later.
const REPLAY_WAIT_MS = 2000;
await Promise.race([
  replayJournals(pageStorage(), databaseInUse()).catch((error: unknown) => console.error('Meekijken could not replay its journal', error)),
  new Promise((resolve) => setTimeout(resolve, REPLAY_WAIT_MS)),
]);

export default mount(App, { target });

// The outbox only grows until a sync client pushes it; fold it once it is large (see data/write.ts).
void compactOutbox().catch((error: unknown) => console.error('Meekijken could not compact its outbox', error));
// Observations completed before summaries existed get theirs stored, for the dashboards (see data/insight.ts).
void import('./data/insight')
  .then(({ backfillSummaries }) => backfillSummaries())
  .catch((error: unknown) => console.error('Meekijken could not store observation summaries', error));

// After the first screen: the service worker caches the app for use without a network.
appUpdate.register();
