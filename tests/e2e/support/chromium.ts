import { existsSync } from 'node:fs';

/**
 * The Chromium the tests drive: $CHROMIUM_PATH when set, else Debian's /usr/bin/chromium when present (machines
 * without internet cannot download Playwright's browsers), else Playwright's own (`npx playwright install chromium`).
 */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
export const chromiumPath: string | undefined =
  process.env.CHROMIUM_PATH ?? (existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined);
