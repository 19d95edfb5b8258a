/**
 * Validates an instrument file: the JSON Schema's structure plus the semantic checks, in one pass that returns
 * every problem (with its JSON path and a message in Dutch and English), so an author fixes a file in one round.
 *
 * Nothing a file holds can make these functions throw. In order:
 * 1. bytes → text, strictly UTF-8 (`parseInstrumentBytes`, text-input.ts);
 * 2. the text: its size, its nesting (before parsing) and keys used twice in one object (json-text.ts);
 * 3. `JSON.parse`;
 * 4. the limits on the parsed value (limits.ts): a file beyond them gets those problems and nothing else;
 * 5. characters (characters.ts), the schema (schema-check.ts) and the semantic checks (semantic-check.ts).
 * Anything unexpected on the way is caught and becomes one `couldNotCheck` problem with `checked: false`, so that a
 * caller can tell "this file has problems" (`checked: true`) from "this file could not be checked".
 */
import type { Instrument } from './types';
import { formatPath, problem, type InstrumentProblem } from './problems';
import { parsePath } from './json-path';
import { describePlace } from './place';
import { checkSchema } from './schema-check';
import { checkSemantics } from './semantic-check';
import { checkRanges } from './range-check';
import { checkCharacters, showHidden } from './characters';
import { checkLimits, formatSize, MAX_DEPTH, MAX_FILE_BYTES } from './limits';
import { lineAndColumn, scanJsonText, syntaxErrorOffset } from './json-text';
import { decodeInstrumentBytes } from './text-input';

export type InstrumentValidation =
  | { ok: true; instrument: Instrument; problems: [] }
  /** `checked: false`: the validator failed (its problem is `couldNotCheck`); nothing is known about the file. */
  | { ok: false; problems: InstrumentProblem[]; checked: boolean };

const refused = (problems: InstrumentProblem[], data?: unknown): InstrumentValidation => ({
  ok: false,
  problems: tidy(problems, data),
  checked: true,
});

/**
 * One mistake, one line: where two semantic checks see something at one place, the first says it (a rule that
 * shows its own trigger's section is not also told that the section never appears). Lines of the same kind at one
 * place (each level a descriptor misses) all stay.
 */
function firstAtEachPlace(problems: InstrumentProblem[]): InstrumentProblem[] {
  const first = new Map<string, InstrumentProblem['code']>();
  return problems.filter((p) => {
    const code = first.get(p.path) ?? p.code;
    first.set(p.path, code);
    return code === p.code;
  });
}

/** The path of the object a key sits in: `$.rules[0].when` for `$.rules[0].when.atleast`. */
const parentOf = (path: string): string => formatPath(parsePath(path).slice(0, -1));

/** Schema problems that say less about a place than a semantic problem at the same place. */
const GENERIC = new Set<InstrumentProblem['code']>(['empty', 'schema']);

export function validateInstrument(data: unknown): InstrumentValidation {
  return guarded(() => {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return refused([problem('$', 'notObject')]);
    const beyond = checkLimits(data);
    if (beyond.length > 0) return refused(beyond.map((breach) => problem(breach.path, breach.code, breach.params)));
    // One line for one mistake: where the schema already says what is wrong (an unknown key that is also an unknown
    // reference, a level key of the wrong form), the semantic check's view of the same place adds nothing.
    // Only where the schema can say no more than "empty" does the semantic check's more specific line win.
    const semantics = checkSemantics(data);
    const specific = new Set(semantics.map((p) => p.path));
    const schema = checkSchema(data).filter((p) => !(GENERIC.has(p.code) && specific.has(p.path)));
    // An object with a key that is not its own is read wrongly by the semantic checks too (a bound written
    // "atleast" is no bound): what they say about that object follows from the one mistake.
    const said = new Set(
      schema.flatMap((p) =>
        p.code === 'unknownField' || p.code === 'misspelledField' ? [p.path, parentOf(p.path)] : [p.path],
      ),
    );
    const problems = [
      ...schema,
      ...firstAtEachPlace(semantics.filter((p) => !said.has(p.path))),
      ...checkCharacters(data),
    ];
    if (problems.length > 0) return refused(problems, data);
    // Both checks passed: the schema guarantees the shape `Instrument` describes, and what a score can reach can be
    // read from it.
    const ranges = checkRanges(data as Instrument);
    if (ranges.length > 0) return refused(ranges, data);
    return { ok: true, instrument: data as Instrument, problems: [] };
  });
}

/** Parses the text of an instrument file and validates it; a file that is not JSON gives one problem with its position. */
export function parseInstrument(text: string): InstrumentValidation {
  return guarded(() => {
    // Every UTF-16 unit is at least one byte of UTF-8: a text this long cannot come from a file within the limit.
    if (text.length > MAX_FILE_BYTES) {
      return refused([
        problem('$', 'fileTooLarge', { actual: formatSize(utf8Length(text)), limit: formatSize(MAX_FILE_BYTES) }),
      ]);
    }
    // A byte-order mark is common in files saved by Windows editors and is not an error in the file's content.
    const body = text.replace(/^\uFEFF/, '');
    const scan = scanJsonText(body);
    if (scan.tooDeepAt !== undefined) {
      return refused([problem('$', 'tooDeep', { limit: MAX_DEPTH, ...lineAndColumn(body, scan.tooDeepAt) })]);
    }
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (error) {
      return refused([notJson(body, error)]);
    }
    const duplicates = scan.duplicateKeys.map(({ path, key, offset }) =>
      problem(formatPath(path), 'duplicateKey', { key, ...lineAndColumn(body, offset) }),
    );
    const result = validateInstrument(data);
    if (duplicates.length === 0 || (!result.ok && !result.checked)) return result;
    return refused([...duplicates, ...result.problems], data);
  });
}

/** The whole way from a file's bytes: strict UTF-8, then `parseInstrument`. */
export function parseInstrumentBytes(bytes: Uint8Array): InstrumentValidation {
  return guarded(() => {
    const input = decodeInstrumentBytes(bytes);
    return input.ok ? parseInstrument(input.text) : refused([input.problem]);
  });
}

function guarded(check: () => InstrumentValidation): InstrumentValidation {
  try {
    return check();
  } catch (error) {
    // A bug in the validator, or a value from code rather than a file (a getter that throws, a proxy): never the
    // file's fault as far as anyone can tell, and never a stack trace on a screen.
    let detail: string;
    try {
      detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    } catch {
      detail = 'unknown error';
    }
    return {
      ok: false,
      problems: tidy([problem('$', 'couldNotCheck', { detail: shorten(detail) })], undefined),
      checked: false,
    };
  }
}

function notJson(text: string, error: unknown): InstrumentProblem {
  const detail = error instanceof Error ? error.message : String(error);
  if (text.trim() === '') return problem('$', 'emptyFile');
  // V8 names the character offset ("… at position 42") for most mistakes, but not for an unexpected character: then
  // our own reader finds it. Either way, a line and column people can find.
  const position = /position (\d+)/.exec(detail);
  const offset = position ? Number(position[1]) : syntaxErrorOffset(text);
  const { line, column } = lineAndColumn(text, offset);
  // V8 quotes only the first half of a character outside the BMP ("Unexpected token '\ud83d'"): quote all of it.
  const token = offset < text.length ? String.fromCodePoint(text.codePointAt(offset)!) : '';
  const explained = detail
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/ at position \d+.*$/, '')
    .replace(/^Unexpected token '.'/u, () => `Unexpected token '${token}'`);
  return problem('$', 'notJson', { detail: shorten(explained), line, column });
}

/**
 * One problem per path and kind, named by the file's titles as well as its path, and nothing in a path or message
 * that a screen or a terminal would hide or act on: control, invisible and direction characters from the file are
 * shown as `\u{…}`, and a path or message of a megabyte is cut in the middle.
 */
function tidy(problems: InstrumentProblem[], data: unknown): InstrumentProblem[] {
  const seen = new Set<string>();
  return problems.flatMap((p) => {
    const key = `${p.path}\u0000${p.code}\u0000${p.message.en}`;
    if (seen.has(key)) return [];
    seen.add(key);
    const place = data === undefined ? undefined : describePlace(data, parsePath(p.path));
    return [
      {
        path: clip(showHidden(p.path), 300),
        code: p.code,
        message: { nl: clip(showHidden(p.message.nl), 1000), en: clip(showHidden(p.message.en), 1000) },
        ...(place && { place: { nl: clip(showHidden(place.nl), 300), en: clip(showHidden(place.en), 300) } }),
      },
    ];
  });
}

/** Cuts the middle out of a long text, never through a character written as two UTF-16 units. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const isLow = (i: number) => text.charCodeAt(i) >= 0xdc00 && text.charCodeAt(i) <= 0xdfff;
  let headEnd = Math.floor(max / 2);
  if (isLow(headEnd)) headEnd--;
  let tailStart = text.length - Math.floor(max / 2) + 1;
  if (isLow(tailStart)) tailStart++;
  return `${text.slice(0, headEnd)}…${text.slice(tailStart)}`;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function shorten(text: string): string {
  return text.length > 120
    ? `${text.slice(0, text.charCodeAt(116) >= 0xdc00 && text.charCodeAt(116) <= 0xdfff ? 116 : 117)}…`
    : text;
}
