/**
 * What is done and what is still open in an observation: which items are answered, which are not applicable
 * because of a rule, and what remains per domain. Used for the progress bar, the domain tabs and the completion
 * summary.
 *
 * Progress counts answers, not items. Most items ask for one answer. A snapshot item asks for one answer per field
 * of every snapshot asked for so far: each scheduled minute the lesson clock has reached, and each snapshot that
 * holds a value (`snapshotsToFill`). So a snapshot form of five fields counts as five answers, and a snapshot with
 * the count but not the activity is not done. This is what a teacher reads as honest: "12/16" means sixteen
 * things were asked of me so far and I filled in twelve. A missed snapshot stays open (the observer sees it and
 * may still leave it), and minutes the lesson never reached (it ended early) are never asked for.
 */
import type { Domain, Instrument, Item } from '../instrument/types';
import { allItems, repeatKey } from '../instrument/localize';
import { responseKey, type ItemResponse } from '../model/records';
import { ruleOutcome, type RuleScores } from './rules';
import { cycleBounds } from './cycles';
import { snapshotSpan, snapshotsToFill } from './snapshots';

export type ResponseContent = Pick<
  ItemResponse,
  'rating' | 'answer' | 'choice' | 'count' | 'text' | 'snapshots' | 'lookFors' | 'notSeen' | 'entries'
>;
/** Answers by `responseKey` (the item id, or `item#2` in a repeated section's second repetition). */
export type ResponsesByItem = ReadonlyMap<string, ResponseContent>;

export interface ProgressOptions {
  /** The lesson clock: snapshots count once the clock has reached their minute. Without it, only snapshots that hold a value count. */
  elapsedMs?: number;
  /** The actual lesson length, for snapshots at equal parts of the lesson. */
  lessonMinutes?: number;
  /** Per repetition group (`repeatKey`, else the domain id): how many repetitions were started (at least one is always asked for). */
  cycles?: Readonly<Record<string, number>>;
  /**
   * Per repetition group: when each repetition started on the lesson clock (ms). A snapshot in a repeated section
   * counts its minutes from its repetition's start; a repetition not started has reached none of them.
   */
  cycleStartsMs?: Readonly<Record<string, readonly number[]>>;
  /** The scores rules on a score read (format 3; `ruleScoresOf` in scoring.ts): without them those rules do not hold. */
  scores?: RuleScores;
}

/**
 * The options as one repetition of a section sees them: its snapshots' minutes run from the repetition's start
 * (when the starts are given), and equal parts divide one repetition when it has a length (`snapshotSpan`).
 * Outside repeated sections, the options themselves.
 */
export function optionsForCycle(
  options: ProgressOptions,
  domain: Pick<Domain, 'id' | 'repeat'>,
  cycle: number | undefined,
): ProgressOptions {
  if (!domain.repeat || cycle === undefined) return options;
  const lessonMinutes = snapshotSpan(domain, options.lessonMinutes);
  const spanned = lessonMinutes === undefined ? options : { ...options, lessonMinutes };
  if (!options.cycleStartsMs || options.elapsedMs === undefined) return spanned;
  const start = options.cycleStartsMs[repeatKey(domain)]?.[cycle - 1];
  const { elapsedMs: _lesson, ...rest } = spanned;
  return start === undefined ? rest : { ...rest, elapsedMs: Math.max(0, options.elapsedMs - start) };
}

/** The answers an item asks for so far, and how many of them it has. */
export interface ItemProgress {
  total: number;
  answered: number;
}

/**
 * How many answers an item asks for and has. Free text, counters, dates and times are optional unless the item is
 * `required`; an item marked `required: false` asks for nothing. A rule that makes an item not applicable (or hides
 * it) is applied by `observationProgress`, not here.
 */
export function itemProgress(
  item: Item,
  response: ResponseContent | undefined,
  options: ProgressOptions = {},
): ItemProgress {
  if (!expectsAnswer(item)) return { total: 0, answered: 0 };
  return answersAskedFor(item, response, options);
}

function answersAskedFor(item: Item, response: ResponseContent | undefined, options: ProgressOptions): ItemProgress {
  const one = (answered: boolean): ItemProgress => ({ total: 1, answered: answered ? 1 : 0 });
  switch (item.response.type) {
    case 'rating':
      return one(response?.rating !== undefined);
    case 'yes-no':
      return one(response?.answer !== undefined);
    case 'choice':
      return one((response?.choice?.length ?? 0) > 0);
    case 'score':
      // A score from seen / not-seen look-fors asks for its look-fors; other scores ask for nothing.
      if (item.response.from !== 'lookFors') return { total: 0, answered: 0 };
    // falls through
    case 'checklist':
      if (item.lookForAnswer === 'seen-not-seen') {
        const answered = new Set([...(response?.lookFors ?? []), ...(response?.notSeen ?? [])]);
        const lookFors = item.lookFors ?? [];
        return { total: lookFors.length, answered: lookFors.filter((l) => answered.has(l.id)).length };
      }
      return one((response?.lookFors.length ?? 0) > 0);
    case 'snapshot': {
      const snapshots = snapshotsToFill(item.response, response?.snapshots, options.elapsedMs, options.lessonMinutes);
      return {
        total: snapshots.reduce((sum, s) => sum + s.fields, 0),
        answered: snapshots.reduce((sum, s) => sum + s.filled, 0),
      };
    }
    case 'text':
      return one(
        item.response.repeatable
          ? (response?.entries ?? []).some((e) => e.trim() !== '')
          : (response?.text ?? '').trim() !== '',
      );
    case 'counter':
      return one(response?.count !== undefined);
    case 'date':
    case 'time':
      return one((response?.text ?? '') !== '');
  }
}

/** Types nobody has to answer unless the instrument says so. */
const OPTIONAL_TYPES: ReadonlySet<Item['response']['type']> = new Set(['counter', 'text', 'date', 'time']);

/** Whether an item needs an answer at all (optional types, and items marked optional, are left out of "still to do"). */
export function expectsAnswer(item: Item, requiredByRule = false): boolean {
  // Nobody enters a derived score, except the look-fors it is worked out from.
  if (item.response.type === 'score' && item.response.from !== 'lookFors') return false;
  if (item.required === true || requiredByRule) return true;
  if (item.required === false) return false;
  return !OPTIONAL_TYPES.has(item.response.type);
}

/** Item ids that rules make not applicable or hide, given the answers so far. */
export function notApplicableItems(
  instrument: Instrument,
  items: ReadonlyMap<string, Item>,
  responses: ResponsesByItem,
): Set<string> {
  const outcome = ruleOutcome(instrument, items, responses);
  return new Set([...outcome.notApplicable, ...outcome.hidden]);
}

interface DomainProgress {
  domainId: string;
  /** The answers asked for so far by items that are not ruled out (one per item; a snapshot's per field; per repetition). */
  total: number;
  answered: number;
  /** Items that still miss an answer they ask for (once per item, whichever repetition misses it). */
  open: Item[];
}

export interface ObservationProgress {
  domains: DomainProgress[];
  total: number;
  answered: number;
  /** Items ruled out: not applicable, or hidden because the rule that shows them does not hold. */
  notApplicable: Set<string>;
  /** Items that must be answered before completion (`required: true`, or a rule's `require`) and are not yet. */
  requiredOpen: Item[];
}

/**
 * Progress over the whole observation. Rules read the answers of one repetition together with those outside any
 * repeated section; an item in a repeated section counts once per repetition started.
 */
export function observationProgress(
  instrument: Instrument,
  responses: ResponsesByItem,
  options: ProgressOptions = {},
): ObservationProgress {
  const items = new Map(allItems(instrument).map((item) => [item.id, item]));
  const requiredOpen = new Set<Item>();
  let ruledOut = new Set<string>();

  const domains = instrument.domains.map((domain): DomainProgress => {
    const open = new Set<Item>();
    let total = 0;
    let answered = 0;
    const started = options.cycles?.[repeatKey(domain)] ?? options.cycles?.[domain.id] ?? 1;
    const repetitions = domain.repeat ? Math.min(cycleBounds(domain).max, Math.max(1, started)) : 1;
    for (let r = 1; r <= repetitions; r++) {
      const cycle = domain.repeat ? r : undefined;
      const view = domain.repeat ? responsesOfCycle(responses, items, cycle) : responses;
      const outcome = ruleOutcome(instrument, items, view, options.scores);
      const out = new Set([...outcome.notApplicable, ...outcome.hidden]);
      if (!domain.repeat || r === 1) ruledOut = new Set([...ruledOut, ...out]);
      const asked = optionsForCycle(options, domain, cycle);
      const visit = (item: Item) => {
        if (!out.has(item.id) && expectsAnswer(item, outcome.required.has(item.id))) {
          const response = responses.get(responseKey(item.id, cycle));
          const counts = answersAskedFor(item, response, asked);
          total += counts.total;
          answered += counts.answered;
          if (counts.answered < counts.total) {
            open.add(item);
            if (item.required === true || outcome.required.has(item.id)) requiredOpen.add(item);
          }
        }
        item.children?.forEach(visit);
      };
      domain.items.forEach(visit);
    }
    return { domainId: domain.id, total, answered, open: [...open] };
  });
  return {
    domains,
    total: domains.reduce((sum, d) => sum + d.total, 0),
    answered: domains.reduce((sum, d) => sum + d.answered, 0),
    notApplicable: ruledOut,
    requiredOpen: [...requiredOpen],
  };
}

/**
 * The answers as one repetition sees them: by item id, the repetition's own answers for items in repeated sections
 * and the single answers of every other item. `cycle` undefined: the answers outside repeated sections only.
 */
export function responsesOfCycle<T>(
  responses: ReadonlyMap<string, T>,
  items: ReadonlyMap<string, Item>,
  cycle: number | undefined,
): Map<string, T> {
  const out = new Map<string, T>();
  for (const [key, value] of responses) {
    const hash = key.indexOf('#');
    if (hash === -1) out.set(key, value);
    else if (cycle !== undefined && Number(key.slice(hash + 1)) === cycle && items.has(key.slice(0, hash)))
      out.set(key.slice(0, hash), value);
  }
  return out;
}
