/**
 * Validates an instrument file: the JSON Schema's structure plus the semantic checks, in one pass that returns
 * every problem (with its JSON path and a message in Dutch and English), so an author fixes a file in one round.
 */
import type { Instrument } from './types';
import { problem, type InstrumentProblem } from './problems';
import { checkSchema } from './schema-check';
import { checkSemantics } from './semantic-check';

export type InstrumentValidation =
  | { ok: true; instrument: Instrument; problems: [] }
  | { ok: false; problems: InstrumentProblem[] };

export function validateInstrument(data: unknown): InstrumentValidation {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, problems: [problem('$', 'notObject')] };
  }
  const problems = [...checkSchema(data), ...checkSemantics(data)];
  if (problems.length > 0) return { ok: false, problems };
  // Both checks passed: the schema guarantees the shape `Instrument` describes.
  return { ok: true, instrument: data as Instrument, problems: [] };
}

/** Parses the text of an instrument file and validates it; a file that is not JSON gives one problem with its position. */
export function parseInstrument(text: string): InstrumentValidation {
  let data: unknown;
  try {
    // A byte-order mark is common in files saved by Windows editors and is not an error in the file's content.
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, problems: [notJson(text, error)] };
  }
  return validateInstrument(data);
}

function notJson(text: string, error: unknown): InstrumentProblem {
  const detail = error instanceof Error ? error.message : String(error);
  if (text.trim() === '') return problem('$', 'emptyFile');
  // V8 names the character offset ("… at position 42"); turn it into a line and column people can find.
  const position = /position (\d+)/.exec(detail);
  if (!position) return problem('$', 'notJson', { detail: shorten(detail) });
  const offset = Number(position[1]);
  const before = text.replace(/^\uFEFF/, '').slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return problem('$', 'notJson', { detail: shorten(detail.replace(/ in JSON at position \d+.*$/, '')), line, column });
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
