/**
 * The sync protocol's versions (src/core/sync/sync-versions.ts): the version the protocol speaks is the device's
 * database schema version, every version in the support window has a path of upgrades to the current one, the
 * pipeline runs each step once and in order, and a version outside the window has none.
 */
import { describe, expect, it } from 'vitest';
import {
  CHANGE_UPGRADES,
  CURRENT_SCHEMA_VERSION,
  OLDEST_SCHEMA_VERSION,
  UNVERSIONED_SCHEMA_VERSION,
  upgradeChange,
  versionStanding,
  type ChangeUpgrade,
} from '../../src/core/sync/sync-versions';
import { CURRENT_VERSION } from '../../src/data/database/schema';
import type { OutboxChange } from '../../src/core/sync/change';

/** A note as a tablet of schema 4 wrote it (literal: the shape of that version). */
const noteOfV4: OutboxChange = {
  seq: 12,
  id: '6f1c0d4e-8a51-4f0e-9d7b-2f3c4b5a6e7d',
  kind: 'note',
  recordId: 'n1',
  op: 'insert',
  fields: { id: 'n1', observationId: 'o1', text: 'Rustige start.', createdAt: 1, updatedAt: 1, owner: 'anna' },
  at: 1_767_600_000_000,
  actor: 'anna',
};

describe('the protocol’s versions', () => {
  it('speaks the device’s database schema version, and takes a request without one as version 5', () => {
    expect(CURRENT_SCHEMA_VERSION).toBe(CURRENT_VERSION);
    // The apps released before versions were sent all write 5: the window must keep it until it moves past it.
    expect(UNVERSIONED_SCHEMA_VERSION).toBe(5);
    expect(OLDEST_SCHEMA_VERSION).toBeLessThanOrEqual(CURRENT_SCHEMA_VERSION);
  });

  it('places a version inside the window, below it or above it', () => {
    expect(versionStanding(OLDEST_SCHEMA_VERSION - 1)).toBe('too-old');
    expect(versionStanding(OLDEST_SCHEMA_VERSION)).toBe('supported');
    expect(versionStanding(CURRENT_SCHEMA_VERSION)).toBe('supported');
    expect(versionStanding(CURRENT_SCHEMA_VERSION + 1)).toBe('too-new');
  });

  it('has a path of upgrades to the current version from every version in the window', () => {
    for (let version = OLDEST_SCHEMA_VERSION; version < CURRENT_SCHEMA_VERSION; version++)
      expect(CHANGE_UPGRADES[version], `a step from ${version}`).toBeTypeOf('function');
    for (let version = OLDEST_SCHEMA_VERSION; version <= CURRENT_SCHEMA_VERSION; version++) {
      const upgraded = upgradeChange(structuredClone(noteOfV4), version);
      // Every step so far changed no shape (4→5 added a kind of record, 5→6 optional fields): the change arrives as
      // it was written.
      expect(upgraded).toEqual(noteOfV4);
    }
  });

  it('has no path from a version outside the window', () => {
    expect(() => upgradeChange(noteOfV4, OLDEST_SCHEMA_VERSION - 1)).toThrow(RangeError);
    expect(() => upgradeChange(noteOfV4, CURRENT_SCHEMA_VERSION + 1)).toThrow(RangeError);
    expect(() => upgradeChange(noteOfV4, 4.5)).toThrow(RangeError);
  });

  it('runs every step from the device’s version up, once each and in order, and stops at a gap', () => {
    const ran: number[] = [];
    const step =
      (from: number): ChangeUpgrade =>
      (change) => {
        ran.push(from);
        return { ...change, fields: { ...change.fields, trail: [...((change.fields.trail as number[]) ?? []), from] } };
      };
    const steps = { 1: step(1), 2: step(2), 3: step(3) };
    expect(upgradeChange(noteOfV4, 2, steps, 4).fields.trail).toEqual([2, 3]);
    expect(ran).toEqual([2, 3]);
    expect(upgradeChange(noteOfV4, 4, steps, 4)).toBe(noteOfV4);
    expect(noteOfV4.fields).not.toHaveProperty('trail');
    expect(() => upgradeChange(noteOfV4, 1, { 1: step(1), 3: step(3) }, 4)).toThrow('from schema version 2 to 3');
  });
});
