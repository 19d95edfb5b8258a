/**
 * Each teacher's next steps and the team's themes, computed in a Web Worker (development.worker.ts). Where workers
 * are not available the same code runs here, after the screen has painted.
 */
import { development, type Development, type DevelopmentInput } from '../../core/insight/development';

export function computeDevelopment(input: DevelopmentInput, signal?: AbortSignal): Promise<Development> {
  // What crosses to the worker is copied (structured clone): pass plain data, never Svelte state proxies.
  if (typeof Worker === 'undefined') return new Promise((resolve) => setTimeout(() => resolve(development(input)), 0));
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./development.worker.ts', import.meta.url), { type: 'module' });
    // A newer computation replaces this one: its worker stops at once instead of finishing for nobody.
    signal?.addEventListener('abort', () => {
      worker.terminate();
      reject(new DOMException('Replaced by a newer computation', 'AbortError'));
    });
    worker.onmessage = (event: MessageEvent<{ ok: true; result: Development } | { ok: false; error: string }>) => {
      worker.terminate();
      if (event.data.ok) resolve(event.data.result);
      else reject(new Error(event.data.error));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message));
    };
    worker.postMessage(input);
  });
}
