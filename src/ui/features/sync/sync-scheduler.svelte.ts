/**
 * When a signed-in account syncs (the sync itself is src/data/sync/sync.ts, which never runs two at once):
 *
 * - at start, on the `online` event, and right after an observation is completed or its feedback handed over
 *   (`requestSync` in the data layer, called by those actions); two seconds after any other change made here
 *   (a reflection, a share, a goal: the write path reports each write that added to the outbox);
 * - when the page is hidden, a push only (what waits goes before the tablet sleeps); when it is visible again, a
 *   full sync;
 * - when the server says the school changed (its event stream, `GET /api/sync/events`): feedback handed over on
 *   another tablet arrives within seconds, not at the next periodic sync (not while observing, see below); and
 *   whenever that stream opens or opens again, since a change may have slipped by while it was closed;
 * - every 30 seconds while the page is visible, except while observing (focus mode: the outbox's transactions would
 *   meet every tap's, and nobody waits for a draft; completing the observation syncs at once). Every 5 minutes
 *   instead while the event stream is healthy (it has said something within the last minute: the server beats every
 *   25 s), since the stream brings every change at once: 2,000 tablets of a board then sync about 7 times a second
 *   instead of 67. A stream that fails or goes silent is opened again, and the tablet polls every 30 s until it hears
 *   from it again;
 * - after a server error (5xx, 429), again after 5 s, 10 s, 20 s … up to 5 minutes, with some jitter; offline, at the
 *   next tick or the `online` event; signed out, not by itself any more (the status line offers to connect again);
 * - refused as too old for the school server (`app-too-old`), not by itself any more: only the updated app syncs
 *   again (the update banner offers it). The school server too old for this app (`server-too-old`): every 5 minutes,
 *   since nothing on the tablet changes that, and the server may be updated at any moment.
 *
 * Offline for days is nothing special: every attempt fails cheaply and the outbox keeps everything.
 */
import { watchSyncRequests } from '../../../data/sync/sync-requests';
import type { SyncResult } from '../../../data/sync/sync';
import { STREAM_SILENT_MS } from '../../../core/sync/protocol';

export const SYNC_INTERVAL_MS = 30_000;
/** The periodic sync while the event stream is healthy: a safety net, the stream brings changes at once. */
export const STREAMING_SYNC_INTERVAL_MS = 5 * 60_000;
/** A change made here is sent once the tablet has been quiet this long. */
export const CHANGE_QUIET_MS = 2_000;
const FIRST_BACKOFF_MS = 5_000;
const MAX_BACKOFF_MS = 5 * 60_000;

/** The delay before the next periodic attempt (undefined: none), and the failures in a row so far. */
export function nextAttempt(
  result: SyncResult | undefined,
  failuresInRow: number,
  random: () => number = Math.random,
  /** Whether the server's event stream is healthy (then changes arrive through it, and polling is a safety net). */
  streaming = false,
): { delay: number | undefined; failures: number } {
  if (!result || result.outcome === 'done')
    return { delay: streaming ? STREAMING_SYNC_INTERVAL_MS : SYNC_INTERVAL_MS, failures: 0 };
  if (result.outcome === 'signed-out') return { delay: undefined, failures: 0 };
  const failures = failuresInRow + 1;
  if (result.failure === 'app-too-old') return { delay: undefined, failures };
  if (result.failure === 'server-too-old') return { delay: MAX_BACKOFF_MS, failures };
  if (result.failure === 'offline') return { delay: SYNC_INTERVAL_MS, failures };
  const base = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (failures - 1));
  // Sixty tablets that lost the server at the same moment must not all come back at the same moment.
  return { delay: Math.round(base * (0.8 + 0.4 * random())), failures };
}

export type SyncMode = 'full' | 'push';

/**
 * What happens on the server's event stream: it opened (or opened again), the server's beat or a change arrived, or
 * it failed (the browser tries again by itself).
 */
export type StreamEvent = 'open' | 'beat' | 'changed' | 'lost';

export interface ServerStream {
  /** Closes the stream for good. */
  close(): void;
  /** Closes it and opens a new one: it went silent, so the connection may be dead without having said so. */
  reopen(): void;
}

/** What the scheduler needs from the page; the browser's by default, a fake in tests. */
export interface SchedulerEnv {
  run(mode: SyncMode): Promise<SyncResult | undefined>;
  visible(): boolean;
  /** Periodic syncs wait while this holds (observing). */
  paused(): boolean;
  listen(event: 'online' | 'visibilitychange', listener: () => void): () => void;
  /** Opens the server's event stream (`GET /api/sync/events`) and reports what happens on it. */
  serverChanges?(on: (event: StreamEvent) => void): ServerStream;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** The backoff's jitter (Math.random by default). */
  random?: () => number;
}

export class SyncScheduler {
  /** A sync runs now (started by this scheduler). */
  running = $state(false);
  /** The outcome of the last sync this scheduler ran. */
  last = $state.raw<SyncResult | undefined>(undefined);
  private failures = 0;
  private timer: unknown;
  /** The periodic timer waits the long, streaming interval. */
  private timerIsLong = false;
  private stopped = true;
  /** The event stream has said something within STREAM_SILENT_MS. */
  private streamHealthy = false;
  private silence: unknown;
  private stream: ServerStream | undefined;

  constructor(private readonly env: SchedulerEnv) {}

  /** Starts syncing (at once, then as described above); returns a function that stops. */
  start(): () => void {
    this.stopped = false;
    const stops = [
      this.env.listen('online', () => void this.now('full')),
      this.env.listen('visibilitychange', () => void this.now(this.env.visible() ? 'full' : 'push')),
      watchSyncRequests((reason) => (reason === 'changed' ? this.soon() : void this.now('full'))),
    ];
    this.stream = this.env.serverChanges?.((event) => this.onStream(event));
    void this.now('full');
    return () => {
      this.stopped = true;
      this.env.clearTimeout(this.timer);
      this.env.clearTimeout(this.soonTimer);
      this.closeStream();
      for (const stop of stops) stop();
    };
  }

  /**
   * The event stream: a change or a (re)opened stream syncs (not while observing). Healthy means the server's beat or
   * a change arrived within STREAM_SILENT_MS; a stream that failed is not, and one that has said nothing for that
   * long (dead without a word, or refused and given up by the browser) is opened again. Not healthy, the periodic
   * sync comes back to every 30 s.
   */
  private onStream(event: StreamEvent): void {
    if (this.stopped || !this.stream) return;
    this.env.clearTimeout(this.silence);
    if (event === 'beat' || event === 'changed') this.streamHealthy = true;
    if (event === 'lost') this.unhealthy();
    this.silence = this.env.setTimeout(() => {
      this.unhealthy();
      this.stream?.reopen();
    }, STREAM_SILENT_MS);
    if ((event === 'open' || event === 'changed') && !this.env.paused()) void this.now('full');
  }

  private unhealthy(): void {
    this.streamHealthy = false;
    // A long wait was chosen while the stream brought every change: wait no longer than without a stream.
    if (this.timerIsLong) this.schedule(SYNC_INTERVAL_MS);
  }

  private closeStream(): void {
    this.streamHealthy = false;
    this.env.clearTimeout(this.silence);
    this.stream?.close();
    this.stream = undefined;
  }

  /** Syncs now (a button, an event); resolves with the outcome. Also when stopped: a person asked for it. */
  async now(mode: SyncMode = 'full'): Promise<SyncResult | undefined> {
    this.running = true;
    let result: SyncResult | undefined;
    try {
      result = await this.env.run(mode);
    } finally {
      this.running = false;
    }
    this.last = result;
    // Signed out, the stream is refused too: nothing to listen to until the person connects again (a reload). Too old
    // for the server: every change it announces would only be refused again, until the updated app loads.
    if (result?.outcome === 'signed-out' || (result?.outcome === 'failed' && result.failure === 'app-too-old'))
      this.closeStream();
    const next = nextAttempt(result, this.failures, this.env.random, this.streamHealthy);
    this.failures = next.failures;
    this.schedule(next.delay, this.streamHealthy && (!result || result.outcome === 'done'));
    return result;
  }

  private soonTimer: unknown;

  /**
   * A change made on this tablet: sync after a short quiet moment, so typing a reflection sends once, not per key;
   * not while observing (completing the observation syncs).
   */
  private soon(): void {
    this.env.clearTimeout(this.soonTimer);
    this.soonTimer = this.env.setTimeout(() => {
      if (!this.stopped && !this.env.paused()) void this.now('full');
    }, CHANGE_QUIET_MS);
  }

  /** `streaming`: the long wait of a healthy stream, cut short when the stream stops being healthy. */
  private schedule(delay: number | undefined, streaming = false): void {
    this.env.clearTimeout(this.timer);
    this.timerIsLong = false;
    if (delay === undefined || this.stopped) return;
    this.timerIsLong = streaming;
    this.timer = this.env.setTimeout(() => {
      this.timerIsLong = false;
      if (!this.env.visible() || this.env.paused()) this.schedule(SYNC_INTERVAL_MS);
      else void this.now('full');
    }, delay);
  }
}
