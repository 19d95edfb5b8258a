/**
 * Instrument drafts in the data layer: every keystroke in the editor is journalled and written at once, survives
 * a reload and a reopened database, the newest typing wins, and the outbox keeps one entry per draft however long
 * the typing goes on. Only its owner writes a draft; only an administrator starts one.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStorage, useFreshDatabase } from './harness';
import { addPerson } from '../../../src/data/records/people';
import { openDatabase, useDatabase } from '../../../src/data/database/db';
import { createBackup } from '../../../src/data/database/backup';
import { DurableWrites } from '../../../src/data/writes/durable-writes';
import { pageJournal, replayJournals, type DurableChange } from '../../../src/data/records/page-writes';
import {
  createInstrumentDraft,
  deleteInstrumentDraft,
  getInstrumentDraft,
  listInstrumentDrafts,
  saveInstrumentDraftContent,
} from '../../../src/data/records/instrument-drafts';
import { listOutbox, takePushBatch } from '../../../src/data/writes/outbox';
import { WriteRefused } from '../../../src/core/model/lifecycle';
import type { Instrument } from '../../../src/core/instrument';
import { buildInstrument } from '../../factories/instrument-factory';

const { db } = useFreshDatabase();
beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  return () => vi.restoreAllMocks();
});
const T = Date.UTC(2026, 11, 1, 15, 0);

async function setUp() {
  const leader = await addPerson({ name: 'Lotte Leider', role: 'leader', starter: false }, null);
  const otherLeader = await addPerson({ name: 'Ruud Rector', role: 'leader', starter: false }, leader);
  const teacher = await addPerson({ name: 'Bram de Vries', role: 'teacher', starter: false }, leader);
  const draft = await createInstrumentDraft(buildInstrument({ title: { nl: '', en: '' } }), leader, {}, T);
  return { leader, otherLeader, teacher, draft };
}

/** The instrument after typing `text` into its Dutch title. */
const titled = (content: Instrument, text: string): Instrument => ({
  ...content,
  title: { ...content.title, nl: text },
});
const typing = (draftId: string, content: Instrument): DurableChange => ({ kind: 'instrumentDraft', draftId, content });

describe('instrument drafts', () => {
  it('are started by an administrator as their own, and listed for their owner only', async () => {
    const { leader, otherLeader, teacher, draft } = await setUp();
    expect(draft).toMatchObject({ owner: leader.id, createdAt: T, changedAt: T });
    await expect(createInstrumentDraft(buildInstrument(), teacher, {}, T)).rejects.toBeInstanceOf(WriteRefused);
    const copy = await createInstrumentDraft(
      buildInstrument(),
      otherLeader,
      { basedOnKey: 'test.instrument@1.0.0' },
      T + 1,
    );
    expect(copy.basedOnKey).toBe('test.instrument@1.0.0');
    expect((await listInstrumentDrafts(leader.id)).map((d) => d.id)).toEqual([draft.id]);
    expect((await listInstrumentDrafts(otherLeader.id)).map((d) => d.id)).toEqual([copy.id]);
  });

  it('are written by their owner only', async () => {
    const { otherLeader, draft } = await setUp();
    await expect(
      saveInstrumentDraftContent(draft.id, titled(draft.content, 'Van een ander'), otherLeader, T + 5),
    ).rejects.toBeInstanceOf(WriteRefused);
    expect((await getInstrumentDraft(draft.id))?.content.title.nl).toBe('');
  });

  it('keep every keystroke, and the outbox one entry per draft however long the typing goes on', async () => {
    const { leader, draft } = await setUp();
    const storage = new MemoryStorage();
    const writes = new DurableWrites(pageJournal(storage, db().name, 'editor'));
    const words = 'Kijkwijzer rekenles';
    const done = [...words].map((_, i) =>
      writes.submit(typing(draft.id, titled(draft.content, words.slice(0, i + 1))), leader, T + 10 + i),
    );
    expect((await Promise.all(done)).every(Boolean)).toBe(true);

    expect((await getInstrumentDraft(draft.id))?.content.title).toEqual({ nl: words, en: '' });
    expect(storage.map.size).toBe(0);
    // The insert and every change after it, folded into one insert of the draft as it is now.
    const outbox = (await listOutbox()).filter((entry) => entry.kind === 'instrumentDraft');
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      op: 'insert',
      recordId: draft.id,
      fields: { owner: leader.id, content: { title: { nl: words } } },
    });
  });

  it('never fold a change into an entry that was sent: the server may hold it already', async () => {
    const { leader, draft } = await setUp();
    await saveInstrumentDraftContent(draft.id, titled(draft.content, 'Een'), leader, T + 1);
    const sent = await takePushBatch(100);
    expect(sent.filter((e) => e.kind === 'instrumentDraft')).toHaveLength(1);
    await saveInstrumentDraftContent(draft.id, titled(draft.content, 'Een twee'), leader, T + 2);
    await saveInstrumentDraftContent(draft.id, titled(draft.content, 'Een twee drie'), leader, T + 3);
    const entries = (await listOutbox()).filter((e) => e.kind === 'instrumentDraft');
    expect(entries.map((e) => e.op)).toEqual(['insert', 'patch']);
    expect(entries[1]?.fields).toMatchObject({ content: { title: { nl: 'Een twee drie' } }, changedAt: T + 3 });
  });

  it('survive a reopened database', async () => {
    const { leader, draft } = await setUp();
    await saveInstrumentDraftContent(draft.id, titled(draft.content, 'Na het herladen'), leader, T + 1);
    const name = db().name;
    db().close();
    const reopened = openDatabase(name);
    useDatabase(reopened);
    expect((await getInstrumentDraft(draft.id))?.content.title.nl).toBe('Na het herladen');
    reopened.close();
  });

  it('write what a page journalled but never wrote (a reload mid-write), and the newest typing wins', async () => {
    const { leader, draft } = await setUp();
    const storage = new MemoryStorage();
    // Typed in another tab, later than what this page journalled.
    await saveInstrumentDraftContent(draft.id, titled(draft.content, 'Nieuwer'), leader, T + 50);
    const page = pageJournal(storage, db().name, 'page-gone');
    page.write({ actor: leader, change: typing(draft.id, titled(draft.content, 'Ouder')), at: T + 20, seq: 1 });
    expect(await replayJournals(storage, db().name)).toEqual({ written: 1, kept: 0 });
    expect((await getInstrumentDraft(draft.id))?.content.title.nl).toBe('Nieuwer');

    pageJournal(storage, db().name, 'page-2').write({
      actor: leader,
      change: typing(draft.id, titled(draft.content, 'Laatste woorden')),
      at: T + 60,
      seq: 1,
    });
    await replayJournals(storage, db().name);
    expect((await getInstrumentDraft(draft.id))?.content.title.nl).toBe('Laatste woorden');
    expect(storage.map.size).toBe(0);
  });

  it('drop a journalled change that is not its writer’s to make', async () => {
    const { otherLeader, draft } = await setUp();
    const storage = new MemoryStorage();
    pageJournal(storage, db().name, 'p').write({
      actor: otherLeader,
      change: typing(draft.id, titled(draft.content, 'Niet van mij')),
      at: T + 5,
      seq: 1,
    });
    expect(await replayJournals(storage, db().name)).toEqual({ written: 0, kept: 0 });
    expect((await getInstrumentDraft(draft.id))?.content.title.nl).toBe('');
  });

  it('once thrown away, stay away: a late keystroke does not bring one back', async () => {
    const { leader, draft } = await setUp();
    await deleteInstrumentDraft(draft.id, leader, T + 10);
    await saveInstrumentDraftContent(draft.id, titled(draft.content, 'Te laat'), leader, T + 20);
    expect(await getInstrumentDraft(draft.id)).toBeUndefined();
    expect(await listInstrumentDrafts(leader.id)).toEqual([]);
    expect((await db().instrumentDrafts.get(draft.id))?.content.title.nl).toBe('');
    // Made and thrown away before it ever left this tablet: the outbox has nothing to tell about it.
    expect((await listOutbox()).filter((e) => e.kind === 'instrumentDraft')).toEqual([]);
  });

  it('go into a backup', async () => {
    const { leader, draft } = await setUp();
    await saveInstrumentDraftContent(draft.id, titled(draft.content, 'Bewaard'), leader, T + 1);
    const backup = await createBackup(T + 2);
    expect(backup.tables.instrumentDrafts).toEqual([
      expect.objectContaining({ id: draft.id, content: expect.objectContaining({ title: { nl: 'Bewaard', en: '' } }) }),
    ]);
  });
});
