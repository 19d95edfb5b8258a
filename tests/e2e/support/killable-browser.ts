/**
 * A browser that can be killed like a tablet running out of battery: a persistent profile (so IndexedDB and
 * localStorage are on disk as on a device), the browser's main process killed with SIGKILL by its id (no unload,
 * no flush, no goodbye), and the same profile opened again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { chromiumPath } from './chromium';

export interface KillableBrowser {
  context: BrowserContext;
  page: Page;
  /** SIGKILL to the browser's main process; resolves when Playwright has seen it die. */
  kill(): Promise<void>;
}

export interface TabletOptions {
  baseURL: string;
  viewport: { width: number; height: number };
}

/** The main browser process started with this profile: the one with our --user-data-dir and no --type. */
function browserPid(userDataDir: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone meanwhile
    }
    if (args.includes(`--user-data-dir=${userDataDir}`) && !args.some((a) => a.startsWith('--type=')))
      return Number(entry);
  }
  throw new Error(`no browser process for ${userDataDir}`);
}

export async function launchKillable(userDataDir: string, options: TabletOptions): Promise<KillableBrowser> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    baseURL: options.baseURL,
    viewport: options.viewport,
    hasTouch: true,
    isMobile: true,
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    reducedMotion: 'reduce',
  });
  const pid = browserPid(userDataDir);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async kill() {
      const closed = new Promise<void>((resolve) => context.once('close', () => resolve()));
      process.kill(pid, 'SIGKILL');
      await closed;
    },
  };
}
