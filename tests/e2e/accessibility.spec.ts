import { expect, test } from '@playwright/test';
import { InstrumentPreviewPage, InstrumentsPage } from './pages/instruments-page';
import { CapturePage } from './pages/capture-page';
import { startObservation, startWithDemoSchool } from './pages/school';
import { seriousViolations } from './support/axe';

test.describe('accessibility (axe)', () => {
  // axe walks every node of the full instrument preview (hundreds of texts): slow on a 2-core CI machine.
  test.setTimeout(90_000);
  for (const language of ['Nederlands', 'English'] as const) {
    test(`the instruments list and a preview have no serious violations (${language})`, async ({ page }) => {
      const list = new InstrumentsPage(page);
      await list.open();
      await list.switchLanguage(language);
      await expect(list.cards).toHaveCount(6);
      expect(await seriousViolations(page)).toEqual([]);

      const preview = new InstrumentPreviewPage(page);
      await preview.open('meekijken.lesobservatie');
      await expect(preview.domainNav).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  test('while observing: the note dialog and the completion screen have no serious violations, and fit the screen', async ({ page }) => {
    await startWithDemoSchool(page);
    await startObservation(page);
    const capture = new CapturePage(page);
    await capture.rating(capture.nthItem(0), /^3/).tap();
    await page.getByRole('button', { name: '+ Notitie' }).tap();
    await expect(page.getByRole('dialog')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('dialog').getByRole('button', { name: 'Klaar' }).tap();
    await expect(page.getByRole('dialog')).toBeHidden();

    await page.getByRole('link', { name: 'Afronden' }).tap();
    await expect(page.getByRole('heading', { level: 1, name: 'Observatie afronden' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    expect(await capture.smallTouchTargets()).toEqual([]);
    expect(await capture.horizontalOverflow()).toBeLessThanOrEqual(0);
  });

  test('writing feedback and the report have no serious violations, and fit the screen', async ({ page }) => {
    await startWithDemoSchool(page);
    await startObservation(page);
    const capture = new CapturePage(page);
    await capture.rating(capture.nthItem(0), /^3/).tap();
    await (await capture.evidence(capture.nthItem(0))).fill('Begroet elke leerling bij de deur.');
    await capture.expectSaved();
    await page.getByRole('link', { name: 'Afronden' }).tap();
    await page.getByRole('button', { name: 'Observatie afronden' }).tap();
    await expect(page.getByRole('heading', { level: 1, name: /^Feedback voor / })).toBeVisible();
    await page.getByRole('button', { name: '+ Top toevoegen' }).tap();
    await page.getByRole('textbox', { name: 'Top 1' }).fill('Begroette iedereen bij de deur.');
    await page.getByRole('button', { name: '+ Tip toevoegen' }).tap();
    await page.getByRole('textbox', { name: 'Tip 1' }).fill('Noem het lesdoel.');
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await capture.smallTouchTargets()).toEqual([]);
    expect(await capture.horizontalOverflow()).toBeLessThanOrEqual(0);

    await page.getByRole('button', { name: /^Overdragen aan / }).tap();
    await expect(page.getByRole('heading', { level: 1, name: /^Lesobservatie bij / })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await capture.smallTouchTargets()).toEqual([]);
    expect(await capture.horizontalOverflow()).toBeLessThanOrEqual(0);
  });

  test('the home screen as a to-do list, the request form and the teacher’s own page have no serious violations', async ({ page }) => {
    await startWithDemoSchool(page);
    await expect(page.getByRole('heading', { level: 2, name: 'Feedback voor mij' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    expect(await new CapturePage(page).horizontalOverflow()).toBeLessThanOrEqual(0);
    await page.getByRole('link', { name: 'Vraag een collega' }).tap();
    await expect(page.getByRole('heading', { level: 1, name: 'Vraag een collega om te komen kijken' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('banner').getByRole('link', { name: 'Mijn pagina' }).tap();
    await expect(page.getByRole('heading', { level: 2, name: 'Mijn ontwikkeldoelen' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
