import { expect, test } from '@playwright/test';
import { CapturePage } from './pages/capture-page';
import { CompletePage } from './pages/complete-page';
import { startObservation, startWithDemoSchool } from './pages/school';

test.describe('observing a lesson', () => {
  test('keeps every tap and every word through a reload and through closing the page', async ({ page, context }) => {
    await startWithDemoSchool(page);
    const url = await startObservation(page);
    const capture = new CapturePage(page);

    await page.getByRole('button', { name: 'Start les' }).tap();
    await expect(page.getByRole('button', { name: 'Pauze' })).toBeVisible();

    const first = capture.nthItem(0);
    const second = capture.nthItem(1);
    await capture.rating(first, /^3/).tap();
    await capture.rating(second, /Niet gezien/).tap();
    await capture.lookFor(first, 0).tap();
    await capture.lookFor(first, 2).tap();
    await first.getByRole('button', { name: /Toelichting bij/ }).tap();
    await first
      .getByRole('textbox', { name: 'Toelichting', exact: true })
      .fill('Corrigeert rustig bij de deur, zonder publiek.');

    await page.getByRole('button', { name: '+ Notitie' }).tap();
    const sheet = page.getByRole('dialog');
    await sheet.getByLabel('Notitie', { exact: true }).fill('Start verloopt rommelig, materiaal ligt niet klaar.');
    await sheet.getByLabel('Bij item').selectOption({ index: 1 });
    await sheet.getByRole('button', { name: 'Klaar' }).tap();
    await expect(sheet).toBeHidden();

    // Move to another domain: the observer resumes here.
    await capture.domainTab(/Klassenmanagement/).tap();
    await capture.rating(capture.nthItem(0), /^2/).tap();
    await capture.expectSaved();

    const check = async () => {
      await expect(capture.domainTab(/Klassenmanagement/)).toHaveAttribute('aria-current', 'step');
      await expect(capture.rating(capture.nthItem(0), /^2/)).toHaveAttribute('aria-pressed', 'true');
      await capture.domainTab(/Leerklimaat/).tap();
      await expect(capture.rating(capture.nthItem(0), /^3/)).toHaveAttribute('aria-pressed', 'true');
      await expect(capture.rating(capture.nthItem(1), /Niet gezien/)).toHaveAttribute('aria-pressed', 'true');
      await expect(capture.lookFor(capture.nthItem(0), 0)).toHaveAttribute('aria-pressed', 'true');
      await expect(capture.lookFor(capture.nthItem(0), 1)).toHaveAttribute('aria-pressed', 'false');
      await expect(capture.lookFor(capture.nthItem(0), 2)).toHaveAttribute('aria-pressed', 'true');
      await expect(capture.nthItem(0).getByRole('textbox', { name: 'Toelichting', exact: true })).toHaveValue(
        'Corrigeert rustig bij de deur, zonder publiek.',
      );
      await expect(page.locator('.notes-list')).toContainText('Start verloopt rommelig, materiaal ligt niet klaar.');
      await expect(page.getByRole('button', { name: 'Pauze' })).toBeVisible();
      await expect(capture.main.getByLabel('3 van 31 beantwoord')).toBeVisible();
    };

    await page.reload();
    await check();
    await capture.domainTab(/Klassenmanagement/).tap();

    // The tab is closed (battery, browser quit) and the app is opened again.
    await page.close();
    const again = await context.newPage();
    await again.goto(url);
    const resumed = new CapturePage(again);
    await expect(resumed.nthItem(0)).toBeVisible();
    Object.assign(capture, resumed);
    Object.assign(capture, { page: again, main: again.getByRole('main'), savedState: again.locator('.saved-state') });
    page = again;
    await check();
  });

  test('saves text typed just before the page is hidden', async ({ page }) => {
    await startWithDemoSchool(page);
    await startObservation(page);
    const capture = new CapturePage(page);
    const first = capture.nthItem(0);
    await first.getByRole('button', { name: /Toelichting bij/ }).tap();
    const evidence = first.getByRole('textbox', { name: 'Toelichting', exact: true });
    await evidence.pressSequentially('Laatste woorden');
    // No blur, no pause in typing: the page is hidden right away (the tablet locks).
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await capture.expectSaved();
    await page.reload();
    // The text box by its own name: until the responses are read, only the button that opens it ("Toelichting bij …")
    // is there, and a label search would find that.
    await expect(capture.nthItem(0).getByRole('textbox', { name: 'Toelichting', exact: true })).toHaveValue(
      'Laatste woorden',
    );
  });

  test('shows a failed write loudly, keeps what was entered, and saves it on retry', async ({ page }) => {
    await startWithDemoSchool(page);
    await startObservation(page);
    const capture = new CapturePage(page);

    // The storage refuses writes, as when the device is full.
    await page.evaluate(() => {
      const original = IDBObjectStore.prototype.put;
      (window as unknown as { restorePut: () => void }).restorePut = () => (IDBObjectStore.prototype.put = original);
      IDBObjectStore.prototype.put = function () {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    const first = capture.nthItem(0);
    // Two taps on the same item while failing: the retry must leave the latest one, not the first.
    await capture.rating(first, /^3/).tap();
    await capture.rating(first, /^4/).tap();
    await first.getByRole('button', { name: /Toelichting bij/ }).tap();
    await first.getByRole('textbox', { name: 'Toelichting', exact: true }).fill('Mooi voorbeeld van hulp vragen');
    await first.getByRole('textbox', { name: 'Toelichting', exact: true }).blur();
    // A note typed and closed while failing is saved by the retry, after its sheet is gone.
    await page.getByRole('button', { name: '+ Notitie' }).tap();
    await page.getByRole('dialog').getByLabel('Notitie', { exact: true }).fill('Notitie tijdens een volle opslag');
    await page.getByRole('dialog').getByRole('button', { name: 'Klaar' }).tap();

    const alert = page.getByRole('alert').filter({ hasText: 'Opslaan is mislukt' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText('De opslag van dit apparaat is vol');
    await expect(capture.savedState).toHaveText('Niet opgeslagen — opnieuw');
    await expect(capture.rating(first, /^4/)).toHaveAttribute('aria-pressed', 'true');
    await expect(first.getByRole('textbox', { name: 'Toelichting', exact: true })).toHaveValue(
      'Mooi voorbeeld van hulp vragen',
    );

    await page.evaluate(() => (window as unknown as { restorePut: () => void }).restorePut());
    await alert.getByRole('button', { name: 'Opnieuw opslaan' }).tap();
    await expect(alert).toBeHidden();
    await capture.expectSaved();

    await expect(capture.rating(first, /^4/)).toHaveAttribute('aria-pressed', 'true');
    await expect(capture.rating(first, /^3/)).toHaveAttribute('aria-pressed', 'false');

    await page.reload();
    await expect(capture.rating(capture.nthItem(0), /^4/)).toHaveAttribute('aria-pressed', 'true');
    await expect(capture.rating(capture.nthItem(0), /^3/)).toHaveAttribute('aria-pressed', 'false');
    await expect(capture.nthItem(0).getByRole('textbox', { name: 'Toelichting', exact: true })).toHaveValue(
      'Mooi voorbeeld van hulp vragen',
    );
    await expect(page.locator('.notes-list')).toContainText('Notitie tijdens een volle opslag');
  });

  test('two tabs on one observation keep each other current', async ({ page, context }) => {
    await startWithDemoSchool(page);
    const url = await startObservation(page);
    const other = await context.newPage();
    await other.goto(url);
    const a = new CapturePage(page);
    const b = new CapturePage(other);
    await expect(b.nthItem(0)).toBeVisible();

    await a.rating(a.nthItem(0), /^2/).tap();
    await expect(b.rating(b.nthItem(0), /^2/)).toHaveAttribute('aria-pressed', 'true');
    await b.lookFor(b.nthItem(0), 1).tap();
    await b.rating(b.nthItem(1), /^4/).tap();
    await expect(a.lookFor(a.nthItem(0), 1)).toHaveAttribute('aria-pressed', 'true');
    await expect(a.rating(a.nthItem(1), /^4/)).toHaveAttribute('aria-pressed', 'true');
    // Both changed the same item: neither change is lost.
    await a.lookFor(a.nthItem(0), 0).tap();
    await expect(b.lookFor(b.nthItem(0), 0)).toHaveAttribute('aria-pressed', 'true');
    await expect(b.lookFor(b.nthItem(0), 1)).toHaveAttribute('aria-pressed', 'true');
    await expect(b.rating(b.nthItem(0), /^2/)).toHaveAttribute('aria-pressed', 'true');
  });

  test('prompts for a snapshot at the scheduled minute', async ({ page }) => {
    await page.clock.install();
    await startWithDemoSchool(page);
    await startObservation(page, /Betrokkenheid/);
    const capture = new CapturePage(page);
    await page.getByRole('button', { name: 'Start les' }).tap();
    await expect(page.getByRole('button', { name: /Momentopname minuut/ })).toHaveCount(0);

    await page.clock.fastForward('05:01');
    const prompt = page.getByRole('button', { name: 'Momentopname minuut 5: nu invullen' });
    await expect(prompt).toBeVisible();
    await expect(capture.clock).toHaveText(/^05:\d\d$/);
    await prompt.tap();
    const snapshot = page.locator('#snapshot-5');
    await expect(snapshot).toHaveClass(/due/);
    // Nothing entered yet: the count is empty, not "0 · Betrokkenheid hoog", and both fields are still to do.
    const count = snapshot.locator('.counter-value');
    await expect(count).toHaveText(/^–\s*nog niet ingevuld$/);
    await expect(snapshot.locator('.band')).toHaveCount(0);
    await expect(capture.main.getByLabel('0 van 2 beantwoord')).toBeVisible();
    await snapshot.getByRole('button', { name: /één meer/ }).tap();
    await snapshot.getByRole('button', { name: /één meer/ }).tap();
    await expect(count).toHaveText('2');
    await expect(snapshot.locator('.band')).toHaveText(/gemiddeld/i);
    // Half a snapshot is half done: it stays due.
    await expect(snapshot).toContainText('1 van 2 ingevuld');
    await expect(capture.main.getByLabel('1 van 2 beantwoord')).toBeVisible();
    await expect(prompt).toBeVisible();
    await snapshot.getByRole('button', { name: /Zelfstandig/ }).tap();
    await expect(prompt).toBeHidden();
    await expect(snapshot).toContainText('✓ ingevuld');
    await expect(capture.main.getByLabel('2 van 2 beantwoord')).toBeVisible();

    // Nobody off task is an answer too: "0 invullen" enters it.
    await page.clock.fastForward('05:00');
    const ten = page.locator('#snapshot-10');
    await expect(ten).toHaveClass(/due/);
    await ten.getByRole('button', { name: '0 invullen' }).tap();
    await expect(ten.locator('.counter-value')).toHaveText('0');
    await expect(ten.locator('.band')).toHaveText(/hoog/i);
    await expect(ten.getByRole('button', { name: '0 invullen' })).toHaveCount(0);
    await expect(capture.main.getByLabel('3 van 4 beantwoord')).toBeVisible();
  });

  test('completes with a summary of what is open, then records later changes with their time', async ({ page }) => {
    await startWithDemoSchool(page);
    const path = new URL(await startObservation(page)).pathname;
    const capture = new CapturePage(page);
    await capture.rating(capture.nthItem(0), /^3/).tap();
    await capture.expectSaved();
    await page.getByRole('link', { name: 'Afronden' }).tap();
    await expect(page.getByRole('heading', { level: 1, name: 'Observatie afronden' })).toBeVisible();
    await expect(page.getByText('1 van 31 beantwoord', { exact: false })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Nog niet beantwoord' })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: 'persoonlijk contact' })).toBeVisible();
    await page.getByRole('button', { name: 'Observatie afronden' }).tap();

    // Straight on to writing feedback; the report is read only: changing a completed observation is a separate,
    // deliberate step, recorded with its time.
    await expect(page.getByRole('heading', { level: 1, name: /^Feedback voor / })).toBeVisible();
    await page.getByRole('link', { name: 'Naar het verslag' }).tap();
    await expect(page.getByRole('heading', { level: 1, name: /^Lesobservatie bij / })).toBeVisible();
    await expect(page.locator('.stage-steps .current')).toContainText('Afgerond');
    await expect(page.getByRole('button', { name: 'Start les' })).toHaveCount(0);
    await expect(page.locator('.rating-button')).toHaveCount(0);
    await expect(page.locator('.summary-item').first()).toContainText('3 – Voldoende');
    await page.getByRole('link', { name: 'Observatie aanpassen' }).tap();
    await capture.rating(capture.nthItem(0), /^4/).tap();
    await expect(page.getByText('1 wijziging(en) na afronden.')).toBeVisible();
    await page.getByRole('link', { name: 'Klaar met aanpassen' }).tap();
    await expect(page.locator('.summary-item').first()).toContainText('4 – Sterk');
    await expect(page.getByText('1 wijziging(en) na afronden.')).toBeVisible();

    await page.getByRole('banner').getByRole('link', { name: 'Start', exact: true }).tap();
    const given = page.getByRole('region', { name: 'Feedback die ik gaf' }).locator(`a[href="${path}/feedback"]`);
    await expect(given).toContainText('Schrijf je feedback en draag hem over');
    await expect(page.getByRole('region', { name: 'Verder met observeren' }).locator(`a[href="${path}"]`)).toHaveCount(
      0,
    );
  });

  test(
    'the completion screen links each open item to its place, and keeps "Observatie afronden" in view',
    { tag: '@layout' },
    async ({ page }) => {
      await startWithDemoSchool(page);
      await startObservation(page);
      const capture = new CapturePage(page);
      await capture.rating(capture.nthItem(0), /^3/).tap();
      await capture.expectSaved();
      await page.getByRole('link', { name: 'Afronden' }).tap();
      const complete = new CompletePage(page);
      await complete.expectShown();
      await expect(complete.openItems).toHaveCount(30);

      // A long list: completing stays one tap away at its top, in its middle and at its end.
      await expect(complete.confirm).toBeInViewport({ ratio: 1 });
      for (const n of [15, 29]) {
        await complete.openItems.nth(n).scrollIntoViewIfNeeded();
        await expect(complete.confirm).toBeInViewport({ ratio: 1 });
      }
      // The keyboard reaches the button before the list; tabbing on down the list, no link hides under its bar.
      await page.getByRole('link', { name: /Terug naar de observatie/ }).focus();
      await page.keyboard.press('Tab');
      await expect(complete.confirm).toBeFocused();
      const tabbed = await capture.tabAndFindObscured('Tab', '.discard button', {
        top: '.app-header',
        bottom: '.complete-actions',
      });
      expect(tabbed.obscured).toEqual([]);
      expect(tabbed.visited.length).toBeGreaterThanOrEqual(30);

      // An open item in another domain: the link opens the capture screen on that domain, at that item.
      const link = complete.openItem('De leerkracht legt de leerstof helder uit');
      await expect(link).toContainText('3.1');
      await link.tap();
      const item = capture.item(/De leerkracht legt de leerstof helder uit/);
      await expect(item).toBeFocused();
      await expect(capture.domainTab(/Duidelijke instructie/)).toHaveAttribute('aria-current', 'step');
      await expect(item).toBeInViewport();
      const [heading, bar] = await Promise.all([
        item.getByRole('heading').first().boundingBox(),
        page.locator('.capture-bar').boundingBox(),
      ]);
      expect(heading!.y).toBeGreaterThanOrEqual(bar!.y + bar!.height);
      // The address loses the item: a reload opens where the observer is, which is remembered.
      await expect(page).toHaveURL(/\/observations\/[0-9a-f-]{36}$/);
      await capture.rating(item, /^4/).tap();
      await capture.expectSaved();
      await page.reload();
      await expect(capture.domainTab(/Duidelijke instructie/)).toHaveAttribute('aria-current', 'step');
      await expect(capture.rating(capture.item(/De leerkracht legt de leerstof helder uit/), /^4/)).toHaveAttribute(
        'aria-pressed',
        'true',
      );

      await page.getByRole('link', { name: 'Afronden' }).tap();
      await expect(complete.openItems).toHaveCount(29);
      await expect(complete.openItem('De leerkracht legt de leerstof helder uit')).toHaveCount(0);
    },
  );

  test('the completion screen names the snapshots still open', async ({ page }) => {
    await page.clock.install();
    await startWithDemoSchool(page);
    await startObservation(page, /Betrokkenheid/);
    await page.getByRole('button', { name: 'Start les' }).tap();
    await page.clock.fastForward('16:00');
    const ten = page.locator('#snapshot-10');
    await ten.getByRole('button', { name: '0 invullen' }).tap();
    await ten.getByRole('button', { name: /Zelfstandig/ }).tap();
    await expect(ten).toContainText('✓ ingevuld');
    await page.getByRole('link', { name: 'Afronden' }).tap();
    const complete = new CompletePage(page);
    await complete.expectShown();
    // Minutes 5, 10 and 15 were asked for, two fields each; minute 10 is complete.
    await expect(page.getByText('2 van 6 beantwoord')).toBeVisible();
    await expect(complete.openItems).toHaveCount(1);
    await expect(complete.openItems.first()).toContainText('nog open: minuut 5 en 15');
    await complete.openItems.first().tap();
    await expect(page.locator('#item-snapshot')).toBeFocused();
  });

  test('throws away a draft started by mistake', async ({ page }) => {
    await startWithDemoSchool(page);
    const path = new URL(await startObservation(page)).pathname;
    await page.getByRole('link', { name: 'Afronden' }).tap();
    await page.getByRole('button', { name: 'Dit concept weggooien' }).tap();
    await page.getByRole('button', { name: 'Ja, concept weggooien' }).tap();
    await expect(page.getByRole('heading', { level: 1, name: /^Hallo / })).toBeVisible();
    await expect(page.locator(`a[href="${path}"]`)).toHaveCount(0);
    await page.goto(path);
    await expect(page.getByText('Deze observatie bestaat niet (meer) op dit apparaat.')).toBeVisible();
  });

  test(
    'focus mode: while observing, the header offers only a deliberate way out',
    { tag: '@layout' },
    async ({ page }) => {
      await startWithDemoSchool(page);
      await startObservation(page);
      const capture = new CapturePage(page);
      // No menu, no language switch, no "who am I", and the mark is no link: one stray tap cannot leave the lesson.
      await expect(capture.header.getByRole('navigation')).toHaveCount(0);
      await expect(capture.header.getByRole('group', { name: 'Taal' })).toHaveCount(0);
      await expect(capture.header.getByRole('link')).toHaveCount(0);
      await expect(capture.header.getByRole('img', { name: 'Meekijken' })).toBeVisible();

      // "Sluiten" first says the work is kept; Escape or "Hier blijven" closes that and keeps the observer here.
      await capture.closeButton.tap();
      await expect(capture.closeButton).toHaveAttribute('aria-expanded', 'true');
      await expect(capture.header).toContainText('Alles wat je invult, wordt meteen op dit apparaat bewaard.');
      await capture.closeButton.focus();
      await page.keyboard.press('Escape');
      await expect(capture.header.getByRole('link', { name: 'Naar start' })).toHaveCount(0);
      await expect(capture.closeButton).toBeFocused();
      await capture.closeButton.tap();
      await capture.header.getByRole('button', { name: 'Hier blijven' }).tap();
      await expect(capture.closeButton).toHaveAttribute('aria-expanded', 'false');
      await expect(capture.closeButton).toBeFocused();

      // The completion step is part of observing too.
      await page.getByRole('link', { name: 'Afronden' }).tap();
      await expect(page.getByRole('heading', { level: 1, name: 'Observatie afronden' })).toBeVisible();
      await expect(capture.header.getByRole('navigation')).toHaveCount(0);
      await expect(capture.closeButton).toBeVisible();

      // Leaving on purpose: the menu and the language switch are back.
      await capture.leave();
      await expect(capture.header.getByRole('navigation', { name: 'Hoofdmenu' })).toBeVisible();
      await expect(capture.header.getByRole('group', { name: 'Taal' })).toBeVisible();
    },
  );

  test('opened by its address, a lesson under way has the observing header from the first frame: nothing moves when the screen arrives', async ({
    page,
  }) => {
    await startWithDemoSchool(page);
    const path = new URL(await startObservation(page)).pathname;
    const capture = new CapturePage(page);
    // The screens' chunks held back, as on a slow network or a cold start: the header must not wait for them.
    const held: Array<() => void> = [];
    await page.route(/\/assets\/(capture|complete)-screen-[^/]+\.js$/, async (route) => {
      await new Promise<void>((release) => held.push(release));
      await route.continue();
    });
    for (const [address, shown] of [
      [path, page.locator('.capture-item').first()],
      [`${path}/complete`, page.getByRole('heading', { level: 1, name: 'Observatie afronden' })],
    ] as const) {
      await page.goto(address);
      await expect(page.locator('main [role="status"]', { hasText: 'Laden' })).toBeVisible();
      await expect(capture.closeButton).toBeVisible();
      await expect(capture.header.getByRole('navigation')).toHaveCount(0);
      const top = await page.locator('main').evaluate((main) => main.getBoundingClientRect().top);
      await expect.poll(() => held.length).toBeGreaterThan(0);
      for (const release of held.splice(0)) release();
      await expect(shown).toBeVisible();
      await expect(capture.closeButton).toBeVisible();
      expect(await page.locator('main').evaluate((main) => main.getBoundingClientRect().top)).toBe(top);
    }
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  });

  test('a note opens as a modal dialog: focus inside, Tab stays inside, Escape closes it and returns focus', async ({
    page,
  }) => {
    await startWithDemoSchool(page);
    await startObservation(page);
    const capture = new CapturePage(page);
    const noteButton = page.getByRole('button', { name: '+ Notitie' });
    await noteButton.tap();
    const sheet = page.getByRole('dialog', { name: /^Notitie om/ });
    const text = sheet.getByRole('textbox', { name: 'Notitie' });
    const about = sheet.getByRole('combobox', { name: 'Bij item' });
    const done = sheet.getByRole('button', { name: 'Klaar' });
    await expect(sheet).toBeVisible();
    await expect(text).toBeFocused();

    // Tab goes round inside the sheet, both ways; the page behind it is out of reach.
    await page.keyboard.press('Tab');
    await expect(about).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(done).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(text).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(done).toBeFocused();
    expect(await page.evaluate(() => document.querySelector('dialog.sheet')?.matches(':modal'))).toBe(true);
    const behind = await page.evaluate(() => {
      const finish = document.querySelector<HTMLElement>('.capture-actions .finish');
      finish?.focus();
      return document.activeElement === finish;
    });
    expect(behind).toBe(false);

    // Every keystroke is kept as it is typed; Escape closes the sheet and focus returns to "+ Notitie".
    await text.focus();
    await page.keyboard.type('Rustige start');
    await page.keyboard.press('Escape');
    await expect(sheet).toBeHidden();
    await expect(noteButton).toBeFocused();
    await capture.expectSaved();
    const row = page.locator('.notes-list').getByRole('button', { name: /Rustige start/ });
    await expect(row).toBeVisible();

    // Opened from its row, the note closes back onto that row; a tap beside the sheet closes it too.
    await row.tap();
    await expect(text).toHaveValue('Rustige start');
    await expect(text).toBeFocused();
    await page.keyboard.type(', iedereen zit');
    await page.keyboard.press('Escape');
    await expect(sheet).toBeHidden();
    await expect(row).toBeFocused();
    await expect(row).toContainText('Rustige start, iedereen zit');
    await row.tap();
    await expect(sheet).toBeVisible();
    await page.touchscreen.tap(20, 20);
    await expect(sheet).toBeHidden();
    await expect(row).toBeFocused();
    await page.reload();
    await expect(page.locator('.notes-list')).toContainText('Rustige start, iedereen zit');
  });

  test(
    'keeps every control that gets keyboard focus clear of the bars at the top and the bottom',
    { tag: '@layout' },
    async ({ page }) => {
      await startWithDemoSchool(page);
      await startObservation(page);
      const capture = new CapturePage(page);
      const lastItem = capture.nthItem(-1);
      const lastControl = lastItem.getByRole('button', { name: /Toelichting bij/ });
      await expect(lastControl).toBeVisible();
      await capture.domainTab(/Leerklimaat/).focus();

      // Down through the whole domain to the bottom bar: nothing focused sits under the bar.
      const down = await capture.tabAndFindObscured('Tab', '.capture-actions *');
      expect(down.obscured).toEqual([]);
      // (The domain tabs are one Tab stop: the arrow keys move between them.)
      expect(down.visited.length).toBeGreaterThan(30);
      // The last item's last control, the one right above the bar, in particular.
      await lastControl.focus();
      const [control, bar] = await Promise.all([
        lastControl.boundingBox(),
        page.locator('.capture-actions').boundingBox(),
      ]);
      expect(control!.y + control!.height).toBeLessThanOrEqual(bar!.y);

      // And back up again: nothing focused sits under the sticky header and capture bar.
      const up = await capture.tabAndFindObscured('Shift+Tab', '.domain-tab');
      expect(up.obscured).toEqual([]);
    },
  );
});

test.describe('feedback a teacher received', () => {
  test('cannot be changed by the observed teacher, not even through the amend address', async ({ page }) => {
    await startWithDemoSchool(page);
    const path = new URL(await startObservation(page)).pathname;
    const observedName = (await page.locator('.capture-who h1').textContent())?.trim() ?? '';
    const capture = new CapturePage(page);
    await capture.rating(capture.nthItem(0), /^3/).tap();
    await capture.expectSaved();
    await page.getByRole('link', { name: 'Afronden' }).tap();
    await page.getByRole('button', { name: 'Observatie afronden' }).tap();
    await expect(page.getByRole('heading', { level: 1, name: `Feedback voor ${observedName}` })).toBeVisible();

    // The observed colleague picks up the tablet and says who they are. Until the observer hands the feedback
    // over, the observation is not theirs to read; the form's address and the amend address lead to that message.
    await page.getByRole('link', { name: /op dit apparaat is dit .*Wisselen$/ }).tap();
    await page.locator('.person-button', { hasText: observedName }).first().tap();
    await expect(page.getByRole('heading', { level: 1, name: /^Hallo / })).toBeVisible();
    for (const address of [path, `${path}/amend`, `${path}/feedback`]) {
      await page.goto(address);
      await expect(
        page.getByRole('heading', {
          level: 1,
          name: /Je kunt deze observatie niet openen|Deze feedback schrijf jij niet/,
        }),
      ).toBeVisible();
      await expect(page.locator('.rating-button')).toHaveCount(0);
      await expect(page.locator('textarea')).toHaveCount(0);
    }
    // After handing over (the whole way to the conversation: feedback.spec.ts) the teacher reads it, still without controls.
  });
});

test.describe('a read that fails', () => {
  test('shows an error with "try again", not "not found" or an endless spinner', async ({ page }) => {
    await startWithDemoSchool(page);
    const path = new URL(await startObservation(page)).pathname;
    await new CapturePage(page).leave();
    // The home screen has read everything before the storage breaks.
    await expect(page.locator(`a[href="${path}"]`).first()).toBeVisible();
    // The browser's storage fails every read, as when it is blocked or broken.
    await page.evaluate(() => {
      const original = IDBObjectStore.prototype.get;
      (window as unknown as { restoreGet: () => void }).restoreGet = () => (IDBObjectStore.prototype.get = original);
      IDBObjectStore.prototype.get = function () {
        throw new DOMException('The storage is not available.', 'UnknownError');
      };
    });
    await page.locator(`a[href="${path}"]`).first().tap();
    const alert = page.getByRole('alert').filter({ hasText: 'Dit kon niet worden geladen' });
    await expect(alert).toBeVisible();
    await expect(page.getByText('Deze observatie bestaat niet (meer) op dit apparaat.')).toHaveCount(0);
    await page.evaluate(() => (window as unknown as { restoreGet: () => void }).restoreGet());
    await alert.getByRole('button').tap();
    await expect(new CapturePage(page).nthItem(0)).toBeVisible();
  });

  test('on the home and people screens too: an error with "try again", never empty lists', async ({ page }) => {
    // Dexie keeps a query's last result for 3 s after its screen closes; the test moves the clock past that instead
    // of waiting, so the screens below really read.
    await page.clock.install();
    await startWithDemoSchool(page);
    await page.clock.fastForward(5000);
    await failReadsOf(page, 'teams');
    await page.getByRole('banner').getByRole('link', { name: 'Collega’s' }).tap();
    await expect(page.getByRole('heading', { level: 1, name: 'Collega’s en teams' })).toBeVisible();
    let alert = page.getByRole('alert').filter({ hasText: 'Dit kon niet worden geladen' });
    await expect(alert).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Teams' })).toHaveCount(0);
    await restoreReads(page);
    await alert.getByRole('button', { name: 'Opnieuw proberen' }).tap();
    await expect(page.getByRole('heading', { level: 2, name: 'Teams' })).toBeVisible();

    await page.clock.fastForward(5000);
    await failReadsOf(page, 'observations');
    await page.getByRole('banner').getByRole('link', { name: 'Start', exact: true }).tap();
    alert = page.getByRole('alert').filter({ hasText: 'Dit kon niet worden geladen' });
    await expect(alert).toBeVisible();
    await expect(page.getByText('Je hebt geen observaties in concept.')).toHaveCount(0);
    await restoreReads(page);
    await alert.getByRole('button', { name: 'Opnieuw proberen' }).tap();
    await expect(page.getByRole('heading', { level: 2, name: 'Verder met observeren' })).toBeVisible();
  });
});

/** Every read of one object store fails from now on, as when the browser's storage breaks. */
async function failReadsOf(page: import('@playwright/test').Page, store: string) {
  await page.evaluate((store) => {
    const saved: Array<[object, string, unknown]> = [];
    const fail = (proto: Record<string, unknown>, method: string, storeOf: (self: unknown) => string) => {
      const original = proto[method] as (...args: unknown[]) => unknown;
      saved.push([proto, method, original]);
      proto[method] = function (this: unknown, ...args: unknown[]) {
        if (storeOf(this) === store) throw new DOMException('The storage is not available.', 'UnknownError');
        return original.apply(this, args);
      };
    };
    for (const method of ['get', 'getAll', 'getAllKeys', 'openCursor', 'openKeyCursor', 'count']) {
      fail(
        IDBObjectStore.prototype as unknown as Record<string, unknown>,
        method,
        (self) => (self as IDBObjectStore).name,
      );
      fail(
        IDBIndex.prototype as unknown as Record<string, unknown>,
        method,
        (self) => (self as IDBIndex).objectStore.name,
      );
    }
    (window as unknown as { restoreReads: () => void }).restoreReads = () => {
      for (const [proto, method, original] of saved) (proto as Record<string, unknown>)[method] = original;
    };
  }, store);
}

const restoreReads = (page: import('@playwright/test').Page) =>
  page.evaluate(() => (window as unknown as { restoreReads: () => void }).restoreReads());

test.describe('observing at 200% zoom and on a narrow screen', () => {
  // A 1180 × 820 tablet at 200% zoom is a 590 × 410 page (and 410 × 590 held upright); 320 px is WCAG's reflow width.
  for (const [width, height] of [
    [590, 410],
    [410, 590],
    [320, 640],
  ] as const) {
    test(`at ${width} × ${height} the lesson keeps at least half the height and every action stays reachable`, async ({
      page,
    }) => {
      await startWithDemoSchool(page);
      await startObservation(page);
      await page.setViewportSize({ width, height });
      const capture = new CapturePage(page);
      // Observing: the form scrolled to its second item, as an observer is after the first minutes.
      await capture.nthItem(1).scrollIntoViewIfNeeded();
      await page.mouse.wheel(0, 200);
      await expect
        .poll(() =>
          page.evaluate(() => {
            const covered = (selector: string, edge: 'top' | 'bottom') => {
              const box = document.querySelector(selector)!.getBoundingClientRect();
              return edge === 'top' ? Math.max(0, box.bottom) : Math.max(0, innerHeight - box.top);
            };
            const top = Math.max(covered('.capture-bar', 'top'), covered('.app-header', 'top'));
            return (innerHeight - top - covered('.capture-actions', 'bottom')) / innerHeight;
          }),
        )
        .toBeGreaterThanOrEqual(0.5);
      expect(await capture.horizontalOverflow()).toBeLessThanOrEqual(0);
      // Nothing in the action bar is cut off: each button lies wholly on the screen, and is big enough for a finger.
      const actions = await page.locator('.capture-actions > *').evaluateAll((elements) =>
        elements.map((element) => {
          const box = element.getBoundingClientRect();
          return { left: box.left, right: box.right, bottom: box.bottom, height: box.height };
        }),
      );
      expect(actions).toHaveLength(4);
      for (const box of actions) {
        expect(box.left).toBeGreaterThanOrEqual(0);
        expect(box.right).toBeLessThanOrEqual(width);
        expect(box.bottom).toBeLessThanOrEqual(height);
        expect(box.height).toBeGreaterThanOrEqual(44);
      }
      // The steps keep their names for a screen reader where they show only arrows.
      await expect(page.locator('.capture-actions').getByRole('button', { name: /Volgende/ })).toBeVisible();
      // Scrolling back up brings the way out of the lesson ("Sluiten") back. The wheel's scroll may still be
      // settling (it is animated), so the observer scrolls up again until it has.
      await expect(async () => {
        await page.evaluate(() => scrollTo({ top: 0 }));
        await expect(capture.closeButton).toBeInViewport({ timeout: 500 });
      }).toPass();
    });
  }
});
