/**
 * What an observer does with an observation, one function each. Changes made during the lesson (taps, typing,
 * the clock, the domain on screen) are journalled and written at once (`pageWrites.submit`); setting up, completing
 * and throwing away are single writes (`pageWrites.run`). The actor is who is using the device: the write path
 * refuses anyone but the observer.
 */
import {
  completeObservation,
  discardDraft,
  startObservation,
  type StartObservationInput,
} from '../../../data/records/observations';
import { pageWrites, type DurableChange } from '../../../data/records/page-writes';
import { requestSync } from '../../../data/sync/sync-requests';
import type { Actor } from '../../../core/model/lifecycle';
import type { Observation, Uuid } from '../../../core/model/records';

export async function beginObservation(input: StartObservationInput, actor: Actor): Promise<Observation | undefined> {
  let started: Observation | undefined;
  await pageWrites.run('observation:new', async () => {
    started = await startObservation(input, actor);
  });
  return started;
}

/** A tap, a keystroke, the clock or the domain on screen; resolves true once it is stored. */
export const recordChange = (change: DurableChange, actor: Actor, at = Date.now()) =>
  pageWrites.submit(change, actor, at);

/** Completes the observation; a signed-in account sends it at once (the observed teacher's feedback follows it). */
export async function complete(id: Uuid, actor: Actor): Promise<boolean> {
  const done = await pageWrites.run(`complete:${id}`, () => completeObservation(id, actor));
  if (done) requestSync('completed');
  return done;
}

export const throwAwayDraft = (id: Uuid, actor: Actor) =>
  pageWrites.run(`discard:${id}`, () => discardDraft(id, actor));
