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
    unsaved = undefined;
    void saveStatus.run(key, () => save(text));
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
