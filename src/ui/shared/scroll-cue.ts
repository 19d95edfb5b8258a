import type { Attachment } from 'svelte/attachments';

/**
 * Says where a row that scrolls sideways has more than fits: sets `data-more` on it to `start`, `end` or `both` (none
 * while all of it is in view), following its scrolling, its size and its content; the row's style draws the cue (the
 * capture screen's domains fade out at that edge, with an arrow). Without it a row cut off between two entries looks
 * like the whole row.
 */
export const scrollCue: Attachment<HTMLElement> = (row) => {
  const update = () => {
    const start = row.scrollLeft > 1;
    const end = row.scrollLeft + row.clientWidth < row.scrollWidth - 1;
    const more = start && end ? 'both' : start ? 'start' : end ? 'end' : undefined;
    if (row.dataset.more === more) return;
    if (more) row.dataset.more = more;
    else delete row.dataset.more;
  };
  const resized = new ResizeObserver(update);
  resized.observe(row);
  // An entry's text changes its width (a domain's count of answered items).
  const changed = new MutationObserver(update);
  changed.observe(row, { childList: true, subtree: true, characterData: true });
  row.addEventListener('scroll', update, { passive: true });
  update();
  return () => {
    resized.disconnect();
    changed.disconnect();
    row.removeEventListener('scroll', update);
  };
};
