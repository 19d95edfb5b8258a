/**
 * Format 2 in the instrument editor, on a tablet (768 × 1024, touch): a school leader builds an instrument from
 * scratch with a section repeated in cycles and its domain score, a named score over it, and a rule that shows an
 * item ("when item A is at most 2, show item B"), sees in the Scores section how the scores are worked out, undoes a
 * change, saves it, observes a lesson in two cycles with it (B appears only once A is answered 2 or lower) and reads
 * the scores in the report. Each new section is photographed at 768 × 1024 (the test's attachments).
 */
import { expect, test } from '@playwright/test';
import { EditorPage, startAsLeader } from './pages/editor-page';
import { CapturePage } from './pages/capture-page';
import { CompletePage } from './pages/complete-page';
import { allViolations } from './support/axe';

const A = 'De leerkracht legt helder uit';
const B = 'De leerkracht legt het nog eens uit in kleine stappen';

test('a leader builds an instrument in cycles with a domain score, a named score and a show rule, and observes with it', async ({
  page,
}, testInfo) => {
  // A whole instrument typed on a 2-core machine, then a lesson observed with it.
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 768, height: 1024 });
  await startAsLeader(page);
  const editor = new EditorPage(page);
  await editor.startFromScratch('Nederlands');
  const general = editor.section('Algemeen');
  await editor.text(general, 'Titel').fill('Uitleg in cycli');
  await editor.text(general, 'Beschrijving').fill('Hoe helder de uitleg is, cyclus na cyclus.');

  // The domain: repeated in cycles (at least two), with a domain score; two items, A and B.
  await editor.openSection('Domein 1');
  const domain = editor.domain(1);
  await editor.text(domain, 'Titel van het domein').fill('Uitleg');
  await domain.getByText('Cycli, wie vult in en domeinscore').tap();
  await domain.getByLabel('Herhalen in cycli tijdens de les').check();
  await expect(editor.text(domain, 'Naam van één herhaling')).toBeFocused();
  await expect(editor.text(domain, 'Naam van één herhaling')).toHaveValue('Cyclus');
  await domain.getByLabel('Minstens zoveel keer (standaard 1)').fill('2');
  await domain.getByLabel('Hoogstens zoveel keer (standaard 8)').fill('4');
  await domain.getByLabel('Een domeinscore berekenen uit de items').check();
  await expect(domain.getByRole('combobox', { name: /^Berekening/ })).toHaveValue('mean');
  await editor.text(editor.item('1.1'), 'Tekst van het item').fill(A);
  await domain.getByRole('button', { name: '+ Item toevoegen' }).tap();
  await page.keyboard.type(B);
  await editor.photograph(testInfo, 'domein');

  // The rule: when A is at most 2, B appears.
  await editor.openSection('Regels');
  const rules = editor.section('Regels');
  await rules.getByRole('button', { name: '+ Regel toevoegen' }).tap();
  await rules.getByLabel('Als dit item').selectOption({ label: `1.1 ${A}` });
  await rules.getByRole('combobox', { name: /^Voorwaarde/ }).selectOption('range');
  await rules.getByLabel('Hoogstens (mag leeg blijven)').fill('2');
  await rules.getByRole('combobox', { name: /^Soort gevolg/ }).selectOption('show');
  const shown = rules.getByRole('group', { name: 'dan verschijnen deze items' });
  await shown.getByLabel(`1.2 ${B}`).check();
  await expect(shown.getByLabel(`1.1 ${A}`)).toHaveCount(0);
  await editor.photograph(testInfo, 'regels');

  // The named score, over the domain, in two decimals; a change undone with Ctrl+Z.
  await editor.openSection('Scores');
  const scores = page.getByRole('region', { name: 'Scores', exact: true });
  await scores.getByRole('button', { name: '+ Score toevoegen' }).tap();
  await expect(editor.text(scores, 'Naam van de score')).toBeFocused();
  await page.keyboard.type('Totaal');
  await expect(
    scores.getByRole('group', { name: 'Berekend uit' }).getByLabel('Domein 1: Uitleg', { exact: true }),
  ).toBeChecked();
  await scores.getByLabel('Decimalen (mag leeg blijven)').fill('2');
  const method = scores.getByRole('combobox', { name: /^Berekening/ });
  await method.selectOption('sum');
  await page.keyboard.press('Control+Z');
  await expect(method).toHaveValue('mean');

  // How the scores are worked out: example answers in the middle of the scale (3), B hidden in both cycles.
  const preview = scores.getByRole('region', { name: 'Zo worden de scores berekend' });
  const domainScore = preview.locator('.preview-domain-score');
  await expect(domainScore).toContainText('Domeinscore: 3,0 (Cyclus 1: 3,0; Cyclus 2: 3,0)');
  await expect(domainScore).toContainText(`gemiddelde van 1.1 ${A} en 1.2 ${B}`);
  await expect(preview.locator('.preview-item', { hasText: 'Totaal' })).toContainText('3,00');
  // A at 2 in the second cycle: B counts there, as the rule shows it.
  await preview.getByRole('combobox', { name: `Cyclus 2: 1.1 ${A}` }).selectOption('2');
  await expect(domainScore).toContainText('Domeinscore: 2,8 (Cyclus 1: 3,0; Cyclus 2: 2,5)');
  await expect(preview.locator('.preview-item', { hasText: 'Totaal' })).toContainText('2,75');
  await expect(preview.locator('.preview-item', { hasText: `1.2 ${B}` })).toContainText(
    'Score: 3 (Cyclus 1: –; Cyclus 2: 3)',
  );
  await editor.photograph(testInfo, 'scores');
  expect(await allViolations(page)).toEqual([]);
  expect(await editor.smallTouchTargets()).toEqual([]);
  expect(await editor.horizontalOverflow()).toBeLessThanOrEqual(0);

  // Saved and installed.
  await editor.installFirstVersion('Uitleg in cycli');

  // A lesson observed with it, in two cycles.
  const url = await editor.observeWith('Uitleg in cycli', { Groep: 'groep 5', Vak: 'taal' });
  const capture = new CapturePage(page);
  const itemA = capture.item(new RegExp(A));
  const itemB = capture.item(new RegExp(B));

  await page.getByRole('button', { name: '+ Nieuwe cyclus starten' }).tap();
  await capture.rating(itemA, /^3/).tap();
  await expect(capture.rating(itemA, /^3/)).toHaveAttribute('aria-pressed', 'true');
  await expect(itemB).toHaveCount(0);
  await page.getByRole('button', { name: '+ Nieuwe cyclus starten' }).tap();
  const cycles = capture.main.getByRole('group', { name: 'Cyclus op het scherm' });
  await expect(cycles.getByRole('button', { name: /Cyclus 2/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(itemB).toHaveCount(0);
  await capture.rating(itemA, /^2/).tap();
  await expect(itemB).toBeVisible();
  await capture.rating(itemB, /^3/).tap();
  await expect(capture.rating(itemB, /^3/)).toHaveAttribute('aria-pressed', 'true');
  // Back in the first cycle, B is not there: A was 3.
  await cycles.getByRole('button', { name: /Cyclus 1/ }).tap();
  await expect(capture.rating(itemA, /^3/)).toHaveAttribute('aria-pressed', 'true');
  await expect(itemB).toHaveCount(0);
  await capture.expectSaved();

  await page.getByRole('link', { name: 'Afronden' }).tap();
  const complete = new CompletePage(page);
  await complete.expectShown();
  await complete.confirm.tap();
  await expect(page).toHaveURL(/\/feedback$/);

  // The report: per cycle and together, the domain score and the named score, as the preview said.
  await page.goto(`${url}/report`);
  const table = page.locator('table.cycle-scores');
  const row = (name: string) =>
    table
      .locator('tbody tr')
      .filter({ has: page.getByRole('rowheader', { name }) })
      .locator('td');
  await expect(row(A)).toHaveText(['3', '2', '2,5']);
  await expect(row('Domeinscore')).toHaveText(['3,0', '2,5', '2,8']);
  await expect(page.locator('.report-scores')).toContainText('Totaal');
  await expect(page.locator('.report-scores .score-figure')).toHaveText('2,75');
  await expect(page.locator('.report-scores')).toContainText('gemiddelde van Uitleg');
});
