/**
 * The leader's team figures as a CSV file, for the annual report or the board: exactly what the team page shows for
 * the filters chosen (`LeaderView`, in which every figure combines at least three observed teachers and a team is
 * left out where the rest of the school would give it away), one figure per line so a spreadsheet can sort and
 * pivot them. Who observed whom is not in it: names do not belong in a file that travels.
 */
import type { LeaderView } from '../../../core/insight/leader-view';
import type { Scale } from '../../../core/instrument';
import { toCsv, type CsvCell } from '../../../core/export/csv';
import { locale, t } from '../../i18n/locale.svelte';
import { onScale, periodLabel } from '../../shared/insight-labels';

export interface TeamFigureLabels {
  domains: string[];
  /** The scale's levels as shown ("3 Goed"). */
  levels: string[];
  teamName: (id: string) => string;
  /** The team chosen, or the whole school. */
  selection: string;
  year: string;
  scale: Scale | undefined;
}

export function teamFiguresCsv(view: LeaderView, labels: TeamFigureLabels): string {
  const rows: CsvCell[][] = [];
  const mean = t('export.team.mean');
  view.trend.periods.forEach((period, i) => {
    const point = view.trend.points[i]!;
    if (!point.shown) return;
    point.value.forEach((value, d) => {
      if (value !== null)
        rows.push([
          t('team.trend'),
          periodLabel(period),
          labels.selection,
          labels.domains[d],
          mean,
          onScale(value, labels.scale),
          point.teachers,
        ]);
    });
  });
  if (view.distribution.shown) {
    const { value, teachers } = view.distribution;
    value.forEach((counts, d) =>
      counts.forEach((count, k) =>
        rows.push([
          t('export.team.distribution'),
          labels.year,
          labels.selection,
          labels.domains[d],
          labels.levels[k],
          count,
          teachers,
        ]),
      ),
    );
  }
  for (const { teamId, cell } of view.matrix) {
    if (!cell.shown) continue;
    cell.value.forEach((value, d) => {
      if (value !== null)
        rows.push([
          t('export.team.matrix'),
          labels.year,
          labels.teamName(teamId),
          labels.domains[d],
          mean,
          onScale(value, labels.scale),
          cell.teachers,
        ]);
    });
  }
  for (const period of view.activity)
    for (const [measure, value] of [
      [t('export.team.observations'), period.observations],
      [t('export.team.observers'), period.observers],
      [t('export.team.observed'), period.observed],
    ] as const)
      rows.push([t('team.participation'), periodLabel(period.period), labels.selection, '', measure, value, '']);
  return toCsv(
    [
      t('export.team.part'),
      t('export.team.period'),
      t('export.team.team'),
      t('export.team.domain'),
      t('export.team.measure'),
      t('export.team.value'),
      t('export.team.teachers'),
    ],
    rows,
    locale.current === 'en' ? 'en' : 'nl',
  );
}
