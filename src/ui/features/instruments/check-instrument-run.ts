/**
 * The check itself, from a picked File to a `FileCheck`, as the worker runs it (check-instrument.worker.ts). It
 * resolves with a verdict or "could not check" and never rejects.
 */
import { parseInstrumentBytes } from '../../../core/instrument/validate';
import { problem } from '../../../core/instrument/problems';
import { formatSize, MAX_FILE_BYTES } from '../../../core/instrument/limits';
import { capProblems } from '../../../core/instrument/report';
import type { FileCheck } from './check-instrument-file';

export async function runFileCheck(file: File): Promise<FileCheck> {
  const name = file.name;
  try {
    // Too large to be an instrument: say so without reading it into memory.
    if (file.size > MAX_FILE_BYTES) {
      const tooLarge = problem('$', 'fileTooLarge', { actual: formatSize(file.size), limit: formatSize(MAX_FILE_BYTES) });
      return { kind: 'refused', file: name, lines: capProblems([tooLarge]), total: 1 };
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (error) {
      // The file was moved, changed or cannot be read (a cloud file not downloaded, no permission).
      return { kind: 'not-checked', file: name, reason: 'unreadable', detail: describe(error) };
    }
    const result = parseInstrumentBytes(bytes);
    if (result.ok) return { kind: 'valid', file: name, instrument: result.instrument };
    if (!result.checked) return { kind: 'not-checked', file: name, reason: 'failed', detail: result.problems[0]?.message.en ?? '' };
    return { kind: 'refused', file: name, lines: capProblems(result.problems), total: result.problems.length };
  } catch (error) {
    return { kind: 'not-checked', file: name, reason: 'failed', detail: describe(error) };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
