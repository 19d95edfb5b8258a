/**
 * "JSON exporteren": the instrument as a file, pretty-printed, pointing at the published schema with `$schema` (so
 * an editor such as VS Code checks it), named after its id and version. The same file the validator accepts when
 * the editor shows no problems.
 */
import type { Instrument } from '../../../core/instrument';

/** Where shipped instruments point: the schema beside them in `instruments/`. */
const SCHEMA_REFERENCE = './meekijken-instrument.schema.json';

export function instrumentJson(instrument: Instrument): string {
  const { $schema: _ignored, ...rest } = instrument;
  return `${JSON.stringify({ $schema: SCHEMA_REFERENCE, ...rest }, null, 2)}\n`;
}

function instrumentFileName(instrument: Pick<Instrument, 'id' | 'version'>): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'instrument';
  return `${safe(String(instrument.id))}-${safe(String(instrument.version))}.json`;
}

export function downloadInstrument(instrument: Instrument): void {
  const blob = new Blob([instrumentJson(instrument)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = instrumentFileName(instrument);
  link.click();
  // The download starts from the link; the object URL is freed once it surely has.
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
