/**
 * Installed instruments: each version is stored once and never changed, so an observation made with it can
 * always be opened exactly as it was made, whatever happens to newer versions. An administrator installs a school's
 * own instrument (as a new version beside older ones) and retires an instrument from new observations; the rules
 * are the core's (src/core/model/installed-instruments.ts, and the writer rules in lifecycle.ts).
 *
 * Offline: everything here is IndexedDB on this device; a signed-in account pushes what was installed or retired
 * to the school server with its next sync, and every device of the school receives it.
 */
import { alive, db } from '../database/db';
import { loadShippedInstrument, loadShippedInstruments, SHIPPED_INSTRUMENT_KEYS } from './shipped-instruments';
import { insertAll, loadInstrumentValidator, now as clockNow, save, writeTransaction } from '../writes/local';
import { instrumentKey, type InstalledInstrument, type Timestamp } from '../../core/model/records';
import { compareVersions, type Instrument, type InstrumentProblem } from '../../core/instrument';
import {
  groupVersions,
  installOutlook,
  offeredVersions,
  versionsOf,
  type InstallOutlook,
  type InstrumentVersions,
} from '../../core/model/installed-instruments';
import type { Actor } from '../../core/model/lifecycle';

export type { InstallOutlook, InstrumentVersions };

/**
 * Adds the shipped instruments that are not installed yet; an installed version is never overwritten. A new shipped
 * version of an instrument the school retired arrives retired too: an app update does not bring back what a
 * school leader stopped using.
 */
export async function installShippedInstruments(now = clockNow()): Promise<void> {
  // Most starts have nothing new to add: the stored keys alone say so, without loading the six instruments (50 KB
  // compressed) or reading every installed one. A key stored as deleted counts as there (adding it would be refused).
  const stored = new Set(await db().instruments.where(':id').anyOf(SHIPPED_INSTRUMENT_KEYS).primaryKeys());
  if (SHIPPED_INSTRUMENT_KEYS.every((key) => stored.has(key))) return;
  const shipped = await loadShippedInstruments();
  await writeTransaction(['instrument'], async () => {
    const all = (await db().instruments.toArray()).filter((record) => alive(record));
    const existing = new Set(all.map((record) => record.id));
    const missing = shipped.filter((instrument) => !existing.has(instrumentKey(instrument)));
    const records = missing.map((instrument) => {
      const record = installed(instrument, 'shipped', now);
      const retiredAt = versionsOf(all, instrument.id)[0]?.retiredAt;
      return retiredAt === undefined ? record : { ...record, retiredAt };
    });
    await insertAll('instrument', records, 'system', { at: now });
  });
}

export function installed(
  instrument: Instrument,
  source: InstalledInstrument['source'],
  now: number,
): InstalledInstrument {
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

async function listAlive(): Promise<InstalledInstrument[]> {
  return (await db().instruments.toArray()).filter((record) => alive(record));
}

/**
 * The newest installed version of each instrument, retired or not: for describing an instrument as it is now
 * (titles, the team's figures per instrument). New observations and requests use `listOfferedInstruments`.
 */
export async function listLatestInstruments(): Promise<InstalledInstrument[]> {
  const latest = new Map<string, InstalledInstrument>();
  for (const record of await listAlive()) {
    const current = latest.get(record.instrumentId);
    if (!current || compareVersions(record.version, current.version) > 0) latest.set(record.instrumentId, record);
  }
  return [...latest.values()];
}

/**
 * The instruments a new observation or request may use: the newest version of each, without retired ones.
 * `including`: the version a request (or another record being continued) names. It stays available, retired or
 * not, in place of the newer version of its instrument: what a colleague asked for is what the observer uses.
 */
export async function listOfferedInstruments(options: { including?: string } = {}): Promise<InstalledInstrument[]> {
  const all = await listAlive();
  const offered = offeredVersions(all);
  const named = options.including ? all.find((record) => record.id === options.including) : undefined;
  if (!named) return offered;
  return [...offered.filter((record) => record.instrumentId !== named.instrumentId), named];
}

/**
 * Every installed instrument with its versions (newest first), which version new observations use, and whether
 * it is retired: the instruments screen. The school's own instruments first, then the shipped ones in the order the
 * app ships them (`loadShippedInstruments`).
 */
export async function listInstrumentVersions(): Promise<InstrumentVersions[]> {
  const groups = groupVersions(await listAlive());
  const shippedOrder = (await loadShippedInstruments()).map((instrument) => instrument.id);
  const rank = (group: InstrumentVersions) => {
    if (group.versions.some((record) => record.source === 'imported')) return -1;
    const index = shippedOrder.indexOf(group.instrumentId);
    return index === -1 ? shippedOrder.length : index;
  };
  return groups.sort((a, b) => rank(a) - rank(b) || a.instrumentId.localeCompare(b.instrumentId));
}

/**
 * The instrument to show in full: that installed version (the newest installed when none is named), or else the
 * shipped file with that id (shown also before the shipped instruments are installed on this device).
 */
export async function getInstrumentToPreview(instrumentId: string, version?: string): Promise<Instrument | undefined> {
  const versions = versionsOf(await listAlive(), instrumentId);
  const record = version === undefined ? versions[0] : versions.find((each) => each.version === version);
  if (record) return record.content;
  const shipped = await loadShippedInstrument(instrumentId);
  return shipped && (version === undefined || shipped.version === version) ? shipped : undefined;
}

/** What installing this instrument would do (new, beside other versions, already there, version taken). */
export async function getInstallOutlook(instrument: Instrument): Promise<InstallOutlook> {
  return installOutlook(await listAlive(), instrument);
}

export type InstallResult =
  /** Installed, as a new instrument or beside its other versions (`outlook` says which). */
  | { kind: 'installed'; key: string; outlook: InstallOutlook }
  /** This version was installed already, with exactly this content: nothing was written. */
  | { kind: 'already-installed'; key: string }
  /** This version is installed with other content, and an installed version never changes: raise the version. */
  | { kind: 'version-taken'; key: string }
  /** The content does not pass the validator: nothing was written. */
  | { kind: 'invalid'; problems: InstrumentProblem[] };

/**
 * Installs a school's own instrument (source 'imported') as a new version: beside the versions installed before,
 * which observations made with them keep. New observations use the newest version; installing a newer version of
 * a retired instrument makes it used again. Written by an administrator (the writer rules refuse anyone else with
 * `WriteRefused`). The content is validated first; a copy of it is stored, so the caller may keep changing its
 * own object (an editor's state).
 */
export async function installInstrument(
  instrument: Instrument,
  actor: Actor,
  at: Timestamp = clockNow(),
): Promise<InstallResult> {
  // A plain copy: also of a Svelte state proxy, and nobody else holds it while it is validated and written.
  const content = JSON.parse(JSON.stringify(instrument)) as Instrument;
  const validate = await loadInstrumentValidator();
  const verdict = validate(content);
  if (!verdict.ok) return { kind: 'invalid', problems: verdict.problems };
  return writeTransaction(['instrument'], async (): Promise<InstallResult> => {
    // Every record of this id, alive or not: a version's key is never reused for other content.
    const outlook = installOutlook(await db().instruments.where('instrumentId').equals(content.id).toArray(), content);
    if (outlook.kind === 'already-installed' || outlook.kind === 'version-taken')
      return { kind: outlook.kind, key: outlook.key };
    await save('instrument', undefined, installed(content, 'imported', at), actor, { at });
    return { kind: 'installed', key: outlook.key, outlook };
  });
}

/**
 * Retires an instrument from new observations and requests ("Niet meer gebruiken voor nieuwe observaties"): every
 * installed version of `instrumentId` is marked. Observations, drafts and requests made with it keep opening with
 * their version. Setting a value, so doing it twice changes nothing.
 */
export async function retireInstrument(instrumentId: string, actor: Actor, at: Timestamp = clockNow()): Promise<void> {
  await writeTransaction(['instrument'], async () => {
    const versions = (await db().instruments.where('instrumentId').equals(instrumentId).toArray()).filter((record) =>
      alive(record),
    );
    for (const version of versions)
      if (version.retiredAt === undefined)
        await save('instrument', version, { ...version, retiredAt: at }, actor, { at });
  });
}

/** Uses a retired instrument again for new observations and requests (every installed version of it). */
export async function restoreInstrument(instrumentId: string, actor: Actor, at: Timestamp = clockNow()): Promise<void> {
  await writeTransaction(['instrument'], async () => {
    const versions = (await db().instruments.where('instrumentId').equals(instrumentId).toArray()).filter((record) =>
      alive(record),
    );
    for (const { retiredAt, ...version } of versions)
      if (retiredAt !== undefined) await save('instrument', { ...version, retiredAt }, version, actor, { at });
  });
}
