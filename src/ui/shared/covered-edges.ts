import type { Attachment } from 'svelte/attachments';

/**
 * Keeps what gets keyboard focus clear of a bar that is fixed or sticky at the top or bottom of the screen (WCAG
 * 2.4.11, focus not obscured): attached to the bar, it sets `--covered-top` or `--covered-bottom` on the page to the
 * height the bar covers (its offset from the edge plus its own height), and `frame.css` turns that into the page's
 * `scroll-padding`, so the browser scrolls a focused control out from under the bar. It follows the bar's size: a
 * wrapped line, larger text, the safe area of a tablet without a home button. The app's header, on every screen,
 * reports as `--covered-header` (`name`), so a bar below it on one screen does not overwrite what it covers.
 */
export function coversEdge(edge: 'top' | 'bottom', name: string = edge): Attachment<HTMLElement> {
  return (bar) => {
    const root = document.documentElement;
    const property = `--covered-${name}`;
    const measure = () => {
      const offset = Number.parseFloat(getComputedStyle(bar)[edge]) || 0;
      root.style.setProperty(property, `${Math.ceil(offset + bar.getBoundingClientRect().height)}px`);
    };
    const observer = new ResizeObserver(measure);
    observer.observe(bar, { box: 'border-box' });
    measure();
    return () => {
      observer.disconnect();
      root.style.removeProperty(property);
    };
  };
}
