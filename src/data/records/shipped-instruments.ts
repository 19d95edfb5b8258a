/**
 * The instruments that ship with the app (the files in `instruments/`).
 *
 * Each file becomes its own lazily loaded chunk, so the app's first load does not carry instrument texts it may not
 * show. These files are ours and are checked by the validator in the unit tests (tests/unit/shipped-instruments.test.ts),
 * which is why they are not validated again on every device; files a school imports always are.
 */
import type { Instrument } from '../../core/instrument';
import { hasRepeatedSections } from '../../core/instrument/suggest';

const files = import.meta.glob<Instrument>(['../../../instruments/*.json', '!../../../instruments/*.schema.json'], {
  import: 'default',
});

/** The keys (`id@version`) of the files below, known without loading them (vite.config.ts reads them at build time). */
export const SHIPPED_INSTRUMENT_KEYS: readonly string[] = __SHIPPED_INSTRUMENTS__;

export async function loadShippedInstruments(): Promise<Instrument[]> {
  const instruments = await Promise.all(Object.values(files).map((load) => load()));
  return instruments.sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      Number(hasRepeatedSections(a)) - Number(hasRepeatedSections(b)) ||
      a.id.localeCompare(b.id),
  );
}

export async function loadShippedInstrument(id: string): Promise<Instrument | undefined> {
  const instruments = await loadShippedInstruments();
  return instruments.find((instrument) => instrument.id === id);
}

/**
 * The order a school meets them in: the main observation first, the special-purpose forms after it. Within a kind,
 * an instrument observed in cycles comes after the everyday ones (`suggestInstrument` offers those first too).
 */
const KIND_ORDER: ReadonlyArray<Instrument['kind']> = [
  'observation',
  'feedback',
  'snapshot',
  'coaching',
  'self-assessment',
];
