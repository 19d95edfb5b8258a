/**
 * Whether what the user did is kept, told truthfully: the page's write queue (`pageWrites` in
 * src/data/records/page-writes.ts) does the writing; this only shows its state to Svelte and tells screen readers
 * what matters. Screens keep showing what the user entered meanwhile.
 *
 * Actions write through `pageWrites` themselves; components that are not actions (a text field that stores every
 * keystroke, the app shell when the page is hidden) use the few calls below.
 */
import { pageWrites, type DurableChange, type SaveProblem, type SaveState } from '../../data/records/page-writes';
import type { Actor } from '../../core/model/lifecycle';

export type { SaveState };

/** A short save ("Opslaan…" for a few milliseconds per keystroke) is not worth a screen reader's words. */
const ANNOUNCE_SAVING_AFTER_MS = 2000;

class SaveStatus {
  state = $state<SaveState>(pageWrites.state);
  hasFailed = $state(pageWrites.hasFailed);
  problem = $state<SaveProblem | undefined>(pageWrites.problem);
  /** The state as screen readers were last told it: changes once per change of state, never per keystroke. */
  announced = $state<SaveState>('saved');
  private announceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    pageWrites.subscribe(() => this.follow());
  }

  /** Journals a change typed in a text field and writes it at once (see `PageWrites.submit`). */
  submit(change: DurableChange, actor: Actor, at = Date.now()): Promise<boolean> {
    return pageWrites.submit(change, actor, at);
  }

  /** Tries every failed write again, oldest first. */
  retry(): Promise<void> {
    return pageWrites.retry();
  }

  /** Resolves when every write started so far has finished, or after `timeoutMs`. */
  settled(timeoutMs?: number): Promise<void> {
    return pageWrites.settled(timeoutMs);
  }

  /** The page is being hidden or left: start every queued change now. */
  startAll(): void {
    pageWrites.startAll();
  }

  /**
   * Keeps `announced` (a live region's text) at the state, but only tells a screen reader what matters: a failure
   * at once, "saved" again after a failure or a long save, and "saving" only when it lasts.
   */
  private follow(): void {
    this.state = pageWrites.state;
    this.hasFailed = pageWrites.hasFailed;
    this.problem = pageWrites.problem;
    const state = this.state;
    clearTimeout(this.announceTimer);
    if (state === this.announced) return;
    if (state === 'failed' || state === 'saved') this.announced = state;
    else this.announceTimer = setTimeout(() => (this.announced = pageWrites.state), ANNOUNCE_SAVING_AFTER_MS);
  }
}

export const saveStatus = new SaveStatus();
