/**
 * The range a score can take, when the file says it: from the levels of the scale its parts are rated on, a scoring
 * map's scores, yes/no as 0 to 1, a counter's bounds, a pattern's scores. The validator reads it to refuse what a
 * score can never reach (a band, a rule's bound), the editor to hint at the bounds a rule may use. A sum or a ratio
 * has none here; a percentage is the share it shows (0 to 1 underneath, as bands and rules read it).
 */
import type { DerivedScore, Domain, Instrument, Item, ScoreRule } from './types';
import { flattenItems } from './localize';

export type Range = { min: number; max: number };
/** What has a score: a named score, a section's, an item's (a rating, a count, a score item). */
export type RangeSubject = 'score' | 'domain' | 'item';

const isScored = (item: Item): boolean => ['rating', 'yes-no', 'counter', 'score'].includes(item.response?.type);

/**
 * The range of a score (`score`: a named one; `domain`: a section's; `item`: an item's), or undefined when it
 * cannot be known from the file. `shown`: the range as the score is shown, so a percentage has none (its 0–1
 * underneath is 0–100 % on screen).
 */
export function scoreRange(
  instrument: Instrument,
  subject: RangeSubject,
  id: string,
  options: { shown?: boolean } = {},
): Range | undefined {
  return scoreRanges(instrument, options)(subject, id);
}

/** `scoreRange` for many scores of one instrument: what it looks names up in is gathered once. */
export function scoreRanges(
  instrument: Instrument,
  options: { shown?: boolean } = {},
): (subject: RangeSubject, id: string) => Range | undefined {
  const maps = new Map((instrument.scoringMaps ?? []).map((map) => [map.id, map]));
  const scales = new Map(instrument.scales.map((scale) => [scale.id, scale]));
  const items = new Map(instrument.domains.flatMap((domain) => flattenItems(domain.items ?? [])).map((i) => [i.id, i]));
  const domains = new Map(instrument.domains.map((domain) => [domain.id, domain]));
  const scores = new Map((instrument.scores ?? []).map((score) => [score.id, score]));
  type Known = Range | undefined;
  const span = (values: number[]): Known =>
    values.length > 0 ? { min: Math.min(...values), max: Math.max(...values) } : undefined;
  const ofMap = (mapId: string | undefined): Known =>
    mapId === undefined ? undefined : span((maps.get(mapId)?.entries ?? []).map((entry) => entry.score));
  const ofScale = (scaleId: string | undefined): Known =>
    span((scaleId === undefined ? undefined : scales.get(scaleId))?.levels.map((level) => level.value) ?? []);
  const visiting = new Set<string>();
  /** The parts combined: every one's range must be known (none unknown), and the result spans them all. */
  const combined = (rule: ScoreRule, parts: Known[]): Known => {
    if (rule.map !== undefined) return ofMap(rule.map);
    if (rule.percent && options.shown) return undefined;
    if (rule.method === 'pattern') return span((rule.patterns ?? []).map((pattern) => pattern.score));
    if (!['mean', 'median', 'min', 'max', 'mode'].includes(rule.method)) return undefined;
    if (parts.length === 0 || parts.some((part) => part === undefined)) return undefined;
    return span(parts.flatMap((part) => [part!.min, part!.max]));
  };
  const ofItem = (item: Item | undefined): Known => {
    const response = item?.response;
    switch (response?.type) {
      case 'rating':
        return ofMap(response.scoring ?? scales.get(response.scale)?.scoring) ?? ofScale(response.scale);
      case 'yes-no':
        return { min: 0, max: 1 };
      case 'counter':
        return response.min !== undefined && response.max !== undefined
          ? { min: response.min, max: response.max }
          : undefined;
      case 'score': {
        if (response.scale !== undefined) return ofScale(response.scale);
        if (visiting.has(item!.id)) return undefined;
        visiting.add(item!.id);
        const from = response.from;
        // A snapshot counted by what it holds (`in`, `match`) is 1 or 0 each time: a share, from 0 to 1 (divided by
        // a number, or read as the field's own values, it is left unknown).
        if (typeof from === 'object' && 'snapshot' in from) {
          visiting.delete(item!.id);
          const counted = (from.in !== undefined || from.match !== undefined) && from.per === undefined;
          return counted ? combined(response, [{ min: 0, max: 1 }]) : undefined;
        }
        // Look-fors count 1 when seen and 0 when not.
        const parts =
          from === 'children'
            ? (item!.children ?? []).filter(isScored).map(ofItem)
            : from === 'lookFors'
              ? (item!.lookFors ?? []).map(() => ({ min: 0, max: 1 }))
              : 'items' in from
                ? from.items.map((other) => ofItem(items.get(other)))
                : [undefined];
        visiting.delete(item!.id);
        return combined(response, parts);
      }
      default:
        return undefined;
    }
  };
  const ofDomain = (domain: Domain | undefined): Known =>
    domain?.score ? combined(domain.score, domain.items.filter(isScored).map(ofItem)) : undefined;
  const ofScore = (score: DerivedScore | undefined): Known => {
    if (!score || visiting.has(`score:${score.id}`)) return undefined;
    visiting.add(`score:${score.id}`);
    const parts = score.from.flatMap((source): Known[] => {
      if (source.through !== undefined) return [ofMap(source.through)];
      if ('domain' in source) return [ofDomain(domains.get(source.domain))];
      if ('item' in source) return [ofItem(items.get(source.item))];
      if ('score' in source) return [ofScore(scores.get(source.score))];
      if ('itemsOf' in source) return (domains.get(source.itemsOf)?.items ?? []).filter(isScored).map(ofItem);
      return [undefined];
    });
    visiting.delete(`score:${score.id}`);
    return combined(score, parts);
  };
  return (subject, id) =>
    subject === 'domain'
      ? ofDomain(domains.get(id))
      : subject === 'item'
        ? ofItem(items.get(id))
        : ofScore(scores.get(id));
}
