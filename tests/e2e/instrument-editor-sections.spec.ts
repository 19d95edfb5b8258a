/**
 * Every section of the instrument editor, with format 3 content, meets WCAG 2.2 AA on a tablet. The example
 * instruments in format 3 (tests/fixtures/instruments: behaviours under an element, counter bands, scores by
 * pattern, score bands, named score parts, snapshot scores, scores the observer may set otherwise, rules on scores
 * and on whole domains) are installed and each opened as a new version; the leader then walks the outline section
 * by section with the "next" link (focus on the section's heading each time) and on each section checks: axe (every
 * violation), one h1 and headings that do not skip a level, and at 768 × 1024 and at 320 × 640 (a tablet's width
 * at 200 % and more): no sideways scrolling, no control under 44 px, and the first controls the keyboard reaches
 * from the section's heading never hidden, not even partly, under the sticky header or the editor's undo bar.
 *
 * The test sets its own viewports, so it runs once (not tagged @layout; see the README, "Orientation").
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { EditorPage, startAsLeader } from './pages/editor-page';
import { installInstrumentFile } from './pages/school';
import { allViolations } from './support/axe';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/instruments');

/** The example instruments in format 3, by file and the Dutch title their "new version" button names. */
const FORMAT_3 = [
  { file: 'class-style.json', title: 'Interacties in de klas, in cycli' },
  { file: 'icalt-style.json', title: 'Kijklijst lesgeven in zes domeinen' },
  { file: 'stallings-style.json', title: 'Klassenmomentopnamen over de hele les' },
  { file: 'teach-style.json', title: 'Lesgeven in twee segmenten' },
];

/** The sizes each section is judged at: a portrait tablet, and a tablet's width at 200 % and more. */
const SIZES = [
  { width: 768, height: 1024 },
  { width: 320, height: 640 },
];

/** How many controls the keyboard goes through from a section's heading. */
const TAB_STOPS = 40;

/** The two walks, split so that the two workers share them. */
const WALKS = [FORMAT_3.slice(0, 2), FORMAT_3.slice(2)];

/** Every heading shown, in document order, that skips a level down, and how many h1 there are. */
async function headingProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const headings = [...document.querySelectorAll<HTMLElement>('h1, h2, h3, h4, h5, h6, [role="heading"]')].filter(
      (h) => h.getClientRects().length > 0 && !h.closest('[aria-hidden="true"]'),
    );
    const level = (h: HTMLElement) => Number(h.getAttribute('aria-level') ?? h.tagName.slice(1));
    const h1s = headings.filter((h) => level(h) === 1).length;
    if (h1s !== 1) problems.push(`${h1s} h1`);
    let previous = 0;
    for (const h of headings) {
      const current = level(h);
      if (current > previous + 1) problems.push(`h${previous} → h${current} "${h.textContent?.trim().slice(0, 50)}"`);
      previous = current;
    }
    return problems;
  });
}

/** Layout settles after a resize (the bars measure themselves in a ResizeObserver) before anything is judged. */
async function settle(page: Page) {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/**
 * From the section's heading, Tab up to `TAB_STOPS` times, until focus leaves the page's main part (a short section:
 * past the undo bar, on to the browser's own controls and the skip link); returns every control that got focus while
 * any part of it was under the header or the undo bar (the controls in those bars aside), and how many were reached.
 */
async function tabAndFindHidden(page: Page): Promise<{ hidden: string[]; reached: number; end: boolean }> {
  await page.locator('#editor-section-heading').focus();
  const hidden: string[] = [];
  let reached = 0;
  for (let step = 0; step < TAB_STOPS; step++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element?.closest('main')) return undefined;
      if (element.closest('.undo-bar')) return { hidden: undefined };
      const box = element.getBoundingClientRect();
      const header = document.querySelector('.app-header')!.getBoundingClientRect();
      const undo = document.querySelector('.undo-bar')!.getBoundingClientRect();
      // A control that fits between the bars, with the room frame.css keeps clear on each side for its focus ring, is
      // wholly clear of them; a taller one (a long text at 320 px) shows a line at least.
      const room = undo.top - header.bottom - 2 * 20;
      const shown = Math.min(box.bottom, undo.top) - Math.max(box.top, header.bottom);
      if (box.height <= room ? shown >= box.height - 0.5 : shown >= 44) return { hidden: undefined };
      const name = `${element.tagName.toLowerCase()}#${element.id || element.closest('[id]')?.id || ''} "${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40)}"`;
      return {
        hidden: `${name} at ${Math.round(box.top)}–${Math.round(box.bottom)} (header to ${Math.round(header.bottom)}, undo bar from ${Math.round(undo.top)})`,
      };
    });
    if (!found) return { hidden, reached, end: true };
    reached++;
    if (found.hidden) hidden.push(found.hidden);
  }
  return { hidden, reached, end: false };
}

for (const [w, walk] of WALKS.entries()) {
  test(`every section of the editor, with format 3 content, meets WCAG 2.2 AA at 768 and 320 px wide (${w + 1})`, async ({
    page,
  }, testInfo) => {
    test.setTimeout(110_000);
    await page.setViewportSize(SIZES[0]!);
    await startAsLeader(page);
    for (const { file } of walk) await installInstrumentFile(page, path.join(FIXTURES, file));
    await page.reload();
    const editor = new EditorPage(page);

    for (const { file, title } of walk) {
      await editor.openStart();
      await editor.main.getByRole('button', { name: new RegExp(`^Nieuwe versie [\\d.]+ ?\\(${title}\\)$`) }).tap();
      await editor.expectEditor();
      await expect(editor.main.getByText('Alles is in orde.', { exact: false })).toBeVisible();

      const outline = editor.main.getByRole('navigation', { name: 'Onderdelen' });
      const sections = await outline.getByRole('link').count();
      const seen: string[] = [];
      for (;;) {
        const heading = page.locator('#editor-section-heading');
        const name = `${file} ${(await heading.textContent())?.trim()}`;
        seen.push(name);
        expect.soft(await allViolations(page), `axe on ${name}`).toEqual([]);
        expect.soft(await headingProblems(page), `headings on ${name}`).toEqual([]);
        for (const size of SIZES) {
          await page.setViewportSize(size);
          await settle(page);
          const at = `${name} at ${size.width} px`;
          expect.soft(await editor.horizontalOverflow(), `sideways scrolling on ${at}`).toBeLessThanOrEqual(0);
          expect.soft(await editor.smallTouchTargets(), `small controls on ${at}`).toEqual([]);
          const tabbed = await tabAndFindHidden(page);
          expect.soft(tabbed.hidden, `focus under a bar on ${at}`).toEqual([]);
          // The keyboard got through the section: its first controls, or all of them in a short one.
          expect(tabbed.end ? tabbed.reached : TAB_STOPS, at).toBeGreaterThan(tabbed.end ? 0 : TAB_STOPS - 1);
          // To look at the screens: the view where the keyboard left off, at each size.
          if (process.env.E2E_SCREENS)
            await page.screenshot({ path: testInfo.outputPath(`${name.replace(/\W+/g, '-')}-${size.width}.png`) });
        }
        await page.setViewportSize(SIZES[0]!);
        const next = page.locator('.section-steps .step-next');
        if ((await next.count()) === 0) break;
        const before = page.url();
        await next.tap();
        await expect(page).not.toHaveURL(before);
        await expect(heading).toBeFocused();
      }
      // Every section of the outline was judged (a long domain's pages each count once more).
      expect(seen.length).toBeGreaterThanOrEqual(sections);
    }
  });
}
