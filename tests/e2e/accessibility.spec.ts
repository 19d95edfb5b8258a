import { expect, test } from '@playwright/test';
import { InstrumentPreviewPage, InstrumentsPage } from './pages/instruments-page';
import { CapturePage } from './pages/capture-page';
import { startObservation, startWithDemoSchool } from './pages/school';
import { EditorPage, startAsLeader } from './pages/editor-page';
import { seriousViolations } from './support/axe';

test.describe('accessibility (axe)', { tag: '@layout' }, () => {
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

  test('while observing: the note dialog and the completion screen have no serious violations, and fit the screen', async ({
    page,
  }) => {
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

  test('the home screen as a to-do list, the request form and the teacher’s own page have no serious violations', async ({
    page,
  }) => {
    await startWithDemoSchool(page);
    await expect(page.getByRole('heading', { level: 2, name: 'Feedback voor mij' })).toBeVisible();
    // The demo has feedback that waits longer than two weeks: the list says it is late, in words.
    await expect(page.locator('.todo-list .waiting.late').first()).toHaveText(/^te laat: wacht al \d+ dagen$/);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await new CapturePage(page).horizontalOverflow()).toBeLessThanOrEqual(0);
    await page.getByRole('link', { name: 'Vraag een collega' }).tap();
    await expect(page.getByRole('heading', { level: 1, name: 'Vraag een collega om te komen kijken' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('banner').getByRole('link', { name: 'Mijn pagina' }).tap();
    await expect(page.getByRole('heading', { level: 2, name: 'Mijn ontwikkeldoelen' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    // Where a finger goes: the goals' links to their observation, and the kinds of observation to choose from.
    const app = new CapturePage(page);
    await expect(page.locator('.goal-source').first()).toBeVisible();
    expect(await app.smallTouchTargets()).toEqual([]);
    await page.getByRole('banner').getByRole('link', { name: 'Start' }).tap();
    await page.getByRole('link', { name: 'Nieuwe observatie' }).tap();
    await expect(page.getByRole('radio').first()).toBeAttached();
    expect(await app.smallTouchTargets()).toEqual([]);
  });

  for (const language of ['Nederlands', 'English'] as const) {
    test(`the instrument editor: the instruments list with drafts, starting, editing with problems shown, the preview (${language})`, async ({
      page,
    }) => {
      await startAsLeader(page);
      const editor = new EditorPage(page);
      await editor.openStart();
      await editor.switchLanguage(language);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await editor.smallTouchTargets()).toEqual([]);

      // Both languages side by side, problems next to the fields and in the summary, a rule and a choice item.
      await page
        .getByRole('radio', { name: language === 'English' ? 'Dutch and English' : 'Nederlands en Engels' })
        .check();
      await page
        .getByRole('button', { name: language === 'English' ? 'Make an empty instrument' : 'Leeg instrument maken' })
        .tap();
      await expect(page).toHaveURL(/\/instrument-drafts\/[0-9a-f-]{36}$/);
      await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
      await expect(page.locator('.problem-summary')).toBeVisible();
      // One section at a time, each checked as it shows; the outline marks the one shown.
      const english = language === 'English';
      await editor.openSection(english ? 'Rules' : 'Regels');
      await page.locator('#editor-section button.secondary').last().tap();
      expect(await seriousViolations(page)).toEqual([]);
      await editor.openSection(english ? 'Domain 1' : 'Domein 1');
      await page.locator('#editor-section select').first().selectOption('choice');
      expect(await seriousViolations(page)).toEqual([]);
      expect(await editor.smallTouchTargets()).toEqual([]);
      await editor.openSection(english ? 'Scale' : 'Schaal');
      await page.locator('#editor-section input[type="checkbox"]').first().check();
      await editor.openSection(english ? 'General' : 'Algemeen');
      await page.locator('#editor-section details.advanced summary').tap();
      await expect(page.locator('.field-problems').first()).toBeVisible();
      await expect(page.locator('.editor-outline [aria-current="page"]')).toHaveCount(1);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await editor.smallTouchTargets()).toEqual([]);
      expect(await editor.horizontalOverflow()).toBeLessThanOrEqual(0);

      await page.locator('.editor-actions a').first().tap();
      await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
      await expect(page.locator('.alert, .checked-preview')).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);

      // The instruments list with a draft on it.
      await editor.header.getByRole('link', { name: language === 'English' ? 'Instruments' : 'Instrumenten' }).tap();
      await expect(page.locator('.row-list li')).toHaveCount(1);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await editor.smallTouchTargets()).toEqual([]);
    });
  }

  test('the instrument editor reflows at 320 px: no sideways scrolling, every control still 44 px', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await startAsLeader(page);
    const editor = new EditorPage(page);
    await editor.startFromScratch('Nederlands en Engels');
    await editor.openSection('Domein 1');
    await editor.item('1.1').getByRole('button', { name: '+ Kijkpunt toevoegen' }).tap();
    await editor.domain(1).getByRole('button', { name: '+ Item toevoegen' }).tap();
    expect(await editor.horizontalOverflow()).toBeLessThanOrEqual(0);
    expect(await editor.smallTouchTargets()).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
