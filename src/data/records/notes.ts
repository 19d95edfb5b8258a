/** Quick timestamped notes during a lesson. */
import { alive, db } from '../database/db';
import { now as clockNow, save, tombstone, writeTransaction } from '../writes/local';
import type { Actor } from '../../core/model/lifecycle';
import type { Note, Uuid } from '../../core/model/records';
import { latestEntry, type JournalledKind } from '../writes/journal';

export async function listNotes(observationId: Uuid): Promise<Note[]> {
  const notes = await db().notes.where('observationId').equals(observationId).toArray();
  return notes.filter((n) => alive(n)).sort((a, b) => a.lessonMs - b.lessonMs || a.createdAt - b.createdAt);
}

/** What a note sheet writes: the note as it is on screen. */
export type NoteDraft = Pick<Note, 'id' | 'observationId' | 'text' | 'lessonMs' | 'owner'> & { itemId?: string };

/**
 * Saves a note under an id the caller chose (`newId()` when the note was started), so saving it again after a
 * failed write, or while it is being typed, updates the same note instead of adding a copy. `now` is when the note
 * looked like this on screen: a stored version changed later (another tab) is kept. A note emptied while typing is
 * put away (soft-deleted) and comes back when text is typed again.
 */
export async function saveNote(note: NoteDraft, actor: Actor, now = clockNow()): Promise<void> {
  await writeTransaction(['note'], async () => {
    const existing = await db().notes.get(note.id);
    if (existing && existing.updatedAt > now) return;
    const blank = note.text.trim() === '';
    if (!existing && blank) return;
    const { itemId: _item, deletedAt: _deleted, ...kept } = existing ?? { createdAt: now };
    const record: Note = {
      ...kept,
      id: note.id,
      owner: note.owner,
      observationId: note.observationId,
      text: note.text,
      lessonMs: existing?.lessonMs ?? note.lessonMs,
      updatedAt: now,
      ...(note.itemId ? { itemId: note.itemId } : {}),
      ...(blank ? { deletedAt: now } : {}),
    };
    await save('note', existing, record, actor, { at: now });
  });
}

export async function deleteNote(id: Uuid, actor: Actor, now = clockNow()): Promise<void> {
  await writeTransaction(['note'], async () => {
    const existing = await db().notes.get(id);
    if (alive(existing)) await tombstone('note', existing, actor, { at: now });
  });
}

/** A note as it stands after a keystroke, journalled before it is written (the newest one wins). */
export interface JournalledNote {
  kind: 'note';
  note: NoteDraft;
}

/** Notes in the journal: the whole note is one field. */
export const noteJournal: JournalledKind<JournalledNote> = {
  kind: 'note',
  recordKey: (change) => `note:${change.note.id}`,
  fieldKey: (change) => `note:${change.note.id}`,
  write: async (entries) => {
    const latest = latestEntry(entries);
    await saveNote(latest.change.note, latest.actor, latest.at);
  },
};
