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
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  // Two workers share two cores with Chromium and the server: allow a slow moment without hiding a hang.
  timeout: 60_000,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never', outputFolder: 'test-results/html' }]],
  outputDir: 'test-results/artifacts',
  use: {
    baseURL: `http://localhost:${PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath },
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    trace: 'retain-on-failure',
    // Smooth scrolling makes elements move while Playwright waits for them to be stable; users who ask for
    // reduced motion get instant scrolling too, so this is a real setting, not a test-only path.
    reducedMotion: 'reduce',
    screenshot: 'only-on-failure',
  },
  projects: [
    // iPad Air / 10.9-inch tablets in both orientations.
    { name: 'tablet-landscape', use: tablet(1180, 820) },
    {
      name: 'tablet-portrait',
      use: tablet(820, 1180),
      // Service worker, updates, storage, database upgrades and the server's security policy do not depend on the
      // screen's orientation, and some are the slowest tests (two production builds): they run once, in landscape.
      testIgnore: ['**/updates.spec.ts', '**/offline.spec.ts', '**/data-screen.spec.ts', '**/security-policy.spec.ts'],
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
