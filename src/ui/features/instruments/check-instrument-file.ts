/**
 * Checks an instrument file a school picked on this device. Nothing is stored: this is the author's check before an
 * instrument is installed. The validator (and Ajv with it) is loaded only here, keeping it out of the first load.
 */
import type { Instrument, InstrumentProblem } from '../../../core/instrument';

/** Our largest instrument is about 60 KB; a file a hundred times larger is not an instrument. */
const MAX_BYTES = 5 * 1024 * 1024;

export type FileCheck =
  | { kind: 'valid'; file: string; instrument: Instrument }
  | { kind: 'refused'; file: string; problems: InstrumentProblem[] }
  | { kind: 'too-large'; file: string; megabytes: number; limitMegabytes: number };

export async function checkInstrumentFile(file: File): Promise<FileCheck> {
  if (file.size > MAX_BYTES) {
    const megabytes = Math.round((file.size / 1024 / 1024) * 10) / 10;
    return { kind: 'too-large', file: file.name, megabytes, limitMegabytes: MAX_BYTES / 1024 / 1024 };
  }
  const [{ parseInstrument }, text] = await Promise.all([import('../../../core/instrument/validate'), file.text()]);
  const result = parseInstrument(text);
  return result.ok
    ? { kind: 'valid', file: file.name, instrument: result.instrument }
    : { kind: 'refused', file: file.name, problems: result.problems };
}
