/**
 * What an administrator does with instruments, one function each: install a checked file, retire an instrument
 * from new observations, use it again; and in the editor: start a draft, type in it, throw it away, save it as a
 * new version. Each owns its save key and passes who acts, so the write path refuses what the rules do not allow
 * (the screens ask the same rules before showing the controls). Typing in the editor is journalled and written at
 * once, like every keystroke while observing (`pageWrites.submit`): a reload loses nothing.
 */
import { installInstrument, restoreInstrument, retireInstrument, type InstallResult } from '../../../data/records/instruments';
import { createInstrumentDraft, deleteInstrumentDraft } from '../../../data/records/instrument-drafts';
import { pageWrites } from '../../../data/records/page-writes';
import { instrumentKey, type InstrumentDraft, type Uuid } from '../../../core/model/records';
import type { Actor } from '../../../core/model/lifecycle';
import type { Instrument } from '../../../core/instrument';

/**
 * Installs an instrument file that passed the check. Resolves with what happened (installed, already there, version
 * taken), or undefined when the write failed (the save status says so and offers to try again).
 */
export async function installCheckedInstrument(instrument: Instrument, actor: Actor): Promise<InstallResult | undefined> {
  let result: InstallResult | undefined;
  const saved = await pageWrites.run(`instrument:${instrumentKey(instrument)}`, async () => {
    result = await installInstrument(instrument, actor);
  });
  return saved ? result : undefined;
}

/** "Niet meer gebruiken voor nieuwe observaties": every version of the instrument. */
export const retireFromNewObservations = (instrumentId: string, actor: Actor) =>
  pageWrites.run(`instrument:${instrumentId}:retired`, () => retireInstrument(instrumentId, actor));

/** "Weer gebruiken". Shares the save key with retiring: the latest choice is the one kept. */
export const useForNewObservations = (instrumentId: string, actor: Actor) =>
  pageWrites.run(`instrument:${instrumentId}:retired`, () => restoreInstrument(instrumentId, actor));

/** Starts a draft (from scratch or from an installed instrument); undefined when it could not be stored. */
export async function startInstrumentDraft(content: Instrument, actor: Actor, basedOnKey?: string): Promise<InstrumentDraft | undefined> {
  let draft: InstrumentDraft | undefined;
  await pageWrites.run('instrumentDraft:new', async () => {
    draft = await createInstrumentDraft(content, actor, basedOnKey ? { basedOnKey } : {});
  });
  return draft;
}

/** A keystroke (or any edit) in the editor: the whole instrument as it stands now; resolves true once stored. */
export const typeInInstrumentDraft = (draftId: Uuid, content: Instrument, actor: Actor, at = Date.now()) =>
  pageWrites.submit({ kind: 'instrumentDraft', draftId, content }, actor, at);

export const throwAwayInstrumentDraft = (draftId: Uuid, actor: Actor) => pageWrites.run(`instrumentDraft:${draftId}`, () => deleteInstrumentDraft(draftId, actor));

export type SaveVersionResult = InstallResult | { kind: 'failed'; error: unknown } | { kind: 'not-saved' };

/**
 * "Save as a new version": once the last keystrokes are stored, installs the instrument beside its other versions.
 * The draft goes once the version is installed (it lives on as that version). Nothing is installed while a write
 * of the draft has failed: the installed version would miss words the author sees on screen.
 */
export async function saveInstrumentVersion(draftId: Uuid, instrument: Instrument, actor: Actor): Promise<SaveVersionResult> {
  await pageWrites.settled();
  if (pageWrites.state === 'failed') return { kind: 'not-saved' };
  const outcome: { result: SaveVersionResult } = { result: { kind: 'not-saved' } };
  const done = await pageWrites.run(`instrument:${instrumentKey(instrument)}`, async () => {
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
