/**
 * The app's check of a picked file, as its worker runs it (src/ui/features/instruments/check-instrument-run.ts):
 * a verdict for every file, "could not check" when the file cannot be read, never an exception; and the problems
 * as a person reads them, ten of a kind and then a count (src/core/instrument/report.ts); and a valid instrument
 * sent to the page in parts (check-instrument-parts.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFileCheck } from '../../src/ui/features/instruments/check-instrument-run';
import { capProblems } from '../../src/core/instrument/report';
import { problem } from '../../src/core/instrument/problems';
import { MAX_FILE_BYTES } from '../../src/core/instrument/limits';
import type { Instrument } from '../../src/core/instrument';
import type { FileCheck } from '../../src/ui/features/instruments/check-instrument-file';
import {
  CheckAssembler,
  checkMessages,
  type CheckMessage,
} from '../../src/ui/features/instruments/check-instrument-parts';

const shipped = readFileSync(path.resolve(__dirname, '../../instruments/time-on-task.json'));

describe('checking a picked file', () => {
  it('previews a valid file', async () => {
    const answer = await runFileCheck(new File([shipped], 'time-on-task.json'));
    expect(answer.kind).toBe('valid');
    expect(answer.kind === 'valid' && answer.instrument.id).toBe('meekijken.time-on-task');
  });

  it('refuses a file that is not UTF-8, with the problem where it is', async () => {
    const answer = await runFileCheck(new File([new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d])], 'latin1.json'));
    expect(answer).toMatchObject({ kind: 'refused', file: 'latin1.json', total: 1 });
    expect(answer.kind === 'refused' && answer.lines[0]).toMatchObject({
      kind: 'problem',
      problem: { code: 'notUtf8' },
    });
  });

  it('refuses a file over the limit without reading it', async () => {
    const huge = new File([], 'huge.json');
    Object.defineProperty(huge, 'size', { value: MAX_FILE_BYTES + 1 });
    Object.defineProperty(huge, 'arrayBuffer', { value: () => Promise.reject(new Error('read a huge file')) });
    const answer = await runFileCheck(huge);
    expect(
      answer.kind === 'refused' && answer.lines.map((line) => line.kind === 'problem' && line.problem.code),
    ).toEqual(['fileTooLarge']);
  });

  it('answers "could not check" for a file that cannot be read any more', async () => {
    const gone = new File([shipped], 'gone.json');
    Object.defineProperty(gone, 'arrayBuffer', {
      value: () => Promise.reject(new DOMException('The file changed', 'NotReadableError')),
    });
    expect(await runFileCheck(gone)).toEqual({
      kind: 'not-checked',
      file: 'gone.json',
      reason: 'unreadable',
      detail: 'NotReadableError: The file changed',
    });
  });
});

describe('the problems as a person reads them', () => {
  const many = (code: 'duplicateId' | 'blankText', count: number) =>
    Array.from({ length: count }, (_, i) => problem(`$.x[${i}]`, code, { id: 'a', first: '$' }));

  it('shows ten of a kind, then how many more, in the order found', () => {
    const lines = capProblems([...many('duplicateId', 25), ...many('blankText', 3)]);
    expect(lines.map((line) => (line.kind === 'more' ? `+${line.count} ${line.code}` : line.problem.code))).toEqual([
      ...Array(10).fill('duplicateId'),
      '+15 duplicateId',
      ...Array(3).fill('blankText'),
    ]);
  });

  it('adds no count line for exactly ten', () => {
    expect(capProblems(many('blankText', 10)).every((line) => line.kind === 'problem')).toBe(true);
  });
});

describe('a valid instrument sent from the worker in parts', () => {
  const lesson = JSON.parse(
    readFileSync(path.resolve(__dirname, '../../instruments/lesobservatie.json'), 'utf8'),
  ) as Instrument;
  /** The messages as the page receives them: copies, as postMessage makes. */
  const received = (messages: CheckMessage[]) => messages.map((message) => structuredClone(message));

  it('puts a large instrument back together exactly, from parts of at most the given size (or one item)', () => {
    const check: FileCheck = { kind: 'valid', file: 'les.json', instrument: lesson };
    const messages = checkMessages(check, 2_000);
    const items = messages.filter((message) => message.type === 'items');
    expect(items.length).toBeGreaterThan(lesson.domains.length);
    for (const part of items) {
      const size = part.items.reduce((sum, item) => sum + JSON.stringify(item).length, 0);
      if (part.items.length > 1) expect(size).toBeLessThanOrEqual(2_000);
    }
    expect(messages[0]).toMatchObject({ type: 'frame', parts: items.length });
    const assembler = new CheckAssembler();
    const answers = received(messages).map((message) => assembler.add(message));
    expect(answers.slice(0, -1).every((answer) => answer === undefined)).toBe(true);
    expect(answers.at(-1)).toEqual(check);
  });

  it('sends an instrument without items, and a refusal, in one message', () => {
    const empty: FileCheck = { kind: 'valid', file: 'leeg.json', instrument: { ...lesson, domains: [] } };
    expect(checkMessages(empty)).toHaveLength(1);
    expect(new CheckAssembler().add(received(checkMessages(empty))[0]!)).toEqual(empty);
    const refused: FileCheck = { kind: 'refused', file: 'x.json', lines: [], total: 0 };
    expect(new CheckAssembler().add(received(checkMessages(refused))[0]!)).toEqual(refused);
  });

  it('fails the check, instead of showing half an instrument, when parts come out of order', () => {
    const messages = received(checkMessages({ kind: 'valid', file: 'les.json', instrument: lesson }, 2_000));
    expect(new CheckAssembler().add(messages[1]!)).toMatchObject({ kind: 'not-checked', reason: 'failed' });
    const assembler = new CheckAssembler();
    for (const message of messages) assembler.add(message);
    expect(assembler.add(messages[1]!)).toMatchObject({ kind: 'not-checked', reason: 'failed' });
  });
});
