/**
 * Scores of one observation as the instrument defines them (format 2): an item's score, an element's score derived
 * from its behaviours or look-fors, domain scores and named scores across domains, each per repetition of a repeated
 * section and combined over the repetitions.
 *
 * - A rating's score is its level value, turned round for a reverse-keyed item (lowest + highest − value), then put
 *   through the item's or its scale's scoring map. "Not observed" has no score.
 * - Yes/no scores 1/0, a counter its count. Other answers have no score of their own.
 * - A score item (`type: 'score'`) combines its children, its look-fors (seen 1, not seen 0; unticked counts as not
 *   seen in a tick list, unanswered is left out of a seen / not-seen list) or listed items.
 * - A domain has a score only when it declares `score`; it combines the scores of its top-level items.
 * - In a repeated section every repetition is scored on its own; an item's combined score combines its repetitions
 *   (`repeat.combine`, default mean), and the combined domain score applies the domain's rule to the combined items,
 *   as CLASS-style protocols average each dimension over the cycles before averaging dimensions.
 * Items that rules make not applicable or hide have no score, and nothing undefined is ever averaged in as zero.
 *
 * Format 3 adds: a ratio of two parts and a score by pattern (`combineRule`), a part read through a scoring map (an
 * item's raw value, before its own scoring, so one rating has a second reading beside its first), a number answered
 * about the lesson as a part, and snapshot scores over several fields (`match`), of some snapshots only (`among`)
 * or per another number (`per`).
 */
import type {
  DerivedScore,
  Domain,
  Instrument,
  Item,
  PartCount,
  Scale,
  ScoreBand,
  ScoreMethod,
  ScoreRule,
  ScoringMap,
  SnapshotMatch,
  SnapshotScoreSource,
} from './types';
import type { SnapshotValues } from '../model/records';
import { flattenItems, repeatKey } from './localize';
import type { ResponseContent } from '../observation/progress';
import { responsesOfCycle } from '../observation/progress';
import { ruleOutcome, rulesReadScores, type RuleScores } from '../observation/rules';
import { cycleBounds } from '../observation/cycles';

interface CycleScores {
  cycle: number;
  items: Map<string, number>;
  domain?: number;
  /** Each item's value before its own scoring map (a rating's level, turned round when reverse-keyed). */
  raw: Map<string, number>;
  /** A score the observer may set otherwise (format 3): the level worked out, whatever they chose. */
  derived: Map<string, number>;
}

export interface ScoreSheet {
  /** Item scores (combined over repetitions for items in a repeated section). */
  items: Map<string, number>;
  /** Domain scores, for domains that declare a score rule. */
  domains: Map<string, number>;
  /** The instrument's named scores (`scores`). */
  scores: Map<string, number>;
  /** Per repeated section: each repetition's item scores and domain score. */
  perCycle: Map<string, CycleScores[]>;
  /**
   * Each item's values before its own scoring map, one per repetition (one outside repeated sections): what a part
   * read `through` another map starts from.
   */
  raw: Map<string, number[]>;
  /**
   * For a score the observer may set otherwise (format 3): the level worked out (combined over repetitions like the
   * item), kept beside the level they chose, which is the item's score.
   */
  derived: Map<string, number>;
}

export interface ScoringOptions {
  /**
   * Per repetition group (`repeatKey`: the repeat's group, else the domain id): how many repetitions there are;
   * default: as many as the answers of the group's sections show.
   */
  cycles?: Readonly<Record<string, number>>;
  /** The observation's answers about the lesson: a part `{ context }` and a snapshot score `per: { context }` read them. */
  context?: Readonly<Record<string, string | number>>;
}

type Weighted = { id: string; value: number };

export function scoreObservation(
  instrument: Instrument,
  responses: ReadonlyMap<string, ResponseContent>,
  options: ScoringOptions = {},
): ScoreSheet {
  const sheet = scoreOnce(instrument, responses, options, undefined);
  // Rules that read a score (format 3) act only on what that score is not worked out from (the validator sees to
  // it), so the scores they read are the same in a second pass that applies them.
  return rulesReadScores(instrument) ? scoreOnce(instrument, responses, options, sheet) : sheet;
}

/** The scores rules on a score read (format 3), when the instrument has such rules: for progress and the capture screen. */
export function ruleScoresOf(
  instrument: Instrument,
  responses: ReadonlyMap<string, ResponseContent>,
  options: ScoringOptions = {},
): RuleScores | undefined {
  return rulesReadScores(instrument) ? scoreObservation(instrument, responses, options) : undefined;
}

function scoreOnce(
  instrument: Instrument,
  responses: ReadonlyMap<string, ResponseContent>,
  options: ScoringOptions,
  ruleScores: RuleScores | undefined,
): ScoreSheet {
  const scales = new Map(instrument.scales.map((s) => [s.id, s]));
  const maps = new Map((instrument.scoringMaps ?? []).map((m) => [m.id, m]));
  const allById = new Map(instrument.domains.flatMap((d) => flattenItems(d.items)).map((item) => [item.id, item]));
  const sheet: ScoreSheet = {
    items: new Map(),
    domains: new Map(),
    scores: new Map(),
    perCycle: new Map(),
    raw: new Map(),
    derived: new Map(),
  };
  const contextNumber = (id: string): number | undefined => {
    const value = options.context?.[id];
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  };

  const scoreDomainOnce = (
    domain: Domain,
    view: ReadonlyMap<string, ResponseContent>,
  ): { scores: Map<string, number>; raw: Map<string, number>; derived: Map<string, number> } => {
    const outcome = ruleOutcome(instrument, allById, view, ruleScores);
    const out = new Set([...outcome.notApplicable, ...outcome.hidden]);
    const scores = new Map<string, number>();
    const raw = new Map<string, number>();
    const derived = new Map<string, number>();
    const scoreOf = (item: Item, visiting: Set<string>): number | undefined => {
      if (scores.has(item.id)) return scores.get(item.id);
      if (out.has(item.id) || visiting.has(item.id)) return undefined;
      visiting.add(item.id);
      const value = itemScore(item, view.get(item.id), {
        scales,
        maps,
        byId: allById,
        scoreOf: (other) => scoreOf(other, visiting),
        responseOf: (id) => view.get(id),
        contextNumber,
      });
      visiting.delete(item.id);
      // The level the observer chose over the one worked out (format 3), when they did.
      const chosen = overriddenLevel(item, view.get(item.id), scales);
      if (chosen !== undefined && value !== undefined) derived.set(item.id, value);
      const score = chosen ?? value;
      if (score !== undefined) scores.set(item.id, score);
      const before = rawValue(item, view.get(item.id), scales) ?? score;
      if (before !== undefined) raw.set(item.id, before);
      return score;
    };
    for (const item of flattenItems(domain.items)) scoreOf(item, new Set());
    return { scores, raw, derived };
  };

  const domainScore = (domain: Domain, items: ReadonlyMap<string, number>): number | undefined => {
    if (!domain.score) return undefined;
    const parts = domain.items.flatMap((item): Weighted[] =>
      items.has(item.id) ? [{ id: item.id, value: items.get(item.id)! }] : [],
    );
    return applyRule(domain.score, parts, maps);
  };

  for (const domain of instrument.domains) {
    if (!domain.repeat) {
      const { scores: items, raw, derived } = scoreDomainOnce(domain, responsesOfCycle(responses, allById, undefined));
      items.forEach((value, id) => sheet.items.set(id, value));
      raw.forEach((value, id) => sheet.raw.set(id, [value]));
      derived.forEach((value, id) => sheet.derived.set(id, value));
      const score = domainScore(domain, items);
      if (score !== undefined) sheet.domains.set(domain.id, score);
      continue;
    }
    // Sections repeated together share their repetitions: as many as the most answered of them.
    const key = repeatKey(domain);
    // Never more than the section allows: a response for "cycle 1e9" from a broken or hostile device is left out, not
    // looped over.
    const count = Math.min(
      cycleBounds(domain).max,
      options.cycles?.[key] ??
        options.cycles?.[domain.id] ??
        Math.max(
          ...instrument.domains
            .filter((d) => d.repeat && repeatKey(d) === key)
            .map((d) => cyclesAnswered(d, responses)),
        ),
    );
    const cycles: CycleScores[] = [];
    for (let cycle = 1; cycle <= count; cycle++) {
      const { scores: items, raw, derived } = scoreDomainOnce(domain, responsesOfCycle(responses, allById, cycle));
      const score = domainScore(domain, items);
      cycles.push({ cycle, items, raw, derived, ...(score !== undefined ? { domain: score } : {}) });
    }
    for (const item of flattenItems(domain.items)) {
      const values = cycles.flatMap((c) => (c.raw.has(item.id) ? [c.raw.get(item.id)!] : []));
      if (values.length > 0) sheet.raw.set(item.id, values);
      // Worked out per repetition (where the observer chose otherwise, what was worked out; else what they kept),
      // combined like the item, once any repetition was set otherwise.
      if (!cycles.some((c) => c.derived.has(item.id))) continue;
      const worked = cycles.flatMap((c) => {
        const value = c.derived.get(item.id) ?? c.items.get(item.id);
        return value === undefined ? [] : [{ id: String(c.cycle), value }];
      });
      const combinedDerived = combineValues(domain.repeat.combine ?? 'mean', worked);
      if (combinedDerived !== undefined) sheet.derived.set(item.id, combinedDerived);
    }
    sheet.perCycle.set(domain.id, cycles);
    const combine = domain.repeat.combine ?? 'mean';
    const combined = new Map<string, number>();
    for (const item of flattenItems(domain.items)) {
      const values = cycles.flatMap((c) =>
        c.items.has(item.id) ? [{ id: String(c.cycle), value: c.items.get(item.id)! }] : [],
      );
      const value = combineValues(combine, values);
      if (value !== undefined) combined.set(item.id, value);
    }
    combined.forEach((value, id) => sheet.items.set(id, value));
    const score = domainScore(domain, combined);
    if (score !== undefined) sheet.domains.set(domain.id, score);
  }

  const named = new Map((instrument.scores ?? []).map((s) => [s.id, s]));
  const domainsById = new Map(instrument.domains.map((d) => [d.id, d]));
  /** A domain's score with each of its items read through `map` (each repetition so read, then combined). */
  const domainThrough = (domain: Domain | undefined, map: ScoringMap | undefined): number | undefined => {
    if (!domain?.score || !map) return undefined;
    const parts = domain.items.flatMap((item): Weighted[] => scored(item.id, itemThrough(item.id, domain, map)));
    return applyRule(domain.score, parts, maps);
  };
  const itemThrough = (id: string, domain: Domain | undefined, map: ScoringMap | undefined): number | undefined => {
    const values = (sheet.raw.get(id) ?? []).flatMap((value) => {
      const mapped = mapValue(map, value);
      return mapped === undefined ? [] : [{ id, value: mapped }];
    });
    return combineValues(domain?.repeat?.combine ?? 'mean', values);
  };
  const domainOfItem = new Map(instrument.domains.flatMap((d) => flattenItems(d.items).map((i) => [i.id, d])));
  const evaluate = (score: DerivedScore, visiting: Set<string>): number | undefined => {
    if (sheet.scores.has(score.id)) return sheet.scores.get(score.id);
    if (visiting.has(score.id)) return undefined; // a circle the validator refuses; never loop
    visiting.add(score.id);
    const parts = score.from.flatMap((source): Weighted[] => {
      let id: string;
      let value: number | undefined;
      const through = source.through === undefined ? undefined : maps.get(source.through);
      if (source.through !== undefined && !through) return []; // a map the validator refuses; no made-up reading
      if ('itemsOf' in source) {
        // Each of the domain's items a part of its own, as scored or read through the map.
        const domain = domainsById.get(source.itemsOf);
        return (domain?.items ?? []).flatMap((item) =>
          scored(item.id, through ? itemThrough(item.id, domain, through) : sheet.items.get(item.id)),
        );
      }
      if ('domain' in source)
        [id, value] = [
          source.domain,
          through ? domainThrough(domainsById.get(source.domain), through) : sheet.domains.get(source.domain),
        ];
      else if ('item' in source)
        [id, value] = [
          source.item,
          through ? itemThrough(source.item, domainOfItem.get(source.item), through) : sheet.items.get(source.item),
        ];
      else if ('context' in source) {
        const answer = contextNumber(source.context);
        [id, value] = [source.context, answer === undefined ? undefined : mapValue(through, answer)];
      } else {
        const other = named.get(source.score);
        const result = other ? evaluate(other, visiting) : undefined;
        [id, value] = [source.score, result === undefined ? undefined : mapValue(through, result)];
      }
      return value === undefined ? [] : [{ id, value }];
    });
    const value = applyRule(score, parts, maps);
    if (value !== undefined) sheet.scores.set(score.id, value);
    return value;
  };
  for (const score of named.values()) evaluate(score, new Set());
  return sheet;
}

/** The repetitions with any answer (at least one when the section has answers at all). */
function cyclesAnswered(domain: Domain, responses: ReadonlyMap<string, ResponseContent>): number {
  const ids = new Set(flattenItems(domain.items).map((i) => i.id));
  let highest = 0;
  for (const key of responses.keys()) {
    const hash = key.indexOf('#');
    if (hash !== -1 && ids.has(key.slice(0, hash))) highest = Math.max(highest, Number(key.slice(hash + 1)) || 0);
  }
  return highest;
}

interface ItemContext {
  scales: ReadonlyMap<string, Scale>;
  maps: ReadonlyMap<string, ScoringMap>;
  byId: ReadonlyMap<string, Item>;
  scoreOf: (item: Item) => number | undefined;
  responseOf: (itemId: string) => ResponseContent | undefined;
  contextNumber: (id: string) => number | undefined;
}

type SnapshotItem = Item & { response: Extract<Item['response'], { type: 'snapshot' }> };

/**
 * One part per recorded snapshot (of those `among` admits): 1/0 for a `match` or for "one of `in`", else the field's
 * number (turned round when reverse-keyed), divided by the number `per` names (a snapshot without it counts not).
 */
function snapshotParts(
  source: SnapshotScoreSource,
  item: Item | undefined,
  response: ResponseContent | undefined,
  context: Pick<ItemContext, 'scales' | 'contextNumber'>,
): Weighted[] {
  if (item?.response.type !== 'snapshot') return [];
  const snapshot = item as SnapshotItem;
  return Object.entries(response?.snapshots ?? {}).flatMap(([moment, values]): Weighted[] => {
    // A snapshot that did not record what a match reads says nothing about it: it is left out, not counted as 0.
    if (source.among && matchHolds(source.among, values, snapshot) !== true) return [];
    if (source.match) {
      const holds = matchHolds(source.match, values, snapshot);
      return holds === undefined ? [] : [{ id: moment, value: holds ? 1 : 0 }];
    }
    if (source.field === undefined) return [];
    if (source.in) {
      const given = fieldAnswers(snapshot, source.field, values);
      if (given.length === 0) return [];
      return [{ id: moment, value: given.some((v) => source.in!.includes(v)) ? 1 : 0 }];
    }
    const value = fieldNumber(snapshot, source.field, values, context.scales);
    if (value === undefined) return [];
    if (!source.per) return [{ id: moment, value }];
    const per =
      'field' in source.per
        ? fieldNumber(snapshot, source.per.field, values, context.scales)
        : context.contextNumber(source.per.context);
    return per === undefined || per === 0 ? [] : [{ id: moment, value: value / per }];
  });
}

/** What a snapshot's field holds, as a condition reads it: its value(s), and for a counter also its band's id. */
function fieldAnswers(item: SnapshotItem, fieldId: string, values: SnapshotValues): Array<string | number> {
  const field = item.response.fields.find((f) => f.id === fieldId);
  const value = values[fieldId];
  if (!field || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return [];
  const given: Array<string | number> = Array.isArray(value) ? [...value] : [value];
  const bands = field.response.type === 'counter' ? (field.response.bands ?? []) : [];
  const band =
    typeof value === 'number'
      ? bands.find((b) => value >= b.min && (b.max === undefined || value <= b.max))
      : undefined;
  return band ? [...given, band.id] : given;
}

/** A snapshot field's number: a count, or a rating turned round when the field is reverse-keyed. */
function fieldNumber(
  item: SnapshotItem,
  fieldId: string,
  values: SnapshotValues,
  scales: ReadonlyMap<string, Scale>,
): number | undefined {
  const field = item.response.fields.find((f) => f.id === fieldId);
  const value = values[fieldId];
  if (!field || typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const scale = field.response.type === 'rating' ? scales.get(field.response.scale) : undefined;
  return field.reverse && scale ? reversed(scale, value) : value;
}

/**
 * Whether one snapshot's fields hold what a match asks: an answer among these, a number within bounds, all / any of
 * these. Undefined when the snapshot did not record a field the match needs to decide.
 */
function matchHolds(match: SnapshotMatch, values: SnapshotValues, item: SnapshotItem): boolean | undefined {
  if ('all' in match || 'any' in match) {
    const parts = ('all' in match ? match.all : match.any).map((part) => matchHolds(part, values, item));
    const decisive = 'all' in match ? false : true;
    if (parts.includes(decisive)) return decisive;
    return parts.includes(undefined) ? undefined : !decisive;
  }
  if ('in' in match) {
    const given = fieldAnswers(item, match.field, values);
    return given.length === 0 ? undefined : given.some((v) => match.in.includes(v));
  }
  const value = values[match.field];
  if (typeof value !== 'number') return undefined;
  return (
    (match.atLeast === undefined || value >= match.atLeast) && (match.atMost === undefined || value <= match.atMost)
  );
}

/** The level the observer chose for a score they may set otherwise (format 3); undefined when they kept it. */
function overriddenLevel(
  item: Item,
  response: ResponseContent | undefined,
  scales: ReadonlyMap<string, Scale>,
): number | undefined {
  if (item.response.type !== 'score' || !item.response.overridable || typeof response?.rating !== 'number')
    return undefined;
  const scale = item.response.scale === undefined ? undefined : scales.get(item.response.scale);
  return scale?.levels.some((level) => level.value === response.rating) ? response.rating : undefined;
}

/** An item's value before its own scoring map: a rating's level (turned round when reverse-keyed). */
function rawValue(
  item: Item,
  response: ResponseContent | undefined,
  scales: ReadonlyMap<string, Scale>,
): number | undefined {
  if (item.response.type !== 'rating' || typeof response?.rating !== 'number') return undefined;
  const scale = scales.get(item.response.scale);
  if (!scale) return undefined;
  return item.reverse ? reversed(scale, response.rating) : response.rating;
}

function itemScore(item: Item, response: ResponseContent | undefined, context: ItemContext): number | undefined {
  const r = item.response;
  switch (r.type) {
    case 'rating': {
      if (typeof response?.rating !== 'number') return undefined;
      const scale = context.scales.get(r.scale);
      if (!scale) return undefined;
      const value = item.reverse ? reversed(scale, response.rating) : response.rating;
      const mapId = r.scoring ?? scale.scoring;
      return mapId ? mapValue(context.maps.get(mapId), value) : value;
    }
    case 'yes-no':
      return response?.answer === 'yes' ? 1 : response?.answer === 'no' ? 0 : undefined;
    case 'counter':
      return response?.count;
    case 'score': {
      let parts: Weighted[];
      if (r.from === 'children') {
        parts = (item.children ?? []).flatMap((child) => scored(child.id, context.scoreOf(child)));
      } else if (r.from === 'lookFors') {
        const seen = new Set(response?.lookFors ?? []);
        const notSeen = new Set(response?.notSeen ?? []);
        const tick = item.lookForAnswer !== 'seen-not-seen';
        // A tick list scores nothing until something is ticked: an untouched list was not looked at.
        if (tick && seen.size === 0) return undefined;
        parts = (item.lookFors ?? []).flatMap((l) =>
          seen.has(l.id) ? [{ id: l.id, value: 1 }] : tick || notSeen.has(l.id) ? [{ id: l.id, value: 0 }] : [],
        );
      } else if ('snapshot' in r.from) {
        parts = snapshotParts(r.from, context.byId.get(r.from.snapshot), context.responseOf(r.from.snapshot), context);
      } else {
        parts = r.from.items.flatMap((id) => {
          const other = context.byId.get(id);
          return other ? scored(id, context.scoreOf(other)) : [];
        });
      }
      const value = applyRule(r, parts, context.maps);
      if (value === undefined || !r.scale) return value;
      const scale = context.scales.get(r.scale);
      return scale ? nearestLevel(scale, value) : value;
    }
    default:
      return undefined;
  }
}

const scored = (id: string, value: number | undefined): Weighted[] => (value === undefined ? [] : [{ id, value }]);

function reversed(scale: Scale, value: number): number {
  const values = scale.levels.map((l) => l.value);
  return Math.min(...values) + Math.max(...values) - value;
}

/** The level nearest to a score; exactly between two levels, the higher one (as 2.5 rounds to 3). */
function nearestLevel(scale: Scale, value: number): number {
  let best = scale.levels[0]!.value;
  for (const level of scale.levels) if (Math.abs(level.value - value) <= Math.abs(best - value)) best = level.value;
  return best;
}

/** Combines parts by the rule, then maps the result. Undefined when there is nothing to combine. */
function applyRule(
  rule: ScoreRule,
  parts: readonly Weighted[],
  maps: ReadonlyMap<string, ScoringMap>,
): number | undefined {
  if (parts.length < (rule.minParts ?? 1)) return undefined;
  const value = combineRule(rule, parts);
  if (value === undefined || !rule.map) return value;
  return mapValue(maps.get(rule.map), value);
}

/**
 * Combines parts by a rule's method. A ratio is its first part divided by its second, and has no score when either is
 * missing (so `parts` must hold both) or the second is 0. A pattern gives the score of its first case whose counts
 * all hold, and none when no case does.
 */
function combineRule(
  rule: Pick<ScoreRule, 'method' | 'weights' | 'patterns'>,
  parts: readonly Weighted[],
): number | undefined {
  if (rule.method === 'ratio') {
    if (parts.length !== 2 || parts[1]!.value === 0) return undefined;
    return parts[0]!.value / parts[1]!.value;
  }
  if (rule.method === 'pattern') {
    if (parts.length === 0) return undefined;
    return rule.patterns?.find((pattern) => pattern.when.every((count) => countHolds(count, parts)))?.score;
  }
  return combineValues(rule.method, parts, rule.weights);
}

function countHolds(count: PartCount, parts: readonly Weighted[]): boolean {
  const inRange = parts.filter((p) => p.value >= count.min && p.value <= count.max).length;
  const x = count.share ? inRange / parts.length : inRange;
  return (
    (count.atLeast === undefined || x >= count.atLeast) &&
    (count.atMost === undefined || x <= count.atMost) &&
    (count.moreThan === undefined || x > count.moreThan) &&
    (count.lessThan === undefined || x < count.lessThan)
  );
}

/** The band a score falls in (`bands` of its rule): the first whose range holds it. */
export function scoreBand(rule: Pick<ScoreRule, 'bands'>, value: number): ScoreBand | undefined {
  return rule.bands?.find(
    (band) => value >= band.min && (band.below !== undefined ? value < band.below : value <= (band.max ?? band.min)),
  );
}

export function combineValues(
  method: Exclude<ScoreMethod, 'ratio' | 'pattern'>,
  parts: readonly Weighted[],
  weights?: Readonly<Record<string, number>>,
): number | undefined {
  if (parts.length === 0) return undefined;
  const values = parts.map((p) => p.value);
  switch (method) {
    case 'mean': {
      const w = parts.map((p) => weights?.[p.id] ?? 1);
      const total = w.reduce((a, b) => a + b, 0);
      return parts.reduce((sum, p, i) => sum + p.value * w[i]!, 0) / total;
    }
    case 'sum':
      return parts.reduce((sum, p) => sum + p.value * (weights?.[p.id] ?? 1), 0);
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'median': {
      const sorted = [...values].sort((a, b) => a - b);
      const middle = Math.floor(sorted.length / 2);
      return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
    }
    case 'mode': {
      // The most frequent value; on a tie the lowest of them, so the score never flatters.
      const counts = new Map<number, number>();
      for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
      const most = Math.max(...counts.values());
      return Math.min(...[...counts].filter(([, c]) => c === most).map(([v]) => v));
    }
  }
}

/** The score a map gives a value: the first entry whose range holds it; undefined when none does. */
export function mapValue(map: ScoringMap | undefined, value: number): number | undefined {
  if (!map) return value;
  return map.entries.find(
    (entry) =>
      value >= entry.min && (entry.below !== undefined ? value < entry.below : value <= (entry.max ?? entry.min)),
  )?.score;
}

/** Number formats by language, kind and decimals: made once, since making one costs far more than using it. */
const numberFormats = new Map<string, Intl.NumberFormat>();

/** A score as shown: rounded to the rule's decimals (default 1 for a mean or median, 0 otherwise), or as a percentage. */
export function formatScore(
  value: number,
  rule: Pick<ScoreRule, 'method' | 'decimals' | 'percent'>,
  language = 'nl',
): string {
  const percent = !!rule.percent;
  const decimals = rule.decimals ?? (percent ? 0 : rule.method === 'mean' || rule.method === 'median' ? 1 : 0);
  const key = `${language}|${percent}|${decimals}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(language, {
      ...(percent ? { style: 'percent' as const } : {}),
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    });
    numberFormats.set(key, format);
  }
  return format.format(value);
}
