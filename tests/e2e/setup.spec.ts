import { expect, test } from '@playwright/test';

test.describe('setting up a school', () => {
  test('creates the school, its teams and people, and says who uses this device', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Welkom bij Meekijken' })).toBeVisible();
    await page.getByLabel('Naam van de school').fill('OBS De Linde');
    await page.getByRole('button', { name: 'School aanmaken' }).tap();

    await expect(page.getByRole('heading', { level: 1, name: 'Collega’s en teams' })).toBeVisible();
    await page.getByLabel('Nieuw team').fill('Bovenbouw');
    await page.getByRole('button', { name: 'Team toevoegen' }).tap();
    await expect(page.getByRole('region', { name: 'Teams' }).getByText('Bovenbouw')).toBeVisible();

    const form = page.getByRole('region', { name: 'Collega toevoegen' });
    await form.getByLabel('Naam').fill('Anna Jansen');
    await form.getByLabel('Team').selectOption({ label: 'Bovenbouw' });
    await form.getByLabel('Startende leerkracht').check();
    await form.getByLabel('Kijkvraag').fill('Hoe houd ik iedereen betrokken bij de instructie?');
    await form.getByRole('button', { name: 'Collega toevoegen' }).tap();
    await form.getByLabel('Naam').fill('Bram de Vries');
    await form.getByLabel('Rol').selectOption({ label: 'Coach' });
    await form.getByRole('button', { name: 'Collega toevoegen' }).tap();
    await form.getByLabel('Naam').fill('Chris Smit');
    await form.getByRole('button', { name: 'Collega toevoegen' }).tap();
    await expect(page.getByRole('heading', { name: '3 collega’s' })).toBeVisible();

    // Edit and archive.
    await page.getByRole('button', { name: 'Chris Smit bewerken' }).tap();
    const list = page.locator('.people-list');
    await list.getByLabel('Naam').fill('Chris Smit-Bakker');
    await list.getByRole('button', { name: 'Opslaan' }).tap();
    await expect(page.getByText('Chris Smit-Bakker')).toBeVisible();
    await page.getByRole('button', { name: 'Chris Smit-Bakker archiveren' }).tap();
    await expect(page.getByRole('heading', { name: '2 collega’s' })).toBeVisible();
    await expect(page.getByText('1 gearchiveerde collega')).toBeVisible();

    await page.getByRole('link', { name: 'Wie gebruikt dit apparaat?' }).tap();
    await page.getByRole('button', { name: /Bram de Vries/ }).tap();
    await expect(page.getByRole('heading', { level: 1, name: 'Hallo Bram' })).toBeVisible();
    await expect(page.getByText('OBS De Linde')).toBeVisible();

    // The colleague's focus question is offered when starting an observation.
    await page.getByRole('link', { name: 'Nieuwe observatie' }).tap();
    await page.getByLabel('Bij wie kijk je mee?').selectOption({ label: 'Anna Jansen (starter)' });
    await expect(page.getByLabel('Kijkvraag')).toHaveValue('Hoe houd ik iedereen betrokken bij de instructie?');
    await expect(page.getByText('Deze kijkvraag komt van Anna Jansen.')).toBeVisible();

    // Everything survives a reload, including who uses the device.
    await page.reload();
    await expect(
      page.getByRole('link', { name: 'Bram: op dit apparaat is dit Bram de Vries. Wisselen' }),
    ).toBeVisible();
  });
});
