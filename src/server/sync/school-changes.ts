/**
 * Tells the devices of a school that something changed, so they pull at once instead of at their next periodic
 * sync: the observed teacher's tablet shows "Nieuwe feedback" seconds after the observer's tablet pushed it.
 * `GET /api/sync/events` keeps a Server-Sent Events stream open per device and subscribes it here. The event carries
 * nothing but "changed": what a device may see it still learns by pulling.
 *
 * These are the streams of this process. Who calls `notify` is the change feed (src/server/sync/change-feed.ts):
 * on PostgreSQL every process LISTENs, so a push through any process on the database reaches the streams of all;
 * on PGlite (one process by construction) the feed calls it directly.
 *
 * Bursts are coalesced per school: the first change is told at once, and whatever follows within `coalesceMs`
 * (200 ms) is told once, when that window ends. A class of thirty tablets pushing at the bell then costs each device
 * about five pulls a second at most, not one per push; a lone hand-over still arrives without delay.
 */
export type ChangeListener = () => void;

/** The shortest time between two events of one school on one stream. */
export const COALESCE_MS = 200;

export class SchoolChanges {
  private readonly listeners = new Map<string, Set<ChangeListener>>();
  /** Schools told within the last `coalesceMs`: whether something changed since (to be told when the window ends). */
  private readonly windows = new Map<string, { timer: ReturnType<typeof setTimeout>; again: boolean }>();

  constructor(private readonly coalesceMs = COALESCE_MS) {}

  subscribe(schoolId: string, listener: ChangeListener): () => void {
    const set = this.listeners.get(schoolId) ?? new Set<ChangeListener>();
    set.add(listener);
    this.listeners.set(schoolId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(schoolId);
    };
  }

  /** Something of this school changed: its streams hear it now, or when the school's current window ends. */
  notify(schoolId: string): void {
    if (!this.listeners.has(schoolId)) return;
    const window = this.windows.get(schoolId);
    if (window) {
      window.again = true;
      return;
    }
    this.tell(schoolId);
    const timer = setTimeout(() => {
      const ended = this.windows.get(schoolId);
      this.windows.delete(schoolId);
      if (ended?.again) this.notify(schoolId);
    }, this.coalesceMs);
    // A window never keeps the process alive (a shutdown does not wait for it).
    timer.unref?.();
    this.windows.set(schoolId, { timer, again: false });
  }

  /** Every school with a stream here: after news may have been missed (the feed's connection was lost). */
  notifyAll(): void {
    for (const schoolId of [...this.listeners.keys()]) this.notify(schoolId);
  }

  /** Drops the pending windows (the server stops). */
  close(): void {
    for (const window of this.windows.values()) clearTimeout(window.timer);
    this.windows.clear();
  }

  private tell(schoolId: string): void {
    for (const listener of [...(this.listeners.get(schoolId) ?? [])]) listener();
  }

  /** How many streams are open (for tests and the health of a shutdown). */
  get size(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }
}
