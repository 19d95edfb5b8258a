/**
 * Instrument drafts: what a school leader is writing in the instrument editor. Every keystroke is a change
 * journalled and written at once (src/data/writes/durable-writes.ts, kind `instrumentDraft`), like a note while observing,
 * so a reload or a dead battery loses nothing. A draft becomes an installed instrument only through "save as a new
 * version" (installing is src/data/records/instruments.ts); until then it is its owner's alone (src/core/sync/audience.ts).
 *
 * Offline: everything here is IndexedDB on this device; each promise resolves once its transaction committed.
 */
import { alive, baseRecord, db } from '../database/db';
import { now as clockNow, save, tombstone, writeTransaction } from '../writes/local';
import type { Actor } from '../../core/model/lifecycle';
import type { Instrument } from '../../core/instrument';
import type { InstrumentDraft, Timestamp, Uuid } from '../../core/model/records';
import { latestEntry, type JournalledKind } from '../writes/journal';

export async function getInstrumentDraft(id: Uuid): Promise<InstrumentDraft | undefined> {
  const draft = await db().instrumentDrafts.get(id);
  return alive(draft) ? draft : undefined;
}

/** A person's drafts, the one changed last first. */
export async function listInstrumentDrafts(owner: Uuid): Promise<InstrumentDraft[]> {
  const drafts = await db().instrumentDrafts.where('owner').equals(owner).toArray();
  return drafts.filter((draft) => alive(draft)).sort((a, b) => b.updatedAt - a.updatedAt);
}

/** Starts a draft owned by the actor (an administrator), from a skeleton or a copy of an installed instrument. */
export async function createInstrumentDraft(
  content: Instrument,
  actor: Actor,
  options: { basedOnKey?: string } = {},
  now = clockNow(),
): Promise<InstrumentDraft> {
  if (actor === null || actor === 'system') throw new Error('An instrument draft belongs to a person');
  const draft: InstrumentDraft = {
    ...baseRecord(actor.id, now),
    owner: actor.id,
    content,
    ...(options.basedOnKey ? { basedOnKey: options.basedOnKey } : {}),
    changedAt: now,
  };
  return save('instrumentDraft', undefined, draft, actor, { at: now });
}

/**
 * Stores the instrument as it stands on screen at `at` (the keystroke). A version set later (another tab, a
 * replay after a newer write) is kept: the newest typing wins. A draft that was deleted meanwhile takes nothing:
 * there is nothing left to write into, and a late keystroke must not bring it back.
 */
export async function saveInstrumentDraftContent(
  id: Uuid,
  content: Instrument,
  actor: Actor,
  at: Timestamp = clockNow(),
): Promise<void> {
  await writeTransaction(['instrumentDraft'], async () => {
    const existing = await db().instrumentDrafts.get(id);
    if (!alive(existing)) return;
    if ((existing.changedAt ?? existing.updatedAt) > at) return;
    await save('instrumentDraft', existing, { ...existing, content, changedAt: at }, actor, { at });
  });
}

/** Throws a draft away (soft-deleted, so the deletion reaches the owner's other devices). */
export async function deleteInstrumentDraft(id: Uuid, actor: Actor, now = clockNow()): Promise<void> {
  await writeTransaction(['instrumentDraft'], async () => {
    const existing = await db().instrumentDrafts.get(id);
    if (alive(existing)) await tombstone('instrumentDraft', existing, actor, { at: now });
  });
}

/** The instrument editor: the whole instrument as it stands after a keystroke (the newest one wins). */
export interface JournalledInstrumentDraft {
  kind: 'instrumentDraft';
  draftId: Uuid;
  content: Instrument;
}

/** Instrument drafts in the journal: the whole content is one field. */
export const instrumentDraftJournal: JournalledKind<JournalledInstrumentDraft> = {
  kind: 'instrumentDraft',
  recordKey: (change) => `instrumentDraft:${change.draftId}`,
  fieldKey: (change) => `instrumentDraft:${change.draftId}`,
  write: async (entries) => {
    const latest = latestEntry(entries);
    await saveInstrumentDraftContent(latest.change.draftId, latest.change.content, latest.actor, latest.at);
  },
};
