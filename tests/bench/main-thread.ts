import type { Browser, Page } from '@playwright/test';

const TASKS = new Set(['ThreadControllerImpl::RunTask', 'BlinkScheduler_PerformMicrotaskCheckpoint', 'RunMicrotasks']);

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * The longest task of the page's main thread while `during` runs, in milliseconds of CPU time. CPU time, not the
 * wall-clock time a PerformanceObserver reports for a long task: on a busy machine (two test workers and a server on
 * two cores) a task that waits for a core grows without the page doing any more, while the work a task does on the
 * main thread is what freezes a page on a tablet. Chromium's own trace gives both; this reads its thread time.
 * `workerCpuMs`: the same for the page's dedicated workers, to see where the work went. `mainTasksCpuMs`: every
 * main-thread task's CPU time, longest first.
 */
export async function longestMainThreadTask(
  browser: Browser,
  page: Page,
  during: () => Promise<void>,
): Promise<{ cpuMs: number; wallMs: number; workerCpuMs: number; mainTasksCpuMs: number[] }> {
  await browser.startTracing(page, { categories: ['toplevel', 'v8.execute'] });
  let events: TraceEvent[];
  try {
    await during();
  } finally {
    events = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  }
  const longest = (threadName: string) => {
    const threads = new Set(
      events
        .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === threadName)
        .map((e) => `${e.pid}:${e.tid}`),
    );
    // A task, or the microtasks run after one (a promise's continuation, Svelte's updates): whichever is longer.
    const tasks = events.filter((e) => e.ph === 'X' && TASKS.has(e.name) && threads.has(`${e.pid}:${e.tid}`));
    const cpu = tasks.map((e) => (e.tdur ?? e.dur ?? 0) / 1000).sort((a, b) => b - a);
    return {
      cpuMs: Math.round(cpu[0] ?? 0),
      wallMs: Math.round(Math.max(0, ...tasks.map((e) => e.dur ?? 0)) / 1000),
      all: cpu,
    };
  };
  const main = longest('CrRendererMain');
  if (main.all.length === 0) throw new Error('the trace holds no main-thread tasks');
  return {
    cpuMs: main.cpuMs,
    wallMs: main.wallMs,
    mainTasksCpuMs: main.all,
    workerCpuMs: longest('DedicatedWorker thread').cpuMs,
  };
}
