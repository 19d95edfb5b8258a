/**
 * Repeated sections (format 2, `domain.repeat`): the observer starts each repetition (a cycle, a segment) on the
 * lesson clock, and answers that repetition's items on their own. The starts are kept on the observation
 * (`Observation.cycles`), one list per repetition group (`repeatKey`: the repeat's `group`, else the domain id), so
 * sections repeated together share their repetitions; a change sets the whole map, so a replay or a late write is
 * safe (see `startCycle`).
 */
import type { Domain, Instrument } from '../instrument/types';
import { repeatKey } from '../instrument/localize';
import type { CycleMark, Observation } from '../model/records';
import { actualLessonMinutes } from './snapshots';

/** What the functions here read of an observation: its repetitions' starts. */
export interface CycleStarts {
  cycles?: Readonly<Record<string, readonly CycleMark[]>>;
}

/** Default bounds of a repeated section. */
const DEFAULT_MIN_CYCLES = 1;
const DEFAULT_MAX_CYCLES = 8;

export function cycleBounds(domain: Pick<Domain, 'repeat'>): { min: number; max: number } {
  const min = Math.max(1, domain.repeat?.min ?? DEFAULT_MIN_CYCLES);
  return { min, max: Math.max(min, domain.repeat?.max ?? DEFAULT_MAX_CYCLES) };
}

/** The repetitions started in a section, or its group (0 when none yet). */
export function cyclesStarted(observation: CycleStarts | undefined, domain: Pick<Domain, 'id' | 'repeat'>): number {
  return observation?.cycles?.[repeatKey(domain)]?.length ?? 0;
}

/**
 * The observation's cycle starts with one more repetition of a section (and of the sections repeated with it),
 * starting at `startedMs` on the lesson clock; unchanged when it already has its maximum. The result is the whole
 * map (what the change sets).
 */
export function startCycle(
  cycles: Readonly<Record<string, readonly CycleMark[]>> | undefined,
  domain: Pick<Domain, 'id' | 'repeat'>,
  startedMs: number,
): Record<string, CycleMark[]> {
  const all = Object.fromEntries(Object.entries(cycles ?? {}).map(([id, marks]) => [id, [...marks]]));
  const key = repeatKey(domain);
  const marks = all[key] ?? [];
  if (!domain.repeat || marks.length >= cycleBounds(domain).max) return all;
  return { ...all, [key]: [...marks, { startedMs: Math.max(0, Math.round(startedMs)) }] };
}

/**
 * Per repetition group (`repeatKey`), how many repetitions progress asks for: those started, and at least the
 * section's minimum (a lesson that needs two cycles has two open until both are answered).
 */
export function cyclesAskedFor(
  instrument: Pick<Instrument, 'domains'>,
  observation: CycleStarts | undefined,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const domain of instrument.domains) {
    if (domain.repeat)
      out[repeatKey(domain)] = Math.max(
        out[repeatKey(domain)] ?? 0,
        cycleBounds(domain).min,
        cyclesStarted(observation, domain),
      );
  }
  return out;
}

/** Per repetition group started (`repeatKey`): how many repetitions, as scoring counts them. */
export function cycleCounts(observation: CycleStarts | undefined): Record<string, number> | undefined {
  return observation?.cycles
    ? Object.fromEntries(Object.entries(observation.cycles).map(([key, marks]) => [key, marks.length]))
    : undefined;
}

/** Per repetition group: when each repetition started on the lesson clock (ms), for snapshots inside repeated sections. */
export function cycleStartsMs(observation: CycleStarts | undefined): Record<string, number[]> {
  return Object.fromEntries(
    Object.entries(observation?.cycles ?? {}).map(([key, marks]) => [key, marks.map((mark) => mark.startedMs)]),
  );
}

/** Repeated sections with fewer repetitions started than their minimum: the first section of each group. */
export function cyclesShort(
  instrument: Pick<Instrument, 'domains'>,
  observation: CycleStarts | undefined,
): Array<{ domain: Domain; started: number; min: number }> {
  const seen = new Set<string>();
  return instrument.domains.flatMap((domain) => {
    if (!domain.repeat || seen.has(repeatKey(domain))) return [];
    seen.add(repeatKey(domain));
    const started = cyclesStarted(observation, domain);
    const { min } = cycleBounds(domain);
    return started < min ? [{ domain, started, min }] : [];
  });
}

/**
 * The lesson's length for snapshots at equal parts: the observation's `lesson-minutes` context answer when it is a
 * positive number, else the instrument's `lessonMinutes`, else the default (`actualLessonMinutes`).
 */
export function lessonMinutesOf(
  instrument: Pick<Instrument, 'lessonMinutes'>,
  observation: Pick<Observation, 'context'> | undefined,
): number {
  return actualLessonMinutes(observation?.context ?? {}, instrument.lessonMinutes);
}
