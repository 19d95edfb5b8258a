/**
 * The instrument editor on a tablet: a school leader builds a small kijkwijzer without JSON (two domains, items
 * with look-fors, a 1–3 scale with descriptors, a rule), sees a message next to a field left empty, reloads halfway
 * and finds every word, previews it, exports it (a file the validator accepts), saves it as a version and observes a
 * lesson with it. Another starts from a shipped instrument and saves new versions beside the old one, the second
 * after being told its version is taken.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Locator } from '@playwright/test';
import { EditorPage, startAsLeader } from './pages/editor-page';
import { CapturePage } from './pages/capture-page';
import type { Instrument } from '../../src/core/instrument';

test.describe('the instrument editor', () => {
  // A whole kijkwijzer typed key by key on a 2-core machine.
  test.setTimeout(180_000);

  test(
    'a leader builds a kijkwijzer from scratch, reloads halfway, previews, exports, saves and observes with it',
    { tag: '@layout' },
    async ({ page }) => {
      await startAsLeader(page);
      const editor = new EditorPage(page);
      await editor.startFromScratch('Nederlands');
      await expect(page).toHaveTitle('Instrument bewerken – Meekijken');
      await expect(editor.main.getByRole('heading', { level: 1 })).toHaveCount(1);

      // General: title and description. An empty title is named next to the field and in the summary.
      const general = editor.section('Algemeen');
      const title = editor.text(general, 'Titel');
      await expect(title).toHaveAttribute('aria-invalid', 'true');
      expect(await editor.messagesOf(title)).toContain('Mag niet leeg zijn.');
      await expect(editor.summary.getByRole('button', { name: /^Titel/ })).toBeVisible();
      await title.fill('Kijkwijzer rekenles');
      await editor.text(general, 'Beschrijving').fill('Waar we op letten in de rekenles van groep 5 tot en met 8.');
      await expect(title).not.toHaveAttribute('aria-invalid', 'true');

      // The scale, in a section of its own: 1–3 with a descriptor for each level.
      await editor.openSection('Schaal');
      await expect(editor.section('Algemeen')).toHaveCount(0);
      const scale = editor.section('Schaal');
      await scale.getByRole('button', { name: 'niveau 4 verwijderen' }).tap();
      await expect(scale.locator('li.level')).toHaveCount(3);
      await scale.getByLabel('Een beschrijving bij elk niveau').check();
      const descriptors = [
        'Lesdoel en uitleg ontbreken of zijn onduidelijk.',
        'Lesdoel of uitleg is er, maar niet allebei.',
        'Lesdoel en uitleg zijn helder voor de hele groep.',
      ];
      for (const [i, text] of descriptors.entries())
        await scale.getByLabel(`Beschrijving van niveau ${i + 1}`, { exact: true }).fill(text);

      // Domain 1 with two items; the first with two look-fors.
      await editor.openSection('Domein 1');
      const domain1 = editor.domain(1);
      await editor.text(domain1, 'Titel van het domein').fill('Instructie');
      const item11 = editor.item('1.1');
      await editor.text(item11, 'Tekst van het item').fill('De leerkracht noemt het lesdoel');
      await item11.getByRole('button', { name: '+ Kijkpunt toevoegen' }).tap();
      const lookFor1 = editor.text(item11, 'Kijkpunt 1');
      // Focus goes to the new look-for; left empty, it says so next to it.
      await expect(lookFor1).toBeFocused();
      await expect(lookFor1).toHaveAttribute('aria-invalid', 'true');
      expect(await editor.messagesOf(lookFor1)).toContain('Mag niet leeg zijn.');
      await lookFor1.fill('Het lesdoel staat op het bord');
      await item11.getByRole('button', { name: '+ Kijkpunt toevoegen' }).tap();
      await editor.text(item11, 'Kijkpunt 2').fill('Leerlingen kunnen het doel navertellen');

      await domain1.getByRole('button', { name: '+ Item toevoegen' }).tap();
      const item12 = editor.item('1.2');
      await expect(editor.text(item12, 'Tekst van het item')).toBeFocused();
      await page.keyboard.type('De leerkracht controleert of de uitleg begrepen is');
      await editor.expectSaved();

      // Halfway: a reload loses nothing and stays in the section shown (the address names it).
      await page.reload();
      await editor.expectEditor();
      await expect(page).toHaveURL(/\?section=domain-1$/);
      await expect(editor.text(editor.item('1.1'), 'Kijkpunt 2')).toHaveValue('Leerlingen kunnen het doel navertellen');
      await expect(editor.text(editor.item('1.2'), 'Tekst van het item')).toHaveValue(
        'De leerkracht controleert of de uitleg begrepen is',
      );
      await editor.openSection('Algemeen');
      await expect(editor.text(editor.section('Algemeen'), 'Titel')).toHaveValue('Kijkwijzer rekenles');
      await editor.openSection('Schaal');
      await expect(editor.section('Schaal').getByLabel('Beschrijving van niveau 3', { exact: true })).toHaveValue(
        descriptors[2]!,
      );
      // Back and forward go through the sections shown, focus on each one's heading.
      await page.goBack();
      await expect(editor.main.getByRole('heading', { level: 2, name: 'Algemeen', exact: true })).toBeFocused();
      await page.goForward();
      await expect(editor.main.getByRole('heading', { level: 2, name: 'Schaal', exact: true })).toBeFocused();
      await editor.openSection('Domein 1');

      // Domain 2: a yes/no item that rules out a rated one.
      await editor.domain(1).getByRole('button', { name: '+ Domein toevoegen' }).tap();
      // The new domain shows in a section of its own, and in the outline.
      const domain2 = editor.domain(2);
      await expect(editor.text(domain2, 'Titel van het domein')).toBeFocused();
      await page.keyboard.type('Zelfstandig werken');
      const item21 = editor.item('2.1');
      await editor.text(item21, 'Tekst van het item').fill('Er is een moment van zelfstandig werken');
      await item21.getByLabel('Soort antwoord').selectOption({ label: 'Ja of nee' });
      await domain2.getByRole('button', { name: '+ Item toevoegen' }).tap();
      await editor
        .text(editor.item('2.2'), 'Tekst van het item')
        .fill('Leerlingen weten wat ze doen als ze klaar zijn');

      await editor.openSection('Regels');
      const rules = editor.section('Regels');
      await rules.getByRole('button', { name: '+ Regel toevoegen' }).tap();
      await rules.getByLabel('Als dit item').selectOption({ label: '2.1 Er is een moment van zelfstandig werken' });
      await rules.getByRole('group', { name: 'is beantwoord met' }).getByLabel('nee', { exact: true }).check();
      await rules
        .getByRole('group', { name: 'dan vervallen deze items' })
        .getByLabel('2.2 Leerlingen weten wat ze doen als ze klaar zijn')
        .check();

      await expect(
        editor.main.getByText('Alles is in orde. Je kunt dit instrument opslaan als nieuwe versie.'),
      ).toBeVisible();
      await editor.expectSaved();
      expect(await editor.smallTouchTargets()).toEqual([]);
      expect(await editor.horizontalOverflow()).toBeLessThanOrEqual(0);

      // Export: a pretty-printed file, pointing at the schema, that the validator accepts (the app's own check).
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        editor.main.getByRole('button', { name: 'Als bestand bewaren' }).tap(),
      ]);
      expect(download.suggestedFilename()).toBe('kijkwijzer-rekenles-1.0.0.json');
      const file = (await download.path())!;
      const exported = readFileSync(file, 'utf8');
      expect(exported).toContain('\n  "$schema": "./meekijken-instrument.schema.json",\n');
      const json = JSON.parse(exported) as Instrument;
      expect(json.domains.map((d) => d.items.length)).toEqual([2, 2]);
      expect(json.scales[0]!.levels.map((l) => l.value)).toEqual([1, 2, 3]);
      const draftUrl = page.url();
      await page.goto('/check-instrument');
      await page.getByLabel('Kies een bestand').setInputFiles({
        name: download.suggestedFilename(),
        mimeType: 'application/json',
        buffer: Buffer.from(exported),
      });
      await expect(editor.main.getByRole('status')).toHaveText(
        'kijkwijzer-rekenles-1.0.0.json is in orde. Zo ziet het instrument eruit:',
      );
      await page.goto(draftUrl);
      await editor.expectEditor();

      // The preview, as the observer will see it.
      await editor.main.getByRole('link', { name: 'Voorbeeld' }).tap();
      await expect(editor.main.getByRole('heading', { level: 1, name: 'Voorbeeld' })).toBeVisible();
      await expect(editor.main.getByRole('heading', { level: 2, name: 'Kijkwijzer rekenles' })).toBeVisible();
      await expect(
        editor.main
          .getByRole('article', { name: /De leerkracht noemt het lesdoel/ })
          .getByText('Het lesdoel staat op het bord'),
      ).toBeVisible();
      await expect(
        editor.main.getByText(/Vervalt wanneer "Er is een moment van zelfstandig werken" is beantwoord met: nee/),
      ).toBeVisible();
      await editor.main.getByRole('link', { name: 'Terug naar bewerken' }).tap();
      await editor.expectEditor();

      // Save as a version, then observe with it.
      await editor.installFirstVersion('Kijkwijzer rekenles');
      await editor.observeWith('Kijkwijzer rekenles', { Groep: 'groep 6', Vak: 'rekenen' });
      const capture = new CapturePage(page);
      const first = capture.item(/De leerkracht noemt het lesdoel/);
      await capture.rating(first, /^3/).tap();
      await expect(capture.rating(first, /^3/)).toHaveAttribute('aria-pressed', 'true');
      await capture.expectSaved();

      // The draft lives on as the installed version: the list of drafts is empty again.
      await capture.closeButton.tap();
      await editor.header.getByRole('link', { name: 'Naar start' }).tap();
      await expect(page.getByRole('heading', { level: 1, name: 'Waar groeit het team?' })).toBeVisible();
      await editor.header.getByRole('link', { name: 'Instrumenten' }).tap();
      await expect(editor.main.getByText('Je hebt nog geen concepten.')).toBeVisible();
    },
  );

  test('a new version of a shipped instrument is saved beside the old one; a version taken meanwhile gets the next', async ({
    page,
  }) => {
    await startAsLeader(page);
    const editor = new EditorPage(page);
    const lesobservatie = /^Nieuwe versie 1\.2\.0 ?\(Lesobservatie – algemene kijkwijzer\)$/;

    // Two drafts of the same next version (two leaders, or one who forgot the first).
    await editor.openStart();
    await editor.main.getByRole('button', { name: lesobservatie }).tap();
    await editor.expectEditor();
    const firstDraft = page.url();
    await editor.openStart();
    await editor.main.getByRole('button', { name: lesobservatie }).tap();
    await editor.expectEditor();
    const secondDraft = page.url();

    await page.goto(firstDraft);
    await editor.expectEditor();
    // Only the section shown is drawn: a domain's items, not the instrument's 31. (How fast a switch is, is measured
    // by hand, not here: a time limit in a test passes or fails with the machine.)
    await editor.openSection('Domein 1');
    const outline = editor.main.getByRole('navigation', { name: 'Onderdelen' });
    await expect(outline.getByRole('link', { name: /^Domein \d+ / })).toHaveCount(6);
    await expect(outline.getByRole('link', { name: /^Domein 1 / })).toContainText('5 items');
    await expect(editor.main.getByRole('article')).toHaveCount(5);
    const drawn = await page.evaluate(() => ({
      section: document.querySelectorAll('#editor-section *').length,
      outline: document.querySelectorAll('.editor-outline *').length,
      main: document.querySelectorAll('main *').length,
    }));
    expect(drawn.section).toBeLessThanOrEqual(ELEMENTS_PER_SECTION + ELEMENTS_PER_ITEM * 5);
    expect(drawn.outline).toBeLessThanOrEqual(ELEMENTS_PER_OUTLINE + ELEMENTS_PER_DOMAIN * 6);
    expect(drawn.main).toBeLessThanOrEqual(drawn.section + drawn.outline + ELEMENTS_ON_TOP);
    const domainTitle = editor.domain(1).getByRole('group', { name: 'Titel van het domein' }).getByLabel('Nederlands');
    await expect(domainTitle).toHaveValue(/\S/);
    await domainTitle.fill('Pedagogisch klimaat');
    // The id of an item that exists in the installed version stays (results stay comparable).
    await expect(
      editor.main.getByText('Alles is in orde. Je kunt dit instrument opslaan als nieuwe versie.'),
    ).toBeVisible();
    await editor.main.getByRole('button', { name: 'Opslaan als nieuwe versie' }).tap();
    await expect(
      editor.main.getByRole('heading', {
        level: 1,
        name: /^Versie 1\.2\.0 van “Lesobservatie – algemene kijkwijzer” is geïnstalleerd\.$/,
      }),
    ).toBeVisible({ timeout: 15_000 });

    // The second draft asks for 1.2.0 too, which now exists with other content: it is offered 1.3.0.
    await page.goto(secondDraft);
    await editor.expectEditor();
    await editor.openSection('Domein 1');
    await editor
      .item('1.1')
      .getByRole('group', { name: 'Tekst van het item' })
      .getByLabel('English')
      .fill('The teacher greets every pupil');
    await expect(
      editor.main.getByText('Alles is in orde. Je kunt dit instrument opslaan als nieuwe versie.'),
    ).toBeVisible();
    await editor.main.getByRole('button', { name: 'Opslaan als nieuwe versie' }).tap();
    await expect(editor.main.getByText(/Versie 1\.2\.0 van dit instrument bestaat al/)).toBeVisible({
      timeout: 15_000,
    });
    await editor.main.getByRole('button', { name: 'Opslaan als versie 1.3.0' }).tap();
    await expect(
      editor.main.getByRole('heading', {
        level: 1,
        name: /^Versie 1\.3\.0 van “Lesobservatie – algemene kijkwijzer” is geïnstalleerd\.$/,
      }),
    ).toBeVisible({ timeout: 15_000 });

    // Beside the old: the next version to start is 1.4.0, and new observations use 1.3.0.
    await editor.openStart();
    await expect(editor.main.getByRole('button', { name: /^Nieuwe versie 1\.4\.0 ?\(Lesobservatie/ })).toBeVisible();
  });

  test('keyboard: adding puts focus in the new entry, moving keeps it on the moved entry, removing puts it somewhere sensible and can be undone', async ({
    page,
  }) => {
    await startAsLeader(page);
    const editor = new EditorPage(page);
    await editor.startFromScratch('Nederlands en Engels');
    await editor.openSection('Domein 1');
    const item11 = editor.item('1.1');
    // Both languages side by side: a text is a group with a field per language.
    const text = item11.getByRole('group', { name: 'Tekst van het item' });
    await text.getByLabel('Nederlands').fill('Eerste');
    await text.getByLabel('English').fill('First');
    await editor.domain(1).getByRole('button', { name: '+ Item toevoegen' }).tap();
    await expect(
      editor.item('1.2').getByRole('group', { name: 'Tekst van het item' }).getByLabel('Nederlands'),
    ).toBeFocused();
    await page.keyboard.type('Tweede');

    const up = editor.main.getByRole('button', { name: 'item 1.2 omhoog' });
    await up.focus();
    await page.keyboard.press('Enter');
    await expect(
      editor.item('1.1').getByRole('group', { name: 'Tekst van het item' }).getByLabel('Nederlands'),
    ).toHaveValue('Tweede');
    // At the top now: focus moved to its "down" twin, on the same item.
    await expect(editor.main.getByRole('button', { name: 'item 1.1 omlaag' })).toBeFocused();

    await editor.main.getByRole('button', { name: 'item 1.1 verwijderen' }).tap();
    await expect(editor.item('1.2')).toHaveCount(0);
    await expect(
      editor.item('1.1').getByRole('group', { name: 'Tekst van het item' }).getByLabel('Nederlands'),
    ).toBeFocused();
    await expect(
      editor.item('1.1').getByRole('group', { name: 'Tekst van het item' }).getByLabel('Nederlands'),
    ).toHaveValue('Eerste');
    await expect(editor.main.getByRole('status').filter({ hasText: 'Verwijderd: item 1.1.' })).toBeVisible();
    await editor.main.getByRole('button', { name: 'Ongedaan maken' }).tap();
    await expect(
      editor.item('1.1').getByRole('group', { name: 'Tekst van het item' }).getByLabel('Nederlands'),
    ).toHaveValue('Tweede');
    await expect(editor.item('1.2')).toHaveCount(1);

    // Every step can be undone and redone, typing in one field as one step: Ctrl+Z, Ctrl+Shift+Z.
    const dutch = editor.item('1.1').getByRole('group', { name: 'Tekst van het item' }).getByLabel('Nederlands');
    await dutch.focus();
    await page.keyboard.press('End');
    await page.keyboard.type(' item');
    await expect(dutch).toHaveValue('Tweede item');
    await page.keyboard.press('Control+Z');
    await expect(dutch).toHaveValue('Tweede');
    await expect(dutch).toBeFocused();
    await page.keyboard.press('Control+Shift+Z');
    await expect(dutch).toHaveValue('Tweede item');

    // The summary links to the field of each problem, in the section that holds it.
    const link = editor.summary.getByRole('button', { name: /^Titel › English/ });
    await link.tap();
    await expect(editor.section('Algemeen').getByRole('group', { name: 'Titel' }).getByLabel('English')).toBeFocused();
    await expect(page).toHaveURL(/\?section=general$/);
    await page.goBack();
    await expect(editor.domain(1)).toBeVisible();

    // A domain moved is shown at its new place, focus on the button that moved it.
    await editor.domain(1).getByRole('button', { name: '+ Domein toevoegen' }).tap();
    await expect(editor.domain(2)).toBeVisible();
    await editor.main.getByRole('button', { name: 'domein 2 omhoog' }).tap();
    await expect(editor.domain(1)).toBeVisible();
    await expect(editor.main.getByRole('button', { name: 'domein 1 omlaag' })).toBeFocused();
    await expect(page).toHaveURL(/\?section=domain-1$/);
    await expectNoTrap(editor.main);
  });
});

/**
 * What one section of the editor may draw at most: the section's own fields, and per item it shows; the outline, and
 * per domain in it; the top of the editor (the title, the summary of problems, the buttons). Measured on the shipped
 * kijkwijzer (its first domain: 5 items, about 1,000 elements), with room to spare.
 */
const ELEMENTS_PER_SECTION = 300;
const ELEMENTS_PER_ITEM = 250;
const ELEMENTS_PER_OUTLINE = 60;
const ELEMENTS_PER_DOMAIN = 10;
const ELEMENTS_ON_TOP = 150;

/** Tab goes on past the editor's last control: no control holds the keyboard. */
async function expectNoTrap(main: Locator) {
  const page = main.page();
  await main.locator('a[href], button:not([disabled]), input, select, textarea').last().focus();
  await page.keyboard.press('Tab');
  expect(
    await page.evaluate(
      () => document.activeElement?.closest('main') === null || document.activeElement === document.body,
    ),
  ).toBe(true);
}
