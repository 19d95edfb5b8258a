import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './harness';
import { loadDemoSchool } from '../../../src/data/records/demo';
import { getSchool } from '../../../src/data/records/school';
import { listDrafts } from '../../../src/data/records/observations';

const { db } = useFreshDatabase();

describe('the demo school', () => {
  it('fills an empty device in one go, marked as demo', async () => {
    const now = Date.UTC(2026, 10, 25, 9, 0);
    await loadDemoSchool(now);
    expect(await getSchool()).toMatchObject({ demo: true });
    expect(await db().teams.count()).toBe(3);
    expect(await db().people.count()).toBeGreaterThanOrEqual(20);
    expect(await db().observations.count()).toBeGreaterThan(50);
    expect(await db().responses.count()).toBeGreaterThan(1000);
    // Every observation points at an installed instrument version.
    const keys = new Set(await db().instruments.toCollection().primaryKeys());
    expect((await db().observations.toArray()).every((o) => keys.has(o.instrumentKey))).toBe(true);
    // A few recent drafts, so "continue observing" has something to show.
    const observer = (await db().observations.where('status').equals('draft').first())?.observerId;
    expect(observer).toBeDefined();
    expect((await listDrafts(observer!)).length).toBeGreaterThan(0);
  });

  it('refuses to load into a device that already has a school, and changes nothing', async () => {
    await loadDemoSchool(Date.UTC(2026, 10, 25));
    const before = await db().observations.count();
    await expect(loadDemoSchool(Date.UTC(2026, 10, 26))).rejects.toThrow(/already has a school/);
    expect(await db().observations.count()).toBe(before);
    expect(await db().schools.count()).toBe(1);
  });
});
