/**
 * Characters no text in an instrument may hold, and how a message shows a text's hidden characters.
 *
 * Every string in the file (and every key) is looked at, wherever it sits:
 * - control characters (C0 except tab, line feed and carriage return; DEL; C1) are refused: they are invisible on
 *   screen, break a printout, and can rewrite a terminal that prints them;
 * - half a character (a lone UTF-16 surrogate, which JSON can write as "\ud800") is refused;
 * - a value that is empty once spaces are taken out is refused (`blankText`), and so is one that is empty once
 *   invisible characters are taken out too (`invisibleText`): zero-width spaces and joiners, word joiners,
 *   direction marks, embeddings, overrides and isolates, soft hyphens, byte-order marks, fillers — Unicode's
 *   "default ignorable" code points — and the blank braille pattern.
 *
 * `showHidden` makes such characters visible as `\u{200B}` in anything the validator says, so that no message (and
 * no line the command-line validator prints) carries a control character or a direction override from a file.
 */
import { formatPath, problem, type InstrumentProblem } from './problems';
import { MAX_DEPTH } from './limits';
import { CONTROL } from './control';

type Segments = Array<string | number>;

/** In a `u` regular expression a surrogate range matches only a surrogate that is not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/u;
const BLANK_ONCE_INVISIBLE_REMOVED = /^[\s\p{Default_Ignorable_Code_Point}\p{Cc}\u2800]*$/u;
const HIDDEN = /[\p{Cc}\p{Default_Ignorable_Code_Point}\p{Zl}\p{Zp}\u2800\uD800-\uDFFF]/gu;

/** `U+200B`: how a message names one character. */
function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Every control, invisible or half character written as `\u{200B}`, so that a person sees it and a terminal does not act on it. */
export function showHidden(text: string): string {
  return text.replace(
    HIDDEN,
    (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}}`,
  );
}

/** Whether a text says nothing a reader can see: only spaces, control and invisible characters. */
export function isBlankText(text: string): boolean {
  return BLANK_ONCE_INVISIBLE_REMOVED.test(text);
}

/** The problems of every string and key in an instrument file; the whole value is walked, at most MAX_DEPTH deep. */
export function checkCharacters(data: unknown): InstrumentProblem[] {
  const problems: InstrumentProblem[] = [];
  const path: Segments = [];
  const visit = (value: unknown, depth: number) => {
    if (typeof value === 'string') {
      const found = stringProblem(value, path);
      if (found) problems.push(found);
      return;
    }
    if (typeof value !== 'object' || value === null || depth >= MAX_DEPTH) return;
    if (Array.isArray(value)) {
      value.forEach((entry, i) => {
        path.push(i);
        visit(entry, depth + 1);
        path.pop();
      });
      return;
    }
    for (const [key, entry] of Object.entries(value)) {
      path.push(key);
      const keyProblem = characterProblem(key, path);
      if (keyProblem) problems.push(keyProblem);
      visit(entry, depth + 1);
      path.pop();
    }
  };
  visit(data, 0);
  return problems;
}

function characterProblem(text: string, path: Segments): InstrumentProblem | undefined {
  const control = CONTROL.exec(text);
  if (control) {
    return problem(formatPath(path), 'controlCharacter', {
      char: codePointName(control[0]),
      position: positionOf(text, control.index),
    });
  }
  const half = LONE_SURROGATE.exec(text);
  if (half)
    return problem(formatPath(path), 'brokenCharacter', {
      char: codePointName(half[0]),
      position: positionOf(text, half.index),
    });
  return undefined;
}

function stringProblem(text: string, path: Segments): InstrumentProblem | undefined {
  const found = characterProblem(text, path);
  if (found) return found;
  if (text.length === 0 || !isBlankText(text)) return undefined;
  const invisible = INVISIBLE.exec(text);
  if (!invisible) return problem(formatPath(path), 'blankText');
  return problem(formatPath(path), 'invisibleText', { char: codePointName(invisible[0]) });
}

/** 1-based, counted in characters as a person counts them (an emoji is one). */
function positionOf(text: string, index: number): number {
  let position = 1;
  for (const _ of text.slice(0, index)) position++;
  return position;
}
