/**
 * A Node test environment whose modules are compiled for the browser: `*.svelte.ts` modules then run Svelte's client
 * runtime, where effects run (the server build skips them). Use it with `// @vitest-environment
 * ./tests/unit/svelte-client-environment.ts` in tests of the UI's state modules. Dexie runs on fake-indexeddb, as in
 * the data-layer tests.
 */
import type { Environment } from 'vitest/environments';

export default {
  name: 'svelte-client',
  viteEnvironment: 'client',
  setup() {
    return { teardown() {} };
  },
} satisfies Environment;
