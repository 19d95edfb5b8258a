import { mount } from 'svelte';
import App from './ui/app.svelte';
import { installShippedInstruments } from './data/instruments';
import { db } from './data/db';
import { replayJournals } from './data/journal';
import { appUpdate } from './ui/app-update.svelte';
import { pageStorage } from './ui/save-status.svelte';
import './ui/styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// New shipped instrument versions become available on this device; installed versions are never changed.
installShippedInstruments().catch((error: unknown) => console.error('Meekijken could not install its instruments', error));

// Changes the last page journalled but could not write (a reload or a closed tab mid-write) go into the database
// before any screen reads it. With an empty journal this costs one synchronous look at localStorage.
try {
  await replayJournals(pageStorage(), db().name);
} catch (error) {
  console.error('Meekijken could not replay its journal', error);
}

export default mount(App, { target });

// After the first screen: the service worker caches the app for use without a network.
appUpdate.register();
