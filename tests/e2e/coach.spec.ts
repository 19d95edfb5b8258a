/**
 * A coach's caseload on one shared tablet of a device-only school: the coach's home starts with their starters,
 * each with the requests still waiting and what the starter shared; a starter takes a shared report back and it
 * leaves the coach's view; the school leader makes a colleague a starter with this coach, and the starter appears.
 */
import { expect, test, type Page } from '@playwright/test';
import { startWithDemoSchool } from './pages/school';
import { allViolations } from './support/axe';
import { AppPage } from './pages/app-page';

/** Says who uses the tablet now; returns the name of the first person whose role line matches. */
async function switchTo(page: Page, who: { role?: RegExp; name?: string }): Promise<string> {
  await page.getByRole('link', { name: /op dit apparaat is dit .*Wisselen$/ }).tap();
  const button = page
    .locator('.person-button')
    .filter(who.name ? { hasText: who.name } : { has: page.locator('.muted', { hasText: who.role! }) })
    .first();
  const name = ((await button.locator('.person-name').textContent()) ?? '').trim();
  await button.tap();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    new RegExp(`^(Hallo ${name.split(' ')[0]}|Waar groeit het team\\?)$`),
  );
  return name;
}

test('a coach sees their starters and only what each shared with them; the school chooses the coach', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await startWithDemoSchool(page);
  const coach = await switchTo(page, { role: /^Coach$/ });

  // The coach's home starts with their starters.
  const caseload = page.getByRole('region', { name: 'Mijn starters' });
  await expect(caseload).toBeVisible();
  const cases = caseload.locator('.starter-case');
  await expect(cases.first()).toBeVisible();
  expect(await allViolations(page)).toEqual([]);
  expect(await new AppPage(page).smallTouchTargets()).toEqual([]);

  // A starter with a shared report: open it, as the coach, without the starter's own part.
  const withReport = cases.filter({ has: page.getByRole('heading', { level: 4, name: 'Gedeelde verslagen' }) }).first();
  const starter = ((await withReport.getByRole('heading', { level: 3 }).textContent()) ?? '').trim();
  const reports = withReport.getByRole('link', { name: /^Geobserveerd door / });
  const shared = await reports.count();
  expect(shared).toBeGreaterThan(0);
  await reports.first().tap();
  await expect(page).toHaveURL(/\/observations\/[0-9a-f-]{36}\/report$/);
  const report = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`bij ${starter.split(' ')[0]}`) })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Feedback' })).toBeVisible();
  await expect(page.locator('.teacher-panel')).toHaveCount(0);
  expect(await allViolations(page)).toEqual([]);

  // The starter takes it back: it leaves the coach's caseload, and the report no longer opens for them.
  await switchTo(page, { name: starter });
  await page.goto(report);
  const share = page.getByRole('checkbox', { name: `Delen met je coach ${coach}` });
  await expect(share).toBeChecked();
  expect(await allViolations(page)).toEqual([]);
  expect(await new AppPage(page).smallTouchTargets()).toEqual([]);
  await share.tap();
  await expect(share).not.toBeChecked();
  await expect(page.getByText('Je coach ziet alleen wat je zelf deelt')).toBeVisible();
  await switchTo(page, { name: coach });
  const again = caseload
    .locator('.starter-case')
    .filter({ has: page.getByRole('heading', { level: 3, name: starter }) });
  await expect(again.getByRole('link', { name: /^Geobserveerd door / })).toHaveCount(shared - 1);
  await page.goto(report);
  await expect(page.getByRole('heading', { level: 1, name: 'Je kunt deze observatie niet openen' })).toBeVisible();

  // The leader makes an experienced colleague a starter with this coach.
  await switchTo(page, { role: /^Schoolleider$/ });
  await page.getByRole('banner').getByRole('link', { name: 'Collega’s' }).tap();
  const row = page.locator('.people-list > li').filter({ has: page.locator('.muted', { hasText: /^Leerkracht · / }) });
  const colleague = ((await row.first().locator('strong').textContent()) ?? '').trim();
  await page.getByRole('button', { name: `${colleague} bewerken` }).tap();
  const form = page.locator('.people-list .person-form');
  await form.getByRole('checkbox', { name: /^Startende leerkracht/ }).check();
  await form.getByRole('combobox', { name: 'Coach' }).selectOption({ label: coach });
  expect(await allViolations(page)).toEqual([]);
  await form.getByRole('button', { name: 'Opslaan' }).tap();
  await expect(
    page.locator('.people-list > li').filter({ hasText: colleague }).getByText(`coach: ${coach}`),
  ).toBeVisible();

  await switchTo(page, { name: coach });
  await expect(caseload.getByRole('heading', { level: 3, name: colleague })).toBeVisible();
});
