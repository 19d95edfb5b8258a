/** Words and numbers for the dashboards: period names, scale values, and the instrument's domains and scale. */
import { flattenItems, type Instrument, type Scale } from '../../core/instrument';
import { t } from '../i18n/locale.svelte';

/** "2025-2026" stays; "2025-2026/2" becomes "2025-2026, periode 2". */
export function periodLabel(key: string): string {
  const [year, term] = key.split('/');
  return term ? t('insight.term', { year: year ?? key, term }) : (year ?? key);
}

/** The scale most rating items of the instrument use: positions (0–1) are shown on it. */
export function mainScale(instrument: Instrument): Scale | undefined {
  const counts = new Map<string, number>();
  for (const item of instrument.domains.flatMap((d) => flattenItems(d.items))) {
    if (item.response.type === 'rating') counts.set(item.response.scale, (counts.get(item.response.scale) ?? 0) + 1);
  }
  const id = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return instrument.scales.find((s) => s.id === id);
}

/** A position 0–1 as a value on the scale (1–4): lowest level + position × range. */
export function onScale(position: number, scale: Scale | undefined): number {
  if (!scale || scale.levels.length === 0) return position;
  const values = scale.levels.map((l) => l.value);
  const low = Math.min(...values);
  return low + position * (Math.max(...values) - low);
}
