import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { InstrumentPreviewPage, InstrumentsPage } from './pages/instruments-page';

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

test.describe('accessibility (axe)', () => {
  // axe walks every node of the full instrument preview (hundreds of texts): slow on a 2-core CI machine.
  test.setTimeout(90_000);
  for (const language of ['Nederlands', 'English'] as const) {
    test(`the instruments list and a preview have no serious violations (${language})`, async ({ page }) => {
      const list = new InstrumentsPage(page);
      await list.open();
      await list.switchLanguage(language);
      await expect(list.cards).toHaveCount(5);
      expect(await seriousViolations(page)).toEqual([]);

      const preview = new InstrumentPreviewPage(page);
      await preview.open('meekijken.lesobservatie');
      await expect(preview.domainNav).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});
