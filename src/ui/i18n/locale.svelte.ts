/**
 * The app's language: Dutch by default, English on request. The choice is a device preference (not school data),
 * so it lives in localStorage and applies before the first screen renders.
 */
import { nl, type MessageKey } from './messages-nl';

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

type Catalogue = Record<MessageKey, string>;

/**
 * Dutch is in the first download; English is a chunk of its own, loaded when chosen (or before the first screen when
 * it was chosen before): a Dutch school does not download texts it never reads.
 */
const LOADERS: Record<Language, () => Promise<Catalogue>> = {
  nl: async () => nl,
  en: async () => (await import('./messages-en')).en,
};
const loaded: Partial<Record<Language, Catalogue>> = { nl };

/** Loads a language's texts (once); resolves when `t` can speak it. */
export async function loadLanguage(language: Language): Promise<void> {
  loaded[language] ??= await LOADERS[language]();
}

/** A language's texts once loaded, Dutch until then. */
const catalogue = (language: Language): Catalogue => loaded[language] ?? nl;

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

/** Fills `{name}` parameters; numbers are formatted for the current language. */
function format(template: string, params: MessageParams = {}, intlLocale = locale.intl): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? new Intl.NumberFormat(intlLocale).format(value) : value;
  });
}

/** Translates a message key in the current language. Reading `locale.current` makes callers reactive. */
export function t(key: MessageKey, params?: MessageParams): string {
  return format(catalogue(locale.current)[key], params);
}

/** Joins a list the way the current language does ("a, b en c" / "a, b and c"). */
export function formatList(items: string[]): string {
  return new Intl.ListFormat(locale.intl, { style: 'long', type: 'conjunction' }).format(items);
}

export function formatDate(date: Date | number, options: Intl.DateTimeFormatOptions = { dateStyle: 'long' }): string {
  return new Intl.DateTimeFormat(locale.intl, options).format(date);
}

/** A number in the current language: `decimals` fixed places ("3,2"), or as many as needed up to one. */
export function formatNumber(value: number, decimals?: number): string {
  const places =
    decimals === undefined
      ? { maximumFractionDigits: 1 }
      : { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
  return new Intl.NumberFormat(locale.intl, places).format(value);
}

/** A share (0–1) as a whole percentage ("57%"). */
export function formatPercent(share: number): string {
  return new Intl.NumberFormat(locale.intl, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** Keys that come in plural forms: `x.one` and `x.other` in the catalogue, asked for as `x`. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer Base}.other` ? Base : never) : never;

/** Translates a counted message, choosing the plural form with Intl.PluralRules ("1 item", "2 items"). */
export function tn(key: PluralKey, count: number, params: MessageParams = {}): string {
  const category = new Intl.PluralRules(locale.intl).select(count);
  const specific = `${key}.${category}`;
  const texts = catalogue(locale.current);
  const template = specific in texts ? texts[specific as MessageKey] : texts[`${key}.other`];
  return format(template, { ...params, count });
}
