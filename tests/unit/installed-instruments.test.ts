/** Installed versions side by side, retiring per instrument, and what installing would do (core, no database). */
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  groupVersions,
  installOutlook,
  nextFreeVersion,
  offeredVersions,
} from '../../src/core/model/installed-instruments';
import type { Instrument } from '../../src/core/instrument';
import type { InstalledInstrument } from '../../src/core/model/records';

const content = (id: string, version: string, title = 'T'): Instrument =>
  ({ id, version, title: { en: title } }) as unknown as Instrument;
const record = (id: string, version: string, extra: Partial<InstalledInstrument> = {}): InstalledInstrument => ({
  id: `${id}@${version}`,
  owner: null,
  createdAt: 1,
  updatedAt: 1,
  instrumentId: id,
  version,
  content: content(id, version),
  source: 'imported',
  ...extra,
});

describe('installed instruments', () => {
  it('offers the newest version of each instrument, compared as numbers, whatever order they were installed in', () => {
    const installed = [record('a', '1.10.0'), record('a', '1.9.3'), record('b', '2.0.0'), record('a', '1.2.0')];
    expect(offeredVersions(installed).map((r) => r.id)).toEqual(['a@1.10.0', 'b@2.0.0']);
    expect(groupVersions(installed)[0]?.versions.map((r) => r.version)).toEqual(['1.10.0', '1.9.3', '1.2.0']);
  });

  it('does not offer a retired instrument, and never falls back to an older version', () => {
    const installed = [
      record('a', '1.0.0'),
      record('a', '1.1.0', { retiredAt: 5 }),
      record('b', '1.0.0', { retiredAt: 5 }),
    ];
    expect(offeredVersions(installed)).toEqual([]);
    expect(groupVersions(installed).map((g) => [g.instrumentId, g.retired])).toEqual([
      ['a', true],
      ['b', true],
    ]);
    // A newer version installed after retiring is used again.
    expect(offeredVersions([...installed, record('a', '1.2.0')]).map((r) => r.id)).toEqual(['a@1.2.0']);
  });

  it('says what installing would do', () => {
    const installed = [record('a', '1.0.0'), record('a', '1.1.0', { retiredAt: 5 })];
    expect(installOutlook(installed, content('b', '1.0.0'))).toEqual({ kind: 'new', key: 'b@1.0.0' });
    expect(installOutlook(installed, content('a', '1.0.0'))).toEqual({ kind: 'already-installed', key: 'a@1.0.0' });
    expect(installOutlook(installed, content('a', '1.0.0', 'other'))).toEqual({
      kind: 'version-taken',
      key: 'a@1.0.0',
      versions: ['1.1.0', '1.0.0'],
    });
    expect(installOutlook(installed, content('a', '2.0.0'))).toEqual({
      kind: 'beside',
      key: 'a@2.0.0',
      versions: ['1.1.0', '1.0.0'],
      newest: '1.1.0',
      becomesNewest: true,
      retired: true,
    });
    expect(installOutlook(installed, content('a', '1.0.5'))).toMatchObject({ kind: 'beside', becomesNewest: false });
  });

  it('suggests a free version above every installed one', () => {
    expect(nextFreeVersion(['1.0.0'])).toBe('1.1.0');
    expect(nextFreeVersion(['1.9.3', '1.10.0', '1.2.0'])).toBe('1.11.0');
    expect(nextFreeVersion([])).toBe('1.1.0');
  });

  it('compares contents whatever the order of their keys', () => {
    expect(canonicalJson({ b: [{ y: 1, x: 2 }], a: 1 })).toBe(canonicalJson({ a: 1, b: [{ x: 2, y: 1 }] }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});
