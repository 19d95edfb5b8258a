/**
 * Checks an instrument file off the main thread: reading, decoding and validating a file of megabytes takes a
 * moment (Ajv and all), and the page must stay responsive meanwhile. Input: the picked File (a handle; its bytes
 * are read here). Output: a `FileCheck` (check-instrument-file.ts), plain data.
 */
import { runFileCheck } from './check-instrument-run';
import type { FileCheck } from './check-instrument-file';

const scope = self as unknown as { onmessage: ((event: MessageEvent<File>) => void) | null; postMessage(data: FileCheck): void };

scope.onmessage = (event) => {
  void runFileCheck(event.data).then((answer) => scope.postMessage(answer));
};
