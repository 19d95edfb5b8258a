import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { AppPage } from './pages/app-page';
import { E2E_PORT } from './support/ports';
import { colleaguesTablet, startOwnServer, type OwnServer } from './support/own-server';
import { seriousViolations } from './support/axe';
import { expectCleanAtNarrowWidth } from './support/narrow';

/**
 * What e-mail notices need (issue 25), as a school leader and a teacher set them:
 * - the school's calendar (time zone, reminder interval, holidays) on the people screen, kept on the school record,
 *   in a device-only school (they are records like any other);
 * - on a real school server (one of this spec's own, sending to an SMTP server in this test process): a teacher
 *   saves an address and the kinds of notice on the account screen, confirms the address with the link the SMTP
 *   server received, keeps them across a reload, sends himself a test e-mail that arrives, and the school leader sees his choice read-only with the colleague on the
 *   people screen and stops it; the teacher's own "stop all e-mail".
 */

const calendarPanel = (page: Page) => page.getByRole('region', { name: 'Schoolkalender en herinneringen' });

test('a school leader sets the time zone, the reminder interval and the holidays, kept after a reload @layout', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByLabel('Naam van de school').fill('OBS De Linde');
  await page.getByRole('button', { name: 'School aanmaken' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Collega’s en teams' })).toBeVisible();

  const panel = calendarPanel(page);
  await expect(panel.getByText('Deze school staat alleen op dit apparaat.')).toBeVisible();
  const zone = panel.getByLabel('Tijdzone');
  const days = panel.getByLabel('Herinnering na (schooldagen)');
  await expect(zone).toHaveValue('Europe/Amsterdam');
  await expect(panel.getByText(/^Ingesteld: Europe\/Amsterdam\. Daar is het nu \d\d:\d\d\.$/)).toBeVisible();
  await expect(days).toHaveValue('5');
  await expect(panel.getByText('Nog geen vakanties ingevoerd.')).toBeVisible();

  // A number outside 1–30 cannot be saved, and the hint says why.
  await days.fill('0');
  await expect(days).toHaveAttribute('aria-invalid', 'true');
  await expect(days).toHaveAccessibleDescription('Kies een heel getal tussen 1 en 30.');
  await expect(panel.getByRole('button', { name: 'Kalender bewaren' })).toBeDisabled();
  await days.fill('3');
  await zone.selectOption('Europe/Brussels');
  await panel.getByRole('button', { name: 'Kalender bewaren' }).tap();
  await expect(panel.getByRole('status').filter({ hasText: 'Bewaard:' })).toHaveText(
    'Bewaard: tijdzone Europe/Brussels, herinnering na 3 schooldagen.',
  );
  await expect(panel.getByText(/^Ingesteld: Europe\/Brussels\./)).toBeVisible();

  // Holidays: a name is needed, the last day not before the first; a day off is one day.
  const add = panel.getByRole('group', { name: 'Vakantie toevoegen' });
  await add.getByRole('button', { name: 'Toevoegen' }).tap();
  await expect(add.getByLabel('Naam')).toBeFocused();
  await expect(add.getByLabel('Naam')).toHaveAccessibleDescription('Geef de vakantie een naam.');
  await add.getByLabel('Naam').fill('Herfstvakantie');
  await add.getByLabel('Eerste dag').fill('2026-10-19');
  await add.getByLabel('Laatste dag').fill('2026-10-16');
  await add.getByRole('button', { name: 'Toevoegen' }).tap();
  await expect(add.getByLabel('Laatste dag')).toBeFocused();
  await expect(add.getByLabel('Laatste dag')).toHaveAttribute('aria-invalid', 'true');
  await expect(add.getByText(/De laatste dag ligt vóór de eerste/)).toBeVisible();
  await add.getByLabel('Laatste dag').fill('2026-10-23');
  await add.getByRole('button', { name: 'Toevoegen' }).tap();
  await expect(panel.getByRole('status').filter({ hasText: 'toegevoegd' })).toHaveText('Herfstvakantie is toegevoegd.');
  await expect(add.getByLabel('Naam')).toHaveValue('');

  await add.getByLabel('Naam').fill('Studiedag');
  await add.getByLabel('Eerste dag').fill('2026-09-30');
  await add.getByLabel('Laatste dag').fill('2026-09-30');
  await add.getByRole('button', { name: 'Toevoegen' }).tap();
  const rows = panel.getByRole('list', { name: 'Vakanties en vrije dagen' }).getByRole('listitem');
  // In calendar order, with their days written out.
  await expect(rows).toHaveText([
    /^Studiedag\s*30 september 2026/,
    /^Herfstvakantie\s*19 oktober 2026 tot en met 23 oktober 2026/,
  ]);

  // Changing one: its own form, and focus back on the list after saving.
  await panel.getByRole('button', { name: 'Studiedag wijzigen' }).tap();
  const edit = panel.getByRole('group', { name: 'Studiedag wijzigen' });
  await expect(edit.getByLabel('Naam')).toBeFocused();
  await edit.getByLabel('Naam').fill('Studiedag team');
  await edit.getByRole('button', { name: 'Opslaan' }).tap();
  await expect(panel.getByRole('heading', { name: 'Vakanties en vrije dagen' })).toBeFocused();
  await expect(rows.first()).toContainText('Studiedag team');
  expect(await seriousViolations(page)).toEqual([]);
  expect(await new AppPage(page).smallTouchTargets()).toEqual([]);
  await expectCleanAtNarrowWidth(page, 'school-calendar', panel);

  // Kept on the school record: still there after a reload.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Collega’s en teams' })).toBeVisible();
  await expect(calendarPanel(page).getByLabel('Tijdzone')).toHaveValue('Europe/Brussels');
  await expect(calendarPanel(page).getByLabel('Herinnering na (schooldagen)')).toHaveValue('3');
  await expect(rows).toHaveText([/^Studiedag team/, /^Herfstvakantie/]);

  // Removing one: gone, said in the live region, and still gone after a reload.
  await panel.getByRole('button', { name: 'Herfstvakantie verwijderen' }).tap();
  await expect(panel.getByRole('status').filter({ hasText: 'verwijderd' })).toHaveText('Herfstvakantie is verwijderd.');
  await expect(rows).toHaveText([/^Studiedag team/]);
  await expect(panel.getByRole('heading', { name: 'Vakanties en vrije dagen' })).toBeFocused();
  await page.reload();
  await expect(rows).toHaveText([/^Studiedag team/]);
  expect(await seriousViolations(page)).toEqual([]);
});

test.describe('e-mail on a school server', () => {
  let server: OwnServer | undefined;
  let base: string;
  let setupLink: string;
  /** What the SMTP server received, in order: for whom, and the message as a mail program reads it. */
  const received: Array<{ to: string[]; mail: ParsedMail }> = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });

  // A server of this spec's own (its set-up link goes to its stdout only), sending to the SMTP server above.
  test.beforeAll(async ({}, workerInfo) => {
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    // The built server, as `npm start` runs it (the web server of this suite built it: playwright.config.ts).
    server = await startOwnServer({
      port: E2E_PORT + 30 + workerInfo.parallelIndex,
      args: ['dist-server/main.js'],
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String((smtp.server.address() as AddressInfo).port),
        MAIL_FROM: 'Meekijken <meekijken@obsdelinde.nl>',
      },
    });
    ({ base, setupLink } = server);
  });

  test.afterAll(async () => {
    await server?.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  test('a teacher chooses e-mail notices, the leader sees and stops them, and the leader stops her own', async ({
    page,
    browser,
  }) => {
    test.setTimeout(120_000);
    // The leader sets up the school on the server, and adds a teacher.
    await page.goto(setupLink);
    await page.getByLabel('Naam van de school').fill('OBS De Linde');
    await page.getByLabel('Je naam').fill('Yara Bakker');
    await page.getByRole('button', { name: 'School aanmaken op de server' }).tap();
    await expect(page).toHaveURL(`${base}/`, { timeout: 30_000 });
    await page.goto(`${base}/people`);
    const form = page.getByRole('region', { name: 'Collega toevoegen' });
    await form.getByLabel('Naam').fill('Bram de Vries');
    await form.getByRole('button', { name: 'Collega toevoegen' }).tap();
    await page.getByRole('button', { name: 'Aanmeldcode maken voor Bram de Vries' }).tap();
    const dialog = page.getByRole('dialog', { name: 'Aanmelden: Bram de Vries' });
    await expect(dialog.locator('.code-text')).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/, { timeout: 30_000 });
    const code = (await dialog.locator('.code-text').textContent()) ?? '';
    await page.keyboard.press('Escape');

    // Bram signs in on his tablet and opens the account screen.
    const bram = await colleaguesTablet(browser, page, base, code, 'Bram');
    await bram.goto(`${base}/account`);
    const mail = bram.getByRole('region', { name: 'E-mail' });
    // This server sends e-mail: it says so, and that nothing comes without a tick.
    await expect(mail.getByText(/^De schoolserver stuurt e-mail\./)).toBeVisible();
    await expect(mail.getByText(/zonder vinkje krijg je niets/)).toBeVisible();
    await expect(mail.getByText(/nooit wat er is geobserveerd/)).toBeVisible();
    const kinds = mail.getByRole('group', { name: 'Waarover wil je een e-mail krijgen?' });
    // A teacher is not offered the leaders' weekly overview; nothing is ticked before he ticks it.
    await expect(kinds.getByRole('checkbox')).toHaveCount(5);
    await expect(kinds.getByRole('checkbox', { name: 'Weekoverzicht voor de schoolleiding' })).toHaveCount(0);
    for (const box of await kinds.getByRole('checkbox').all()) await expect(box).not.toBeChecked();
    await expect(kinds.getByRole('checkbox', { name: 'Feedback voor jou' })).toHaveAccessibleDescription(
      'Iemand heeft feedback op jouw les aan je overgedragen.',
    );

    // A wrong address is said at the field, which gets focus.
    const address = mail.getByRole('textbox', { name: 'E-mailadres' });
    await address.fill('bram at school');
    await kinds.getByRole('checkbox', { name: 'Feedback voor jou' }).check();
    await kinds.getByRole('checkbox', { name: 'Herinneringen' }).check();
    await mail.getByRole('button', { name: 'E-mailinstellingen bewaren' }).tap();
    await expect(address).toBeFocused();
    await expect(address).toHaveAttribute('aria-invalid', 'true');
    await expect(address).toHaveAccessibleDescription(/Dit is geen geldig e-mailadres/);
    await address.fill('bram@obsdelinde.nl');
    await mail.getByRole('button', { name: 'E-mailinstellingen bewaren' }).tap();
    // Not the staff list's address: the server sends a link to confirm it, and nothing else goes there until then.
    await expect(
      mail.getByText('Bewaard. Bevestig het adres met de link die we naar bram@obsdelinde.nl stuurden.'),
    ).toBeVisible();
    await expect(mail.getByText(/^Nog niet bevestigd: we stuurden een link naar bram@obsdelinde\.nl\./)).toBeVisible();
    await expect.poll(() => received.map((each) => each.to)).toEqual([['bram@obsdelinde.nl']]);
    const link = /\S+\/api\/mail\/confirm\?\S+/.exec(received[0]!.mail.text ?? '')?.[0];
    expect(link).toBeDefined();
    // Opening the link asks first (mail scanners open links on their own); confirming is a tap.
    await bram.goto(link!);
    await expect(bram.getByRole('heading', { level: 1, name: 'Dit e-mailadres bevestigen?' })).toBeVisible();
    await bram.getByRole('button', { name: 'Bevestigen · Confirm' }).tap();
    await expect(bram.getByRole('heading', { level: 1, name: 'Je e-mailadres is bevestigd' })).toBeVisible();
    await bram.goto(`${base}/account`);
    await expect(mail.getByText(/^Nog niet bevestigd/)).toHaveCount(0);
    await expect(address).not.toHaveAttribute('aria-invalid');
    // A test e-mail to the saved address, sent at once: the mail server took it, and it arrived there.
    await mail.getByRole('button', { name: 'Stuur een test-e-mail' }).tap();
    await expect(mail.getByText(/^De mailserver van de school heeft de test-e-mail aangenomen/)).toBeVisible();
    await expect.poll(() => received.length).toBe(2);
    expect(received[1]!.to).toEqual(['bram@obsdelinde.nl']);
    expect(received[1]!.mail.subject).toContain('Test: e-mail van Meekijken komt aan');
    expect(await seriousViolations(bram)).toEqual([]);
    expect(await new AppPage(bram).smallTouchTargets()).toEqual([]);
    await expectCleanAtNarrowWidth(bram, 'mail-panel', mail);

    // Kept on the server: the same after a reload.
    await bram.reload();
    await expect(address).toHaveValue('bram@obsdelinde.nl');
    await expect(kinds.getByRole('checkbox', { name: 'Feedback voor jou' })).toBeChecked();
    await expect(kinds.getByRole('checkbox', { name: 'Herinneringen' })).toBeChecked();
    await expect(kinds.getByRole('checkbox', { name: 'Verzoeken om mee te kijken' })).not.toBeChecked();

    // The leader sees Bram's choice with him on the people screen, read only, and stops it.
    await page.reload();
    await page.getByRole('button', { name: 'Bram de Vries bewerken' }).tap();
    const bramsMail = page.locator('.people-list').getByRole('region', { name: 'E-mail' });
    await expect(bramsMail.getByText('bram@obsdelinde.nl')).toBeVisible();
    await expect(bramsMail.getByRole('listitem')).toHaveText(['Feedback voor jou', 'Herinneringen']);
    await expect(bramsMail.getByRole('textbox')).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);
    await bramsMail.getByRole('button', { name: 'Alle e-mail aan Bram de Vries stoppen' }).tap();
    await expect(bramsMail.getByText('Gestopt: Bram de Vries krijgt geen e-mail meer.')).toBeVisible();
    await expect(bramsMail.getByText('Bram de Vries krijgt geen e-mail van de schoolserver.')).toBeVisible();
    await expect(bramsMail.getByRole('heading', { name: 'E-mail' })).toBeFocused();
    await bram.reload();
    await expect(address).toHaveValue('');
    await expect(kinds.getByRole('checkbox', { name: 'Feedback voor jou' })).not.toBeChecked();
    await bram.context().close();

    // The leader's own: the weekly overview is hers to choose; "stop all e-mail" forgets it all.
    await page.goto(`${base}/account`);
    const own = page.getByRole('region', { name: 'E-mail' });
    const ownKinds = own.getByRole('group', { name: 'Waarover wil je een e-mail krijgen?' });
    await expect(ownKinds.getByRole('checkbox')).toHaveCount(6);
    await own.getByRole('textbox', { name: 'E-mailadres' }).fill('yara@obsdelinde.nl');
    await ownKinds.getByRole('checkbox', { name: 'Weekoverzicht voor de schoolleiding' }).check();
    await own.getByRole('button', { name: 'E-mailinstellingen bewaren' }).tap();
    await expect(
      own.getByText('Bewaard. Bevestig het adres met de link die we naar yara@obsdelinde.nl stuurden.'),
    ).toBeVisible();
    await own.getByRole('button', { name: 'Alle e-mail stoppen' }).tap();
    await expect(own.getByText(/^Gestopt\. De schoolserver stuurt je geen e-mail meer/)).toBeVisible();
    await expect(own.getByRole('heading', { name: 'E-mail' })).toBeFocused();
    await expect(own.getByRole('button', { name: 'Alle e-mail stoppen' })).toHaveCount(0);
    await page.reload();
    await expect(own.getByRole('textbox', { name: 'E-mailadres' })).toHaveValue('');
    await expect(ownKinds.getByRole('checkbox', { name: 'Weekoverzicht voor de schoolleiding' })).not.toBeChecked();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
