/**
 * The Rasch estimation and next steps, off the main thread: a school's years of observations take a moment to
 * estimate, and the screen must never freeze meanwhile. Input and output are plain data (src/core/insight).
 */
import { development, type DevelopmentInput } from '../../core/insight/development';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<DevelopmentInput>) => void) | null;
  postMessage(data: unknown): void;
};
scope.onmessage = (event) => {
  try {
    scope.postMessage({ ok: true, result: development(event.data) });
  } catch (error) {
    scope.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
