import { expect, test } from '@playwright/test';
import { EditorPage, startAsLeader } from './pages/editor-page';
import { allViolations } from './support/axe';

test.describe('accessibility (axe)', { tag: '@layout' }, () => {
  // Every screen in both languages, with every axe rule: sweep.spec.ts. Here the instrument editor's sections, one
  // at a time, in the states the sweep's empty draft does not reach: both languages side by side, problems at their
  // fields, a rule, a choice item.
  test.setTimeout(90_000);
  for (const language of ['Nederlands', 'English'] as const) {
    test(`the instrument editor: editing with problems shown, section by section, and the preview (${language})`, async ({
      page,
    }) => {
      await startAsLeader(page);
      const editor = new EditorPage(page);
      await editor.openStart();
      await editor.switchLanguage(language);

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
      expect(await allViolations(page)).toEqual([]);
      await editor.openSection(english ? 'Domain 1' : 'Domein 1');
      await page.locator('#editor-section article select').first().selectOption('choice');
      expect(await allViolations(page)).toEqual([]);
      expect(await editor.smallTouchTargets()).toEqual([]);
      await editor.openSection(english ? 'Scale' : 'Schaal');
      await page.locator('#editor-section input[type="checkbox"]').first().check();
      await editor.openSection(english ? 'General' : 'Algemeen');
      await page.locator('#editor-section details.advanced summary').tap();
      await expect(page.locator('.field-problems').first()).toBeVisible();
      await expect(page.locator('.editor-outline [aria-current="page"]')).toHaveCount(1);
      expect(await allViolations(page)).toEqual([]);
      expect(await editor.smallTouchTargets()).toEqual([]);
      expect(await editor.horizontalOverflow()).toBeLessThanOrEqual(0);

      await page.locator('.editor-actions a').first().tap();
      await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
      await expect(page.locator('.alert, .checked-preview')).toBeVisible();
      expect(await allViolations(page)).toEqual([]);
    });
  }
});

// The viewport is set, so the orientation does not matter: once, in landscape.
test.describe('accessibility (axe) at 320 px', () => {
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
    expect(await allViolations(page)).toEqual([]);
  });
});
