import { expect, test } from '@playwright/test';
import { startObservation, startWithDemoSchool } from './pages/school';
import { CapturePage } from './pages/capture-page';

test.describe('observing by keyboard', () => {
  test('an answer group is one Tab stop: the arrow keys move within it, Space answers, Tab goes on to the next item', async ({
    page,
  }) => {
    await startWithDemoSchool(page);
    await startObservation(page);
    const capture = new CapturePage(page);
    const first = capture.nthItem(0).locator('.rating-buttons').first();
    const second = capture.nthItem(1).locator('.rating-buttons').first();
    const buttons = first.getByRole('button');
    const count = await buttons.count();
    expect(count).toBeGreaterThan(2);

    // Tab reaches the group on its first answer; the others are out of the Tab order.
    await buttons.first().focus();
    await expect(first.locator('button[tabindex="0"]')).toHaveCount(1);
    await expect(first.locator('button[tabindex="-1"]')).toHaveCount(count - 1);

    // Arrows move (and wrap), without answering.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(buttons.nth(2)).toBeFocused();
    await expect(first.locator('button[aria-pressed="true"]')).toHaveCount(0);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(buttons.last()).toBeFocused();
    await page.keyboard.press('Home');
    await expect(buttons.first()).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');

    // Space answers; the Tab stop stays on the answer given.
    await page.keyboard.press('Space');
    await expect(buttons.nth(2)).toHaveAttribute('aria-pressed', 'true');
    await capture.expectSaved();

    // Tab leaves the group for the item's next control, never to another answer of the same group.
    await page.keyboard.press('Tab');
    const left = await page.evaluate(() => document.activeElement?.closest('.rating-buttons') === null);
    expect(left).toBe(true);

    // Coming back with Shift+Tab lands on the answer given, not on the first.
    await page.keyboard.press('Shift+Tab');
    await expect(buttons.nth(2)).toBeFocused();

    // From one item's answers to the next item's, the Tab presses do not depend on how many answers a scale has.
    let presses = 0;
    while (!(await second.evaluate((group) => group.contains(document.activeElement))) && presses < 20) {
      await page.keyboard.press('Tab');
      presses++;
    }
    expect(presses).toBeLessThan(20);
    const between = presses;
    await expect(second.locator('button[tabindex="0"]')).toHaveCount(1);
    expect(between, 'Tab presses from one rating to the next').toBeLessThanOrEqual(8);
  });
});
