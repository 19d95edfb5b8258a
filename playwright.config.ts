import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { chromiumPath as executablePath } from './tests/e2e/support/chromium';
import { E2E_PORT as PORT } from './tests/e2e/support/ports';

/**
 * End-to-end tests run the production build in real Chromium at tablet sizes with touch, served by the school
 * server (`npm start`). The app works on the device alone, without any account on the server.
 *
 * Browser: see tests/e2e/support/chromium.ts. Port: E2E_PORT (tests/e2e/support/ports.ts), its own, so a
 * developer's `npm start` on 4173 and the tests do not meet.
 */

/** The server's data for this run: thrown away before each run (the command removes it), one folder per port. */
const DATA_DIR = path.join(tmpdir(), `meekijken-e2e-${PORT}`);

type Use = NonNullable<PlaywrightTestConfig['use']>;
const tablet = (width: number, height: number): Use => ({
  viewport: { width, height },
  hasTouch: true,
  isMobile: true,
  deviceScaleFactor: 2,
});

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // Never retried: a test that passes on a second try is a bug in the app or the test, and a retry would hide it
  // (and double the time of a failing run). To find a flaky test, run it many times: see the README, "Tests".
  retries: 0,
  workers: 2,
  // Two workers share two cores with Chromium and the server: allow a slow moment without hiding a hang.
  timeout: 60_000,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never', outputFolder: 'test-results/html' }]],
  // The slowest files are named at the end of every run, so a test that grows slow is seen.
  reportSlowTests: { max: 10, threshold: 60_000 },
  outputDir: 'test-results/artifacts',
  use: {
    baseURL: `http://localhost:${PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath },
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    // Recording a trace of every test costs about a fifth of the suite's time on two cores; a failure still leaves a
    // screenshot and the page's accessibility tree. To see a failing test step by step: `--trace on` (README, "Tests").
    trace: 'off',
    // Smooth scrolling makes elements move while Playwright waits for them to be stable; users who ask for
    // reduced motion get instant scrolling too, so this is a real setting, not a test-only path.
    reducedMotion: 'reduce',
    screenshot: 'only-on-failure',
    // Each new browser context would install the service worker and precache the whole build (every screen's chunk
    // and the instruments), work that only the specs about the worker need: they allow it (`test.use`), as do the
    // tablets that go offline in the cross-tablet specs.
    serviceWorkers: 'block',
  },
  projects: [
    // iPad Air / 10.9-inch tablets in both orientations.
    { name: 'tablet-landscape', use: tablet(1180, 820) },
    {
      name: 'tablet-portrait',
      use: tablet(820, 1180),
      // Again in portrait: the tests tagged @layout, which judge how a screen a teacher holds either way is laid out
      // (fixed bars and what stays in view, touch targets, reflow, axe): the accessibility sweep, the capture
      // screen's layout and focus tests, format 2's capture, and the instrument list, preview, install and editor.
      // The others test what the app does, not how it is laid out (sync, the school server, durability, updates,
      // offline, storage, the security policy, the feedback cycle across tablets, the leader's figures), and run once,
      // in landscape.
      grep: /@layout/,
    },
  ],
  webServer: {
    command: `rm -rf "${DATA_DIR}" && npm start`,
    env: { PORT: String(PORT), DATA_DIR, LOG_LEVEL: 'warn' },
    url: `http://localhost:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
