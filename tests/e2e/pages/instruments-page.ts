import type { Locator, Page } from '@playwright/test';
import { AppPage } from './app-page';

export class InstrumentsPage extends AppPage {
  readonly cards: Locator;

  constructor(page: Page) {
    super(page);
    // The link of each instrument's card (its title is the card's heading), not the links to its versions.
    this.cards = this.main
      .getByRole('listitem')
      .getByRole('link')
      .filter({ has: page.getByRole('heading', { level: 2 }) });
  }

  async open() {
    await this.page.goto('/instruments');
  }

  card(title: string | RegExp): Locator {
    return this.main.getByRole('link', { name: title });
  }

  /** An instrument's card with its versions and controls. */
  group(title: string | RegExp): Locator {
    return this.main.getByRole('listitem').filter({ has: this.page.getByRole('heading', { level: 2, name: title }) });
  }
}

export class InstrumentPreviewPage extends AppPage {
  readonly title: Locator;
  readonly domainNav: Locator;

  constructor(page: Page) {
    super(page);
    this.title = this.main.getByRole('heading', { level: 1 });
    this.domainNav = this.main.getByRole('navigation');
  }

  async open(id: string) {
    await this.page.goto(`/instruments/${id}`);
  }

  domain(name: string | RegExp): Locator {
    return this.main.getByRole('region', { name });
  }

  item(name: string | RegExp): Locator {
    return this.main.getByRole('article', { name });
  }
}
