/**
 * The demo school the app generates (the server loads it with `POST /api/school/demo`, a tablet writes it as the app
 * itself) passes every check a person's change gets: the content rule (src/core/sync/content.ts) and the identity
 * rule (src/core/sync/identity.ts). So the rules fit what the app makes, and a school uploaded from a tablet that
 * started with the demo is not refused.
 */
import { expect, it } from 'vitest';
import { demoRecords, generateDemo } from '../../src/server/sync/demo-records';
import { contentProblem } from '../../src/core/sync/content';
import { storeLookups } from '../../src/core/sync/write-intent';
import { identityProblem } from '../../src/core/sync/identity';
import type { RecordKind } from '../../src/core/sync/change';

it('generates a demo school of which every record passes the content and identity checks', async () => {
  const now = Date.UTC(2026, 10, 25, 9);
  const records = demoRecords(generateDemo(now), now);
  const byId = new Map<string, object>();
  for (const list of Object.values(records)) for (const record of list ?? []) byId.set(record.id, record);
  const lookups = storeLookups({ get: async (_kind, id) => byId.get(id), countIn: async () => 0, now: () => now });
  const problems: string[] = [];
  let checked = 0;
  for (const [kind, list] of Object.entries(records) as Array<[RecordKind, Array<{ id: string }>]>) {
    for (const record of list) {
      checked += 1;
      const problem =
        identityProblem(kind, undefined, record) ?? (await contentProblem(kind, undefined, record, lookups));
      if (problem) problems.push(`${kind} ${record.id}: ${JSON.stringify(problem)}`);
    }
  }
  expect(checked).toBeGreaterThan(1000);
  expect(problems.slice(0, 10)).toEqual([]);
});
