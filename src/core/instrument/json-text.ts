/**
 * What `JSON.parse` does not say about a file's text: how deeply it nests (checked before parsing, so a file of a
 * million brackets is never built), and which keys appear twice in one object (`JSON.parse` silently keeps the
 * last, while an editor or another program may read the first: the file would mean two things).
 *
 * One pass over the characters outside strings, skipping strings with `indexOf`: a few milliseconds for 5 MB. It
 * trusts nothing: on text that is not JSON it stops quietly, and `JSON.parse` then names the mistake.
 */
import { MAX_DEPTH, MAX_OBJECT_KEYS } from './limits';

type Segments = Array<string | number>;

interface DuplicateKey {
  /** The path of the second (or later) use of the key. */
  path: Segments;
  key: string;
  /** Offset of the key's opening quote in the text. */
  offset: number;
}

export interface JsonTextFindings {
  /** Offset of the first `{` or `[` that opens a level beyond MAX_DEPTH, if any. */
  tooDeepAt?: number;
  duplicateKeys: DuplicateKey[];
}

/** Enough to show an author the pattern; a generated file may repeat a key a million times. */
const MAX_DUPLICATES = 100;

interface Frame {
  object: boolean;
  /**
   * Objects: how many keys were read, the last of them, whether the next string is a key, and (from the second key
   * on, as most objects in a file are small) the keys seen so far.
   */
  keyCount: number;
  key: string;
  expectKey: boolean;
  keys: Set<string> | undefined;
  /** Lists: the index of the entry being read. */
  index: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

export function scanJsonText(text: string): JsonTextFindings {
  const duplicateKeys: DuplicateKey[] = [];
  const stack: Frame[] = [];
  const open = (object: boolean) =>
    stack.push({ object, keyCount: 0, key: '', expectKey: object, keys: undefined, index: 0 });
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) break;
      const top = stack.at(-1);
      if (top?.object && top.expectKey) {
        let key = text.slice(i + 1, end);
        // Only a key with an escape needs decoding ("\u0061" and "a" are one key).
        if (key.includes('\\')) {
          try {
            key = JSON.parse(text.slice(i, end + 1)) as string;
          } catch {
            break;
          }
        }
        // Past MAX_OBJECT_KEYS the object is refused anyway (limits.ts): stop remembering its keys.
        if (top.keyCount > 0 && top.keyCount <= MAX_OBJECT_KEYS) {
          const keys = (top.keys ??= new Set([top.key]));
          if (!keys.has(key)) keys.add(key);
          else if (duplicateKeys.length < MAX_DUPLICATES) {
            const path = stack.slice(0, -1).map((frame): string | number => (frame.object ? frame.key : frame.index));
            duplicateKeys.push({ path: [...path, key], key, offset: i });
          }
        }
        top.keyCount++;
        top.key = key;
        top.expectKey = false;
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      open(c === OPEN_BRACE);
      if (stack.length > MAX_DEPTH) return { tooDeepAt: i, duplicateKeys };
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop();
    } else if (c === COMMA) {
      const top = stack.at(-1);
      if (top?.object) top.expectKey = true;
      else if (top) top.index++;
    }
  }
  return { duplicateKeys };
}

/** The index of the quote that closes the string opened at `start`, or -1 when it is never closed. */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end >= 0) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
}

/** 1-based line and column of an offset, as an editor shows them (columns in UTF-16 units, like most editors). */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let next = text.indexOf('\n'); next >= 0 && next < offset; next = text.indexOf('\n', next + 1)) {
    line++;
    lineStart = next + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Where JSON text first goes wrong, for the parse errors V8 gives without a position ("Unexpected token 'x', …"):
 * a strict reader of RFC 8259 that stops at the first character it cannot accept. Only called after JSON.parse has
 * failed and after the nesting was checked, and it gives up (answering the end of the text) beyond MAX_DEPTH.
 */
export function syntaxErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const fail = (): never => {
    throw new SyntaxAt(Math.min(i, n));
  };
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const digits = () => {
    const start = i;
    while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    if (i === start) fail();
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= n) fail();
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === BACKSLASH) {
        const escape = text[i + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i += 1;
            fail();
          }
          i += 6;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) i += 2;
        else {
          i += 1;
          fail();
        }
      } else i++;
    }
  };
  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) throw new SyntaxAt(n);
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      if (c === '-') i++;
      if (text[i] === '0') i++;
      else digits();
      if (text[i] === '.') {
        i++;
        digits();
      }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        digits();
      }
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    fail();
  };
  try {
    value(0);
    ws();
    if (i < n) fail();
    return n;
  } catch (error) {
    if (error instanceof SyntaxAt) return error.offset;
    throw error;
  }
}

class SyntaxAt {
  constructor(readonly offset: number) {}
}
