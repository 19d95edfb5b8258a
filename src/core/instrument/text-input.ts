/**
 * From the bytes of a file to its text, strictly: an instrument file is UTF-8. A decoder that replaces what it
 * cannot read with "�" would silently change letters in a school's texts, so a byte that is not UTF-8 is refused
 * with its place in the file. A UTF-8 byte-order mark (common from Windows editors) is skipped; a UTF-16 or UTF-32
 * file (with a byte-order mark, or recognisably without one) gets "save it as UTF-8".
 */
import { formatSize, MAX_FILE_BYTES } from './limits';
import { lineAndColumn } from './json-text';
import { problem, type InstrumentProblem } from './problems';

export type TextInput = { ok: true; text: string } | { ok: false; problem: InstrumentProblem };

/** The platform's decoder, present in browsers, workers and Node; the core's types leave out the DOM on purpose. */
type Decoder = new (
  label: string,
  options: { fatal: boolean; ignoreBOM: boolean },
) => { decode(bytes: Uint8Array): string };
const Utf8Decoder = (globalThis as unknown as { TextDecoder: Decoder }).TextDecoder;

export function decodeInstrumentBytes(bytes: Uint8Array): TextInput {
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      ok: false,
      problem: problem('$', 'fileTooLarge', { actual: formatSize(bytes.length), limit: formatSize(MAX_FILE_BYTES) }),
    };
  }
  const wide = wideEncoding(bytes);
  if (wide) return { ok: false, problem: problem('$', 'utf16File', { encoding: wide }) };
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { ok: true, text: new Utf8Decoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body) };
  } catch {
    const offset = firstInvalidByte(body);
    const before = new Utf8Decoder('utf-8', { fatal: false, ignoreBOM: true }).decode(body.subarray(0, offset));
    const { line, column } = lineAndColumn(before, before.length);
    // Byte offsets count from the start of the file, as a hex editor shows them.
    const fileOffset = offset + (body === bytes ? 0 : 3);
    return { ok: false, problem: problem('$', 'notUtf8', { offset: fileOffset, line, column }) };
  }
}

/** UTF-32 and UTF-16 by their byte-order mark, or UTF-16 without one by the zero bytes of its ASCII characters. */
function wideEncoding(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return 'UTF-32';
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return 'UTF-32';
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return 'UTF-16';
  // A JSON file starts with ASCII ("{", a space, a newline): in UTF-16 every other byte of it is zero.
  const head = bytes.subarray(0, Math.min(bytes.length, 64));
  if (head.length < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  head.forEach((byte, i) => {
    if (byte === 0) {
      if (i % 2 === 0) evenZeros++;
      else oddZeros++;
    }
  });
  const half = Math.floor(head.length / 2);
  if (oddZeros === half && evenZeros === 0) return 'UTF-16';
  if (evenZeros === half && oddZeros === 0) return 'UTF-16';
  return undefined;
}

/**
 * The offset of the first byte that does not start or continue a well-formed UTF-8 sequence (the table of the
 * Unicode standard, §3.9: no overlong forms, no surrogates, nothing above U+10FFFF), or the length when all is well.
 */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  const within = (index: number, low: number, high: number) =>
    index < n && bytes[index]! >= low && bytes[index]! <= high;
  while (i < n) {
    const b = bytes[i]!;
    if (b <= 0x7f) {
      i++;
      continue;
    }
    let length = 0;
    if (b >= 0xc2 && b <= 0xdf) length = within(i + 1, 0x80, 0xbf) ? 2 : 0;
    else if (b === 0xe0) length = within(i + 1, 0xa0, 0xbf) && within(i + 2, 0x80, 0xbf) ? 3 : 0;
    else if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef)
      length = within(i + 1, 0x80, 0xbf) && within(i + 2, 0x80, 0xbf) ? 3 : 0;
    else if (b === 0xed) length = within(i + 1, 0x80, 0x9f) && within(i + 2, 0x80, 0xbf) ? 3 : 0;
    else if (b === 0xf0)
      length = within(i + 1, 0x90, 0xbf) && within(i + 2, 0x80, 0xbf) && within(i + 3, 0x80, 0xbf) ? 4 : 0;
    else if (b >= 0xf1 && b <= 0xf3)
      length = within(i + 1, 0x80, 0xbf) && within(i + 2, 0x80, 0xbf) && within(i + 3, 0x80, 0xbf) ? 4 : 0;
    else if (b === 0xf4)
      length = within(i + 1, 0x80, 0x8f) && within(i + 2, 0x80, 0xbf) && within(i + 3, 0x80, 0xbf) ? 4 : 0;
    if (length === 0) return i;
    i += length;
  }
  return n;
}
