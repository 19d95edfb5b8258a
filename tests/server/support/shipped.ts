/** The instruments the app ships, read from instruments/ as the app bundles them. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Instrument } from '../../../src/core/instrument/types';

const DIR = path.resolve(__dirname, '../../../instruments');

export function loadShippedInstrumentFiles(): Instrument[] {
  return readdirSync(DIR)
    .filter((name) => name.endsWith('.json') && !name.includes('schema'))
    .map((name) => JSON.parse(readFileSync(path.join(DIR, name), 'utf8')) as Instrument);
}
