/**
 * A school server of a spec's own, for what the suite's web server cannot show: the set-up link a server prints at its
 * first start (on its stdout only), or settings of its own (an SMTP server). A fresh DATA_DIR in the temp folder;
 * `stop()` ends the process and removes it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, type Browser, type Page } from '@playwright/test';

export interface OwnServer {
  /** http://localhost:PORT */
  base: string;
  /** The set-up link the server printed. */
  setupLink: string;
  stop(): Promise<void>;
}

export async function startOwnServer(options: {
  port: number;
  /** What to run under this Node: the built server (`dist-server/main.js`) or the source through tsx. */
  args: readonly string[];
  /** More environment variables (SMTP_HOST …). */
  env?: Record<string, string>;
}): Promise<OwnServer> {
  const base = `http://localhost:${options.port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'meekijken-e2e-server-'));
  const server = spawn(process.execPath, [...options.args], {
    env: {
      ...process.env,
      PORT: String(options.port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      PUBLIC_URL: base,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async () => {
    if (server.exitCode === null) {
      const stopped = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await stopped;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const setupLink = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(
        () => reject(new Error(`No set-up link within 60 s; the server said:\n${seen}`)),
        60_000,
      );
      server.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const link = /Meekijken: open (\S+\/setup#token=\S+)/.exec(seen)?.[1];
        if (link) {
          clearTimeout(timer);
          resolve(link);
        }
      });
      server.once('exit', (code) => reject(new Error(`The server stopped (${code}):\n${seen}`)));
    });
    return { base, setupLink, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A colleague's own tablet (a browser context of its own, the same size as `like`, with touch), signed in to `base`
 * with a sign-in code: on the home screen, greeted by name.
 */
export async function colleaguesTablet(
  browser: Browser,
  like: Page,
  base: string,
  code: string,
  firstName: string,
): Promise<Page> {
  const context = await browser.newContext({
    viewport: like.viewportSize(),
    hasTouch: true,
    isMobile: true,
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    reducedMotion: 'reduce',
  });
  const tablet = await context.newPage();
  await tablet.goto(`${base}/connect?code=${encodeURIComponent(code)}`);
  await tablet.getByRole('textbox', { name: 'Naam van deze tablet' }).fill('Tablet groep 4');
  await tablet.getByRole('button', { name: 'Verbinden' }).tap();
  await expect(tablet.getByRole('heading', { level: 1, name: `Hallo ${firstName}` })).toBeVisible({ timeout: 30_000 });
  return tablet;
}
