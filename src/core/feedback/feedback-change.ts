/**
 * Changes to feedback and to a reflection while they are typed: each sets one field (a point, the next step, the
 * reflection text) and carries the moment it was made, so a late or replayed write never replaces newer text.
 */
import type { Feedback, FeedbackPoint, Reflection, Timestamp } from '../model/records';

export type FeedbackChange =
  { field: 'point'; point: FeedbackPoint; removed?: boolean } | { field: 'nextStep'; text: string };

/** The field a change sets, as kept in `changedAt`. */
export const feedbackField = (change: FeedbackChange): string =>
  change.field === 'point' ? `points.${change.point.id}` : 'nextStep';

/** Applies changes in order; a change older than its field's last change is skipped. Returns the same object when nothing changed. */
export function applyFeedbackChanges(
  feedback: Feedback,
  changes: ReadonlyArray<FeedbackChange & { at: Timestamp }>,
): Feedback {
  let next = feedback;
  for (const change of changes) {
    const field = feedbackField(change);
    if ((next.changedAt?.[field] ?? -Infinity) > change.at) continue;
    let points = next.points;
    let nextStep = next.nextStep;
    if (change.field === 'nextStep') nextStep = change.text;
    else {
      const index = points.findIndex((p) => p.id === change.point.id);
      if (change.removed) points = points.filter((p) => p.id !== change.point.id);
      else if (index === -1) points = [...points, change.point];
      else points = points.map((p, i) => (i === index ? change.point : p));
    }
    if (JSON.stringify(points) === JSON.stringify(next.points) && nextStep === next.nextStep) continue;
    next = {
      ...next,
      points,
      nextStep,
      changedAt: { ...next.changedAt, [field]: change.at },
      updatedAt: Math.max(next.updatedAt, change.at),
    };
  }
  return next;
}

/** A reflection's text as typed: newest wins. */
export function applyReflectionText(reflection: Reflection, text: string, at: Timestamp): Reflection {
  if ((reflection.changedAt?.text ?? -Infinity) > at || reflection.text === text) return reflection;
  return {
    ...reflection,
    text,
    changedAt: { ...reflection.changedAt, text: at },
    updatedAt: Math.max(reflection.updatedAt, at),
  };
}
