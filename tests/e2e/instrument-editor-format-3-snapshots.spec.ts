/**
 * Format 3's snapshot scores in the instrument editor, on a tablet (768 × 1024, touch): a school leader builds from
 * scratch a snapshot item (what the teacher does, with whom, how many pupils are off task), a number asked about the
 * lesson (the pupils present), a score "instruction with the whole class" over two snapshot fields together, a score
 * "off task per pupil present" and a level worked out from the snapshots that the observer may choose otherwise. They
 * save it, observe a lesson with two snapshots, and read the shares and the chosen level in the report. Every
 * expected number is worked out here from what the test enters.
 */
import { expect, test, type Locator } from '@playwright/test';
import { EditorPage, startAsLeader } from './pages/editor-page';
import { CapturePage } from './pages/capture-page';
import { CompletePage } from './pages/complete-page';
import { allViolations } from './support/axe';
import { expectCleanAtNarrowWidth } from './support/narrow';

const SNAPSHOT = 'Wat gebeurt er in de klas?';
const SHARE = 'Instructie aan de hele groep';
const OFF_TASK = 'Niet bij de les per aanwezige leerling';
const JUDGED = 'Taakgerichtheid';
const PRESENT = 'Aanwezige leerlingen';

/** What the observer records at each snapshot, and the pupils present. */
const PUPILS = 20;
const MOMENTS = [
  { minute: 10, activity: 'Instructie', grouping: 'Hele groep', offTask: 3 },
  { minute: 20, activity: 'Instructie', grouping: 'Groepjes', offTask: 1 },
];
const CHOSEN = 3;

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const dutch = (value: number, decimals: number) =>
  value.toLocaleString('nl-NL', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

test('a leader builds snapshot scores over several fields, per pupil present and judged otherwise, and reads them in the report', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 768, height: 1024 });
  await startAsLeader(page);
  const editor = new EditorPage(page);
  await editor.startFromScratch('Nederlands');
  const general = editor.section('Algemeen');
  await editor.text(general, 'Titel').fill('Momentopnamen van de instructie');
  await editor.text(general, 'Beschrijving').fill('Wat de leerkracht doet, met wie, en wie niet bij de les is.');

  // A number asked about the lesson: the pupils present.
  await editor.openSection('Gegevens over de les');
  const context = editor.section('Gegevens over de les');
  await context.getByRole('button', { name: '+ Gegeven toevoegen' }).tap();
  await page.keyboard.type(PRESENT);
  const question = context.locator('li.editor-entry').last();
  await question.getByLabel('Soort antwoord').selectOption('number');

  // The snapshot item: activity and grouping (choices), pupils off task (a count).
  await editor.openSection('Domein 1');
  const domain = editor.domain(1);
  await editor.text(domain, 'Titel van het domein').fill('Les');
  const snapshot = editor.item('1.1');
  await editor.text(snapshot, 'Tekst van het item').fill(SNAPSHOT);
  await snapshot.getByLabel('Soort antwoord').selectOption('snapshot');
  const field = (n: number) => snapshot.locator('li.snapshot-field').nth(n - 1);
  const choiceField = async (n: number, label: string, options: [string, string]) => {
    await editor.text(field(n), `Veld ${n}`).fill(label);
    await field(n).getByLabel('Soort notitie').selectOption('choice');
    await editor.text(field(n), 'Keuze 1').fill(options[0]);
    await editor.text(field(n), 'Keuze 2').fill(options[1]);
  };
  await choiceField(1, 'Activiteit', ['Instructie', 'Verwerking']);
  await snapshot.getByRole('button', { name: '+ Veld toevoegen' }).tap();
  await choiceField(2, 'Groepering', ['Hele groep', 'Groepjes']);
  await snapshot.getByRole('button', { name: '+ Veld toevoegen' }).tap();
  await editor.text(field(3), 'Veld 3').fill('Niet bij de les');

  // The share of snapshots with instruction to the whole group: two fields together.
  const addScoreItem = async (number: string, text: string): Promise<Locator> => {
    await domain.getByRole('button', { name: '+ Item toevoegen' }).last().tap();
    await page.keyboard.type(text);
    const item = editor.item(number);
    await item.getByLabel('Soort antwoord').selectOption('score');
    await item.getByRole('combobox', { name: 'Berekend uit' }).selectOption('snapshot');
    await expect(item.getByRole('combobox', { name: 'Momentopnamen van' })).toHaveValue(/.+/);
    return item;
  };
  const share = await addScoreItem('1.2', SHARE);
  await share.getByRole('combobox', { name: 'Lezen uit' }).selectOption('match');
  const conditions = share.getByRole('group', { name: 'Tel het deel van de momentopnamen waarin' });
  await expect(conditions.getByRole('combobox', { name: 'Voorwaarde 1: welk veld' })).toHaveValue('activiteit');
  await conditions.getByRole('group', { name: 'Activiteit is' }).getByLabel('Instructie').check();
  await conditions.getByRole('button', { name: '+ Voorwaarde toevoegen' }).tap();
  // The new condition reads the field not read yet, and takes focus.
  await expect(conditions.getByRole('combobox', { name: 'Voorwaarde 2: welk veld' })).toBeFocused();
  await expect(conditions.getByRole('combobox', { name: 'Voorwaarde 2: welk veld' })).toHaveValue('groepering');
  await conditions.getByRole('group', { name: 'Groepering is' }).getByLabel('Hele groep').check();
  await expect(conditions.getByRole('combobox', { name: 'Wanneer telt een momentopname mee?' })).toHaveValue('all');
  await share.getByLabel('Decimalen (mag leeg blijven)').fill('2');

  // Pupils off task per pupil present: a count divided by the number asked about the lesson.
  const offTask = await addScoreItem('1.3', OFF_TASK);
  await offTask.getByRole('combobox', { name: 'Veld', exact: true }).selectOption({ label: 'Niet bij de les' });
  await offTask.getByRole('combobox', { name: 'Gedeeld door' }).selectOption('context');
  await expect(offTask.getByRole('combobox', { name: 'Gedeeld door het antwoord op' })).toHaveValue(/.+/);
  await expect(
    offTask.getByRole('combobox', { name: 'Gedeeld door het antwoord op' }).locator('option:checked'),
  ).toHaveText(PRESENT);
  await offTask.getByLabel('Decimalen (mag leeg blijven)').fill('3');

  // A level worked out from the pupils off task, which the observer may set otherwise.
  const judged = await addScoreItem('1.4', JUDGED);
  await judged.getByRole('combobox', { name: 'Veld', exact: true }).selectOption({ label: 'Niet bij de les' });
  const overridable = judged.getByLabel('De observant mag een ander niveau kiezen dan het berekende');
  await expect(overridable).toHaveCount(0);
  await judged.getByRole('combobox', { name: 'Lezen als niveau op' }).selectOption({ index: 1 });
  await overridable.check();

  await editor.photograph(testInfo, 'momentopnamen-scores');
  for (const [name, item] of [
    ['aandeel', share],
    ['per-leerling', offTask],
  ] as const) {
    const path = testInfo.outputPath(`${name}.png`);
    await item.screenshot({ path });
    await testInfo.attach(name, { path, contentType: 'image/png' });
  }
  // Judged from the top: a control that the last step left passing under the sticky header would count as overlapped
  // (instrument-editor-sections.spec.ts tabs through every section to show none stays hidden under it).
  await page.evaluate(() => scrollTo({ top: 0 }));
  expect(await allViolations(page)).toEqual([]);
  expect(await editor.smallTouchTargets()).toEqual([]);
  expect(await editor.horizontalOverflow()).toBeLessThanOrEqual(0);

  // Saved and installed.
  await editor.installFirstVersion('Momentopnamen van de instructie');

  // A lesson observed with it: two snapshots recorded.
  const url = await editor.observeWith('Momentopnamen van de instructie', {
    Groep: 'groep 7',
    Vak: 'rekenen',
    [PRESENT]: String(PUPILS),
  });
  const capture = new CapturePage(page);

  for (const moment of MOMENTS) {
    const at = page.locator(`#snapshot-${moment.minute}`);
    await at.getByRole('button', { name: new RegExp(`^${moment.activity}`) }).tap();
    await at.getByRole('button', { name: new RegExp(`^${moment.grouping}`) }).tap();
    for (let n = 0; n < moment.offTask; n++) await at.getByRole('button', { name: /één meer/ }).tap();
    await expect(at.locator('.counter-value')).toHaveText(String(moment.offTask));
  }
  await capture.expectSaved();

  // Worked out: the mean count off task, read as the nearest level; the observer chooses another.
  const worked = Math.round(mean(MOMENTS.map((m) => m.offTask)));
  expect(worked).not.toBe(CHOSEN);
  const level = capture.item(new RegExp(JUDGED));
  await expect(level.locator('.score-value')).toContainText(String(worked));
  const own = level.getByRole('group', { name: `Jouw niveau voor ${JUDGED}` });
  await own.getByRole('button', { name: new RegExp(`^${CHOSEN}`) }).tap();
  await expect(own.getByRole('button', { name: new RegExp(`^${CHOSEN}`) })).toHaveAttribute('aria-pressed', 'true');
  await capture.expectSaved();
  // At 320 px (a tablet zoomed in): the snapshots, the level worked out from them and the observer's own reflow.
  await expectCleanAtNarrowWidth(page, 'snapshots-capture', page.locator('#snapshot-10'));
  await expectCleanAtNarrowWidth(page, 'snapshots-level', level);

  await page.getByRole('link', { name: 'Afronden' }).tap();
  const complete = new CompletePage(page);
  await complete.expectShown();
  await complete.confirm.tap();
  await expect(page).toHaveURL(/\/feedback$/);

  // The report: the shares as entered, and the level chosen beside the one worked out.
  await page.goto(`${url}/report`);
  const summary = (name: string) =>
    page.locator('.summary-item').filter({ has: page.getByText(name, { exact: true }) });
  const shareValue = mean(MOMENTS.map((m) => (m.activity === 'Instructie' && m.grouping === 'Hele groep' ? 1 : 0)));
  const offTaskValue = mean(MOMENTS.map((m) => m.offTask / PUPILS));
  await expect(summary(SHARE).locator('.summary-answer')).toContainText(dutch(shareValue, 2));
  await expect(summary(OFF_TASK).locator('.summary-answer')).toContainText(dutch(offTaskValue, 3));
  await expect(summary(JUDGED)).toContainText(`gekozen door de observant; berekend: ${worked}`);
  await expectCleanAtNarrowWidth(page, 'snapshots-report', summary(SHARE));
  await expect(summary(JUDGED).locator('.summary-answer')).toContainText(new RegExp(`^\\s*${CHOSEN}`));
});
