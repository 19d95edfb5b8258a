/**
 * Checks an instrument file off the main thread: reading, decoding and validating a file of megabytes takes a
 * moment (Ajv and all), and the page must stay responsive meanwhile. Input: the picked File (a handle; its bytes
 * are read here). Output: a `FileCheck` (check-instrument-file.ts) as plain data, a valid instrument in parts
 * (check-instrument-parts.ts).
 */
import { runFileCheck } from './check-instrument-run';
import { checkMessages, type CheckMessage } from './check-instrument-parts';

const scope = self as unknown as { onmessage: ((event: MessageEvent<File>) => void) | null; postMessage(data: CheckMessage): void };

scope.onmessage = (event) => {
  void runFileCheck(event.data).then((answer) => {
    for (const message of checkMessages(answer)) scope.postMessage(message);
  });
};
