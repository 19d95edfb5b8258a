/**
 * `npm run bench`: how long a rating tap takes to be durable in IndexedDB, and how long typed text is at risk, in
 * headless Chromium at tablet size.
 *
 * It serves the production build, loads the demo school, starts an observation and taps ratings with real touch
 * input. For each tap the app records a `meekijken:response-write` measure, from the call to the transaction's
 * completion. In the same page it times a raw IndexedDB put of a record of the same shape, started by a real tap
 * on a bare button too, and both again without touch input. Touch input matters: after a tap, Chromium renders the
 * tap's frame before it runs other tasks, so any IndexedDB answer waits for that frame.
 * Target (PRODUCT.md): the app's tap p95 ≤ 1.5× the raw tap p95 (goal 1.2×). A ratio, because headless Chromium
 * renders in software and a tap's frame costs what it costs on this machine.
 *
 * Typed text: every keystroke is journalled in localStorage at once (that covers a reload or a closed tab) and
 * written to IndexedDB at once. Until that write (or a newer one of the same field) commits, a keystroke is at risk
 * only of the whole browser being killed. The app records a `meekijken:change-durable` measure per keystroke, from
 * the keystroke until then; the bench types 200 characters at 80 ms per key (brisk typing on a tablet), at 40 ms per
 * key (the fastest typists), and as fast as key input reaches the page (hundreds of characters a second, which no
 * person types: there, input events take priority over IndexedDB's answers and writes trail the typing).
 * Target at human speeds: p95 ≤ 50 ms ("the last few milliseconds of typing").
 */
import { spawn } from 'node:child_process';
import { chromium, type Locator, type Page } from '@playwright/test';
import { chromiumPath as executablePath } from '../e2e/support/chromium';

const PORT = 4191;
const TAPS = 100;
const MEASURE = 'meekijken:response-write';
const RAW = 'bench:raw-write';
const CHANGE = 'meekijken:change-durable';
const TAP_RATIO_BUDGET = 1.5;
const TEXT_AT_RISK_BUDGET_MS = 50;
const TYPED = 'De leerkracht geeft eerst het doel van de les en laat de leerlingen dan zelf een voorbeeld bedenken. '.repeat(2).slice(0, 200);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const line = (name: string, values: number[]) =>
  `${name.padEnd(40)} n=${values.length}  p50=${percentile(values, 50).toFixed(2)} ms  p95=${percentile(values, 95).toFixed(2)} ms  max=${Math.max(...values).toFixed(2)} ms`;

async function waitForServer(url: string) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server at ${url} did not start`);
}

/** Activates each target in turn and returns the durations of the measure it produces. */
async function series(page: Page, measure: string, targets: (i: number) => Locator, activate: (target: Locator) => Promise<void>) {
  await page.evaluate((name) => performance.clearMeasures(name), measure);
  for (let i = 0; i < TAPS; i++) {
    await activate(targets(i));
    // Poll on a timer: the default polls every animation frame, which keeps the page painting.
    await page.waitForFunction(([name, n]) => performance.getEntriesByName(name as string).length >= (n as number), [measure, i + 1], { polling: 50 });
  }
  return page.evaluate((name) => performance.getEntriesByName(name).map((e) => e.duration), measure);
}

const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
try {
  await waitForServer(`http://localhost:${PORT}/`);
  const browser = await chromium.launch({ executablePath });
  const context = await browser.newContext({ viewport: { width: 1180, height: 820 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(`http://localhost:${PORT}/`);
  await page.getByRole('button', { name: 'Demoschool laden' }).click();
  await page.locator('.person-button').first().click();
  await page.getByRole('link', { name: 'Nieuwe observatie' }).click();
  await page.getByLabel('Bij wie kijk je mee?').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Start de observatie' }).click();
  await page.locator('.rating-button').first().waitFor();

  // A bare button that does one raw IndexedDB put per tap, in a database of its own.
  await page.evaluate(async (name) => {
    const open = indexedDB.open('bench-raw', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('responses', { keyPath: 'id' });
    const db = await new Promise<IDBDatabase>((resolve) => (open.onsuccess = () => resolve(open.result)));
    const button = document.createElement('button');
    button.id = 'bench-raw';
    button.textContent = 'raw';
    button.style.cssText = 'position:fixed;top:200px;left:10px;width:60px;height:60px;z-index:99';
    let i = 0;
    button.addEventListener('click', () => {
      const started = performance.now();
      const tx = db.transaction('responses', 'readwrite');
      tx.objectStore('responses').put({ id: 'obs:item', rating: (i++ % 4) + 1, lookFors: ['lf1'], updatedAt: Date.now() });
      tx.oncomplete = () => performance.measure(name, { start: started, end: performance.now() });
    });
    document.body.append(button);
  }, RAW);

  const ratings = (i: number) => page.locator('.capture-domain .rating-buttons').first().locator('.rating-button').nth(i % 4);
  const raw = () => page.locator('#bench-raw');
  const tap = (target: Locator) => target.tap();
  const click = (target: Locator) => target.evaluate((element: HTMLElement) => element.click());

  const appTap = await series(page, MEASURE, ratings, tap);
  const rawTap = await series(page, RAW, raw, tap);
  const appClick = await series(page, MEASURE, ratings, click);
  const rawClick = await series(page, RAW, raw, click);

  // Typing into an evidence field with real key input; every keystroke's measure arrives once it is durable.
  await page.locator('.capture-domain .capture-item').first().getByRole('button', { name: /Toelichting bij/ }).click();
  const field = page.locator('.capture-domain .capture-item').first().getByRole('textbox', { name: 'Toelichting', exact: true });
  const saved = () => page.locator('.saved-state[data-state="saved"]').waitFor();
  const typing = async (delay: number) => {
    await field.fill('');
    await saved();
    await page.evaluate((name) => performance.clearMeasures(name), CHANGE);
    await field.focus();
    const started = Date.now();
    await page.keyboard.type(TYPED, { delay });
    const perKey = (Date.now() - started) / TYPED.length;
    await page.waitForFunction(([name, n]) => performance.getEntriesByName(name as string).length >= (n as number), [CHANGE, TYPED.length], { polling: 50 });
    const durations = await page.evaluate((name) => performance.getEntriesByName(name).map((e) => e.duration), CHANGE);
    return { durations, perKey, last: durations.at(-1) ?? NaN };
  };
  const typingRuns = [await typing(80), await typing(40), await typing(0)];

  console.log(line('rating tap → IndexedDB (app, touch)', appTap));
  console.log(line('raw IndexedDB put (touch)', rawTap));
  console.log(line('rating → IndexedDB (app, no input)', appClick));
  console.log(line('raw IndexedDB put (no input)', rawClick));
  for (const run of typingRuns) {
    console.log(`${line(`keystroke at risk (${run.perKey.toFixed(0)} ms per key)`, run.durations)}  last key=${run.last.toFixed(2)} ms`);
  }
  const ratio = percentile(appTap, 95) / percentile(rawTap, 95);
  // The budget holds at human speeds (the first two runs); the flat-out run is reported, not judged.
  const atRisk = Math.max(...typingRuns.slice(0, 2).map((run) => percentile(run.durations, 95)));
  const tapOk = ratio <= TAP_RATIO_BUDGET;
  const textOk = atRisk <= TEXT_AT_RISK_BUDGET_MS;
  console.log(`${tapOk ? 'OK' : 'OVER BUDGET'}: app tap p95 is ${ratio.toFixed(2)}× the raw tap p95 (budget ≤ ${TAP_RATIO_BUDGET}×, goal 1.2×)`);
  console.log(`${textOk ? 'OK' : 'OVER BUDGET'}: a keystroke is at risk of a browser kill for ${atRisk.toFixed(1)} ms at p95 when typing at 40–80 ms per key (budget ≤ ${TEXT_AT_RISK_BUDGET_MS} ms). A reload or a closed tab puts nothing at risk: every keystroke is journalled in its own event.`);
  await browser.close();
  process.exitCode = tapOk && textOk ? 0 : 1;
} finally {
  if (server.pid) process.kill(-server.pid);
}
