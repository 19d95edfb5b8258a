/**
 * Team figures for school leaders (README, "From observation to conversation, and who sees what"), as plain data in
 * and out: what a team-figures worker (team-figures.worker.ts) computes from its copy of a school. A leader's device
 * never receives the peer observations these figures come from, so it cannot compute them itself: the server runs
 * the core's own aggregation (`leaderView`, with its minimum group of three observed teachers and the complement
 * rule) and the team themes of the core's Rasch estimation, over every completed observation of the school, and
 * sends only what those release. Nothing per teacher leaves: not a summary, not an ability, not a next step.
 *
 * No database here: src/server/insight/school-reader.ts reads what this needs, team-figures.ts decides when.
 */
import { summaryRow, type SummaryRow } from '../../core/insight/aggregate';
import { leaderView } from '../../core/insight/leader-view';
import { development, estimationNotes, type Development } from '../../core/insight/development';
import type { TeamInsight } from '../../core/insight/team-insight';
import { newestVersions } from '../../core/instrument/versions';
import { mainFirst } from '../../core/instrument/suggest';
import type { Instrument } from '../../core/instrument/types';
import type { InstalledInstrument, Observation, ObservationSummary, Person, Team } from '../../core/model/records';

export interface TeamInsightRequest {
  instrumentId?: string;
  teamId: string;
  year: string;
  now: number;
}

export type { TeamInsight };

/**
 * The fields of an observation record the figures read: `summaryRow`'s, which instrument, and whether it counts. The
 * reader selects only these (an observation's context, clock and cycles stay in the database).
 */
export const OBSERVATION_FIELDS = [
  'id',
  'observedId',
  'observerId',
  'purpose',
  'status',
  'startedAt',
  'instrumentKey',
  'deletedAt',
] as const satisfies ReadonlyArray<keyof Observation>;

type ObservationFields = Pick<Observation, (typeof OBSERVATION_FIELDS)[number]>;

/** A completed observation with the server's summary of it (table `summaries`). */
export interface SummarisedObservation {
  observation: ObservationFields;
  summary: ObservationSummary;
}

/** The frame records the figures read: people (teams, roles), teams, and installed instruments. */
export type FrameRecord =
  { kind: 'person'; data: Person } | { kind: 'team'; data: Team } | { kind: 'instrument'; data: InstalledInstrument };

/** What the figures are computed from: one row per completed observation, and the school's frame. */
export interface TeamData {
  rows: SummaryRow[];
  people: Person[];
  teams: Team[];
  instruments: Instrument[];
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byId = (a: { id: string }, b: { id: string }) => compareIds(a.id, b.id);

/**
 * The rows and frame the core's functions take, each in id order whatever order they were read in (as a device
 * reads them from IndexedDB): the same data gives the same figures to the last tie (the core's sorts are stable and
 * keep the input's order among equals; the teams' order is the order of the team overview).
 */
export function teamData(observations: Iterable<SummarisedObservation>, frame: Iterable<FrameRecord>): TeamData {
  const people: Person[] = [];
  const teams: Team[] = [];
  const installed = new Map<string, Instrument>();
  for (const record of frame) {
    if (record.kind === 'instrument') installed.set(record.data.id, record.data.content);
    else if (record.data.deletedAt !== undefined) continue;
    else if (record.kind === 'person') people.push(record.data);
    else teams.push(record.data);
  }
  people.sort(byId);
  teams.sort(byId);
  const teamOf = new Map(people.map((p) => [p.id, p.teamId]));
  const rows: SummaryRow[] = [];
  for (const { observation: o, summary } of observations) {
    const instrument = installed.get(o.instrumentKey);
    if (!instrument || o.deletedAt !== undefined || o.status === 'draft') continue;
    rows.push(summaryRow(o, instrument.id, teamOf.get(o.observedId), summary));
  }
  rows.sort((a, b) => compareIds(a.observationId, b.observationId));
  return { rows, people, teams, instruments: [...installed.values()] };
}

/**
 * What the figures of one `TeamData` share between selections, kept by the caller for as long as the data are the
 * same (pass a fresh one, or none, for other data): per instrument the Rasch estimate and the school years with data
 * (`LeaderView.years`: the school's, whatever team or year is asked for), so a request for the newest year ('')
 * needs `leaderView` once rather than twice. (tests/server/team-figures.test.ts compares every team, year and
 * instrument with `leaderView` asked twice, as before.)
 */
export interface TeamMemo {
  estimates: Map<string, Development>;
  years: Map<string, readonly string[]>;
}

export const newTeamMemo = (): TeamMemo => ({ estimates: new Map(), years: new Map() });

/** The figures of one selection. */
export function teamInsight(data: TeamData, request: TeamInsightRequest, memo: TeamMemo = newTeamMemo()): TeamInsight {
  const used = new Set(data.rows.map((r) => r.instrumentId));
  const instruments = newestVersions(
    data.instruments.filter((i) => used.has(i.id) && i.kind !== 'self-assessment'),
  ).sort(mainFirst);
  const instrument = instruments.find((i) => i.id === request.instrumentId) ?? instruments[0];
  if (!instrument) return { instrumentIds: [], instrumentId: null, view: null, themes: null, estimation: null };
  const filters = { teamId: request.teamId, year: request.year, instrumentId: instrument.id, now: request.now };
  const years = () =>
    memo.years.get(instrument.id) ?? leaderView(data.rows, instrument, data.people, data.teams, filters).years;
  const year = request.year || (years()[0] ?? '');
  const view = leaderView(data.rows, instrument, data.people, data.teams, { ...filters, year });
  memo.years.set(instrument.id, view.years);
  let estimate = memo.estimates.get(instrument.id);
  if (!estimate) {
    estimate = development({
      rows: data.rows,
      instrument,
      teams: Object.fromEntries(data.people.map((p) => [p.id, p.teamId])),
    });
    memo.estimates.set(instrument.id, estimate);
  }
  const themes = request.teamId
    ? (estimate.themes[request.teamId] ?? { themes: [], members: 0, withheld: 'too-few-members' as const })
    : estimate.schoolThemes;
  return {
    instrumentIds: instruments.map((i) => i.id),
    instrumentId: instrument.id,
    view,
    themes,
    estimation: estimationNotes(estimate),
  };
}
