/**
 * Each teacher's next steps and the team's themes, computed in the page's one Web Worker (development.worker.ts),
 * which keeps the data it was sent between computations (development-client.ts). Where workers are not available
 * the same code runs here, after the screen has painted.
 */
import { development, type Development, type DevelopmentInput } from '../../core/insight/development';
import { DevelopmentClient } from './development-client';

let client: DevelopmentClient | undefined;

/** Rejects with an AbortError when `signal` aborts first: a newer computation replaced this one. */
export function computeDevelopment(input: DevelopmentInput, signal?: AbortSignal): Promise<Development> {
  if (typeof Worker === 'undefined') return inThisThread(input);
  client ??= new DevelopmentClient(
    () => new Worker(new URL('./development.worker.ts', import.meta.url), { type: 'module' }),
  );
  return client.compute(input, signal);
}

function inThisThread(input: DevelopmentInput): Promise<Development> {
  return new Promise((resolve, reject) =>
    setTimeout(() => {
      try {
        resolve(development(input));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    }, 0),
  );
}
