import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/** `npm start` serves the production build here; `$PORT` overrides it (the end-to-end tests use their own port). */
const PORT = Number(process.env.PORT ?? 4173);

export default defineConfig({
  plugins: [svelte()],
  build: {
    target: 'es2022',
    // The budget that matters is initial JavaScript ≤ 100 KB gzipped (see README); Vite's warning is about one chunk.
    chunkSizeWarningLimit: 300,
  },
  preview: {
    host: 'localhost',
    port: PORT,
    strictPort: true,
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['tests/unit/setup.ts'],
  },
});
