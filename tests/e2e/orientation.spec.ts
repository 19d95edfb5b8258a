import { expect, test, type Page } from '@playwright/test';
import { startObservation, startWithDemoSchool } from './pages/school';
import { startAsLeader } from './pages/editor-page';
import { AppPage } from './pages/app-page';

/**
 * Where you are: after every in-app navigation the page title names the screen (its heading, in the current
 * language) and focus is on the screen's heading, so a screen-reader user hears where they arrived. Every route, as
 * a teacher and as a leader and in both languages: sweep.spec.ts; here the teacher's walk also measures layout shift
 * and that no two screens share a title.
 */

/** Goes to a path inside the app the way a tapped link does: the router takes the click, the page does not load. */
async function follow(page: Page, path: string) {
  // A mark on this document: it is still there after the navigation only if the page did not load again.
  await page.evaluate(() => ((window as { sameDocument?: boolean }).sameDocument = true));
  await page.evaluate((target) => {
    const link = document.createElement('a');
    link.href = target;
    link.textContent = target;
    document.body.append(link);
    link.click();
    link.remove();
  }, path);
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[?]/g, '\\?')}$`));
  expect(await page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);
}

/** The screen's single heading has focus and names the page; returns the title. */
async function expectOriented(page: Page): Promise<string> {
  const heading = page.locator('main h1');
  await expect(heading).toHaveCount(1);
  await expect(heading).toBeFocused();
  const name = await heading.evaluate((h: HTMLElement) =>
    (h.dataset.pageTitle ?? h.textContent ?? '').replace(/\s+/g, ' ').trim(),
  );
  expect(name).not.toBe('');
  await expect(page).toHaveTitle(`${name} – Meekijken`);
  return page.title();
}

/** A link on the current screen whose address matches, as the app draws it. */
async function linkTo(page: Page, pattern: RegExp): Promise<string> {
  const hrefs = await page.locator('main a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
  const found = hrefs.find((href) => pattern.test(href));
  expect(found, `a link matching ${pattern} among ${hrefs.length}`).toBeTruthy();
  return found!;
}

/**
 * Layout shift per screen (Lighthouse's CLS target, at most 0.05): shifts are recorded from the start, and a screen's
 * are those from the tap that opens it until its content is there (shifts right after a real tap are the user's own
 * and are not counted, as in CLS). CLS is a sum of fractions of the screen, not a time, so it can be asserted.
 */
async function recordShifts(page: Page) {
  await page.evaluate(() => {
    const shifts: Array<{ at: number; value: number }> = [];
    (window as { shifts?: typeof shifts }).shifts = shifts;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>)
        if (!entry.hadRecentInput) shifts.push({ at: entry.startTime, value: entry.value });
    }).observe({ type: 'layout-shift', buffered: true });
  });
}
const shiftedSince = (page: Page, since: number) =>
  page.evaluate(
    (from) =>
      ((window as { shifts?: Array<{ at: number; value: number }> }).shifts ?? [])
        .filter((shift) => shift.at >= from)
        .reduce((sum, shift) => sum + shift.value, 0),
    since,
  );

test.describe('where you are', () => {
  test.setTimeout(120_000);

  test('a teacher: every screen has its own title, and focus moves to its heading after each navigation', async ({
    page,
  }) => {
    await startWithDemoSchool(page);
    // The first load is not a navigation: the page starts at the top, with a title already.
    await expect(page).toHaveTitle('Start – Meekijken');

    const titles = new Map<string, string>();
    const shifted = new Map<string, number>();
    await recordShifts(page);
    const visit = async (path: string) => {
      const from = await page.evaluate(() => performance.now());
      await follow(page, path);
      titles.set(path, await expectOriented(page));
      // Measured once the screen's content is there: its loading line gone.
      await expect(page.locator('main [role="status"]:not(.visually-hidden)', { hasText: 'Laden' })).toHaveCount(0);
      shifted.set(path, await shiftedSince(page, from));
    };
    await visit('/me');
    const report = await linkTo(page, /^\/observations\/[^/]+\/report$/);
    await visit(report);
    await visit('/people');
    await visit('/data');
    await visit('/instruments');
    await visit('/instruments/meekijken.lesobservatie');
    await visit('/check-instrument');
    await visit('/requests/new');
    await visit('/observations/new');
    await visit('/');
    // No screen moves under the reader while it fills in.
    expect(Object.fromEntries([...shifted].filter(([, value]) => value > 0.05))).toEqual({});

    // A tap on the header's menu moves focus from the link to the new screen's heading.
    await page.getByRole('banner').getByRole('link', { name: 'Mijn pagina' }).tap();
    await expectOriented(page);

    // Observing: the capture screen says whom you observe; completing and handing over are announced.
    await follow(page, '/');
    await startObservation(page);
    await expect(page).toHaveTitle(/^Observatie van .+ – Meekijken$/);
    titles.set('capture', await page.title());
    await page.getByRole('link', { name: 'Afronden' }).tap();
    titles.set('complete', await expectOriented(page));
    await page.getByRole('button', { name: 'Observatie afronden' }).tap();
    await expect(page.getByRole('status').filter({ hasText: 'Observatie afgerond.' })).toHaveCount(1);
    titles.set('feedback', await expectOriented(page));
    expect(titles.get('feedback')).toMatch(/^Feedback voor .+ – Meekijken$/);

    // An address that is no screen loads the page (the router leaves it to the browser), titled as such.
    await page.goto('/this-is-not-a-screen');
    await expect(page.locator('main h1')).toHaveText('Deze pagina bestaat niet');
    await expect(page).toHaveTitle('Deze pagina bestaat niet – Meekijken');
    titles.set('not found', await page.title());

    // Every screen has a title of its own.
    const all = [...titles.values()];
    expect(new Set(all).size, all.join('\n')).toBe(all.length);
    expect(all.filter((title) => title === 'Meekijken')).toEqual([]);

    // In English the titles are English.
    await new AppPage(page).switchLanguage('English');
    await follow(page, '/data');
    await expect(page).toHaveTitle(/ – Meekijken$/);
    expect(await expectOriented(page)).not.toBe(titles.get('/data'));
  });

  test('a leader: the team, the to-do list, the editor and the people screen fill in without moving', async ({
    page,
  }) => {
    await startAsLeader(page);
    await expect(page).toHaveTitle('Waar groeit het team? – Meekijken');
    const titles = new Set<string>();
    const shifted = new Map<string, number>();
    await recordShifts(page);
    for (const path of ['/todo', '/instrument-drafts/new', '/people', '/']) {
      const from = await page.evaluate(() => performance.now());
      await follow(page, path);
      titles.add(await expectOriented(page));
      await expect(page.locator('main [role="status"]:not(.visually-hidden)', { hasText: 'Laden' })).toHaveCount(0);
      shifted.set(path, await shiftedSince(page, from));
    }
    expect(titles.size).toBe(4);
    // No screen moves under the reader while it fills in.
    expect(Object.fromEntries([...shifted].filter(([, value]) => value > 0.05))).toEqual({});
  });
});
