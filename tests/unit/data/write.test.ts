import { afterEach, describe, expect, it, vi } from 'vitest';
import { installShippedInstruments } from '../../../src/data/records/instruments';
import { useFreshDatabase } from './harness';
import { addPerson, updatePerson } from '../../../src/data/records/people';
import { addTeam } from '../../../src/data/records/teams';
import { completeObservation, discardDraft, startObservation } from '../../../src/data/records/observations';
import { listResponses, recordResponse } from '../../../src/data/records/responses';
import { listNotes, saveNote } from '../../../src/data/records/notes';
import { newId } from '../../../src/data/database/db';
import { applyRemote } from '../../../src/data/writes/remote';
import { compactOutbox, listOutbox, watchOutboxGrowth } from '../../../src/data/writes/outbox';
import { useClock, writeTransaction } from '../../../src/data/writes/local';
import { WriteRefused } from '../../../src/core/model/lifecycle';

const { db } = useFreshDatabase();
const T = Date.UTC(2026, 10, 25, 9, 0);

afterEach(() => useClock(() => Date.now()));

async function setUp() {
  await installShippedInstruments();
  const leader = await addPerson({ name: 'Lotte Leider', role: 'leader', starter: false }, null);
  const observer = await addPerson({ name: 'Bram de Vries', role: 'teacher', starter: false }, leader);
  const observed = await addPerson({ name: 'Anna Jansen', role: 'teacher', starter: true }, leader);
  const observation = await startObservation(
    {
      instrumentKey: 'meekijken.lesobservatie@1.1.0',
      observerId: observer.id,
      observedId: observed.id,
      purpose: 'peer',
      context: {},
    },
    observer,
    T,
  );
  return { leader, observer, observed, observation };
}

describe('the write path', () => {
  it('says after the commit that the outbox grew, once per outermost transaction, and not for records from the server', async () => {
    let heard = 0;
    const stop = watchOutboxGrowth(() => heard++);
    try {
      const team = await addTeam('Onderbouw', null);
      expect(heard).toBe(1);
      await writeTransaction(['team'], async () => {
        await addTeam('Middenbouw', null);
        await addTeam('Bovenbouw', null);
        expect(heard).toBe(1);
      });
      expect(heard).toBe(2);
      await applyRemote([{ kind: 'team', id: team.id, version: 9, data: { ...team, name: 'Groep 1-2' } }], []);
      expect(heard).toBe(2);
    } finally {
      stop();
    }
  });

  it('stamps updatedAt from the injected clock and records one outbox entry per change, in order', async () => {
    useClock(() => T);
    const team = await addTeam('Bovenbouw', null);
    useClock(() => T + 1000);
    const anna = await addPerson({ name: 'Anna', role: 'teacher', teamId: team.id, starter: false }, null);
    useClock(() => T + 2000);
    await updatePerson(anna.id, { name: 'Anna Jansen', role: 'teacher', teamId: team.id, starter: false }, null);
    expect((await db().people.get(anna.id))?.updatedAt).toBe(T + 2000);

    const outbox = await listOutbox();
    expect(outbox.map(({ kind, recordId, op, at }) => ({ kind, recordId, op, at }))).toEqual([
      { kind: 'team', recordId: team.id, op: 'insert', at: T },
      { kind: 'person', recordId: anna.id, op: 'insert', at: T + 1000 },
      { kind: 'person', recordId: anna.id, op: 'patch', at: T + 2000 },
    ]);
    // A patch carries only what changed; every entry has its own id (a server ignores ids it has seen).
    expect(outbox[2]?.fields).toEqual({ name: 'Anna Jansen', updatedAt: T + 2000 });
    expect(outbox[1]?.fields).toMatchObject({ id: anna.id, name: 'Anna', teamId: team.id });
    expect(new Set(outbox.map((e) => e.id)).size).toBe(3);
    expect(outbox.map((e) => e.seq)).toEqual([...outbox.map((e) => e.seq)].sort((a, b) => a! - b!));
  });

  it('refuses a change by the observed teacher before anything reaches IndexedDB', async () => {
    const { observer, observed, observation } = await setUp();
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 3 }, observer, T + 1000);
    await completeObservation(observation.id, observer, T + 2000);
    const before = await listOutbox();

    await expect(
      recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 1 }, observed, T + 3000),
    ).rejects.toBeInstanceOf(WriteRefused);
    await expect(
      saveNote(
        { id: newId(), observationId: observation.id, text: 'Niet waar', lessonMs: 0, owner: observed.id },
        observed,
        T + 3000,
      ),
    ).rejects.toBeInstanceOf(WriteRefused);
    await expect(discardDraft(observation.id, observed, T + 3000)).resolves.toBeUndefined(); // not a draft: nothing to do

    expect((await listResponses(observation.id))[0]?.rating).toBe(3);
    expect(await listNotes(observation.id)).toEqual([]);
    expect(await db().amendments.count()).toBe(0);
    expect(await listOutbox()).toEqual(before);
  });

  it('refuses a teacher managing colleagues, but lets them change their own focus question', async () => {
    const { observer, observed } = await setUp();
    await expect(addPerson({ name: 'Nieuw', role: 'teacher', starter: false }, observer)).rejects.toBeInstanceOf(
      WriteRefused,
    );
    await expect(
      updatePerson(observed.id, { name: observed.name, role: 'teacher', starter: true, focusQuestion: 'x' }, observer),
    ).rejects.toBeInstanceOf(WriteRefused);
    await expect(
      updatePerson(observer.id, { name: observer.name, role: 'leader', starter: false }, observer),
    ).rejects.toBeInstanceOf(WriteRefused);
    await updatePerson(
      observer.id,
      { name: observer.name, role: 'teacher', starter: false, focusQuestion: 'Krijgt iedereen een beurt?' },
      observer,
    );
    expect((await db().people.get(observer.id))?.focusQuestion).toBe('Krijgt iedereen een beurt?');
  });

  it('writes the record and its outbox entry in one transaction: a failing outbox write leaves neither', async () => {
    const { observer, observation } = await setUp();
    const failing = () => {
      throw new Error('QuotaExceededError (simulated)');
    };
    db().outbox.hook('creating', failing);
    await expect(
      recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 2 }, observer, T + 1000),
    ).rejects.toThrow(/Quota/);
    db().outbox.hook('creating').unsubscribe(failing);
    expect(await listResponses(observation.id)).toEqual([]);
  });

  it('folds the outbox per record once it is large: a sentence typed key by key becomes one entry', async () => {
    const { observer, observation } = await setUp();
    const words = 'Geeft elke leerling een beurt';
    for (let i = 1; i <= words.length; i++)
      await recordResponse(
        observation.id,
        'lk-respect',
        { kind: 'evidence', value: words.slice(0, i) },
        observer,
        T + i,
      );
    const noteId = newId();
    await saveNote(
      { id: noteId, observationId: observation.id, text: 'Weg', lessonMs: 0, owner: observer.id },
      observer,
      T + 100,
    );
    await saveNote(
      { id: noteId, observationId: observation.id, text: '', lessonMs: 0, owner: observer.id },
      observer,
      T + 101,
    );
    const before = await listOutbox();
    expect(before.length).toBeGreaterThan(words.length);

    expect(await compactOutbox(1_000)).toBe(0); // below the threshold: nothing happens
    await compactOutbox(0);
    const after = await listOutbox();
    const response = after.filter((e) => e.kind === 'response');
    expect(response).toHaveLength(1);
    expect(response[0]).toMatchObject({ op: 'insert', fields: { evidence: words } });
    // The note was written, then emptied (put away): one entry, an insert that carries its deletedAt.
    expect(after.filter((e) => e.kind === 'note').map((e) => [e.op, typeof e.fields.deletedAt])).toEqual([
      ['insert', 'number'],
    ]);
    // Parents stay before the records that point at them.
    expect(after.findIndex((e) => e.kind === 'observation')).toBeLessThan(
      after.findIndex((e) => e.kind === 'response'),
    );
  });

  it('folds the outbox again only once enough was added since: a large outbox with nothing to fold is not read at every start', async () => {
    const { observer, observation } = await setUp();
    for (let i = 1; i <= 3; i++)
      await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: i }, observer, T + i);
    await compactOutbox(2);
    const folded = await listOutbox();
    expect(folded.filter((e) => e.kind === 'response')).toHaveLength(1);

    // Nothing was added: the outbox is larger than the threshold, but it is not read again.
    const read = vi.spyOn(db().outbox, 'where');
    expect(await compactOutbox(2)).toBe(0);
    expect(await listOutbox()).toEqual(folded);
    // Two more ratings of the same answer: not more than the threshold yet, then one more is.
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 1 }, observer, T + 10);
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 2 }, observer, T + 11);
    expect(await compactOutbox(2)).toBe(0);
    await recordResponse(observation.id, 'lk-respect', { kind: 'rating', value: 3 }, observer, T + 12);
    expect(await compactOutbox(2)).toBe(3);
    const after = await listOutbox();
    expect(after.filter((e) => e.kind === 'response')).toEqual([
      expect.objectContaining({ op: 'insert', fields: expect.objectContaining({ rating: 3 }) }),
    ]);
    expect(read).toHaveBeenCalledTimes(4); // one count per call; only the last call read entries
    read.mockRestore();
  });
});
