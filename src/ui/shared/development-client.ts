/**
 * The page's side of its one Rasch worker (development-service.ts for the other side). Each computation encodes its
 * input compactly (src/core/insight/development-data.ts) after the screen has painted, a slice of lessons per task so
 * the page keeps answering taps, and sends the data only when the worker does not hold data of the same content
 * key: moved, not copied (the arrays are transferred). A second screen, or the same screen opened again, with the
 * same data sends a small request, which the worker answers from what it computed before.
 *
 * A newer computation replaces an older one by aborting it: the older one's promise rejects at once and its answer,
 * when it comes, is delivered to no one (answers are matched to requests by id). The worker is not stopped for that,
 * or it would lose what it holds; only when it is still busy with nothing but abandoned work and the new request has
 * other data is it replaced by a fresh one. Errors reject the computations waiting for them, as before.
 */
import type { Development, DevelopmentInput } from '../../core/insight/development';
import {
  dataBuffers,
  developmentDataKey,
  DevelopmentEncoder,
  lessonRows,
  type DevelopmentData,
} from '../../core/insight/development-data';
import type { NextStepOptions } from '../../core/statistics/next-steps';
import { HELD_DATA_SETS, type DevelopmentReply, type DevelopmentRequest } from './development-service';

/** What the client needs of a Web Worker (a stand-in in tests). */
export interface DevelopmentWorker {
  postMessage(message: DevelopmentRequest, transfer: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<DevelopmentReply>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

interface Pending {
  key: string;
  /** Kept until sent, in case the worker turns out not to hold it. */
  data: DevelopmentData | undefined;
  options: NextStepOptions | undefined;
  resolve(result: Development): void;
  reject(error: Error): void;
  /** Aborted: its answer goes to no one. */
  abandoned: boolean;
}

const abortError = () => new DOMException('Replaced by a newer computation', 'AbortError');
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
/** How long the encoding may hold the main thread before it lets other tasks run. */
const SLICE_MS = 12;
/** Lessons encoded between looks at the clock. */
const LESSONS_PER_LOOK = 256;

/** `input` in the compact form, encoded over as many tasks as it takes; undefined when aborted meanwhile. */
async function encode(input: DevelopmentInput, signal?: AbortSignal): Promise<DevelopmentData | undefined> {
  const lessons = lessonRows(input.rows, input.instrument);
  const encoder = new DevelopmentEncoder(input.instrument, input.teams, lessons.length);
  let sliceStarted = performance.now();
  for (let l = 0; l < lessons.length; l++) {
    encoder.add(lessons[l]!);
    if (l % LESSONS_PER_LOOK !== LESSONS_PER_LOOK - 1 || performance.now() - sliceStarted < SLICE_MS) continue;
    await nextTask();
    if (signal?.aborted) return undefined;
    sliceStarted = performance.now();
  }
  return encoder.finish();
}

export class DevelopmentClient {
  #worker: DevelopmentWorker | undefined;
  /** The keys the worker holds data of, most recently used last (as development-service.ts keeps them). */
  #held: string[] = [];
  /** Sent and not answered yet, in the order the worker takes them. */
  #pending = new Map<number, Pending>();
  #nextId = 1;
  readonly #createWorker: () => DevelopmentWorker;

  constructor(createWorker: () => DevelopmentWorker) {
    this.#createWorker = createWorker;
  }

  async compute(input: DevelopmentInput, signal?: AbortSignal): Promise<Development> {
    // Encoding reads every rating: let the screen paint first.
    await nextTask();
    const data = signal?.aborted ? undefined : await encode(input, signal);
    if (!data || signal?.aborted) throw abortError();
    const key = developmentDataKey(data);
    this.#replaceIfBusyForNothing(key);
    return new Promise<Development>((resolve, reject) => {
      const id = this.#nextId++;
      const onAbort = () => {
        entry.abandoned = true;
        reject(abortError());
      };
      const entry: Pending = {
        key,
        data,
        options: input.options,
        resolve: (result) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(result);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
        abandoned: false,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, entry);
      this.#post(id, entry);
    });
  }

  #post(id: number, entry: Pending) {
    const worker = (this.#worker ??= this.#start());
    const held = this.#held.includes(entry.key);
    this.#held = [...this.#held.filter((key) => key !== entry.key), entry.key].slice(-HELD_DATA_SETS);
    const request: DevelopmentRequest = { id, key: entry.key, ...(entry.options ? { options: entry.options } : {}) };
    if (held || !entry.data) {
      worker.postMessage(request, []);
      return;
    }
    const data = entry.data;
    entry.data = undefined;
    worker.postMessage({ ...request, data }, dataBuffers(data));
  }

  #start(): DevelopmentWorker {
    const worker = this.#createWorker();
    worker.onmessage = (event) => this.#answer(event.data);
    worker.onerror = (event) => this.#fail(event.message);
    return worker;
  }

  #answer(reply: DevelopmentReply) {
    const entry = this.#pending.get(reply.id);
    if (!entry) return;
    if ('missing' in reply) {
      this.#held = this.#held.filter((key) => key !== entry.key);
      if (entry.abandoned) this.#pending.delete(reply.id);
      else this.#post(reply.id, entry);
      return;
    }
    this.#pending.delete(reply.id);
    if (entry.abandoned) return;
    if (reply.ok) entry.resolve(reply.result);
    else entry.reject(new Error(reply.error));
  }

  /** The worker failed as a whole: everyone waiting hears so, and the next computation starts a new worker. */
  #fail(message: string) {
    const waiting = [...this.#pending.values()];
    this.#stop();
    for (const entry of waiting) if (!entry.abandoned) entry.reject(new Error(message));
  }

  /** Work no one waits for any more, on other data than the new request's, is not worth waiting for. */
  #replaceIfBusyForNothing(key: string) {
    const waiting = [...this.#pending.values()];
    if (waiting.length > 0 && waiting.every((entry) => entry.abandoned) && waiting.some((entry) => entry.key !== key))
      this.#stop();
  }

  #stop() {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#held = [];
    this.#pending.clear();
  }
}
