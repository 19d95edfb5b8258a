import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app-page';

/** The completion step of an observation: what is still open, and the one deliberate "complete". */
export class CompletePage extends AppPage {
  readonly confirm: Locator;
  readonly actions: Locator;
  readonly openItems: Locator;

  constructor(page: Page) {
    super(page);
    this.confirm = this.main.getByRole('button', { name: 'Observatie afronden' });
    this.actions = page.locator('.complete-actions');
    this.openItems = this.main.getByRole('region', { name: 'Nog niet beantwoord' }).getByRole('link');
  }

  async expectShown() {
    await expect(this.main.getByRole('heading', { level: 1, name: 'Observatie afronden' })).toBeVisible();
  }

  /** The link to an open item, by (part of) its text. */
  openItem(text: string | RegExp): Locator {
    return this.openItems.filter({ hasText: text });
  }
}
