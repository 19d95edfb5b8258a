/**
 * Team figures for school leaders, computed on the server (README, "From observation to conversation, and who sees what"). A leader's device
 * never receives the peer observations these figures come from, so it cannot compute them itself: the server runs
 * the core's own aggregation (`leaderView`, with its minimum group of three observed teachers and the complement
 * rule) and the team themes of the core's Rasch estimation, over every completed observation of the school, and
 * sends only what those release. Nothing per teacher leaves: not a summary, not an ability, not a next step.
 */
import type { Sql } from '../db/database';
import { summaryRow, type SummaryRow } from '../../core/insight/aggregate';
import { isCurrent } from '../../core/insight/summary';
import { refreshSummary } from '../sync/summaries';
import { leaderView } from '../../core/insight/leader-view';
import { development } from '../../core/insight/development';
import type { TeamInsight } from '../../core/insight/team-insight';
import { newestVersions } from '../../core/instrument/versions';
import type { Instrument } from '../../core/instrument/types';
import type { InstalledInstrument, ObservationSummary, Observation, Person, Team } from '../../core/model/records';

export interface TeamInsightRequest {
  instrumentId?: string;
  teamId: string;
  year: string;
  now: number;
}

export type { TeamInsight };

interface SchoolData {
  rows: SummaryRow[];
  people: Person[];
  teams: Team[];
  instruments: Instrument[];
}

async function schoolData(sql: Sql, schoolId: string): Promise<SchoolData> {
  const [observations, frame] = await Promise.all([
    sql.query<{ data: Observation; summary: ObservationSummary }>(
      "SELECT r.data, s.data AS summary FROM summaries s JOIN records r ON r.school_id = s.school_id AND r.kind = 'observation' AND r.id = s.observation_id WHERE s.school_id = $1",
      [schoolId],
    ),
    sql.query<{ kind: string; data: Person | Team | InstalledInstrument }>(
      "SELECT kind, data FROM records WHERE school_id = $1 AND kind IN ('person', 'team', 'instrument')",
      [schoolId],
    ),
  ]);
  const alive = <T extends { deletedAt?: number }>(record: T) => record.deletedAt === undefined;
  const people = frame
    .filter((r) => r.kind === 'person')
    .map((r) => r.data as Person)
    .filter(alive);
  const teams = frame
    .filter((r) => r.kind === 'team')
    .map((r) => r.data as Team)
    .filter(alive);
  const installed = new Map(
    frame
      .filter((r) => r.kind === 'instrument')
      .map((r) => [(r.data as InstalledInstrument).id, (r.data as InstalledInstrument).content]),
  );
  const teamOf = new Map(people.map((p) => [p.id, p.teamId]));
  // A summary of an older computation (SUMMARY_VERSION went up since it was stored) is computed again, and kept.
  for (const row of observations) {
    if (isCurrent(row.summary)) continue;
    await refreshSummary(sql, schoolId, row.data.id);
    const [fresh] = await sql.query<{ data: ObservationSummary }>(
      'SELECT data FROM summaries WHERE school_id = $1 AND observation_id = $2',
      [schoolId, row.data.id],
    );
    if (fresh) row.summary = fresh.data;
  }
  const rows: SummaryRow[] = [];
  for (const { data: o, summary } of observations) {
    const instrument = installed.get(o.instrumentKey);
    if (!instrument || o.deletedAt !== undefined || o.status === 'draft') continue;
    rows.push(summaryRow(o, instrument.id, teamOf.get(o.observedId), summary));
  }
  return { rows, people, teams, instruments: [...installed.values()] };
}

export async function teamInsight(sql: Sql, schoolId: string, request: TeamInsightRequest): Promise<TeamInsight> {
  const data = await schoolData(sql, schoolId);
  const used = new Set(data.rows.map((r) => r.instrumentId));
  const instruments = newestVersions(
    data.instruments.filter((i) => used.has(i.id) && i.kind !== 'self-assessment'),
  ).sort(
    (a, b) => (a.kind === 'observation' ? -1 : 0) - (b.kind === 'observation' ? -1 : 0) || a.id.localeCompare(b.id),
  );
  const instrument = instruments.find((i) => i.id === request.instrumentId) ?? instruments[0];
  if (!instrument) return { instrumentIds: [], instrumentId: null, view: null, themes: null };
  const filters = { teamId: request.teamId, year: request.year, instrumentId: instrument.id, now: request.now };
  const year = request.year || (leaderView(data.rows, instrument, data.people, data.teams, filters).years[0] ?? '');
  const view = leaderView(data.rows, instrument, data.people, data.teams, { ...filters, year });
  const estimate = development({
    rows: data.rows,
    instrument,
    teams: Object.fromEntries(data.people.map((p) => [p.id, p.teamId])),
  });
  const themes = request.teamId
    ? (estimate.themes[request.teamId] ?? { themes: [], members: 0, withheld: 'too-few-members' as const })
    : estimate.schoolThemes;
  return { instrumentIds: instruments.map((i) => i.id), instrumentId: instrument.id, view, themes };
}
