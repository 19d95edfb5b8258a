/**
 * The unit tests' environment (vite.config.ts): Node, with modules compiled for the browser, so that `*.svelte.ts`
 * modules run Svelte's client runtime, where effects run (the server build skips them). Together with the `browser`
 * resolve condition set for Vitest, a UI state module such as the capture session can be tested without a page.
 * IndexedDB comes from fake-indexeddb (setup.ts).
 */
import type { Environment } from 'vitest/environments';

export default {
  name: 'svelte-client',
  viteEnvironment: 'client',
  setup() {
    return { teardown() {} };
  },
} satisfies Environment;
