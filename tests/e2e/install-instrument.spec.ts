/**
 * Installing a school's own instrument on a shared tablet, switching "who am I" as a school does: the school leader
 * installs a kijkwijzer from a file, a teacher observes with it; the leader installs version 1.1.0 beside 1.0.0, and
 * the earlier observation keeps opening with the 1.0.0 texts while new observations get 1.1.0; retired, it is no
 * longer offered. A teacher sees neither installing nor retiring. (That an installed instrument reaches the other
 * devices of a school: tests/server/instruments.test.ts, and a second tablet in tests/e2e/school-server.spec.ts.)
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { CapturePage } from './pages/capture-page';
import { InstrumentsPage } from './pages/instruments-page';
import { startObservation, startWithDemoSchool } from './pages/school';
import { seriousViolations } from './support/axe';

const TEXT_1_0 = 'De leerkracht houdt de aandacht van de groep vast.';
const TEXT_1_1 = 'De leerkracht houdt de aandacht van alle leerlingen vast, ook van de stille.';

/** The school's own kijkwijzer, written here rather than copied from a shipped file. */
function kijkwijzer(version: string, firstItem: string) {
  const label = (nl: string, en: string) => ({ nl, en });
  return {
    format: 1,
    id: 'obs-de-linde.kijkwijzer',
    version,
    kind: 'observation',
    languages: ['nl', 'en'],
    title: label('Kijkwijzer De Linde', 'De Linde observation sheet'),
    description: label(
      'Onze eigen kijkwijzer voor klassenbezoeken.',
      'Our own observation sheet for classroom visits.',
    ),
    scales: [
      {
        id: 'drie',
        label: label('Driepuntsschaal', 'Three-point scale'),
        levels: [
          { value: 1, label: label('Nog niet', 'Not yet') },
          { value: 2, label: label('Soms', 'Sometimes') },
          { value: 3, label: label('Steeds', 'Consistently') },
        ],
      },
    ],
    context: [
      { id: 'group', label: label('Groep', 'Group'), input: 'text' },
      { id: 'subject', label: label('Vak', 'Subject'), input: 'text' },
    ],
    domains: [
      {
        id: 'klimaat',
        title: label('Klimaat', 'Climate'),
        items: [
          { id: 'aandacht', text: label(firstItem, firstItem), response: { type: 'rating', scale: 'drie' } },
          {
            id: 'rust',
            text: label('Er is rust in de klas.', 'The classroom is calm.'),
            response: { type: 'rating', scale: 'drie' },
          },
        ],
      },
    ],
    rules: [],
  };
}

const file = (version: string, firstItem: string, name = `kijkwijzer-de-linde-${version}.json`) => ({
  name,
  mimeType: 'application/json',
  buffer: Buffer.from(JSON.stringify(kijkwijzer(version, firstItem), null, 2)),
});

/** Says who uses the tablet now, from any screen with the header. */
async function switchTo(page: Page, who: string | RegExp) {
  await page.getByRole('link', { name: /op dit apparaat is dit .*Wisselen$/ }).tap();
  await page.locator('.person-button', { hasText: who }).first().tap();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^(Hallo .*|Waar groeit het team\?)$/);
}

/** Picks a file on the check screen and returns the install panel. */
async function pick(list: InstrumentsPage, upload: ReturnType<typeof file>): Promise<Locator> {
  await list.main.getByLabel('Kies een bestand').setInputFiles(upload);
  await expect(list.main.getByText(`${upload.name} is in orde.`)).toBeVisible();
  return list.main.getByRole('region', { name: 'Installeren' });
}

async function instrumentChoices(page: Page): Promise<string[]> {
  await page.goto('/observations/new');
  const select = page.getByLabel('Instrument');
  await expect(select.locator('option').first()).toBeAttached();
  return select.locator('option').allTextContents();
}

test('a school leader installs its own instrument and a new version beside it, and retires it; a teacher only reads', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const teacher = (await startWithDemoSchool(page, 0)).trim();
  await switchTo(page, 'Schoolleider');
  const list = new InstrumentsPage(page);

  // The leader installs version 1.0.0 from the instruments screen.
  await list.open();
  await list.main.getByRole('link', { name: 'Instrument installeren' }).tap();
  let panel = await pick(list, file('1.0.0', TEXT_1_0));
  await expect(panel).toContainText('Kijkwijzer De Linde (versie 1.0.0) is nog niet geïnstalleerd.');
  await panel.getByRole('button', { name: 'Versie 1.0.0 installeren' }).tap();
  await expect(panel.getByRole('status')).toHaveText(/^Kijkwijzer De Linde \(versie 1\.0\.0\) is geïnstalleerd\./);
  await expect(panel.getByRole('status')).toBeFocused();

  // The same file again: nothing to do. Other content under the same version: refused, with what to do instead.
  panel = await pick(list, file('1.0.0', TEXT_1_0));
  await expect(panel).toContainText(
    'Versie 1.0.0 van Kijkwijzer De Linde is al geïnstalleerd, precies zoals in dit bestand.',
  );
  await expect(panel.getByRole('button')).toHaveCount(0);
  panel = await pick(list, file('1.0.0', TEXT_1_1, 'kijkwijzer-aangepast.json'));
  await expect(panel.getByRole('alert')).toContainText('Versie 1.0.0 bestaat al, met een andere inhoud');
  await expect(panel.getByRole('alert')).toContainText('bijvoorbeeld 1.1.0');
  await expect(panel.getByRole('button')).toHaveCount(0);

  await list.open();
  const card = list.group('Kijkwijzer De Linde');
  await expect(card).toContainText('Nieuwe observaties gebruiken versie 1.0.0');
  await expect(card).toContainText('eigen instrument, geïnstalleerd op');

  // A teacher sees the instrument, but neither installing nor retiring; and observes with it.
  await switchTo(page, teacher);
  await list.open();
  await expect(list.group('Kijkwijzer De Linde')).toContainText('Nieuwe observaties gebruiken versie 1.0.0');
  await expect(list.main.getByText('Alleen een schoolleider installeert instrumenten')).toBeVisible();
  await expect(list.main.getByRole('link', { name: 'Instrument installeren' })).toHaveCount(0);
  await expect(list.main.getByRole('button', { name: /niet meer gebruiken|weer gebruiken/i })).toHaveCount(0);
  await page.getByRole('banner').getByRole('link', { name: 'Start' }).tap();
  const earlier = await startObservation(page, /Kijkwijzer De Linde/);
  const capture = new CapturePage(page);
  const first = capture.item(TEXT_1_0);
  await capture.rating(first, /Soms/).tap();
  await expect(capture.rating(first, /Soms/)).toHaveAttribute('aria-pressed', 'true');
  await capture.expectSaved();
  await capture.leave();

  // The leader installs 1.1.0 beside 1.0.0.
  await switchTo(page, 'Schoolleider');
  await page.goto('/check-instrument');
  panel = await pick(list, file('1.1.0', TEXT_1_1));
  await expect(panel).toContainText(
    'Dit installeert versie 1.1.0 naast versie 1.0.0. Observaties die met versie 1.0.0 zijn gemaakt, houden versie 1.0.0.',
  );
  await expect(panel).toContainText('Nieuwe observaties en verzoeken gebruiken daarna versie 1.1.0.');
  await panel.getByRole('button', { name: 'Versie 1.1.0 installeren' }).tap();
  await expect(panel.getByRole('status')).toHaveText(/versie 1\.1\.0\) is geïnstalleerd/);
  await panel.getByRole('link', { name: 'Naar de instrumenten' }).tap();
  const versions = list.group('Kijkwijzer De Linde').getByRole('list', { name: 'Versies van Kijkwijzer De Linde' });
  await expect(versions.getByRole('listitem')).toHaveText([
    /^Versie 1\.1\.0 · eigen instrument/,
    /^Versie 1\.0\.0 · eigen instrument/,
  ]);
  await expect(list.group('Kijkwijzer De Linde')).toContainText('Nieuwe observaties gebruiken versie 1.1.0');
  // Each version can be looked at as it is.
  await versions.getByRole('link', { name: 'Versie 1.0.0 van Kijkwijzer De Linde bekijken' }).tap();
  await expect(page.getByRole('article', { name: TEXT_1_0 })).toBeVisible();
  await page.goBack();

  // The teacher's earlier observation still opens with the 1.0.0 texts and its rating; a new one gets 1.1.0.
  await switchTo(page, teacher);
  await page.goto(earlier);
  await expect(capture.item(TEXT_1_0)).toBeVisible();
  await expect(capture.rating(capture.item(TEXT_1_0), /Soms/)).toHaveAttribute('aria-pressed', 'true');
  await expect(capture.item(TEXT_1_1)).toHaveCount(0);
  await capture.leave();
  await startObservation(page, /Kijkwijzer De Linde/);
  await expect(capture.item(TEXT_1_1)).toBeVisible();
  await expect(capture.item(TEXT_1_0)).toHaveCount(0);
  await capture.leave();

  // The leader retires it, after a confirmation; the button turns into "use again".
  await switchTo(page, 'Schoolleider');
  await list.open();
  const retire = list.main.getByRole('button', {
    name: 'Kijkwijzer De Linde niet meer gebruiken voor nieuwe observaties',
  });
  await retire.tap();
  const dialog = page.getByRole('dialog', { name: 'Kijkwijzer De Linde niet meer gebruiken?' });
  await expect(dialog).toContainText('blijven hun eigen versie gebruiken');
  await dialog.getByRole('button', { name: 'Niet meer gebruiken' }).tap();
  await expect(dialog).toBeHidden();
  await expect(list.group('Kijkwijzer De Linde')).toContainText('Niet meer gebruikt voor nieuwe observaties');
  await expect(
    list.main.getByRole('button', { name: 'Kijkwijzer De Linde weer gebruiken voor nieuwe observaties' }),
  ).toBeFocused();

  // No longer offered for a new observation; the earlier observation still opens with its own version.
  await switchTo(page, teacher);
  const choices = await instrumentChoices(page);
  expect(choices.length).toBeGreaterThan(0);
  expect(choices.some((choice) => choice.includes('Kijkwijzer De Linde'))).toBe(false);
  await page.goto(earlier);
  await expect(capture.item(TEXT_1_0)).toBeVisible();
});

test(
  'installing and retiring have no serious violations, 44 px targets, and reflow at 320 px',
  { tag: '@layout' },
  async ({ page }) => {
    test.setTimeout(90_000);
    // A tablet where nobody has been chosen yet: setting up a school, anyone may install.
    const list = new InstrumentsPage(page);
    await page.goto('/check-instrument');
    const panel = await pick(list, file('1.0.0', TEXT_1_0));
    await expect(panel.getByRole('button', { name: 'Versie 1.0.0 installeren' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    expect(await list.smallTouchTargets()).toEqual([]);
    await panel.getByRole('button', { name: 'Versie 1.0.0 installeren' }).tap();
    await expect(panel.getByRole('status')).toBeVisible();
    await pick(list, file('1.1.0', TEXT_1_1));
    await panel.getByRole('button', { name: 'Versie 1.1.0 installeren' }).tap();
    await expect(panel.getByRole('status')).toBeVisible();
    await pick(list, file('1.1.0', TEXT_1_0, 'kijkwijzer-aangepast.json'));
    await expect(panel.getByRole('alert')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await list.open();
    await expect(
      list
        .group('Kijkwijzer De Linde')
        .getByRole('list', { name: /^Versies van/ })
        .getByRole('listitem'),
    ).toHaveCount(2);
    await list.main
      .getByRole('button', { name: 'Kijkwijzer De Linde niet meer gebruiken voor nieuwe observaties' })
      .tap();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading')).toBeFocused();
    expect(await seriousViolations(page)).toEqual([]);
    // Escape cancels, and focus goes back to the button.
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(
      list.main.getByRole('button', { name: 'Kijkwijzer De Linde niet meer gebruiken voor nieuwe observaties' }),
    ).toBeFocused();
    await list.main
      .getByRole('button', { name: 'Kijkwijzer De Linde niet meer gebruiken voor nieuwe observaties' })
      .tap();
    await dialog.getByRole('button', { name: 'Niet meer gebruiken' }).tap();
    await expect(list.group('Kijkwijzer De Linde')).toContainText('Niet meer gebruikt voor nieuwe observaties');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await list.smallTouchTargets()).toEqual([]);

    await list.switchLanguage('English');
    await expect(list.group('De Linde observation sheet')).toContainText('No longer used for new observations');
    expect(await seriousViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 320, height: 720 });
    expect(await list.horizontalOverflow()).toBeLessThanOrEqual(0);
  },
);
