/**
 * Format 3 from scratch in the instrument editor, on a tablet (768 × 1024, touch), as a Teach-style protocol has it:
 * a school leader writes an element with three behaviours under it, whose level is worked out by pattern ("mostly
 * low" gives 1, where a mean would give 2), read on the scale with names for its ranges, and which the observer may
 * set otherwise; the section's score; and a rule that shows a whole second section while that score is at most 2.
 * No JSON is touched. The file is installed, a lesson is observed with it (the rule follows the level the observer
 * chooses, not the one worked out) and the report shows both levels. The sections are photographed (attachments).
 */
import { expect, test } from '@playwright/test';
import { EditorPage, startAsLeader, typeNumber } from './pages/editor-page';
import { CapturePage } from './pages/capture-page';
import { CompletePage } from './pages/complete-page';
import { allViolations } from './support/axe';

const TITLE = 'Uitleg in patronen';
const ELEMENT = 'De leerkracht legt helder uit';
const BEHAVIOURS = ['Noemt het doel van de les', 'Doet het eerst zelf voor', 'Gaat na of iedereen het begrijpt'];
const FOLLOW_UP = 'Wat heeft de leerkracht nodig om dit te versterken?';
/** The behaviours as observed: low, low, high. */
const OBSERVED = [1, 1, 4];

test('a leader writes an element whose level is worked out by pattern and may be set otherwise, with a rule on the section score, and observes with it', async ({
  page,
}, testInfo) => {
  // A whole instrument typed on a 2-core machine, then a lesson observed with it.
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 768, height: 1024 });
  await startAsLeader(page);
  const editor = new EditorPage(page);
  await editor.startFromScratch('Nederlands');
  const general = editor.section('Algemeen');
  await editor.text(general, 'Titel').fill(TITLE);
  await editor.text(general, 'Beschrijving').fill('Het niveau van de uitleg, uit wat je ziet gebeuren.');

  // Section 1 with its score, and the element with three behaviours under it.
  await editor.openSection('Domein 1');
  const domain = editor.domain(1);
  await editor.text(domain, 'Titel van het domein').fill('Instructie');
  await domain.getByText('Cycli, wie vult in en domeinscore').tap();
  await domain.getByLabel('Een domeinscore berekenen uit de items').check();
  const element = editor.item('1.1');
  await editor.text(element, 'Tekst van het item').fill(ELEMENT);
  for (const [n, text] of BEHAVIOURS.entries()) {
    await element.getByRole('button', { name: '+ Gedrag toevoegen' }).tap();
    const behaviour = editor.behaviour(`1.1.${n + 1}`);
    await expect(editor.text(behaviour, 'Tekst van het gedrag')).toBeFocused();
    await page.keyboard.type(text);
  }

  // The element's level: worked out from its behaviours, read on the scale, by pattern.
  await element.getByLabel('Soort antwoord').first().selectOption('score');
  await expect(element.getByRole('combobox', { name: 'Berekend uit' })).toHaveValue('children');
  await element.getByRole('combobox', { name: 'Lezen als niveau op' }).selectOption({ index: 1 });
  await element.getByLabel('De observant mag een ander niveau kiezen dan het berekende').check();
  await element
    .getByRole('combobox', { name: /^Berekening/ })
    .first()
    .selectOption('pattern');
  const cases = element.locator('li.pattern-case');
  await expect(cases).toHaveCount(1);
  // Case 1, "mostly low": more than half of the behaviours at 1–2 gives 1.
  const mostlyLow = cases.nth(0).getByRole('group', { name: 'Voorwaarde 1' });
  await mostlyLow.getByLabel('Hoeveel onderdelen').selectOption('moreThan-share');
  await mostlyLow.getByLabel('Deel van de onderdelen').selectOption('50');
  await typeNumber(mostlyLow.getByLabel('van de onderdelen scoort van'), 1);
  await typeNumber(mostlyLow.getByLabel('tot en met'), 2);
  await typeNumber(cases.nth(0).getByLabel('dan is de score'), 1);
  // Case 2, otherwise: at least one behaviour rated at all gives 3.
  await element.getByRole('button', { name: '+ Geval toevoegen' }).tap();
  const otherwise = cases.nth(1).getByRole('group', { name: 'Voorwaarde 1' });
  await otherwise.getByLabel('Hoeveel onderdelen').selectOption('atLeast');
  await typeNumber(otherwise.getByLabel('Aantal onderdelen'), 1);
  await typeNumber(otherwise.getByLabel('van de onderdelen scoort van'), 1);
  await typeNumber(otherwise.getByLabel('tot en met'), 4);
  await typeNumber(cases.nth(1).getByLabel('dan is de score'), 3);
  // Names for its ranges: 1–2 "laag", 3–4 "hoog".
  await element.getByText('Namen bij de score').tap();
  for (const [name, min, max] of [
    ['laag', 1, 2],
    ['hoog', 3, 4],
  ] as const) {
    await element.getByRole('button', { name: '+ Scoregebied toevoegen' }).tap();
    await page.keyboard.type(name);
    const band = element.locator('li.score-band').last();
    await typeNumber(band.getByLabel('Van', { exact: true }), min);
    await band.getByRole('combobox', { name: 'Tot', exact: true }).selectOption('max');
    await typeNumber(band.getByLabel('Waarde', { exact: true }), max);
  }
  await editor.photograph(testInfo, 'element');
  // Judged from the top: a control that the last step left passing under the sticky header would count as overlapped
  // (instrument-editor-sections.spec.ts tabs through every section to show none stays hidden under it).
  await page.evaluate(() => scrollTo({ top: 0 }));
  expect(await allViolations(page)).toEqual([]);
  expect(await editor.smallTouchTargets()).toEqual([]);
  expect(await editor.horizontalOverflow()).toBeLessThanOrEqual(0);

  // Section 2: a question that only matters when the explanation is weak.
  await domain.getByRole('button', { name: '+ Domein toevoegen' }).tap();
  const second = editor.domain(2);
  await expect(editor.text(second, 'Titel van het domein')).toBeFocused();
  await page.keyboard.type('Vervolg');
  await editor.text(editor.item('2.1'), 'Tekst van het item').fill(FOLLOW_UP);
  await editor.item('2.1').getByLabel('Soort antwoord').selectOption('text');

  // The rule: while section 1's score is at most 2, the whole of section 2 is shown.
  await editor.openSection('Regels');
  const rules = editor.section('Regels');
  await rules.getByRole('button', { name: '+ Regel toevoegen' }).tap();
  await rules
    .getByLabel('Als dit item of deze score')
    .selectOption({ label: 'de domeinscore van domein 1: Instructie' });
  await rules.getByLabel('Hoogstens (mag leeg blijven)').fill('2');
  await rules.getByRole('combobox', { name: /^Soort gevolg/ }).selectOption('show');
  await rules
    .getByRole('group', { name: 'dan verschijnen deze items' })
    .getByLabel('Het hele domein 2: Vervolg')
    .check();
  await editor.photograph(testInfo, 'regels');

  // No JSON touched, nothing wrong: it is format 3 and installed.
  await editor.installFirstVersion(TITLE);

  // A lesson observed with it.
  const url = await editor.observeWith(TITLE, { Groep: 'groep 6', Vak: 'taal' });
  const capture = new CapturePage(page);
  const followUp = capture.item(new RegExp(FOLLOW_UP));
  await capture.domainTab(/Vervolg/).tap();
  await expect(followUp).toHaveCount(0);

  // The behaviours low, low, high: "mostly low", so 1 (a mean would say 2); the score is at most 2, so section 2.
  await capture.domainTab(/Instructie/).tap();
  for (const [n, level] of OBSERVED.entries()) {
    const behaviour = capture.item(new RegExp(BEHAVIOURS[n]!));
    await capture.rating(behaviour, new RegExp(`^${level}`)).tap();
    await expect(capture.rating(behaviour, new RegExp(`^${level}`))).toHaveAttribute('aria-pressed', 'true');
  }
  const mostlyLowShare = OBSERVED.filter((level) => level <= 2).length / OBSERVED.length;
  expect(mostlyLowShare).toBeGreaterThan(0.5);
  expect(Math.round(OBSERVED.reduce((a, b) => a + b, 0) / OBSERVED.length)).toBe(2);
  const level = capture.item(new RegExp(ELEMENT));
  await expect(level.locator('.score-value strong').first()).toHaveText(/^1 –/);
  await capture.expectSaved();
  await capture.domainTab(/Vervolg/).tap();
  await expect(followUp).toBeVisible();

  // The observer judges the explanation better than that (3): the section's score follows, section 2 goes.
  await capture.domainTab(/Instructie/).tap();
  const own = level.getByRole('group', { name: `Jouw niveau voor ${ELEMENT}` });
  await own.getByRole('button', { name: /^3/ }).tap();
  await expect(own.getByRole('button', { name: /^3/ })).toHaveAttribute('aria-pressed', 'true');
  await capture.expectSaved();
  await capture.domainTab(/Vervolg/).tap();
  await expect(followUp).toHaveCount(0);

  // On second thought 2: section 2 is back, and answered.
  await capture.domainTab(/Instructie/).tap();
  await own.getByRole('button', { name: /^2/ }).tap();
  await expect(own.getByRole('button', { name: /^2/ })).toHaveAttribute('aria-pressed', 'true');
  await capture.domainTab(/Vervolg/).tap();
  await expect(followUp).toBeVisible();
  await followUp.getByRole('textbox').fill('Een vast moment om na te gaan of iedereen het begrijpt.');
  await capture.expectSaved();

  await page.getByRole('link', { name: 'Afronden' }).tap();
  const complete = new CompletePage(page);
  await complete.expectShown();
  await complete.confirm.tap();
  await expect(page).toHaveURL(/\/feedback$/);

  // The report: the level chosen, its range's name, and the level worked out beside it.
  await page.goto(`${url}/report`);
  const summary = page.locator('.summary-item').filter({ has: page.getByText(ELEMENT, { exact: true }) });
  await expect(summary).toContainText('gekozen door de observant; berekend: 1');
  await expect(summary.locator('.summary-answer')).toContainText(/^\s*2/);
  await expect(summary).toContainText('laag');
});

test('a leader writes a self-assessment based on the lesson observation, with an item without a note and its difficulty', async ({
  page,
}) => {
  await page.setViewportSize({ width: 768, height: 1024 });
  await startAsLeader(page);
  const editor = new EditorPage(page);
  await editor.startFromScratch('Nederlands');
  const general = editor.section('Algemeen');
  await editor.text(general, 'Titel').fill('Mijn eigen uitleg');
  await editor.text(general, 'Beschrijving').fill('Hoe ik zelf mijn uitleg zie.');
  await general.getByText('Geavanceerd').tap();
  const base = general.getByLabel('Gebaseerd op');
  await expect(base).toHaveCount(0);
  await general.getByLabel('Soort instrument').selectOption('self-assessment');
  // The installed instruments it can be a variant of, each at its newest version.
  await base.selectOption({ label: 'Lesobservatie – algemene kijkwijzer (1.1.0)' });
  expect(await editor.messagesOf(base)).toContain('zelfevaluatie');

  await editor.openSection('Domein 1');
  const item = editor.item('1.1');
  await editor.text(editor.domain(1), 'Titel van het domein').fill('Uitleg');
  await editor.text(item, 'Tekst van het item').fill('Ik leg helder uit');
  await item.getByText('Verplicht en wie vult in').tap();
  const note = item.getByLabel('De observant kan een toelichting toevoegen');
  await expect(note).toBeChecked();
  await note.uncheck();
  await item.getByText('Geavanceerd').tap();
  await item.getByLabel('Moeilijkheid (mag leeg blijven)').fill('0.5');
  // Judged as the section opens (a control passing under the sticky header would count as overlapped there).
  await page.evaluate(() => scrollTo({ top: 0 }));
  expect(await allViolations(page)).toEqual([]);

  await expect(
    editor.main.getByText('Alles is in orde. Je kunt dit instrument opslaan als nieuwe versie.'),
  ).toBeVisible();
  await editor.main.getByRole('link', { name: 'Voorbeeld' }).tap();
  await expect(editor.main.getByRole('heading', { level: 1, name: 'Voorbeeld' })).toBeVisible();
  await expect(page.getByText('Gebaseerd op', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'lesobservatie 1.1.0' })).toBeVisible();
});
