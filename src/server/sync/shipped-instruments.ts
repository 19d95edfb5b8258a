/**
 * The instruments the app ships, read once from disk.
 *
 * - `instruments/*.json`: the newest version of each shipped instrument. The server installs them in every new
 *   school, as the app does on every device, with the same ids (`instrumentId@version`).
 * - `instruments/earlier-versions/*.json`: versions the app shipped before, exactly as they shipped. Nothing installs
 *   them any more and nothing offers them for new observations, but a tablet that has not been updated yet (or was
 *   offline) still has one installed and pushes it, with the observations made with it: the server accepts such a
 *   version as the app's own (`knownShippedInstrument`), so those observations keep syncing and counting.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Instrument } from '../../core/instrument/types';
import { compareVersions } from '../../core/instrument/versions';
import { instrumentKey, type InstalledInstrument } from '../../core/model/records';
import { validateInstrument } from '../../core/instrument/validate';
import { EARLIER_INSTRUMENTS_DIR, INSTRUMENTS_DIR } from '../paths';

function readInstruments(dir: string): Instrument[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json'))
    .sort()
    .map((name) => {
      const result = validateInstrument(JSON.parse(readFileSync(path.join(dir, name), 'utf8')));
      if (!result.ok)
        throw new Error(
          `Shipped instrument ${name} does not validate: ${result.problems.map((p) => p.path).join(', ')}`,
        );
      return result.instrument;
    });
}

let cached: Instrument[] | undefined;
let cachedKnown: Map<string, Instrument> | undefined;

/** The newest version of each shipped instrument: what a new school and every device install. */
export function shippedInstruments(): Instrument[] {
  cached ??= readInstruments(INSTRUMENTS_DIR);
  return cached;
}

/**
 * Every version the app ships or has shipped, by key (`id@version`). An earlier version must be of an instrument the
 * app still ships, and older than the version it ships now (it was replaced, not added).
 */
function knownShippedInstruments(): Map<string, Instrument> {
  if (cachedKnown) return cachedKnown;
  const current = shippedInstruments();
  const known = new Map(current.map((content) => [instrumentKey(content), content]));
  for (const earlier of readInstruments(EARLIER_INSTRUMENTS_DIR)) {
    const now = current.find((content) => content.id === earlier.id);
    if (!now || compareVersions(earlier.version, now.version) >= 0 || known.has(instrumentKey(earlier)))
      throw new Error(
        `Earlier shipped instrument ${instrumentKey(earlier)} is not an earlier version of a shipped instrument`,
      );
    known.set(instrumentKey(earlier), earlier);
  }
  cachedKnown = known;
  return known;
}

/** The content of a version the app ships or has shipped (`id@version`), exactly as it shipped. */
export function knownShippedInstrument(key: string): Instrument | undefined {
  return knownShippedInstruments().get(key);
}

/** A shipped instrument (or an earlier shipped version) as an installed record, as every device installs it. */
export function installedShipped(content: Instrument, at: number): InstalledInstrument {
  return {
    id: instrumentKey(content),
    owner: null,
    createdAt: at,
    updatedAt: at,
    instrumentId: content.id,
    version: content.version,
    content,
    source: 'shipped',
  };
}

/** The shipped instruments as installed records, as every device installs them (same ids). */
export function installedShippedInstruments(at: number): InstalledInstrument[] {
  return shippedInstruments().map((content) => installedShipped(content, at));
}
