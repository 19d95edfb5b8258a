/**
 * Format 3's rules in the instrument editor, on a tablet (768 × 1024, touch): a school leader builds an instrument
 * from scratch with two domains (the first with a domain score) and a rule "when the domain score of domain 1 is at
 * most 2, show the whole domain 2", chosen from lists, without JSON. Saved and installed, it is observed with: domain
 * 2's items stay hidden until domain 1's items are rated low.
 */
import { expect, test } from '@playwright/test';
import { EditorPage, startAsLeader } from './pages/editor-page';
import { CapturePage } from './pages/capture-page';
import { allViolations } from './support/axe';

const TITLE = 'Klimaat en klassenmanagement';
const CALM = 'De sfeer is ontspannen';
const RESPECT = 'De leerkracht toont respect';
const ON_TIME = 'De les begint op tijd';
const READY = 'De materialen liggen klaar';

test('a leader builds a rule on a domain score that shows a whole domain, and observes with it', async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 768, height: 1024 });
  await startAsLeader(page);
  const editor = new EditorPage(page);
  await editor.startFromScratch('Nederlands');
  const general = editor.section('Algemeen');
  await editor.text(general, 'Titel').fill(TITLE);
  await editor.text(general, 'Beschrijving').fill('Eerst het klimaat; is dat laag, dan ook het klassenmanagement.');

  // Domain 1, with a domain score (the mean of its items), and domain 2.
  await editor.openSection('Domein 1');
  const domain1 = editor.domain(1);
  await editor.text(domain1, 'Titel van het domein').fill('Klimaat');
  await domain1.getByText('Cycli, wie vult in en domeinscore').tap();
  await domain1.getByLabel('Een domeinscore berekenen uit de items').check();
  await editor.text(editor.item('1.1'), 'Tekst van het item').fill(CALM);
  await domain1.getByRole('button', { name: '+ Item toevoegen' }).tap();
  await page.keyboard.type(RESPECT);
  await domain1.getByRole('button', { name: '+ Domein toevoegen' }).tap();
  const domain2 = editor.domain(2);
  await expect(editor.text(domain2, 'Titel van het domein')).toBeFocused();
  await page.keyboard.type('Klassenmanagement');
  await editor.text(editor.item('2.1'), 'Tekst van het item').fill(ON_TIME);
  await domain2.getByRole('button', { name: '+ Item toevoegen' }).tap();
  await page.keyboard.type(READY);

  // The rule: the domain score of domain 1 at most 2 shows the whole of domain 2.
  await editor.openSection('Regels');
  const rules = editor.section('Regels');
  await rules.getByRole('button', { name: '+ Regel toevoegen' }).tap();
  const subject = rules.getByLabel('Als dit item of deze score');
  // Items and domain scores, each under its heading.
  const groups = subject.locator('optgroup');
  await expect(groups).toHaveCount(2);
  await expect(groups.nth(0)).toHaveAttribute('label', 'Items');
  await expect(groups.nth(1)).toHaveAttribute('label', 'Domeinscores');
  await subject.selectOption({ label: 'de domeinscore van domein 1: Klimaat' });
  // The choice is a field of another name now; focus stays on it, and the hint gives the score's range.
  const chosen = rules.getByLabel('Als dit item of deze score');
  await expect(chosen).toBeFocused();
  const atLeast = rules.getByLabel('Minstens (mag leeg blijven)');
  expect(await editor.messagesOf(atLeast)).toContain('van 1 tot 4');
  await rules.getByLabel('Hoogstens (mag leeg blijven)').fill('2');
  await rules.getByRole('combobox', { name: /^Soort gevolg/ }).selectOption('show');
  const shown = rules.getByRole('group', { name: 'dan verschijnen deze items' });
  // Domain 1 is what the score is worked out from: the rule may not hide it, so it is not offered.
  await expect(shown.getByLabel('Het hele domein 1: Klimaat')).toHaveCount(0);
  await expect(shown.getByLabel(`1.1 ${CALM}`)).toHaveCount(0);
  await expect(shown.getByLabel(`2.1 ${ON_TIME}`)).toBeVisible();
  const whole = shown.getByLabel('Het hele domein 2: Klassenmanagement');
  const before = testInfo.outputPath('regels-domein-of-items.png');
  await rules.screenshot({ path: before });
  await testInfo.attach('regels, domein of items', { path: before, contentType: 'image/png' });
  await whole.check();
  // The domain stands for its items: they are no longer listed one by one.
  await expect(shown.getByLabel(`2.1 ${ON_TIME}`)).toHaveCount(0);
  expect(await editor.messagesOf(whole)).toBe('Alle 2 items van dit domein horen erbij.');
  await expect(rules).not.toContainText('Deze regel kun je hier niet als formulier bewerken');
  await expect(
    editor.main.getByText('Alles is in orde. Je kunt dit instrument opslaan als nieuwe versie.'),
  ).toBeVisible();
  const picture = testInfo.outputPath('regels.png');
  await rules.screenshot({ path: picture });
  await testInfo.attach('regels', { path: picture, contentType: 'image/png' });
  expect(await allViolations(page)).toEqual([]);
  expect(await editor.smallTouchTargets()).toEqual([]);
  expect(await editor.horizontalOverflow()).toBeLessThanOrEqual(0);

  // Saved and installed.
  await editor.installFirstVersion(TITLE);

  // A lesson observed with it.
  await editor.observeWith(TITLE, { Groep: 'groep 7', Vak: 'rekenen' });
  const capture = new CapturePage(page);
  const calm = capture.item(new RegExp(CALM));
  const respect = capture.item(new RegExp(RESPECT));
  const onTime = capture.item(new RegExp(ON_TIME));
  const ready = capture.item(new RegExp(READY));

  // Not before anything is rated, nor while the climate is high: (3 + 4) / 2.
  await capture.domainTab(/Klassenmanagement/).tap();
  await expect(onTime).toHaveCount(0);
  await capture.domainTab(/Klimaat/).tap();
  await capture.rating(calm, /^3/).tap();
  await capture.rating(respect, /^4/).tap();
  await expect(capture.rating(respect, /^4/)).toHaveAttribute('aria-pressed', 'true');
  await capture.expectSaved();
  await capture.domainTab(/Klassenmanagement/).tap();
  await expect(onTime).toHaveCount(0);
  await expect(ready).toHaveCount(0);

  // (1 + 2) / 2 = 1.5: at most 2, and the whole domain appears.
  await capture.domainTab(/Klimaat/).tap();
  await capture.rating(calm, /^1/).tap();
  await capture.rating(respect, /^2/).tap();
  await expect(capture.rating(respect, /^2/)).toHaveAttribute('aria-pressed', 'true');
  await capture.expectSaved();
  await capture.domainTab(/Klassenmanagement/).tap();
  await expect(onTime).toBeVisible();
  await expect(ready).toBeVisible();
  await capture.rating(onTime, /^3/).tap();
  await expect(capture.rating(onTime, /^3/)).toHaveAttribute('aria-pressed', 'true');
  await capture.expectSaved();
});
