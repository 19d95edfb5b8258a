import type { Attachment } from 'svelte/attachments';

/**
 * One Tab stop for a group of answer buttons (a rating, yes/no, a choice), with the arrow keys moving between them
 * (the roving tabindex of WAI-ARIA's composite widgets); a row of tabs (the capture screen's domains) works the same. Tab reaches the chosen answer, or the first when none is
 * chosen, and goes on to the next item: a keyboard observation of a 30-item instrument costs one press per item
 * instead of one per button. Space or Enter answers, as before; moving does not answer.
 *
 * The buttons are the group's own (not those of a nested group); a change of the chosen answer (`aria-pressed`), or
 * of the buttons, moves the Tab stop with it.
 */
/** The group's chosen button: a pressed answer, or the current entry of a row of tabs (`aria-current`). */
const chosen = (button: HTMLButtonElement) =>
  button.getAttribute('aria-pressed') === 'true' ||
  (button.hasAttribute('aria-current') && button.getAttribute('aria-current') !== 'false');

export const rovingFocus: Attachment<HTMLElement> = (group) => {
  const buttons = () =>
    [...group.querySelectorAll<HTMLButtonElement>('button')].filter(
      (button) => !button.disabled && button.closest('[data-roving]') === group,
    );
  /** The button that keeps the Tab stop: the one last focused while it is still there, else the chosen one. */
  let current: HTMLButtonElement | undefined;
  const sync = () => {
    const all = buttons();
    const stop = (current && all.includes(current) ? current : undefined) ?? all.find(chosen) ?? all[0];
    for (const button of all) button.tabIndex = button === stop ? 0 : -1;
  };
  const onfocusin = (event: FocusEvent) => {
    if (event.target instanceof HTMLButtonElement && buttons().includes(event.target)) {
      current = event.target;
      sync();
    }
  };
  const onfocusout = (event: FocusEvent) => {
    // Leaving the group: next time Tab lands on the chosen answer again.
    if (!(event.relatedTarget instanceof Node && group.contains(event.relatedTarget))) {
      current = undefined;
      sync();
    }
  };
  const onkeydown = (event: KeyboardEvent) => {
    const all = buttons();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    if (at === -1 || event.altKey || event.ctrlKey || event.metaKey) return;
    const next =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? (at + 1) % all.length
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? (at - 1 + all.length) % all.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? all.length - 1
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    all[next]!.focus();
  };

  group.dataset.roving = '';
  const observer = new MutationObserver(sync);
  observer.observe(group, {
    subtree: true,
    childList: true,
    attributeFilter: ['aria-pressed', 'aria-current', 'disabled'],
  });
  group.addEventListener('focusin', onfocusin);
  group.addEventListener('focusout', onfocusout);
  group.addEventListener('keydown', onkeydown);
  sync();
  return () => {
    observer.disconnect();
    group.removeEventListener('focusin', onfocusin);
    group.removeEventListener('focusout', onfocusout);
    group.removeEventListener('keydown', onkeydown);
    for (const button of buttons()) button.removeAttribute('tabindex');
    delete group.dataset.roving;
  };
};
