/**
 * "Nothing typed is ever lost, and 'Opgeslagen' means stored": each test reproduces a way text or a tap was lost
 * while the screen said it was saved. Delays such as "reload 50 ms after the last key" are the scenario itself,
 * timed inside the page; the tests never sleep to wait for the app, they wait for what the screen shows.
 */
import { expect, test, type Page } from '@playwright/test';
import { CapturePage } from './pages/capture-page';
import { startObservation, startWithDemoSchool } from './pages/school';
import { launchKillable, type KillableBrowser } from './support/killable-browser';

const DELAYS_MS = [0, 50, 200];

/** Lets `ms` pass on the page's own clock (the scenario's pause after the last key), then returns. */
async function afterMs(page: Page, ms: number) {
  if (ms > 0) await page.evaluate((wait) => new Promise((resolve) => setTimeout(resolve, wait)), ms);
}

/**
 * Lets `ms` pass on the page's own clock, or longer on a machine where storage is slow just then: as long as
 * `writes` raw IndexedDB puts take there at this moment (timed in a database of its own while the pause runs).
 * What a killed browser keeps is what reached IndexedDB, and how soon that is depends on the machine; a fixed pause
 * would judge a busy test machine rather than the app.
 */
async function afterMsOrWrites(page: Page, ms: number, writes: number) {
  await page.evaluate(
    async ({ wait, times }) => {
      const start = performance.now();
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('e2e-raw-write', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('writes');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const samples: number[] = [];
      for (let i = 0; i < 3; i++) {
        const began = performance.now();
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction('writes', 'readwrite');
          tx.objectStore('writes').put({ text: 'x'.repeat(200), at: Date.now() }, i);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
        samples.push(performance.now() - began);
      }
      db.close();
      const raw = samples.sort((a, b) => a - b)[1]!;
      const until = start + Math.max(wait, times * raw);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - performance.now())));
    },
    { wait: ms, times: writes },
  );
}

/** Reloads the page from inside it, `ms` after now, as a user's pull-to-refresh or a crash-and-restore would. */
async function reloadAfter(page: Page, ms: number) {
  const loaded = page.waitForEvent('load');
  await page.evaluate((wait) => {
    if (wait === 0) location.reload();
    else setTimeout(() => location.reload(), wait);
  }, ms);
  await loaded;
}

/**
 * Keeps IndexedDB's responses store busy from another connection, as a backup import or a slow disk would: every
 * write of a response waits in line until `ms` have passed (or, without `ms`, until the page goes).
 */
async function holdResponses(page: Page, ms?: number) {
  await page.evaluate(
    (hold) =>
      new Promise<void>((resolve) => {
        const open = indexedDB.open('meekijken-school');
        open.onsuccess = () => {
          const until = hold === undefined ? Infinity : performance.now() + hold;
          const store = open.result.transaction('responses', 'readwrite').objectStore('responses');
          const spin = () => {
            if (performance.now() < until) store.get('busy').onsuccess = spin;
          };
          spin();
          resolve();
        };
      }),
    ms,
  );
}

/** Slows the CPU like a cheap tablet, through the DevTools protocol. */
async function throttleCpu(page: Page, rate: number) {
  const session = await page.context().newCDPSession(page);
  await session.send('Emulation.setCPUThrottlingRate', { rate });
}

test.describe('nothing typed is lost', () => {
  test('evidence and a note typed 0, 50 and 200 ms before a reload are there after it', async ({ page }) => {
    await startWithDemoSchool(page);
    await startObservation(page);
    const capture = new CapturePage(page);
    for (const [i, ms] of DELAYS_MS.entries()) {
      const sentence = `Reload na ${ms} ms: de leerlingen helpen elkaar`;
      const field = await capture.evidence(capture.nthItem(i));
      await field.pressSequentially(sentence);
      await reloadAfter(page, ms);
      await expect(capture.evidenceField(capture.nthItem(i))).toHaveValue(sentence);
    }
    for (const ms of DELAYS_MS) {
      const sentence = `Notitie, reload na ${ms} ms`;
      await page.getByRole('button', { name: '+ Notitie' }).tap();
      await page.getByRole('dialog').getByLabel('Notitie', { exact: true }).pressSequentially(sentence);
      await reloadAfter(page, ms);
      await expect(page.locator('.notes-list')).toContainText(sentence);
    }
    await capture.expectSaved();
  });

  test('text typed 0, 50 and 200 ms before the tab is closed is there in a new tab', async ({ page, context }) => {
    await startWithDemoSchool(page);
    const url = await startObservation(page);
    let current = page;
    for (const [i, ms] of DELAYS_MS.entries()) {
      const capture = new CapturePage(current);
      const sentence = `Tab dicht na ${ms} ms: duidelijke uitleg`;
      await (await capture.evidence(capture.nthItem(i))).pressSequentially(sentence);
      await afterMs(current, ms);
      await current.close();
      current = await context.newPage();
      await current.goto(url);
      await expect(new CapturePage(current).evidenceField(new CapturePage(current).nthItem(i))).toHaveValue(sentence);
    }
  });

  test('the status says "Opslaan…" until IndexedDB holds the text, and a screen reader hears no keystrokes', async ({
    page,
  }) => {
    await startWithDemoSchool(page);
    await startObservation(page);
    const capture = new CapturePage(page);
    const item = capture.nthItem(0);
    const field = await capture.evidence(item);
    const key = `${capture.observationId()}:${await capture.itemId(item)}`;

    // Watches the status as a user sees it. Each time it says "stored", it notes what the field shows and reads
    // the evidence from IndexedDB: a read runs after every write already begun, so if the app's write had not even
    // started when it claimed "stored", the read returns older text.
    await page.evaluate((responseKey) => {
      const probe = {
        states: [] as string[],
        claims: [] as Array<Promise<{ shown: string; stored: string }>>,
        spoken: 0,
      };
      (window as unknown as { probe: typeof probe }).probe = probe;
      const visible = document.querySelector('.saved-state')!;
      const live = document.querySelector('.capture-bar [role="status"]')!;
      const textarea = document.querySelector<HTMLTextAreaElement>('.capture-item textarea')!;
      const stored = () =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open('meekijken-school');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const request = open.result.transaction('responses').objectStore('responses').get(responseKey);
            request.onsuccess = () => resolve((request.result as { evidence?: string } | undefined)?.evidence ?? '');
            request.onerror = () => reject(request.error);
          };
        });
      new MutationObserver(() => {
        const words = visible.textContent ?? '';
        const state = /Niet opgeslagen/.test(words)
          ? 'failed'
          : /Opslaan/.test(words)
            ? 'saving'
            : /Opgeslagen/.test(words)
              ? 'saved'
              : words;
        if (probe.states.at(-1) === state) return;
        probe.states.push(state);
        if (state === 'saved') {
          const shown = textarea.value;
          probe.claims.push(stored().then((value) => ({ shown, stored: value })));
        }
      }).observe(visible, { attributes: true, childList: true, subtree: true, characterData: true });
      new MutationObserver(() => probe.spoken++).observe(live, { childList: true, subtree: true, characterData: true });
    }, key);

    await throttleCpu(page, 6);
    const sentence = 'Geeft beurten aan stille kinderen';
    await field.pressSequentially(sentence);
    await capture.expectSaved();
    await throttleCpu(page, 1);

    const probe = await page.evaluate(async () => {
      const p = (
        window as unknown as {
          probe: { states: string[]; claims: Array<Promise<{ shown: string; stored: string }>>; spoken: number };
        }
      ).probe;
      return { states: p.states, claims: await Promise.all(p.claims), spoken: p.spoken };
    });
    expect(probe.states).toContain('saving');
    expect(probe.claims.length).toBeGreaterThan(0);
    // Typing only adds text: what is stored at a "stored" moment must hold at least what was on screen then.
    for (const claim of probe.claims)
      expect(claim.stored.startsWith(claim.shown), `claimed stored: "${claim.shown}", stored: "${claim.stored}"`).toBe(
        true,
      );
    expect(probe.claims.at(-1)?.stored).toBe(sentence);
    // Saving and saved again, once per keystroke, is not news: the live region stayed silent.
    expect(probe.spoken).toBe(0);
  });

  test('60 taps while writes fall behind, then an immediate reload: every field shows its last tap', async ({
    page,
  }) => {
    await startWithDemoSchool(page);
    await startObservation(page);
    const capture = new CapturePage(page);
    const item = capture.nthItem(0);
    // The controls of the first item (all on screen in both orientations): its ratings and its look-fors, so
    // taps on different fields of one record mix.
    const controls = [
      ...(await item.locator('.rating-buttons').first().getByRole('button').all()),
      ...(await item.locator('.look-for-toggle').all()),
    ];
    const centres = [];
    for (const control of controls) {
      const box = (await control.boundingBox())!;
      centres.push({ x: box.x + box.width / 2, y: box.y + box.height / 2 });
    }
    // What the page received and meant, noted as each tap arrives (sessionStorage survives the reload): a rating
    // sets its level, a look-for sets the opposite of what the screen showed.
    await page.evaluate(() => {
      document.addEventListener(
        'click',
        (event) => {
          const target = (event.target as Element).closest('.rating-button, .look-for-toggle');
          if (!target) return;
          const meant = JSON.parse(sessionStorage.getItem('meant') ?? '{}') as Record<string, string>;
          if (target.classList.contains('rating-button')) meant.rating = target.textContent?.trim() ?? '';
          else
            meant[`lookFor:${[...target.parentElement!.children].indexOf(target)}`] = String(
              target.getAttribute('aria-pressed') !== 'true',
            );
          sessionStorage.setItem('meant', JSON.stringify(meant));
        },
        true,
      );
    });
    // Storage falls behind: another connection holds the responses store busy (as a backup import or a slow disk
    // would) until the page goes, so every write waits in line. On a tablet slowed four times.
    await holdResponses(page);
    await throttleCpu(page, 4);
    for (let tap = 0; tap < 60; tap++) {
      const point = centres[(tap * 7) % centres.length]!;
      await page.touchscreen.tap(point.x, point.y);
    }
    // Nothing could be written yet, and the status does not pretend otherwise.
    await expect(capture.savedState).toHaveText(/Opslaan/);
    await page.reload();
    await throttleCpu(page, 1);
    const meant = await page.evaluate(
      () => JSON.parse(sessionStorage.getItem('meant') ?? '{}') as Record<string, string>,
    );
    expect(Object.keys(meant).length).toBeGreaterThan(3);
    const reloaded = capture.nthItem(0);
    await expect(
      reloaded.locator('.rating-buttons').first().getByRole('button', { name: meant.rating, exact: true }),
    ).toHaveAttribute('aria-pressed', 'true');
    for (const [field, on] of Object.entries(meant)) {
      if (field.startsWith('lookFor:'))
        await expect(capture.lookFor(reloaded, Number(field.slice(8))), field).toHaveAttribute('aria-pressed', on);
    }
  });

  test('a double tap on "Observatie afronden" completes once and changes nothing else', async ({ page }) => {
    await startWithDemoSchool(page);
    await startObservation(page);
    const capture = new CapturePage(page);
    await capture.rating(capture.nthItem(0), /^2/).tap();
    await capture.expectSaved();
    await page.getByRole('link', { name: 'Afronden' }).tap();
    const finish = page.getByRole('button', { name: 'Observatie afronden' });
    await finish.scrollIntoViewIfNeeded();
    const box = (await finish.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    // Two taps on one spot, the second as soon as the input allows: an impatient or shaky finger.
    await page.touchscreen.tap(x, y);
    await page.touchscreen.tap(x, y);

    await expect(page.getByRole('heading', { level: 1, name: /^Feedback voor / })).toBeVisible();
    await page.getByRole('link', { name: 'Naar het verslag' }).tap();
    await expect(page.locator('.stage-steps .current')).toContainText('Afgerond');
    // Nothing was changed after completion, and the one answer is as it was.
    await expect(page.getByText(/wijziging\(en\) na afronden/)).toHaveCount(0);
    await expect(page.locator('.summary-item').first()).toContainText('2 – In ontwikkeling');
    await expect(page.locator('.summary-look-fors')).toHaveCount(0);
    await page.reload();
    await expect(page.locator('.summary-item').first()).toContainText('2 – In ontwikkeling');
    await expect(page.getByText(/wijziging\(en\) na afronden/)).toHaveCount(0);
    await expect(page.locator('.summary-look-fors')).toHaveCount(0);
  });
});

test.describe('the browser killed mid-lesson', () => {
  // Finding the browser's process by its profile folder needs Linux's /proc.
  test.skip(process.platform !== 'linux', 'Linux only');

  let browser: KillableBrowser | undefined;
  test.afterEach(async () => {
    await browser?.context.close().catch(() => {});
  });

  test('keeps what the status called stored, while typing and right after a tap on a slow tablet', async ({
    baseURL,
  }, testInfo) => {
    test.setTimeout(120_000);
    const profile = testInfo.outputPath('profile');
    const options = { baseURL: baseURL!, viewport: { width: 1180, height: 820 } };
    browser = await launchKillable(profile, options);
    await startWithDemoSchool(browser.page);
    const url = await startObservation(browser.page);
    const reopen = async () => {
      await browser!.kill();
      browser = await launchKillable(profile, options);
      await browser.page.goto(url);
      return new CapturePage(browser.page);
    };

    // Killed the moment the status says stored.
    let capture = new CapturePage(browser.page);
    await (await capture.evidence(capture.nthItem(0))).pressSequentially('Wacht tot het stil is.');
    await capture.expectSaved();
    capture = await reopen();
    await expect(capture.evidenceField(capture.nthItem(0))).toHaveValue('Wacht tot het stil is.');

    // Killed 200 ms after the last key, whatever the status says (or, where storage is slow just then, after the
    // time of ten raw writes: the write in flight and the one of the last key, with room to spare).
    await capture.evidenceField(capture.nthItem(0)).pressSequentially(' Dan pas uitleg.');
    await afterMsOrWrites(capture.page, 200, 10);
    capture = await reopen();
    await expect(capture.evidenceField(capture.nthItem(0))).toHaveValue('Wacht tot het stil is. Dan pas uitleg.');

    // A slow tablet: the tap may show before it is stored, but the status only says stored once it is.
    await throttleCpu(capture.page, 6);
    // Killed in the same moment the tap shows as chosen with the status saying stored, noticed by the page itself
    // (a mutation observer set up before the tap), not by polling from outside.
    const moment = capture.page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const check = () => {
            const chosen = document
              .querySelectorAll('.capture-domain > .capture-item')[1]
              ?.querySelector('.rating-button[aria-pressed="true"]');
            if (
              chosen?.textContent?.trim().startsWith('3') &&
              /Opgeslagen/.test(document.querySelector('.saved-state')?.textContent ?? '')
            )
              resolve();
          };
          new MutationObserver(check).observe(document.body, {
            subtree: true,
            childList: true,
            attributes: true,
            characterData: true,
          });
        }),
    );
    // The write takes longer than the tap takes to show: storage is busy for a second (another connection holds it).
    await holdResponses(capture.page, 1000);
    await capture.rating(capture.nthItem(1), /^3/).tap();
    await moment;
    capture = await reopen();
    await expect(capture.rating(capture.nthItem(1), /^3/)).toHaveAttribute('aria-pressed', 'true');
  });
});
