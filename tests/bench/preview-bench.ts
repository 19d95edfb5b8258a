/**
 * Checking and previewing an instrument file of 4 MB (1,200 items with long guidance) on the check screen: the
 * longest task of the page's main thread while the file is picked, checked and its whole preview drawn, as a ratio
 * to the same file picked the same way on a plain page that only reads and parses it (`file.text()`, `JSON.parse`):
 * the least any page must do to hold such a file. Both are CPU time from Chromium's trace, in the same browser, so a
 * core shared with another process does not count and a slower machine is slower for both. Reading, decoding and
 * validating happen in a worker, the instrument comes back in parts, and the preview is drawn a few cards a frame.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import { bigInstrument } from '../e2e/support/big-instrument';
import { longestMainThreadTask } from './main-thread';

const RUNS = 5;

const PLAIN_PAGE = `<!doctype html><html lang="en"><title>plain</title><input type="file"><script>
const input = document.querySelector('input');
input.addEventListener('change', async () => {
  window.held = JSON.parse(await input.files[0].text());
  document.body.dataset.done = 'true';
});
</script></html>`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export interface PreviewFigures {
  /** The longest main-thread task while the file is checked and its whole preview drawn (median of the runs). */
  longestTaskMs: number;
  /** The same on a plain page that reads and parses the file (median of the runs). */
  plainPageMs: number;
  ratio: number;
  /** The worker's longest task: the check itself (median). */
  workerMs: number;
  runs: number[];
  plainRuns: number[];
}

export async function previewBench(browser: Browser, base: string): Promise<PreviewFigures> {
  const file = bigInstrument('valid');
  const onDisk = path.join(tmpdir(), `meekijken-bench-${file.name}`);
  writeFileSync(onDisk, file.buffer);
  const context = await browser.newContext({
    viewport: { width: 1180, height: 820 },
    hasTouch: true,
    isMobile: true,
    deviceScaleFactor: 2,
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  /** Picks the file on `input` while tracing, until `done` holds in the page; the first run is a warm-up. */
  const measure = async (open: () => Promise<void>, done: () => boolean) => {
    const longest: number[] = [];
    const workers: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      await open();
      const input = page.locator('input[type="file"]');
      await input.waitFor({ state: 'attached' });
      const measured = await longestMainThreadTask(browser, page, async () => {
        await input.setInputFiles(onDisk);
        // Plain selectors a few times a second: finding elements by role walks the page in its own thread.
        await page.waitForFunction(done, undefined, { polling: 500, timeout: 120_000 });
        await page.evaluate(
          () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
        );
      });
      // The first run loads and compiles the page's code (and the worker's): not counted.
      if (run > 0) {
        longest.push(measured.cpuMs);
        workers.push(measured.workerCpuMs);
      }
    }
    return { longest, workers };
  };
  // A page of the same origin with nothing but a file input, served by the test itself.
  await page.route(`${base}/bench-plain-page`, (route) =>
    route.fulfill({ contentType: 'text/html', body: PLAIN_PAGE }),
  );
  try {
    const app = await measure(
      () => page.goto(`${base}/check-instrument`).then(() => undefined),
      () => document.querySelectorAll('main article.item-card').length === 1_200,
    );
    const plain = await measure(
      async () => {
        await page.goto(`${base}/bench-plain-page`);
      },
      () => document.body.dataset.done === 'true',
    );
    const longestTaskMs = median(app.longest);
    const plainPageMs = median(plain.longest);
    return {
      longestTaskMs,
      plainPageMs,
      ratio: Math.round((longestTaskMs / plainPageMs) * 100) / 100,
      workerMs: median(app.workers),
      runs: app.longest,
      plainRuns: plain.longest,
    };
  } finally {
    await context.close();
  }
}
