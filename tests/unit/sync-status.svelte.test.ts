/**
 * The UI's sync pieces (src/ui/features/sync): what the status line says and what a screen reader hears, and when
 * the scheduler syncs (start, events, 30 s while visible, 5 minutes while the event stream is healthy, backoff after
 * server errors, nothing by itself once signed out), with a fake page, a fake event stream and fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { announcement, syncLine } from '../../src/ui/features/sync/sync-line';
import {
  CHANGE_QUIET_MS,
  STREAMING_SYNC_INTERVAL_MS,
  SYNC_INTERVAL_MS,
  SyncScheduler,
  nextAttempt,
  type SchedulerEnv,
  type StreamEvent,
  type SyncMode,
} from '../../src/ui/features/sync/sync-scheduler.svelte';
import type { SyncResult, SyncStatus } from '../../src/data/sync/sync';
import { requestSync } from '../../src/data/sync/sync-requests';
import { STREAM_BEAT_MS, STREAM_SILENT_MS } from '../../src/core/sync/protocol';

const status = (over: Partial<SyncStatus> = {}): SyncStatus => ({
  pending: 0,
  notSent: [],
  state: { phase: 'ok', at: 1 },
  newFeedback: 0,
  ...over,
});
const done: SyncResult = { outcome: 'done', pushed: { answered: 0, refused: 0 }, received: 0 };
const serverError: SyncResult = { outcome: 'failed', failure: 'server', detail: '503', status: 503 };
const offline: SyncResult = { outcome: 'failed', failure: 'offline', detail: 'no network' };
const appTooOld: SyncResult = { outcome: 'failed', failure: 'app-too-old', detail: 'update', status: 409 };
const serverTooOld: SyncResult = { outcome: 'failed', failure: 'server-too-old', detail: 'update', status: 409 };

describe('the status line', () => {
  it('says, most important first: signed out, failed, refused changes, new feedback, waiting, all sent', () => {
    const refused = { changeId: 'c1', kind: 'note' as const, recordId: 'n1', reason: 'invalid-text', at: 1 };
    expect(syncLine(status({ notSent: [refused], newFeedback: 1, pending: 2 }))).toEqual({
      kind: 'not-sent',
      count: 1,
      pending: 2,
    });
    expect(
      syncLine(status({ notSent: [refused], state: { phase: 'failed', failure: 'offline', at: 2 } })),
    ).toMatchObject({ kind: 'failed' });
    expect(announcement(syncLine(status({ notSent: [refused] })))).toBe('not-sent');
    expect(syncLine(status())).toEqual({ kind: 'sent' });
    expect(syncLine(status({ state: undefined }))).toEqual({ kind: 'sent' });
    expect(syncLine(status({ pending: 3 }))).toEqual({ kind: 'pending', pending: 3 });
    expect(syncLine(status({ pending: 3, newFeedback: 1 }))).toEqual({ kind: 'new-feedback', count: 1, pending: 3 });
    expect(
      syncLine(status({ pending: 2, newFeedback: 1, state: { phase: 'failed', failure: 'offline', at: 2 } })),
    ).toEqual({ kind: 'failed', failure: 'offline', pending: 2 });
    expect(syncLine(status({ pending: 2, state: { phase: 'signed-out', reason: 'session-ended', at: 2 } }))).toEqual({
      kind: 'signed-out',
      reason: 'session-ended',
    });
  });

  it('tells a screen reader what happened, never how many changes wait', () => {
    const heard = [0, 1, 2, 5, 0].map((pending) => announcement(syncLine(status({ pending }))));
    expect(new Set(heard)).toEqual(new Set(['connected']));
    expect(announcement(syncLine(status({ state: { phase: 'failed', failure: 'server', at: 1 } })))).toBe('failed');
    expect(announcement(syncLine(status({ newFeedback: 2 })))).toBe('new-feedback');
    expect(announcement(syncLine(status({ state: { phase: 'signed-out', reason: 'other-account', at: 1 } })))).toBe(
      'signed-out',
    );
  });
});

describe('when to try again', () => {
  it('waits 30 s after success or offline, backs off after server errors up to 5 minutes, and stops once signed out', () => {
    const middle = () => 0.5;
    expect(nextAttempt(done, 3, middle)).toEqual({ delay: SYNC_INTERVAL_MS, failures: 0 });
    expect(nextAttempt(offline, 0, middle)).toEqual({ delay: SYNC_INTERVAL_MS, failures: 1 });
    const delays = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((failures) => nextAttempt(serverError, failures, middle).delay);
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
    // Jitter keeps within ±20%.
    expect(nextAttempt(serverError, 0, () => 0).delay).toBe(4_000);
    expect(nextAttempt(serverError, 0, () => 1).delay).toBe(6_000);
    expect(nextAttempt({ outcome: 'signed-out', reason: 'session-ended' }, 2)).toEqual({
      delay: undefined,
      failures: 0,
    });
    // With a healthy event stream, a success waits 5 minutes; anything else as without one.
    expect(nextAttempt(done, 0, middle, true)).toEqual({ delay: STREAMING_SYNC_INTERVAL_MS, failures: 0 });
    expect(nextAttempt(offline, 0, middle, true)).toEqual({ delay: SYNC_INTERVAL_MS, failures: 1 });
    expect(nextAttempt(serverError, 1, middle, true).delay).toBe(10_000);
    // Too old for the school server: only the updated app syncs again. The server too old: every 5 minutes.
    expect(nextAttempt(appTooOld, 0, middle).delay).toBeUndefined();
    expect(nextAttempt(appTooOld, 4, middle, true).delay).toBeUndefined();
    expect(nextAttempt(serverTooOld, 0, middle).delay).toBe(5 * 60_000);
  });
});

describe('the scheduler', () => {
  let runs: SyncMode[];
  let results: SyncResult[];
  let visible: boolean;
  let paused: boolean;
  const listeners = new Map<string, () => void>();
  let env: SchedulerEnv;

  beforeEach(() => {
    vi.useFakeTimers();
    runs = [];
    results = [];
    visible = true;
    paused = false;
    listeners.clear();
    env = {
      run: async (mode) => {
        runs.push(mode);
        return results.shift() ?? done;
      },
      visible: () => visible,
      paused: () => paused,
      listen: (event, listener) => {
        listeners.set(event, listener);
        return () => listeners.delete(event);
      },
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      // No jitter: the backoff is exactly 5 s, 10 s, …
      random: () => 0.5,
    };
  });
  afterEach(() => vi.useRealTimers());

  it('syncs at start, every 30 s while visible and not observing, and pushes when the page is hidden', async () => {
    const scheduler = new SyncScheduler(env);
    const stop = scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual(['full']);
    await vi.advanceTimersByTimeAsync(SYNC_INTERVAL_MS);
    expect(runs).toEqual(['full', 'full']);

    visible = false;
    listeners.get('visibilitychange')!();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.at(-1)).toBe('push');
    await vi.advanceTimersByTimeAsync(SYNC_INTERVAL_MS * 3);
    expect(runs).toHaveLength(3);
    visible = true;
    listeners.get('visibilitychange')!();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.at(-1)).toBe('full');

    paused = true;
    await vi.advanceTimersByTimeAsync(SYNC_INTERVAL_MS * 3);
    expect(runs).toHaveLength(4);
    // Completing an observation syncs at once, observing or not.
    requestSync('completed');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(5);
    stop();
    requestSync('handed-over');
    listeners.get('online')?.();
    await vi.advanceTimersByTimeAsync(SYNC_INTERVAL_MS * 3);
    expect(runs).toHaveLength(5);
  });

  it('sends a change made here after two quiet seconds, once for a burst, and not while observing', async () => {
    const scheduler = new SyncScheduler(env);
    const stop = scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(1);
    for (let key = 0; key < 5; key++) {
      requestSync('changed');
      await vi.advanceTimersByTimeAsync(500);
    }
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(CHANGE_QUIET_MS);
    expect(runs).toHaveLength(2);
    paused = true;
    requestSync('changed');
    await vi.advanceTimersByTimeAsync(CHANGE_QUIET_MS);
    expect(runs).toHaveLength(2);
    stop();
  });

  /** A fake event stream: the test says what happens on it; it counts how often the scheduler reopened it. */
  function fakeStream() {
    const stream = {
      on: undefined as ((event: StreamEvent) => void) | undefined,
      opened: 0,
      closed: false,
      emit: (event: StreamEvent) => stream.on!(event),
    };
    const serverChanges: SchedulerEnv['serverChanges'] = (on) => {
      stream.on = on;
      stream.opened++;
      return {
        close: () => void (stream.closed = true),
        reopen: () => void stream.opened++,
      };
    };
    return { stream, serverChanges };
  }

  /** Advances the clock by `ms`, the server's beat arriving every STREAM_BEAT_MS. */
  async function beating(emit: (event: StreamEvent) => void, ms: number) {
    for (let passed = 0; passed < ms; passed += STREAM_BEAT_MS) {
      await vi.advanceTimersByTimeAsync(Math.min(STREAM_BEAT_MS, ms - passed));
      if (passed + STREAM_BEAT_MS <= ms) emit('beat');
    }
  }

  it('syncs when the server says the school changed, except while observing, and stops listening when stopped', async () => {
    const { stream, serverChanges } = fakeStream();
    const scheduler = new SyncScheduler({ ...env, serverChanges });
    const stop = scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual(['full']);
    stream.emit('changed');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual(['full', 'full']);
    paused = true;
    stream.emit('changed');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(2);
    stop();
    expect(stream.closed).toBe(true);
  });

  it('stops by itself once the server says the app is too old: no retry, no listening, until a person asks', async () => {
    const { stream, serverChanges } = fakeStream();
    results = [appTooOld, appTooOld];
    const scheduler = new SyncScheduler({ ...env, serverChanges });
    const stop = scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual(['full']);
    expect(stream.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(STREAMING_SYNC_INTERVAL_MS * 3);
    expect(runs).toHaveLength(1);
    // "Send now" still asks once (the app may have been updated meanwhile in another tab).
    await scheduler.now();
    await vi.advanceTimersByTimeAsync(STREAMING_SYNC_INTERVAL_MS * 3);
    expect(runs).toHaveLength(2);
    stop();
  });

  it('polls every 5 minutes while the stream beats, every 30 s once it fails, and syncs when it opens again', async () => {
    const { stream, serverChanges } = fakeStream();
    const scheduler = new SyncScheduler({ ...env, serverChanges });
    const stop = scheduler.start();
    // The stream opens (a sync: something may have changed before it listened) and the server's first beat arrives.
    stream.emit('open');
    stream.emit('beat');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual(['full', 'full']);
    await beating(stream.emit, STREAMING_SYNC_INTERVAL_MS - STREAM_BEAT_MS);
    expect(runs, 'no periodic sync within 5 minutes of a healthy stream').toHaveLength(2);
    await beating(stream.emit, STREAM_BEAT_MS);
    expect(runs).toHaveLength(3);

    // The connection fails (the browser tries again by itself): polling comes back to 30 s at once.
    await beating(stream.emit, 2 * STREAM_BEAT_MS);
    stream.emit('lost');
    await vi.advanceTimersByTimeAsync(SYNC_INTERVAL_MS);
    expect(runs).toHaveLength(4);
    stream.emit('lost'); // the browser's next attempt failed too
    await vi.advanceTimersByTimeAsync(SYNC_INTERVAL_MS);
    expect(runs).toHaveLength(5);
    // It opens again: a sync at once, and back to the long wait once it beats.
    stream.emit('open');
    stream.emit('beat');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(6);
    await beating(stream.emit, STREAMING_SYNC_INTERVAL_MS - STREAM_BEAT_MS);
    expect(runs).toHaveLength(6);
    expect(stream.opened, 'the scheduler reopened nothing: the browser did').toBe(1);
    stop();
  });

  it('counts a stream that stays silent as dead: it reopens it and polls every 30 s until it hears from it', async () => {
    const { stream, serverChanges } = fakeStream();
    const scheduler = new SyncScheduler({ ...env, serverChanges });
    const stop = scheduler.start();
    stream.emit('open');
    stream.emit('beat');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(2);
    // Nothing more arrives (a half-open connection, a proxy that holds the bytes back).
    await vi.advanceTimersByTimeAsync(STREAM_SILENT_MS - 1);
    expect(stream.opened).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(stream.opened, 'reopened after a silent minute').toBe(2);
    await vi.advanceTimersByTimeAsync(SYNC_INTERVAL_MS);
    expect(runs).toHaveLength(3);
    // The new stream opens but never beats: still every 30 s, and it is reopened again a minute later.
    stream.emit('open');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(SYNC_INTERVAL_MS);
    expect(runs).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(STREAM_SILENT_MS - SYNC_INTERVAL_MS);
    expect(stream.opened).toBe(3);
    stop();
  });

  it('closes the stream once signed out, and lets a healthy stream not shorten the backoff after server errors', async () => {
    const { stream, serverChanges } = fakeStream();
    results.push(done, serverError, { outcome: 'signed-out', reason: 'session-ended' });
    const scheduler = new SyncScheduler({ ...env, serverChanges });
    scheduler.start();
    stream.emit('open');
    stream.emit('beat');
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(2);
    // A stream that fails cuts a healthy stream's 5-minute wait short, but never replaces a backoff.
    stream.emit('lost');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(3);
    expect(scheduler.last?.outcome).toBe('signed-out');
    expect(stream.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(STREAMING_SYNC_INTERVAL_MS);
    expect(runs).toHaveLength(3);
  });

  it('retries a server error with growing pauses, comes back on `online`, and stops by itself once signed out', async () => {
    const scheduler = new SyncScheduler(env);
    results.push(serverError, serverError, offline, { outcome: 'signed-out', reason: 'session-ended' });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(3);
    expect(scheduler.last).toEqual(offline);
    listeners.get('online')!();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(4);
    expect(scheduler.last?.outcome).toBe('signed-out');
    await vi.advanceTimersByTimeAsync(SYNC_INTERVAL_MS * 10);
    expect(runs).toHaveLength(4);
    // A person asks: it tries (connecting again reloads the app, which starts afresh).
    await scheduler.now();
    expect(runs).toHaveLength(5);
  });
});
