import { describe, expect, it } from 'vitest';
import { captureShortcut } from '../../src/ui/features/capture/shortcuts';

const key = (
  code: string,
  modifiers: Partial<Record<'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey', boolean>> = {},
) => ({
  code,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...modifiers,
});

describe('the capture screen’s keyboard shortcuts', () => {
  it('need Alt and nothing else, so typing evidence never fires one', () => {
    expect(captureShortcut(key('KeyN', { altKey: true }))).toBe('note');
    expect(captureShortcut(key('KeyA', { altKey: true }))).toBe('finish');
    expect(captureShortcut(key('PageDown', { altKey: true }))).toBe('next');
    expect(captureShortcut(key('PageUp', { altKey: true }))).toBe('previous');
    expect(captureShortcut(key('KeyN'))).toBeUndefined();
    expect(captureShortcut(key('KeyN', { altKey: true, ctrlKey: true }))).toBeUndefined();
    expect(captureShortcut(key('KeyN', { altKey: true, metaKey: true }))).toBeUndefined();
    expect(captureShortcut(key('KeyN', { altKey: true, shiftKey: true }))).toBeUndefined();
    expect(captureShortcut(key('KeyB', { altKey: true }))).toBeUndefined();
  });
});
