/**
 * Observing with an instrument in format 3, on a tablet: a component worked out from its elements that the observer
 * may judge otherwise (the report keeps the calculated level beside the chosen one), and a rule on a section's score
 * ("when the climate is low, ask why") that shows and requires its question as the ratings come in. The report reads
 * the section's score in its band.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { CapturePage } from './pages/capture-page';
import { CompletePage } from './pages/complete-page';
import { installInstrumentFile, startObservation, startWithDemoSchool } from './pages/school';
import { seriousViolations } from './support/axe';
import { expectCleanAtNarrowWidth } from './support/narrow';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/format-3-capture.json');

test('an observer judges a worked-out level otherwise and answers what a low section score asks', async ({ page }) => {
  test.setTimeout(90_000);
  await startWithDemoSchool(page);
  await installInstrumentFile(page, FIXTURE);
  await page.reload();
  const url = await startObservation(page, /Oordeel en toelichting/);
  const capture = new CapturePage(page);

  // The climate: the explanation is asked for only once the climate's score is low.
  await capture.rating(capture.item(/De leerkracht toont respect/), /^3/).tap();
  await capture.expectSaved();
  await capture.domainTab(/Toelichting/).tap();
  await expect(capture.item(/Wat maakte het klimaat laag/)).toHaveCount(0);
  await capture.domainTab(/Klimaat/).tap();
  await capture.rating(capture.item(/De sfeer is ontspannen/), /^1/).tap();
  await capture.expectSaved();
  // (3 + 1) / 2 = 2: at most 2.
  await capture.domainTab(/Toelichting/).tap();
  const why = capture.item(/Wat maakte het klimaat laag/);
  await expect(why).toBeVisible();
  await expect(why.locator('.required-badge')).toHaveText('verplicht');
  await why.getByRole('textbox').fill('Veel onrust bij de wissel naar het zelfstandig werken.');
  await capture.expectSaved();

  // The component: worked out from its elements, judged otherwise by the observer.
  await capture.domainTab(/Instructie/).tap();
  const component = capture.item(/^1\. Duidelijke uitleg|Duidelijke uitleg/).first();
  await capture.rating(capture.item(/Noemt het doel/), /^2/).tap();
  await capture.rating(capture.item(/Geeft een voorbeeld/), /^3/).tap();
  await capture.expectSaved();
  // (2 + 3) / 2 = 2.5: exactly between two levels, the higher.
  await expect(component.locator('.score-value')).toContainText('3');
  const own = component.getByRole('group', { name: 'Jouw niveau voor Duidelijke uitleg' });
  await own.getByRole('button', { name: /^2/ }).tap();
  await capture.expectSaved();
  await expect(own.getByRole('button', { name: /^2/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(component.locator('.score-value')).toContainText('3');
  await expect(component.getByRole('button', { name: 'Het berekende niveau gebruiken' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('format-3-capture.png') });
  // At 320 px (a tablet zoomed in): the worked-out level, the observer's own and the way back all reflow.
  await expectCleanAtNarrowWidth(page, 'format-3-capture', component);

  await page.getByRole('link', { name: 'Afronden' }).tap();
  const complete = new CompletePage(page);
  await complete.expectShown();
  await expect(complete.confirm).toBeEnabled();
  await complete.confirm.tap();
  await expect(page).toHaveURL(/\/feedback$/);

  await page.goto(`${url}/report`);
  const judged = page.locator('.summary-item[data-item="uitleg"]');
  await expect(judged).toContainText('gekozen door de observant; berekend: 3');
  await expect(judged.locator('.summary-answer')).toContainText(/^\s*2/);
  // The climate's score in its band.
  await expect(page.locator('.summary-domain').filter({ hasText: 'Klimaat' }).locator('.domain-score')).toContainText(
    /2,0\s*– laag/,
  );
  expect(await seriousViolations(page)).toEqual([]);
  await expectCleanAtNarrowWidth(page, 'format-3-report', judged);
});
