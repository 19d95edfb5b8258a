/**
 * CSV files that open as tables where schools work: Excel and LibreOffice, with Dutch or English settings.
 *
 * - Dutch (`nl`): cells separated by a semicolon and decimals written with a comma, what Excel expects with Dutch
 *   regional settings (its list separator is then ";"); English (`en`): a comma and a point.
 * - UTF-8 with a byte order mark: without it Excel reads UTF-8 as Windows-1252 and "Zoë" becomes "ZoÃ«".
 * - Lines end in CRLF; a cell is quoted when it holds the separator, a quote, a line break or spaces at either end.
 * - Formula injection is neutralised: a text starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be
 *   run as a formula by a spreadsheet (`=HYPERLINK(…)`), so it gets a leading apostrophe, which spreadsheets show as
 *   text. Numbers are written as numbers (a negative number is not text), never as formulas.
 */
export type CsvLanguage = 'nl' | 'en';
export type CsvCell = string | number | null | undefined;

const SEPARATOR: Record<CsvLanguage, string> = { nl: ';', en: ',' };
const DECIMAL: Record<CsvLanguage, string> = { nl: ',', en: '.' };
const FORMULA_START = /^[=+\-@\t\r]/;
const BYTE_ORDER_MARK = '\ufeff';

/** A number as the language writes it, without thousands separators; at most `decimals` decimals. */
function numberText(value: number, language: CsvLanguage, decimals: number): string {
  if (!Number.isFinite(value)) return '';
  const rounded = Number(value.toFixed(decimals));
  return String(rounded).replace('.', DECIMAL[language]);
}

/** One cell: a number in the language's form, a text neutralised and quoted where needed, nothing for no value. */
export function csvCell(value: CsvCell, language: CsvLanguage, decimals = 2): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return numberText(value, language, decimals);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  const separator = SEPARATOR[language];
  const quote = text.includes(separator) || /["\r\n]/.test(text) || text.trim() !== text;
  return quote ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole file: the headings, then the rows, as text with its byte order mark. */
export function toCsv(
  headings: readonly string[],
  rows: ReadonlyArray<readonly CsvCell[]>,
  language: CsvLanguage,
  decimals = 2,
): string {
  const line = (cells: readonly CsvCell[]) =>
    cells.map((cell) => csvCell(cell, language, decimals)).join(SEPARATOR[language]);
  return BYTE_ORDER_MARK + [line(headings), ...rows.map(line)].join('\r\n') + '\r\n';
}
