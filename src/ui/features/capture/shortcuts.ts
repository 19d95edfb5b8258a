/**
 * Keyboard shortcuts of the capture screen's action bar, from anywhere on the form (also while typing evidence):
 * Alt with a key no browser uses for itself, matched on the physical key, so they work with every keyboard layout
 * and on a Mac (where Option with a letter types a character, which the shortcut then prevents). A shortcut needs a
 * modifier: a single character key would fire while a teacher types (WCAG 2.1.4).
 */
export type CaptureAction = 'previous' | 'next' | 'note' | 'finish';

/** The shortcuts, as `aria-keyshortcuts` names them (and as the skip link's hint lists them). */
export const SHORTCUTS: Record<CaptureAction, string> = {
  previous: 'Alt+PageUp',
  next: 'Alt+PageDown',
  note: 'Alt+N',
  finish: 'Alt+A',
};

const BY_CODE: Record<string, CaptureAction> = {
  PageUp: 'previous',
  PageDown: 'next',
  KeyN: 'note',
  KeyA: 'finish',
};

/** The action a key press asks for, or undefined when it is not one of the shortcuts. */
export function captureShortcut(event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code'>) {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return undefined;
  return BY_CODE[event.code];
}
