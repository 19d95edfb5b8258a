/**
 * A valid instrument travels from the checking worker to the page in parts: first its frame (everything but the
 * sections' items), then the items a slice at a time. The page reads each message in a task of its own, so a file of
 * megabytes never holds the page for the time it takes to read all of it at once (reading a 4 MB instrument posted
 * whole took longer than parsing its JSON).
 */
import type { Instrument, Item } from '../../../core/instrument';
import type { ReportLine } from '../../../core/instrument/report';

/** The verdict on a picked file, as the screen shows it. */
export type FileCheck =
  | { kind: 'valid'; file: string; instrument: Instrument }
  /** The problems as a person reads them (at most 10 of a kind, then a count) and how many there are in all. */
  | { kind: 'refused'; file: string; lines: ReportLine[]; total: number }
  /** Nothing is known about the file: it could not be read, or the check itself failed. */
  | { kind: 'not-checked'; file: string; reason: 'unreadable' | 'failed'; detail: string };

/** About this many characters of JSON per message: reading one takes well under a millisecond. */
const PART_CHARS = 64 * 1024;

export type CheckMessage =
  /** A refusal or "could not check": small, whole. */
  | { type: 'verdict'; check: Exclude<FileCheck, { kind: 'valid' }> }
  /** A valid instrument's frame: every section with no items yet; `parts` item messages follow. */
  | { type: 'frame'; file: string; instrument: Instrument; parts: number }
  /** The next items of section `domain`, in order. */
  | { type: 'items'; domain: number; items: Item[] };

/** The messages that carry `check`, in the order they must be posted. */
export function checkMessages(check: FileCheck, partChars = PART_CHARS): CheckMessage[] {
  if (check.kind !== 'valid') return [{ type: 'verdict', check }];
  const { instrument } = check;
  const parts: CheckMessage[] = [];
  instrument.domains.forEach((domain, d) => {
    let slice: Item[] = [];
    let chars = 0;
    for (const item of domain.items) {
      const size = JSON.stringify(item).length;
      if (slice.length > 0 && chars + size > partChars) {
        parts.push({ type: 'items', domain: d, items: slice });
        slice = [];
        chars = 0;
      }
      slice.push(item);
      chars += size;
    }
    if (slice.length > 0) parts.push({ type: 'items', domain: d, items: slice });
  });
  const frame: Instrument = { ...instrument, domains: instrument.domains.map((domain) => ({ ...domain, items: [] })) };
  return [{ type: 'frame', file: check.file, instrument: frame, parts: parts.length }, ...parts];
}

/**
 * Puts the messages back together on the page. `add` returns the whole check once it has all of it, else
 * undefined; a message out of order (items before a frame, more parts than announced) is a failed check.
 */
export class CheckAssembler {
  private frame: { file: string; instrument: Instrument; parts: number } | undefined;
  private received = 0;

  add(message: CheckMessage): FileCheck | undefined {
    switch (message.type) {
      case 'verdict':
        return message.check;
      case 'frame':
        this.frame = { file: message.file, instrument: message.instrument, parts: message.parts };
        this.received = 0;
        return this.complete();
      case 'items': {
        const domain = this.frame?.instrument.domains[message.domain];
        if (!this.frame || !domain || this.received >= this.frame.parts) return { kind: 'not-checked', file: this.frame?.file ?? '', reason: 'failed', detail: 'the checker answered out of order' };
        domain.items.push(...message.items);
        this.received++;
        return this.complete();
      }
    }
  }

  private complete(): FileCheck | undefined {
    const frame = this.frame;
    return frame && this.received === frame.parts ? { kind: 'valid', file: frame.file, instrument: frame.instrument } : undefined;
  }
}
