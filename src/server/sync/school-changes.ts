/**
 * Tells the devices of a school that something changed, so they pull at once instead of at their next periodic
 * sync: the observed teacher's tablet shows "Nieuwe feedback" seconds after the observer's tablet pushed it.
 * `GET /api/sync/events` keeps a Server-Sent Events stream open per device; a push that applied something notifies
 * the school's streams. The event carries nothing but "changed": what a device may see it still learns by pulling.
 *
 * In-process: with several server processes behind one database (a board), a device hears the changes made through
 * its own process at once and the others at its next periodic sync.
 */
export type ChangeListener = () => void;

export class SchoolChanges {
  private readonly listeners = new Map<string, Set<ChangeListener>>();

  subscribe(schoolId: string, listener: ChangeListener): () => void {
    const set = this.listeners.get(schoolId) ?? new Set<ChangeListener>();
    set.add(listener);
    this.listeners.set(schoolId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(schoolId);
    };
  }

  notify(schoolId: string): void {
    for (const listener of [...(this.listeners.get(schoolId) ?? [])]) listener();
  }

  /** How many streams are open (for tests and the health of a shutdown). */
  get size(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }
}
