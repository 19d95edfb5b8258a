/**
 * Repeated sections (format 2, `domain.repeat`): the observer starts each repetition (a cycle, a segment) on the
 * lesson clock, and answers that repetition's items on their own. The starts are kept on the observation
 * (`Observation.cycles`), one list per repeated domain; a change sets the whole map, so a replay or a late write
 * is safe (see `startCycle`).
 */
import type { Domain, Instrument } from '../instrument/types';
import type { CycleMark, Observation } from '../model/records';
import { actualLessonMinutes } from './snapshots';

/** What the functions here read of an observation: its repetitions' starts. */
export interface CycleStarts {
  cycles?: Readonly<Record<string, readonly CycleMark[]>>;
}

/** Default bounds of a repeated section. */
export const DEFAULT_MIN_CYCLES = 1;
export const DEFAULT_MAX_CYCLES = 8;

export function cycleBounds(domain: Pick<Domain, 'repeat'>): { min: number; max: number } {
  const min = Math.max(1, domain.repeat?.min ?? DEFAULT_MIN_CYCLES);
  return { min, max: Math.max(min, domain.repeat?.max ?? DEFAULT_MAX_CYCLES) };
}

/** The repetitions started in a section (0 when none yet). */
export function cyclesStarted(observation: CycleStarts | undefined, domainId: string): number {
  return observation?.cycles?.[domainId]?.length ?? 0;
}

/**
 * The observation's cycle starts with one more repetition of a section, starting at `startedMs` on the lesson
 * clock; unchanged when the section already has its maximum. The result is the whole map (what the change sets).
 */
export function startCycle(
  cycles: Readonly<Record<string, readonly CycleMark[]>> | undefined,
  domain: Pick<Domain, 'id' | 'repeat'>,
  startedMs: number,
): Record<string, CycleMark[]> {
  const all = Object.fromEntries(Object.entries(cycles ?? {}).map(([id, marks]) => [id, [...marks]]));
  const marks = all[domain.id] ?? [];
  if (!domain.repeat || marks.length >= cycleBounds(domain).max) return all;
  return { ...all, [domain.id]: [...marks, { startedMs: Math.max(0, Math.round(startedMs)) }] };
}

/**
 * Per repeated section, how many repetitions progress asks for: those started, and at least the section's minimum
 * (a lesson that needs two cycles has two open until both are answered).
 */
export function cyclesAskedFor(instrument: Pick<Instrument, 'domains'>, observation: CycleStarts | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const domain of instrument.domains) {
    if (domain.repeat) out[domain.id] = Math.max(cycleBounds(domain).min, cyclesStarted(observation, domain.id));
  }
  return out;
}

/** Repeated sections with fewer repetitions started than their minimum. */
export function cyclesShort(instrument: Pick<Instrument, 'domains'>, observation: CycleStarts | undefined): Array<{ domain: Domain; started: number; min: number }> {
  return instrument.domains.flatMap((domain) => {
    if (!domain.repeat) return [];
    const started = cyclesStarted(observation, domain.id);
    const { min } = cycleBounds(domain);
    return started < min ? [{ domain, started, min }] : [];
  });
}

/**
 * The lesson's length for snapshots at equal parts: the observation's `lesson-minutes` context answer when it is a
 * positive number, else the instrument's `lessonMinutes`, else the default (`actualLessonMinutes`).
 */
export function lessonMinutesOf(instrument: Pick<Instrument, 'lessonMinutes'>, observation: Pick<Observation, 'context'> | undefined): number {
  return actualLessonMinutes(observation?.context ?? {}, instrument.lessonMinutes);
}
