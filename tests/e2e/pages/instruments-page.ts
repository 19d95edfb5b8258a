import type { Locator, Page } from '@playwright/test';
import { AppPage } from './app-page';

export class InstrumentsPage extends AppPage {
  readonly cards: Locator;

  constructor(page: Page) {
    super(page);
    this.cards = this.main.getByRole('listitem').getByRole('link');
  }

  async open() {
    await this.page.goto('/instruments');
  }

  card(title: string | RegExp): Locator {
    return this.main.getByRole('link', { name: title });
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
