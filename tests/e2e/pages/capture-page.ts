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

  /** The item's evidence text field (not the "+ Toelichting" button that opens it). */
  evidenceField(item: Locator): Locator {
    return item.getByRole('textbox', { name: 'Toelichting', exact: true });
  }

  /** The item's evidence field, opened when it is not yet on screen. */
  async evidence(item: Locator): Promise<Locator> {
    const field = this.evidenceField(item);
    if (!(await field.isVisible())) await item.getByRole('button', { name: /Toelichting bij/ }).tap();
    await expect(field).toBeVisible();
    return field;
  }

  /** The item id of a capture item (its article is `item-<id>`). */
  async itemId(item: Locator): Promise<string> {
    return ((await item.getAttribute('id')) ?? '').replace(/^item-/, '');
  }

  /** The observation's id, from the address. */
  observationId(): string {
    return new URL(this.page.url()).pathname.split('/')[2] ?? '';
  }
}
