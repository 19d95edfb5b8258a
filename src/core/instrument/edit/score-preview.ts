/**
 * How an instrument's scores are worked out, on an example observation: the editor shows every item, domain and
 * named score the core's `scoreObservation` gives for example answers, so the author sees what a method, a weight
 * or a scoring map does before anyone observes with it.
 *
 * `exampleAnswers` fills in answers in the middle of every scale (a repeated section twice, or as often as it must
 * be), `exampleContext` the numbers about the lesson a score reads, `scorePreview` lists the scores in the
 * instrument's order. Both are pure: the editor keeps the answers the
 * author changes and asks again.
 */
import type { DerivedScore, Domain, Instrument, Item, ScoreRule, SnapshotField } from '../types';
import { flattenItems, repeatKey } from '../localize';
import { scoreObservation } from '../scoring';
import type { ResponseContent } from '../../observation/progress';
import { cycleBounds } from '../../observation/cycles';
import { DEFAULT_LESSON_MINUTES, snapshotMinutes } from '../../observation/snapshots';
import { responseKey } from '../../model/records';

export type ExampleAnswers = Map<string, ResponseContent>;

/** Repetitions of a repeated section in the example: two, within the section's bounds. */
export function exampleCycles(instrument: Instrument): Record<string, number> {
  const cycles: Record<string, number> = {};
  for (const domain of instrument.domains) {
    if (!domain.repeat) continue;
    const { min, max } = cycleBounds(domain);
    cycles[repeatKey(domain)] = Math.min(max, Math.max(min, 2));
  }
  return cycles;
}

/** The middle of a list of values (the upper one of two middles: 3 of 1–4, 4 of 1–7). */
const middle = <T>(values: readonly T[]): T | undefined => values[Math.floor(values.length / 2)];

function middleLevel(instrument: Instrument, scaleId: string): number | undefined {
  const scale = instrument.scales.find((s) => s.id === scaleId);
  return middle((scale?.levels ?? []).map((level) => level.value).sort((a, b) => a - b));
}

/** A counter's middle count: between its least and most (a most of ten above the least when it has none). */
function middleCount(response: { min?: number; max?: number }): number {
  const min = response.min ?? 0;
  return Math.round((min + (response.max ?? min + 10)) / 2);
}

/** A snapshot field's example value; undefined for a field that has none to give. */
function fieldValue(instrument: Instrument, field: SnapshotField): string | number | string[] | undefined {
  const response = field.response;
  switch (response?.type) {
    case 'counter':
      return middleCount(response);
    case 'rating':
      return middleLevel(instrument, response.scale);
    case 'yes-no':
      return 'yes';
    case 'choice': {
      const first = response.options?.[0]?.id;
      return first === undefined ? undefined : response.multiple ? [first] : first;
    }
    default:
      return undefined;
  }
}

/** The example answer to one item, or undefined when its kind of answer gives none to score or to decide a rule. */
export function exampleAnswer(instrument: Instrument, item: Item): ResponseContent | undefined {
  const response = item.response;
  const lookFors = (item.lookFors ?? []).map((lookFor) => lookFor.id);
  // Half the look-fors seen (at least one); in a seen / not-seen list the others answered not seen.
  const seen = lookFors.slice(0, Math.max(1, Math.ceil(lookFors.length / 2)));
  const withLookFors: ResponseContent = {
    lookFors: lookFors.length > 0 ? seen : [],
    ...(item.lookForAnswer === 'seen-not-seen' && lookFors.length > 0
      ? { notSeen: lookFors.filter((id) => !seen.includes(id)) }
      : {}),
  };
  switch (response?.type) {
    case 'rating': {
      const rating = middleLevel(instrument, response.scale);
      return rating === undefined ? undefined : { ...withLookFors, rating };
    }
    case 'yes-no':
      return { ...withLookFors, answer: 'yes' };
    case 'counter':
      return { ...withLookFors, count: middleCount(response) };
    case 'choice': {
      const first = response.options?.[0]?.id;
      return first === undefined ? undefined : { ...withLookFors, choice: [first] };
    }
    case 'checklist':
    case 'score':
      return lookFors.length > 0 ? withLookFors : undefined;
    case 'snapshot': {
      const lesson = instrument.lessonMinutes ?? DEFAULT_LESSON_MINUTES;
      const snapshots: NonNullable<ResponseContent['snapshots']> = {};
      for (const minute of snapshotMinutes(response.schedule, lesson).slice(0, 100)) {
        const values: Record<string, string | number | string[]> = {};
        for (const field of response.fields ?? []) {
          const value = fieldValue(instrument, field);
          if (value !== undefined) values[field.id] = value;
        }
        snapshots[String(minute)] = values as NonNullable<ResponseContent['snapshots']>[string];
      }
      return { lookFors: [], snapshots };
    }
    default:
      return undefined;
  }
}

/** Example answers for every item that gives a score or decides a rule, each repetition of a repeated section. */
export function exampleAnswers(instrument: Instrument): ExampleAnswers {
  const answers: ExampleAnswers = new Map();
  const cycles = exampleCycles(instrument);
  for (const domain of instrument.domains) {
    const count = domain.repeat ? (cycles[repeatKey(domain)] ?? 1) : undefined;
    for (const item of flattenItems(domain.items ?? [])) {
      const answer = exampleAnswer(instrument, item);
      if (!answer) continue;
      if (count === undefined) answers.set(item.id, answer);
      else for (let cycle = 1; cycle <= count; cycle++) answers.set(responseKey(item.id, cycle), answer);
    }
  }
  return answers;
}

/**
 * (format 3) Example answers about the lesson that a named score reads as a part (`{ context }`): the middle of each
 * number question's range (20 when it has none), so a ratio such as "pupils off task of the pupils present" shows a
 * score in the example too. Only those questions: the others decide nothing a score shows.
 */
export function exampleContext(instrument: Instrument): Record<string, number> {
  const read = new Set(
    (instrument.scores ?? []).flatMap((score) =>
      (score.from ?? []).flatMap((source) => ('context' in source ? [source.context] : [])),
    ),
  );
  const context: Record<string, number> = {};
  for (const field of instrument.context ?? []) {
    if (field.input !== 'number' || !read.has(field.id)) continue;
    const min = field.min ?? 0;
    context[field.id] = Math.round((min + (field.max ?? min + 40)) / 2);
  }
  return context;
}

/** One score the preview shows: where it comes from and what it is (per repetition in a repeated section). */
export interface PreviewLine {
  kind: 'item' | 'domain' | 'score';
  id: string;
  /** The item, domain or named score. */
  of: Item | Domain | DerivedScore;
  /** The index of its domain (items and domains). */
  domain?: number;
  /** Its score; undefined when it has none (nothing to work out from, or not applicable). */
  value: number | undefined;
  /** In a repeated section: its score in each repetition. */
  perCycle?: Array<number | undefined>;
  /** How it is worked out, for a domain, a named score or a score item. */
  rule?: ScoreRule;
}

/** Item types that give a score of their own. */
const SCORED = new Set(['rating', 'yes-no', 'counter', 'score']);

/**
 * The scores of an example observation, in the instrument's order: per domain its score and its items' (behaviours
 * under an element too), then the named scores.
 */
export function scorePreview(
  instrument: Instrument,
  answers: ExampleAnswers,
  cycles: Readonly<Record<string, number>> = exampleCycles(instrument),
  context: Readonly<Record<string, number>> = exampleContext(instrument),
): PreviewLine[] {
  const sheet = scoreObservation(instrument, answers, { cycles, context });
  const lines: PreviewLine[] = [];
  instrument.domains.forEach((domain, d) => {
    const perCycle = sheet.perCycle.get(domain.id);
    if (domain.score) {
      lines.push({
        kind: 'domain',
        id: domain.id,
        of: domain,
        domain: d,
        value: sheet.domains.get(domain.id),
        rule: domain.score,
        ...(perCycle ? { perCycle: perCycle.map((cycle) => cycle.domain) } : {}),
      });
    }
    for (const item of flattenItems(domain.items ?? [])) {
      if (!SCORED.has(item.response?.type)) continue;
      lines.push({
        kind: 'item',
        id: item.id,
        of: item,
        domain: d,
        value: sheet.items.get(item.id),
        ...(item.response.type === 'score' ? { rule: item.response } : {}),
        ...(perCycle ? { perCycle: perCycle.map((cycle) => cycle.items.get(item.id)) } : {}),
      });
    }
  });
  for (const score of instrument.scores ?? [])
    lines.push({ kind: 'score', id: score.id, of: score, value: sheet.scores.get(score.id), rule: score });
  return lines;
}
