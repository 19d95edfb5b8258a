import { expect, test } from '@playwright/test';
import { startWithDemoSchool } from './pages/school';

test('a teacher puts together a competence portfolio of what is theirs: contents, a date, each part on a page of its own', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await startWithDemoSchool(page, 0);
  await page.getByRole('banner').getByRole('link', { name: 'Mijn pagina' }).tap();
  await page.getByRole('link', { name: 'Bekwaamheidsdossier samenstellen' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Bekwaamheidsdossier' })).toBeVisible();

  // Offered: only reports handed over to this teacher and their own self-assessments, never a draft or one not handed over.
  const reports = page.getByRole('group', { name: 'Verslagen van je lessen' }).getByRole('checkbox');
  // The choice is drawn once the teacher's records are read: wait for it before counting.
  await expect(page.getByRole('button', { name: 'Dossier maken' })).toBeVisible();
  const offered = await reports.count();
  expect(offered).toBeGreaterThan(1);
  const ids = await reports.evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).value));
  const statuses = await page.evaluate(async (wanted) => {
    const name = [...(await indexedDB.databases())].map((d) => d.name!).find((n) => n.startsWith('meekijken'))!;
    const open = indexedDB.open(name);
    await new Promise((resolve) => (open.onsuccess = resolve));
    const store = open.result.transaction('observations').objectStore('observations');
    const found = await Promise.all(
      wanted.map(
        (id) =>
          new Promise<{ status: string; purpose: string }>((resolve) => {
            const request = store.get(id);
            request.onsuccess = () => resolve(request.result);
          }),
      ),
    );
    open.result.close();
    return found.map((o) => (o.purpose === 'self' ? 'self' : o.status));
  }, ids);
  expect(statuses.every((status) => status === 'shared' || status === 'self')).toBe(true);

  await reports.nth(0).check();
  await reports.nth(1).check();
  const goals = page.getByRole('group', { name: 'Doelen' }).getByRole('checkbox');
  if ((await goals.count()) > 0) await goals.first().check();
  await page.getByRole('button', { name: 'Dossier maken' }).tap();

  const document = page.getByRole('article', { name: /^Bekwaamheidsdossier van / });
  await expect(document.getByRole('heading', { level: 2, name: /^Bekwaamheidsdossier van / })).toBeFocused();
  await expect(document.getByText(/^Samengesteld op \d+ \w+ \d{4}$/)).toBeVisible();
  const contents = document.getByRole('navigation', { name: 'Inhoud' }).getByRole('link');
  expect(await contents.count()).toBeGreaterThanOrEqual(3);
  // Each entry of the contents leads to its part.
  for (const href of await contents.evaluateAll((links) => links.map((a) => a.getAttribute('href')!)))
    await expect(page.locator(href)).toHaveCount(1);
  await expect(document.locator('.part table').first()).toBeVisible();
  await expect(document.getByRole('heading', { level: 3, name: 'Mijn ontwikkeling' })).toBeVisible();

  // The document replaced the choice; on paper, the title page stands alone and each part starts a page.
  await expect(page.getByRole('button', { name: 'Dossier maken' })).toBeHidden();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: 'Keuze aanpassen' })).toBeHidden();
  expect(await document.locator('.title-page').evaluate((el) => getComputedStyle(el).breakAfter)).toBe('page');
  expect(
    await document
      .locator('.part')
      .first()
      .evaluate((el) => getComputedStyle(el).breakBefore),
  ).toBe('page');

  // Back to the choice, as it was left.
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('button', { name: 'Keuze aanpassen' }).tap();
  await expect(page.getByRole('heading', { level: 2, name: 'Wat komt erin?' })).toBeFocused();
  await expect(reports.nth(0)).toBeChecked();
  await expect(document).toHaveCount(0);
});
