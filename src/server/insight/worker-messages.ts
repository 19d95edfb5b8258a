/**
 * What the server's main thread (team-figures.ts) and a team-figures worker (team-figures.worker.ts) say to each
 * other. Records cross as the JSON text the database gave (school-reader.ts): the main thread never parses them, and
 * a string crosses to a worker as one copy, where a parsed object would be cloned field by field on the main thread.
 */
import type { TeamInsightRequest } from './team-insight';

/** A completed observation: its id, its fields (`OBSERVATION_FIELDS`) and the server's summary, as JSON text. */
export type ObservationText = [id: string, observation: string, summary: string];

/** A person, team or installed instrument record, as JSON text. */
export type FrameText = [kind: 'person' | 'team' | 'instrument', id: string, data: string];

/** Rows read for a school, in the order read; a worker applies them to its copy of the school. */
export interface Rows {
  type: 'rows';
  schoolId: string;
  /** The first part of a whole read: the copy starts empty. */
  fresh: boolean;
  observations: ObservationText[];
  /** Observations read again that no longer have a summary (thrown away, made a draft again, deleted). */
  absent: string[];
  frame: FrameText[];
}

export interface Compute {
  type: 'compute';
  schoolId: string;
  request: TeamInsightRequest;
}

/** Forget a school (to keep within the memory bound, or after a read that failed half-way). */
interface Drop {
  type: 'drop';
  schoolId: string;
}

export type WorkerRequest = Rows | Compute | Drop;

/** The answer to `rows`. */
export interface Applied {
  /** Counts up whenever the figures' inputs change: the copy's state, for the cache's key. */
  stamp: number;
  /** Observations in the copy. */
  observations: number;
  /** Observations whose summary is of an older computation (`SUMMARY_VERSION`): to be summarised again. */
  stale: string[];
}

/** The answer to `compute`: the figures as the JSON text the route sends, and the state of the copy they came from. */
export interface Computed {
  stamp: number;
  json: string;
}

/** What the pool sends a worker: a task number and the request. */
export interface TaskMessage {
  task: number;
  body: WorkerRequest;
}

/** A worker's answer to a task. */
export type TaskReply = { task: number; ok: true; value: unknown } | { task: number; ok: false; error: string };
