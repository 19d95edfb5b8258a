/**
 * The capture session (src/ui/features/capture/capture-session.svelte.ts) on fake-indexeddb: what the observer sees
 * after taps whose writes are fast, slow, failed or overtaken, the lesson clock, the position, the due snapshot and a
 * failed read. Svelte's client runtime runs the session's effects here (tests/unit/svelte-client-environment.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { useFreshDatabase } from './harness';
import { addPerson } from '../../../src/data/records/people';
import { installShippedInstruments } from '../../../src/data/records/instruments';
import { startObservation, getObservation } from '../../../src/data/records/observations';
import { listResponses, recordResponseChanges } from '../../../src/data/records/responses';
import { CaptureSession } from '../../../src/ui/features/capture/capture-session.svelte';
import type { DurableChange } from '../../../src/data/records/page-writes';
import type { Person } from '../../../src/core/model/records';

/** Reads of observations fail while this is set: a database that cannot be read. */
const reads = vi.hoisted(() => ({ failing: false }));
vi.mock('../../../src/data/records/observations', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/data/records/observations')>();
  return {
    ...original,
    getObservation: (id: string) =>
      reads.failing
        ? Promise.reject(new DOMException('The database is not readable', 'UnknownError'))
        : original.getObservation(id),
  };
});

useFreshDatabase();
const sessions: CaptureSession[] = [];
afterEach(() => {
  while (sessions.length) sessions.pop()!.destroy();
  reads.failing = false;
});

const LESSON_START = Date.UTC(2026, 10, 25, 9, 0);

async function observe(instrumentKey = 'meekijken.lesobservatie@1.1.0') {
  await installShippedInstruments(LESSON_START);
  const observer = await addPerson({ name: 'Bram de Vries', role: 'teacher', starter: false }, null);
  const observed = await addPerson({ name: 'Anna Jansen', role: 'teacher', starter: true }, null);
  const observation = await startObservation(
    { instrumentKey, observerId: observer.id, observedId: observed.id, purpose: 'peer', context: { group: 'groep 5' } },
    observer,
    LESSON_START,
  );
  return { observer, observation };
}

/** A write that waits for the test to let it through (a slow disk), or is written at once. */
function controllableWrites() {
  const held: Array<{ change: DurableChange; actor: Person; at: number; release: (ok: boolean) => Promise<void> }> = [];
  let holding = false;
  const record = (change: DurableChange, actor: unknown, at: number): Promise<boolean> => {
    const write = async () => {
      if (change.kind === 'response')
        await recordResponseChanges(
          change.observationId,
          change.itemId,
          [{ patch: change.patch, at }],
          actor as Person,
        );
      return true;
    };
    if (!holding) return write();
    return new Promise((resolve) => {
      held.push({
        change,
        actor: actor as Person,
        at,
        release: async (ok) => {
          if (ok) await write();
          resolve(ok);
        },
      });
    });
  };
  return { record, held, hold: (on: boolean) => (holding = on) };
}

function open(options: ConstructorParameters<typeof CaptureSession>[0]): CaptureSession {
  const session = new CaptureSession(options);
  sessions.push(session);
  flushSync();
  return session;
}

async function ready(session: CaptureSession) {
  await vi.waitFor(() => expect(session.isLoading).toBe(false));
  await vi.waitFor(() => expect(session.stored.current).toBeDefined());
  flushSync();
}

describe('capture session', () => {
  it('opens the observation with its instrument, the observed colleague and the first domain', async () => {
    const { observer, observation } = await observe();
    const session = open({ observationId: observation.id, me: observer });
    await ready(session);
    expect(session.loadError).toBeUndefined();
    expect(session.instrument?.id).toBe('meekijken.lesobservatie');
    expect(session.observedName).toBe('Anna Jansen');
    expect(session.domainId).toBe('leerklimaat');
    expect(session.domainIndex).toBe(0);
    expect(session.completed).toBe(false);
    expect(session.progress?.answered).toBe(0);
  });

  it('stores a tap through the app’s own write path and shows the stored value', async () => {
    const { observer, observation } = await observe();
    const session = open({ observationId: observation.id, me: observer });
    await ready(session);
    expect(await session.patch('lk-respect', { kind: 'rating', value: 3 })).toBe(true);
    await vi.waitFor(() => expect(session.responses.get('lk-respect')?.rating).toBe(3));
    expect((await listResponses(observation.id)).find((r) => r.itemId === 'lk-respect')?.rating).toBe(3);
    expect(session.progress?.answered).toBe(1);
  });

  it('shows a slow tap before it is stored, the latest tap winning, until the store catches up', async () => {
    const { observer, observation } = await observe();
    const writes = controllableWrites();
    const session = open({ observationId: observation.id, me: observer, record: writes.record, showPendingAfterMs: 5 });
    await ready(session);
    writes.hold(true);
    let t = LESSON_START + 1000;
    const clocked = open({
      observationId: observation.id,
      me: observer,
      record: writes.record,
      showPendingAfterMs: 5,
      now: () => t,
    });
    await ready(clocked);
    void clocked.patch('lk-respect', { kind: 'rating', value: 2 });
    t += 100;
    void clocked.patch('lk-respect', { kind: 'rating', value: 4 });
    expect(
      clocked.responses.get('lk-respect')?.rating,
      'a fast write is not shown before it is stored',
    ).toBeUndefined();
    await vi.waitFor(() => expect(clocked.responses.get('lk-respect')?.rating).toBe(4));
    // The first tap also started the lesson clock, a write of its own.
    const clock = writes.held.filter((w) => w.change.kind === 'observation');
    const taps = writes.held.filter((w) => w.change.kind === 'response');
    expect(clock.map((w) => w.change.kind === 'observation' && w.change.change.field)).toEqual(['clock']);
    expect(taps).toHaveLength(2);
    // The writes land in the order the disk lets them: the older tap last. The newer one still shows.
    await taps[1]!.release(true);
    await taps[0]!.release(true);
    await clock[0]!.release(true);
    await vi.waitFor(() => expect(clocked.stored.current?.find((r) => r.itemId === 'lk-respect')?.rating).toBe(4));
    expect(clocked.responses.get('lk-respect')?.rating).toBe(4);
    expect(
      session.responses.get('lk-respect')?.rating,
      'a second screen on the same observation follows the store',
    ).toBe(4);
  });

  it('keeps a tap whose write failed on screen, and lets a newer stored change replace it', async () => {
    const { observer, observation } = await observe();
    const writes = controllableWrites();
    let t = LESSON_START + 1000;
    const session = open({
      observationId: observation.id,
      me: observer,
      record: writes.record,
      showPendingAfterMs: 5,
      now: () => t,
    });
    await ready(session);
    const storedRating = () => session.stored.current?.find((r) => r.itemId === 'lk-contact')?.rating;
    expect(await session.patch('lk-contact', { kind: 'rating', value: 2 })).toBe(true);
    await vi.waitFor(() => expect(storedRating()).toBe(2));
    writes.hold(true);
    t += 1000;
    const stored = session.patch('lk-contact', { kind: 'rating', value: 3 });
    await writes.held[0]!.release(false);
    expect(await stored).toBe(false);
    flushSync();
    expect(session.responses.get('lk-contact')?.rating, 'the failed tap stays on screen').toBe(3);
    expect(storedRating()).toBe(2);
    // Another tab of the same observer stores a newer rating: it wins over the failed tap.
    t += 1000;
    await recordResponseChanges(
      observation.id,
      'lk-contact',
      [{ patch: { kind: 'rating', value: 4 }, at: t }],
      observer,
    );
    await vi.waitFor(() => expect(storedRating()).toBe(4));
    expect(session.responses.get('lk-contact')?.rating).toBe(4);
  });

  it('runs the lesson clock from the tap, before the start is stored', async () => {
    const { observer, observation } = await observe();
    const writes = controllableWrites();
    let t = LESSON_START + 60_000;
    const session = open({ observationId: observation.id, me: observer, record: writes.record, now: () => t });
    await ready(session);
    writes.hold(true);
    void session.toggleClock();
    expect(session.running).toBe(true);
    t += 90_000;
    session.now = t;
    expect(session.elapsed).toBe(90_000);
    void session.toggleClock();
    expect(session.running).toBe(false);
    expect(writes.held.map((w) => w.change.kind === 'observation' && w.change.change.field)).toEqual([
      'clock',
      'clock',
    ]);
    expect(session.elapsed).toBe(90_000);
  });

  it('starts the lesson clock with the first answer when the observer did not, and never restarts a paused one', async () => {
    const { observer, observation } = await observe();
    let t = LESSON_START + 60_000;
    const session = open({ observationId: observation.id, me: observer, now: () => t });
    await ready(session);
    expect(session.running).toBe(false);
    expect(await session.patch('lk-contact', { kind: 'rating', value: 3 })).toBe(true);
    expect(session.running).toBe(true);
    await vi.waitFor(async () =>
      expect((await getObservation(observation.id))?.clock).toEqual({
        elapsedMs: 0,
        runningSince: LESSON_START + 60_000,
      }),
    );
    t += 5 * 60_000;
    session.now = t;
    expect(session.elapsed).toBe(5 * 60_000);
    // A pause is the observer's: the next answer does not start the clock again.
    await session.toggleClock();
    t += 60_000;
    await session.patch('lk-contact', { kind: 'rating', value: 4 });
    session.now = t;
    expect(session.running).toBe(false);
    expect(session.elapsed).toBe(5 * 60_000);
  });

  it('remembers the domain on screen, so a new session opens where the observer was', async () => {
    const { observer, observation } = await observe();
    const first = open({ observationId: observation.id, me: observer });
    await ready(first);
    expect(await first.goToDomain('differentiatie')).toBe(true);
    expect(first.domain?.id).toBe('differentiatie');
    expect((await getObservation(observation.id))?.position.domainId).toBe('differentiatie');
    const second = open({ observationId: observation.id, me: observer });
    await ready(second);
    await vi.waitFor(() => expect(second.domainId).toBe('differentiatie'));
    expect(second.domainIndex).toBe(4);
  });

  it('opens on one item: shows the domain it sits in and remembers it; an unknown item changes nothing', async () => {
    const { observer, observation } = await observe();
    const session = open({ observationId: observation.id, me: observer });
    await ready(session);
    await vi.waitFor(() => expect(session.domainId).toBe('leerklimaat'));
    expect(session.showItem('df-subgroep')).toBe(true);
    expect(session.domain?.id).toBe('differentiatie');
    await vi.waitFor(async () =>
      expect((await getObservation(observation.id))?.position.domainId).toBe('differentiatie'),
    );
    expect(session.showItem('no-such-item')).toBe(false);
    expect(session.domain?.id).toBe('differentiatie');
  });

  it('announces the snapshot that is due by the lesson clock, and stops once every field of it is recorded', async () => {
    const { observer, observation } = await observe('meekijken.time-on-task@1.0.0');
    let t = LESSON_START;
    const session = open({ observationId: observation.id, me: observer, now: () => t });
    await ready(session);
    await session.toggleClock();
    expect(session.dueSnapshot).toBeUndefined();
    t += 11 * 60_000;
    session.now = t;
    expect(session.dueSnapshot).toBe(10);
    expect(session.snapshotDomain?.id).toBe('momentopnames');
    const [count, activity] =
      session.snapshotItem?.response.type === 'snapshot' ? session.snapshotItem.response.fields : [];
    // Progress counts both fields of each snapshot the clock has reached (5 and 10): four answers asked for.
    expect(session.progress?.domains[0]).toMatchObject({ total: 4, answered: 0 });
    await session.patch(session.snapshotItem!.id, { kind: 'snapshot', minute: 10, fieldId: count!.id, value: 3 });
    await vi.waitFor(() => expect(session.progress?.domains[0]).toMatchObject({ total: 4, answered: 1 }));
    // Half a snapshot is not a snapshot: it stays due until the activity is chosen too.
    expect(session.dueSnapshot).toBe(10);
    await session.patch(session.snapshotItem!.id, {
      kind: 'snapshot',
      minute: 10,
      fieldId: activity!.id,
      value: ['zelfstandig-werken'],
    });
    await vi.waitFor(() => expect(session.dueSnapshot).toBeUndefined());
    expect(session.progress?.domains[0]).toMatchObject({ total: 4, answered: 2 });
  });

  it('shows a failed read as an error, not as "not found", and reads again on retry', async () => {
    const { observer, observation } = await observe();
    reads.failing = true;
    const session = open({ observationId: observation.id, me: observer });
    await vi.waitFor(() => expect(session.loadError).toBeInstanceOf(DOMException));
    expect(session.isLoading).toBe(false);
    reads.failing = false;
    session.retry();
    await ready(session);
    expect(session.loadError).toBeUndefined();
    expect(session.observation.current?.id).toBe(observation.id);
    expect(session.observedName).toBe('Anna Jansen');
  });
});
