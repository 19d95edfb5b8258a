/**
 * The instruments the app ships (instruments/*.json), read once from disk: the server installs them in every new
 * school, as the app does on every device, with the same ids (`instrumentId@version`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Instrument } from '../../core/instrument/types';
import { instrumentKey, type InstalledInstrument } from '../../core/model/records';
import { validateInstrument } from '../../core/instrument/validate';
import { INSTRUMENTS_DIR } from '../paths';

const DIR = INSTRUMENTS_DIR;

let cached: Instrument[] | undefined;

export function shippedInstruments(): Instrument[] {
  cached ??= readdirSync(DIR)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json'))
    .sort()
    .map((name) => {
      const result = validateInstrument(JSON.parse(readFileSync(path.join(DIR, name), 'utf8')));
      if (!result.ok)
        throw new Error(
          `Shipped instrument ${name} does not validate: ${result.problems.map((p) => p.path).join(', ')}`,
        );
      return result.instrument;
    });
  return cached;
}

/** The shipped instruments as installed records, as every device installs them (same ids). */
export function installedShippedInstruments(at: number): InstalledInstrument[] {
  return shippedInstruments().map((content) => ({
    id: instrumentKey(content),
    owner: null,
    createdAt: at,
    updatedAt: at,
    instrumentId: content.id,
    version: content.version,
    content,
    source: 'shipped',
  }));
}
