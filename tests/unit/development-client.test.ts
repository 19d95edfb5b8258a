/**
 * The page's Rasch worker and what it keeps (src/ui/shared/development-client.ts, development-service.ts): the
 * client against a stand-in worker that runs the real service and copies every message as a real worker does
 * (structured clone, transferred buffers moved). The stand-in answers only when the test says so, so the order of
 * answers is the test's to choose.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../src/core/instrument';
import { generateDemoSchool } from '../../src/core/demo/demo-school';
import { development, developmentFromData, type DevelopmentInput } from '../../src/core/insight/development';
import type { SummaryRow } from '../../src/core/insight/aggregate';
import { instrumentKey } from '../../src/core/model/records';
import { DevelopmentClient, type DevelopmentWorker } from '../../src/ui/shared/development-client';
import {
  developmentService,
  type DevelopmentReply,
  type DevelopmentRequest,
} from '../../src/ui/shared/development-service';
import { computeDevelopment } from '../../src/ui/shared/development';

const DIR = path.resolve(__dirname, '../../instruments');
const instruments = ['lesobservatie.json', 'zelfevaluatie.json'].map(
  (file) => JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Instrument,
);
const main = instruments[0]!;
const demo = generateDemoSchool({ instruments, now: Date.UTC(2026, 5, 17, 10, 0) });
const byKey = new Map(instruments.map((i) => [instrumentKey(i), i]));
const rows: SummaryRow[] = demo.observations
  .filter((o) => o.summary && o.status !== 'draft')
  .map((o) => ({
    observationId: o.id,
    observedId: o.observedId,
    observerId: o.observerId,
    purpose: o.purpose,
    instrumentId: byKey.get(o.instrumentKey)!.id,
    startedAt: o.startedAt,
    summary: o.summary!,
  }));
const teams = Object.fromEntries(demo.people.map((p) => [p.id, p.teamId]));
/** The school's input, built anew each time (as a screen does from a fresh read). */
const input = (): DevelopmentInput => ({ rows: structuredClone(rows), instrument: main, teams: { ...teams } });
/** The same school with one lesson fewer: other data. */
const other = (): DevelopmentInput => ({ ...input(), rows: structuredClone(rows.slice(1)) });

class StandInWorker implements DevelopmentWorker {
  onmessage: ((event: MessageEvent<DevelopmentReply>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  received: DevelopmentRequest[] = [];
  terminated = false;
  computed = 0;
  #inbox: DevelopmentRequest[] = [];
  #waiting: Array<() => void> = [];
  serve = developmentService((data, options) => {
    this.computed++;
    return developmentFromData(data, options);
  });

  postMessage(message: DevelopmentRequest, transfer: Transferable[]) {
    const copy = structuredClone(message, { transfer });
    this.received.push(copy);
    this.#inbox.push(copy);
    this.#waiting.splice(0).forEach((wake) => wake());
  }

  terminate() {
    this.terminated = true;
  }

  /** Resolves once `count` requests have arrived. */
  async arrived(count: number) {
    while (this.received.length < count) await new Promise<void>((wake) => this.#waiting.push(wake));
  }

  /** Answers the oldest request not answered yet, as the worker's one thread does. */
  answerNext() {
    const request = this.#inbox.shift();
    if (!request) throw new Error('no request to answer');
    this.onmessage?.({ data: this.serve(request) } as MessageEvent<DevelopmentReply>);
  }

  fail(message: string) {
    this.onerror?.({ message } as ErrorEvent);
  }
}

/** Resolves once `condition` holds, looking again after each turn of the event loop. */
async function until(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 0));
}

function setUp() {
  const workers: StandInWorker[] = [];
  const client = new DevelopmentClient(() => {
    const worker = new StandInWorker();
    workers.push(worker);
    return worker;
  });
  /** The n-th worker, once the client has started it (it starts one when it first sends a request). */
  const worker = async (n: number) => {
    await until(() => workers.length > n);
    return workers[n]!;
  };
  return { client, workers, worker };
}

const settled = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

describe("the page's Rasch worker", () => {
  const expected = development(input());
  const expectedOther = development(other());

  it('is sent the data once: a second computation with the same data sends only its key, and is not computed again', async () => {
    const { client, workers, worker } = setUp();
    const first = client.compute(input());
    await (await worker(0)).arrived(1);
    workers[0]!.answerNext();
    expect(await first).toEqual(expected);

    const second = client.compute(input());
    await (await worker(0)).arrived(2);
    workers[0]!.answerNext();
    expect(await second).toEqual(expected);

    expect(workers).toHaveLength(1);
    const [sent, again] = workers[0]!.received;
    expect(sent!.data).toBeDefined();
    expect(again!.data).toBeUndefined();
    expect(again!.key).toBe(sent!.key);
    expect(workers[0]!.computed).toBe(1);
  });

  it('is sent the data again when they change, and keeps two data sets', async () => {
    const { client, workers, worker } = setUp();
    const run = async (make: () => DevelopmentInput, n: number) => {
      const result = client.compute(make());
      await (await worker(0)).arrived(n);
      workers[0]!.answerNext();
      return result;
    };
    expect(await run(input, 1)).toEqual(expected);
    expect(await run(other, 2)).toEqual(expectedOther);
    expect(await run(input, 3)).toEqual(expected);
    expect(workers[0]!.received.map((r) => r.data !== undefined)).toEqual([true, true, false]);
    expect(workers[0]!.received[1]!.key).not.toBe(workers[0]!.received[0]!.key);
  });

  it('never delivers a replaced computation’s answer, and answers the newer one with its own data', async () => {
    const { client, workers, worker } = setUp();
    const older = new AbortController();
    const first = settled(client.compute(input(), older.signal));
    await (await worker(0)).arrived(1);
    // The first is still being computed when a second, on the same data, replaces it.
    older.abort();
    const second = client.compute(input());
    await (await worker(0)).arrived(2);
    workers[0]!.answerNext();
    workers[0]!.answerNext();

    expect(await first).toEqual({ error: expect.objectContaining({ name: 'AbortError' }) });
    expect(await second).toEqual(expected);
    // Same data: the worker was kept, and the answer it computed for the first serves the second.
    expect(workers[0]!.terminated).toBe(false);
    expect(workers[0]!.computed).toBe(1);
  });

  it('does not deliver a stale answer to the newer computation on other data, which a fresh worker computes', async () => {
    const { client, workers, worker } = setUp();
    const older = new AbortController();
    const first = settled(client.compute(input(), older.signal));
    await (await worker(0)).arrived(1);
    older.abort();
    const second = client.compute(other());
    // Busy with nothing but abandoned work on other data: that worker is replaced.
    await (await worker(1)).arrived(1);
    expect(workers[0]!.terminated).toBe(true);
    // The stopped worker's late answer reaches no one.
    workers[0]!.answerNext();
    workers[1]!.answerNext();

    expect(await first).toEqual({ error: expect.objectContaining({ name: 'AbortError' }) });
    expect(await second).toEqual(expectedOther);
    expect(workers[1]!.received[0]!.data).toBeDefined();
  });

  it('keeps the worker when a computation is aborted while none is running', async () => {
    const { client, workers, worker } = setUp();
    const first = client.compute(input());
    await (await worker(0)).arrived(1);
    workers[0]!.answerNext();
    await first;
    const aborted = new AbortController();
    aborted.abort();
    expect(await settled(client.compute(input(), aborted.signal))).toEqual({
      error: expect.objectContaining({ name: 'AbortError' }),
    });
    const third = client.compute(other());
    await (await worker(0)).arrived(2);
    workers[0]!.answerNext();
    expect(await third).toEqual(expectedOther);
    expect(workers).toHaveLength(1);
  });

  it('sends nothing when aborted before the data are ready', async () => {
    const { client, workers } = setUp();
    const replaced = new AbortController();
    const result = settled(client.compute(input(), replaced.signal));
    replaced.abort();
    expect(await result).toEqual({ error: expect.objectContaining({ name: 'AbortError' }) });
    expect(workers).toHaveLength(0);
  });

  it('sends the data after all when the worker no longer holds them', async () => {
    const { client, workers, worker } = setUp();
    const first = client.compute(input());
    await (await worker(0)).arrived(1);
    workers[0]!.answerNext();
    await first;
    // As if the worker had lost what it held.
    workers[0]!.serve = developmentService();
    const second = client.compute(input());
    await (await worker(0)).arrived(2);
    workers[0]!.answerNext();
    await (await worker(0)).arrived(3);
    workers[0]!.answerNext();
    expect(await second).toEqual(expected);
    expect(workers[0]!.received.map((r) => r.data !== undefined)).toEqual([true, false, true]);
  });

  it('rejects with the error the estimation threw', async () => {
    const { client, workers, worker } = setUp();
    const result = settled(client.compute(input()));
    await (await worker(0)).arrived(1);
    workers[0]!.serve = developmentService(() => {
      throw new Error('no estimate');
    });
    workers[0]!.answerNext();
    expect(await result).toEqual({ error: new Error('no estimate') });
  });

  it('rejects what waits on a worker that failed, and starts a new one for the next computation', async () => {
    const { client, workers, worker } = setUp();
    const result = settled(client.compute(input()));
    await (await worker(0)).arrived(1);
    workers[0]!.fail('the worker could not load');
    expect(await result).toEqual({ error: new Error('the worker could not load') });
    expect(workers[0]!.terminated).toBe(true);

    const next = client.compute(input());
    await (await worker(1)).arrived(1);
    expect(workers[1]!.received[0]!.data).toBeDefined();
    workers[1]!.answerNext();
    expect(await next).toEqual(expected);
  });
});

describe('the worker’s service', () => {
  it('answers a key it does not hold with "missing", and forgets the least recently used data set', () => {
    const serve = developmentService(() => ({ instrumentId: 'x' }) as ReturnType<typeof developmentFromData>, 2);
    const data = (n: number) => ({ instrumentId: String(n) }) as Parameters<typeof developmentFromData>[0];
    expect(serve({ id: 1, key: 'a' })).toEqual({ id: 1, ok: false, missing: true });
    serve({ id: 2, key: 'a', data: data(1) });
    serve({ id: 3, key: 'b', data: data(2) });
    expect(serve({ id: 4, key: 'a' }).ok).toBe(true);
    serve({ id: 5, key: 'c', data: data(3) });
    expect(serve({ id: 6, key: 'b' })).toEqual({ id: 6, ok: false, missing: true });
    expect(serve({ id: 7, key: 'a' }).ok).toBe(true);
  });
});

describe('without Web Workers', () => {
  it('computes in this thread, after the screen has painted', async () => {
    expect(typeof Worker).toBe('undefined');
    expect(await computeDevelopment(input())).toEqual(development(input()));
  });
});
