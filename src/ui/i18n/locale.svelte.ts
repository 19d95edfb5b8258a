/**
 * The app's language: Dutch by default, English on request. The choice is a device preference (not school data),
 * so it lives in localStorage and applies before the first screen renders.
 */
import { nl, type CoreKey } from './messages-nl';
import type { InstrumentsKey } from './sections/instruments-nl';
import type { SchoolKey } from './sections/school-nl';
import type { FeedbackKey } from './sections/feedback-nl';

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export type MessageKey = CoreKey | InstrumentsKey | SchoolKey | FeedbackKey;
type Catalogue = Partial<Record<MessageKey, string>>;
type Loader = () => Promise<Catalogue>;

/**
 * Dutch is in the first download; English is a chunk of its own, loaded when chosen (or before the first screen when
 * it was chosen before): a Dutch school does not download texts it never reads.
 */
const LOADERS: Record<Language, Loader> = {
  nl: async () => nl,
  en: async () => (await import('./messages-en')).en,
};

/**
 * Texts of screens that are not the first a teacher opens (making and checking instruments; the school's data,
 * accounts and setting up a server; feedback, reports, requests and insight) are sections: chunks loaded with those
 * screens (`withTexts`), in every language loaded so far. A unit test checks that each screen, and every file it
 * reaches, uses only the core texts and its own sections.
 */
const SECTIONS = {
  instruments: {
    nl: async () => (await import('./sections/instruments-nl')).instrumentsNl,
    en: async () => (await import('./sections/instruments-en')).instrumentsEn,
  },
  school: {
    nl: async () => (await import('./sections/school-nl')).schoolNl,
    en: async () => (await import('./sections/school-en')).schoolEn,
  },
  feedback: {
    nl: async () => (await import('./sections/feedback-nl')).feedbackNl,
    en: async () => (await import('./sections/feedback-en')).feedbackEn,
  },
} satisfies Record<string, Record<Language, Loader>>;
export type Section = keyof typeof SECTIONS;

const catalogues: Partial<Record<Language, Catalogue>> = { nl: { ...nl } };
/** Parts loaded or loading, by language and part ('core' or a section), so each loads once. */
const parts = new Map<string, Promise<void>>();
/** Sections a screen has asked for: a language loaded later brings them along. */
const sectionsWanted = new Set<Section>();

function loadPart(language: Language, part: 'core' | Section): Promise<void> {
  const id = `${language}:${part}`;
  let loading = parts.get(id);
  if (!loading) {
    const load = part === 'core' ? LOADERS[language] : SECTIONS[part][language];
    loading = load().then((texts) => void Object.assign((catalogues[language] ??= {}), texts));
    // A failed load (offline before the chunk was cached) is tried again next time.
    loading.catch(() => parts.delete(id));
    parts.set(id, loading);
  }
  return loading;
}

/** Loads a language's texts (once), with every section asked for so far; resolves when `t` can speak it. */
export async function loadLanguage(language: Language): Promise<void> {
  await Promise.all([loadPart(language, 'core'), ...[...sectionsWanted].map((section) => loadPart(language, section))]);
}

/** Loads a section's texts in Dutch and in every other language loaded or loading. */
async function loadSection(section: Section): Promise<void> {
  sectionsWanted.add(section);
  const languages = LANGUAGES.filter((language) => language === 'nl' || parts.has(`${language}:core`));
  await Promise.all(languages.map((language) => loadPart(language, section)));
}

/** A screen's loader that also loads the text section it needs: `withTexts('school', () => import('./x.svelte'))`. */
export function withTexts<T>(section: Section, load: () => Promise<T>): () => Promise<T> {
  return async () => (await Promise.all([load(), loadSection(section)]))[0];
}

/** A text in a language, or the Dutch text until that language's part is loaded. */
const text = (language: Language, key: MessageKey): string =>
  catalogues[language]?.[key] ?? catalogues.nl?.[key] ?? key;

/** BCP 47 tags for Intl: the Dutch and British conventions a Dutch school expects (24-hour clock, day-month order). */
const INTL_LOCALES: Record<Language, string> = { nl: 'nl-NL', en: 'en-GB' };

const STORAGE_KEY = 'meekijken.language';

function isLanguage(value: unknown): value is Language {
  return LANGUAGES.some((l) => l === value);
}

function stored(): Language {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : 'nl';
  } catch {
    // Storage can be blocked (private mode, policies): Dutch is then the default for this visit.
    return 'nl';
  }
}

class LocaleState {
  current = $state<Language>(stored());

  constructor() {
    document.documentElement.lang = this.current;
  }

  /** Switches language once its texts are loaded. */
  async set(language: Language) {
    await loadLanguage(language);
    this.current = language;
    document.documentElement.lang = language;
    try {
      localStorage.setItem(STORAGE_KEY, language);
    } catch {
      // Not being able to remember the choice is not worth interrupting the user for.
    }
  }

  get intl(): string {
    return INTL_LOCALES[this.current];
  }
}

export const locale = new LocaleState();

export type MessageParams = Record<string, string | number>;

/**
 * One formatter per language and options, made once: making an `Intl` formatter costs far more than using one, and a
 * page of figures (the team page, a report) formats hundreds of numbers.
 */
const formatters = new Map<string, object>();
function formatter<F extends object>(key: string, make: () => F): F {
  let made = formatters.get(key) as F | undefined;
  if (!made) {
    made = make();
    formatters.set(key, made);
  }
  return made;
}
/** A number format: `decimals` fixed places, up to one place when absent; `percent` as a whole percentage. */
const numberFormat = (intlLocale: string, decimals?: number, percent = false) =>
  formatter(`number|${intlLocale}|${decimals}|${percent}`, () =>
    percent
      ? new Intl.NumberFormat(intlLocale, { style: 'percent', maximumFractionDigits: 0 })
      : decimals === undefined
        ? new Intl.NumberFormat(intlLocale, { maximumFractionDigits: 1 })
        : new Intl.NumberFormat(intlLocale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }),
  );

/** Fills `{name}` parameters; numbers are formatted for the current language. */
function format(template: string, params: MessageParams = {}, intlLocale = locale.intl): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number'
      ? formatter(`params|${intlLocale}`, () => new Intl.NumberFormat(intlLocale)).format(value)
      : value;
  });
}

/** Translates a message key in the current language. Reading `locale.current` makes callers reactive. */
export function t(key: MessageKey, params?: MessageParams): string {
  return format(text(locale.current, key), params);
}

/** Joins a list the way the current language does ("a, b en c" / "a, b and c"). */
export function formatList(items: string[]): string {
  const intl = locale.intl;
  return formatter(`list|${intl}`, () => new Intl.ListFormat(intl, { style: 'long', type: 'conjunction' })).format(
    items,
  );
}

export function formatDate(date: Date | number, options: Intl.DateTimeFormatOptions = { dateStyle: 'long' }): string {
  const intl = locale.intl;
  return formatter(`date|${intl}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(intl, options)).format(
    date,
  );
}

/** A number in the current language: `decimals` fixed places ("3,2"), or as many as needed up to one. */
export function formatNumber(value: number, decimals?: number): string {
  return numberFormat(locale.intl, decimals).format(value);
}

/** A share (0–1) as a whole percentage ("57%"). */
export function formatPercent(share: number): string {
  return numberFormat(locale.intl, undefined, true).format(share);
}

/** Keys that come in plural forms: `x.one` and `x.other` in the catalogue, asked for as `x`. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer Base}.other` ? Base : never) : never;

/** Translates a counted message, choosing the plural form with Intl.PluralRules ("1 item", "2 items"). */
export function tn(key: PluralKey, count: number, params: MessageParams = {}): string {
  const intl = locale.intl;
  const category = formatter(`plural|${intl}`, () => new Intl.PluralRules(intl)).select(count);
  const specific = `${key}.${category}`;
  const texts = catalogues[locale.current] ?? {};
  const template = text(locale.current, (specific in texts ? specific : `${key}.other`) as MessageKey);
  return format(template, { ...params, count });
}
