/**
 * A teacher's own records as two CSV files (src/data/records/my-records.ts): the observations of their lessons, one
 * line per domain with its mean on the instrument's scale; and their goals and reflections.
 */
import type { MyRecords } from '../../../data/records/my-records';
import { toCsv, type CsvCell } from '../../../core/export/csv';
import { formatDate, locale, t } from '../../i18n/locale.svelte';
import { text } from '../../shared/instrument-describe';

const language = () => (locale.current === 'en' ? 'en' : 'nl');
const day = (at: number | undefined) => (at === undefined ? '' : formatDate(at, { dateStyle: 'short' }));

export function myObservationsCsv(records: MyRecords): string {
  const rows: CsvCell[][] = [];
  for (const { observation, observer, instrument } of records.observations) {
    const base = [
      day(observation.startedAt),
      t(`purpose.${observation.purpose}`),
      observer?.name ?? '',
      instrument ? text(instrument, instrument.title) : observation.instrumentKey,
    ];
    const domains = instrument?.domains ?? [];
    const summary = observation.summary?.domains ?? {};
    const rated = domains.filter((domain) => summary[domain.id]);
    if (rated.length === 0) rows.push([...base, '', '', '']);
    for (const domain of rated) {
      const figures = summary[domain.id]!;
      rows.push([...base, text(instrument!, domain.title), figures.mean ?? null, figures.rated]);
    }
  }
  return toCsv(
    [
      t('export.me.date'),
      t('export.me.kind'),
      t('export.me.observer'),
      t('export.me.instrument'),
      t('export.me.domain'),
      t('export.me.mean'),
      t('export.me.rated'),
    ],
    rows,
    language(),
  );
}

export function myGoalsCsv(records: MyRecords): string {
  const lesson = new Map(records.observations.map((entry) => [entry.observation.id, entry]));
  const rows: CsvCell[][] = records.goals.map((goal) => [
    t('export.me.goal'),
    goal.text,
    t(`goals.status.${goal.status}`),
    goal.targetOn ?? '',
    day(goal.achievedAt),
    goal.observationId ? day(lesson.get(goal.observationId)?.observation.startedAt) : '',
    goal.observationId ? (lesson.get(goal.observationId)?.observer?.name ?? '') : '',
  ]);
  for (const { observation, observer, reflection } of records.observations)
    if (reflection?.text.trim())
      rows.push([
        t('export.me.reflection'),
        reflection.text,
        reflection.acknowledgedAt ? t('stage.discussed') : '',
        '',
        day(reflection.acknowledgedAt),
        day(observation.startedAt),
        observer?.name ?? '',
      ]);
  return toCsv(
    [
      t('export.me.what'),
      t('export.me.text'),
      t('export.me.status'),
      t('export.me.target'),
      t('export.me.doneOn'),
      t('export.me.lesson'),
      t('export.me.observer'),
    ],
    rows,
    language(),
  );
}
