/**
 * Installing a school's own instrument on the device (src/data/records/instruments.ts): immutable versions side by side,
 * retiring per instrument, and what new observations and requests are offered.
 */
import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './harness';
import {
  getInstallOutlook,
  getInstalledInstrument,
  installInstrument,
  installShippedInstruments,
  listInstrumentVersions,
  listLatestInstruments,
  listOfferedInstruments,
  restoreInstrument,
  retireInstrument,
} from '../../../src/data/records/instruments';
import { listOutbox } from '../../../src/data/writes/outbox';
import { loadShippedInstruments, SHIPPED_INSTRUMENT_KEYS } from '../../../src/data/records/shipped-instruments';
import { instrumentKey } from '../../../src/core/model/records';
import { WriteRefused, type Actor } from '../../../src/core/model/lifecycle';
import type { Instrument } from '../../../src/core/instrument';
import sevenPoint from '../../fixtures/formats/seven-point-reverse.json';

const { db } = useFreshDatabase();

/** A moment in the school year the writes happen at (times before 2000 are refused as implausible). */
const T = Date.UTC(2026, 0, 5);
const leader: Actor = { id: 'leader', role: 'leader' };
const teacher: Actor = { id: 'teacher', role: 'teacher' };

/** A school's own instrument, made from a fixture with an id, version and title of its own. */
function ownInstrument(version = '1.0.0', title = 'Onze kijkwijzer'): Instrument {
  const base = structuredClone(sevenPoint) as unknown as Instrument;
  return { ...base, id: 'school.onze-kijkwijzer', version, title: { en: title } };
}

const offeredKeys = async (options?: { including?: string }) =>
  (await listOfferedInstruments(options)).map((record) => record.id).sort();

describe('installing an instrument', () => {
  it('installs a valid instrument as imported, with its outbox entry, and offers it for new observations', async () => {
    const result = await installInstrument(ownInstrument(), leader, T + 1000);
    expect(result).toEqual({
      kind: 'installed',
      key: 'school.onze-kijkwijzer@1.0.0',
      outlook: { kind: 'new', key: 'school.onze-kijkwijzer@1.0.0' },
    });
    const stored = await getInstalledInstrument('school.onze-kijkwijzer@1.0.0');
    expect(stored).toMatchObject({
      instrumentId: 'school.onze-kijkwijzer',
      version: '1.0.0',
      source: 'imported',
      createdAt: T + 1000,
      owner: null,
    });
    expect(stored?.content.title).toEqual({ en: 'Onze kijkwijzer' });
    expect(await offeredKeys()).toEqual(['school.onze-kijkwijzer@1.0.0']);
    const outbox = await listOutbox();
    expect(outbox.map((entry) => [entry.kind, entry.recordId, entry.op, entry.actor])).toEqual([
      ['instrument', 'school.onze-kijkwijzer@1.0.0', 'insert', 'leader'],
    ]);
  });

  it('stores a copy: changing the caller’s object afterwards changes nothing stored', async () => {
    const instrument = ownInstrument();
    await installInstrument(instrument, leader);
    instrument.title = { en: 'Changed after installing' };
    expect((await getInstalledInstrument('school.onze-kijkwijzer@1.0.0'))?.content.title).toEqual({
      en: 'Onze kijkwijzer',
    });
  });

  it('treats the same version with the same content as already installed, and other content as a taken version', async () => {
    await installInstrument(ownInstrument(), leader, T + 1000);
    // The same content with its keys in another order is the same instrument.
    const reordered = Object.fromEntries(Object.entries(ownInstrument()).reverse()) as unknown as Instrument;
    expect(await installInstrument(reordered, leader, T + 2000)).toEqual({
      kind: 'already-installed',
      key: 'school.onze-kijkwijzer@1.0.0',
    });
    expect(await installInstrument(ownInstrument('1.0.0', 'Another text'), leader, T + 3000)).toEqual({
      kind: 'version-taken',
      key: 'school.onze-kijkwijzer@1.0.0',
    });
    const stored = await getInstalledInstrument('school.onze-kijkwijzer@1.0.0');
    expect([stored?.content.title, stored?.updatedAt]).toEqual([{ en: 'Onze kijkwijzer' }, T + 1000]);
    expect(await listOutbox()).toHaveLength(1);
  });

  it('refuses content the validator refuses, with its problems, and writes nothing', async () => {
    const broken = { ...ownInstrument(), domains: [] } as Instrument;
    const result = await installInstrument(broken, leader);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.problems.map((p) => p.path)).toContain('$.domains');
    expect(await db().instruments.count()).toBe(0);
  });

  it('refuses a teacher by the writer rules, and writes nothing', async () => {
    await expect(installInstrument(ownInstrument(), teacher)).rejects.toThrow(WriteRefused);
    expect(await db().instruments.count()).toBe(0);
    expect(await listOutbox()).toEqual([]);
  });

  it('installs a new version beside the old one: the old keeps opening, new observations get the newest', async () => {
    await installInstrument(ownInstrument('1.0.0'), leader);
    expect(await getInstallOutlook(ownInstrument('1.1.0'))).toEqual({
      kind: 'beside',
      key: 'school.onze-kijkwijzer@1.1.0',
      versions: ['1.0.0'],
      newest: '1.0.0',
      becomesNewest: true,
      retired: false,
    });
    const result = await installInstrument(ownInstrument('1.1.0', 'Onze kijkwijzer, herzien'), leader);
    expect(result.kind === 'installed' && result.outlook.kind).toBe('beside');
    expect((await getInstalledInstrument('school.onze-kijkwijzer@1.0.0'))?.content.title).toEqual({
      en: 'Onze kijkwijzer',
    });
    expect(await offeredKeys()).toEqual(['school.onze-kijkwijzer@1.1.0']);
    // A request made with 1.0.0 still opens with 1.0.0, in place of the newer version.
    expect(await offeredKeys({ including: 'school.onze-kijkwijzer@1.0.0' })).toEqual(['school.onze-kijkwijzer@1.0.0']);
    // An older version installed later does not replace the newest.
    expect(
      (await getInstallOutlook(ownInstrument('1.0.5'))).kind === 'beside' &&
        (await getInstallOutlook(ownInstrument('1.0.5'))),
    ).toMatchObject({ becomesNewest: false, newest: '1.1.0' });
    await installInstrument(ownInstrument('1.0.5'), leader);
    expect(await offeredKeys()).toEqual(['school.onze-kijkwijzer@1.1.0']);
    const [group] = await listInstrumentVersions();
    expect(group?.versions.map((record) => record.version)).toEqual(['1.1.0', '1.0.5', '1.0.0']);
    expect(group?.offered?.version).toBe('1.1.0');
  });
});

describe('retiring an instrument', () => {
  it('retires every version from new observations and requests, keeps them installed, and uses them again', async () => {
    await installShippedInstruments(T + 500);
    const shippedCount = (await listOfferedInstruments()).length;
    await installInstrument(ownInstrument('1.0.0'), leader);
    await installInstrument(ownInstrument('1.1.0'), leader);
    await retireInstrument('school.onze-kijkwijzer', leader, T + 2000);
    expect((await listOfferedInstruments()).map((record) => record.instrumentId)).not.toContain(
      'school.onze-kijkwijzer',
    );
    expect(await listOfferedInstruments()).toHaveLength(shippedCount);
    // Still installed: observations keep opening with their version; the team's figures still name it.
    expect((await getInstalledInstrument('school.onze-kijkwijzer@1.0.0'))?.retiredAt).toBe(T + 2000);
    expect((await getInstalledInstrument('school.onze-kijkwijzer@1.1.0'))?.retiredAt).toBe(T + 2000);
    expect((await listLatestInstruments()).map((record) => record.id)).toContain('school.onze-kijkwijzer@1.1.0');
    // A request made with a retired version still offers it.
    expect(await offeredKeys({ including: 'school.onze-kijkwijzer@1.0.0' })).toContain('school.onze-kijkwijzer@1.0.0');
    const group = (await listInstrumentVersions()).find((each) => each.instrumentId === 'school.onze-kijkwijzer');
    expect([group?.retired, group?.offered]).toEqual([true, undefined]);

    // Retiring twice changes nothing more.
    const entries = (await listOutbox()).length;
    await retireInstrument('school.onze-kijkwijzer', leader, T + 3000);
    expect(await listOutbox()).toHaveLength(entries);

    await restoreInstrument('school.onze-kijkwijzer', leader, T + 4000);
    expect(await offeredKeys()).toContain('school.onze-kijkwijzer@1.1.0');
    expect(await getInstalledInstrument('school.onze-kijkwijzer@1.0.0')).not.toHaveProperty('retiredAt');
    const restore = (await listOutbox()).at(-1);
    expect([restore?.op, restore?.fields.retiredAt]).toEqual(['patch', null]);
  });

  it('is refused to a teacher', async () => {
    await installInstrument(ownInstrument(), leader);
    await expect(retireInstrument('school.onze-kijkwijzer', teacher)).rejects.toThrow(WriteRefused);
    expect(await offeredKeys()).toEqual(['school.onze-kijkwijzer@1.0.0']);
  });

  it('makes the instrument used again when a newer version is installed', async () => {
    await installInstrument(ownInstrument('1.0.0'), leader);
    await retireInstrument('school.onze-kijkwijzer', leader);
    expect(await getInstallOutlook(ownInstrument('1.1.0'))).toMatchObject({
      kind: 'beside',
      retired: true,
      becomesNewest: true,
    });
    await installInstrument(ownInstrument('1.1.0'), leader);
    expect(await offeredKeys()).toEqual(['school.onze-kijkwijzer@1.1.0']);
  });

  it('knows the shipped instruments’ keys without loading them, and installs nothing when all are stored', async () => {
    const shipped = await loadShippedInstruments();
    expect([...SHIPPED_INSTRUMENT_KEYS].sort()).toEqual(shipped.map((instrument) => instrumentKey(instrument)).sort());
    await installShippedInstruments(T + 500);
    const outbox = await listOutbox();
    expect(outbox).toHaveLength(SHIPPED_INSTRUMENT_KEYS.length);
    await installShippedInstruments(T + 700);
    expect(await listOutbox()).toEqual(outbox);
  });

  it('keeps a retired shipped instrument retired when the app ships a new version of it', async () => {
    await installShippedInstruments(T + 500);
    const [first] = await listLatestInstruments();
    await retireInstrument(first!.instrumentId, leader, T + 600);
    // A new shipped version arrives with an app update: pretend the installed one is older than what ships.
    await db()
      .instruments.where('id')
      .equals(first!.id)
      .modify((record) => {
        record.version = '0.9.0';
        record.id = `${record.instrumentId}@0.9.0`;
      });
    await installShippedInstruments(T + 700);
    const versions = (await listInstrumentVersions()).find((group) => group.instrumentId === first!.instrumentId);
    expect(versions?.versions.map((record) => [record.version, record.retiredAt])).toEqual([
      [first!.version, T + 600],
      ['0.9.0', T + 600],
    ]);
    expect(versions?.retired).toBe(true);
  });
});

describe('the instruments screen’s list', () => {
  it('shows the school’s own instruments first, then the shipped ones in the order the app ships them', async () => {
    await installShippedInstruments(T + 500);
    const shipped = (await listInstrumentVersions()).map((group) => group.instrumentId);
    await installInstrument(ownInstrument(), leader);
    expect((await listInstrumentVersions()).map((group) => group.instrumentId)).toEqual([
      'school.onze-kijkwijzer',
      ...shipped,
    ]);
  });
});
