import { expect, type Page } from '@playwright/test';

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

/** Starts an observation of the first colleague with the given instrument; returns the observation's URL. */
export async function startObservation(page: Page, instrument: RegExp = /Lesobservatie/): Promise<string> {
  await page.getByRole('link', { name: 'Nieuwe observatie' }).tap();
  const colleague = page.getByLabel('Bij wie kijk je mee?');
  await expect(colleague.locator('option')).not.toHaveCount(1);
  await colleague.selectOption({ index: 1 });
  const instrumentSelect = page.getByLabel('Instrument');
  const option = instrumentSelect.locator('option', { hasText: instrument });
  await instrumentSelect.selectOption((await option.getAttribute('value')) ?? '');
  await page.getByLabel('Groep', { exact: true }).fill('groep 6');
  await page.getByLabel('Vak', { exact: true }).fill('rekenen');
  await page.getByRole('button', { name: 'Start de observatie' }).tap();
  await expect(page).toHaveURL(/\/observations\/[0-9a-f-]{36}$/);
  await expect(page.locator('.capture-item').first()).toBeVisible();
  return page.url();
}
