/**
 * The instrument editor's state: the instrument as it stands (one value, replaced by every edit), the validator's
 * verdict on it, where each problem shows, and the last removal to undo.
 *
 * - Every edit is written at once through the journal (`typeInInstrumentDraft`), like typing while observing: the
 *   save status says "Opgeslagen" only after the commit, and a reload replays what the page did not finish.
 * - The validator runs on the instrument a moment after the typing stops (it is loaded when first needed, and an
 *   editor's instrument is small): its problems go to the fields they are about (`placeProblems`), the rest to the
 *   summary.
 * - Focus: an edit may name the field that should have focus once the screen shows the change (a new item's first
 *   field, the place a removed entry was), and `focusField` first shows the section the field is in (`reveal`, set by
 *   the screen: the editor shows one section at a time) and opens what hides it (an "advanced" part).
 */
import { tick } from 'svelte';
import { typeInInstrumentDraft } from './actions';
import { editorFields, fieldId, placeProblems, tidyRuleProblems, type ProblemPlaces } from './editor-fields';
import { parsePath } from '../../../core/instrument/json-path';
import { getAt, moveEntry, removeEntry, type EditContext, type Path, type Segment } from '../../../core/instrument/edit';
import type { Instrument, InstrumentProblem } from '../../../core/instrument';
import type { Actor } from '../../../core/model/lifecycle';
import type { Uuid } from '../../../core/model/records';

/** How long the typing pauses before the validator runs: it should not run for every key of a word. */
const VALIDATE_AFTER_MS = 250;

export interface Removal {
  /** The instrument before the removal. */
  before: Instrument;
  /** What was removed, for "… is verwijderd" (a translated name such as "item 1.2"). */
  name: string;
  /** The field that gets focus back on undo. */
  focus: Path;
}

export class InstrumentEditor {
  content = $state.raw<Instrument>() as Instrument;
  /** The validator's problems; undefined until it has run on the current instrument. */
  problems = $state.raw<InstrumentProblem[] | undefined>(undefined);
  removal = $state.raw<Removal | undefined>(undefined);
  /**
   * Where each problem shows. Worked out with each verdict, for the instrument it is about, not on every keystroke:
   * a keystroke then changes one field, not the thousand fields of a long instrument that ask for their problems.
   */
  places = $state.raw<ProblemPlaces>(placeProblems([], []));
  readonly valid = $derived(this.problems !== undefined && this.problems.length === 0);
  /**
   * Shows the section that holds a place, when another one shows (the screen sets this: the section shown is in the
   * address). `push`: a step the author took (a link in the summary of problems); `replace`: where an edit put focus.
   */
  reveal: (segments: readonly Segment[], how: 'push' | 'replace') => void = () => {};

  private timer: ReturnType<typeof setTimeout> | undefined;
  private run = 0;

  constructor(
    readonly draftId: Uuid,
    content: Instrument,
    readonly actor: Actor,
    readonly context: EditContext,
  ) {
    this.content = content;
    void this.validate();
  }

  /** Takes an edited instrument: shows it, writes it, checks it; then focuses `focus` when given. */
  update(next: Instrument, options: { focus?: Path; removal?: Omit<Removal, 'before'> } = {}): void {
    if (next === this.content) return;
    const before = this.content;
    this.content = next;
    this.removal = options.removal ? { ...options.removal, before } : undefined;
    void typeInInstrumentDraft(this.draftId, next, this.actor);
    this.scheduleValidation();
    if (options.focus) void this.focusField(options.focus);
  }

  /** Puts back what the last removal took away. */
  undo(): void {
    const removal = this.removal;
    if (!removal) return;
    this.update(removal.before, { focus: removal.focus });
    this.removal = undefined;
  }

  /**
   * Moves an entry of a list up or down; focus stays on the button that moved it (or its twin, at the list's end),
   * so pressing it again moves it further. `mover`: a move that takes more along (a scale level's descriptors).
   */
  move(listPath: Path, index: number, delta: number, mover?: (instrument: Instrument) => { instrument: Instrument; index: number }): void {
    const moved = mover ? mover(this.content) : moveEntry(this.content, listPath, index, delta);
    if (moved.index === index) return;
    this.update(moved.instrument);
    // A domain moved is shown at its new place (an item moved to another page of its domain, on that page).
    this.reveal([...listPath, moved.index], 'replace');
    void this.focusTool([...listPath, moved.index], delta < 0 ? 'up' : 'down');
  }

  /**
   * Removes an entry of a list (with what depends on it, see `removeEntry`); focus goes to the entry now in its
   * place, or the one before it, or the list's "add" button when the list is empty. The removal can be undone.
   */
  remove(listPath: Path, index: number, name: string, remover?: (instrument: Instrument) => Instrument): void {
    const list = getAt(this.content, listPath);
    const count = Array.isArray(list) ? list.length : 0;
    const next = remover ? remover(this.content) : removeEntry(this.content, listPath, index);
    const focus = count > 1 ? [...listPath, Math.min(index, count - 2)] : listPath;
    this.update(next, { focus, removal: { name, focus: [...listPath, index] } });
  }

  /** Adds an entry (`adder` returns where it went) and puts focus in its first field. */
  add(listPath: Path, adder: (instrument: Instrument) => { instrument: Instrument; index: number }): void {
    const added = adder(this.content);
    this.update(added.instrument, { focus: [...listPath, added.index] });
  }

  private async focusTool(entryPath: Path, which: 'up' | 'down'): Promise<void> {
    await tick();
    const base = fieldId(entryPath);
    const wanted = document.getElementById(`${base}-${which}`) as HTMLButtonElement | null;
    const other = document.getElementById(`${base}-${which === 'up' ? 'down' : 'up'}`) as HTMLButtonElement | null;
    (wanted && !wanted.disabled ? wanted : other)?.focus();
  }

  /** The problems a field shows (by the field's path as the validator writes it). */
  problemsAt(path: string): InstrumentProblem[] {
    return this.places.byField.get(path) ?? [];
  }

  /** Moves focus to a field once the screen shows it, showing its section and opening the parts it hides in. */
  async focusField(path: Path | string, how: 'push' | 'replace' = 'replace'): Promise<boolean> {
    this.reveal(typeof path === 'string' ? parsePath(path) : path, how);
    await tick();
    const element = document.getElementById(fieldId(path));
    if (!element) return false;
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      if (parent instanceof HTMLDetailsElement && !parent.open) parent.open = true;
    }
    // A group (a text in two languages, a list of checkboxes) gives focus to its first control.
    // (Its fields before its buttons: an entry's first field, not its "move up".)
    const target = element.matches('input, select, textarea, button')
      ? element
      : (element.querySelector<HTMLElement>('input, select, textarea') ?? element.querySelector<HTMLElement>('button') ?? element);
    target.focus();
    return document.activeElement === target;
  }

  /** Validates now (and waits for the verdict): before saving, or when the screen opens. */
  async validate(): Promise<InstrumentProblem[]> {
    clearTimeout(this.timer);
    const run = ++this.run;
    const content = this.content;
    const { validateInstrument } = await import('../../../core/instrument/validate');
    const problems = tidyRuleProblems(content, validateInstrument(JSON.parse(JSON.stringify(content))).problems);
    // A verdict on an instrument that has changed since is not shown: the next one is on its way.
    if (run === this.run) this.showProblems(problems, content);
    return problems;
  }

  /** Shows a verdict on `content` (the validator's, or the one installing gave). */
  showProblems(problems: InstrumentProblem[], content: Instrument = this.content): void {
    this.problems = problems;
    this.places = placeProblems(problems, editorFields(content));
  }

  private scheduleValidation(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.validate(), VALIDATE_AFTER_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
