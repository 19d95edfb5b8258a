import { expect, test } from '@playwright/test';
import { allViolations } from './support/axe';

/** What Excel saves as "CSV (gescheiden door lijstscheidingsteken)" with Dutch settings: semicolons, Windows-1252. */
const windows1252 = (text: string) =>
  Buffer.from([...text].map((c) => ({ é: 0xe9, ë: 0xeb, ü: 0xfc })[c] ?? c.charCodeAt(0)));

const LIST = [
  'Voornaam;Tussenvoegsel;Achternaam;Functie;Groep;Startend;E-mailadres',
  'René;;Jansen;Leerkracht;Onderbouw;nee;rene@delinde.nl',
  'Zoë;van;Dijk;leerkracht;Bovenbouw;ja;',
  'Kees;;Bos;conciërge;;nee;', // a role Meekijken does not have
  'Noor;;Smit;Intern begeleider;;nee;noor@', // not an address
  'Lotte;;Mol;Directeur;;nee;lotte@delinde.nl',
].join('\r\n');

test('a new school imports its staff from a spreadsheet: each bad line says why, the rest is imported once confirmed, again changes nothing', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await page.goto('/');
  await page.getByLabel('Naam van de school').fill('OBS De Linde');
  await page.getByRole('button', { name: 'School aanmaken' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Collega’s en teams' })).toBeVisible();

  const panel = page.getByRole('region', { name: 'Collega’s importeren uit een lijst' });
  const choose = () =>
    panel
      .getByLabel('CSV-bestand kiezen…')
      .setInputFiles({ name: 'personeel.csv', mimeType: 'text/csv', buffer: windows1252(LIST) });
  await choose();
  const lines = panel.getByRole('region', { name: 'Wat personeel.csv doet, per regel' });
  await expect(lines.getByRole('row')).toHaveCount(6);
  await expect(panel).toContainText('3 nieuw, 0 bijgewerkt, 0 ongewijzigd, 2 met een probleem.');
  await expect(panel).toContainText('Nieuwe teams: Onderbouw, Bovenbouw.');
  await expect(lines.getByRole('row', { name: /René Jansen/ })).toContainText(
    'Wordt toegevoegd. Nieuw team Onderbouw.',
  );
  await expect(lines.getByRole('row', { name: /Zoë van Dijk/ })).toContainText('Wordt toegevoegd.');
  await expect(lines.getByRole('row', { name: /conciërge/ })).toContainText('Onbekende rol');
  await expect(lines.getByRole('row', { name: /noor@/ })).toContainText('Geen geldig e-mailadres.');
  // Nothing written yet.
  await expect(page.getByRole('heading', { name: /collega/ }).last()).toHaveText('0 collega’s');
  expect(await allViolations(page)).toEqual([]);

  await panel.getByRole('button', { name: '3 collega’s importeren' }).tap();
  await expect(panel).toContainText('Geïmporteerd: 3 nieuw, 0 bijgewerkt, 2 nieuwe teams.');
  await expect(page.getByRole('heading', { name: '3 collega’s' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Teams' }).getByText('Bovenbouw')).toBeVisible();
  await expect(page.getByText('Zoë van Dijk')).toBeVisible();

  // The same file again: everything is there already.
  await choose();
  await expect(panel).toContainText('0 nieuw, 0 bijgewerkt, 3 ongewijzigd, 2 met een probleem.');
  await expect(panel.getByText('Er is niets te importeren.')).toBeVisible();

  // The director uses this tablet: her team page starts with the guided start, the team already ticked.
  await page.getByRole('link', { name: 'Wie gebruikt dit apparaat?' }).tap();
  await page.getByRole('button', { name: /Lotte Mol/ }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Waar groeit het team?' })).toBeVisible();
  const start = page.getByRole('region', { name: 'Zo ga je van start' });
  await expect(start.getByRole('heading', { level: 3, name: 'Zet je team erin — gedaan' })).toBeVisible();
  await expect(start.getByRole('heading', { level: 3, name: 'Kies een kijkwijzer — nog te doen' })).toBeVisible();
  await expect(start.getByRole('link', { name: 'Naar collega’s' })).toHaveCount(0);
  expect(await allViolations(page)).toEqual([]);
  await start.getByRole('button', { name: 'We gebruiken de meegeleverde' }).tap();
  await expect(start.getByRole('heading', { level: 3, name: 'Kies een kijkwijzer — gedaan' })).toBeVisible();
  // The next step stands out and leads to where it is done.
  await expect(start.locator('li.next')).toContainText('Plan de eerste ronde observaties');
  await start.getByRole('link', { name: 'Verzoek plannen' }).tap();
  await expect(page).toHaveURL(/\/requests\/new$/);
  await page.goBack();
  await page.getByRole('region', { name: 'Zo ga je van start' }).getByRole('button', { name: 'Verbergen' }).tap();
  await expect(page.getByRole('region', { name: 'Zo ga je van start' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Waar groeit het team?' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Zo ga je van start' })).toHaveCount(0);
});
