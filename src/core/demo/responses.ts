/**
 * The answers of one observed lesson, in reading order and stamped through the lesson: ratings drawn from the
 * partial-credit model around the lesson's ability, and for the other response types an answer that leans the same
 * way (checklists, yes/no, counters, snapshots), or a text from the demo's content. An item in a repeated section is
 * answered in each repetition, as its own record (`cycle`), stamped in that repetition's stretch of the lesson.
 */
import type { Scale, SnapshotField, SnapshotResponse } from '../instrument/types';
import { responseId, responseKey } from '../model/records';
import type { ItemResponse, RatingValue, SnapshotValues, Timestamp } from '../model/records';
import { lessonMinutesOf } from '../observation/cycles';
import { notApplicableItems, responsesOfCycle } from '../observation/progress';
import { snapshotMinutes } from '../observation/snapshots';
import { drawLevel as drawPartialCredit, evenlySpacedSteps, logistic } from '../statistics/partial-credit';
import { MINUTE } from './calendar';
import { EVIDENCE, FOCUS_QUESTIONS, NEXT_STEPS, REMARKS, TIPS, TOPS } from './content';
import { clamp, type CycleStartsMs, type Generation, type LessonSetup } from './generation';
import type { Plan, PlanItem } from './plan';
import type { Random } from './random';

/** What every answer of one observation draws on. */
interface Answering {
  rng: Random;
  plan: Plan;
  observationId: string;
  owner: string;
  elapsedMs: number;
  focusQuestion: string | undefined;
  /** The lesson's length that snapshots at equal parts divide (the observation's, else the instrument's). */
  lessonMinutes: number;
  /** The instrument's scales by id, filled when a snapshot first needs them. */
  scales: Map<string, Scale>;
}

/**
 * The first `count` items' answers (some items are left unanswered), without those the instrument's rules make not
 * applicable. `cycleStarts`: per repetition group, when each repetition started (ms into the lesson).
 */
export function drawResponses(
  gen: Generation,
  setup: LessonSetup,
  observationId: string,
  theta: number,
  count: number,
  cycleStarts: CycleStartsMs = {},
): ItemResponse[] {
  const { plan, observed, startedAt, elapsedMs } = setup;
  const answering: Answering = {
    rng: gen.rng,
    plan,
    observationId,
    owner: setup.observer.person.id,
    elapsedMs,
    focusQuestion: setup.focusQuestion,
    lessonMinutes: lessonMinutesOf(plan.instrument, setup),
    scales: new Map<string, Scale>(),
  };
  const answered: ItemResponse[] = [];
  let triggerAnswers: Map<string, ItemResponse> | undefined;
  const keep = (p: PlanItem, response: ItemResponse | undefined) => {
    if (!response) return;
    answered.push(response);
    if (plan.triggers.has(p.itemId))
      (triggerAnswers ??= new Map()).set(responseKey(p.itemId, response.cycle), response);
  };
  for (let i = 0; i < count; i++) {
    const p = plan.items[i]!;
    const itemTheta = theta + (observed.domainOffset.get(plan.domainIds[p.domainIndex] ?? '') ?? 0);
    if (p.repeat === undefined) {
      keep(p, drawResponse(answering, p, startedAt + Math.round((elapsedMs * (i + 1)) / (count + 1)), itemTheta, 0));
      continue;
    }
    // In each repetition, within its stretch of the lesson (until the next one starts), as its own record.
    const starts = cycleStarts[p.repeat] ?? [];
    starts.forEach((start, n) => {
      const stretch = (starts[n + 1] ?? elapsedMs) - start;
      const at = startedAt + start + Math.round((stretch * (i + 1)) / (count + 1));
      const response = drawResponse(answering, p, at, itemTheta, start);
      if (response) {
        response.id = responseId(observationId, p.itemId, n + 1);
        response.cycle = n + 1;
      }
      keep(p, response);
    });
  }
  if (!triggerAnswers) return answered;

  // Rules: items another answer makes not applicable (or hides) stay unanswered; in a repeated section the rules
  // read that repetition's answers with those outside it, as progress does.
  const ruledOut = new Map<number | undefined, Set<string>>();
  const outIn = (cycle: number | undefined, answers: Map<string, ItemResponse>): Set<string> => {
    let out = ruledOut.get(cycle);
    if (!out) {
      out = notApplicableItems(plan.instrument, plan.itemsById, responsesOfCycle(answers, plan.itemsById, cycle));
      ruledOut.set(cycle, out);
    }
    return out;
  };
  const answers = triggerAnswers;
  return answered.filter((r) => !outIn(r.cycle, answers).has(r.itemId));
}

/** A response without an answer yet. Whole literals, no spread, few added properties: a large school makes over a hundred thousand. */
const blank = (a: Answering, p: PlanItem, at: Timestamp, lookFors: string[]): ItemResponse => ({
  id: responseId(a.observationId, p.itemId),
  owner: a.owner,
  createdAt: at,
  updatedAt: at,
  observationId: a.observationId,
  itemId: p.itemId,
  lookFors,
});

/**
 * One item's answer at a moment of the lesson, for an ability on the logit scale; undefined leaves it unanswered.
 * `fromMs`: where on the lesson clock its snapshots count from (a repetition's start, else 0).
 */
function drawResponse(
  a: Answering,
  p: PlanItem,
  at: Timestamp,
  itemTheta: number,
  fromMs: number,
): ItemResponse | undefined {
  const { rng } = a;
  switch (p.type) {
    case 'rating':
      return ratingResponse(a, p, at, itemTheta);
    case 'checklist': {
      const tick = logistic(itemTheta - p.difficulty);
      return blank(
        a,
        p,
        at,
        p.lookForIds.filter(() => rng.chance(tick)),
      );
    }
    case 'yes-no': {
      const allow = p.item.response.type === 'yes-no' && p.item.response.allowNotObserved === true;
      const answer =
        allow && rng.chance(0.05)
          ? 'not-observed'
          : rng.chance(logistic(itemTheta - p.difficulty + 1.5))
            ? 'yes'
            : 'no';
      const response = blank(a, p, at, []);
      response.answer = answer;
      return response;
    }
    case 'choice': {
      const r = p.item.response;
      if (r.type !== 'choice' || r.options.length === 0) return undefined;
      const first = rng.pick(r.options).id;
      const choice = r.multiple && r.options.length > 1 && rng.chance(0.4) ? [first, rng.pick(r.options).id] : [first];
      const response = blank(a, p, at, []);
      response.choice = [...new Set(choice)];
      return response;
    }
    case 'counter': {
      const r = p.item.response;
      if (r.type !== 'counter') return undefined;
      const value = Math.round(Math.abs(rng.normal(Math.max(0, 1.5 - itemTheta), 1.2)));
      const response = blank(a, p, at, []);
      response.count = clamp(value, r.min ?? 0, r.max ?? 99);
      return response;
    }
    case 'snapshot': {
      const r = p.item.response;
      if (r.type !== 'snapshot') return undefined;
      const response = blank(a, p, at, []);
      response.snapshots = snapshotsFor(a, r, itemTheta, a.elapsedMs - fromMs);
      return response;
    }
    case 'text': {
      if (!rng.chance(0.85)) return undefined;
      const response = blank(a, p, at, []);
      response.text = textFor(rng, p.itemId, a.focusQuestion);
      return response;
    }
  }
  return undefined;
}

/**
 * A rating: a level from the partial-credit model (now and then "not observed", or no answer when the scale has no
 * such value), look-fors ticked more often at higher levels, and sometimes a line of evidence.
 */
function ratingResponse(a: Answering, p: PlanItem, at: Timestamp, itemTheta: number): ItemResponse | undefined {
  const { rng, observationId: id, owner } = a;
  const levels = p.levels!;
  let rating: RatingValue = 'not-observed';
  const lookFors: string[] = [];
  let evidence: string | undefined;
  if (rng.chance(0.07)) {
    if (!p.notObserved) return undefined;
  } else {
    const k = drawLevel(rng, itemTheta, p.steps!);
    const K = levels.length;
    rating = levels[p.reverse ? K - 1 - k : k]!;
    const tick = K > 1 ? 0.1 + (0.8 * k) / (K - 1) : 0.5;
    for (const lookFor of p.lookForIds) if (rng.chance(tick)) lookFors.push(lookFor);
    if (p.evidence && rng.chance(0.1)) {
      const [high, low] = EVIDENCE[p.category];
      evidence = rng.pick(k >= K / 2 ? high : low);
    }
  }
  const rid = responseId(id, p.itemId);
  return evidence === undefined
    ? { id: rid, owner, createdAt: at, updatedAt: at, observationId: id, itemId: p.itemId, rating, lookFors }
    : { id: rid, owner, createdAt: at, updatedAt: at, observationId: id, itemId: p.itemId, rating, lookFors, evidence };
}

/**
 * The snapshots of a snapshot item: one per scheduled minute the lesson reached (`reachedMs`, counted from where its
 * minutes count from), at equal parts of the lesson's own length, each field drawn.
 */
function snapshotsFor(
  a: Answering,
  r: SnapshotResponse,
  itemTheta: number,
  reachedMs: number,
): Record<string, SnapshotValues> {
  const { rng, scales } = a;
  if (scales.size === 0) for (const s of a.plan.instrument.scales) scales.set(s.id, s);
  const snapshots: Record<string, SnapshotValues> = {};
  for (const minute of snapshotMinutes(r.schedule, a.lessonMinutes)) {
    if (minute * MINUTE > reachedMs) break;
    const values: SnapshotValues = {};
    for (const field of r.fields) {
      const v = snapshotValue(rng, field, itemTheta, scales);
      if (v !== undefined) values[field.id] = v;
    }
    snapshots[String(minute)] = values;
  }
  return snapshots;
}

/** A level index 0..K−1 drawn from the partial-credit model. */
const drawLevel = (rng: Random, theta: number, steps: number[]): number => drawPartialCredit(theta, steps, rng.next());

/** One field of a snapshot (a count, a choice, yes/no or a rating), leaning with the ability. */
function snapshotValue(
  rng: Random,
  field: SnapshotField,
  theta: number,
  scales: Map<string, Scale>,
): number | string | string[] | undefined {
  const r = field.response;
  switch (r.type) {
    case 'counter':
      return clamp(Math.round(Math.abs(rng.normal(Math.max(0, 2 - theta), 1.5))), r.min ?? 0, r.max ?? 40);
    case 'choice': {
      if (r.options.length === 0) return undefined;
      const id = rng.pick(r.options).id;
      return r.multiple ? [id] : id;
    }
    case 'yes-no':
      return rng.chance(logistic(theta + 1)) ? 'yes' : 'no';
    case 'rating': {
      const levels = scales.get(r.scale)?.levels;
      if (!levels || levels.length === 0) return undefined;
      return levels[drawLevel(rng, theta, evenlySpacedSteps(0, levels.length))]!.value;
    }
  }
}

/** An open answer, by what the item's id says it asks: a top, a tip, the focus question, a next step, or a remark. */
function textFor(rng: Random, itemId: string, focus: string | undefined): string {
  if (/sterk|top/.test(itemId)) return rng.pick(TOPS);
  if (/ontwikkel|tip|verbeter/.test(itemId)) return rng.pick(TIPS);
  if (/kijkvraag|vraag/.test(itemId)) return focus ?? rng.pick(FOCUS_QUESTIONS);
  if (/stap|doel/.test(itemId)) return rng.pick(NEXT_STEPS);
  return rng.pick(REMARKS);
}
