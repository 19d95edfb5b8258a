import { expect, test, type Page } from '@playwright/test';
import { startWithDemoSchool } from './pages/school';
import { allViolations } from './support/axe';

/** Every record of the school's tables in the page's database, by table, sorted by id (the device table aside). */
async function tables(page: Page): Promise<Record<string, unknown[]>> {
  return page.evaluate(async () => {
    const name = [...(await indexedDB.databases())].map((d) => d.name!).find((n) => n.startsWith('meekijken'))!;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const names = [...db.objectStoreNames].filter((n) => n !== 'device' && n !== 'outbox');
    const all: Record<string, unknown[]> = {};
    for (const store of names)
      all[store] = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    db.close();
    return all;
  });
}

async function downloadBackup(page: Page): Promise<Buffer> {
  await page.goto('/data');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Back-up downloaden' }).tap(),
  ]);
  return Buffer.concat(await (await download.createReadStream()).toArray());
}

const chooseFile = (page: Page, name: string, buffer: Buffer) =>
  page.getByLabel('Back-upbestand kiezen…').setInputFiles({ name, mimeType: 'application/json', buffer });

test.describe('restoring a backup', () => {
  test('a backup made on one tablet restores on a fresh one: a preview first, then every table identical', async ({
    page,
    browser,
  }) => {
    test.setTimeout(90_000);
    await startWithDemoSchool(page);
    const backup = await downloadBackup(page);
    const original = await tables(page);

    // A new tablet: from its first screen to the data screen.
    const fresh = await browser.newContext({ viewport: page.viewportSize()!, hasTouch: true, isMobile: true });
    const tablet = await fresh.newPage();
    await tablet.goto('/');
    await tablet.getByRole('link', { name: 'Back-up terugzetten' }).tap();
    await expect(tablet.getByRole('heading', { level: 1, name: 'Gegevens' })).toBeVisible();

    // A broken file is refused whole, and says so.
    await chooseFile(tablet, 'kapot.json', backup.subarray(0, backup.length / 2));
    await expect(tablet.getByRole('alert')).toContainText('kapot.json is niet teruggezet; er is niets veranderd.');
    await expect(tablet.getByRole('alert')).toContainText('afgebroken of beschadigd');

    // The real one: what it holds, before anything changes.
    await chooseFile(tablet, 'meekijken-backup.json', backup);
    const school = JSON.parse(backup.toString('utf8')).tables.schools[0].name as string;
    await expect(tablet.getByRole('heading', { level: 3, name: `Dit bestand bevat ${school}` })).toBeVisible();
    const observations = (original.observations ?? []).length;
    const restore = tablet.getByRole('region', { name: 'Back-up terugzetten' });
    await expect(restore.locator('dl.facts div', { hasText: 'Observaties' }).locator('dd')).toHaveText(
      new Intl.NumberFormat('nl-NL').format(observations),
    );
    expect(await allViolations(tablet)).toEqual([]);
    await tablet.getByRole('button', { name: 'Back-up terugzetten' }).tap();
    await expect(tablet.getByText(/^De back-up is teruggezet: /)).toBeVisible();

    expect(await tables(tablet)).toEqual(original);
    // The tablet now has the school: choosing who you are leads to its home.
    await tablet.goto('/');
    await expect(tablet.getByRole('heading', { level: 1, name: 'Wie gebruikt dit apparaat?' })).toBeVisible();
    await fresh.close();
  });

  test('merging a backup of the same school brings back what was removed since, and only on confirmation replaces', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await startWithDemoSchool(page);
    const backup = await downloadBackup(page);
    const before = await tables(page);
    // A goal removed from the device after the backup (outside the app, as a lost record would be).
    const goal = (before.goals as Array<{ id: string }>)[0]!;
    await page.evaluate(async (id) => {
      const name = [...(await indexedDB.databases())].map((d) => d.name!).find((n) => n.startsWith('meekijken'))!;
      const open = indexedDB.open(name);
      await new Promise((resolve) => (open.onsuccess = resolve));
      const tx = open.result.transaction('goals', 'readwrite');
      tx.objectStore('goals').delete(id);
      await new Promise((resolve) => (tx.oncomplete = resolve));
      open.result.close();
    }, goal.id);

    await chooseFile(page, 'meekijken-backup.json', backup);
    await expect(page.getByText('Dit is een back-up van de school op dit apparaat.')).toBeVisible();
    // Replacing asks first; cancelling changes nothing.
    await page.getByRole('button', { name: 'Alles vervangen door de back-up…' }).tap();
    await expect(page.getByRole('group', { name: /Alles op dit apparaat wordt vervangen/ })).toBeVisible();
    await page.getByRole('button', { name: 'Annuleren' }).tap();
    await page.getByRole('button', { name: 'Samenvoegen met dit apparaat' }).tap();
    await expect(page.getByText('De back-up is samengevoegd: 1 gegevens toegevoegd of bijgewerkt')).toBeVisible();
    expect(await tables(page)).toEqual(before);
  });
});
