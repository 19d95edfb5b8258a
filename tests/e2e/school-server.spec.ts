import { expect, test, type Page } from '@playwright/test';
import { E2E_PORT } from './support/ports';
import { colleaguesTablet, startOwnServer, type OwnServer } from './support/own-server';
import { seriousViolations } from './support/axe';

/**
 * A school server set up from the app: the set-up link the server prints at its first start, a tablet that already
 * holds a device-only school (its leader chooses "Ik ben …" and sends that school up), a sign-in code with its QR
 * code for a colleague (whose tablet then receives the kijkwijzer the leader installed), the demo school loaded on the
 * server, and the leader's team figures from the server.
 *
 * The set-up link goes to the server's stdout only, so this spec starts a server of its own (a fresh DATA_DIR, the
 * `dist/` the suite's web server built) and reads the link there. One per worker: both projects may run at once.
 */

let server: OwnServer | undefined;
let base: string;
let setupLink: string;

test.beforeAll(async ({}, workerInfo) => {
  server = await startOwnServer({
    port: E2E_PORT + 10 + workerInfo.parallelIndex,
    args: ['--import', 'tsx', 'src/server/main.ts'],
  });
  ({ base, setupLink } = server);
});

test.afterAll(async () => {
  await server?.stop();
});

/** A school's own kijkwijzer (written here, not a shipped file). */
const kijkwijzer = {
  format: 1,
  id: 'obs-de-linde.kijkwijzer',
  version: '1.0.0',
  kind: 'observation',
  languages: ['nl'],
  title: { nl: 'Kijkwijzer De Linde' },
  description: { nl: 'Onze eigen kijkwijzer.' },
  scales: [
    {
      id: 'drie',
      label: { nl: 'Drie' },
      levels: [1, 2, 3].map((value) => ({ value, label: { nl: ['Nog niet', 'Soms', 'Steeds'][value - 1]! } })),
    },
  ],
  context: [],
  domains: [
    {
      id: 'klimaat',
      title: { nl: 'Klimaat' },
      items: [{ id: 'rust', text: { nl: 'Er is rust in de klas.' }, response: { type: 'rating', scale: 'drie' } }],
    },
  ],
  rules: [],
};

/** Screenshots of the new screens in both orientations, when asked for (E2E_SCREENSHOTS=1), to look at. */
async function screenshots(page: Page, name: string) {
  if (!process.env.E2E_SCREENSHOTS) return;
  const size = page.viewportSize()!;
  for (const [width, height] of [
    [1180, 820],
    [820, 1180],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `test-results/screens/${name}-${width}x${height}.png`, fullPage: true });
  }
  await page.setViewportSize(size);
}

test('a used or wrong set-up link says to ask for a new one, and leaves the address bar at once', async ({ page }) => {
  await page.goto(`${base}/setup#token=not-a-real-token`);
  await expect(page.getByRole('heading', { level: 1, name: 'De school op de server instellen' })).toBeVisible();
  await expect(page).toHaveURL(`${base}/setup`);
  await page.getByLabel('Naam van de school').fill('De Klimop');
  await page.getByLabel('Je naam').fill('Karim');
  await page.getByRole('button', { name: 'School aanmaken op de server' }).tap();
  await expect(page.getByRole('alert')).toContainText(
    'niet geldig, is verlopen (een link werkt een week) of is al gebruikt',
  );
  await expect(page.getByRole('alert')).toContainText('beheerder van de schoolserver');
  expect(await seriousViolations(page)).toEqual([]);
});

test('sets up the school from a tablet with a school of its own, sends it up, signs a colleague in, loads the demo and shows the team from the server', async ({
  page,
  context,
  browser,
}) => {
  test.setTimeout(180_000);
  // The tablet's device-only school: a leader and a teacher.
  await page.goto(base);
  await page.getByLabel('Naam van de school').fill('OBS De Linde');
  await page.getByRole('button', { name: 'School aanmaken' }).tap();
  const form = page.getByRole('region', { name: 'Collega toevoegen' });
  await form.getByLabel('Naam').fill('Yara Bakker');
  await form.getByLabel('Rol').selectOption({ label: 'Schoolleider' });
  await form.getByRole('button', { name: 'Collega toevoegen' }).tap();
  await form.getByLabel('Naam').fill('Bram de Vries');
  await form.getByRole('button', { name: 'Collega toevoegen' }).tap();
  await expect(page.getByRole('heading', { name: '2 collega’s' })).toBeVisible();

  // The set-up link: the leader chooses herself, so the server keeps her id.
  await page.goto(setupLink);
  await expect(page.getByRole('heading', { level: 1, name: 'De school op de server instellen' })).toBeVisible();
  await expect(page).toHaveURL(`${base}/setup`);
  await expect(page.getByLabel('Naam van de school')).toHaveValue('OBS De Linde');
  await page.getByLabel('Ik ben …').selectOption({ label: 'Yara Bakker' });
  await expect(page.getByLabel('Je naam')).toHaveValue('Yara Bakker');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshots(page, 'setup-form');
  await page.getByRole('button', { name: 'School aanmaken op de server' }).tap();

  // Signed in and received; then the second step: this tablet's school to the server, once.
  await expect(page.getByRole('heading', { level: 1, name: 'Gegevens van deze tablet naar de server' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByText('“OBS De Linde”, zonder server: 2 collega’s, 0 observaties')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'De gegevens van deze tablet naar de server sturen' }).tap();
  // Only Bram is new: the school, Yara (set-up kept her id) and the shipped instruments were there already.
  await expect(page.getByText(/^Verstuurd: 1 toegevoegd, \d+ stonden er al\.$/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Klaar: deze tablet heeft alles van de server opgehaald.')).toBeVisible();
  await screenshots(page, 'setup-upload');
  await page.getByRole('link', { name: 'Naar het beginscherm' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Waar groeit het team?' })).toBeVisible();
  await expect(page.getByText(/^Bijgewerkt om \d\d:\d\d\.$/)).toBeVisible();

  // A sign-in code for Bram, with its QR code; Escape closes the dialog and focus goes back.
  await page.goto(`${base}/people`);
  const open = page.getByRole('button', { name: 'Aanmeldcode maken voor Bram de Vries' });
  await open.tap();
  const dialog = page.getByRole('dialog', { name: 'Aanmelden: Bram de Vries' });
  await expect(dialog.locator('.code-text')).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await expect(dialog.getByText(/^geldig tot \d\d:\d\d$/)).toBeVisible();
  await expect(dialog.getByRole('img', { name: 'QR-code met de aanmeldlink voor Bram de Vries' })).toBeVisible();
  await expect(dialog.getByText('Op geen enkel apparaat aangemeld.')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshots(page, 'sign-in-code');
  const code = (await dialog.locator('.code-text').textContent()) ?? '';
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();

  // The leader installs the school's own kijkwijzer on her tablet; Bram's tablet, signed in with his code, has it.
  await page.goto(`${base}/check-instrument`);
  await page.getByLabel('Kies een bestand').setInputFiles({
    name: 'kijkwijzer.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(kijkwijzer)),
  });
  await page.getByRole('button', { name: 'Versie 1.0.0 installeren' }).tap();
  await expect(page.getByRole('status').filter({ hasText: 'is geïnstalleerd' })).toBeVisible();
  const bramsTablet = await colleaguesTablet(browser, page, base, code, 'Bram');
  await bramsTablet.goto(`${base}/instruments`);
  const card = bramsTablet
    .getByRole('main')
    .getByRole('listitem')
    .filter({ has: bramsTablet.getByRole('heading', { level: 2, name: 'Kijkwijzer De Linde' }) });
  await expect(card).toContainText('Nieuwe observaties gebruiken versie 1.0.0', { timeout: 30_000 });
  await expect(bramsTablet.getByRole('button', { name: /niet meer gebruiken/i })).toHaveCount(0);
  await bramsTablet.context().close();

  // A sheet of codes for a study day: chosen colleagues, valid a working day, printed without the app around it.
  await page.goto(`${base}/people`);
  const sheet = page.getByRole('region', { name: 'Aanmeldcodes voor het team' });
  await sheet.getByRole('button', { name: 'Niemand' }).tap();
  await sheet.getByRole('checkbox', { name: /Bram de Vries/ }).check();
  await sheet.getByLabel('Hoe lang geldig').selectOption({ label: '8 uur (een studiedag)' });
  await sheet.getByRole('button', { name: 'Code maken voor 1 collega' }).tap();
  const cards = sheet.locator('.card');
  await expect(cards).toHaveCount(1);
  await expect(cards).toContainText('Bram de Vries');
  await expect(cards.locator('.card-code')).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await expect(cards.getByRole('img', { name: 'QR-code met de aanmeldlink voor Bram de Vries' })).toBeVisible();
  await expect(sheet.getByRole('heading', { level: 3 })).toHaveText(/^Codes geldig tot /);
  expect(await seriousViolations(page)).toEqual([]);
  // On paper only the sheet: its panel's heading, the app's header and the sheet's buttons are hidden.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.sheet .card')).toBeVisible();
  await expect(page.locator('.sheet .card-code')).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await expect(page.locator('.sheet .card svg path')).toBeVisible();
  await expect(page.locator('header.app-header')).toBeHidden();
  await expect(page.locator('#sheet-heading')).toBeHidden();
  await expect(page.locator('.sheet-actions')).toBeHidden();
  await screenshots(page, 'sign-in-sheet-printed');
  await page.emulateMedia({ media: 'screen' });
  await screenshots(page, 'sign-in-sheet');
  const sheetCode = (await cards.locator('.card-code').textContent()) ?? '';
  await sheet.getByRole('button', { name: 'Ongebruikte codes intrekken' }).tap();
  await expect(sheet.getByText('1 ongebruikte code werkt niet meer.')).toBeVisible();
  const revoked = await page.request.post(`${base}/api/sign-in`, { data: { code: sheetCode, deviceLabel: 'Kwijt' } });
  expect(revoked.status()).toBe(401);

  // The demo school on the server, received by this tablet; the team figures then come from the server.
  await page.goto(`${base}/data`);
  await page.getByRole('button', { name: 'Demoschool op de server laden' }).tap();
  await expect(page.getByText('Klaar: de demoschool staat op de server en op deze tablet.')).toBeVisible({
    timeout: 60_000,
  });
  await page.goto(base);
  await expect(page.getByRole('heading', { level: 2, name: 'Ontwikkeling per domein, per periode' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(
    page.getByRole('heading', { level: 2, name: 'Gedeelde volgende stappen: thema’s voor het team' }),
  ).toBeVisible();
  await expect(page.locator('.themes li').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await screenshots(page, 'team-from-server');

  // Offline: the last known figures, saying so.
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Vernieuwen' }).tap();
  await expect(page.getByText(/^Offline: laatst bekende cijfers, bijgewerkt om \d\d:\d\d/)).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Ontwikkeling per domein, per periode' })).toBeVisible();
  await context.setOffline(false);
});
