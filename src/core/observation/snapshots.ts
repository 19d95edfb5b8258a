import type { SnapshotSchedule } from '../instrument/types';

/** The lesson minutes at which snapshots are taken. */
export function snapshotMinutes(schedule: SnapshotSchedule): number[] {
  if ('atMinutes' in schedule) return [...schedule.atMinutes];
  const minutes: number[] = [];
  for (let m = schedule.fromMinute; m <= schedule.untilMinute; m += schedule.everyMinutes) minutes.push(m);
  return minutes;
}

/**
 * The snapshot to take now: the latest scheduled minute the lesson clock has reached that has not been recorded.
 * A snapshot stays due until it is recorded or the next one comes due (an observer who was busy can still fill
 * in the last one, but older ones are left: a snapshot is about that moment).
 */
export function dueSnapshot(minutes: number[], elapsedMs: number, recorded: ReadonlySet<number>): number | undefined {
  const elapsedMinutes = elapsedMs / 60_000;
  const reached = minutes.filter((m) => m <= elapsedMinutes);
  const latest = reached.at(-1);
  return latest !== undefined && !recorded.has(latest) ? latest : undefined;
}
