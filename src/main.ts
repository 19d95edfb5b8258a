import { mount } from 'svelte';
import App from './ui/app.svelte';
import { installShippedInstruments } from './data/instruments';
import { appUpdate } from './ui/app-update.svelte';
import './ui/styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// New shipped instrument versions become available on this device; installed versions are never changed.
installShippedInstruments().catch((error: unknown) => console.error('Meekijken could not install its instruments', error));

export default mount(App, { target });

// After the first screen: the service worker caches the app for use without a network.
appUpdate.register();
