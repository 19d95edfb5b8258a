import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { availableParallelism } from 'node:os';
import { defineConfig, type ViteUserConfig } from 'vitest/config';
import type { Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

/** `npm start` serves the production build here; `$PORT` overrides it (the end-to-end tests use their own port). */
const PORT = Number(process.env.PORT ?? 4173);

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
/** Names this build on the data screen; the update test builds twice with different ids. */
const BUILD_ID = process.env.MEEKIJKEN_BUILD_ID ?? version;

/**
 * The keys (`id@version`) of the instruments the app ships (`instruments/*.json`, the files
 * src/data/records/shipped-instruments.ts loads), so that a start sees whether any is new without loading them.
 */
const SHIPPED_INSTRUMENT_KEYS = readdirSync(new URL('./instruments', import.meta.url))
  .filter((file) => file.endsWith('.json') && !file.endsWith('.schema.json'))
  .map((file) => {
    const { id, version } = JSON.parse(readFileSync(new URL(`./instruments/${file}`, import.meta.url), 'utf8')) as {
      id: string;
      version: string;
    };
    return `${id}@${version}`;
  })
  .sort();

/**
 * `vite build --mode server`: the school server as plain JavaScript for Node (`dist-server/main.js`, the set-up link
 * command `dist-server/setup-link.js`, the move from PGlite to PostgreSQL `dist-server/move-to-postgres.js`, and the
 * team-figures worker thread `dist-server/team-figures.worker.js`, which src/server/insight/worker-pool.ts starts from
 * beside main.js), with src/core bundled in and the packages left to node_modules. `npm start` runs it with `node`.
 */
const serverBuild: ViteUserConfig = {
  publicDir: false,
  build: {
    ssr: true,
    target: 'node26',
    outDir: 'dist-server',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: {
        main: 'src/server/main.ts',
        'setup-link': 'src/server/setup-link-cli.ts',
        'move-to-postgres': 'src/server/move-to-postgres-cli.ts',
        'team-figures.worker': 'src/server/insight/team-figures.worker.ts',
      },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
};

/**
 * Brotli and gzip copies of every text file of the build (`x.js.br`, `x.js.gz`), made once at build time with the
 * strongest settings, so the school server sends compressed files without compressing per request
 * (src/server/http/static-files.ts). A copy that is not smaller than its file is not written. It runs after the
 * service worker is generated, so `sw.js` gets copies too; the worker's precache list names only the files themselves.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    );
  return {
    name: 'meekijken-precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        for (const file of walk(outDir).filter((name) => /\.(?:html|js|css|svg|json|webmanifest)$/.test(name))) {
          const content = readFileSync(file);
          if (content.length < 1024) continue;
          const brotli = brotliCompressSync(content, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
          });
          const gzip = gzipSync(content, { level: 9 });
          if (brotli.length < content.length) writeFileSync(`${file}.br`, brotli);
          if (gzip.length < content.length) writeFileSync(`${file}.gz`, gzip);
        }
      },
    },
  };
}

const appConfig: ViteUserConfig = {
  define: {
    __APP_VERSION__: JSON.stringify(version),
    __BUILD_ID__: JSON.stringify(BUILD_ID),
    __SHIPPED_INSTRUMENTS__: JSON.stringify(SHIPPED_INSTRUMENT_KEYS),
  },
  plugins: [
    svelte(),
    VitePWA({
      // We register the worker ourselves with workbox-window (src/ui/shell/app-update.svelte.ts), so that an update
      // waits for the user's consent and never reloads a page with an observation open.
      injectRegister: false,
      registerType: 'prompt',
      strategies: 'generateSW',
      manifest: {
        id: '/',
        name: 'Meekijken – collegiale lesobservatie',
        short_name: 'Meekijken',
        description: 'Lesobservatie en collegiale feedback voor basisschoolteams, ook zonder netwerk.',
        lang: 'nl',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: '#0e5a61',
        background_color: '#f6f4ef',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell, every lazily loaded chunk (screens, instruments, the validator) and the published schema.
        globPatterns: ['**/*.{html,js,css,svg,png,json,webmanifest}'],
        // Deep links (/observations/…) open offline too: every navigation gets the app shell.
        navigateFallback: '/index.html',
        // The school server's API (same origin) is never answered by the worker.
        navigateFallbackDenylist: [/^\/assets\//, /^\/api\//, /\.[a-z0-9]+$/i],
        cleanupOutdatedCaches: true,
        // A new worker waits until the user agrees to update (see app-update.svelte.ts). The first one takes over the
        // open page as soon as it has everything (there is no older version it could clash with): a new tablet then
        // opens screens it has not loaded yet without a network, without a reload first.
        skipWaiting: false,
        clientsClaim: true,
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
      },
    }),
    precompress(),
  ],
  build: {
    target: 'es2022',
    // `npm run bench` builds its own page beside the app (same origin, so it can fill the app's database).
    ...(process.env.MEEKIJKEN_BENCH ? { outDir: 'dist-bench' } : {}),
    // The budget that matters is initial JavaScript ≤ 100 KB gzipped (see README); Vite's warning is about one chunk.
    chunkSizeWarningLimit: 300,
    // Everything the first screen loads statically is one chunk (`$initial`: the entry and its static imports), not
    // the two dozen shared chunks Rolldown would split it into because screens import parts of it too: on a slow
    // connection each of those was a request of its own before the first screen. Screens stay chunks of their own.
    // Not for the benchmark's build: its page is a second entry, whose own imports would join the app's chunk.
    rollupOptions: process.env.MEEKIJKEN_BENCH
      ? { input: { main: 'index.html', bench: 'tests/bench/bench.html' } }
      : { output: { codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }] } } },
  },
  preview: {
    host: 'localhost',
    port: PORT,
    strictPort: true,
  },
  // Unit tests of `*.svelte.ts` modules need Svelte's client runtime, where effects run (see
  // tests/unit/svelte-client-environment.ts).
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core machine. The server tests wait on
    // PostgreSQL and child processes much of the time, so two workers there finish the suite about a third sooner.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        // The app: core, data layer (fake IndexedDB) and UI state modules, with the settings above.
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: './tests/unit/svelte-client-environment.ts',
          setupFiles: ['tests/unit/setup.ts'],
        },
      },
      {
        // The school server runs in plain Node: this project does not extend the config above, so no Svelte plugin,
        // no `browser` resolve condition and no fake IndexedDB. Every file opens its own database (PGlite, and
        // PostgreSQL when MEEKIJKEN_TEST_DATABASE_URL is set; tests/server/support/databases.ts).
        test: {
          name: 'server',
          include: ['tests/server/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
};

export default defineConfig(({ mode }) => (mode === 'server' ? serverBuild : appConfig));
