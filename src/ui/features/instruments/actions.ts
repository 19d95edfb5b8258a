/**
 * What a school leader does with instruments, one function each. Typing in the editor is journalled and written at
 * once, like every keystroke while observing (saveStatus.submit): a reload loses nothing. Starting, deleting and
 * installing are single writes (saveStatus.run), each with its own save key. The write path refuses what is not the
 * actor's (only an administrator starts a draft, only its owner writes it, only an administrator installs).
 */
import { createInstrumentDraft, deleteInstrumentDraft } from '../../../data/instrument-drafts';
import { installInstrument, type InstallResult } from '../../../data/instruments';
import { saveStatus } from '../../shared/save-status.svelte';
import type { Instrument } from '../../../core/instrument';
import type { Actor } from '../../../core/model/lifecycle';
import type { InstrumentDraft, Uuid } from '../../../core/model/records';

/** Starts a draft (from scratch or from an installed instrument); undefined when it could not be stored. */
export async function startInstrumentDraft(content: Instrument, actor: Actor, basedOnKey?: string): Promise<InstrumentDraft | undefined> {
  let draft: InstrumentDraft | undefined;
  await saveStatus.run('instrumentDraft:new', async () => {
    draft = await createInstrumentDraft(content, actor, basedOnKey ? { basedOnKey } : {});
  });
  return draft;
}

/** A keystroke (or any edit) in the editor: the whole instrument as it stands now; resolves true once stored. */
export const typeInInstrumentDraft = (draftId: Uuid, content: Instrument, actor: Actor, at = Date.now()) =>
  saveStatus.submit({ kind: 'instrumentDraft', draftId, content }, actor, at);

export const throwAwayInstrumentDraft = (draftId: Uuid, actor: Actor) => saveStatus.run(`instrumentDraft:${draftId}`, () => deleteInstrumentDraft(draftId, actor));

export type SaveVersionResult = InstallResult | { kind: 'failed'; error: unknown } | { kind: 'not-saved' };

/**
 * "Save as a new version": once the last keystrokes are stored, installs the instrument beside its other versions.
 * The draft goes once the version is installed (it lives on as that version). Nothing is installed while a write
 * of the draft has failed: the installed version would miss words the author sees on screen.
 */
export async function saveInstrumentVersion(draftId: Uuid, instrument: Instrument, actor: Actor): Promise<SaveVersionResult> {
  await saveStatus.settled();
  if (saveStatus.state === 'failed') return { kind: 'not-saved' };
  const outcome: { result: SaveVersionResult } = { result: { kind: 'not-saved' } };
  const done = await saveStatus.run(`instrument:${instrument.id}@${instrument.version}`, async () => {
    try {
      outcome.result = await installInstrument(instrument, actor);
    } catch (error) {
      outcome.result = { kind: 'failed', error };
      throw error;
    }
  });
  if (done && outcome.result.kind === 'installed') await throwAwayInstrumentDraft(draftId, actor);
  return outcome.result;
}
