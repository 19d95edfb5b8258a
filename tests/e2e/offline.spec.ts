import { expect, test } from '@playwright/test';
import { CapturePage } from './pages/capture-page';
import { startObservation, startWithDemoSchool, waitUntilOfflineReady } from './pages/school';

// Offline, the service worker serves the app.
test.use({ serviceWorkers: 'allow' });

test.describe('without a network', () => {
  test('starts, opens deep links, and observes and completes a lesson offline', async ({ page, context }) => {
    test.setTimeout(90_000);
    await startWithDemoSchool(page);
    await waitUntilOfflineReady(page);

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: /^Hallo / })).toBeVisible();

    // A bookmark or deep link straight into a screen.
    await page.goto('/instruments/meekijken.time-on-task');
    await expect(page.getByRole('heading', { level: 1, name: /Betrokkenheid/ })).toBeVisible();
    await page.goto('/data');
    await expect(page.getByText('Deze versie werkt ook zonder netwerk.')).toBeVisible();
    await page.goto('/');

    // The whole cycle: start, rate, complete, write feedback and hand it over.
    const url = await startObservation(page);
    const capture = new CapturePage(page);
    await capture.rating(capture.nthItem(0), /^3/).tap();
    await page.getByRole('link', { name: 'Afronden' }).tap();
    await page.getByRole('button', { name: 'Observatie afronden' }).tap();
    await page.getByRole('button', { name: '+ Top toevoegen' }).tap();
    await page.getByRole('textbox', { name: 'Top 1' }).fill('Rustige, duidelijke start.');
    await page.getByRole('button', { name: '+ Tip toevoegen' }).tap();
    await page.getByRole('textbox', { name: 'Tip 1' }).fill('Noem het lesdoel.');
    await page.getByRole('button', { name: /^Overdragen aan / }).tap();
    await expect(page).toHaveURL(/\/report$/);
    await expect(page.locator('.stage-steps .current')).toContainText('Overgedragen');

    const firstItem = page.locator('.summary-item').first();
    await page.goto(url);
    await expect(firstItem).toContainText('3 – Voldoende');
    await expect(page.locator('.feedback-list.top')).toContainText('Rustige, duidelijke start.');

    await context.setOffline(false);
    await page.reload();
    await expect(firstItem).toContainText('3 – Voldoende');
  });

  test('a new tablet works offline as soon as the app says so, without reloading: screens not opened yet open too', async ({
    page,
    context,
  }) => {
    test.setTimeout(60_000);
    await startWithDemoSchool(page);
    // No reload: the first visit's page itself is taken over once the worker has everything.
    await page.getByRole('banner').getByRole('link', { name: 'Gegevens' }).tap();
    await expect(page.getByText('Deze versie werkt ook zonder netwerk.')).toBeVisible({ timeout: 30_000 });
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

    await context.setOffline(true);
    // Screens whose code this page has not loaded yet come from the worker's cache.
    await page.getByRole('banner').getByRole('link', { name: 'Instrumenten' }).tap();
    await expect(page.getByRole('heading', { level: 1, name: 'Instrumenten' })).toBeVisible();
    await page.getByRole('banner').getByRole('link', { name: 'Mijn pagina' }).tap();
    await expect(page.getByRole('heading', { level: 1, name: 'Mijn pagina' })).toBeVisible();
    await page.getByRole('banner').getByRole('link', { name: 'Start' }).tap();
    const url = await startObservation(page);
    expect(url).toMatch(/\/observations\//);
    await context.setOffline(false);
  });

  test('is installable: the manifest is valid and its icons load', async ({ page, request }) => {
    await page.goto('/instruments');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBeTruthy();
    const response = await request.get(href!);
    expect(response.ok()).toBe(true);
    const manifest = await response.json();
    expect(manifest).toMatchObject({
      name: expect.stringContaining('Meekijken'),
      short_name: 'Meekijken',
      display: 'standalone',
      start_url: '/',
    });
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    const icons = manifest.icons as Array<{ src: string; sizes: string; type: string; purpose: string }>;
    expect(icons.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual([
      '192x192 any',
      '512x512 any',
      '512x512 maskable',
    ]);
    for (const icon of icons) {
      const size = Number(icon.sizes.split('x')[0]);
      const dimensions = await page.evaluate(async (src) => {
        const image = new Image();
        image.src = src;
        await image.decode();
        return [image.naturalWidth, image.naturalHeight];
      }, icon.src);
      expect(dimensions).toEqual([size, size]);
    }
    // iPad: an icon for the home screen, and the advice to add the app there.
    expect(await page.locator('link[rel="apple-touch-icon"]').getAttribute('href')).toBe('/icons/apple-touch-icon.png');
  });
});
