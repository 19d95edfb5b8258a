/**
 * What an administrator does with instruments, one function each: install a checked file, retire an instrument
 * from new observations, use it again. Each owns its save key and passes who acts, so the write path refuses what
 * the rules do not allow (the screens ask the same rules before showing the controls).
 */
import { installInstrument, restoreInstrument, retireInstrument, type InstallResult } from '../../../data/instruments';
import { saveStatus } from '../../shared/save-status.svelte';
import { instrumentKey } from '../../../core/model/records';
import type { Actor } from '../../../core/model/lifecycle';
import type { Instrument } from '../../../core/instrument';

/**
 * Installs an instrument file that passed the check. Resolves with what happened (installed, already there, version
 * taken), or undefined when the write failed (the save status says so and offers to try again).
 */
export async function installCheckedInstrument(instrument: Instrument, actor: Actor): Promise<InstallResult | undefined> {
  let result: InstallResult | undefined;
  const saved = await saveStatus.run(`instrument:${instrumentKey(instrument)}`, async () => {
    result = await installInstrument(instrument, actor);
  });
  return saved ? result : undefined;
}

/** "Niet meer gebruiken voor nieuwe observaties": every version of the instrument. */
export const retireFromNewObservations = (instrumentId: string, actor: Actor) =>
  saveStatus.run(`instrument:${instrumentId}:retired`, () => retireInstrument(instrumentId, actor));

/** "Weer gebruiken". Shares the save key with retiring: the latest choice is the one kept. */
export const useForNewObservations = (instrumentId: string, actor: Actor) =>
  saveStatus.run(`instrument:${instrumentId}:retired`, () => restoreInstrument(instrumentId, actor));
