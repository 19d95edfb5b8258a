import { expect, test } from '@playwright/test';
import { startWithDemoSchool } from './pages/school';

test.describe('the data screen', () => {
  test('the home warning about browser clean-up can be put away once read, and stays away on this device', async ({
    page,
  }) => {
    await page.addInitScript(() => {
      navigator.storage.persisted = async () => false;
    });
    await startWithDemoSchool(page);
    const warning = page.getByText('Je gegevens op dit apparaat zijn nog niet beschermd');
    await expect(warning).toBeVisible();
    await page.getByRole('button', { name: 'Niet meer tonen' }).tap();
    await expect(warning).toBeHidden();
    await page.reload();
    await expect(page.getByRole('heading', { level: 2, name: 'Feedback voor mij' })).toBeVisible();
    await expect(warning).toBeHidden();
    // The data screen still explains it.
    await page.getByRole('banner').getByRole('link', { name: 'Gegevens' }).tap();
    await expect(page.getByText('Deze gegevens zijn nog niet beschermd.')).toBeVisible();
  });

  test('shows what is stored, warns while storage is not persistent, and asks the browser to keep it', async ({
    page,
  }) => {
    // The browser's answers are the edge we control: not yet persisted, and granted when asked.
    await page.addInitScript(() => {
      let granted = false;
      navigator.storage.persisted = async () => granted;
      navigator.storage.persist = async () => (granted = true);
    });
    await startWithDemoSchool(page);
    await expect(page.getByText('Je gegevens op dit apparaat zijn nog niet beschermd')).toBeVisible();
    await page.getByRole('link', { name: 'Wat kun je doen?' }).tap();

    await expect(page.getByRole('heading', { level: 1, name: 'Gegevens en opslag' })).toBeVisible();
    await expect(
      page
        .locator('.facts')
        .getByText(/^\d+([,.]\d)? MB$/)
        .first(),
    ).toBeVisible();
    await expect(page.locator('.facts dd').nth(2)).toHaveText(/^[1-9]\d*$/);
    const warning = page.getByText('Deze gegevens zijn nog niet beschermd.');
    await expect(warning).toBeVisible();
    await expect(page.getByText('Download regelmatig een back-up')).toBeVisible();
    await page.getByRole('button', { name: 'Vraag de browser om bescherming' }).tap();
    await expect(page.getByText('De browser heeft beloofd deze gegevens te bewaren')).toBeVisible();
    await expect(warning).toBeHidden();

    // The backup is one JSON file with the school's data.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Back-up downloaden' }).tap(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^meekijken-backup-\d{4}-\d{2}-\d{2}\.json$/);
    const backup = JSON.parse(
      await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8')),
    );
    expect(backup.format).toBe('meekijken-backup');
    expect(backup.tables.observations.length).toBeGreaterThan(50);
    expect(backup.tables).not.toHaveProperty('device');
  });
});

test.describe('on an iPad', () => {
  // iPadOS Safari introduces itself as a Mac with a touch screen.
  test.use({
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  });

  test('advises adding the app to the home screen', async ({ page }) => {
    await page.goto('/data');
    await expect(
      page.getByText(/Op een iPad: tik in Safari op de deelknop en kies “Zet op beginscherm”/),
    ).toBeVisible();
  });
});
