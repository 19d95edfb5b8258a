/**
 * The report of an observation in cycles with a reverse-keyed dimension: the table per cycle shows what the
 * observer answered, and where a score turns the answer round it says so, in words a screen reader reads too.
 */
import { expect, test } from '@playwright/test';
import { CapturePage } from './pages/capture-page';
import { CompletePage } from './pages/complete-page';
import { startWithDemoSchool } from './pages/school';
import { seriousViolations } from './support/axe';

test('the report shows a reverse-keyed dimension’s own answers per cycle and says its score is turned round', async ({
  page,
}) => {
  await startWithDemoSchool(page);
  // Started by hand: nothing is on screen to answer before the first cycle is started.
  await page.getByRole('link', { name: 'Nieuwe observatie' }).tap();
  const colleague = page.getByLabel('Bij wie kijk je mee?');
  await expect(colleague.locator('option')).not.toHaveCount(1);
  await colleague.selectOption({ index: 1 });
  const instrument = page.getByLabel('Instrument');
  await instrument.selectOption(
    (await instrument.locator('option', { hasText: /Interactie in cycli/ }).getAttribute('value')) ?? '',
  );
  await page.getByRole('button', { name: 'Start de observatie' }).tap();
  await expect(page).toHaveURL(/\/observations\/[0-9a-f-]{36}$/);
  const url = page.url();
  const capture = new CapturePage(page);
  const warmth = capture.item(/Warmte en respect/);
  const tension = capture.item(/Spanning en negativiteit/);
  for (const [warm, tense] of [
    ['6', '7'],
    ['7', '6'],
  ]) {
    await page.getByRole('button', { name: /Nieuwe cyclus starten/ }).tap();
    await capture.rating(warmth, new RegExp(`^${warm}`)).tap();
    await capture.rating(tension, new RegExp(`^${tense}`)).tap();
  }
  await capture.expectSaved();
  await page.getByRole('link', { name: 'Afronden' }).tap();
  await new CompletePage(page).confirm.tap();
  await expect(page).toHaveURL(/\/feedback$/);

  await page.goto(`${url}/report`);
  const table = page.locator('table.cycle-scores[data-domain="sfeer"]');
  const row = (name: RegExp) => table.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name }) });
  // A plain dimension: its answers are its scores.
  await expect(row(/^Warmte en respect/).locator('td')).toHaveText(['6', '7', '6,5']);
  // The reverse-keyed one: the observer's answers, each with the score it counts as, and a mark that says why.
  const tense = row(/^Spanning en negativiteit/);
  await expect(tense.getByRole('rowheader')).toContainText('omgekeerd gescoord');
  await expect(tense.locator('td .answer')).toHaveText(['7', '6']);
  await expect(tense.locator('td .turned')).toHaveText(['telt als 1', 'telt als 2']);
  await expect(tense.locator('td.combined')).toHaveText('1,5');
  const note = page.locator('.reverse-note');
  await expect(note).toBeVisible();
  await expect(note).toContainText('een hoog antwoord ongunstig');
  await expect(table).toHaveAccessibleDescription(/Omgekeerd gescoord/);
  expect(await seriousViolations(page)).toEqual([]);
});
