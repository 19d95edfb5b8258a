/**
 * What a device and the school server say to each other (README, "School server"). Plain data, shared by the
 * sync client (src/data) and the server (src/server); neither needs the other's code.
 *
 * - **Push**: a device sends the changes in its outbox, oldest first. Each change has a random id, so sending it
 *   twice is harmless: the server applies a change id once and answers `duplicate` the second time. The server
 *   checks every change against the core's writer and lifecycle rules as the signed-in person; a refused change is
 *   answered with the server's own version of the record (or none), so the device puts its copy back.
 * - **Pull**: the device asks for what changed since its cursor. The server numbers every change it applies with a
 *   version of its own (per school, in commit order: a pull never skips a change that commits later with a lower
 *   number), so tablet clocks never matter. A pull returns the records the person may see, whole, and `gone` for
 *   records they held and may no longer see (a share taken back, a role changed). A page may be empty and still
 *   move the cursor on (the changes in it were not for this person).
 * - **Versions**: every push and pull says which record-schema version the device writes (sync-versions.ts). The
 *   server upgrades older changes with the core's pure upgrades and refuses a device outside its support window
 *   (`app-too-old`, `server-too-old`).
 */
import type { Static } from 'typebox';
import {
  PUSH_BATCH,
  type PullResponseShape,
  type PushRequestShape,
  type PushResponseShape,
  type PushResultShape,
  type SyncRecordShape,
} from './protocol-shapes';

/** Changes per push request, at most (declared with the shapes, which hold pushes to it). */
export { PUSH_BATCH };
/** Records per pull page, at most. */
export const PULL_PAGE = 1000;

/**
 * The event stream (`GET /api/sync/events`) says `event: beat` when it opens and every `STREAM_BEAT_MS` after, and
 * `event: changed` when the school changed. A device that has heard nothing on it for `STREAM_SILENT_MS` (two beats
 * missed) counts the stream as dead: it opens a new one, and polls as often as without a stream until it hears again.
 */
export const STREAM_BEAT_MS = 25_000;
export const STREAM_SILENT_MS = 60_000;

// The types are the shapes' (protocol-shapes.ts), so the server's schemas and the device's checks say the same.

export type PushRequest = Static<typeof PushRequestShape>;

export type PushResult = Static<typeof PushResultShape>;

export type PushResponse = Static<typeof PushResponseShape>;

/** A record as it travels: its kind, id, the server's version of it, and the record itself. */
export type SyncRecord = Static<typeof SyncRecordShape>;

export type PullResponse = Static<typeof PullResponseShape>;
