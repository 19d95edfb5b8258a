/**
 * Checks an instrument file a school picked on this device. Nothing is stored: this is the author's check before an
 * instrument is installed. The file is read and validated in a Web Worker (check-instrument.worker.ts), which also
 * keeps the validator (and Ajv with it) out of the app's first load.
 *
 * `checkInstrumentFile` always resolves, with a verdict or with "could not check": never with an exception, so a
 * screen cannot be left saying "checking…".
 */
import { CheckAssembler, type CheckMessage, type FileCheck } from './check-instrument-parts';

export type { FileCheck } from './check-instrument-parts';

/** A check of 5 MB takes a second or two on a slow tablet; a worker silent for this long has failed. */
const GIVE_UP_MS = 60_000;

export function checkInstrumentFile(file: File, signal?: AbortSignal): Promise<FileCheck> {
  const failed = (detail: string): FileCheck => ({ kind: 'not-checked', file: file.name, reason: 'failed', detail });
  // Every browser the app supports has module workers. (Checking here instead would put a second copy of the
  // validator and Ajv in the app, 50 KB that every device downloads.)
  if (typeof Worker === 'undefined') return Promise.resolve(failed('this browser has no Web Workers'));
  return new Promise<FileCheck>((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./check-instrument.worker.ts', import.meta.url), { type: 'module' });
    } catch (error) {
      resolve(failed(String(error)));
      return;
    }
    const finish = (answer: FileCheck) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(failed('no answer')), GIVE_UP_MS);
    // A newer file replaces this one: its worker stops at once instead of finishing for nobody.
    signal?.addEventListener('abort', () => finish(failed('replaced')));
    const assembler = new CheckAssembler();
    worker.onmessage = (event: MessageEvent<CheckMessage>) => {
      const answer = assembler.add(event.data);
      if (answer) finish(answer);
    };
    worker.onmessageerror = () => finish(failed('the answer could not be read'));
    worker.onerror = (event) => {
      event.preventDefault();
      finish(failed(event.message || 'the checker could not start'));
    };
    worker.postMessage(file);
  });
}
