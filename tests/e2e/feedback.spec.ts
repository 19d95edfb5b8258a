/**
 * An observation from request to conversation on one shared tablet, switching "who am I" as a school does: a teacher asks a
 * colleague with a focus question, the colleague observes and writes feedback, hands it over; the teacher reads,
 * reflects, agrees a goal and confirms the conversation; the observer sees it. Privacy: the observed teacher cannot
 * change a rating, and a leader opens the peer observation only after the teacher shares it. The report prints.
 */
import { expect, test, type Page } from '@playwright/test';
import { CapturePage } from './pages/capture-page';
import { startWithDemoSchool } from './pages/school';

/** Says who uses the tablet now, from any screen with the header. */
async function switchTo(page: Page, name: string) {
  await page.getByRole('link', { name: /op dit apparaat is dit .*Wisselen$/ }).tap();
  await page.locator('.person-button', { hasText: name }).first().tap();
  // A teacher lands on their to-do list, a school leader on the team's page.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    new RegExp(`^(Hallo ${name.split(' ')[0]}|Waar groeit het team\\?)$`),
  );
}

async function leaderName(page: Page): Promise<string> {
  await page.getByRole('link', { name: /op dit apparaat is dit .*Wisselen$/ }).tap();
  const leader = page.locator('.person-button', { hasText: 'Schoolleider' }).first();
  const name = ((await leader.locator('.person-name').textContent()) ?? '').trim();
  await page.goBack();
  return name;
}

/** Text of every page of a PDF, with pdf.js (the same text a reader's search would find). */
async function pdfText(pdf: Buffer): Promise<{ pages: number; text: string }> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  let text = '';
  for (let n = 1; n <= document.numPages; n++) {
    const content = await (await document.getPage(n)).getTextContent();
    text += content.items.map((item) => ('str' in item ? item.str : '')).join(' ') + '\n';
  }
  return { pages: document.numPages, text: text.replace(/\s+/g, ' ') };
}

const FOCUS = 'Krijgen de stille leerlingen ook beurten?';
const TOP = 'Je wachtte na het signaal tot het helemaal stil was.';
const TIP = 'Noem het lesdoel aan het begin en kom er aan het eind op terug.';

test('ask, observe, feed back, reflect, agree a goal, discuss — and the report prints', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const teacher = (await startWithDemoSchool(page, 0)).trim();
  const leader = await leaderName(page);

  // 1. The teacher asks a colleague to come and look, with a focus question.
  await page.getByRole('link', { name: 'Vraag een collega' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Vraag een collega om te komen kijken' })).toBeVisible();
  const observerSelect = page.getByLabel('Wie komt er kijken?');
  const observerOption = observerSelect.locator('option', { hasText: 'Leerkracht' }).first();
  const observer = ((await observerOption.textContent()) ?? '').split(' · ')[0]!.trim();
  await observerSelect.selectOption((await observerOption.getAttribute('value')) ?? '');
  await page.getByLabel('Kijkvraag').fill(FOCUS);
  await page.getByLabel('Groep').fill('groep 5');
  await page.getByLabel('Vak of lesonderdeel').fill('rekenen');
  await page.getByRole('button', { name: 'Vraag versturen' }).tap();
  await expect(page.getByRole('region', { name: 'Mijn vragen' })).toContainText(`Gevraagd aan ${observer}`);

  // 2. The colleague sees the request on their home screen and starts observing from it.
  await switchTo(page, observer);
  const asked = page.getByRole('region', { name: 'Gevraagd' });
  await expect(asked).toContainText(`${teacher.split(' ')[0]}`);
  await expect(asked).toContainText(FOCUS);
  await asked.getByRole('link').filter({ hasText: FOCUS }).tap();
  await page.getByRole('link', { name: 'Observatie starten' }).tap();
  await expect(page.getByLabel('Kijkvraag')).toHaveValue(FOCUS);
  await expect(page.getByLabel('Bij wie kijk je mee?').locator('option:checked')).toHaveText(new RegExp(teacher));
  await page.getByRole('button', { name: 'Start de observatie' }).tap();
  const capture = new CapturePage(page);
  await expect(capture.nthItem(0)).toBeVisible();
  await expect(page.locator('.focus-question')).toContainText(FOCUS);
  await capture.rating(capture.nthItem(0), /^3/).tap();
  await capture.expectSaved();
  const observationId = capture.observationId();

  // 3. After completing, straight on to feedback; handing over needs a top and a tip.
  await page.getByRole('link', { name: 'Afronden' }).tap();
  await page.getByRole('button', { name: 'Observatie afronden' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: `Feedback voor ${teacher}` })).toBeVisible();
  await expect(page.locator('.feedback-help .focus-question')).toContainText(FOCUS);
  await page.getByRole('button', { name: `Overdragen aan ${teacher}` }).tap();
  await expect(page.getByRole('alert').filter({ hasText: 'Schrijf eerst minstens één top en één tip.' })).toBeVisible();
  await page.getByRole('button', { name: '+ Top toevoegen' }).tap();
  await expect(page.getByRole('textbox', { name: 'Top 1' })).toBeFocused();
  await page.getByRole('textbox', { name: 'Top 1' }).fill(TOP);
  await page.getByRole('button', { name: '+ Tip toevoegen' }).tap();
  await page.getByRole('textbox', { name: 'Tip 1' }).fill(TIP);
  const about = page.locator('.feedback-point.tip').getByLabel('Gaat over');
  await about.selectOption({ index: 1 });
  await page.getByLabel('Voorgestelde volgende stap').fill('Over drie weken kijken we opnieuw.');
  await page.getByRole('button', { name: `Overdragen aan ${teacher}` }).tap();
  await expect(page).toHaveURL(new RegExp(`/observations/${observationId}/report$`));
  await expect(page.locator('.stage-steps .current')).toContainText('Overgedragen');
  await expect(page.locator('.feedback-list.top')).toContainText(TOP);

  // 4. The teacher finds it under "Feedback voor mij", new, and reads the report.
  await switchTo(page, teacher);
  const received = page.getByRole('region', { name: 'Feedback voor mij' });
  const entry = received.locator(`a[href="/observations/${observationId}/report"]`);
  await expect(entry).toContainText('Lees de feedback');
  await expect(entry.locator('.badge.new')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('home-teacher.png'), fullPage: true });
  await entry.tap();
  await expect(page.getByRole('heading', { level: 1, name: `Lesobservatie bij ${teacher}` })).toBeVisible();
  await expect(page.locator('.feedback-list.tip')).toContainText(TIP);
  await expect(page.locator('.stage-steps .current')).toContainText('Gelezen');
  // The observed teacher cannot change a rating: no rating controls, and the amend address leads back here.
  await expect(page.locator('.rating-button')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Observatie aanpassen' })).toHaveCount(0);
  await page.goto(`/observations/${observationId}/amend`);
  await expect(page).toHaveURL(new RegExp(`/observations/${observationId}/report$`));
  await expect(page.locator('.rating-button')).toHaveCount(0);

  // 5. Reflect, agree the next step as a goal, confirm the conversation.
  await page
    .getByLabel('Jouw reflectie: wat herken je, wat neem je mee?')
    .fill('Herkenbaar; ik ga het lesdoel op het bord zetten.');
  await expect(page.getByLabel('Afgesproken volgende stap als ontwikkeldoel')).toHaveValue(
    'Over drie weken kijken we opnieuw.',
  );
  await page
    .getByLabel('Afgesproken volgende stap als ontwikkeldoel')
    .fill('Elke les het lesdoel noemen en erop terugkomen.');
  await page.getByRole('button', { name: 'Doel vastleggen' }).tap();
  await expect(page.locator('.teacher-panel')).toContainText(
    'Ontwikkeldoel: Elke les het lesdoel noemen en erop terugkomen.',
  );
  await page.getByLabel(`Het gesprek met ${observer} heeft plaatsgevonden`).tap();
  await expect(page.locator('.stage-steps .current')).toContainText('Besproken');
  await page.screenshot({ path: testInfo.outputPath('report-teacher.png'), fullPage: true });

  // 6. A leader cannot open the peer observation, until the teacher shares it.
  await switchTo(page, leader);
  await page.goto(`/observations/${observationId}/report`);
  await expect(page.getByRole('heading', { level: 1, name: 'Je kunt deze observatie niet openen' })).toBeVisible();
  await expect(page.getByText('ziet hem alleen als de leerkracht hem met hen deelt')).toBeVisible();
  await expect(page.getByText(TOP)).toHaveCount(0);
  await page.goto('/');
  await switchTo(page, teacher);
  await page.goto(`/observations/${observationId}/report`);
  await page.getByLabel('Delen met de schoolleiding').tap();
  await expect(page.getByText('De schoolleiding kan deze observatie nu openen')).toBeVisible();
  await switchTo(page, leader);
  await page.getByRole('banner').getByRole('link', { name: 'Te doen' }).tap();
  await page
    .getByRole('region', { name: 'Gedeeld met de schoolleiding' })
    .locator(`a[href="/observations/${observationId}/report"]`)
    .tap();
  await expect(page.locator('.feedback-list.top')).toContainText(TOP);
  await expect(page.locator('.teacher-panel')).toHaveCount(0);

  // 7. The observer sees that it was read and discussed.
  await switchTo(page, observer);
  await expect(
    page
      .getByRole('region', { name: 'Feedback die ik gaf' })
      .locator(`a[href="/observations/${observationId}/report"]`),
  ).toContainText('Besproken op');
  await page.goto(`/observations/${observationId}/report`);
  await expect(page.locator('.report-reflection')).toContainText('Herkenbaar; ik ga het lesdoel op het bord zetten.');

  // 8. The report prints as a clean A4 document with the tops and tips, the instrument and its version.
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  const { pages, text } = await pdfText(pdf);
  expect(pages).toBeGreaterThanOrEqual(1);
  expect(text).toContain(TOP);
  expect(text).toContain(TIP);
  expect(text).toContain('versie 1.1.0');
  expect(text).not.toContain('Afdrukken / PDF');
  expect(text).not.toContain('Hoofdmenu');
});

test('a self-assessment of an observed lesson shows beside the observer’s view, for the teacher', async ({ page }) => {
  await startWithDemoSchool(page, 0);
  const received = page.getByRole('region', { name: 'Feedback voor mij' });
  // A lesson observed in cycles has no self-assessment that shares its items: the report offers none.
  await received
    .getByRole('link', { name: /Interactie in cycli/ })
    .first()
    .tap();
  await expect(page.getByRole('heading', { level: 1, name: /^Lesobservatie bij / })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Afdrukken / PDF' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Zelfevaluatie van deze les invullen' })).toHaveCount(0);
  await page.goBack();
  // The general observation guide has one (based on it): the teacher looks back on the same items.
  await received
    .getByRole('link', { name: /Lesobservatie – algemene kijkwijzer/ })
    .first()
    .tap();
  await expect(page.getByRole('heading', { level: 1, name: /^Lesobservatie bij / })).toBeVisible();
  const report = page.url();
  await page.getByRole('link', { name: 'Zelfevaluatie van deze les invullen' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Zelfevaluatie' })).toBeVisible();
  await expect(page.getByText(/Je kijkt terug op je les van/)).toBeVisible();
  await expect(page.getByLabel('Instrument').locator('option:checked')).toHaveText(/Zelfevaluatie/);
  await page.getByRole('button', { name: 'Start de observatie' }).tap();
  const capture = new CapturePage(page);
  const first = capture.nthItem(0);
  const itemId = await capture.itemId(first);
  await capture.rating(first, /^4/).tap();
  await capture.expectSaved();
  await page.getByRole('link', { name: 'Afronden' }).tap();
  await page.getByRole('button', { name: 'Observatie afronden' }).tap();
  // A self-assessment has no feedback to hand over: its report, with no cycle to follow.
  await expect(page.getByRole('heading', { level: 1, name: /^Zelfevaluatie van / })).toBeVisible();
  await expect(page.locator('.stage-steps')).toHaveCount(0);

  await page.goto(report);
  const row = page.locator(`.summary-item[data-item="${itemId}"]`);
  await expect(row.locator('.self-answer')).toContainText('Zelf: 4');
  await expect(page.getByRole('link', { name: 'Zelfevaluatie van deze les invullen' })).toHaveCount(0);
  // On the teacher's own page, among their self-assessments.
  await page.getByRole('banner').getByRole('link', { name: 'Mijn pagina' }).tap();
  await expect(page.getByRole('region', { name: 'Mijn zelfevaluaties' }).getByRole('link')).not.toHaveCount(0);
});
