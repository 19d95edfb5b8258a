/** Changes made to an observation after it was completed, with their time (written by responses.ts). */
import { alive, db } from '../database/db';
import type { Amendment, Uuid } from '../../core/model/records';

export async function listAmendments(observationId: Uuid): Promise<Amendment[]> {
  const amendments = await db().amendments.where('observationId').equals(observationId).toArray();
  return amendments.filter((a) => alive(a)).sort((a, b) => a.createdAt - b.createdAt);
}
