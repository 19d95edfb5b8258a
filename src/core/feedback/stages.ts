/**
 * The stages of an observation as both sides see them: draft → completed → handed over → read → discussed. The observer
 * moves the observation to "completed" and "handed over"; the observed teacher's reflection records "read" and
 * "discussed". Each step keeps its time. A self-assessment ends at "completed": nobody needs to hand it over.
 */
import type { Feedback, FeedbackKind, Observation, Reflection, School, Timestamp } from '../model/records';

export const STAGES = ['draft', 'completed', 'handed-over', 'read', 'discussed'] as const;
type Stage = (typeof STAGES)[number];

export interface ObservationStages {
  step: Stage;
  /** When each step was reached; absent for steps not reached. */
  at: Partial<Record<Stage, Timestamp>>;
}

/** Whether feedback is handed over for this kind of observation (a self-assessment is the teacher's own). */
export const hasFeedback = (observation: Pick<Observation, 'purpose'>): boolean => observation.purpose !== 'self';

export function stagesOf(
  observation: Pick<Observation, 'status' | 'startedAt' | 'completedAt' | 'handedOverAt'>,
  reflection?: Pick<Reflection, 'readAt' | 'acknowledgedAt'>,
): ObservationStages {
  const at: ObservationStages['at'] = { draft: observation.startedAt };
  if (observation.status === 'draft') return { step: 'draft', at };
  at.completed = observation.completedAt;
  if (observation.status === 'completed') return { step: 'completed', at };
  at['handed-over'] = observation.handedOverAt;
  if (reflection?.readAt !== undefined) at.read = reflection.readAt;
  if (reflection?.acknowledgedAt !== undefined) {
    at.discussed = reflection.acknowledgedAt;
    return { step: 'discussed', at };
  }
  return { step: reflection?.readAt !== undefined ? 'read' : 'handed-over', at };
}

/**
 * After how many days a step that waits for someone is late (README "A cycle that moves"): the school's choice
 * (`School.dueAfterDays`) within `min`–`max`, else `default`.
 */
export const DUE_DAYS = { default: 14, min: 2, max: 90 } as const;

/** The school's number of days after which a waiting step is late. */
export const dueAfterDaysOf = (school: Pick<School, 'dueAfterDays'> | undefined): number =>
  school?.dueAfterDays ?? DUE_DAYS.default;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long a feedback cycle has waited at its step (completed: for the feedback; handed over: for reading; read: for
 * the conversation), in whole days since the step was reached, and whether that is late. Nothing waits in a draft (the
 * observer's own work), after the conversation, or in a self-assessment.
 */
export function waitingAtStep(
  observation: Pick<Observation, 'purpose'>,
  stages: ObservationStages,
  now: Timestamp,
  dueAfterDays: number = DUE_DAYS.default,
): { days: number; late: boolean } | undefined {
  if (!hasFeedback(observation) || stages.step === 'draft' || stages.step === 'discussed') return undefined;
  const since = stages.at[stages.step];
  if (since === undefined) return undefined;
  const days = Math.max(0, Math.floor((now - since) / DAY_MS));
  return { days, late: days >= dueAfterDays };
}

/** What still keeps feedback from being handed over: at least one top and one tip, each with words in it. */
export function handOverProblems(feedback: Pick<Feedback, 'points'> | undefined): Array<`no-${FeedbackKind}`> {
  const has = (kind: FeedbackKind) =>
    (feedback?.points ?? []).some((point) => point.kind === kind && point.text.trim() !== '');
  return [...(has('top') ? [] : (['no-top'] as const)), ...(has('tip') ? [] : (['no-tip'] as const))];
}

/** The next thing a person does with an observation, for their to-do list; `undefined` when nothing is asked of them. */
export type NextAction =
  'observe' | 'write-feedback' | 'read' | 'reflect' | 'discuss' | 'await-reading' | 'await-discussion';

export function nextAction(
  personId: string,
  observation: Pick<
    Observation,
    'observerId' | 'observedId' | 'purpose' | 'status' | 'startedAt' | 'completedAt' | 'handedOverAt'
  >,
  reflection?: Pick<Reflection, 'readAt' | 'acknowledgedAt' | 'text'>,
): NextAction | undefined {
  const { step } = stagesOf(observation, reflection);
  if (personId === observation.observerId) {
    if (step === 'draft') return 'observe';
    if (!hasFeedback(observation)) return undefined;
    if (step === 'completed') return 'write-feedback';
    if (step === 'handed-over') return 'await-reading';
    if (step === 'read') return 'await-discussion';
    return undefined;
  }
  if (personId === observation.observedId) {
    if (step === 'handed-over') return 'read';
    if (step === 'read') return reflection?.text.trim() ? 'discuss' : 'reflect';
  }
  return undefined;
}
