/**
 * Installed instrument versions, as a school leader meets them: each version is installed once and never changed,
 * versions of one instrument live side by side, and an instrument can be retired from new observations.
 *
 * - **Immutable versions.** `instrumentId@version` names one content for good. Installing the same version with the
 *   same content again changes nothing; with other content it is refused (raise the version instead), because
 *   observations made with that version must keep opening exactly as they were made.
 * - **Which version new observations use.** The newest installed version of each instrument. An older version
 *   installed later (beside a newer one) does not replace it.
 * - **Retiring is per instrument, not per version.** "Niet meer gebruiken voor nieuwe observaties" is what a school
 *   leader means by "we no longer use this kijkwijzer": every installed version of the id is marked `retiredAt`,
 *   and an instrument is offered for new observations and requests only while its newest version is not retired.
 *   Retiring never falls back to an older version: bringing back an outdated kijkwijzer on its own would surprise
 *   more than it helps (a school that wants an earlier text installs it again as a new version). Installing a new
 *   version is using the instrument again: that version is not retired (except a new *shipped* version arriving with
 *   an app update, which keeps the school's choice: see `installShippedInstruments`).
 * - Observations, drafts and requests keep the version they were made with, retired or not.
 *
 * Plain functions, asked by the data layer, the screens and the writer rules alike.
 */
import { compareVersions, type Instrument } from '../instrument';
import { instrumentKey, type InstalledInstrument } from './records';

/** JSON with the keys of every object sorted: PostgreSQL's jsonb and hand-made files do not keep key order. */
export function canonicalJson(value: unknown): string {
  const canonical = (inner: unknown): unknown =>
    Array.isArray(inner)
      ? inner.map(canonical)
      : inner && typeof inner === 'object'
        ? Object.fromEntries(
            Object.keys(inner)
              .sort()
              .map((key) => [key, canonical((inner as Record<string, unknown>)[key])]),
          )
        : inner;
  return JSON.stringify(canonical(value));
}

/** Whether two instrument contents are the same instrument (whatever the order of their keys). */
export function sameContent(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** The installed versions of one instrument id, newest first. */
export function versionsOf(installed: readonly InstalledInstrument[], instrumentId: string): InstalledInstrument[] {
  return installed
    .filter((record) => record.instrumentId === instrumentId)
    .sort((a, b) => compareVersions(b.version, a.version));
}

/** An instrument's versions as the instruments screen shows them. */
export interface InstrumentVersions {
  instrumentId: string;
  /** Newest first. */
  versions: InstalledInstrument[];
  /** The version new observations and requests use; undefined when the instrument is retired. */
  offered: InstalledInstrument | undefined;
  /** Whether the instrument is retired from new observations (its newest version is). */
  retired: boolean;
}

/** Groups installed versions per instrument id (in the order each id first appears). */
export function groupVersions(installed: readonly InstalledInstrument[]): InstrumentVersions[] {
  const ids = [...new Set(installed.map((record) => record.instrumentId))];
  return ids.map((instrumentId) => {
    const versions = versionsOf(installed, instrumentId);
    const retired = versions[0]?.retiredAt !== undefined;
    return { instrumentId, versions, offered: retired ? undefined : versions[0], retired };
  });
}

/** The version of each instrument new observations and requests use: the newest, unless it is retired. */
export function offeredVersions(installed: readonly InstalledInstrument[]): InstalledInstrument[] {
  return groupVersions(installed).flatMap((group) => (group.offered ? [group.offered] : []));
}

/** What installing this instrument would do, given what is installed. */
export type InstallOutlook =
  /** No version of this instrument is installed. */
  | { kind: 'new'; key: string }
  /**
   * Other versions are installed; this one comes beside them. `newest`: the newest version installed now;
   * `becomesNewest`: new observations will use this version; `retired`: the instrument is retired now (installing
   * a newer version makes it used again).
   */
  | { kind: 'beside'; key: string; versions: string[]; newest: string; becomesNewest: boolean; retired: boolean }
  /** This version is installed with exactly this content: nothing to do. */
  | { kind: 'already-installed'; key: string }
  /**
   * This version is installed with other content: it may not change; the author raises the version (above every
   * version in `versions`, newest first).
   */
  | { kind: 'version-taken'; key: string; versions: string[] };

/** `instrument`: the whole content (compared with an installed version of the same id@version). */
export function installOutlook(installed: readonly InstalledInstrument[], instrument: Instrument): InstallOutlook {
  const key = instrumentKey(instrument);
  const same = installed.find((record) => record.id === key);
  const versions = versionsOf(installed, instrument.id);
  if (same) {
    return sameContent(same.content, instrument)
      ? { kind: 'already-installed', key }
      : { kind: 'version-taken', key, versions: versions.map((record) => record.version) };
  }
  const newest = versions[0];
  if (!newest) return { kind: 'new', key };
  return {
    kind: 'beside',
    key,
    versions: versions.map((record) => record.version),
    newest: newest.version,
    becomesNewest: compareVersions(instrument.version, newest.version) > 0,
    retired: newest.retiredAt !== undefined,
  };
}

/** The fields of an installed version that may change after it is installed: only whether it is retired. */
const CHANGEABLE = new Set(['retiredAt', 'updatedAt']);
/**
 * Bookkeeping that may differ when the same version (same content) is installed on two tablets before they sync:
 * the second install is the same install, not a change of the instrument.
 */
const BOOKKEEPING = new Set(['createdAt']);

/** Whether `after` changes anything of the installed version `before` besides retiring it (or using it again). */
export function changesInstalledVersion(before: InstalledInstrument, after: InstalledInstrument): boolean {
  const a = before as unknown as Record<string, unknown>;
  const b = after as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (CHANGEABLE.has(key) || BOOKKEEPING.has(key)) continue;
    if (canonicalJson(a[key]) !== canonicalJson(b[key])) return true;
  }
  return false;
}

/** Whether an installed record names its content correctly: its id, instrument id and version are the content's. */
export function namesItsContent(
  record: Pick<InstalledInstrument, 'id' | 'instrumentId' | 'version' | 'content'>,
): boolean {
  const content = record.content as unknown;
  if (!content || typeof content !== 'object') return false;
  const { id, version } = content as { id?: unknown; version?: unknown };
  if (typeof id !== 'string' || typeof version !== 'string') return false;
  return record.instrumentId === id && record.version === version && record.id === instrumentKey({ id, version });
}

/**
 * A version number to suggest when a version is taken: the next minor version after the newest installed one
 * ("1.2.3" → "1.3.0"), so the new file sorts after every version installed.
 */
export function nextFreeVersion(versions: readonly string[]): string {
  const newest = [...versions].sort(compareVersions).at(-1) ?? '1.0.0';
  const [major = 1, minor = 0] = newest.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return `${major}.${minor + 1}.0`;
}
