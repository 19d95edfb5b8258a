import { registerUnsavedText, saveStatus } from './save-status.svelte';

/** How long typing may pause before the text is written. Short: a tablet can die between two words. */
export const TEXT_SAVE_DELAY_MS = 400;

/**
 * Saves typed text while typing (debounced), and at once on `flush` (blur, hiding the page, leaving the screen).
 */
export function textSaver(key: string, save: (text: string) => Promise<unknown>, delayMs = TEXT_SAVE_DELAY_MS) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unsaved: string | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (unsaved === undefined) return;
    const text = unsaved;
    // The text counts as unsaved until a write of it commits (also one replayed by "retry"): until then the field
    // keeps showing what was typed instead of the stored value.
    void saveStatus.run(key, async () => {
      await save(text);
      if (unsaved === text) unsaved = undefined;
    });
  };
  const unregister = registerUnsavedText(flush);

  return {
    change(text: string) {
      unsaved = text;
      clearTimeout(timer);
      timer = setTimeout(flush, delayMs);
    },
    get dirty() {
      return unsaved !== undefined;
    },
    flush,
    dispose() {
      flush();
      unregister();
    },
  };
}
