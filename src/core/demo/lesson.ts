/**
 * One observed lesson in the demo school: when it is and what it is about, the observation record (perhaps asked
 * for by the observed teacher), its responses and quick notes, and what followed (feedback, the teacher's side).
 */
import { repeatKey } from '../instrument/localize';
import { byResponseKey, newRecordBase } from '../model/records';
import { LESSON_MINUTES_FIELD } from '../observation/snapshots';
import type { Note, Observation, ObservationRequest, ObservationStatus, Purpose, Timestamp } from '../model/records';
import { summarise } from '../insight/summary';
import { ALL_SLOTS, DAY, MINUTE, WEDNESDAY_SLOTS, type SchoolDay } from './calendar';
import { groupLabel, NOTES, subjectsFor } from './content';
import { followUp } from './follow-up';
import {
  clamp,
  isoDate,
  type CycleStartsMs,
  type Generation,
  type LessonSetup,
  type Teacher,
  type YearInfo,
} from './generation';
import { abilityAt } from './people';
import type { Plan } from './plan';
import type { Random } from './random';
import { drawResponses } from './responses';

// ---------------------------------------------------------------------------------------------------------------
// The lesson's time, subject and context

/** When a lesson on this day starts: one of the day's slots, plus a few minutes. */
export const lessonStart = (rng: Random, day: SchoolDay): Timestamp =>
  day.localMidnight + rng.pick(day.weekday === 3 ? WEDNESDAY_SLOTS : ALL_SLOTS) * MINUTE + rng.int(0, 4) * MINUTE;

/** How long a whole lesson is observed: about 42 minutes. */
export const lessonLength = (rng: Random): number =>
  clamp(Math.round(rng.normal(42, 4) * 60), 35 * 60, 50 * 60) * 1000 + rng.int(0, 999);

/** A subject taught in the teacher's group. */
export const subjectFor = (rng: Random, teacher: Teacher) => rng.pick(subjectsFor(teacher.group));

/** The teacher's focus question of the year, mostly, when they have one (the leader comes without it). */
export const focusFor = (rng: Random, teacher: Teacher, year: YearInfo, purpose: Purpose) => {
  const focus = teacher.focus[year.index];
  return focus !== undefined && purpose !== 'leader' && rng.chance(0.8) ? focus : undefined;
};

/** The context fields the plan's instrument asks for: group, subject, number of pupils (a few absent, perhaps). */
export const contextFor = (
  rng: Random,
  plan: Plan,
  teacher: Teacher,
  subject: string,
): Record<string, string | number> => {
  const context: Record<string, string | number> = {};
  if (plan.contextIds.has('group')) context.group = groupLabel(teacher.group);
  if (plan.contextIds.has('subject')) context.subject = subject;
  if (plan.contextIds.has('pupils')) context.pupils = clamp(teacher.pupils + rng.int(-2, 1), 12, 34);
  return context;
};

/**
 * The lesson's actual length, when the instrument asks for it (`lesson-minutes`, which equal-part snapshots
 * divide): as long as the observer's clock ran, in whole minutes, within the field's bounds. Set once the lesson's
 * length is known, so a calibration's second observer, who watched the same lesson, gives the same.
 */
export function withLessonLength(plan: Plan, context: Record<string, string | number>, elapsedMs: number): void {
  const field = plan.instrument.context.find((c) => c.id === LESSON_MINUTES_FIELD);
  if (field?.input === 'number')
    context[LESSON_MINUTES_FIELD] = clamp(Math.round(elapsedMs / MINUTE), field.min ?? 1, field.max ?? 600);
}

// ---------------------------------------------------------------------------------------------------------------
// The observation

/** A self-assessment is done when completed; other feedback is mostly handed over, recent lessons less so. */
function statusFor(gen: Generation, purpose: Purpose, completedAt: Timestamp): ObservationStatus {
  if (purpose === 'self') return 'completed';
  const recent = gen.now - completedAt < 7 * DAY;
  return gen.rng.chance(recent ? 0.5 : purpose === 'coach' ? 0.9 : 0.8) ? 'shared' : 'completed';
}

/** How likely a teacher shares an observation with the school leadership (a starter's portfolio needs them). */
const shareChance = (purpose: Purpose, observed: Teacher) => (purpose === 'leader' ? 0 : observed.starter ? 0.5 : 0.2);

/** Records one observed lesson: the observation, perhaps the request before it, its responses and notes, what followed. */
export function addObservation(gen: Generation, setup: LessonSetup): void {
  const { plan, observed, purpose, draft } = setup;
  const { observation, theta, answerCount, cycleStarts } = startObservation(gen, setup);
  gen.records.observations.push(observation);
  requestedBeforehand(gen, setup, observation);

  const kept = drawResponses(gen, setup, observation.id, theta, answerCount, cycleStarts);
  if (gen.settings.keepResponses) for (const response of kept) gen.records.responses.push(response);
  // Completed observations carry their summary, as the app stores it on completion.
  if (!draft) observation.summary = summarise(plan.instrument, byResponseKey(kept), observation);

  const lessonNotes = drawNotes(gen, setup, observation.id);

  // Feedback, handing over, and the teacher's side.
  if (!draft && purpose !== 'self') {
    const next = followUp(gen.rng, observation, plan, kept, lessonNotes, gen.now, {
      leader: shareChance(purpose, observed),
      coach: observed.starter && observed.coach !== undefined,
    });
    if (next.feedback) gen.records.feedback.push(next.feedback);
    if (next.reflection) gen.records.reflections.push(next.reflection);
    if (next.goal) gen.records.goals.push(next.goal);
  }
}

/**
 * The observation record, with the lesson's ability on the logit scale (the observed teacher's, the day's, the
 * observer's view), how many items were answered (a draft stops part-way) and, for an instrument in cycles, when
 * each repetition started.
 */
function startObservation(
  gen: Generation,
  setup: LessonSetup,
): { observation: Observation; theta: number; answerCount: number; cycleStarts: CycleStartsMs } {
  const { rng, now } = gen;
  const { plan, observer, observed, purpose, startedAt, elapsedMs, draft } = setup;
  const id = rng.uuid();
  const owner = observer.person.id;
  const self = observer === observed;
  const theta =
    abilityAt(observed, startedAt, gen.spanStart) +
    setup.lessonEffect +
    (self ? 0.4 + rng.normal(0, 0.2) : observer.bias);

  // A draft stopped part-way: the domain where the observer was, and how far into it.
  const stopDomain = draft ? rng.int(0, Math.max(0, plan.domainIds.length - 1)) : plan.domainIds.length - 1;
  const stopItem = draft ? (plan.domainStart[stopDomain] ?? 0) + rng.int(0, 3) : plan.items.length;

  const completedAt = draft ? undefined : Math.min(now, startedAt + elapsedMs + rng.int(2, 90) * MINUTE);
  const status: ObservationStatus = completedAt === undefined ? 'draft' : statusFor(gen, purpose, completedAt);
  const updatedAt = completedAt ?? startedAt + elapsedMs;
  const createdAt = startedAt - rng.int(2, 30) * MINUTE;
  const observation: Observation = {
    id,
    owner,
    createdAt,
    updatedAt,
    instrumentKey: plan.key,
    observerId: owner,
    observedId: observed.person.id,
    purpose,
    status,
    context: setup.context,
    schoolYearId: setup.year.record.id,
    clock: { elapsedMs },
    position: { domainId: plan.domainIds[stopDomain] },
    startedAt,
  };
  if (setup.focusQuestion !== undefined) observation.focusQuestion = setup.focusQuestion;
  if (completedAt !== undefined) observation.completedAt = completedAt;
  if (observation.position.domainId === undefined) observation.position = {};
  // Repetitions, as the capture screen keeps them: per repetition group, each one's start on the lesson clock.
  const cycleStarts = plan.cycleGroups.length > 0 ? cycleStartsFor(rng, plan, elapsedMs, draft) : {};
  if (plan.cycleGroups.length > 0) {
    observation.cycles = Object.fromEntries(
      Object.entries(cycleStarts).map(([group, starts]) => [group, starts.map((startedMs) => ({ startedMs }))]),
    );
    // Where the observer was: in a repeated section, its latest repetition.
    const at = plan.instrument.domains.find((d) => d.id === observation.position.domainId);
    const reached = at?.repeat ? (cycleStarts[repeatKey(at)]?.length ?? 0) : 0;
    if (reached > 0) observation.position = { ...observation.position, cycle: reached };
  }
  return { observation, theta, answerCount: Math.min(stopItem, plan.items.length), cycleStarts };
}

/**
 * When the observer starts each repetition of the repeated sections, per repetition group (ms into the lesson): the
 * first a few minutes in, each next one after the repetition's minutes (a quarter of an hour when the instrument
 * does not say) and a minute or three to score, as many as the lesson holds, up to the section's maximum. A
 * completed lesson has at least the section's minimum (when fewer fit, they share the lesson evenly); a draft has
 * the ones it reached.
 */
function cycleStartsFor(rng: Random, plan: Plan, elapsedMs: number, draft: boolean): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const group of plan.cycleGroups) {
    const length = (group.minutes ?? 15) * MINUTE;
    const first = rng.int(1, 3) * MINUTE + rng.int(0, 59) * 1000;
    let starts: number[] = [];
    for (
      let start = first;
      starts.length < group.max;
      start += length + rng.int(1, 3) * MINUTE + rng.int(0, 59) * 1000
    ) {
      const reached = draft || starts.length === 0 ? start < elapsedMs : start + length <= elapsedMs;
      if (!reached) break;
      starts.push(start);
    }
    if (!draft && starts.length < group.min) {
      const part = (elapsedMs - first) / group.min;
      starts = Array.from({ length: group.min }, (_, n) => first + Math.round((n * part) / 1000) * 1000);
    }
    out[group.key] = starts;
  }
  return out;
}

/** A third of peer observations were asked for by the observed teacher, a few days before. */
function requestedBeforehand(gen: Generation, setup: LessonSetup, observation: Observation): void {
  const { rng } = gen;
  const { plan, observer, observed, startedAt } = setup;
  if (setup.purpose !== 'peer' || !rng.chance(0.3)) return;
  const askedAt = startedAt - rng.int(2, 10) * DAY;
  const request: ObservationRequest = {
    ...newRecordBase(rng.uuid(), observed.person.id, askedAt),
    requesterId: observed.person.id,
    observedId: observed.person.id,
    observerId: observer.person.id,
    purpose: 'peer',
    instrumentKey: plan.key,
    context: { ...setup.context },
    plannedOn: isoDate(startedAt),
  };
  if (setup.focusQuestion !== undefined) request.focusQuestion = setup.focusQuestion;
  gen.records.requests.push(request);
  observation.requestId = request.id;
}

/** A few quick notes during the lesson, in time order (kept as records only when responses are kept). */
function drawNotes(gen: Generation, setup: LessonSetup, observationId: string): Note[] {
  const { rng } = gen;
  const { plan, observer, startedAt, elapsedMs, draft } = setup;
  const owner = observer.person.id;
  const noteCount = draft ? rng.int(0, 2) : rng.int(1, 4);
  const lessonNotes: Note[] = [];
  const stamps: number[] = [];
  for (let n = 0; n < noteCount; n++) stamps.push(rng.int(30_000, Math.max(30_000, elapsedMs - 30_000)));
  stamps.sort((a, b) => a - b);
  for (const lessonMs of stamps) {
    const [text, about] = rng.pick(NOTES);
    const itemId = about.find((id) => plan.itemIds.has(id));
    const note: Note = {
      id: rng.uuid(),
      owner,
      createdAt: startedAt + lessonMs,
      updatedAt: startedAt + lessonMs,
      observationId,
      text,
      lessonMs,
    };
    if (itemId !== undefined) note.itemId = itemId;
    if (gen.settings.keepResponses) gen.records.notes.push(note);
    lessonNotes.push(note);
  }
  return lessonNotes;
}
