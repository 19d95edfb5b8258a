/**
 * The instrument editor's undo and redo: a bounded history of the instrument's values. The editor keeps its
 * instrument as one value that every edit replaces (the steps in core/instrument/edit share what they do not
 * change), so a step back is the value before, kept whole, and costs little.
 *
 * Typing is not undone a key at a time: edits of one field (`group`, the field's path) that follow each other
 * within `COALESCE_MS` are one step, from the value before the first key to the value after the last.
 */

/** Steps kept to undo; the oldest goes first. */
const LIMIT = 100;
/** How long a pause in typing may be and still be the same step. */
export const COALESCE_MS = 1500;

interface Step<T, F> {
  /** The value before the step (for undo) or after it (for redo). */
  value: T;
  /** Where focus goes once the step is undone or redone (a field's path), when the step says. */
  focus?: F;
  group?: string;
  at: number;
}

export class EditHistory<T, F = unknown> {
  private past: Array<Step<T, F>> = [];
  private future: Array<Step<T, F>> = [];

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly limit = LIMIT,
  ) {}

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /**
   * A step was taken from `before`. `group`: the field typed in (a step of the same field just before is
   * continued); `focus`: where focus goes when it is undone.
   */
  record(before: T, options: { group?: string; focus?: F } = {}): void {
    const at = this.now();
    const last = this.past.at(-1);
    this.future = [];
    if (options.group !== undefined && last?.group === options.group && at - last.at <= COALESCE_MS) {
      last.at = at;
      return;
    }
    this.past.push({ value: before, at, ...(options.focus !== undefined && { focus: options.focus }), ...(options.group !== undefined && { group: options.group }) });
    if (this.past.length > this.limit) this.past.splice(0, this.past.length - this.limit);
  }

  /** Ends the step being typed: the next key in the same field is a step of its own. */
  close(): void {
    const last = this.past.at(-1);
    if (last) delete last.group;
  }

  /** The value before the last step (given the current one, for redo), and where focus goes; undefined: none. */
  undo(current: T): { value: T; focus?: F } | undefined {
    const step = this.past.pop();
    if (!step) return undefined;
    this.future.push({ value: current, at: this.now(), ...(step.focus !== undefined && { focus: step.focus }) });
    return { value: step.value, ...(step.focus !== undefined && { focus: step.focus }) };
  }

  /** The value the last undo went back from. */
  redo(current: T): { value: T; focus?: F } | undefined {
    const step = this.future.pop();
    if (!step) return undefined;
    this.past.push({ value: current, at: this.now(), ...(step.focus !== undefined && { focus: step.focus }) });
    return { value: step.value, ...(step.focus !== undefined && { focus: step.focus }) };
  }
}
