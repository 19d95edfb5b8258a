/**
 * The instrument editor's state: the instrument as it stands (one value, replaced by every edit), the validator's
 * verdict on it, where each problem shows, and the steps to undo and redo.
 *
 * - Every edit is written at once through the journal (`typeInInstrumentDraft`), like typing while observing: the
 *   save status says "Opgeslagen" only after the commit, and a reload replays what the page did not finish.
 * - The validator runs on the instrument a moment after the typing stops (it is loaded when first needed, and an
 *   editor's instrument is small): its problems go to the fields they are about (`placeProblems`), the rest to the
 *   summary.
 * - Focus: an edit may name the field that should have focus once the screen shows the change (a new item's first
 *   field, the place a removed entry was), and `focusField` first shows the section the field is in (`reveal`, set by
 *   the screen: the editor shows one section at a time) and opens what hides it (an "advanced" part).
 * - Undo: every edit goes through `update`, so every edit can be undone (and redone), whatever part of the
 *   instrument it changed (`editor-history.ts`: typing in one field is one step). Undoing a step puts focus where it
 *   was taken (the field typed in, the place of what was removed, the button that added an entry).
 */
import { tick } from 'svelte';
import { typeInInstrumentDraft } from './actions';
import { EditHistory } from './editor-history';
import { editorFields, fieldId, placeProblems, tidyRuleProblems, type ProblemPlaces } from './editor-fields';
import { parsePath } from '../../../core/instrument/json-path';
import { formatPath } from '../../../core/instrument/problems';
import { getAt, moveEntry, removeEntry, type EditContext, type Path, type Segment } from '../../../core/instrument/edit';
import type { Instrument, InstrumentProblem } from '../../../core/instrument';
import type { Actor } from '../../../core/model/lifecycle';
import type { Uuid } from '../../../core/model/records';

/** How long the typing pauses before the validator runs: it should not run for every key of a word. */
const VALIDATE_AFTER_MS = 250;

export interface Removal {
  /** What was removed, for "… is verwijderd" (a translated name such as "item 1.2"). */
  name: string;
  /** The field that gets focus back on undo (the place of what was removed). */
  focus: Path;
}

export class InstrumentEditor {
  content = $state.raw<Instrument>() as Instrument;
  /** The validator's problems; undefined until it has run on the current instrument. */
  problems = $state.raw<InstrumentProblem[] | undefined>(undefined);
  /** The last step, when it removed something: the screen says what ("Verwijderd: item 1.2."). */
  removal = $state.raw<Removal | undefined>(undefined);
  /** Whether there is a step to undo or to redo. */
  canUndo = $state(false);
  canRedo = $state(false);
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
  private readonly history = new EditHistory<Instrument, Path>();

  constructor(
    readonly draftId: Uuid,
    content: Instrument,
    readonly actor: Actor,
    readonly context: EditContext,
  ) {
    this.content = content;
    void this.validate();
  }

  /**
   * Takes an edited instrument: shows it, writes it, checks it; then focuses `focus` when given. The step can be
   * undone: `typing` names the field typed in (keys in one field are one step, and undoing it puts focus back
   * there); `undoFocus` is where focus goes when it is undone (for a removal, the place of what was removed).
   */
  update(
    next: Instrument,
    options: { focus?: Path; removal?: Removal; typing?: Path; undoFocus?: Path } = {},
  ): void {
    if (next === this.content) return;
    const before = this.content;
    const undoFocus = options.removal?.focus ?? options.undoFocus ?? options.typing;
    this.history.record(before, {
      ...(options.typing && { group: formatPath(options.typing) }),
      ...(undoFocus && { focus: undoFocus }),
    });
    this.apply(next, options.focus);
    this.removal = options.removal;
  }

  /** Goes back one step (Ctrl+Z); focus goes where the step was taken, when it says. */
  undo(): void {
    const step = this.history.undo(this.content);
    if (step) this.apply(step.value, step.focus);
  }

  /** Takes the step undone last again (Ctrl+Shift+Z, Ctrl+Y). */
  redo(): void {
    const step = this.history.redo(this.content);
    if (step) this.apply(step.value, step.focus);
  }

  /** Ends the step being typed (focus left the field): the next key there is a step of its own. */
  endTyping(): void {
    this.history.close();
  }

  private apply(next: Instrument, focus?: Path): void {
    this.content = next;
    this.removal = undefined;
    this.canUndo = this.history.canUndo;
    this.canRedo = this.history.canRedo;
    void typeInInstrumentDraft(this.draftId, next, this.actor);
    this.scheduleValidation();
    if (focus) void this.focusField(focus);
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

  /**
   * Adds an entry (`adder` returns where it went) and puts focus in its first field; undone, focus goes back to the
   * list's "add" button (`undoFocus`: another place, when the list has none).
   */
  add(listPath: Path, adder: (instrument: Instrument) => { instrument: Instrument; index: number }, undoFocus: Path = listPath): void {
    const added = adder(this.content);
    this.update(added.instrument, { focus: [...listPath, added.index], undoFocus });
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
