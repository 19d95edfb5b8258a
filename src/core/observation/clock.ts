import type { LessonClock, Timestamp } from '../model/records';

/**
 * The lesson clock counts wall-clock time while running. It is stored as "time counted so far" plus "running
 * since", never as a ticking number, so a tablet that sleeps or dies mid-lesson finds the right time on waking:
 * the lesson went on while the screen was dark.
 */
export function elapsedMs(clock: LessonClock, now: Timestamp): number {
  return clock.elapsedMs + (clock.runningSince !== undefined ? Math.max(0, now - clock.runningSince) : 0);
}

export function startClock(clock: LessonClock, now: Timestamp): LessonClock {
  return clock.runningSince !== undefined ? clock : { elapsedMs: clock.elapsedMs, runningSince: now };
}

export function pauseClock(clock: LessonClock, now: Timestamp): LessonClock {
  return { elapsedMs: elapsedMs(clock, now) };
}

/** "12:05" for 12 minutes 5 seconds; hours roll into minutes (a double lesson reads "95:00"). */
export function formatClock(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}
