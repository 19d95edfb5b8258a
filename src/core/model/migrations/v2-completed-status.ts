/**
 * Schema v2 (2026-11), frozen: a shipped upgrade is never edited. Early builds called a completed observation
 * "done"; the cycle's words are draft → completed → shared → acknowledged. Completion time was not recorded then,
 * so the last update stands in for it. A pure function on a plain record, so the same upgrade serves the database,
 * an old backup and, later, an old client talking to a server.
 */
export interface ObservationBeforeV2 {
  status: string;
  completedAt?: number;
  updatedAt: number;
}

export function upObservationToV2<T extends ObservationBeforeV2>(observation: T): T {
  if (observation.status !== 'done') return observation;
  return { ...observation, status: 'completed', completedAt: observation.completedAt ?? observation.updatedAt };
}
