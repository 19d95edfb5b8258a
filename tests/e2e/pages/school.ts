import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

/**
 * Gets a fresh browser (empty IndexedDB) to a usable state the way a school does: one tap on "load demo school",
 * then "who am I". Returns the chosen person's name.
 */
export async function startWithDemoSchool(page: Page, person = 0): Promise<string> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Demoschool laden' }).tap();
  // Generating a school year of observations is the heaviest thing the app does; on a busy two-core machine it can
  // take longer than the default five seconds (the bench measures it; this only waits for it).
  await expect(page.getByRole('heading', { name: 'Wie gebruikt dit apparaat?' })).toBeVisible({ timeout: 20_000 });
  const button = page.locator('.person-button').nth(person);
  const name = (await button.locator('.person-name').textContent()) ?? '';
  await button.tap();
  await expect(page.getByRole('heading', { level: 1, name: /^Hallo / })).toBeVisible();
  return name;
}

/**
 * Starts an observation of the first colleague with the given instrument; returns the observation's URL. `fill`
 * answers the instrument's other context fields before starting.
 */
export async function startObservation(
  page: Page,
  instrument: RegExp = /Lesobservatie/,
  fill?: () => Promise<void>,
): Promise<string> {
  await page.getByRole('link', { name: 'Nieuwe observatie' }).tap();
  const colleague = page.getByLabel('Bij wie kijk je mee?');
  await expect(colleague.locator('option')).not.toHaveCount(1);
  await colleague.selectOption({ index: 1 });
  const instrumentSelect = page.getByLabel('Instrument');
  const option = instrumentSelect.locator('option', { hasText: instrument });
  await instrumentSelect.selectOption((await option.getAttribute('value')) ?? '');
  await page.getByLabel('Groep', { exact: true }).fill('groep 6');
  await page.getByLabel('Vak', { exact: true }).fill('rekenen');
  await fill?.();
  await page.getByRole('button', { name: 'Start de observatie' }).tap();
  await expect(page).toHaveURL(/\/observations\/[0-9a-f-]{36}$/);
  await expect(page.locator('.capture-item').first()).toBeVisible();
  return page.url();
}

/** Waits until the service worker is active and controls the page, as after a first visit and a reload. */
export async function waitUntilOfflineReady(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

/**
 * Installs an instrument file on this device the way installing does: one record per version (`id@version`) in
 * the device-only school's database. Written straight into IndexedDB, as a seed: the screens read it when opened.
 */
export async function installInstrumentFile(page: Page, file: string): Promise<void> {
  const content = JSON.parse(readFileSync(file, 'utf8')) as { id: string; version: string };
  await page.evaluate(
    (instrument) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('meekijken-school');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const now = Date.now();
          const transaction = open.result.transaction('instruments', 'readwrite');
          transaction.objectStore('instruments').put({
            id: `${instrument.id}@${instrument.version}`,
            owner: null,
            createdAt: now,
            updatedAt: now,
            instrumentId: instrument.id,
            version: instrument.version,
            content: instrument,
            source: 'imported',
          });
          transaction.oncomplete = () => {
            open.result.close();
            resolve();
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    content,
  );
}
