/**
 * The summary of one completed observation: per domain the mean of its ratings, per item the level reached. It is
 * computed when the observation is completed (and again after each amendment) and stored with it, so dashboards and
 * the Rasch estimation read one small object per observation instead of every response.
 */
import type { Instrument } from '../instrument/types';
import { flattenItems } from '../instrument/localize';
import type { ObservationSummary } from '../model/records';
import { notApplicableItems, type ResponseContent } from '../observation/progress';
import { domainSummaries, ratedItems } from '../feedback/report-summary';

export const SUMMARY_VERSION = 1;

export function summarise(instrument: Instrument, responses: ReadonlyMap<string, ResponseContent>): ObservationSummary {
  // The instrument's scoring rules: an item another answer made not applicable does not count.
  const items = new Map(instrument.domains.flatMap((d) => flattenItems(d.items)).map((item) => [item.id, item]));
  const ruledOut = notApplicableItems(instrument, items, responses);
  const counted = new Map([...responses].filter(([itemId]) => !ruledOut.has(itemId)));
  const summary: ObservationSummary = { version: SUMMARY_VERSION, domains: {}, items: {} };
  for (const domain of domainSummaries(instrument, counted)) {
    if (domain.rated === 0 || domain.meanPosition === undefined) continue;
    summary.domains[domain.domainId] = { rated: domain.rated, meanPosition: domain.meanPosition, ...(domain.mean !== undefined ? { mean: domain.mean } : {}) };
  }
  const scales = new Map(instrument.scales.map((s) => [s.id, s]));
  for (const rated of ratedItems(instrument, counted)) {
    const response = rated.item.response;
    if (response.type !== 'rating') continue;
    const levels = scales.get(response.scale)?.levels.length ?? 0;
    const index = scales.get(response.scale)?.levels.findIndex((l) => l.value === rated.value) ?? -1;
    if (levels < 2 || index < 0) continue;
    summary.items[rated.item.id] = [rated.item.reverse ? levels - 1 - index : index, levels];
  }
  return summary;
}

/** Whether a stored summary is current (computed by this version). */
export const isCurrent = (summary: ObservationSummary | undefined): summary is ObservationSummary => summary?.version === SUMMARY_VERSION;
