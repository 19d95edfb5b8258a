import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { CapturePage } from './pages/capture-page';
import { startObservation, startWithDemoSchool } from './pages/school';
import { UPDATES_PORT } from './support/ports';
import { startStaticServer, type SwitchableServer } from './support/static-server';
import { CURRENT_STORES } from '../../src/data/database/schema';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = path.join(ROOT, 'test-results/builds');

/** Builds the app into a folder of its own, named by build id (the "change" between two releases). */
function build(id: string): string {
  const outDir = path.join(OUT, id);
  execFileSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir'], {
    cwd: ROOT,
    env: { ...process.env, MEEKIJKEN_BUILD_ID: id },
    stdio: 'ignore',
  });
  return outDir;
}

// Updates arrive as a new service worker.
test.use({ serviceWorkers: 'allow' });

test.describe('updates', () => {
  // Two production builds and a service worker install: slower than the other tests.
  test.describe.configure({ mode: 'serial', timeout: 180_000 });
  let first: string;
  let second: string;
  let server: SwitchableServer;

  test.beforeAll(async ({}, testInfo) => {
    first = build(`release-1-${testInfo.project.name}`);
    second = build(`release-2-${testInfo.project.name}`);
    server = await startStaticServer(first, UPDATES_PORT);
  });

  test.afterAll(async () => {
    await server?.close();
  });

  test('a new version waits during an observation, loses no tap, and updates on consent afterwards', async ({
    page,
  }) => {
    const url = (p: string) => `${server.url}${p}`;
    await page.goto(url('/'));
    await page.getByRole('button', { name: 'Demoschool laden' }).tap();
    await page.locator('.person-button').first().tap();
    // Choosing who uses the tablet is stored, then the app goes home: reloading before that would reload the chooser.
    await expect(page.getByRole('link', { name: 'Nieuwe observatie' })).toBeVisible();
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

    await page.getByRole('link', { name: 'Nieuwe observatie' }).tap();
    await page.getByLabel('Bij wie kijk je mee?').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Start de observatie' }).tap();
    const capture = new CapturePage(page);
    await capture.rating(capture.nthItem(0), /^2/).tap();
    await capture.expectSaved();
    // Marks this page: a reload would wipe it.
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'still the same page'));

    // The school's host publishes the next release; the app finds it.
    server.serve(second);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await expect(
      page.getByText(/Er is een nieuwe versie van Meekijken. Die wordt aangeboden zodra je deze observatie verlaat/),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Nu bijwerken' })).toHaveCount(0);

    // Observing goes on: taps and typing are kept, the page is not reloaded.
    await capture.rating(capture.nthItem(1), /^4/).tap();
    await capture
      .nthItem(1)
      .getByRole('button', { name: /Toelichting bij/ })
      .tap();
    await capture
      .nthItem(1)
      .getByRole('textbox', { name: 'Toelichting', exact: true })
      .fill('Geeft elke leerling een beurt');
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('still the same page');
    const observationUrl = page.url();

    // Leaving the observation, the update is offered; taking it reloads into the new version.
    await capture.leave();
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Nu bijwerken' }).tap()]);
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker ?? 'reloaded')).toBe('reloaded');
    await page.goto(url('/data'));
    await expect(page.getByText(/\(build release-2-/)).toBeVisible();

    await page.goto(observationUrl);
    await expect(capture.rating(capture.nthItem(0), /^2/)).toHaveAttribute('aria-pressed', 'true');
    await expect(capture.rating(capture.nthItem(1), /^4/)).toHaveAttribute('aria-pressed', 'true');
    await expect(capture.nthItem(1).getByRole('textbox', { name: 'Toelichting', exact: true })).toHaveValue(
      'Geeft elke leerling een beurt',
    );
  });
});

test.describe('database upgrades across tabs', () => {
  test('an older tab saves, lets go and asks for a reload, instead of blocking the upgrade', async ({
    page,
    context,
  }) => {
    await startWithDemoSchool(page);
    await startObservation(page);
    const capture = new CapturePage(page);
    await capture.rating(capture.nthItem(0), /^3/).tap();
    await capture
      .nthItem(0)
      .getByRole('button', { name: /Toelichting bij/ })
      .tap();
    const newer = await context.newPage();
    await newer.goto('/instruments');
    await page.bringToFront();

    // Typing, and within the save delay, another tab runs a newer Meekijken that upgrades the database.
    await capture
      .nthItem(0)
      .getByRole('textbox', { name: 'Toelichting', exact: true })
      .pressSequentially('Half getypt', { delay: 20 });
    const upgraded = await newer.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const request = indexedDB.open('meekijken-school', 1000);
          request.onupgradeneeded = () => undefined;
          request.onsuccess = () => {
            const names = [...request.result.objectStoreNames];
            request.result.close();
            resolve(`upgraded, ${names.length} stores kept`);
          };
          // "blocked" only says the old tab has not let go yet; it does so once its last writes are in.
          request.onerror = () => resolve('error');
        }),
    );
    expect(upgraded).toBe(`upgraded, ${Object.keys(CURRENT_STORES).length} stores kept`);

    const dialog = page.getByRole('alertdialog', { name: 'Meekijken is bijgewerkt' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('Alles wat je hier deed is bewaard');

    // What was typed before the upgrade was saved by the old tab before it let go.
    const check = await newer.evaluate(
      () =>
        new Promise<boolean>((resolve) => {
          const request = indexedDB.open('meekijken-school');
          request.onsuccess = () => {
            const db = request.result;
            const all = db.transaction('responses').objectStore('responses').getAll();
            all.onsuccess = () => {
              resolve((all.result as Array<{ evidence?: string }>).some((r) => r.evidence === 'Half getypt'));
              db.close();
            };
          };
        }),
    );
    expect(check).toBe(true);
  });
});
