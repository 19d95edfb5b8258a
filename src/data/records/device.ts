/**
 * Settings that belong to this device, not to the school: who is using it. Kept in the database (not
 * localStorage) so that clearing one without the other cannot happen by accident.
 */
import { db } from '../database/db';
import { saveDeviceSetting } from '../writes/local';
import type { Uuid } from '../../core/model/records';

export async function getCurrentPersonId(): Promise<Uuid | undefined> {
  return (await db().device.get('currentPersonId'))?.value;
}

/** "Who am I on this device": the person whose observations and drafts this tablet shows. */
export async function setCurrentPerson(personId: Uuid): Promise<void> {
  await saveDeviceSetting({ key: 'currentPersonId', value: personId });
}
