import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app-page';

/** The capture screen, as an observer uses it during a lesson. */
export class CapturePage extends AppPage {
  readonly clock: Locator;
  readonly savedState: Locator;

  constructor(page: Page) {
    super(page);
    this.clock = page.getByRole('timer');
    this.savedState = page.locator('.saved-state');
  }

  item(text: string | RegExp): Locator {
    return this.main.getByRole('article', { name: text });
  }

  nthItem(n: number): Locator {
    return this.main.locator('.capture-domain > .capture-item').nth(n);
  }

  rating(item: Locator, level: string | RegExp): Locator {
    return item.locator('.rating-buttons').first().getByRole('button', { name: level });
  }

  lookFor(item: Locator, n: number): Locator {
    return item.locator('.look-for-toggle').nth(n);
  }

  domainTab(name: string | RegExp): Locator {
    return this.main.getByRole('navigation', { name: 'Domeinen' }).getByRole('button', { name });
  }

  async expectSaved() {
    await expect(this.savedState).toHaveText(/Opgeslagen op dit apparaat/);
  }
}
