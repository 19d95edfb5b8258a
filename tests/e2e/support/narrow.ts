import { expect, test, type Locator, type Page } from '@playwright/test';
import { AppPage } from '../pages/app-page';
import { allViolations } from './axe';

/**
 * The screen at 320 × 640 (a tablet's width zoomed in to 200 % and more), with `shown` in view: no axe violation of
 * any impact, no sideways scrolling, no control under 44 px. A picture of it is kept with the test's results; then
 * the viewport is the tablet's again.
 */
export async function expectCleanAtNarrowWidth(page: Page, name: string, shown: Locator) {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 320, height: 640 });
  const app = new AppPage(page);
  await shown.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath(`${name}-320.png`) });
  expect(await allViolations(page), `axe on ${name} at 320 px`).toEqual([]);
  expect(await app.horizontalOverflow(), `sideways scrolling on ${name} at 320 px`).toBeLessThanOrEqual(0);
  expect(await app.smallTouchTargets(), `small controls on ${name} at 320 px`).toEqual([]);
  await page.setViewportSize(size);
}
