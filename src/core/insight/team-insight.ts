/**
 * The answer of `GET /api/insight/team`: a leader's team figures as the school server computes them (with
 * `leaderView` and the team themes of the Rasch estimation, the same core code a device-only school runs), for the
 * device to draw. Only what the privacy rules release is in it: never one teacher's scores or next steps.
 */
import type { LeaderView } from './leader-view';
import type { TeamThemes } from '../statistics/next-steps';
import type { EstimationNotes } from './development';

export interface TeamInsight {
  /** Observation instruments with data (newest version's id), the main one first. */
  instrumentIds: string[];
  /** The instrument the figures are for: the one asked for, or the first; null when there is no data at all. */
  instrumentId: string | null;
  view: LeaderView | null;
  themes: TeamThemes | null;
  /** How the themes were estimated (absent from an older server's answer). */
  estimation?: EstimationNotes | null;
}
