import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { AppPage } from './app-page';

/**
 * A fresh browser with the demo school, used by its school leader (who makes instruments); lands on the team page.
 * Returns the leader's name.
 */
export async function startAsLeader(page: Page): Promise<string> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Demoschool laden' }).tap();
  await expect(page.getByRole('heading', { name: 'Wie gebruikt dit apparaat?' })).toBeVisible();
  const leader = page.locator('.person-button', { hasText: 'Schoolleider' }).first();
  const name = ((await leader.locator('.person-name').textContent()) ?? '').trim();
  await leader.tap();
  await expect(page.getByRole('heading', { level: 1, name: 'Waar groeit het team?' })).toBeVisible();
  return name;
}

/** The instrument editor, as a school leader uses it on a tablet: by the labels on screen, never by JSON. */
export class EditorPage extends AppPage {
  readonly summary: Locator;
  readonly saved: Locator;

  constructor(page: Page) {
    super(page);
    this.summary = this.main.getByRole('region', { name: /^Nog \d+ punten? voor je kunt opslaan$/ });
    this.saved = this.main.locator('.saved-state');
  }

  /** From the instruments screen: "Nieuw instrument", then how to start. */
  async openStart() {
    await this.header.getByRole('link', { name: 'Instrumenten' }).tap();
    await this.main.getByRole('link', { name: 'Nieuw instrument' }).tap();
    await expect(this.main.getByRole('heading', { level: 1, name: 'Nieuw instrument' })).toBeVisible();
  }

  async startFromScratch(languages: 'Nederlands' | 'Engels' | 'Nederlands en Engels' = 'Nederlands') {
    await this.openStart();
    await this.main.getByRole('radio', { name: languages, exact: true }).check();
    await this.main.getByRole('button', { name: 'Leeg instrument maken' }).tap();
    await this.expectEditor();
  }

  /** The editor is open. A long instrument (the shipped lesson observation: ~900 fields) takes a moment on a busy machine. */
  async expectEditor() {
    await expect(this.page).toHaveURL(/\/instrument-drafts\/[0-9a-f-]{36}(\?section=[\w-]+)?$/);
    await expect(this.main.getByRole('heading', { level: 1, name: 'Instrument bewerken' })).toBeVisible({
      timeout: 20_000,
    });
  }

  /** The section shown (one part of the instrument at a time), by its heading. */
  section(name: 'Algemeen' | 'Schaal' | 'Gegevens over de les' | 'Regels'): Locator {
    return this.main.getByRole('region', { name, exact: true });
  }

  /**
   * Shows a section by its entry in the outline ("Domein 2", "Regels"; on a narrow screen the outline is folded
   * away behind its button first); focus moves to the section's heading.
   */
  async openSection(name: string) {
    const outline = this.main.getByRole('navigation', { name: /^(Onderdelen|Sections)$/ });
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const link = outline.getByRole('link', { name: new RegExp(`^${escaped}(?![\\d.])`) });
    const toggle = outline.getByRole('button');
    const folded = !(await link.isVisible());
    if (folded) await toggle.tap();
    await link.tap();
    await expect(this.main.getByRole('heading', { level: 2, name, exact: true })).toBeFocused();
    // Folded again, its button names the section shown; unfolded, the outline marks it.
    if (folded) await expect(toggle).toContainText(name);
    else await expect(link).toHaveAttribute('aria-current', 'page');
  }

  domain(n: number): Locator {
    return this.main.getByRole('region', { name: `Domein ${n}`, exact: true });
  }

  item(number: string): Locator {
    return this.main.getByRole('article', { name: `Item ${number}`, exact: true });
  }

  /** A behaviour under an element ("Gedrag 1.1.2"). */
  behaviour(number: string): Locator {
    return this.main.getByRole('article', { name: `Gedrag ${number}`, exact: true });
  }

  level(value: number): Locator {
    return this.section('Schaal')
      .locator('li.level')
      .filter({ has: this.page.getByLabel(`Naam van niveau ${value}`, { exact: true }) });
  }

  /** A one-language text field by its label, within `scope`. */
  text(scope: Locator, label: string): Locator {
    return scope.getByLabel(label, { exact: true });
  }

  async expectSaved() {
    await expect(this.saved).toHaveText(/Opgeslagen op dit apparaat/);
  }

  /** The messages shown next to a field (what its aria-describedby points at). */
  async messagesOf(field: Locator): Promise<string> {
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
    const texts = await Promise.all(ids.map((id) => this.page.locator(`[id="${id}"]`).innerText()));
    return texts.join(' ');
  }

  /** A picture of the section shown, at the screen's size, attached to the test (once the check has caught up). */
  async photograph(testInfo: TestInfo, name: string) {
    await expect(this.page.locator('#editor-section .field-problems')).toHaveCount(0);
    const path = testInfo.outputPath(`${name}.png`);
    await this.page.locator('#editor-section').screenshot({ path });
    await testInfo.attach(name, { path, contentType: 'image/png' });
  }

  /** Saved as its first version once nothing is wrong: installed. */
  async installFirstVersion(title: string) {
    await expect(
      this.main.getByText('Alles is in orde. Je kunt dit instrument opslaan als nieuwe versie.'),
    ).toBeVisible();
    await this.main.getByRole('button', { name: 'Opslaan als nieuwe versie' }).tap();
    await expect(
      this.main.getByRole('heading', { level: 1, name: `Versie 1.0.0 van “${title}” is geïnstalleerd.` }),
    ).toBeVisible({ timeout: 15_000 });
  }

  /**
   * From the page that says it is installed: a new observation of the first colleague with it, the group, subject and
   * any other questions about the lesson answered (by their labels). Returns the observation's address.
   */
  async observeWith(title: string, answers: Record<string, string> = {}): Promise<string> {
    await this.main.getByRole('link', { name: 'Nieuwe observatie' }).tap();
    const colleague = this.page.getByLabel('Bij wie kijk je mee?');
    await expect(colleague.locator('option')).not.toHaveCount(1);
    await colleague.selectOption({ index: 1 });
    const instrument = this.page.getByLabel('Instrument');
    await instrument.selectOption((await instrument.locator('option', { hasText: title }).getAttribute('value')) ?? '');
    for (const [label, value] of Object.entries({ Groep: 'groep 6', Vak: 'rekenen', ...answers }))
      await this.page.getByLabel(label, { exact: true }).fill(value);
    await this.page.getByRole('button', { name: 'Start de observatie' }).tap();
    await expect(this.page).toHaveURL(/\/observations\/[0-9a-f-]{36}$/);
    return this.page.url();
  }
}

/** A number typed into a field as a leader does: what was there replaced. */
export async function typeNumber(field: Locator, value: string | number) {
  await field.fill(String(value));
  await expect(field).toHaveValue(String(value));
}
