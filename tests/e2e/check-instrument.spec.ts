import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { InstrumentsPage } from './pages/instruments-page';

const fixture = (...parts: string[]) => path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures', ...parts);

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
    await expect(list.main.getByRole('status')).toHaveText('seven-point-reverse.json is fine. This is what the instrument looks like:');
    await expect(list.main.getByRole('heading', { level: 2, name: 'Seven-point interaction scale' })).toBeVisible();
    await expect(list.main.getByText('Reverse-keyed: a high score is undesirable here.')).toBeVisible();
    await expect(list.main.getByRole('alert')).toHaveCount(0);
  });
});
