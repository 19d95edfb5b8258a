/**
 * Format 3's scores in the instrument editor, on a tablet (768 × 1024, touch): a school leader builds from scratch a
 * domain with three rated items, a scoring map "Gezien", a named score over each item of the domain read through
 * that map with names for its ranges ("Weinig gezien", "Vaak gezien"), and a score by pattern with two cases. The
 * editor's preview of how the scores are worked out shows the score with the name of its range, and follows an
 * answer changed; the Scores section passes axe; the file has no problems and is installed. The Scores section is
 * photographed at 768 × 1024 (the test's attachments).
 */
import { expect, test } from '@playwright/test';
import { EditorPage, startAsLeader, typeNumber } from './pages/editor-page';
import { allViolations } from './support/axe';

const ITEMS = ['De leerkracht noemt het lesdoel', 'De leerkracht doet het voor', 'De leerlingen oefenen samen'];

test('a leader builds a score over each item read through a map, with named ranges, and a score by pattern', async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 768, height: 1024 });
  await startAsLeader(page);
  const editor = new EditorPage(page);
  await editor.startFromScratch('Nederlands');
  const general = editor.section('Algemeen');
  await editor.text(general, 'Titel').fill('Instructie in patronen');
  await editor.text(general, 'Beschrijving').fill('Hoe vaak de instructie goed gaat, in één oogopslag.');

  // The domain: three items, each rated on the starting scale (1–4).
  await editor.openSection('Domein 1');
  const domain = editor.domain(1);
  await editor.text(domain, 'Titel van het domein').fill('Instructie');
  await editor.text(editor.item('1.1'), 'Tekst van het item').fill(ITEMS[0]!);
  for (const text of ITEMS.slice(1)) {
    await domain.getByRole('button', { name: '+ Item toevoegen' }).tap();
    await page.keyboard.type(text);
  }
  await expect(editor.text(editor.item('1.3'), 'Tekst van het item')).toHaveValue(ITEMS[2]!);

  // The scoring map: 1–2 not seen (0), 3–4 seen (1), as it starts.
  await editor.openSection('Scores');
  const scores = page.getByRole('region', { name: 'Scores', exact: true });
  await scores.getByRole('button', { name: '+ Omzetting toevoegen' }).tap();
  await editor.text(scores, 'Naam van de omzetting (mag leeg blijven)').fill('Gezien');

  // Score 1: each item of the domain, read through "Gezien", instead of the domain (which has no score).
  await scores.getByRole('button', { name: '+ Score toevoegen' }).tap();
  await page.keyboard.type('Kwaliteit');
  const first = scores.locator('li.editor-entry', { has: page.getByRole('heading', { name: 'Score 1' }) });
  const parts = first.getByRole('group', { name: 'Berekend uit' });
  await parts.getByText('Elk item van een domein als eigen onderdeel').tap();
  await parts.getByLabel('Elk item van Domein 1: Instructie').check();
  await parts.getByRole('checkbox', { name: /^Domein 1: Instructie/ }).uncheck();
  const part = first.getByRole('group', { name: 'Onderdeel 1: Elk item van Domein 1: Instructie' });
  await part.getByLabel('Eerst omzetten met').selectOption({ label: 'Gezien' });
  // Names for its ranges: below a half "Weinig gezien", from a half to 1 "Vaak gezien".
  await first.getByText('Namen bij de score').tap();
  for (const [name, min, end, value] of [
    ['Weinig gezien', '0', 'below', '0.5'],
    ['Vaak gezien', '0.5', 'max', '1'],
  ] as const) {
    await first.getByRole('button', { name: '+ Scoregebied toevoegen' }).tap();
    await page.keyboard.type(name);
    const band = first.locator('li.score-band').last();
    await typeNumber(band.getByLabel('Van', { exact: true }), min);
    await band.getByRole('combobox', { name: 'Tot', exact: true }).selectOption(end);
    await typeNumber(band.getByLabel('Waarde', { exact: true }), value);
  }

  // Score 2, by pattern over the same items: "more than half score 3 to 4" gives 2, else "at least 1 scores
  // 1 to 4" gives 1.
  await scores.getByRole('button', { name: '+ Score toevoegen' }).tap();
  await page.keyboard.type('Patroon');
  const second = scores.locator('li.editor-entry', { has: page.getByRole('heading', { name: 'Score 2' }) });
  const secondParts = second.getByRole('group', { name: 'Berekend uit' });
  await secondParts.getByText('Elk item van een domein als eigen onderdeel').tap();
  await secondParts.getByLabel('Elk item van Domein 1: Instructie').check();
  await secondParts.getByRole('checkbox', { name: /^Domein 1: Instructie/ }).uncheck();
  await second.getByRole('combobox', { name: /^Berekening/ }).selectOption('pattern');
  const cases = second.locator('li.pattern-case');
  await expect(cases).toHaveCount(1);
  const firstCount = cases.nth(0).getByRole('group', { name: 'Voorwaarde 1' });
  await expect(firstCount.getByLabel('Hoeveel onderdelen')).toHaveValue('moreThan-share');
  await expect(firstCount.getByLabel('Deel van de onderdelen')).toHaveValue('50');
  await expect(firstCount.getByLabel('van de onderdelen scoort van')).toHaveValue('3');
  await typeNumber(cases.nth(0).getByLabel('dan is de score'), '2');
  await second.getByRole('button', { name: '+ Geval toevoegen' }).tap();
  await expect(cases).toHaveCount(2);
  const otherCount = cases.nth(1).getByRole('group', { name: 'Voorwaarde 1' });
  await otherCount.getByLabel('Hoeveel onderdelen').selectOption('atLeast');
  await expect(otherCount.getByLabel('Aantal onderdelen')).toHaveValue('1');
  await typeNumber(otherCount.getByLabel('van de onderdelen scoort van'), '1');
  await typeNumber(cases.nth(1).getByLabel('dan is de score'), '1');

  // How the scores are worked out: with every item at 3, each is seen, so "Vaak gezien"; the pattern's first case.
  const preview = scores.getByRole('region', { name: 'Zo worden de scores berekend' });
  const quality = preview.locator('.preview-item', { hasText: 'Kwaliteit' });
  const pattern = preview.locator('.preview-item', { hasText: 'Patroon' });
  await expect(quality.locator('.preview-score')).toContainText('1,0 Vaak gezien');
  await expect(pattern.locator('.preview-score strong')).toHaveText('2');
  // Two items at 1 and 2: one of three seen, "Weinig gezien"; not more than half at 3–4, so the second case.
  await preview.getByRole('combobox', { name: `Antwoord: 1.1 ${ITEMS[0]}` }).selectOption('1');
  await preview.getByRole('combobox', { name: `Antwoord: 1.2 ${ITEMS[1]}` }).selectOption('2');
  await expect(quality.locator('.preview-score')).toContainText('0,3 Weinig gezien');
  await expect(pattern.locator('.preview-score strong')).toHaveText('1');

  await editor.photograph(testInfo, 'scores');
  // Judged from the top: a control that the last step left passing under the sticky header would count as overlapped
  // (instrument-editor-sections.spec.ts tabs through every section to show none stays hidden under it).
  await page.evaluate(() => scrollTo({ top: 0 }));
  expect(await allViolations(page)).toEqual([]);
  expect(await editor.smallTouchTargets()).toEqual([]);
  expect(await editor.horizontalOverflow()).toBeLessThanOrEqual(0);

  // No problems: saved and installed.
  await editor.installFirstVersion('Instructie in patronen');
});
