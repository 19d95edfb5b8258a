import { expect, test, type Locator, type Page } from '@playwright/test';
import type { Route } from '../../src/ui/shell/router.svelte';
import { AppPage } from './pages/app-page';
import { allViolations } from './support/axe';

/**
 * The sweep over every screen (issue 22): a teacher and then the school leader of the demo school walk every route of
 * the app, and on every screen:
 * - axe finds nothing, of any impact (WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices), over the whole page;
 * - there is one h1, the page title is "<the h1> – Meekijken", and after an in-app navigation focus is on the h1;
 * - nothing scrolls sideways, and no control is smaller than 44 by 44 px.
 * In both languages and both orientations (tagged @layout), and again at 320 px wide and at a landscape tablet zoomed
 * to 200 % (reflow, WCAG 1.4.10), where axe runs as well: a table that fits a tablet scrolls there.
 *
 * One demo school per walk, and in-app navigation (a tapped link, not a page load) wherever the app offers it.
 */

/**
 * Every route of the router, and what the walk shows of it: a route added to the router without a place in the walk
 * fails type-checking here, and every walk asserts at its end that it saw them all.
 */
const ROUTES: Record<Route['name'], string> = {
  home: 'the first run, choosing who you are, a teacher’s to-do list and a leader’s team',
  who: 'who is using this device, chosen already',
  people: 'colleagues and teams, for a teacher and for a leader (who may change them)',
  data: 'data and storage',
  me: 'a teacher’s own page',
  portfolio: 'a teacher’s competence portfolio: the choice, and the document made',
  report: 'a report, as the observed teacher and as the observer, before and after handing over',
  'new-request': 'asking a colleague',
  request: 'one’s own request',
  'new-observation': 'starting an observation',
  observation: 'observing, with an item’s explanation open, an answer given and the note dialog open',
  'complete-observation': 'completing',
  feedback: 'writing feedback, with a top and a tip',
  'amend-observation': 'amending a completed observation',
  instruments: 'the instruments, for a teacher and for a leader (with a draft and the retire dialog)',
  instrument: 'an instrument’s full preview',
  'check-instrument': 'checking a file',
  'new-instrument': 'starting an instrument',
  'instrument-draft': 'the instrument editor',
  'instrument-draft-preview': 'a draft’s preview',
  connect: 'connecting to a school server',
  setup: 'setting up the school on the server, without and with a set-up link',
  account: 'the accounts on this tablet (none: a device-only school)',
  todo: 'a leader’s to-do list',
  'not-found': 'an address that is no screen',
};

type Language = 'Nederlands' | 'English';

class Sweep extends AppPage {
  readonly seen = new Set<string>();

  constructor(
    page: Page,
    readonly language: Language,
  ) {
    super(page);
  }

  /** Goes to a path the way a tapped link does: the router takes the click, the page does not load again. */
  async follow(path: string) {
    // A mark on this document: it is still there after the navigation only if the page did not load again.
    await this.page.evaluate(() => ((window as { sameDocument?: boolean }).sameDocument = true));
    await this.page.evaluate((target) => {
      const link = document.createElement('a');
      link.href = target;
      document.body.append(link);
      link.click();
      link.remove();
    }, path);
    await expect(this.page).toHaveURL(new RegExp(`${path.replace(/[?]/g, '\\?')}$`));
    expect(await this.page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);
  }

  /**
   * Checks the screen shown, once its content is there. `route`: the router's name for it; `navigated`: it was reached
   * by an in-app navigation, so focus must be on its heading.
   */
  async screen(route: Route['name'], { navigated = true }: { navigated?: boolean } = {}) {
    const heading = this.page.locator('h1');
    await expect(heading).toHaveCount(1);
    // Loading lines (the screen's chunk, its reads, a count still running) are `.status` in a live region.
    await expect(this.main.locator('.status[role="status"]')).toHaveCount(0);
    if (navigated) await expect.soft(heading, `${route}: focus on the h1`).toBeFocused();
    const name = await heading.evaluate((h: HTMLElement) =>
      (h.dataset.pageTitle ?? h.textContent ?? '').replace(/\s+/g, ' ').trim(),
    );
    expect(name, `${route}: the h1 names the screen`).not.toBe('');
    await expect.soft(this.page).toHaveTitle(`${name} – Meekijken`);
    await this.expectClean(`${route} (${name})`);
    this.seen.add(route);
  }

  /**
   * No axe violation, no sideways scrolling, no control under 44 px, on what is on screen now. Soft: the walk goes on,
   * and a failing run names every screen that fails, not only the first.
   */
  async expectClean(what: string) {
    expect.soft(await allViolations(this.page), `axe on ${what}`).toEqual([]);
    expect.soft(await this.horizontalOverflow(), `sideways scrolling on ${what}`).toBeLessThanOrEqual(0);
    expect.soft(await this.smallTouchTargets(), `small controls on ${what}`).toEqual([]);
    // A landscape tablet has room for the header on one row, a leader's longer menu included.
    if ((this.page.viewportSize()?.width ?? 0) >= 1180)
      expect.soft(await this.headerRows(), `header of ${what}`).toBe(1);
  }

  /** How many rows the header's parts (mark, menu, who, language) take. */
  async headerRows(): Promise<number> {
    return this.header.evaluate((header) => {
      const tops: number[] = [];
      for (const part of header.children) {
        const box = part.getBoundingClientRect();
        if (box.height === 0) continue;
        if (!tops.some((top) => Math.abs(top - (box.top + box.height / 2)) < 20)) tops.push(box.top + box.height / 2);
      }
      return tops.length;
    });
  }

  /** Text in the language of the walk. */
  says<T extends string | RegExp>(nl: T, en: T): T {
    return this.language === 'English' ? en : nl;
  }

  button(nl: string | RegExp, en: string | RegExp): Locator {
    return this.main.getByRole('button', { name: this.says(nl, en) });
  }

  expectAllRoutesSeen() {
    expect(Object.keys(ROUTES).filter((route) => !this.seen.has(route))).toEqual([]);
  }
}

/** A teacher's walk over every screen a teacher has, from the first run on, on a fresh device. */
async function teacherWalk(app: Sweep) {
  const { page } = app;
  await page.goto('/');
  await app.switchLanguage(app.language);
  // The first run: the first load, not an in-app navigation. Loading the demo school goes on to "who are you".
  await app.screen('home', { navigated: false });
  await app.button('Demoschool laden', 'Load demo school').tap();
  // Generating a school year of observations takes a while on a busy two-core machine.
  await expect(page.locator('.person-button').first()).toBeVisible({ timeout: 20_000 });
  await app.screen('who');
  await page.locator('.person-button').first().tap();
  await expect(app.main.locator('.home-actions')).toBeVisible();
  await app.screen('home');
  // The demo has feedback that waits longer than the school allows: the to-do list says it is late, in words.
  await expect(app.main.locator('.todo-list .waiting.late').first()).toHaveText(
    app.says(/^te laat: wacht al \d+ dagen$/, /^late: waiting for \d+ days$/),
  );

  await app.follow('/me');
  await app.screen('me');
  await app.follow(await hrefOf(app.main.locator('a[href$="/report"]').first()));
  await app.screen('report');
  await app.follow('/portfolio');
  await app.screen('portfolio');
  await app.main.getByRole('checkbox').first().check();
  await app.main.getByRole('button', { name: app.says('Dossier maken', 'Make the portfolio') }).tap();
  await expect(app.main.locator('.portfolio-document .part').first()).toBeVisible();
  await app.expectClean('portfolio (the document)');
  const screens = [
    ['/people', 'people'],
    ['/data', 'data'],
    ['/instruments', 'instruments'],
    ['/instruments/meekijken.lesobservatie', 'instrument'],
    ['/check-instrument', 'check-instrument'],
    ['/connect', 'connect'],
    ['/setup', 'setup'],
    ['/account', 'account'],
    ['/who', 'who'],
  ] as const;
  for (const [path, route] of screens) {
    await app.follow(path);
    await app.screen(route);
  }

  // Asking a colleague; the request is then on the home screen, and opens.
  await app.follow('/requests/new');
  await app.screen('new-request');
  await app.main.locator('select').first().selectOption({ index: 1 });
  await app.main.locator('button[type="submit"]').tap();
  await expect(page).toHaveURL(/\/$/);
  const request = app.main.locator('a[href^="/requests/"]:not([href="/requests/new"])').first();
  await request.tap();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  await app.screen('request');

  // Observing: starting, the form with a note being written, completing, the report before handing over, amending,
  // writing feedback with a top and a tip, and the report the observed colleague gets.
  await app.follow('/observations/new');
  const colleague = app.main.locator('select').first();
  await expect(colleague.locator('option')).not.toHaveCount(1);
  await app.screen('new-observation');
  await colleague.selectOption({ index: 1 });
  await app.main.locator('button[type="submit"]').tap();
  await expect(page).toHaveURL(/\/observations\/[0-9a-f-]{36}$/);
  const observation = new URL(page.url()).pathname;
  await app.screen('observation');
  // An item's explanation opened, an answer given, and a note being written.
  await app.main.locator('.capture-item').first().locator('.icon-button').tap();
  await app.main.locator('.capture-item .rating-buttons').first().getByRole('button').nth(2).tap();
  await app.expectClean('an item’s explanation');
  // The row of domains says when it goes on beyond the screen (an arrow at that edge), and not when it all fits.
  const tabs = app.main.locator('.domain-tabs');
  const cut = await tabs.evaluate((row) => row.scrollWidth > row.clientWidth);
  await expect(app.main.locator('.more-end')).toBeVisible({ visible: cut });
  await app.main.locator('.note-button').tap();
  await expect(page.getByRole('dialog')).toBeVisible();
  await app.expectClean('the note dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  await app.main.locator('.capture-actions a').last().tap();
  await expect(page).toHaveURL(/\/complete$/);
  await app.screen('complete-observation');
  await app.main.locator('.complete-actions button').last().tap();
  await expect(page).toHaveURL(/\/feedback$/);
  await app.screen('feedback');
  await app.follow(`${observation}/report`);
  await app.screen('report');
  await app.follow(`${observation}/amend`);
  await app.screen('amend-observation');
  await app.follow(`${observation}/feedback`);
  await app.button(/Top toevoegen$/, /Add a top$/).tap();
  await app.main.locator('.feedback-point textarea').first().fill(app.says('Begroette iedereen.', 'Greeted everyone.'));
  await app.button(/Tip toevoegen$/, /Add a tip$/).tap();
  await app.main.locator('.feedback-point textarea').last().fill(app.says('Noem het lesdoel.', 'Say the goal.'));
  await app.screen('feedback', { navigated: false });
  await app.main.locator('.handover button').tap();
  await expect(page).toHaveURL(new RegExp(`${observation}/report$`));
  await app.screen('report');
}

/** The school leader's walk, on the teacher's tablet: the team, the to-do list, and making an instrument. */
async function leaderWalk(app: Sweep) {
  const { page } = app;
  await app.follow('/who');
  await page
    .locator('.person-button', { hasText: app.says('Schoolleider', 'School leader') })
    .first()
    .tap();
  await expect(page).toHaveURL(/\/$/);
  await expect(app.main.locator('.insight')).toBeVisible();
  await app.screen('home');
  await app.follow('/todo');
  await app.screen('todo');
  await app.follow('/people');
  await app.screen('people');
  await app.follow('/instruments');
  await app.screen('instruments');
  await app.follow('/instrument-drafts/new');
  await app.screen('new-instrument');
  await app.button('Leeg instrument maken', 'Make an empty instrument').tap();
  await expect(page).toHaveURL(/\/instrument-drafts\/[0-9a-f-]{36}$/);
  await app.screen('instrument-draft');
  await app.main.locator('.editor-actions a').first().tap();
  await expect(page).toHaveURL(/\/preview$/);
  await app.screen('instrument-draft-preview');
  await app.follow('/instruments');
  await app.screen('instruments');
  await app.main.locator('[data-retire-control]').first().tap();
  await expect(page.getByRole('dialog')).toBeVisible();
  await app.expectClean('the retire dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();

  // Two screens only a page load shows: an address that is no screen, and setting up with a link.
  await page.goto('/this-is-not-a-screen');
  await app.screen('not-found', { navigated: false });
  await page.goto('/setup#token=sweep');
  await expect(app.main.locator('form')).toBeVisible();
  await app.screen('setup', { navigated: false });
}

async function hrefOf(link: Locator): Promise<string> {
  return (await link.getAttribute('href')) ?? '';
}

test.describe('every screen', { tag: '@layout' }, () => {
  test.setTimeout(180_000);
  for (const language of ['Nederlands', 'English'] as const) {
    test(`a teacher and a leader: axe, title, focus and fit on every screen (${language})`, async ({ page }) => {
      const app = new Sweep(page, language);
      await teacherWalk(app);
      await leaderWalk(app);
      app.expectAllRoutesSeen();
    });
  }
});

test.describe('every screen reflows', () => {
  test.setTimeout(180_000);
  const sizes = [
    { what: 'at 320 px wide', viewport: { width: 320, height: 640 }, language: 'Nederlands' },
    { what: 'on a landscape tablet zoomed to 200 %', viewport: { width: 590, height: 410 }, language: 'English' },
  ] as const;
  for (const { what, viewport, language } of sizes) {
    test(`${what}: no sideways scrolling, every control 44 px, no axe violation (${language})`, async ({ page }) => {
      await page.setViewportSize(viewport);
      const app = new Sweep(page, language);
      await teacherWalk(app);
      await leaderWalk(app);
      app.expectAllRoutesSeen();
    });
  }
});
