import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { csvCell, toCsv } from '../../src/core/export/csv';

/** A file as a spreadsheet reads it back: the byte order mark dropped, split by the separator. */
const parse = (csv: string, separator: string) => {
  expect(csv.startsWith('\ufeff')).toBe(true);
  return Papa.parse<string[]>(csv.slice(1), { delimiter: separator, skipEmptyLines: true }).data;
};

describe('CSV for Excel and LibreOffice', () => {
  it('writes Dutch with semicolons and decimal commas, English with commas and points, numbers as numbers', () => {
    const nl = toCsv(
      ['Domein', 'Gemiddelde'],
      [
        ['Leerklimaat', 3.25],
        ['Instructie', -0.5],
        ['Leeg', null],
      ],
      'nl',
    );
    expect(nl).toBe('\ufeffDomein;Gemiddelde\r\nLeerklimaat;3,25\r\nInstructie;-0,5\r\nLeeg;\r\n');
    const en = toCsv(['Domain', 'Mean'], [['Climate, safe', 3.25]], 'en');
    expect(en).toBe('\ufeffDomain,Mean\r\n"Climate, safe",3.25\r\n');
    expect(csvCell(1234567.891, 'nl')).toBe('1234567,89');
    expect(csvCell(Number.NaN, 'nl')).toBe('');
  });

  it('neutralises what a spreadsheet would run as a formula, and quotes what would split a cell', () => {
    for (const formula of ['=HYPERLINK("http://x","klik")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])
      expect(csvCell(formula, 'nl').replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('a;b', 'nl')).toBe('"a;b"');
    expect(csvCell('a;b', 'en')).toBe('a;b');
    expect(csvCell('zei "ja"', 'nl')).toBe('"zei ""ja"""');
    expect(csvCell('regel\nregel', 'nl')).toBe('"regel\nregel"');
    expect(csvCell(' spatie', 'nl')).toBe('" spatie"');
  });

  it('parses back to the same values, whatever the text (formulas with their apostrophe)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'binary' }), fc.double({ noNaN: true, noDefaultInfinity: true })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.constantFrom('nl' as const, 'en' as const),
        (rows, language) => {
          const separator = language === 'nl' ? ';' : ',';
          const parsed = parse(toCsv(['Tekst', 'Getal'], rows, language), separator);
          expect(parsed[0]).toEqual(['Tekst', 'Getal']);
          rows.forEach(([text, number], i) => {
            const [cellText, cellNumber] = parsed[i + 1]!;
            expect(cellText).toBe(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
            expect(Number(cellNumber!.replace(',', '.'))).toBeCloseTo(Number(number.toFixed(2)), 10);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
