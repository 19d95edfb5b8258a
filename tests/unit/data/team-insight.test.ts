/**
 * A signed-in leader's team figures from the school server (src/data/sync/team-insight.ts), on fake-indexeddb with a
 * fake `fetch`: the request, the answer kept per filter set, the kept answer shown offline or when the server
 * fails, nothing for other filters, and a 403 (not a leader any more) that drops what was kept.
 */
import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from './harness';
import { cacheKey, loadTeamInsight, type TeamInsight } from '../../../src/data/sync/team-insight';
import type { Fetch } from '../../../src/data/sync/sync-transport';

const { db } = useFreshDatabase();

const insight = (instrumentId: string): TeamInsight => ({
  instrumentIds: [instrumentId],
  instrumentId,
  view: {
    trend: { periods: [], points: [] },
    distribution: { shown: false, why: 'too-few', teachers: 2 },
    matrix: [],
    activity: [],
    coverage: { observed: 0, teachers: 0, share: 0, term: '2025-2026-1' },
    pairs: [],
    years: ['2025-2026'],
  },
  themes: { themes: [], members: 2, withheld: 'too-few-members' },
  estimation: { defaultsUsed: true, notConnected: false, ignoredLevels: 0 },
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fake server: each call answers with the next of `answers` (a function of the url, or a thrown error). */
function fakeFetch(answer: (url: string) => Response) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch: Fetch = async (url, init) => {
    calls.push({ url, init });
    return answer(url);
  };
  return { calls, fetch };
}

const offline: Fetch = async () => {
  throw new TypeError('Failed to fetch');
};

const filters = { teamId: 'team-1', year: '2025-2026', instrumentId: 'lesobservatie' };

describe('loadTeamInsight', () => {
  it('asks the server with the filters and the session cookie, and keeps the answer', async () => {
    const { calls, fetch } = fakeFetch(() => json(200, insight('lesobservatie')));
    const result = await loadTeamInsight(filters, { fetch, now: () => 1000 });
    expect(result).toEqual({ status: 'current', insight: insight('lesobservatie'), at: 1000 });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('/api/insight/team?teamId=team-1&year=2025-2026&instrumentId=lesobservatie');
    expect(calls[0]!.init).toMatchObject({ method: 'GET', credentials: 'same-origin' });
    expect(JSON.parse((await db().device.get(cacheKey(filters)))!.value)).toEqual({
      at: 1000,
      insight: insight('lesobservatie'),
    });
  });

  it('leaves the instrument to the server when none is chosen yet', async () => {
    const { calls, fetch } = fakeFetch(() => json(200, insight('lesobservatie')));
    await loadTeamInsight({ teamId: '', year: '', instrumentId: '' }, { fetch });
    expect(calls[0]!.url).toBe('/api/insight/team?teamId=&year=');
  });

  it('shows the last answer for the same filters when offline, with its time, and nothing for other filters', async () => {
    await loadTeamInsight(filters, {
      fetch: fakeFetch(() => json(200, insight('lesobservatie'))).fetch,
      now: () => 1000,
    });
    expect(await loadTeamInsight(filters, { fetch: offline, now: () => 5000 })).toEqual({
      status: 'stale',
      insight: insight('lesobservatie'),
      at: 1000,
      problem: 'offline',
    });
    expect(await loadTeamInsight({ ...filters, teamId: '' }, { fetch: offline })).toEqual({
      status: 'unavailable',
      problem: 'offline',
    });
  });

  it('keeps the newest answer per filter set', async () => {
    await loadTeamInsight(filters, { fetch: fakeFetch(() => json(200, insight('a'))).fetch, now: () => 1000 });
    await loadTeamInsight(filters, { fetch: fakeFetch(() => json(200, insight('b'))).fetch, now: () => 2000 });
    expect(await loadTeamInsight(filters, { fetch: offline })).toMatchObject({
      status: 'stale',
      insight: { instrumentId: 'b' },
      at: 2000,
    });
  });

  it('falls back on the kept answer when the server fails, and says why', async () => {
    await loadTeamInsight(filters, { fetch: fakeFetch(() => json(200, insight('a'))).fetch, now: () => 1000 });
    expect(
      await loadTeamInsight(filters, {
        fetch: fakeFetch(() => json(503, { error: { code: 'unavailable', message: 'x' } })).fetch,
      }),
    ).toMatchObject({ status: 'stale', problem: 'server' });
    expect(
      await loadTeamInsight(filters, {
        fetch: fakeFetch(() => json(401, { error: { code: 'no-session', message: 'x' } })).fetch,
      }),
    ).toMatchObject({ status: 'stale', problem: 'signed-out' });
    // An answer that is not the protocol (a proxy's page) is neither kept nor drawn.
    expect(
      await loadTeamInsight(filters, { fetch: fakeFetch(() => json(200, { hello: 'proxy' })).fetch }),
    ).toMatchObject({ status: 'stale', problem: 'server', at: 1000 });
  });

  it('says "not a leader" on 403 and drops what was kept for those filters', async () => {
    await loadTeamInsight(filters, { fetch: fakeFetch(() => json(200, insight('a'))).fetch, now: () => 1000 });
    const forbidden = fakeFetch(() =>
      json(403, { error: { code: 'not-a-leader', message: 'Team figures are for school leaders.' } }),
    );
    expect(await loadTeamInsight(filters, { fetch: forbidden.fetch })).toEqual({ status: 'not-a-leader' });
    expect(await loadTeamInsight(filters, { fetch: offline })).toEqual({ status: 'unavailable', problem: 'offline' });
  });

  it('takes an older server’s answer without the notes on the estimate, and refuses notes it cannot read', async () => {
    const { estimation: _notes, ...older } = insight('a');
    const fromOlder = await loadTeamInsight(filters, { fetch: fakeFetch(() => json(200, older)).fetch, now: () => 1 });
    expect(fromOlder).toEqual({ status: 'current', insight: older, at: 1 });
    for (const estimation of [
      { defaultsUsed: 'yes', notConnected: false, ignoredLevels: 0 },
      { defaultsUsed: false, notConnected: false, ignoredLevels: -1 },
      { defaultsUsed: false, notConnected: false, ignoredLevels: 1.5 },
      'none',
    ]) {
      const broken = fakeFetch(() => json(200, { ...insight('a'), estimation }));
      expect(await loadTeamInsight(filters, { fetch: broken.fetch })).toMatchObject({
        status: 'stale',
        problem: 'server',
      });
    }
  });
});
