/**
 * Installed instruments: each version is stored once and never changed, so an observation made with it can
 * always be opened exactly as it was made, whatever happens to newer versions.
 */
import { alive, db } from './db';
import { loadShippedInstruments } from './shipped-instruments';
import { insertAll, now as clockNow, writeTransaction } from './write';
import { instrumentKey, type InstalledInstrument } from '../core/model/records';
import { compareVersions, type Instrument } from '../core/instrument';

/** Adds the shipped instruments that are not installed yet; an installed version is never overwritten. */
export async function installShippedInstruments(now = clockNow()): Promise<void> {
  const shipped = await loadShippedInstruments();
  await writeTransaction(['instrument'], async () => {
    const existing = new Set(await db().instruments.toCollection().primaryKeys());
    const missing = shipped.filter((instrument) => !existing.has(instrumentKey(instrument)));
    await insertAll('instrument', missing.map((instrument) => installed(instrument, 'shipped', now)), 'system', { at: now });
  });
}

export function installed(instrument: Instrument, source: InstalledInstrument['source'], now: number): InstalledInstrument {
  return {
    id: instrumentKey(instrument),
    owner: null,
    createdAt: now,
    updatedAt: now,
    instrumentId: instrument.id,
    version: instrument.version,
    content: instrument,
    source,
  };
}

export async function getInstalledInstrument(key: string): Promise<InstalledInstrument | undefined> {
  const record = await db().instruments.get(key);
  return alive(record) ? record : undefined;
}

/** Every installed version by key, since old observations keep the version they were made with. */
export async function listInstalledInstruments(): Promise<Map<string, Instrument>> {
  const all = await db().instruments.toArray();
  return new Map(all.map((record) => [record.id, record.content]));
}

/** The newest installed version of each instrument, for starting a new observation. */
export async function listLatestInstruments(): Promise<InstalledInstrument[]> {
  const all = (await db().instruments.toArray()).filter((record) => alive(record));
  const latest = new Map<string, InstalledInstrument>();
  for (const record of all) {
    const current = latest.get(record.instrumentId);
    if (!current || compareVersions(record.version, current.version) > 0) latest.set(record.instrumentId, record);
  }
  return [...latest.values()];
}
