/**
 * Schema v4 (2026-11), frozen: a shipped upgrade is never edited. The cycle gets two sides, one writer each: the
 * observer hands feedback over (status "shared", with `handedOverAt`); what the observed teacher does next (read,
 * discussed) moves to the teacher's own record, a reflection. Until v3 an observation could carry the status
 * "acknowledged" (discussed), written on the observer's record; it becomes "shared" plus a reflection that was read
 * and acknowledged. A self-assessment is never handed over: it becomes "completed". Times not recorded then are
 * taken from the last update. Pure functions on plain records, so the
 * same upgrade serves the database, an old backup and an old client talking to a server.
 */
import type { Observation, Reflection } from '../records';

export interface ObservationBeforeV4 extends Omit<Observation, 'status'> {
  status: Observation['status'] | 'acknowledged';
}

export interface UpgradedToV4 {
  observation: Observation;
  /** The teacher's reflection, for an observation that was already discussed. */
  reflection?: Reflection;
}

export function upObservationToV4(before: ObservationBeforeV4): UpgradedToV4 {
  if (before.status !== 'shared' && before.status !== 'acknowledged') return { observation: before as Observation };
  // A self-assessment is the teacher's own: never handed over, so it stays completed.
  if (before.purpose === 'self') return { observation: { ...before, status: 'completed' } };
  const observation: Observation = {
    ...before,
    status: 'shared',
    handedOverAt: before.handedOverAt ?? before.completedAt ?? before.updatedAt,
  };
  if (before.status !== 'acknowledged') return { observation };
  const at = before.updatedAt;
  const reflection: Reflection = {
    id: before.id,
    owner: before.observedId,
    createdAt: at,
    updatedAt: at,
    observationId: before.id,
    teacherId: before.observedId,
    readAt: at,
    text: '',
    acknowledgedAt: at,
  };
  return { observation, reflection };
}
