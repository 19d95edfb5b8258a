import { expect, test } from '@playwright/test';

test('shots', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Demoschool laden' }).tap();
  await page.locator('.person-button', { hasText: 'Schoolleider' }).first().tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Waar groeit het team?' })).toBeVisible();
  await expect(page.locator('canvas').first()).toBeVisible();
  await page.waitForFunction(() => document.querySelectorAll('canvas').length >= 3);
  await page.screenshot({ path: `/tmp/shot-team-${testInfo.project.name}.png`, fullPage: true });
});
