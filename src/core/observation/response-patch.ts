/**
 * Changes to one item's response, as the capture screen makes them. Every patch *sets* a value (a look-for on or
 * off, a rating, the whole evidence text), never toggles: replaying a patch after a failed write, or the same patch
 * from a second tab, gives the same result.
 */
import type { ItemResponse, RatingValue, SnapshotValues, YesNoValue } from '../model/records';

export type ResponsePatch =
  | { kind: 'rating'; value: RatingValue | null }
  | { kind: 'answer'; value: YesNoValue | null }
  | { kind: 'choice'; value: string[] }
  | { kind: 'count'; value: number | null }
  | { kind: 'text'; value: string }
  | { kind: 'evidence'; value: string }
  | { kind: 'lookFor'; id: string; on: boolean }
  /** A look-for of a seen / not-seen list: answered seen, not seen, or taken back (null). */
  | { kind: 'lookForState'; id: string; state: LookForState | null }
  | { kind: 'snapshot'; minute: number; fieldId: string; value: SnapshotValues[string] | null }
  /** A repeatable text's entries, the whole list in order (an empty list removes them). */
  | { kind: 'entries'; value: string[] };

export type LookForState = 'seen' | 'not-seen';

type Content = Omit<
  ItemResponse,
  'id' | 'owner' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'observationId' | 'itemId' | 'cycle'
>;

/** The field a patch changes, as recorded in amendments. */
export function patchField(patch: ResponsePatch): string {
  switch (patch.kind) {
    case 'lookFor':
    case 'lookForState':
      // One look-for is one field, whichever way it is answered: the newest answer wins.
      return `lookFors.${patch.id}`;
    case 'snapshot':
      return `snapshots.${patch.minute}.${patch.fieldId}`;
    default:
      return patch.kind;
  }
}

/** The value a patch's field has in a response (undefined when unset), to record what an amendment changed. */
export function fieldValue(response: Content | undefined, patch: ResponsePatch): unknown {
  switch (patch.kind) {
    case 'lookFor':
      return response?.lookFors.includes(patch.id) ?? false;
    case 'lookForState':
      return lookForState(response, patch.id);
    case 'snapshot':
      return response?.snapshots?.[String(patch.minute)]?.[patch.fieldId];
    case 'rating':
      return response?.rating;
    case 'answer':
      return response?.answer;
    case 'choice':
      return response?.choice;
    case 'count':
      return response?.count;
    case 'text':
      return response?.text;
    case 'evidence':
      return response?.evidence;
    case 'entries':
      return response?.entries;
  }
}

/** How a look-for of a seen / not-seen list is answered (undefined: not yet). */
export function lookForState(
  response: Pick<Content, 'lookFors' | 'notSeen'> | undefined,
  id: string,
): LookForState | undefined {
  if (response?.lookFors.includes(id)) return 'seen';
  if (response?.notSeen?.includes(id)) return 'not-seen';
  return undefined;
}

/** Applies a patch to a response's content and returns the new content; the input is not changed. */
export function applyResponsePatch<T extends Content>(response: T, patch: ResponsePatch): T {
  const next = { ...response, lookFors: [...response.lookFors] };
  const set = <K extends keyof Content>(key: K, value: Content[K] | null | undefined) => {
    if (value === null || value === undefined || value === '') delete next[key];
    else next[key] = value as T[K];
  };
  switch (patch.kind) {
    case 'rating':
      set('rating', patch.value);
      break;
    case 'answer':
      set('answer', patch.value);
      break;
    case 'choice':
      set('choice', patch.value.length > 0 ? [...patch.value] : null);
      break;
    case 'count':
      set('count', patch.value);
      break;
    case 'text':
      set('text', patch.value);
      break;
    case 'evidence':
      set('evidence', patch.value);
      break;
    case 'lookFor': {
      const has = next.lookFors.includes(patch.id);
      if (patch.on && !has) next.lookFors.push(patch.id);
      if (!patch.on && has) next.lookFors = next.lookFors.filter((id) => id !== patch.id);
      break;
    }
    case 'lookForState': {
      // Sets the state: seen is in `lookFors`, not seen in `notSeen`, never both.
      const seen = next.lookFors.filter((id) => id !== patch.id);
      const notSeen = (next.notSeen ?? []).filter((id) => id !== patch.id);
      if (patch.state === 'seen') seen.push(patch.id);
      if (patch.state === 'not-seen') notSeen.push(patch.id);
      next.lookFors = seen;
      set('notSeen', notSeen.length > 0 ? notSeen : null);
      break;
    }
    case 'entries':
      set('entries', patch.value.length > 0 ? [...patch.value] : null);
      break;
    case 'snapshot': {
      const minute = String(patch.minute);
      const snapshots = { ...(next.snapshots ?? {}) };
      const values = { ...(snapshots[minute] ?? {}) };
      if (patch.value === null) delete values[patch.fieldId];
      else values[patch.fieldId] = patch.value;
      if (Object.keys(values).length > 0) snapshots[minute] = values;
      else delete snapshots[minute];
      set('snapshots', Object.keys(snapshots).length > 0 ? snapshots : null);
      break;
    }
  }
  return next;
}
