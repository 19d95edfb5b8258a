/**
 * Three tablets and one school server: the whole cycle across devices, as a school would run it.
 *
 * A real server process (its own port and data directory) prints its set-up link; the school is set up through
 * the API as the administrator would through that link, with two teachers and their sign-in codes. Three browser
 * contexts are three tablets: Anna observes Bram offline in the classroom and hands the feedback over; back on the
 * network, Bram's tablet says "Nieuwe feedback" within seconds; his reading flows back to Anna. The leader Lies's
 * IndexedDB never holds the peer observation until Bram shares it with the leadership, and loses it again when he
 * takes the share back.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  expect,
  request,
  test,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
} from '@playwright/test';
import { CapturePage } from './pages/capture-page';
import { E2E_PORT } from './support/ports';

const TOP = 'De instructie was kort en helder.';
const TIP = 'Laat de stille leerlingen vaker hardop denken.';
const POSTGRES_ADMIN_URL = process.env.MEEKIJKEN_TEST_DATABASE_URL;
const IN_CI = !!process.env.CI && process.env.CI !== 'false';
const KINDS = ['pglite', 'postgres'] as const;

interface RunningServer {
  base: string;
  setupLink: string;
  stop(): Promise<void>;
}

async function postgresAdmin(sql: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A school server process of its own (the app the e2e web server built, in dist/), on its own port and data:
 * PGlite in a temporary directory, or a fresh PostgreSQL database. Resolves once it printed its set-up link.
 */
async function startServer(kind: (typeof KINDS)[number], port: number): Promise<RunningServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'meekijken-three-tablets-'));
  const env: Record<string, string> = { PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  let database: string | undefined;
  if (kind === 'postgres') {
    database = `meekijken_e2e_${randomBytes(6).toString('hex')}`;
    await postgresAdmin(`CREATE DATABASE ${database}`);
    const url = new URL(POSTGRES_ADMIN_URL!);
    url.pathname = `/${database}`;
    env.DATABASE_URL = url.toString();
  }
  // The built server, as `npm start` runs it (the web server of this suite built it: playwright.config.ts).
  const child = spawn(process.execPath, ['dist-server/main.js'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const setupLink = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no set-up link printed; stdout: ${out}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /open (\S+\/setup#token=\S+) to set up/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
  });
  return {
    base: `http://localhost:${port}`,
    setupLink,
    async stop() {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
      if (database) await postgresAdmin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}

interface Person {
  id: string;
  name: string;
}

/**
 * A tablet of the project's size (landscape or portrait), with touch. `offline`: it will go offline, so it runs the
 * service worker that serves the app then (the others skip installing it).
 */
async function tablet(browser: Browser, offline = false): Promise<{ context: BrowserContext; page: Page }> {
  const { viewport } = test.info().project.use;
  const context = await browser.newContext({
    viewport: viewport ?? { width: 1180, height: 820 },
    hasTouch: true,
    isMobile: true,
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    reducedMotion: 'reduce',
    serviceWorkers: offline ? 'allow' : 'block',
  });
  return { context, page: await context.newPage() };
}

async function issueCode(admin: APIRequestContext, person: Person): Promise<string> {
  const response = await admin.post(`/api/people/${person.id}/sign-in-codes`);
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { code: string }).code;
}

async function connect(page: Page, base: string, code: string, label: string): Promise<void> {
  await page.goto(`${base}/connect?code=${encodeURIComponent(code)}`);
  await page.getByRole('textbox', { name: 'Naam van deze tablet' }).fill(label);
  await page.getByRole('button', { name: 'Verbinden' }).tap();
}

/** The ids of the observations in this person's own database on the tablet (not what the screen shows). */
async function storedObservations(page: Page, database: string): Promise<string[]> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    try {
      return await new Promise<string[]>((resolve, reject) => {
        const all = db.transaction('observations').objectStore('observations').getAllKeys();
        all.onsuccess = () => resolve(all.result as string[]);
        all.onerror = () => reject(all.error);
      });
    } finally {
      db.close();
    }
  }, database);
}

test.describe.configure({ mode: 'serial' });

/** A port of this worker's own (workers run side by side), for the n-th server of a test. */
const serverPort = (n: number) => E2E_PORT + 20 + 4 * test.info().parallelIndex + n;

for (const kind of KINDS) {
  test(`observe offline on one tablet, receive on another, share with the leader on a third and take it back (${kind})`, async ({
    browser,
  }) => {
    test.skip(
      kind === 'postgres' && !POSTGRES_ADMIN_URL && !IN_CI,
      'set MEEKIJKEN_TEST_DATABASE_URL to run on PostgreSQL as well',
    );
    expect(
      kind === 'pglite' || !!POSTGRES_ADMIN_URL,
      'CI must run this on PostgreSQL too: set MEEKIJKEN_TEST_DATABASE_URL',
    ).toBe(true);
    test.setTimeout(180_000);
    const server = await startServer(kind, serverPort(KINDS.indexOf(kind)));
    try {
      await cycle(browser, server.base, server.setupLink);
    } finally {
      await server.stop();
    }
  });
}

test('two colleagues share one tablet: switching between them keeps both signed in (pglite)', async ({ browser }) => {
  test.setTimeout(120_000);
  const server = await startServer('pglite', serverPort(2));
  try {
    const token = new URL(server.setupLink).hash.replace('#token=', '');
    const admin = await request.newContext({ baseURL: server.base });
    expect(
      (
        await admin.post('/api/setup', { data: { token, schoolName: 'OBS De Linde', adminName: 'Lies Bakker' } })
      ).status(),
    ).toBe(201);
    const add = async (name: string): Promise<Person> =>
      (await (await admin.post('/api/people', { data: { name, role: 'teacher', starter: false } })).json()) as Person;
    const anna = await add('Anna Jansen');
    const bram = await add('Bram de Vries');
    const { context, page } = await tablet(browser);
    await connect(page, server.base, await issueCode(admin, anna), 'Tablet groep 5');
    await expect(page.getByRole('heading', { level: 1, name: 'Hallo Anna' })).toBeVisible();
    await connect(page, server.base, await issueCode(admin, bram), 'Tablet groep 5');
    await expect(page.getByRole('heading', { level: 1, name: 'Hallo Bram' })).toBeVisible();
    // Back to Anna, without a new code: her session is still there, and so is Bram's after switching again.
    for (const [name, first] of [
      ['Anna Jansen', 'Anna'],
      ['Bram de Vries', 'Bram'],
    ] as const) {
      await page.goto(`${server.base}/account`);
      await page.locator('.account-list li', { hasText: name }).getByRole('button', { name: 'Openen' }).tap();
      await expect(page.getByRole('heading', { level: 1, name: `Hallo ${first}` })).toBeVisible();
      await expect(page.getByRole('region', { name: 'Schoolserver' })).toContainText('Alles verstuurd');
    }
    // Bram sees his devices and signs out one he no longer has; this tablet itself is signed out only by "Afmelden"
    // above (which first sends what waits).
    const lost = await admin.post(`/api/people/${bram.id}/sign-in-codes`);
    const other = await request.newContext({ baseURL: server.base });
    expect(
      (
        await other.post('/api/sign-in', {
          data: { code: ((await lost.json()) as { code: string }).code, deviceLabel: 'Oude iPad' },
        })
      ).status(),
    ).toBe(200);
    await page.goto(`${server.base}/account`);
    const devices = page.getByRole('region', { name: 'Aangemelde apparaten' });
    await expect(devices.getByRole('listitem')).toHaveCount(2);
    await expect(devices.getByRole('button', { name: 'Tablet groep 5 afmelden' })).toHaveCount(0);
    await devices.getByRole('button', { name: 'Oude iPad afmelden' }).tap();
    await expect(devices.getByRole('listitem')).toHaveCount(1);
    expect((await other.get('/api/me')).status()).toBe(401);
    await other.dispose();
    await context.close();
    await admin.dispose();
  } finally {
    await server.stop();
  }
});

async function cycle(browser: Browser, BASE: string, setupLink: string): Promise<void> {
  const token = new URL(setupLink).hash.replace('#token=', '');
  const admin = await request.newContext({ baseURL: BASE });
  const setup = await admin.post('/api/setup', {
    data: { token, schoolName: 'OBS De Linde', adminName: 'Lies Bakker', deviceLabel: 'laptop directie' },
  });
  expect(setup.status(), await setup.text()).toBe(201);
  const { school, person: lies } = (await setup.json()) as { school: { id: string }; person: Person };
  const add = async (name: string): Promise<Person> => {
    const response = await admin.post('/api/people', { data: { name, role: 'teacher', starter: false } });
    expect(response.status(), await response.text()).toBe(201);
    return (await response.json()) as Person;
  };
  const anna = await add('Anna Jansen');
  const bram = await add('Bram de Vries');
  const databaseOf = (person: Person) => `meekijken-${school.id}-${person.id}`;

  const observer = await tablet(browser, true);
  const observed = await tablet(browser);
  const leader = await tablet(browser);
  await connect(observer.page, BASE, await issueCode(admin, anna), 'Tablet Anna');
  await expect(observer.page.getByRole('heading', { level: 1, name: 'Hallo Anna' })).toBeVisible();
  await connect(observed.page, BASE, await issueCode(admin, bram), 'Tablet Bram');
  await expect(observed.page.getByRole('heading', { level: 1, name: 'Hallo Bram' })).toBeVisible();
  await connect(leader.page, BASE, await issueCode(admin, lies), 'Tablet directie');
  await expect(leader.page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(leader.page.getByRole('region', { name: 'Schoolserver' })).toContainText('Alles verstuurd');

  // 1. Anna observes Bram in the classroom, without a network, and hands the feedback over. Her tablet has the app for
  // offline use once its service worker is active and controls the page (from the next load after the first visit;
  // every screen is precached by then).
  await observer.page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await observer.page.evaluate(() => !!navigator.serviceWorker.controller))) await observer.page.reload();
  await expect.poll(() => observer.page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  await expect(observer.page.getByRole('heading', { level: 1, name: 'Hallo Anna' })).toBeVisible();
  await observer.context.setOffline(true);
  const page = observer.page;
  await page.getByRole('link', { name: 'Nieuwe observatie' }).first().tap();
  await page.getByLabel('Bij wie kijk je mee?').selectOption({ label: 'Bram de Vries' });
  await page.getByRole('button', { name: 'Start de observatie' }).tap();
  const capture = new CapturePage(page);
  await capture.rating(capture.nthItem(0), /^3/).tap();
  await capture.expectSaved();
  const observationId = capture.observationId();
  await page.getByRole('link', { name: 'Afronden' }).tap();
  await page.getByRole('button', { name: 'Observatie afronden' }).tap();
  await page.getByRole('button', { name: '+ Top toevoegen' }).tap();
  await page.getByRole('textbox', { name: 'Top 1' }).fill(TOP);
  await page.getByRole('button', { name: '+ Tip toevoegen' }).tap();
  await page.getByRole('textbox', { name: 'Tip 1' }).fill(TIP);
  await page.getByRole('button', { name: 'Overdragen aan Bram de Vries' }).tap();
  await expect(page).toHaveURL(new RegExp(`/observations/${observationId}/report$`));
  await expect(page.getByRole('region', { name: 'Schoolserver' })).toContainText(/wijzigingen? wacht/);
  expect(await storedObservations(observed.page, databaseOf(bram))).not.toContain(observationId);

  // 2. Back on the Wi-Fi: Bram's tablet has the feedback within seconds, without anyone touching it.
  await observer.context.setOffline(false);
  await expect(page.getByRole('region', { name: 'Schoolserver' })).toContainText('Alles verstuurd', {
    timeout: 15_000,
  });
  await expect(observed.page.getByRole('region', { name: 'Schoolserver' })).toContainText('Nieuwe feedback', {
    timeout: 15_000,
  });
  const received = observed.page
    .getByRole('region', { name: 'Feedback voor mij' })
    .locator(`a[href="/observations/${observationId}/report"]`);
  await expect(received).toContainText('Lees de feedback');
  // The leader's tablet synced too, and holds nothing of it: not on screen, not in its database.
  expect(await storedObservations(leader.page, databaseOf(lies))).not.toContain(observationId);

  // 3. Bram reads it; Anna's tablet learns that it was read.
  await received.tap();
  await expect(observed.page.locator('.feedback-list.top')).toContainText(TOP);
  await page.goto(`${BASE}/observations/${observationId}/report`);
  await expect(page.locator('.stage-steps .current')).toContainText('Gelezen', { timeout: 15_000 });

  // 4. Bram shares it with the leadership: it arrives on the leader's tablet.
  await observed.page.getByLabel('Delen met de schoolleiding').tap();
  await expect(observed.page.getByText('De schoolleiding kan deze observatie nu openen')).toBeVisible();
  await expect
    .poll(() => storedObservations(leader.page, databaseOf(lies)), { timeout: 15_000 })
    .toContain(observationId);
  await leader.page.goto(`${BASE}/observations/${observationId}/report`);
  await expect(leader.page.locator('.feedback-list.top')).toContainText(TOP);

  // 5. He takes the share back: it leaves the leader's tablet.
  await observed.page.getByLabel('Delen met de schoolleiding').tap();
  await expect
    .poll(() => storedObservations(leader.page, databaseOf(lies)), { timeout: 15_000 })
    .not.toContain(observationId);
  await leader.page.reload();
  await expect(leader.page.getByText(TOP)).toHaveCount(0);

  for (const each of [observer, observed, leader]) await each.context.close();
  await admin.dispose();
}
