/**
 * `npm run bench`: what the product promises, measured in headless Chromium at tablet size (README, "Performance").
 * It prints a readable table and, as its last line, one JSON object with every figure:
 * - tap to durable: 500 rating taps on the capture screen beside 500 raw IndexedDB writes started the same way;
 * - keystrokes at risk while typing (see "Data and nothing lost" in the README);
 * - dashboards: from IndexedDB to everything the leader page draws, for a generated school (40 teachers, 5 years,
 *   ≥ 4,000 observations) and a board (≥ 50,000), median of five runs after a warm-up, as a ratio to a raw read of
 *   the same records in the same page (the same tables, whole, in one read-only transaction: `toArray`, nothing
 *   done with them), median of as many runs taken in turn. Target: ≤ 3× for both. A ratio, because how long
 *   IndexedDB takes to read 50,000 records differs several-fold between machines of the same kind;
 * - the Rasch estimation of the board in its Web Worker, for the leader's themes and for a teacher's next steps: a
 *   first call on a fresh page (the worker starts and receives the data), and a second one with the same data
 *   built again (the worker holds the data and its answer: only a key crosses), each with the longest the main
 *   thread was busy at a time meanwhile; the JS heap after the board's leader page;
 * - initial and total JavaScript (gzipped) of the production build; a cold start without a network;
 * - checking and previewing an instrument file of 4 MB: the page's longest main-thread task, as a ratio to a plain
 *   page that only parses the same file (tests/bench/preview-bench.ts).
 *
 * - the school server (tests/bench/sync/sync-bench.ts, the `sync` object): 60 tablets at the end of a school day on
 *   PGlite and PostgreSQL, a hand-over across two server processes, team figures on a board, and the changes a tablet
 *   sends for an ordinary observation; `BENCH_ONLY=browser` leaves it out.
 *
 * The school and the board are filled by a benchmark page built beside the app (tests/bench/bench-page.ts), through
 * the app's own write path, with the demo generator at other sizes.
 *
 * It serves the production build, loads the demo school, starts an observation and taps ratings with real touch
 * input. For each tap the app records a `meekijken:response-write` measure, from the call to the transaction's
 * completion. In the same page it times a raw IndexedDB put of a record of the same shape, started by a real tap
 * on a bare button too, and both again without touch input. Touch input matters: after a tap, Chromium renders the
 * tap's frame before it runs other tasks, so any IndexedDB answer waits for that frame.
 * Target (README, "Performance"): the app's tap p95 ≤ 1.5× the raw tap p95 (goal 1.2×). A ratio, because headless Chromium
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
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Locator, type Page } from '@playwright/test';
import { chromiumPath as executablePath } from '../e2e/support/chromium';
import { previewBench, type PreviewFigures } from './preview-bench';
import { benchSync, type Check } from './sync/sync-bench';

const PORT = 4191;
const TAPS = 500;
/** The unrecorded comparison (taps without touch input) needs fewer. */
const CLICKS = 100;
const SCHOOL = { teachers: 40, teams: 4, years: 5, perYear: 23 };
const BOARD = { teachers: 560, teams: 28, years: 5, perYear: 20 };
/** The check screen's longest main-thread task with a 4 MB instrument, as a share of a plain page's (preview-bench.ts). */
const PREVIEW_RATIO_BUDGET = 0.75;
/** The leader page's dashboard from IndexedDB, as a multiple of a raw read of the same records (bench-page.ts). */
const DASHBOARD_RATIO_BUDGET = 3;
const BUDGET = {
  ratio: 1.5,
  dashboardRatio: DASHBOARD_RATIO_BUDGET,
  initialJsKb: 100,
  previewRatio: PREVIEW_RATIO_BUDGET,
};
const MEASURE = 'meekijken:response-write';
const RAW = 'bench:raw-write';
const CHANGE = 'meekijken:change-durable';
const TEXT_AT_RISK_BUDGET_MS = 50;
const TYPED = 'De leerkracht geeft eerst het doel van de les en laat de leerlingen dan zelf een voorbeeld bedenken. '
  .repeat(2)
  .slice(0, 200);

type TeacherSteps = { firstMs: number; repeatMs: number; firstLongestTaskMs: number; repeatLongestTaskMs: number };
type Dashboard = { observations: number; ms: number; rawReadMs: number; ratioToRawRead: number };
const dashboardLine = (name: string, d: Dashboard) =>
  `leader page from IndexedDB, ${name} of ${d.observations} observations: ${d.ms} ms against ${d.rawReadMs} ms for a raw read of the same records: ${d.ratioToRawRead}× (budget ≤ ${BUDGET.dashboardRatio}×)`;

const previewLine = (p: PreviewFigures) =>
  `checking and previewing a 4 MB instrument: longest main-thread task ${p.longestTaskMs} ms against ${p.plainPageMs} ms on a plain page that only parses the file: ${p.ratio}× (runs ${p.runs.join(', ')}; plain ${p.plainRuns.join(', ')}; the check in its worker ${p.workerMs} ms)`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const round = (value: number) => Math.round(value * 100) / 100;

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
async function series(
  page: Page,
  measure: string,
  targets: (i: number) => Locator,
  activate: (target: Locator) => Promise<void>,
  count = TAPS,
) {
  await page.evaluate((name) => performance.clearMeasures(name), measure);
  for (let i = 0; i < count; i++) {
    await activate(targets(i));
    // Poll on a timer: the default polls every animation frame, which keeps the page painting.
    await page.waitForFunction(
      ([name, n]) => performance.getEntriesByName(name as string).length >= (n as number),
      [measure, i + 1],
      { polling: 50 },
    );
  }
  return page.evaluate((name) => performance.getEntriesByName(name).map((e) => e.duration), measure);
}

/**
 * App taps and raw writes taken in turn (A, B, A, B …), so both see the same moments of the machine (a garbage
 * collection, another process): the ratio compares like with like.
 */
async function interleaved(
  page: Page,
  count: number,
  app: (i: number) => Locator,
  raw: () => Locator,
  activate: (target: Locator) => Promise<void>,
) {
  await page.evaluate(
    ([a, b]) => {
      performance.clearMeasures(a);
      performance.clearMeasures(b);
    },
    [MEASURE, RAW] as const,
  );
  for (let i = 0; i < count; i++) {
    for (const [target, name] of [
      [app(i), MEASURE],
      [raw(), RAW],
    ] as const) {
      await activate(target);
      await page.waitForFunction(
        ([m, n]) => performance.getEntriesByName(m as string).length >= (n as number),
        [name, i + 1],
        { polling: 50 },
      );
    }
  }
  return page.evaluate(
    ([a, b]) => [
      performance.getEntriesByName(a).map((e) => e.duration),
      performance.getEntriesByName(b).map((e) => e.duration),
    ],
    [MEASURE, RAW] as const,
  );
}

/** Gzipped size of the JavaScript a first visit loads (the entry and what it preloads), and of all JavaScript. */
function bundleSizes(dist: string) {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const gz = (file: string) => gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length / 1024;
  const all = readdirSync(path.join(dist, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `assets/${f}`);
  const sum = (files: string[]) => Math.round(files.reduce((total, file) => total + gz(file), 0) * 10) / 10;
  return { initialJsGzipKb: sum(initial), totalJsGzipKb: sum(all) };
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
execFileSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'ignore' });
const bundle = bundleSizes(path.join(ROOT, 'dist'));
execFileSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, MEEKIJKEN_BENCH: '1' } });

const server = spawn('npx', ['vite', 'preview', '--outDir', 'dist-bench', '--port', String(PORT), '--strictPort'], {
  cwd: ROOT,
  stdio: 'ignore',
  detached: true,
});
// The preview server goes with the bench, however it ends (also through process.exit after a partial run).
process.on('exit', () => {
  try {
    if (server.pid) process.kill(-server.pid);
  } catch {
    // the preview server has already gone
  }
});
await waitForServer(`http://localhost:${PORT}/`);
const browser = await chromium.launch({ executablePath });
if (process.env.BENCH_ONLY === 'preview') {
  const preview = await previewBench(browser, `http://localhost:${PORT}`);
  console.log(previewLine(preview));
  console.log(JSON.stringify(preview));
  await browser.close();
  process.exit(preview.ratio <= BUDGET.previewRatio ? 0 : 1);
}
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
    tx.objectStore('responses').put({
      id: 'obs:item',
      rating: (i++ % 4) + 1,
      lookFors: ['lf1'],
      updatedAt: Date.now(),
    });
    tx.oncomplete = () => performance.measure(name, { start: started, end: performance.now() });
  });
  document.body.append(button);
}, RAW);

const ratings = (i: number) =>
  page
    .locator('.capture-domain .rating-buttons')
    .first()
    .locator('.rating-button')
    .nth(i % 4);
const raw = () => page.locator('#bench-raw');
const tap = (target: Locator) => target.tap();
const click = (target: Locator) => target.evaluate((element: HTMLElement) => element.click());

const [appTap = [], rawTap = []] = await interleaved(page, TAPS, ratings, raw, tap);
const appClick = await series(page, MEASURE, ratings, click, CLICKS);
const rawClick = await series(page, RAW, raw, click, CLICKS);
if (process.env.BENCH_ONLY === 'taps') {
  console.log(line('rating tap → IndexedDB (app, touch)', appTap));
  console.log(line('raw IndexedDB put (touch)', rawTap));
  console.log(`ratio p95 ${(percentile(appTap, 95) / percentile(rawTap, 95)).toFixed(2)}`);
  process.exit(0);
}

// Typing into an evidence field with real key input; every keystroke's measure arrives once it is durable.
await page
  .locator('.capture-domain .capture-item')
  .first()
  .getByRole('button', { name: /Toelichting bij/ })
  .click();
const field = page
  .locator('.capture-domain .capture-item')
  .first()
  .getByRole('textbox', { name: 'Toelichting', exact: true });
const saved = () => page.locator('.saved-state[data-state="saved"]').waitFor();
const typing = async (delay: number) => {
  await field.fill('');
  await saved();
  await page.evaluate((name) => performance.clearMeasures(name), CHANGE);
  await field.focus();
  const started = Date.now();
  await page.keyboard.type(TYPED, { delay });
  const perKey = (Date.now() - started) / TYPED.length;
  await page.waitForFunction(
    ([name, n]) => performance.getEntriesByName(name as string).length >= (n as number),
    [CHANGE, TYPED.length],
    { polling: 50 },
  );
  const durations = await page.evaluate((name) => performance.getEntriesByName(name).map((e) => e.duration), CHANGE);
  return { durations, perKey, last: durations.at(-1) ?? NaN };
};
const typingRuns = [await typing(80), await typing(40), await typing(0)];

console.log(line('rating tap → IndexedDB (app, touch)', appTap));
console.log(line('raw IndexedDB put (touch)', rawTap));
console.log(line('rating → IndexedDB (app, no input)', appClick));
console.log(line('raw IndexedDB put (no input)', rawClick));
for (const run of typingRuns) {
  console.log(
    `${line(`keystroke at risk (${run.perKey.toFixed(0)} ms per key)`, run.durations)}  last key=${run.last.toFixed(2)} ms`,
  );
}
const ratio = percentile(appTap, 95) / percentile(rawTap, 95);
// The budget holds at human speeds (the first two runs); the flat-out run is reported, not judged.
const atRisk = Math.max(...typingRuns.slice(0, 2).map((run) => percentile(run.durations, 95)));
await context.close();

// Dashboards, the Rasch estimation and the heap: a school and a board, filled through the app's write path.
const benchContext = await browser.newContext({ viewport: { width: 1180, height: 820 } });
const benchPage = await benchContext.newPage();
await benchPage.goto(`http://localhost:${PORT}/tests/bench/bench.html`);
await benchPage.locator('body[data-ready="true"]').waitFor();
type Bench = {
  meekijkenBench: {
    fill(size: object, name?: string): Promise<{ observations: number }>;
    dashboard(name: string): Promise<Dashboard>;
    rasch(name: string): Promise<{ teachers: number; items: number; ms: number }>;
    teacherSteps(name: string): Promise<TeacherSteps>;
  };
};
const run = <T>(fn: string, ...args: unknown[]) =>
  benchPage.evaluate(
    ([name, list]) =>
      ((window as unknown as Bench).meekijkenBench as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[
        name as string
      ]!(...(list as unknown[])),
    [fn, args] as const,
  ) as Promise<T>;
await run('fill', SCHOOL, 'bench-school');
const school = await run<Dashboard>('dashboard', 'bench-school');
// The board goes into the app's own database, so the app's leader page can be opened on it afterwards.
await run('fill', BOARD);
const board = await run<Dashboard>('dashboard', 'meekijken-school');
const rasch = await run<{ teachers: number; items: number; ms: number }>('rasch', 'meekijken-school');
// A teacher's own page on the board, on a fresh page: its worker starts with the first call.
await benchPage.reload();
await benchPage.locator('body[data-ready="true"]').waitFor();
const teacherSteps = await run<TeacherSteps>('teacherSteps', 'meekijken-school');

// The app's leader page on the board's data: the JS heap once everything is drawn (after a garbage collection).
await benchPage.goto(`http://localhost:${PORT}/`);
await benchPage.getByRole('heading', { level: 1, name: 'Waar groeit het team?' }).waitFor({ timeout: 120_000 });
await benchPage.waitForFunction(
  () =>
    document.querySelectorAll('figure.chart canvas').length >= 3 &&
    document.querySelectorAll('.themes li, #themes-heading ~ .note-inline, #themes-heading ~ p.muted:not(.small)')
      .length > 0,
  undefined,
  { timeout: 120_000, polling: 250 },
);
const cdp = await benchContext.newCDPSession(benchPage);
await cdp.send('HeapProfiler.collectGarbage');
const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
const heapMbBoard = Math.round((heap.usedSize / 1024 / 1024) * 10) / 10;
await benchContext.close();

// Cold start without a network: the first visit installs the service worker; a new page then starts offline.
const coldContext = await browser.newContext({ viewport: { width: 1180, height: 820 } });
const first = await coldContext.newPage();
await first.goto(`http://localhost:${PORT}/`);
await first.evaluate(async () => {
  await navigator.serviceWorker.ready;
});
await first.close();
await coldContext.setOffline(true);
const cold = await coldContext.newPage();
const coldStarted = Date.now();
await cold.goto(`http://localhost:${PORT}/`);
await cold.getByRole('heading', { level: 1 }).first().waitFor();
const coldStartOfflineMs = Date.now() - coldStarted;
await coldContext.close();

const preview = await previewBench(browser, `http://localhost:${PORT}`);
await browser.close();

// The school server (tests/bench/sync/sync-bench.ts), after the browser's figures: it needs the machine to itself.
const sync = process.env.BENCH_ONLY === 'browser' ? undefined : await benchSync();

const results = {
  tapToDurable: {
    taps: appTap.length,
    p50Ms: round(percentile(appTap, 50)),
    p95Ms: round(percentile(appTap, 95)),
    rawIdbP50Ms: round(percentile(rawTap, 50)),
    rawIdbP95Ms: round(percentile(rawTap, 95)),
    ratioP95: round(ratio),
  },
  dashboard: { school, board },
  rasch,
  teacherNextStepsBoard: teacherSteps,
  bundle,
  coldStartOfflineMs,
  heapMbBoard,
  checkPreview4Mb: preview,
  ...(sync ? { sync: sync.figures } : {}),
};
const checks: Check[] = [
  [
    ratio <= BUDGET.ratio,
    `app tap p95 is ${ratio.toFixed(2)}× the raw tap p95 (budget ≤ ${BUDGET.ratio}×, goal 1.2×; ${appTap.length} taps)`,
  ],
  [
    atRisk <= TEXT_AT_RISK_BUDGET_MS,
    `a keystroke is at risk of a browser kill for ${atRisk.toFixed(1)} ms at p95 when typing at 40–80 ms per key (budget ≤ ${TEXT_AT_RISK_BUDGET_MS} ms)`,
  ],
  [school.ratioToRawRead <= BUDGET.dashboardRatio, dashboardLine('school', school)],
  [board.ratioToRawRead <= BUDGET.dashboardRatio, dashboardLine('board', board)],
  [preview.ratio <= BUDGET.previewRatio, `${previewLine(preview)} (budget ≤ ${BUDGET.previewRatio}×)`],
  [
    bundle.initialJsGzipKb <= BUDGET.initialJsKb,
    `initial JavaScript ${bundle.initialJsGzipKb} KB gzipped (budget ≤ ${BUDGET.initialJsKb} KB; all JavaScript ${bundle.totalJsGzipKb} KB)`,
  ],
  [
    true,
    `Rasch estimation of the board (${rasch.teachers} teachers, ${rasch.items} items) in its worker: ${rasch.ms} ms`,
  ],
  [
    true,
    `a teacher's next steps on the board, in the page's worker: first call ${teacherSteps.firstMs} ms (main thread busy at most ${teacherSteps.firstLongestTaskMs} ms at a time), again with the same data ${teacherSteps.repeatMs} ms (${teacherSteps.repeatLongestTaskMs} ms)`,
  ],
  [
    true,
    `cold start without a network: ${coldStartOfflineMs} ms; JS heap after the board's leader page: ${heapMbBoard} MB`,
  ],
  ...(sync?.checks ?? []),
];
for (const [ok, text] of checks) console.log(`${ok === 'skipped' ? 'SKIPPED' : ok ? 'OK' : 'OVER BUDGET'}: ${text}`);
console.log(JSON.stringify(results));
// Exits here: the preview server (detached) would otherwise keep the bench waiting; the exit handler ends it.
process.exit(checks.every(([ok]) => ok !== false) ? 0 : 1);
