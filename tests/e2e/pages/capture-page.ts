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

  /** While observing, the header's only control: it opens the way out. */
  get closeButton(): Locator {
    return this.header.getByRole('button', { name: 'Sluiten' });
  }

  /** Leaves the observation the deliberate way: "Sluiten", then "Naar start". */
  async leave() {
    await this.closeButton.tap();
    await this.header.getByRole('link', { name: 'Naar start' }).tap();
    await expect(this.page.getByRole('heading', { level: 1, name: /^Hallo / })).toBeVisible();
  }

  /**
   * Presses Tab (or Shift+Tab) until `until` holds for the focused element, and returns every focused control that
   * was (partly) hidden under the sticky bar at the top or the fixed bar at the bottom (WCAG 2.4.11).
   */
  async tabAndFindObscured(
    key: 'Tab' | 'Shift+Tab',
    until: string,
    bars: { top: string; bottom: string } = { top: '.capture-bar', bottom: '.capture-actions' },
    maxSteps = 200,
  ): Promise<{ obscured: string[]; visited: string[] }> {
    const obscured: string[] = [];
    const visited: string[] = [];
    for (let step = 0; step < maxSteps; step++) {
      await this.page.keyboard.press(key);
      const focused = await this.page.evaluate(
        ({ until, bars }) => {
          const element = document.activeElement as HTMLElement | null;
          if (!element || element === document.body) return undefined;
          const box = element.getBoundingClientRect();
          const top = document.querySelector(bars.top)?.getBoundingClientRect().bottom ?? 0;
          const bottom = document.querySelector(bars.bottom)?.getBoundingClientRect().top ?? innerHeight;
          const name = `${element.tagName.toLowerCase()}#${element.closest('[id]')?.id ?? ''} "${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40)}"`;
          const inBar = !!element.closest(`${bars.top}, ${bars.bottom}, .app-header`);
          return { name, done: element.matches(until), hidden: !inBar && (box.top < top || box.bottom > bottom) };
        },
        { until, bars },
      );
      if (!focused) continue;
      visited.push(focused.name);
      if (focused.hidden) obscured.push(focused.name);
      if (focused.done) return { obscured, visited };
    }
    throw new Error(`no focus on ${until} after ${maxSteps} presses of ${key}`);
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
