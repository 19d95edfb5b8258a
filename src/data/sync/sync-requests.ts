/**
 * Asking for a sync, apart from the sync itself (sync.ts): the actions that complete an observation or hand over
 * feedback ask here, and the scheduler of a signed-in account listens. A file of its own, so that those screens do
 * not load the sync client (sync.ts and its transport, 16 KB compressed) on a device-only school, where nobody listens.
 */
import { watchOutboxGrowth } from '../writes/outbox';

/** Moments that call for a sync at once, besides the scheduler's own (start, online, visibility, every 30 s). */
const requestListeners = new Set<(reason: SyncReason) => void>();

/** Why a sync is asked for: an observation completed or handed over (at once), or any other change made here (soon). */
export type SyncReason = 'completed' | 'handed-over' | 'changed';

/**
 * Asks for a sync soon: an observation was completed or its feedback handed over, which a colleague is waiting
 * for. Does nothing on a device-only school (nobody listens).
 */
export function requestSync(reason: SyncReason): void {
  for (const listener of requestListeners) listener(reason);
}

/** The scheduler listens here; returns a function that stops listening. */
export function watchSyncRequests(listener: (reason: SyncReason) => void): () => void {
  requestListeners.add(listener);
  // Every other change made on this tablet (a reflection read, a share taken back) goes soon, too.
  const stopOutbox = watchOutboxGrowth(() => listener('changed'));
  return () => {
    requestListeners.delete(listener);
    stopOutbox();
  };
}
