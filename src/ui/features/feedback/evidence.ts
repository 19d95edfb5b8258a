/** How a top or tip names what it is about (an item, a note, a lesson minute), as a select value and as words. */
import { allItems, type Instrument } from '../../../core/instrument';
import { formatClock } from '../../../core/observation/clock';
import type { EvidenceLink, Note } from '../../../core/model/records';
import { t } from '../../i18n/locale.svelte';
import { text } from '../../shared/instrument-describe';

export function linkValue(link: EvidenceLink | undefined): string {
  if (link?.itemId) return `item:${link.itemId}`;
  if (link?.noteId) return `note:${link.noteId}`;
  if (link?.lessonMinute !== undefined) return `minute:${link.lessonMinute}`;
  return '';
}

export function parseLink(value: string): EvidenceLink | undefined {
  const [kind, rest] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
  if (kind === 'item' && rest) return { itemId: rest };
  if (kind === 'note' && rest) return { noteId: rest };
  if (kind === 'minute' && rest !== '' && Number.isFinite(Number(rest))) return { lessonMinute: Number(rest) };
  return undefined;
}

/** "Item: …", "Notitie 12:30: …" or "Minuut 15", for the report; empty when the point is not linked. */
export function describeLink(link: EvidenceLink | undefined, instrument: Instrument, notes: readonly Note[]): string {
  if (link?.itemId) {
    const item = allItems(instrument).find((i) => i.id === link.itemId);
    return item ? t('feedback.aboutItem', { item: text(instrument, item.text) }) : '';
  }
  if (link?.noteId) {
    const note = notes.find((n) => n.id === link.noteId);
    return note ? t('feedback.aboutNote', { time: formatClock(note.lessonMs), note: note.text }) : '';
  }
  if (link?.lessonMinute !== undefined) return t('feedback.aboutMinute', { minute: link.lessonMinute });
  return '';
}
