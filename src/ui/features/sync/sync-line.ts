/**
 * What the status line of a signed-in account says, decided from the sync status (src/data/sync/sync.ts
 * `getSyncStatus`), most important first: signed out (nothing syncs until someone connects again), the last attempt
 * failed, changes the server refused (their author must see them), new feedback arrived, changes wait, everything
 * is sent.
 *
 * A screen reader hears the line's `announce` kind, which changes only when something happens that a person should
 * know (a failure, being signed out, new feedback, back to normal after one of those): never per change waiting,
 * so typing a reflection does not make the tablet talk every half minute.
 */
import type { SignedOutReason, SyncFailure, SyncStatus } from '../../../data/sync/sync';

export type SyncLine =
  | { kind: 'signed-out'; reason: SignedOutReason }
  | { kind: 'failed'; failure: SyncFailure; pending: number }
  | { kind: 'not-sent'; count: number; pending: number }
  | { kind: 'new-feedback'; count: number; pending: number }
  | { kind: 'pending'; pending: number }
  | { kind: 'sent' };

export type Announcement = 'signed-out' | 'failed' | 'not-sent' | 'new-feedback' | 'connected';

export function syncLine(status: SyncStatus): SyncLine {
  const { state, pending } = status;
  if (state?.phase === 'signed-out') return { kind: 'signed-out', reason: state.reason };
  if (state?.phase === 'failed') return { kind: 'failed', failure: state.failure, pending };
  if (status.notSent.length > 0) return { kind: 'not-sent', count: status.notSent.length, pending };
  if (status.newFeedback > 0) return { kind: 'new-feedback', count: status.newFeedback, pending };
  if (pending > 0) return { kind: 'pending', pending };
  return { kind: 'sent' };
}

/** What a screen reader is told: the same for "changes wait" and "all sent", so counting never speaks. */
export function announcement(line: SyncLine): Announcement {
  return line.kind === 'pending' || line.kind === 'sent' ? 'connected' : line.kind;
}

/** How a refused change's reason is explained to its author: a few kinds, each with what it means for them. */
export type NotSentReason =
  | 'handed-over'
  | 'not-allowed'
  | 'text'
  | 'too-large'
  | 'value'
  | 'unknown'
  | 'date'
  | 'too-many'
  | 'unstorable'
  | 'other';

const NOT_SENT_REASONS: Record<string, NotSentReason> = {
  'handed-over': 'handed-over',
  'invalid-text': 'text',
  'too-large': 'too-large',
  'invalid-value': 'value',
  'unknown-reference': 'unknown',
  'unknown-observation': 'unknown',
  'unknown-request': 'unknown',
  'unknown-record': 'unknown',
  'implausible-date': 'date',
  'too-many': 'too-many',
  unstorable: 'unstorable',
};
const NOT_ALLOWED = [
  'not-administrator',
  'not-observer',
  'not-a-draft',
  'not-completed',
  'no-status-change',
  'feedback-incomplete',
  'not-observed-teacher',
  'not-handed-over',
  'not-requester',
  'not-own-goal',
  'not-owner',
  'fixed-field',
  'invalid-instrument',
  'instrument-kept',
  'wrong-id',
  'moved-record',
];

export function notSentReason(reason: string): NotSentReason {
  return NOT_SENT_REASONS[reason] ?? (NOT_ALLOWED.includes(reason) ? 'not-allowed' : 'other');
}
