/**
 * Insight with the demo school: a teacher's own page (next steps with their reason, charts), a leader's page (trends,
 * the team's themes), every chart with its table, and a team of two that shows why nothing is shown.
 */
import { expect, test, type Page } from '@playwright/test';
import { startWithDemoSchool } from './pages/school';
import Papa from 'papaparse';

/** Downloads a CSV by tapping `button` and reads it as a Dutch spreadsheet would: UTF-8 with BOM, semicolons. */
async function downloadedCsv(page: Page, button: string): Promise<string[][]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).tap(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const text = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
  expect(text.startsWith('\ufeff')).toBe(true);
  return Papa.parse<string[]>(text.slice(1), { delimiter: ';', skipEmptyLines: true }).data;
}

/** Every chart on the page carries its numbers as a table, and the table has rows with values. */
async function expectChartsWithTables(page: Page, atLeast: number) {
  const charts = page.locator('figure.chart');
  await expect(charts.first()).toBeVisible();
  const count = await charts.count();
  expect(count).toBeGreaterThanOrEqual(atLeast);
  await expect(page.locator('figure.chart canvas')).toHaveCount(count);
  await expect(page.locator('figure.chart details.chart-table table')).toHaveCount(count);
  const first = charts.first().locator('details.chart-table');
  await first.locator('summary').tap();
  await expect(first.locator('tbody tr').first()).toBeVisible();
  await expect(first.locator('tbody td').filter({ hasText: /\d/ }).first()).toBeVisible();
}

async function chooseLeader(page: Page) {
  await page.goto('/who');
  await page.locator('.person-button', { hasText: 'Schoolleider' }).first().tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Waar groeit het team?' })).toBeVisible();
}

test('a teacher sees their next steps with why, and how they develop', async ({ page }) => {
  await startWithDemoSchool(page, 0);
  await page.getByRole('banner').getByRole('link', { name: 'Mijn pagina' }).tap();
  const steps = page.getByRole('region', { name: 'Jouw volgende stappen' });
  await expect(steps.locator('.next-steps li').first()).toBeVisible({ timeout: 20_000 });
  const count = await steps.locator('.next-steps li').count();
  expect(count).toBeGreaterThanOrEqual(1);
  expect(count).toBeLessThanOrEqual(3);
  await expect(steps.locator('.next-steps .why').first()).toHaveText(/(net boven wat je nu laat zien|lukt je soms al)/);
  await expect(page.getByRole('region', { name: /Jouw domeinen/ })).toBeVisible();
  await expect(page.getByRole('region', { name: /Jouw ontwikkeling per domein/ })).toBeVisible();
  await expectChartsWithTables(page, 3);

  // Their own records as files: only observations handed over to them, and their self-assessments.
  const observations = await downloadedCsv(page, 'Mijn observaties (CSV)');
  expect(observations[0]).toEqual([
    'Datum',
    'Soort',
    'Waargenomen door',
    'Kijkwijzer',
    'Domein',
    'Gemiddelde',
    'Items beoordeeld',
  ]);
  expect(observations.length).toBeGreaterThan(5);
  for (const row of observations.slice(1)) {
    expect(row).toHaveLength(7);
    expect(['Collegiale consultatie', 'Coaching', 'Klassenbezoek', 'Zelfevaluatie', 'Kalibratie']).toContain(row[1]);
    if (row[5]) expect(row[5]).toMatch(/^\d+(,\d+)?$/);
  }
  const goals = await downloadedCsv(page, 'Mijn doelen en reflecties (CSV)');
  expect(goals[0]![0]).toBe('Wat');
  expect(goals.slice(1).every((row) => row[0] === 'Doel' || row[0] === 'Reflectie')).toBe(true);
});

test('a leader sees the team grow, and the themes to work on next', async ({ page }) => {
  await startWithDemoSchool(page, 0);
  await chooseLeader(page);
  await expect(
    page.getByRole('region', { name: 'Ontwikkeling per domein, per periode' }).locator('canvas'),
  ).toBeVisible();
  await expectChartsWithTables(page, 3);
  const themes = page.getByRole('region', { name: /Gedeelde volgende stappen/ });
  await expect(themes.locator('li').first()).toBeVisible({ timeout: 20_000 });
  await expect(themes.locator('li .why').first()).toHaveText(/volgende stap voor \d+ van de \d+ leerkrachten/);
  // Never one teacher's scores: the team overview names teams, not people.
  const teacherName = await page
    .locator('.pairs li')
    .first()
    .textContent()
    .catch(() => null);
  expect(teacherName === null || !/\d,\d/.test(teacherName)).toBe(true);
  await expect(page.locator('table.matrix tbody th')).toHaveCount(3);

  // The figures shown, as a file for the annual report: every figure combines at least three teachers, no names.
  const figures = await downloadedCsv(page, 'Cijfers downloaden (CSV)');
  expect(figures[0]).toEqual(['Onderdeel', 'Periode', 'Team', 'Domein', 'Maat', 'Waarde', 'Leerkrachten']);
  expect(figures.length).toBeGreaterThan(10);
  for (const row of figures.slice(1)) if (row[6]) expect(Number(row[6])).toBeGreaterThanOrEqual(3);
  expect(figures.some((row) => row[0] === 'Teams per domein')).toBe(true);
  // Who is in it: the whole school or a team, never a person.
  const teams = await page.locator('table.matrix tbody th').allTextContents();
  for (const row of figures.slice(1)) expect(['Hele school', ...teams.map((team) => team.trim())]).toContain(row[2]);
});

test('a calibration pair compares their scores item by item, as a file for the team meeting', async ({ page }) => {
  await startWithDemoSchool(page, 0);
  // A completed calibration with a partner: two observers of the same lesson, within half an hour of each other as
  // the app pairs them (CALIBRATION_WINDOW_MS), read from the device's database.
  const found = await page.evaluate(async () => {
    const name = [...(await indexedDB.databases())].map((d) => d.name!).find((n) => n.startsWith('meekijken'))!;
    const open = indexedDB.open(name);
    await new Promise((resolve) => (open.onsuccess = resolve));
    const all = <T>(store: string) =>
      new Promise<T[]>((resolve) => {
        const request = open.result.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as T[]);
      });
    type O = { id: string; purpose: string; status: string; observedId: string; observerId: string; startedAt: number };
    const observations = (await all<O>('observations')).filter(
      (o) => o.purpose === 'calibration' && o.status !== 'draft',
    );
    const people = await all<{ id: string; name: string }>('people');
    open.result.close();
    for (const o of observations) {
      const partner = observations.find(
        (p) =>
          p.id !== o.id &&
          p.observedId === o.observedId &&
          p.observerId !== o.observerId &&
          Math.abs(p.startedAt - o.startedAt) <= 30 * 60_000,
      );
      if (partner)
        return {
          id: o.id,
          observer: people.find((p) => p.id === o.observerId)!.name,
          partner: people.find((p) => p.id === partner.observerId)!.name,
        };
    }
    return undefined;
  });
  expect(found).toBeDefined();
  await page.goto('/who');
  await page.locator('.person-button', { hasText: found!.observer }).first().tap();
  // Chosen, and stored (the header names who uses the tablet from the database), before the page loads anew.
  await expect(page.getByRole('banner')).toContainText(found!.observer.split(' ')[0]!);
  await page.goto(`/observations/${found!.id}/report`);
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(found!.partner) })).toBeVisible();
  const scores = await downloadedCsv(page, 'Scores van beide observatoren downloaden (CSV)');
  expect(scores[0]).toEqual([
    'Domein',
    'Item',
    found!.observer,
    found!.partner,
    'Verschil (niveaus)',
    'Niveaus op de schaal',
  ]);
  expect(scores.length).toBeGreaterThan(3);
  for (const [, , mine, theirs, difference, levels] of scores.slice(1)) {
    expect(Number(mine)).toBeGreaterThanOrEqual(1);
    expect(Number(mine)).toBeLessThanOrEqual(Number(levels));
    expect(Number(theirs)).toBeLessThanOrEqual(Number(levels));
    expect(Number(difference)).toBe(Math.abs(Number(mine) - Number(theirs)));
  }
});

test('a team of two shows why nothing is shown, instead of one teacher’s scores', async ({ page }) => {
  await startWithDemoSchool(page, 0);
  await chooseLeader(page);
  // The leader makes a small team and moves two teachers into it.
  await page.getByRole('banner').getByRole('link', { name: 'Collega’s' }).tap();
  await page.getByLabel('Nieuw team').fill('Kleine groep');
  await page.getByRole('button', { name: 'Team toevoegen' }).tap();
  await expect(page.getByRole('region', { name: 'Teams' })).toContainText('Kleine groep');
  for (const n of [0, 1]) {
    await page
      .locator('.people-list li')
      .nth(n)
      .getByRole('button', { name: /bewerken$/ })
      .tap();
    await page.locator('.people-list').getByLabel('Team').selectOption({ label: 'Kleine groep' });
    await page.locator('.people-list').getByRole('button', { name: 'Opslaan' }).tap();
    await expect(page.locator('.people-list').getByRole('button', { name: 'Opslaan' })).toHaveCount(0);
  }
  await page.getByRole('banner').getByRole('link', { name: 'Start', exact: true }).tap();
  await page.getByRole('combobox', { name: 'Team' }).selectOption({ label: 'Kleine groep' });
  await expect(
    page.getByText(/Niet getoond: dit (zou 2 leerkrachten combineren|gaat over 1 leerkracht)/).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Ontwikkeling per domein, per periode' }).locator('canvas'),
  ).toHaveCount(0);
  await expect(page.locator('table.matrix tbody tr', { hasText: 'Kleine groep' })).toContainText('Niet getoond');
});

test('a leader sees stalled feedback per team, counts only, and sets when a step is late; a teacher is reminded', async ({
  page,
}) => {
  await startWithDemoSchool(page, 0);
  // The demo has feedback that waits too long for this teacher: opening the app says so at the top.
  const reminder = page.locator('.reminder');
  await expect(reminder).toContainText(/langer dan 14 dagen/);
  await chooseLeader(page);
  const stalled = page.getByRole('region', { name: 'Feedback die blijft liggen' });
  const table = stalled.getByRole('table', { name: /langer dan 14 dagen/ });
  await expect(table).toBeVisible();
  // Per team and the whole school; never a name of a person in it.
  const total = async () =>
    (await table.locator('tfoot td').allTextContents()).reduce((sum, cell) => sum + Number(cell), 0);
  const before = await total();
  expect(before).toBeGreaterThan(0);
  const rowNames = await table.locator('tbody th').allTextContents();
  const people = await page.evaluate(async () => {
    const open = indexedDB.open('meekijken-school');
    const db = await new Promise<IDBDatabase>((resolve) => (open.onsuccess = () => resolve(open.result)));
    const all = await new Promise<Array<{ name: string }>>((resolve) => {
      const request = db.transaction('people').objectStore('people').getAll();
      request.onsuccess = () => resolve(request.result as Array<{ name: string }>);
    });
    db.close();
    return all.map((p) => p.name);
  });
  expect(people.length).toBeGreaterThan(3);
  for (const name of rowNames) expect(people).not.toContain(name);

  // A bad number is refused with a reason; a longer period counts fewer cycles as late.
  const days = stalled.getByRole('spinbutton', { name: 'Te laat na (dagen)' });
  await days.fill('500');
  await expect(stalled.getByRole('button', { name: 'Opslaan' })).toBeDisabled();
  await expect(stalled.locator('#due-days-hint')).toHaveText(/Kies een heel getal tussen 2 en 90/);
  await days.fill('90');
  await stalled.getByRole('button', { name: 'Opslaan' }).tap();
  await expect(stalled.getByRole('status').filter({ hasText: 'Opgeslagen: te laat na 90 dagen.' })).toBeVisible();
  await expect(stalled.getByText(/langer dan 90 dagen/).first()).toBeVisible();
  await expect.poll(async () => ((await table.isVisible()) ? total() : 0)).toBeLessThan(before);
});
