import { expect, test, type Page, type Route } from '@playwright/test';
import { AppPage } from './pages/app-page';
import { seriousViolations } from './support/axe';

/**
 * Connecting a tablet to the school server, without the server: `/api/*` is answered by a small fake in the test
 * (the real server has end-to-end tests of its own: school-server.spec.ts, three-tablets.spec.ts). It signs in with
 * code ABCD-EFGH, and its pull sends a school of two.
 */

const T = Date.UTC(2026, 10, 25, 9, 0);
const base = { owner: null, createdAt: T, updatedAt: T };
const school = { id: 'school-1', name: 'OBS De Linde' };
const anna = { ...base, id: 'anna', name: 'Anna Jansen', role: 'teacher', starter: false };
const bram = { ...base, id: 'bram', name: 'Bram de Vries', role: 'teacher', starter: false };
const records = [
  { kind: 'school', id: school.id, version: 1, data: { ...base, ...school } },
  { kind: 'person', id: anna.id, version: 2, data: anna },
  { kind: 'person', id: bram.id, version: 3, data: bram },
];

interface FakeServer {
  signIns: Array<{ code: string; deviceLabel: string }>;
  signedOut: boolean;
  /** Push answers 503 while set. */
  failPush: boolean;
  /** Push refuses every change with this reason while set. */
  refusePush?: string;
  pushed: string[];
}

async function fakeServer(page: Page): Promise<FakeServer> {
  const server: FakeServer = { signIns: [], signedOut: false, failPush: false, pushed: [] };
  const json = (route: Route, status: number, body: unknown) =>
    route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
  await page.route('**/api/**', async (route) => {
    const url = new URL(route.request().url());
    const session = { person: anna, school, sessionId: 'session-1' };
    switch (url.pathname) {
      case '/api/sign-in': {
        const body = route.request().postDataJSON() as { code: string; deviceLabel: string };
        server.signIns.push(body);
        if (body.code !== 'ABCDEFGH')
          return json(route, 401, { error: { code: 'invalid-code', message: 'Unknown code' } });
        server.signedOut = false;
        return json(route, 200, session);
      }
      case '/api/me':
        return server.signedOut
          ? json(route, 401, { error: { code: 'signed-out', message: 'Not signed in' } })
          : json(route, 200, session);
      case '/api/sign-out':
        server.signedOut = true;
        return route.fulfill({ status: 204 });
      case '/api/sync/pull': {
        const since = Number(url.searchParams.get('since'));
        return json(route, 200, {
          records: records.filter((r) => r.version > since),
          gone: [],
          cursor: '3',
          more: false,
        });
      }
      case '/api/sync/push': {
        if (server.failPush) return json(route, 503, { error: { code: 'unavailable', message: 'Try later' } });
        const { changes } = route.request().postDataJSON() as { changes: Array<{ id: string; kind: string }> };
        if (server.refusePush)
          return json(route, 200, {
            results: changes.map((c) => ({ id: c.id, outcome: 'refused', reason: server.refusePush })),
          });
        server.pushed.push(...changes.map((c) => c.kind));
        return json(route, 200, { results: changes.map((c) => ({ id: c.id, outcome: 'applied' })) });
      }
    }
    return route.fulfill({ status: 404 });
  });
  return server;
}

// The service worker would answer requests before the page's routes see them.
test.use({ serviceWorkers: 'block' });

test('a teacher connects the tablet with a code from a QR link, receives the school and signs out again', async ({
  page,
}) => {
  const server = await fakeServer(page);
  const app = new AppPage(page);
  await page.goto('/connect?code=wxyz%20abcd');
  await expect(page.getByRole('heading', { level: 1, name: 'Verbinden met schoolserver' })).toBeFocused();
  await expect(page).toHaveTitle('Verbinden met schoolserver – Meekijken');
  const code = page.getByRole('textbox', { name: 'Aanmeldcode' });
  await expect(code).toHaveValue('WXYZ-ABCD');
  expect(await seriousViolations(page)).toEqual([]);
  expect(await app.smallTouchTargets()).toEqual([]);

  // A code the server does not know: the error is tied to the field.
  await page.getByRole('button', { name: 'Verbinden' }).tap();
  await expect(code).toHaveAttribute('aria-invalid', 'true');
  await expect(code).toHaveAccessibleDescription(/Deze code klopt niet, is verlopen of is al gebruikt/);
  await expect(code).toBeFocused();

  // Typed in lower case with a space: the same code.
  await code.fill('abcd efgh');
  await page.getByRole('textbox', { name: 'Naam van deze tablet' }).fill('Tablet groep 5');
  await page.getByRole('button', { name: 'Verbinden' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Hallo Anna' })).toBeVisible();
  expect(server.signIns.at(-1)).toEqual({ code: 'ABCDEFGH', deviceLabel: 'Tablet groep 5' });
  const line = page.getByRole('region', { name: 'Schoolserver' });
  await expect(line).toContainText('Alles verstuurd');

  // A signed-in school's data is on its server too: the data screen does not say it lives on this tablet only.
  await app.header.getByRole('link', { name: 'Gegevens' }).tap();
  await expect(page.getByText(/gaat naar de schoolserver zodra er verbinding is/)).toBeVisible();
  await expect(page.getByText(/Alles wat je in Meekijken doet, staat op dit apparaat\./)).toHaveCount(0);
  // A backup only merges what Anna may write herself, for the server to judge again; replacing is not offered.
  const restore = page.getByRole('region', { name: 'Back-up terugzetten' });
  await expect(restore.getByText(/voegt hier alleen samen wat jij zelf mag schrijven/)).toBeVisible();
  await expect(restore.getByRole('button', { name: /vervangen/i })).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);

  // "Who am I" is the account: signing out removes Anna's data from this tablet.
  await app.header.getByRole('link', { name: /Anna/ }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Schoolserver en accounts' })).toBeVisible();
  await expect(page.getByText('Aangemeld als Anna Jansen bij OBS De Linde.', { exact: false }).first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Afmelden' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Welkom bij Meekijken' })).toBeVisible();
  expect(server.signedOut).toBe(true);
  const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  expect(databases).not.toContain('meekijken-school-1-anna');
});

test('signing out waits for changes the server has not confirmed: send first, or download a backup', async ({
  page,
}) => {
  const server = await fakeServer(page);
  await page.goto('/connect?code=ABCD-EFGH');
  await page.getByRole('button', { name: 'Verbinden' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Hallo Anna' })).toBeVisible();

  server.failPush = true;
  await page.goto('/me');
  await page.getByLabel('Nieuw doel').fill('Elke les het lesdoel noemen');
  await page.getByRole('button', { name: 'Toevoegen' }).tap();
  await expect(page.getByRole('region', { name: 'Schoolserver' })).toContainText('1 wijziging wacht op verzending');

  await page.goto('/account');
  await page.getByRole('button', { name: 'Afmelden' }).tap();
  await expect(page.getByText('1 wijziging is nog niet verstuurd.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Afmelden', exact: true })).toBeHidden();
  const [backup] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Back-up downloaden' }).tap(),
  ]);
  expect(backup.suggestedFilename()).toMatch(/^meekijken-backup-/);
  // Throwing the change away is a second, explicit step that says what is lost.
  await page.getByRole('button', { name: 'Toch afmelden…' }).tap();
  await expect(page.getByRole('alert')).toContainText('1 wijziging die nog niet op de schoolserver staat voorgoed weg');
  await page.getByRole('button', { name: 'Annuleren' }).tap();

  // The server answers again: send first, then signing out goes ahead.
  server.failPush = false;
  await page.getByRole('button', { name: 'Eerst versturen' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Welkom bij Meekijken' })).toBeVisible();
  expect(server.pushed).toEqual(['goal']);
  expect(server.signedOut).toBe(true);
});

test('a change the server refuses is shown to its author as not sent, with why and what to do, until seen', async ({
  page,
}) => {
  const server = await fakeServer(page);
  await page.goto('/connect?code=ABCD-EFGH');
  await page.getByRole('button', { name: 'Verbinden' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Hallo Anna' })).toBeVisible();

  server.refusePush = 'invalid-text';
  await page.goto('/me');
  await page.getByLabel('Nieuw doel').fill('Elke les het lesdoel noemen');
  await page.getByRole('button', { name: 'Toevoegen' }).tap();
  const line = page.getByRole('region', { name: 'Schoolserver' });
  await expect(line).toContainText('1 wijziging niet verstuurd');
  // Not retried for ever: nothing waits in the outbox.
  await expect(line).not.toContainText('wacht op verzending');

  await line.getByText('Bekijken').tap();
  await expect(line.getByRole('heading', { level: 2, name: 'Niet verstuurd' })).toBeVisible();
  await expect(line.getByRole('listitem')).toHaveText(
    /^Doel, .*\d\d:\d\d: niet verstuurd, want de tekst bevat tekens die niet bewaard kunnen worden .* Elke les het lesdoel noemen$/,
  );
  await expect(line).toContainText('Is het nog nodig, voer het dan opnieuw in.');
  expect(await seriousViolations(page)).toEqual([]);
  if (process.env.E2E_SCREENSHOTS)
    await page.screenshot({ path: 'test-results/screens/not-sent-1180x820.png', fullPage: true });

  server.refusePush = undefined;
  await line.getByRole('button', { name: 'Gezien' }).tap();
  await expect(line).not.toContainText('niet verstuurd');
  await expect(line).toContainText('Alles verstuurd');
});
