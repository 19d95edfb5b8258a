/**
 * A calibration pair's scores as a CSV file, for a team meeting about reading the instrument the same way: per item
 * both observers rated, its domain, each observer's level (1 is the scale's lowest, turned for reverse-keyed items
 * as the agreement counts it) and the difference.
 */
import type { ObservationReport } from '../../../data/records/feedback-views';
import { flattenItems } from '../../../core/instrument';
import { toCsv } from '../../../core/export/csv';
import { locale, t } from '../../i18n/locale.svelte';
import { text } from '../../shared/instrument-describe';

export function calibrationCsv(report: ObservationReport): string {
  const { instrument, calibration } = report;
  const items = new Map(
    instrument.domains.flatMap((d) => flattenItems(d.items).map((item) => [item.id, item] as const)),
  );
  const domains = new Map(instrument.domains.map((d) => [d.id, d]));
  const rows = (calibration?.pairs ?? []).map(({ itemId, domain, levels, pair: [mine, theirs] }) => {
    const item = items.get(itemId);
    const domainOf = domains.get(domain);
    return [
      domainOf ? text(instrument, domainOf.title) : domain,
      item ? text(instrument, item.text) : itemId,
      mine + 1,
      theirs + 1,
      Math.abs(mine - theirs),
      levels,
    ];
  });
  return toCsv(
    [
      t('calibration.domain'),
      t('export.calibration.item'),
      report.observer?.name ?? t('export.calibration.me'),
      calibration?.otherObserver?.name ?? t('export.calibration.other'),
      t('export.calibration.difference'),
      t('export.calibration.levels'),
    ],
    rows,
    locale.current === 'en' ? 'en' : 'nl',
  );
}
