/**
 * Who acts on the instrument screens, which the app shows without a school or a chosen person: the person using
 * this tablet; nobody yet on a device-only tablet where nobody has been chosen (setting up a school, when anyone
 * may install); unknown on a signed-in tablet whose person has not arrived yet. Screens ask the core's rules with
 * it before they show a control (`isAdministrator`).
 */
import { Live } from '../../shared/live.svelte';
import { getCurrentPersonId } from '../../../data/records/device';
import { getPerson } from '../../../data/records/people';
import { getOpenAccount } from '../../../data/sync/accounts';
import type { Actor } from '../../../core/model/lifecycle';

export class DeviceActor {
  private readonly me = new Live(async () => {
    const id = await getCurrentPersonId();
    return (id ? await getPerson(id) : undefined) ?? null;
  });

  /** Whether the person using this tablet is still being read. */
  get isLoading(): boolean {
    return this.me.isLoading;
  }

  /** The actor, or undefined while it is not known (still reading, a failed read, a person not arrived yet). */
  get actor(): Actor | undefined {
    if (this.me.isLoading || this.me.error !== undefined) return undefined;
    const person = this.me.current;
    if (person) return person;
    return getOpenAccount() ? undefined : null;
  }
}
