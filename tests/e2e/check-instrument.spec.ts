import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { InstrumentsPage } from './pages/instruments-page';
import { seriousViolations } from './support/axe';
import { bigInstrument } from './support/big-instrument';

const fixture = (...parts: string[]) =>
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures', ...parts);

test.describe('checking a school’s own instrument file', () => {
  test('refuses a broken file with every problem and where it is, then previews a good one', async ({ page }) => {
    const list = new InstrumentsPage(page);
    await list.open();
    await list.main.getByRole('link', { name: 'Eigen instrument controleren' }).tap();
    await expect(page).toHaveURL(/\/check-instrument$/);
    await expect(list.main.getByRole('heading', { level: 1 })).toHaveText('Eigen instrument controleren');

    const fileInput = list.main.getByLabel('Kies een bestand');
    await fileInput.setInputFiles(fixture('broken', 'missing-version-and-duplicate.json'));
    const alert = list.main.getByRole('alert');
    await expect(alert.getByRole('heading')).toHaveText('missing-version-and-duplicate.json kan niet worden gebruikt');
    await expect(alert).toContainText('Er zijn 2 problemen gevonden');
    await expect(alert.getByRole('listitem').first()).toHaveText('$.version Het verplichte veld "version" ontbreekt.');
    await expect(alert.getByRole('listitem').nth(1)).toContainText('$.domains[0].items[1].id');

    await list.switchLanguage('English');
    await expect(alert.getByRole('listitem').first()).toHaveText('$.version The required field "version" is missing.');

    const englishInput = list.main.getByLabel('Choose a file');
    await englishInput.setInputFiles(fixture('broken', 'not-json.json'));
    await expect(alert).toContainText('This is not a valid JSON file (line 4, column 3)');

    await englishInput.setInputFiles(fixture('formats', 'seven-point-reverse.json'));
    await expect(list.main.getByRole('status')).toHaveText(
      'seven-point-reverse.json is fine. This is what the instrument looks like:',
    );
    await expect(list.main.getByRole('heading', { level: 2, name: 'Seven-point interaction scale' })).toBeVisible();
    await expect(list.main.getByText('Reverse-scored: a high score is undesirable here.')).toBeVisible();
    await expect(list.main.getByRole('alert')).toHaveCount(0);
  });

  test('a failure replaces the previous verdict, and a file can be chosen again', async ({ page }) => {
    const list = new InstrumentsPage(page);
    await page.goto('/check-instrument');
    const fileInput = list.main.getByLabel('Kies een bestand');
    const good = readFileSync(fixture('formats', 'seven-point-reverse.json'));

    await fileInput.setInputFiles(fixture('formats', 'seven-point-reverse.json'));
    await expect(list.main.getByRole('status')).toHaveText(
      'seven-point-reverse.json is in orde. Zo ziet het instrument eruit:',
    );
    // Emptied, so that the browser fires a change when the same file is picked again.
    await expect(fileInput).toHaveValue('');

    await fileInput.setInputFiles(fixture('broken', 'not-json.json'));
    await expect(list.main.getByRole('alert')).toContainText('Dit is geen geldig JSON-bestand (regel 4, kolom 3)');
    await expect(list.main.getByRole('status')).toHaveCount(0);
    await expect(list.main.getByRole('heading', { name: 'Seven-point interaction scale' })).toHaveCount(0);

    // The same name again, now fixed: checked again, and the refusal goes.
    await fileInput.setInputFiles({ name: 'not-json.json', mimeType: 'application/json', buffer: good });
    await expect(list.main.getByRole('status')).toHaveText('not-json.json is in orde. Zo ziet het instrument eruit:');
    await expect(list.main.getByRole('alert')).toHaveCount(0);

    // Bytes that are not UTF-8 are refused, not shown with replaced letters.
    await fileInput.setInputFiles({
      name: 'latin-1.json',
      mimeType: 'application/json',
      buffer: Buffer.concat([Buffer.from('{"title": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]),
    });
    await expect(list.main.getByRole('alert')).toContainText('latin-1.json kan niet worden gebruikt');
    await expect(list.main.getByRole('alert')).toContainText('geen geldige UTF-8-tekst: byte 14 (regel 1, kolom 15)');
    await expect(list.main.getByRole('status')).toHaveCount(0);

    // Hidden characters are shown, and a long key in a path wraps on a narrow screen.
    const hostile = { ...JSON.parse(good.toString()), [`x${'y'.repeat(200)}\u202E`]: 1 };
    await fileInput.setInputFiles({
      name: 'hostile.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(hostile)),
    });
    await expect(list.main.getByRole('alert')).toContainText('Onbekend veld "xyyyy');
    await expect(list.main.getByRole('alert')).toContainText('\\u{202E}');
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await list.horizontalOverflow()).toBeLessThanOrEqual(0);
  });

  test('a valid file with look-alike ids and rules that read the same previews, with unique element ids', async ({
    page,
  }) => {
    const list = new InstrumentsPage(page);
    await page.goto('/check-instrument');
    await list.main.getByLabel('Kies een bestand').setInputFiles(fixture('preview', 'look-alike-ids-and-rules.json'));
    await expect(list.main.getByRole('status')).toHaveText(
      'look-alike-ids-and-rules.json is in orde. Zo ziet het instrument eruit:',
    );
    await expect(list.main.getByRole('region', { name: '1 Start van de les' })).toBeVisible();
    await expect(list.main.getByRole('region', { name: '2 Verwerking' })).toBeVisible();
    const card = list.main.getByRole('article', { name: '2.2 Kijken de leerlingen terug op het doel?' });
    // Two rules that read the same are said once.
    await expect(
      card.getByText('Vervalt wanneer "Staat het lesdoel op het bord?" is beantwoord met: nee.'),
    ).toHaveCount(1);
    await expect(card.getByRole('article', { name: '2.2.1 Samen, in de kring' })).toBeVisible();

    const duplicates = await page.evaluate(() => {
      const seen = new Map<string, number>();
      for (const element of document.querySelectorAll('[id]')) seen.set(element.id, (seen.get(element.id) ?? 0) + 1);
      return [...seen].filter(([, count]) => count > 1).map(([id]) => id);
    });
    expect(duplicates).toEqual([]);
    const axe = await new AxeBuilder({ page })
      .withRules(['duplicate-id', 'duplicate-id-aria', 'duplicate-id-active', 'aria-valid-attr-value'])
      .analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    // The domain chips lead to their own domain.
    await list.main
      .getByRole('navigation')
      .getByRole('link', { name: /^2\. Verwerking/ })
      .tap();
    await expect(list.main.getByRole('region', { name: '2 Verwerking' })).toBeInViewport();
  });

  // How long the page's main thread is held while a 4 MB file is checked and previewed is measured by
  // `npm run bench` (as a ratio to a plain page that parses the same file, in the same browser), not here: a time
  // limit in a test passes or fails with the machine. This test checks that such a file gets its whole verdict and
  // its whole preview.
  for (const kind of ['invalid', 'valid'] as const) {
    test(`${kind === 'valid' ? 'a valid' : 'an invalid'} instrument of 4 MB gets its whole verdict`, async ({
      page,
    }, testInfo) => {
      const list = new InstrumentsPage(page);
      await page.goto('/check-instrument');
      const file = bigInstrument(kind);
      expect(file.buffer.length).toBeGreaterThan(4 * 1024 * 1024);
      // From disk, as a person picks it: a file given as bytes would be built by script in the page itself.
      const onDisk = testInfo.outputPath(file.name);
      writeFileSync(onDisk, file.buffer);
      await list.main.getByLabel('Kies een bestand').setInputFiles(onDisk);

      if (kind === 'invalid') {
        const alert = list.main.getByRole('alert');
        await expect(alert).toContainText(`${file.name} kan niet worden gebruikt`, { timeout: 30_000 });
        // 1,199 items repeat the first one's id, and 30 texts are invisible.
        await expect(alert).toContainText('Er zijn 1.229 problemen gevonden');
        await expect(alert).toContainText('… en nog 1.189 problemen van dezelfde soort');
        await expect(alert).toContainText('… en nog 20 problemen van dezelfde soort');
        await expect(alert).toContainText('alleen uit onzichtbare tekens (zoals U+200B)');
        // Ten of a kind, then a count: the list stays readable.
        await expect(alert.getByRole('listitem')).toHaveCount(22);
      } else {
        await expect(list.main.getByRole('status')).toHaveText(
          `${file.name} is in orde. Zo ziet het instrument eruit:`,
          { timeout: 30_000 },
        );
        // The first items at once, the rest as the page scrolls or in later frames: in the end all 1,200 are there.
        await expect(list.main.getByRole('region', { name: '1 Domein 1' }).getByRole('article').first()).toBeVisible();
        await expect(list.main.locator('article.item-card')).toHaveCount(1_200, { timeout: 30_000 });
        await expect(list.main.getByRole('article', { name: '30.40 Kijkpunt 30.40' })).toBeAttached();
      }
    });
  }
});
