/**
 * `npm run lighthouse`: Lighthouse's mobile profile (a mid-range phone on a slow 4G connection, simulated) on five
 * screens of the production build, served by the school server as `npm start` serves it: the first screen of a new
 * device, a teacher's home, the capture screen, a report and the leader's team page. The targets: performance at
 * least 0.90, accessibility and best practices 1.00, layout shift (CLS) at most 0.05. Prints a table (and, with
 * MEEKIJKEN_LIGHTHOUSE_OUT, the figures as JSON to that file; with MEEKIJKEN_LIGHTHOUSE_REPORTS, each screen's whole
 * report into that folder) and exits 1 when a target is missed.
 *
 * The first screen is measured cold (nothing stored, no service worker); the others as a teacher meets them on a
 * tablet in use: the demo school loaded, the service worker installed. Lighthouse leaves the stored data in place
 * for those (`disableStorageReset`), and the page is prepared in the same browser through Playwright over CDP.
 *
 * Like `npm run bench`, run it on a quiet machine: Lighthouse's simulation scales what it measures on this CPU.
 * Lighthouse's mobile profile slows the CPU down 4× and is meant for a high-end desktop (its CPU benchmark index
 * around 1,750); on a faster or slower machine the same 4× models a faster or slower phone. So the script first
 * measures this machine's index and slows it down by as much as it takes to model the same phone everywhere
 * (4 × index / 1,750; LIGHTHOUSE_CPU_SLOWDOWN sets it by hand).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import * as constants from 'lighthouse/core/config/constants.js';
import { chromiumPath } from '../e2e/support/chromium';

const PORT = Number(process.env.LIGHTHOUSE_PORT ?? 4193);
const BASE = `http://localhost:${PORT}`;
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const TARGET = { performance: 0.9, accessibility: 1, bestPractices: 1, cls: 0.05 };
/** Lighthouse's CPU slowdown for mobile, and the benchmark index of the machine it is meant for. */
const LIGHTHOUSE_SLOWDOWN = 4;
const REFERENCE_BENCHMARK_INDEX = 1750;

if (!process.env.LIGHTHOUSE_SKIP_BUILD) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
const dataDir = mkdtempSync(path.join(tmpdir(), 'meekijken-lighthouse-'));
const server = spawn('node', ['dist-server/main.js'], {
  cwd: ROOT,
  env: { ...process.env, PORT: String(PORT), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  stdio: 'ignore',
  detached: true,
});
/** The browser Lighthouse drives, once started (killed with the script, however it ends). */
const running: { chrome?: chromeLauncher.LaunchedChrome } = {};
process.on('exit', () => {
  try {
    if (server.pid) process.kill(-server.pid);
  } catch {
    // the server has already gone
  }
  void running.chrome?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function waitForServer() {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      if ((await fetch(`${BASE}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`The school server did not start on ${BASE}`);
}
await waitForServer();

const chrome = await chromeLauncher.launch({
  ...(chromiumPath ? { chromePath: chromiumPath } : {}),
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
running.chrome = chrome;

interface Figures {
  screen: string;
  performance: number;
  accessibility: number;
  bestPractices: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  failedAudits: string[];
  /** The elements that moved most, when the layout shifted more than the target allows. */
  shifted: string[];
  /** Lighthouse's measure of this machine's CPU (see `cpuSlowdown`). */
  benchmarkIndex: number;
}

/** How much Lighthouse slows this machine's CPU down (see above); set once measured. */
let cpuSlowdownMultiplier = LIGHTHOUSE_SLOWDOWN;

async function audit(screen: string, url: string, keepStorage: boolean): Promise<Figures> {
  const result = await lighthouse(url, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility', 'best-practices'],
    disableStorageReset: keepStorage,
    throttling: { ...constants.throttling.mobileSlow4G, cpuSlowdownMultiplier },
  });
  if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
  // The whole report of each screen, to see which tasks block (open it in Lighthouse's viewer).
  if (process.env.MEEKIJKEN_LIGHTHOUSE_REPORTS)
    writeFileSync(
      path.join(process.env.MEEKIJKEN_LIGHTHOUSE_REPORTS, `${screen.replace(/[^a-z]+/gi, '-')}.json`),
      JSON.stringify(result.lhr),
    );
  const { categories, audits } = result.lhr;
  const numeric = (id: string) => audits[id]?.numericValue ?? Number.NaN;
  // The audits behind a score under 1 in accessibility and best practices, to fix rather than to read about.
  const failedAudits = ['accessibility', 'best-practices'].flatMap((category) =>
    (categories[category]?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0 && (audits[ref.id]?.score ?? 1) < 1)
      .map((ref) => `${category}: ${ref.id}`),
  );
  type ShiftItem = { node?: { selector?: string; snippet?: string }; score?: number };
  const shiftItems = ((audits['layout-shifts']?.details as { items?: ShiftItem[] } | undefined)?.items ?? []).slice(
    0,
    5,
  );
  const shifted =
    numeric('cumulative-layout-shift') > TARGET.cls
      ? shiftItems.map((item) => `${(item.score ?? 0).toFixed(3)} ${item.node?.selector ?? item.node?.snippet ?? '?'}`)
      : [];
  return {
    screen,
    shifted,
    performance: categories.performance?.score ?? 0,
    accessibility: categories.accessibility?.score ?? 0,
    bestPractices: categories['best-practices']?.score ?? 0,
    fcpMs: numeric('first-contentful-paint'),
    lcpMs: numeric('largest-contentful-paint'),
    tbtMs: numeric('total-blocking-time'),
    cls: numeric('cumulative-layout-shift'),
    failedAudits,
    benchmarkIndex: result.lhr.environment.benchmarkIndex,
  };
}

// This machine's CPU, measured by Lighthouse itself: the median of three runs that also warm up the server.
const indexes: number[] = [];
for (let run = 0; run < 3; run++) indexes.push((await audit('calibration', `${BASE}/`, false)).benchmarkIndex);
const benchmarkIndex = indexes.sort((a, b) => a - b)[1]!;
cpuSlowdownMultiplier = process.env.LIGHTHOUSE_CPU_SLOWDOWN
  ? Number(process.env.LIGHTHOUSE_CPU_SLOWDOWN)
  : Math.max(1, Math.round(((LIGHTHOUSE_SLOWDOWN * benchmarkIndex) / REFERENCE_BENCHMARK_INDEX) * 10) / 10);
console.log(`CPU benchmark index ${Math.round(benchmarkIndex)}: CPU slowed down ${cpuSlowdownMultiplier}×`);

const figures: Figures[] = [];
figures.push(await audit('first screen (cold)', `${BASE}/`, false));

// A tablet in use: the demo school, a teacher, an observation under way, a report to read; then the leader.
const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
const page = await browser.contexts()[0]!.newPage();
await page.setViewportSize({ width: 820, height: 1180 });
await page.goto(`${BASE}/`);
await page.getByRole('button', { name: 'Demoschool laden' }).click();
await page.locator('.person-button').first().click();
await page.getByRole('heading', { level: 1, name: /^Hallo / }).waitFor();
await page.evaluate(() => navigator.serviceWorker.ready);
const report = await page.locator('.todo-list a[href$="/report"]').first().getAttribute('href');
await page.getByRole('link', { name: 'Nieuwe observatie' }).click();
await page.getByLabel('Bij wie kijk je mee?').selectOption({ index: 1 });
await page.getByRole('button', { name: 'Start de observatie' }).click();
await page.locator('.capture-item').first().waitFor();
const capture = new URL(page.url()).pathname;
await page.goto('about:blank');

figures.push(await audit("a teacher's home", `${BASE}/`, true));
figures.push(await audit('capture', `${BASE}${capture}`, true));
if (report) figures.push(await audit('a report', `${BASE}${report}`, true));

await page.goto(`${BASE}/who`);
await page.locator('.person-button', { hasText: 'Schoolleider' }).first().click();
await page.getByRole('heading', { level: 1, name: 'Waar groeit het team?' }).waitFor();
await page.goto('about:blank');
figures.push(await audit("the leader's team page", `${BASE}/`, true));
await browser.close();

const missed = figures.flatMap((f) => [
  ...(f.performance < TARGET.performance ? [`${f.screen}: performance ${f.performance}`] : []),
  ...(f.accessibility < TARGET.accessibility ? [`${f.screen}: accessibility ${f.accessibility}`] : []),
  ...(f.bestPractices < TARGET.bestPractices ? [`${f.screen}: best practices ${f.bestPractices}`] : []),
  ...(f.cls > TARGET.cls ? [`${f.screen}: CLS ${f.cls.toFixed(3)}`] : []),
]);
const ms = (value: number) => `${Math.round(value).toLocaleString('en')} ms`;
console.table(
  figures.map((f) => ({
    screen: f.screen,
    performance: f.performance,
    accessibility: f.accessibility,
    'best practices': f.bestPractices,
    FCP: ms(f.fcpMs),
    LCP: ms(f.lcpMs),
    TBT: ms(f.tbtMs),
    CLS: f.cls.toFixed(3),
  })),
);
for (const f of figures) for (const failed of f.failedAudits) console.log(`${f.screen}: ${failed}`);
for (const f of figures) for (const moved of f.shifted) console.log(`${f.screen}: moved ${moved}`);
if (!report) missed.push('a report: the demo teacher had no report to open');
if (process.env.MEEKIJKEN_LIGHTHOUSE_OUT) writeFileSync(process.env.MEEKIJKEN_LIGHTHOUSE_OUT, JSON.stringify(figures));
for (const line of missed) console.log(`missed: ${line}`);
process.exit(missed.length > 0 ? 1 : 0);
