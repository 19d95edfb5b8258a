import { expect, test } from '@playwright/test';
import { InstrumentPreviewPage, InstrumentsPage } from './pages/instruments-page';

test.describe('the instruments screen', () => {
  test('lists the shipped instruments in Dutch', async ({ page }) => {
    const list = new InstrumentsPage(page);
    await list.open();
    await expect(list.main.getByRole('heading', { level: 1 })).toHaveText('Instrumenten');
    await expect(list.cards).toHaveCount(6);
    // The everyday observation first; the one observed in cycles after it.
    await expect(list.cards.first()).toContainText(/Lesobservatie – algemene kijkwijzer/);
    await expect(list.cards.nth(1)).toContainText('Interactie in cycli');
    await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  });

  test('switches to English, and remembers it after a reload', async ({ page }) => {
    const list = new InstrumentsPage(page);
    await list.open();
    await expect(list.cards).toHaveCount(6);
    await list.switchLanguage('English');
    await expect(list.main.getByRole('heading', { level: 1 })).toHaveText('Instruments');
    await expect(list.card(/Lesson observation – /)).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');

    await page.reload();
    await expect(list.main.getByRole('heading', { level: 1 })).toHaveText('Instruments');
    await list.switchLanguage('Nederlands');
    await expect(list.main.getByRole('heading', { level: 1 })).toHaveText('Instrumenten');
  });

  test(
    'opens the full preview of an instrument by tapping it, in both languages',
    { tag: '@layout' },
    async ({ page }) => {
      const list = new InstrumentsPage(page);
      await list.open();
      await list.card(/Lesobservatie – algemene kijkwijzer/).tap();

      const preview = new InstrumentPreviewPage(page);
      await expect(page).toHaveURL(/\/instruments\/meekijken\.lesobservatie$/);
      await expect(preview.title).toContainText(/lesobservatie/i);
      // Six domains, reachable from the domain navigation.
      await expect(preview.domainNav.getByRole('link')).toHaveCount(6);
      const domains = preview.main.locator('section.domain');
      await expect(domains).toHaveCount(6);
      // The scale with its level descriptors and "not observed".
      await expect(preview.main.getByRole('heading', { name: /Schaal/ })).toBeVisible();
      await expect(preview.main.locator('.scale-levels li')).toHaveCount(4);
      await expect(preview.main.getByText('Ook mogelijk: Niet gezien')).toBeVisible();
      // Items with look-fors and item descriptors.
      const firstItem = domains.first().getByRole('article').first();
      await expect(firstItem.getByRole('heading', { name: 'Kijkpunten' })).toBeVisible();
      expect(await firstItem.locator('.look-fors li').count()).toBeGreaterThanOrEqual(3);
      await expect(firstItem.locator('.descriptors > div')).toHaveCount(4);
      // A rule shows on the items it makes not applicable.
      await expect(preview.main.getByText(/Vervalt wanneer .* nee/).first()).toBeVisible();

      await preview.domainNav.getByRole('link').nth(4).tap();
      await expect(domains.nth(4)).toBeInViewport();

      await preview.switchLanguage('English');
      await expect(preview.main.getByRole('heading', { name: /^Scale/ })).toBeVisible();
      await expect(preview.main.getByText('Also possible: Not observed')).toBeVisible();
      await expect(firstItem.getByRole('heading', { name: 'Look-fors' })).toBeVisible();
      await expect(preview.domainNav.getByRole('link').first()).toHaveText(/^1\. .*climate/i);
    },
  );

  test('opens a deep link directly and goes back to the list', async ({ page }) => {
    const preview = new InstrumentPreviewPage(page);
    await preview.open('meekijken.time-on-task');
    await expect(preview.main.getByText(/Momentopnamen op minuut 5, 10, 15/)).toBeVisible();
    await expect(preview.main.getByText(/Banden: /)).toBeVisible();
    await preview.main.getByRole('link', { name: /Terug/ }).tap();
    await expect(page).toHaveURL(/\/instruments$/);
    await page.goBack();
    await expect(page).toHaveURL(/time-on-task$/);
    await expect(preview.title).toBeVisible();
  });

  test('shows behaviours under an element in the starter-coaching instrument', async ({ page }) => {
    const preview = new InstrumentPreviewPage(page);
    await preview.open('meekijken.startersbegeleiding');
    await expect(preview.main.getByRole('heading', { name: 'Gedrag onder dit element' })).toBeVisible();
    await expect(preview.main.locator('.children .item-card').first()).toBeVisible();
  });

  test('opens the example observed in cycles: three domains rated 1–7, one dimension reverse-keyed', async ({
    page,
  }) => {
    const preview = new InstrumentPreviewPage(page);
    await preview.open('meekijken.interactie-cycli');
    await expect(preview.title).toHaveText('Interactie in cycli');
    await expect(preview.main.locator('section.domain')).toHaveCount(3);
    await expect(preview.main.getByText(/Zevenpuntsschaal \(1–7\)/).first()).toBeVisible();
    await expect(preview.item(/Spanning en negativiteit/).locator('.note-inline')).toBeVisible();
  });

  test('says so when an instrument does not exist', async ({ page }) => {
    const preview = new InstrumentPreviewPage(page);
    await preview.open('bestaat.niet');
    await expect(preview.main.getByText('Er is geen instrument met id bestaat.niet.')).toBeVisible();
  });

  test('has touch targets of at least 44 px and no sideways scrolling', { tag: '@layout' }, async ({ page }) => {
    const list = new InstrumentsPage(page);
    await list.open();
    await expect(list.cards).toHaveCount(6);
    expect(await list.smallTouchTargets()).toEqual([]);
    expect(await list.horizontalOverflow()).toBeLessThanOrEqual(0);

    const preview = new InstrumentPreviewPage(page);
    await preview.open('meekijken.lesobservatie');
    await expect(preview.domainNav).toBeVisible();
    expect(await preview.smallTouchTargets()).toEqual([]);
    expect(await preview.horizontalOverflow()).toBeLessThanOrEqual(0);
  });
});
