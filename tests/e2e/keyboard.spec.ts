import { expect, test, type Locator } from '@playwright/test';
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

test.describe('a whole observation by keyboard', () => {
  test('two ratings, completing, a top, a tip and handing over take at most 40 key presses besides the text typed', async ({
    page,
  }) => {
    await startWithDemoSchool(page);
    await startObservation(page);
    const capture = new CapturePage(page);
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
    const pressed: string[] = [];
    const press = async (key: string) => {
      pressed.push(key);
      await page.keyboard.press(key);
    };
    /** Tab until `target` has focus (or 20 presses, to fail clearly), checking each stop is in view. */
    const tabTo = async (target: Locator) => {
      for (let n = 0; n < 20; n++) {
        if (await target.evaluate((element) => element.contains(document.activeElement))) return;
        await press('Tab');
      }
      throw new Error(`Tab did not reach ${target.toString()}`);
    };
    const first = capture.nthItem(0).locator('.rating-buttons').first();
    const second = capture.nthItem(1).locator('.rating-buttons').first();

    await tabTo(first);
    await press('ArrowRight');
    await press('ArrowRight');
    await press('Space');
    await expect(first.getByRole('button').nth(2)).toHaveAttribute('aria-pressed', 'true');
    await tabTo(second);
    await press('ArrowRight');
    await press('ArrowRight');
    await press('ArrowRight');
    await press('Space');
    await expect(second.getByRole('button').nth(3)).toHaveAttribute('aria-pressed', 'true');
    await capture.expectSaved();

    // Finishing is a shortcut away, and the completion screen offers completing before the list of open items.
    await press('Alt+A');
    await expect(page.getByRole('heading', { level: 1, name: 'Observatie afronden' })).toBeFocused();
    await tabTo(page.getByRole('button', { name: 'Observatie afronden' }));
    await press('Enter');
    const handOver = page.getByRole('button', { name: /^Overdragen aan / });
    await expect(page.getByRole('heading', { level: 1, name: /^Feedback voor / })).toBeFocused();
    // Feedback needs a top and a tip: adding one puts the cursor in it (the text typed is not counted as presses).
    await tabTo(page.getByRole('button', { name: '+ Top toevoegen' }));
    await press('Enter');
    await expect(page.getByRole('textbox', { name: 'Top 1' })).toBeFocused();
    await page.keyboard.type('Iedereen kwam aan de beurt.');
    await tabTo(page.getByRole('button', { name: '+ Tip toevoegen' }));
    await press('Enter');
    await expect(page.getByRole('textbox', { name: 'Tip 1' })).toBeFocused();
    await page.keyboard.type('Noem het lesdoel aan het begin.');
    await tabTo(handOver);
    await press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: /^Lesobservatie bij / })).toBeVisible();
    await expect(page.locator('.stage-steps .current')).toContainText('Overgedragen');
    expect(pressed.length, pressed.join(' ')).toBeLessThanOrEqual(40);
  });

  test('the skip link and the shortcuts reach the action bar from anywhere on the form', async ({ page }) => {
    await startWithDemoSchool(page);
    await startObservation(page);
    const tabs = page.getByRole('navigation', { name: 'Domeinen' });
    // The skip link is the form's first stop after its heading, hidden until focused.
    const skip = page.getByRole('link', { name: 'Naar de knoppen onderaan' });
    await expect(skip).toHaveAccessibleDescription(/Alt\+N notitie, Alt\+A afronden/);
    await expect(skip).not.toBeInViewport();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    await skip.focus();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.locator('.capture-actions button:not(:disabled)').first()).toBeFocused();

    // Alt+Page Down and Alt+Page Up move between domains, also from inside a text field; the tabs are one Tab stop.
    const capture = new CapturePage(page);
    await (await capture.evidence(capture.nthItem(0))).focus();
    await page.keyboard.press('Alt+PageDown');
    await expect(tabs.getByRole('button').nth(1)).toHaveAttribute('aria-current', 'step');
    await expect(tabs.locator('button[tabindex="0"]')).toHaveCount(1);
    await expect(tabs.getByRole('button').nth(1)).toHaveAttribute('tabindex', '0');
    await page.keyboard.press('Alt+PageUp');
    await expect(tabs.getByRole('button').nth(0)).toHaveAttribute('aria-current', 'step');

    // Alt+N opens a note; closing it gives focus back to where the observer was.
    const before = page.locator('.capture-actions button').nth(2);
    await before.focus();
    await page.keyboard.press('Alt+N');
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(before).toBeFocused();
  });
});
