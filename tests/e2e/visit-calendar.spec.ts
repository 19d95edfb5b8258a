/**
 * A planned lesson visit in the teachers' own calendars: a teacher asks a colleague for a day and a start time, and
 * downloads the visit (.ics) from the request; the times are the chosen wall-clock time in the school's zone
 * (Europe/Amsterdam). Changing the time gives the same event (UID) with a higher SEQUENCE, so a calendar updates it;
 * the observer gets the same event; after withdrawing, the download is the cancellation. The calendar holds the
 * names, the time and the link, never the focus question or the group.
 */
import ICAL from 'ical.js';
import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './pages/app-page';
import { startWithDemoSchool } from './pages/school';
import { allViolations } from './support/axe';
import { expectCleanAtNarrowWidth } from './support/narrow';

const ZONE = 'Europe/Amsterdam';
const GROUP = 'groep 7b';

/** Says who uses the tablet now, from any screen with the header. */
async function switchTo(page: Page, name: string) {
  await page.getByRole('link', { name: /op dit apparaat is dit .*Wisselen$/ }).tap();
  await page.locator('.person-button', { hasText: name }).first().tap();
  await expect(page.getByRole('heading', { level: 1, name: `Hallo ${name.split(' ')[0]}` })).toBeVisible();
}

/** A day some weeks ahead, as the tablet (in Amsterdam) names it. */
function dayAhead(days: number): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    Date.now() + days * 24 * 60 * 60 * 1000,
  );
}

/** A moment as the wall clock in Amsterdam shows it: `YYYY-MM-DD HH:MM`. */
const amsterdam = (at: Date) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);

interface Visit {
  file: string;
  text: string;
  method: string;
  uid: string;
  sequence: number;
  status: string;
  summary: string;
  url: string;
  start: Date;
  end: Date;
}

/** Taps the calendar button and reads the downloaded file with ical.js. */
async function downloadVisit(page: Page, button: string): Promise<Visit> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).tap(),
  ]);
  const text = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  const event = events[0]!;
  const value = (name: string): unknown => event.getFirstPropertyValue(name);
  const time = (name: string) => {
    const found = value(name);
    if (!(found instanceof ICAL.Time)) throw new Error(`${name} is not a time`);
    expect(found.zone).toBe(ICAL.Timezone.utcTimezone);
    return found.toJSDate();
  };
  return {
    file: download.suggestedFilename(),
    text,
    method: String(calendar.getFirstPropertyValue('method')),
    uid: String(value('uid')),
    sequence: Number(value('sequence')),
    status: String(value('status')),
    summary: String(value('summary')),
    url: String(value('url')),
    start: time('dtstart'),
    end: time('dtend'),
  };
}

test('a planned visit goes into the calendar, follows a new time, and is cancelled when withdrawn', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const app = new AppPage(page);
  const teacher = (await startWithDemoSchool(page, 0)).trim();
  const day = dayAhead(21);

  // 1. Asking for a day shows the start time; a time shows the length, an hour unless changed.
  await page.getByRole('link', { name: 'Vraag een collega' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Vraag een collega om te komen kijken' })).toBeVisible();
  const observerSelect = page.getByLabel('Wie komt er kijken?');
  const observerOption = observerSelect.locator('option', { hasText: 'Leerkracht' }).first();
  const observer = ((await observerOption.textContent()) ?? '').split(' · ')[0]!.trim();
  await observerSelect.selectOption((await observerOption.getAttribute('value')) ?? '');
  const focus = await page.getByLabel('Kijkvraag').inputValue();
  await page.getByLabel('Groep').fill(GROUP);
  await expect(page.getByLabel('Hoe laat')).toHaveCount(0);
  await page.getByLabel('Wanneer').fill(day);
  await expect(page.getByLabel('Hoe laat')).toBeVisible();
  await expect(page.getByLabel('Hoe lang (minuten)')).toHaveCount(0);
  await page.getByLabel('Hoe laat').fill('09:30');
  await expect(page.getByLabel('Hoe lang (minuten)')).toHaveValue('60');
  await page.getByLabel('Hoe lang (minuten)').fill('45');
  await page.getByRole('button', { name: 'Vraag versturen' }).tap();

  // 2. The home list shows the time with the day; the request shows start and end.
  const mine = page.getByRole('region', { name: 'Mijn vragen' });
  const entry = mine
    .getByRole('link')
    .filter({ hasText: `Gevraagd aan ${observer}` })
    .first();
  await expect(entry).toContainText('09:30');
  await entry.tap();
  await expect(page).toHaveURL(/\/requests\/[0-9a-f-]{36}$/);
  const requestUrl = page.url();
  await expect(page.locator('.facts')).toContainText('09:30–10:15');

  // 3. The download is the visit at 09:30 in Amsterdam, for 45 minutes, naming only people.
  const first = await downloadVisit(page, 'Zet in mijn agenda');
  expect(first.file).toBe(`meekijken-lesbezoek-${day}.ics`);
  expect(first.method).toBe('PUBLISH');
  expect(first.status).toBe('CONFIRMED');
  expect(amsterdam(first.start)).toBe(`${day} 09:30`);
  expect(first.end.getTime() - first.start.getTime()).toBe(45 * 60_000);
  expect(first.summary).toBe(`Lesbezoek: ${observer} kijkt mee bij ${teacher}`);
  expect(first.url).toBe(requestUrl);
  expect(first.uid).toBe(`${requestUrl.split('/').pop()}@meekijken`);
  expect(first.text.replace(/\r\n /g, '')).not.toContain(GROUP);
  if (focus) expect(first.text.replace(/\r\n /g, '')).not.toContain(focus.slice(0, 20));

  // 4. The one who asked changes the time: the same event, a higher SEQUENCE, the new time.
  await page.getByRole('button', { name: 'Dag of tijd wijzigen' }).tap();
  await expect(page.getByRole('heading', { level: 2, name: 'Wanneer is de les?' })).toBeVisible();
  expect(await allViolations(page)).toEqual([]);
  expect(await app.smallTouchTargets()).toEqual([]);
  await expectCleanAtNarrowWidth(page, 'request-replan', page.locator('#replan-form'));
  await page.locator('#replan-form').getByLabel('Hoe laat').fill('13:15');
  await page.locator('#replan-form').getByRole('button', { name: 'Opslaan' }).tap();
  await expect(page.getByRole('status').filter({ hasText: 'Gewijzigd.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Dag of tijd wijzigen' })).toBeFocused();
  await expect(page.locator('.facts')).toContainText('13:15–14:00');
  const moved = await downloadVisit(page, 'Zet in mijn agenda');
  expect(moved.uid).toBe(first.uid);
  expect(moved.sequence).toBeGreaterThan(first.sequence);
  expect(amsterdam(moved.start)).toBe(`${day} 13:15`);
  expect(amsterdam(moved.end)).toBe(`${day} 14:00`);
  expect(await allViolations(page)).toEqual([]);

  // 5. In English, the calendar speaks English.
  await app.switchLanguage('English');
  const english = await downloadVisit(page, 'Add to my calendar');
  expect(english.summary).toBe(`Lesson visit: ${observer} observes ${teacher}`);
  expect(english.uid).toBe(first.uid);
  await app.switchLanguage('Nederlands');

  // 6. The observer gets the same event (and cannot change the plan).
  await switchTo(page, observer);
  await page.goto(requestUrl);
  await expect(page.getByRole('heading', { level: 1, name: `Kijken bij ${teacher}` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Dag of tijd wijzigen' })).toHaveCount(0);
  const observers = await downloadVisit(page, 'Zet in mijn agenda');
  expect([observers.uid, observers.sequence, observers.start]).toEqual([moved.uid, moved.sequence, moved.start]);

  // 7. Withdrawn: the download is the cancellation of the same event, and says so.
  await switchTo(page, teacher);
  await page.goto(requestUrl);
  await page.getByRole('button', { name: 'Vraag intrekken' }).tap();
  await expect(page.getByRole('heading', { level: 1, name: /^Hallo / })).toBeVisible();
  await page.goto(requestUrl);
  await expect(page.getByText('Deze vraag is ingetrokken.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Zet in mijn agenda' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Dag of tijd wijzigen' })).toHaveCount(0);
  const cancelled = await downloadVisit(page, 'Haal uit mijn agenda');
  expect(cancelled.uid).toBe(first.uid);
  expect(cancelled.status).toBe('CANCELLED');
  expect(cancelled.sequence).toBeGreaterThan(moved.sequence);
  expect(amsterdam(cancelled.start)).toBe(`${day} 13:15`);
  expect(await allViolations(page)).toEqual([]);
});
