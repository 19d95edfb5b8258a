/**
 * A small pool of `node:worker_threads` workers for the team figures (team-figures.worker.ts). Each worker is
 * addressed by its place in the pool, because what a worker holds (its copies of schools) lives only there: the caller
 * keeps a school on one worker. Tasks and answers carry a number (worker-messages.ts); a worker answers its tasks in
 * the order they were sent.
 *
 * - A worker starts on its first task. Each start is a new *incarnation*: its number tells the caller whether the
 *   worker that holds its copy is still the one it read into.
 * - A worker that dies (an uncaught error, out of memory, killed) fails its waiting tasks with `WorkerStopped` and is
 *   replaced by a new incarnation (at once; or with the next task, when it died before it ever answered, so a worker
 *   that cannot start is not started in a loop); the process goes on.
 * - `close()` terminates every worker (the server's shutdown, through Fastify's onClose). A worker keeps the process
 *   alive only while it has tasks, so a forgotten pool never holds up the exit.
 *
 * The worker runs the TypeScript source under tsx when this module is itself the source (tests, `tsx`), and the
 * built `dist-server/team-figures.worker.js` in the production build (an entry of its own in vite.config.ts).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TaskMessage, TaskReply, WorkerRequest } from './worker-messages';

/** A task's worker stopped before it answered (it died, or the server is stopping). */
export class WorkerStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerStopped';
  }
}

/** An error the worker caught while it worked on a task (it goes on with the next). */
export class WorkerFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerFailed';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  incarnation: number;
  pending: Map<number, Pending>;
  /** Why it died, when it said so before exiting. */
  error?: Error;
  /** Whether it ever answered: a worker that dies at start is not started again until the next task. */
  answered: boolean;
}

/** One worker per core but one, for the main thread (at least one). */
export const defaultPoolSize = (): number => Math.max(1, availableParallelism() - 1);

export class WorkerPool {
  /** Workers in the pool (at least one). */
  readonly size: number;
  private readonly threads: Array<Thread | undefined>;
  private incarnations = 0;
  private tasks = 0;
  private closed = false;

  constructor(
    size: number,
    private readonly onStopped: (index: number, error: Error) => void = () => {},
  ) {
    this.size = Math.max(1, Math.floor(size));
    this.threads = Array.from({ length: this.size }, () => undefined);
  }

  /** The incarnation of worker `index` (starting it when it is not running). */
  incarnation(index: number): number {
    return this.thread(index).incarnation;
  }

  /** Whether this incarnation of worker `index` still runs (without starting one). */
  runs(index: number, incarnation: number): boolean {
    return this.threads[index]?.incarnation === incarnation;
  }

  /**
   * Sends a task to worker `index`; the answer's value. Rejects with `WorkerFailed` when the worker caught an error,
   * and with `WorkerStopped` when it stopped first, or when `incarnation` is given and is no longer the running one.
   */
  run<T>(index: number, body: WorkerRequest, incarnation?: number): Promise<T> {
    if (this.closed) return Promise.reject(new WorkerStopped('The server is stopping.'));
    const thread = this.thread(index);
    if (incarnation !== undefined && thread.incarnation !== incarnation)
      return Promise.reject(new WorkerStopped('The worker that held this school stopped.'));
    const task = ++this.tasks;
    return new Promise<T>((resolve, reject) => {
      thread.pending.set(task, { resolve: resolve as (value: unknown) => void, reject });
      if (thread.pending.size === 1) thread.worker.ref();
      thread.worker.postMessage({ task, body } satisfies TaskMessage);
    });
  }

  /** The running workers, for tests that stop one. */
  running(): Worker[] {
    return this.threads.flatMap((thread) => (thread ? [thread.worker] : []));
  }

  /** Terminates every worker; their waiting tasks fail with `WorkerStopped`. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.running().map((worker) => worker.terminate()));
  }

  private thread(index: number): Thread {
    const existing = this.threads[index];
    if (existing) return existing;
    if (index < 0 || index >= this.threads.length) throw new RangeError(`no worker ${index} in a pool of ${this.size}`);
    const { url, execArgv } = workerFile();
    const worker = new Worker(url, { name: `team-figures-${index}`, ...(execArgv ? { execArgv } : {}) });
    const thread: Thread = { worker, incarnation: ++this.incarnations, pending: new Map(), answered: false };
    this.threads[index] = thread;
    worker.unref();
    worker.on('message', (reply: TaskReply) => {
      thread.answered = true;
      const pending = thread.pending.get(reply.task);
      if (!pending) return;
      thread.pending.delete(reply.task);
      if (thread.pending.size === 0) worker.unref();
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(new WorkerFailed(reply.error));
    });
    const died = (error: unknown) => (thread.error = error instanceof Error ? error : new Error(String(error)));
    worker.on('error', died);
    worker.on('messageerror', died);
    worker.on('exit', (code) => {
      if (this.threads[index] === thread) this.threads[index] = undefined;
      const error = new WorkerStopped(
        this.closed
          ? 'The server is stopping.'
          : `The team-figures worker stopped (${thread.error?.message ?? `exit code ${code}`}).`,
      );
      for (const pending of thread.pending.values()) pending.reject(error);
      thread.pending.clear();
      if (this.closed) return;
      this.onStopped(index, thread.error ?? error);
      // Its replacement, at once (the next task need not wait for a worker to start), unless it died before it ever
      // answered: then the next task tries again, rather than a loop of workers that cannot start.
      if (thread.answered) this.thread(index);
    });
    return thread;
  }
}

/** The worker's file: the TypeScript source beside this one (run under tsx), or the built one beside main.js. */
function workerFile(): { url: URL; execArgv?: string[] } {
  const here = new URL(import.meta.url);
  if (here.pathname.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
    return { url: new URL('./team-figures.worker.ts', here), execArgv: ['--import', tsx] };
  }
  // The build puts the worker beside main.js; this code may sit there or in chunks/ below it.
  for (const candidate of ['./team-figures.worker.js', '../team-figures.worker.js']) {
    const url = new URL(candidate, here);
    if (existsSync(url)) return { url };
  }
  throw new Error(`Meekijken: the team-figures worker (team-figures.worker.js) is missing beside ${here.pathname}.`);
}
