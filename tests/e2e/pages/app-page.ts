import { expect, type Locator, type Page } from '@playwright/test';

/** The app shell: header, navigation and the language switch, shared by every screen. */
export class AppPage {
  readonly header: Locator;
  readonly main: Locator;

  constructor(readonly page: Page) {
    this.header = page.getByRole('banner');
    this.main = page.getByRole('main');
  }

  languageButton(name: 'Nederlands' | 'English'): Locator {
    return this.header.getByRole('button', { name });
  }

  async switchLanguage(name: 'Nederlands' | 'English') {
    await this.languageButton(name).tap();
    await expect(this.languageButton(name)).toHaveAttribute('aria-pressed', 'true');
  }

  /** Every visible link and button is at least 44 by 44 CSS pixels (or spans the text it sits in, for inline links). */
  async smallTouchTargets(): Promise<string[]> {
    return this.page.evaluate((minimum) => {
      const small: string[] = [];
      for (const element of document.querySelectorAll<HTMLElement>(
        'a[href], button, input, select, textarea, [role="button"]',
      )) {
        const box = element.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue; // not rendered (e.g. the skip link off-screen)
        if (element.classList.contains('skip-link')) continue;
        if (box.width < minimum || box.height < minimum) {
          small.push(
            `${element.tagName.toLowerCase()} "${element.textContent?.trim().slice(0, 40)}" ${Math.round(box.width)}×${Math.round(box.height)}`,
          );
        }
      }
      return small;
    }, 44);
  }

  async horizontalOverflow(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }
}
