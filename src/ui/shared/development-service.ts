/**
 * What the page and its Rasch worker say to each other (development-client.ts, development.worker.ts), and what the
 * worker does with it. The worker holds the last `HELD_DATA_SETS` data sets it was sent, each under its content key
 * (src/core/insight/development-data.ts), with the results already computed from it: a request for data it holds
 * carries only the key, and a request it answered before is answered again at once.
 */
import { developmentFromData, type Development } from '../../core/insight/development';
import type { DevelopmentData } from '../../core/insight/development-data';
import type { NextStepOptions } from '../../core/statistics/next-steps';

/** A page rarely has more than two inputs in use (a teacher's own page, the team's themes). */
export const HELD_DATA_SETS = 2;

export interface DevelopmentRequest {
  id: number;
  /** The content key of the data (`developmentDataKey`). */
  key: string;
  /** Sent when the worker does not hold the data yet. */
  data?: DevelopmentData;
  /** Plain data only: what crosses to the worker is copied. */
  options?: NextStepOptions;
}

export type DevelopmentReply =
  | { id: number; ok: true; result: Development }
  | { id: number; ok: false; error: string }
  /** The worker does not hold the data of this key (any more): send the request again with its data. */
  | { id: number; ok: false; missing: true };

type Compute = (data: DevelopmentData, options?: NextStepOptions) => Development;

/** The worker's side: answers one request after the other, holding data and results between them. */
export function developmentService(
  compute: Compute = developmentFromData,
  capacity = HELD_DATA_SETS,
): (request: DevelopmentRequest) => DevelopmentReply {
  // Most recently used last.
  const held = new Map<string, { data: DevelopmentData; results: Map<string, Development> }>();
  return ({ id, key, data, options }) => {
    const entry = data ? { data, results: new Map<string, Development>() } : held.get(key);
    if (!entry) return { id, ok: false, missing: true };
    held.delete(key);
    held.set(key, entry);
    for (const oldest of held.keys()) if (held.size > capacity) held.delete(oldest);
    const optionsKey = JSON.stringify(options ?? {});
    try {
      let result = entry.results.get(optionsKey);
      if (!result) {
        result = compute(entry.data, options);
        entry.results.set(optionsKey, result);
      }
      return { id, ok: true, result };
    } catch (error) {
      return { id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  };
}
