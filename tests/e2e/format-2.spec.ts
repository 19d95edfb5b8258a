/**
 * Observing with an instrument in format 2, on a tablet without a network: a section repeated in rounds (each
 * round's answers its own), an item shown only once its trigger is answered, an item a rule makes required that
 * keeps the observation from being completed until it is answered, look-fors answered seen / not seen with their
 * derived score, a list of tops, a date, and a part the observed teacher fills in themselves. The report shows the
 * scores per round and combined, the domain score and the instrument's named score.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator } from '@playwright/test';
import { CapturePage } from './pages/capture-page';
import { CompletePage } from './pages/complete-page';
import { installInstrumentFile, startObservation, startWithDemoSchool, waitUntilOfflineReady } from './pages/school';
import { seriousViolations } from './support/axe';

/** What a list of fields holds, in order. */
const values = (fields: Locator) =>
  fields.evaluateAll((elements) => elements.map((element) => (element as HTMLTextAreaElement).value));

// The first test observes offline, served by the service worker.
test.use({ serviceWorkers: 'allow' });

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/format-2-capture.json');

test(
  'an observer repeats rounds, follows the rules and completes; the report scores per round and combined',
  { tag: '@layout' },
  async ({ page, context }) => {
    test.setTimeout(120_000);
    await startWithDemoSchool(page);
    await waitUntilOfflineReady(page);
    await installInstrumentFile(page, FIXTURE);
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: /^Hallo / })).toBeVisible();

    // The new-observation screen asks for the instrument's context, a date among it.
    const url = await startObservation(page, /Interactie in rondes/, async () => {
      await expect(page.getByLabel('Dag van de les')).toHaveAttribute('type', 'date');
      await page.getByLabel('Dag van de les').fill('2026-11-20');
    });
    const capture = new CapturePage(page);

    // Start: "how" is hidden until the goal was named; saying it was not makes the explanation required.
    const goal = capture.item(/De leerkracht noemt wat de leerlingen vandaag leren/);
    const how = capture.item(/Hoe maakt de leerkracht het doel duidelijk/);
    const instead = capture.item(/Wat zag je in plaats van een lesdoel/);
    await expect(how).toHaveCount(0);
    await expect(instead.locator('.required-badge')).toHaveCount(0);
    await goal.getByRole('button', { name: 'Ja' }).tap();
    await expect(how).toBeVisible();
    // Options under their headings.
    const writing = how.getByRole('group', { name: 'Op schrift' });
    await expect(writing.getByRole('button')).toHaveText(['Op het bord', 'Op het werkblad']);
    await writing.getByRole('button', { name: 'Op het bord' }).tap();
    await expect(writing.getByRole('button', { name: 'Op het bord' })).toHaveAttribute('aria-pressed', 'true');
    await goal.getByRole('button', { name: 'Nee' }).tap();
    await expect(how).toHaveCount(0);
    await expect(instead.locator('.required-badge')).toHaveText('verplicht');
    await capture.rating(capture.item(/Materiaal ligt klaar/), /^3/).tap();

    // Interaction: rounds. Nothing to answer before the first round is started.
    await capture.domainTab(/Interactie/).tap();
    const tone = capture.item(/Warme, respectvolle toon/);
    const feedback = capture.item(/Terugkoppeling die leerlingen verder helpt/);
    await expect(tone).toHaveCount(0);
    await expect(capture.main.locator('.cycle-guidance')).toHaveText(
      'Ronde van ±15 min · gestart: 0 (minimaal 2, hoogstens 3)',
    );
    await page.getByRole('button', { name: '+ Nieuwe ronde starten' }).tap();
    const rounds = capture.main.getByRole('group', { name: 'Ronde op het scherm' });
    await expect(rounds.getByRole('button', { name: /Ronde 1/ })).toHaveAttribute('aria-pressed', 'true');
    await expect(capture.main.locator('.cycle-guidance')).toHaveText(/^Ronde van ±15 min, nu \d\d:\d\d · gestart: 1 /);
    await capture.rating(tone, /^6/).tap();
    await capture.rating(feedback, /^5/).tap();
    // A descriptor written once for the band "high" holds for 6 and 7.
    await tone.getByRole('button', { name: /Uitleg bij/ }).tap();
    const descriptors = tone.locator('.guidance dd');
    await expect(descriptors).toHaveCount(7);
    await expect(descriptors.nth(5)).toHaveText('Iedereen wordt gezien en bij naam aangesproken.');
    await expect(descriptors.nth(6)).toHaveText('Iedereen wordt gezien en bij naam aangesproken.');

    await page.getByRole('button', { name: '+ Nieuwe ronde starten' }).tap();
    await expect(rounds.getByRole('button', { name: /Ronde 2/ })).toHaveAttribute('aria-pressed', 'true');
    await expect(capture.domainTab(/Interactie/)).toContainText('Ronde 2');
    await expect(capture.rating(tone, /^6/)).toHaveAttribute('aria-pressed', 'false');
    await capture.rating(tone, /^4/).tap();
    await capture.rating(feedback, /^3/).tap();
    await rounds.getByRole('button', { name: /Ronde 1/ }).tap();
    await expect(capture.rating(tone, /^6/)).toHaveAttribute('aria-pressed', 'true');
    await expect(capture.rating(feedback, /^5/)).toHaveAttribute('aria-pressed', 'true');
    expect(await seriousViolations(page)).toEqual([]);

    // Close: look-fors seen or not seen, and the score they make; a list of tops; a date.
    await capture.domainTab(/Afsluiting/).tap();
    const lookBack = capture.item(/Terugblik aan het eind/);
    const answer = (lookFor: string, state: 'Gezien' | 'Niet gezien'): Locator =>
      lookBack.getByRole('group', { name: lookFor }).getByRole('button', { name: state, exact: true });
    await expect(lookBack.locator('.score-value')).toContainText('nog geen score');
    await answer('Terug naar het lesdoel', 'Niet gezien').tap();
    await answer('Terug naar het lesdoel', 'Gezien').tap(); // sets, never toggles: now seen
    await answer('Leerlingen zeggen wat ze leerden', 'Niet gezien').tap();
    await answer('Vooruitblik op de volgende les', 'Gezien').tap();
    await expect(answer('Terug naar het lesdoel', 'Gezien')).toHaveAttribute('aria-pressed', 'true');
    await expect(answer('Terug naar het lesdoel', 'Niet gezien')).toHaveAttribute('aria-pressed', 'false');
    await expect(lookBack.locator('.score-value strong')).toHaveText('0,67');

    const tops = capture.item(/Tops voor de leerkracht/);
    for (const top of ['Rustige start', 'Wordt vervangen', 'Iedereen kwam aan de beurt']) {
      await tops.getByRole('button', { name: '+ Punt toevoegen' }).tap();
      await page.keyboard.type(top);
    }
    await tops.getByRole('button', { name: 'Punt 2 verwijderen' }).tap();
    await expect.poll(() => values(tops.getByRole('textbox'))).toEqual(['Rustige start', 'Iedereen kwam aan de beurt']);
    await capture
      .item(/Datum van de nabespreking/)
      .getByRole('textbox', { name: 'Datum van de nabespreking' })
      .fill('2026-12-01');
    expect(await seriousViolations(page)).toEqual([]);

    // The teacher's own part is not for the observer.
    await capture.domainTab(/Eigen blik/).tap();
    await expect(capture.main.getByText('Dit deel vult de leerkracht zelf in, in een zelfbeoordeling.')).toBeVisible();
    await expect(capture.item(/Hoe tevreden ben je/)).toHaveCount(0);
    await capture.expectSaved();

    // Everything is there after a reload, each round with its own answers; back in the rounds, the latest is shown.
    await page.reload();
    await capture.domainTab(/Interactie/).tap();
    await expect(rounds.getByRole('button', { name: /Ronde 2/ })).toHaveAttribute('aria-pressed', 'true');
    await expect(capture.rating(tone, /^4/)).toHaveAttribute('aria-pressed', 'true');
    await expect(capture.rating(feedback, /^3/)).toHaveAttribute('aria-pressed', 'true');
    await rounds.getByRole('button', { name: /Ronde 1/ }).tap();
    await expect(capture.rating(tone, /^6/)).toHaveAttribute('aria-pressed', 'true');
    await capture.domainTab(/Afsluiting/).tap();
    await expect.poll(() => values(tops.getByRole('textbox'))).toEqual(['Rustige start', 'Iedereen kwam aan de beurt']);
    await expect(
      capture.item(/Datum van de nabespreking/).getByRole('textbox', { name: 'Datum van de nabespreking' }),
    ).toHaveValue('2026-12-01');
    await expect(answer('Leerlingen zeggen wat ze leerden', 'Niet gezien')).toHaveAttribute('aria-pressed', 'true');

    // Completing waits for the required explanation, and says so.
    await page.getByRole('link', { name: 'Afronden' }).tap();
    const complete = new CompletePage(page);
    await complete.expectShown();
    const required = complete.main.getByRole('region', { name: 'Verplicht, nog niet beantwoord' });
    await expect(required.getByRole('link')).toHaveCount(1);
    await expect(required.getByRole('link')).toContainText('Wat zag je in plaats van een lesdoel?');
    await expect(complete.confirm).toBeDisabled();
    expect(await seriousViolations(page)).toEqual([]);
    await required.getByRole('link').tap();
    await expect(page).toHaveURL(url);
    await instead.getByRole('textbox').fill('Ze begonnen meteen met de opdracht.');
    await capture.expectSaved();
    await page.getByRole('link', { name: 'Afronden' }).tap();
    await expect(complete.main.getByRole('region', { name: 'Verplicht, nog niet beantwoord' })).toHaveCount(0);
    await expect(complete.confirm).toBeEnabled();
    await complete.confirm.tap();
    await expect(page).toHaveURL(/\/feedback$/);

    // The report: per round and combined, the domain score, the named score, the derived score.
    await page.goto(`${url}/report`);
    const table = page.locator('table.cycle-scores[data-domain="ronde"]');
    await expect(table.locator('thead th')).toContainText(['Item', 'Ronde 1', 'Ronde 2', 'Samen (gemiddelde)']);
    const row = (name: string) =>
      table
        .locator('tbody tr')
        .filter({ has: page.getByRole('rowheader', { name }) })
        .locator('td');
    await expect(row('Warme, respectvolle toon')).toHaveText(['6', '4', '5']);
    await expect(row('Terugkoppeling die leerlingen verder helpt')).toHaveText(['5', '3', '4']);
    await expect(row('Domeinscore')).toHaveText(['5,5', '3,5', '4,5']);
    await expect(page.locator('.report-scores')).toContainText('Kernscore interactie');
    await expect(page.locator('.report-scores .score-figure')).toHaveText('4,67');
    const lookBackReport = page.locator('.summary-item[data-item="slot-kijkpunten"]');
    await expect(lookBackReport).toContainText('0,67');
    await expect(lookBackReport.locator('.not-seen')).toContainText('Leerlingen zeggen wat ze leerden');
    await expect(page.locator('.summary-item[data-item="tops"]')).toContainText(
      'Rustige start en Iedereen kwam aan de beurt',
    );
    await expect(page.locator('.summary-item[data-item="tevreden"]')).toContainText('Vult de leerkracht zelf in.');
    await expect(page.locator('.summary-item[data-item="nabespreking"]')).toContainText('1 december 2026');
    await expect(page.locator('.report-facts')).toContainText('20 november 2026');
    expect(await seriousViolations(page)).toEqual([]);
  },
);

test('the observed teacher fills in the self-rated part of the same instrument, and the report shows it beside the observer’s', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await startWithDemoSchool(page, 0);
  await installInstrumentFile(page, FIXTURE);
  await page.reload();
  const url = await startObservation(page, /Interactie in rondes/);
  const observed = ((await page.locator('.capture-who h1').textContent()) ?? '').trim();
  await page.getByRole('link', { name: 'Afronden' }).tap();
  await new CompletePage(page).confirm.tap();
  await page.getByRole('button', { name: '+ Top toevoegen' }).tap();
  await page.getByRole('textbox', { name: 'Top 1' }).fill('Rustige start.');
  await page.getByRole('button', { name: '+ Tip toevoegen' }).tap();
  await page.getByRole('textbox', { name: 'Tip 1' }).fill('Kom terug op het doel.');
  await page.getByRole('button', { name: /^Overdragen aan / }).tap();
  await expect(page).toHaveURL(/\/report$/);

  // The observed teacher, on this shared tablet.
  await page.getByRole('link', { name: /op dit apparaat is dit .*Wisselen$/ }).tap();
  await page.locator('.person-button', { hasText: observed }).first().tap();
  await expect(page.getByRole('heading', { level: 1, name: `Hallo ${observed.split(' ')[0]}` })).toBeVisible();
  await page.goto(`${url}/report`);
  await expect(page.locator('.summary-item[data-item="tevreden"]')).toContainText('Vult de leerkracht zelf in.');
  await page.getByRole('link', { name: 'Zelfevaluatie van deze les invullen' }).tap();
  // The lesson's own instrument, because it has a part the teacher rates.
  await expect(page.getByLabel('Instrument').locator('option:checked')).toHaveText(
    'Interactie in rondes (testinstrument)',
  );
  await page.getByRole('button', { name: 'Start de observatie' }).tap();
  const capture = new CapturePage(page);
  await expect(capture.domainTab(/Eigen blik/)).toBeVisible();
  await expect(capture.main.getByRole('navigation', { name: 'Domeinen' }).getByRole('button')).toHaveCount(1);
  await expect(capture.main.locator('.capture-item')).toHaveCount(1);
  await capture.rating(capture.item(/Hoe tevreden ben je/), /^3/).tap();
  await capture.expectSaved();
  await page.getByRole('link', { name: 'Afronden' }).tap();
  await expect(page.getByText('Alles is beantwoord.')).toBeVisible();
  await new CompletePage(page).confirm.tap();
  await expect(page.getByRole('heading', { level: 1, name: /^Zelfevaluatie van / })).toBeVisible();
  await expect(page.locator('.summary-item')).toHaveCount(1);

  await page.goto(`${url}/report`);
  const own = page.locator('.summary-item[data-item="tevreden"]');
  await expect(own.locator('.self-answer')).toContainText('Zelf: 3 – Grotendeels');
  await expect(own).not.toContainText('Vult de leerkracht zelf in.');
});
