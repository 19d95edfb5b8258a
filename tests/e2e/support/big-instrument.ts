/**
 * Instrument files of about 4 MB for the check screen's test and benchmark, made on the fly: 30 domains of 40 items,
 * each with a long guidance text in two languages. `valid` is a true instrument; the invalid one gives every item
 * the same id and one text of invisible characters, so the validator has thousands of problems to report.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function bigInstrument(kind: 'valid' | 'invalid'): { name: string; mimeType: string; buffer: Buffer } {
  const base = JSON.parse(readFileSync(path.join(ROOT, 'instruments/lesobservatie.json'), 'utf8')) as {
    scales: Array<{ id: string }>;
    rules: unknown[];
  };
  const long = (words: string) => `${words} `.repeat(400).slice(0, 1_700).trim();
  const domains = Array.from({ length: 30 }, (_, d) => ({
    id: `domein-${d + 1}`,
    title: { nl: `Domein ${d + 1}`, en: `Domain ${d + 1}` },
    items: Array.from({ length: 40 }, (_, i) => ({
      id: kind === 'valid' ? `item-${d + 1}-${i + 1}` : 'steeds-dezelfde',
      text: {
        nl: `Kijkpunt ${d + 1}.${i + 1}`,
        en: i === 0 && kind === 'invalid' ? '\u200B\u200B' : `Look-for ${d + 1}.${i + 1}`,
      },
      guidance: {
        nl: long(`Let op de leerlingen bij ${d + 1}.${i + 1}`),
        en: long(`Watch the pupils at ${d + 1}.${i + 1}`),
      },
      response: { type: 'rating', scale: base.scales[0]!.id },
    })),
  }));
  const text = JSON.stringify({ ...base, id: `test.big-${kind}`, domains, rules: [] }, null, 2);
  return {
    name: `groot-${kind === 'valid' ? 'geldig' : 'ongeldig'}.json`,
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  };
}
