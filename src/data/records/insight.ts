/**
 * What the dashboards read: one row per completed observation with its stored summary, and the people, teams and
 * instruments to label them. Observations completed before summaries existed get theirs computed here (and stored
 * by `backfillSummaries` after start), so a dashboard never depends on the backfill having run.
 */
import { alive, db } from '../database/db';
import { save, saveDeviceSetting, writeTransaction } from '../writes/local';
import { summaryOf } from './observations';
import { isCurrent, summarise, SUMMARY_VERSION } from '../../core/insight/summary';
import { summaryRow, type SummaryRow } from '../../core/insight/aggregate';
import type { Instrument } from '../../core/instrument';
import { byResponseKey, type Observation, type Person, type Team } from '../../core/model/records';

export interface InsightData {
  rows: SummaryRow[];
  people: Person[];
  teams: Team[];
  /** Installed instruments by key (`id@version`). */
  instruments: Map<string, Instrument>;
}

export async function loadInsight(): Promise<InsightData> {
  const database = db();
  return database.transaction(
    'r',
    [database.observations, database.people, database.teams, database.instruments, database.responses],
    async () => {
      const [observations, people, teams, installed] = await Promise.all([
        // The whole table in one read (getAll) is faster than two index ranges; drafts are left out below.
        database.observations.toArray(),
        database.people.toArray(),
        database.teams.toArray(),
        database.instruments.toArray(),
      ]);
      const instruments = new Map(installed.map((record) => [record.id, record.content]));
      const teamOf = new Map(people.map((p) => [p.id, p.teamId]));
      const live = observations.filter((o) => alive(o) && o.status !== 'draft');
      const missing = live.filter((o) => !isCurrent(o.summary));
      const computed = new Map<string, NonNullable<Observation['summary']>>();
      if (missing.length > 0) {
        const responses = await database.responses
          .where('observationId')
          .anyOf(missing.map((o) => o.id))
          .toArray();
        const byObservation = new Map<string, typeof responses>();
        for (const r of responses)
          if (alive(r)) byObservation.set(r.observationId, [...(byObservation.get(r.observationId) ?? []), r]);
        for (const o of missing) {
          const instrument = instruments.get(o.instrumentKey);
          if (instrument) computed.set(o.id, summarise(instrument, byResponseKey(byObservation.get(o.id) ?? []), o));
        }
      }
      const rows: SummaryRow[] = [];
      for (const o of live) {
        const summary = isCurrent(o.summary) ? o.summary : computed.get(o.id);
        const instrument = instruments.get(o.instrumentKey);
        if (!summary || !instrument) continue;
        rows.push(summaryRow(o, instrument.id, teamOf.get(o.observedId), summary));
      }
      return { rows, people: people.filter((p) => alive(p)), teams: teams.filter((t) => alive(t)), instruments };
    },
  );
}

/**
 * Stores the summary of completed observations that have none (or an outdated one), a batch at a time, as the app
 * itself. Runs after start, once per summary version on a device (observations completed later get theirs on
 * completion, and the loader computes any that are still missing); returns how many it stored.
 */
export async function backfillSummaries(batch = 200): Promise<number> {
  const database = db();
  if ((await database.device.get('summariesBackfilled'))?.value === String(SUMMARY_VERSION)) return 0;
  const stale = (await database.observations.where('status').anyOf(['completed', 'shared']).toArray()).filter(
    (o) => alive(o) && !isCurrent(o.summary),
  );
  let stored = 0;
  for (let i = 0; i < stale.length; i += batch) {
    await writeTransaction(['observation', 'response', 'instrument'], async () => {
      for (const observation of stale.slice(i, i + batch)) {
        const current = await database.observations.get(observation.id);
        if (!current || isCurrent(current.summary)) continue;
        const summary = await summaryOf(current);
        if (!summary) continue;
        await save('observation', current, { ...current, summary }, 'system', { at: current.updatedAt });
        stored++;
      }
    });
  }
  await saveDeviceSetting({ key: 'summariesBackfilled', value: String(SUMMARY_VERSION) });
  return stored;
}
