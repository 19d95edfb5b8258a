/**
 * Which instrument to offer first. A school may have several instruments of one kind; the everyday one comes first.
 * An instrument observed in repeated cycles or segments (format 2) asks for a planned, longer visit (two to six
 * cycles of a quarter of an hour or more), so it is offered when chosen, not by default.
 */
import type { Instrument, InstrumentKind } from './types';

/** Whether an instrument has a section the observer repeats during the lesson (cycles, segments). */
export function hasRepeatedSections(instrument: Pick<Instrument, 'domains'>): boolean {
  return instrument.domains.some((domain) => domain.repeat !== undefined);
}

/** The instrument of this kind to suggest: the first without repeated sections, else the first of the kind. */
export function suggestInstrument<T extends { content: Instrument }>(
  list: readonly T[],
  kind: InstrumentKind,
): T | undefined {
  const ofKind = list.filter((entry) => entry.content.kind === kind);
  return ofKind.find((entry) => !hasRepeatedSections(entry.content)) ?? ofKind[0];
}

/**
 * The order the insight screens offer instruments with data in: observation instruments first, the everyday ones
 * before those in cycles (as `suggestInstrument` offers them), then by id. The first is the school's main one.
 */
export function mainFirst(a: Instrument, b: Instrument): number {
  const rank = (i: Instrument) => (i.kind === 'observation' ? 0 : 2) + (hasRepeatedSections(i) ? 1 : 0);
  return rank(a) - rank(b) || a.id.localeCompare(b.id);
}
