/**
 * Plain-language descriptions of instrument parts for the preview, in the current UI language. Instrument texts
 * come from the instrument itself (in its languages); the connecting words come from the message catalogue.
 */
import {
  allItems,
  localize,
  type Condition,
  type Instrument,
  type Item,
  type LocalizedText,
  type Response,
  type Rule,
  type Scale,
  type ScaleBand,
  type ScaleLevel,
  type ScoreRule,
  type ScoreSource,
  type ScoringMapEntry,
  type SnapshotField,
  type SnapshotMatch,
  type SnapshotScoreSource,
} from '../../core/instrument';
import { DEFAULT_LESSON_MINUTES, snapshotMinutes } from '../../core/observation/snapshots';
import { formatScore } from '../../core/instrument/scoring';
import { targetItems } from '../../core/observation/rules';
import { formatDate, formatList, formatNumber, locale, t, tn } from '../i18n/locale.svelte';
import type { ItemResponse, RatingValue } from '../../core/model/records';

export function text(instrument: Instrument, value: Parameters<typeof localize>[0]): string {
  return localize(value, locale.current, instrument.languages[0]);
}

function scaleRange(scale: Scale): string {
  const values = scale.levels.map((level) => level.value);
  return `${Math.min(...values)}–${Math.max(...values)}`;
}

/** `repeatMinutes`: the length of one repetition when the item sits in a repeated section that has one. */
export function describeResponse(instrument: Instrument, response: Response, repeatMinutes?: number): string {
  switch (response.type) {
    case 'rating': {
      const scale = instrument.scales.find((s) => s.id === response.scale);
      return t('response.rating', {
        scale: scale ? `${text(instrument, scale.label)} (${scaleRange(scale)})` : response.scale,
      });
    }
    case 'checklist':
      return t('response.checklist');
    case 'yes-no':
      return t(response.allowNotObserved ? 'response.yes-no.notObserved' : 'response.yes-no');
    case 'choice': {
      const options = formatList(response.options.map((o) => text(instrument, o.label)));
      return t(response.multiple ? 'response.choice.multiple' : 'response.choice', { options });
    }
    case 'counter': {
      const base =
        response.min !== undefined && response.max !== undefined
          ? t('response.counter.range', { min: response.min, max: response.max })
          : t('response.counter');
      if (!response.bands) return base;
      const bands = response.bands.map(
        (b) =>
          `${text(instrument, b.label)} (${b.max === undefined ? `${b.min}+` : b.min === b.max ? b.min : `${b.min}–${b.max}`})`,
      );
      return `${base}. ${t('response.bands', { bands: formatList(bands) })}`;
    }
    case 'snapshot': {
      if ('equalParts' in response.schedule) {
        // Where the parts fall depends on the actual lesson: an example at the instrument's own length; in a
        // repeated section with a length, one repetition is divided, from its start.
        const lesson = repeatMinutes ?? instrument.lessonMinutes ?? DEFAULT_LESSON_MINUTES;
        const at = formatList(snapshotMinutes(response.schedule, lesson).map((minute) => formatNumber(minute)));
        const example =
          repeatMinutes === undefined ? 'response.snapshot.partsExample' : 'response.snapshot.partsInRepeat';
        return `${t('response.snapshot.parts', { parts: response.schedule.equalParts })} ${t(example, { lesson, minutes: at })}`;
      }
      const minutes = snapshotMinutes(response.schedule);
      return t('response.snapshot', { minutes: formatList(minutes.map(String)) });
    }
    case 'text':
      if (response.repeatable) return t('response.text.list');
      return response.maxLength ? t('response.text.max', { max: response.maxLength }) : t('response.text');
    case 'date':
      return t('response.date');
    case 'time':
      return t('response.time');
    case 'score':
      return t('response.score');
  }
}

/** A rule's condition in words: "“Instruction” is answered with: no", joined with and / or. */
export function describeCondition(instrument: Instrument, condition: Condition): string {
  if ('all' in condition) return condition.all.map((c) => describeCondition(instrument, c)).join(` ${t('rule.and')} `);
  if ('any' in condition) return condition.any.map((c) => describeCondition(instrument, c)).join(` ${t('rule.or')} `);
  if ('count' in condition) {
    const parts = formatList(condition.count.map((c) => describeCondition(instrument, c)));
    return t('rule.count', { atLeast: condition.atLeast ?? 0, parts });
  }
  if ('score' in condition || 'domain' in condition) {
    // A score as worked out so far (format 3): "the score “Total”", "the domain score of “Climate”", with its bounds.
    const score =
      'score' in condition
        ? t('rule.score', {
            name: text(instrument, instrument.scores?.find((s) => s.id === condition.score)?.label) || condition.score,
          })
        : t('rule.domainScore', {
            name:
              text(instrument, instrument.domains.find((d) => d.id === condition.domain)?.title) || condition.domain,
          });
    const { atLeast, atMost } = condition;
    if (atLeast !== undefined && atMost === undefined)
      return t('rule.scoreAtLeast', { score, atLeast: formatNumber(atLeast) });
    if (atMost !== undefined && atLeast === undefined)
      return t('rule.scoreAtMost', { score, atMost: formatNumber(atMost) });
    return t('rule.scoreBetween', {
      score,
      atLeast: atLeast === undefined ? '…' : formatNumber(atLeast),
      atMost: atMost === undefined ? '…' : formatNumber(atMost),
    });
  }
  const item = allItems(instrument).find((candidate) => candidate.id === condition.item);
  const name = item ? text(instrument, item.text) : condition.item;
  if ('in' in condition) {
    const answers = formatList(
      condition.in.map((answer) => (item ? describeAnswer(instrument, item, answer) : String(answer))),
    );
    return t('rule.answered', { item: name, answers });
  }
  return t('rule.range', { item: name, atLeast: condition.atLeast ?? '…', atMost: condition.atMost ?? '…' });
}

/** "nee", "1 – Onvoldoende", an option's label: how a rule's trigger answer reads to a person. */
export function describeAnswer(instrument: Instrument, item: Item, answer: string | number): string {
  if (answer === 'not-observed') return t('answer.not-observed');
  const response = item.response;
  if (response.type === 'yes-no' && (answer === 'yes' || answer === 'no')) return t(`answer.${answer}`);
  if (response.type === 'choice') {
    const option = response.options.find((o) => o.id === answer);
    if (option) return text(instrument, option.label);
  }
  if (response.type === 'rating') {
    const level = instrument.scales.find((s) => s.id === response.scale)?.levels.find((l) => l.value === answer);
    if (level) return `${level.value} – ${text(instrument, level.label)}`;
  }
  // A value between levels (repetitions combined): as a number in the current language.
  return typeof answer === 'number' ? formatNumber(answer) : String(answer);
}

export type RuleEffectKind = 'notApplicable' | 'show' | 'require';

/** For each item id, the rules that act on it and how (not applicable, shown, required); a section's on its items. */
export function rulesByTarget(instrument: Instrument): Map<string, Array<{ rule: Rule; effect: RuleEffectKind }>> {
  const map = new Map<string, Array<{ rule: Rule; effect: RuleEffectKind }>>();
  for (const rule of instrument.rules) {
    for (const effect of ['notApplicable', 'show', 'require'] as const) {
      for (const id of (rule.then[effect] ?? []).flatMap((target) => targetItems(target, instrument)))
        map.set(id, [...(map.get(id) ?? []), { rule, effect }]);
    }
  }
  return map;
}

type GivenAnswer = Pick<ItemResponse, 'rating' | 'answer' | 'choice' | 'count' | 'text' | 'snapshots' | 'entries'>;

/** What was answered on an item, in words ("3 – Goed", "ja", "4 (betrokkenheid gemiddeld)"); undefined when nothing. */
export function describeGiven(
  instrument: Instrument,
  item: Item,
  response: GivenAnswer | undefined,
): string | undefined {
  if (!response) return undefined;
  switch (item.response.type) {
    case 'rating':
      return response.rating !== undefined ? describeAnswer(instrument, item, response.rating) : undefined;
    case 'yes-no':
      return response.answer !== undefined ? describeAnswer(instrument, item, response.answer) : undefined;
    case 'choice':
      return response.choice?.length
        ? formatList(response.choice.map((id) => describeAnswer(instrument, item, id)))
        : undefined;
    case 'counter': {
      if (response.count === undefined) return undefined;
      const count = response.count;
      const band = item.response.bands?.find((b) => count >= b.min && (b.max === undefined || count <= b.max));
      return band ? `${count} (${text(instrument, band.label)})` : String(count);
    }
    case 'snapshot': {
      const taken = Object.keys(response.snapshots ?? {}).length;
      return taken > 0 ? tn('summary.snapshots', taken) : undefined;
    }
    case 'text':
      return item.response.repeatable
        ? response.entries?.length
          ? formatList(response.entries)
          : undefined
        : response.text;
    case 'date':
      return response.text ? formatIsoDate(response.text) : undefined;
    case 'time':
      return response.text;
    case 'checklist':
    case 'score':
      return undefined;
  }
}

/** The band of a scale (format 2) a level value falls in. */
export function bandOf(scale: Scale | undefined, value: number): ScaleBand | undefined {
  return scale?.bands?.find((band) => value >= band.min && value <= band.max);
}

/**
 * What one level of a scale means, in this order: a descriptor given for the level itself (`own`, an item's or a
 * snapshot field's descriptors), one given for the band the level falls in (`own` keyed by a band id), the scale
 * level's own descriptor, the scale band's descriptor. `fallback: false` reads only `own`.
 */
function descriptorFor(
  instrument: Instrument,
  scale: Scale | undefined,
  own: Readonly<Record<string, LocalizedText>> | undefined,
  value: number,
  fallback = true,
): string | undefined {
  const band = bandOf(scale, value);
  const found =
    own?.[String(value)] ??
    (band ? own?.[band.id] : undefined) ??
    (fallback ? (scale?.levels.find((l) => l.value === value)?.descriptor ?? band?.descriptor) : undefined);
  return found ? text(instrument, found) : undefined;
}

export interface LevelDescriptor {
  level: ScaleLevel;
  band?: ScaleBand;
  descriptor: string;
}

/**
 * Each level of a scale with what it means (see `descriptorFor`), for a list beside the rating buttons or in the
 * preview: a descriptor written once for a band shows at each of its levels. Levels without one are left out.
 */
export function levelDescriptors(
  instrument: Instrument,
  scale: Scale,
  own: Readonly<Record<string, LocalizedText>> | undefined,
  fallback = false,
): LevelDescriptor[] {
  return scale.levels.flatMap((level) => {
    const descriptor = descriptorFor(instrument, scale, own, level.value, fallback);
    const band = bandOf(scale, level.value);
    return descriptor ? [{ level, descriptor, ...(band ? { band } : {}) }] : [];
  });
}

/**
 * What a level means for this item: the item's own descriptor (by level or band), else the scale's. For a rating,
 * the level given; for a score read on a scale (format 2), the level it worked out to.
 */
export function levelDescriptor(
  instrument: Instrument,
  item: Item,
  value: RatingValue | undefined,
): string | undefined {
  if (typeof value !== 'number') return undefined;
  const scaleId =
    item.response.type === 'rating'
      ? item.response.scale
      : item.response.type === 'score'
        ? item.response.scale
        : undefined;
  if (scaleId === undefined) return undefined;
  return descriptorFor(
    instrument,
    instrument.scales.find((s) => s.id === scaleId),
    item.descriptors,
    value,
  );
}

/** A score as shown (format 2): rounded as its rule says, and for a score read on a scale with the level's label. */
export function scoreText(instrument: Instrument, item: Item, value: number | undefined): string | undefined {
  if (value === undefined || item.response.type !== 'score') return undefined;
  const shown = formatScore(value, item.response, locale.intl);
  const scaleId = item.response.scale;
  const level = scaleId
    ? instrument.scales.find((s) => s.id === scaleId)?.levels.find((l) => l.value === value)
    : undefined;
  return level ? `${shown} – ${text(instrument, level.label)}` : shown;
}

/**
 * What a score combines, by name: a domain's title, an item's text, another score's label, a question about the
 * lesson; read through a map, it says so.
 */
export function describeSource(instrument: Instrument, source: ScoreSource): string {
  const part = sourceName(instrument, source);
  return source.through === undefined
    ? part
    : t('score.through', { part, map: describeMap(instrument, source.through) });
}

function sourceName(instrument: Instrument, source: ScoreSource): string {
  if ('domain' in source)
    return text(instrument, instrument.domains.find((d) => d.id === source.domain)?.title) || source.domain;
  if ('item' in source)
    return text(instrument, allItems(instrument).find((i) => i.id === source.item)?.text) || source.item;
  if ('context' in source) return contextName(instrument, source.context);
  if ('itemsOf' in source)
    return t('score.itemsOf', {
      domain: text(instrument, instrument.domains.find((d) => d.id === source.itemsOf)?.title) || source.itemsOf,
    });
  return text(instrument, instrument.scores?.find((s) => s.id === source.score)?.label) || source.score;
}

const contextName = (instrument: Instrument, id: string): string =>
  t('score.fromContext', { field: text(instrument, instrument.context.find((c) => c.id === id)?.label) || id });

/**
 * How a score is worked out, in words: "mean of Klimaat and Instructie, weighted, mapped with …". `parts` names
 * what it combines; without them the method alone.
 */
export function describeScore(instrument: Instrument, rule: ScoreRule, parts: string[] = []): string {
  const method = t(`score.method.${rule.method}`);
  const words = [
    rule.method === 'ratio' && parts.length === 2
      ? t('score.ratio', { first: parts[0]!, second: parts[1]! })
      : parts.length > 0
        ? t('score.of', { method, parts: formatList(parts) })
        : method,
  ];
  if (rule.method === 'pattern') words.push(t('score.patterns', { count: rule.patterns?.length ?? 0 }));
  if (rule.weights && Object.keys(rule.weights).length > 0) {
    const weights = Object.entries(rule.weights).map(
      ([id, weight]) =>
        `${describeWeighted(instrument, id)} × ${formatNumber(weight, Number.isInteger(weight) ? 0 : undefined)}`,
    );
    words.push(t('score.weighted', { weights: formatList(weights) }));
  }
  if (rule.map) words.push(t('score.mapped', { map: describeMap(instrument, rule.map) }));
  if (rule.minParts !== undefined) words.push(t('score.minParts', { count: rule.minParts }));
  if (rule.percent) words.push(t('score.percent'));
  if (rule.bands && rule.bands.length > 0)
    words.push(t('score.bands', { bands: formatList(rule.bands.map((band) => text(instrument, band.label))) }));
  return words.join('; ');
}

/** What a score item (format 2) combines. */
export function describeScoreItem(instrument: Instrument, item: Item): string {
  const response = item.response;
  if (response.type !== 'score') return '';
  const from = response.from;
  const parts =
    from === 'children'
      ? [t('score.fromChildren')]
      : from === 'lookFors'
        ? [t(response.method === 'sum' ? 'score.fromLookForsCount' : 'score.fromLookFors')]
        : 'items' in from
          ? from.items.map((id) => describeSource(instrument, { item: id }))
          : [describeSnapshotSource(instrument, from)];
  const scale = response.scale ? instrument.scales.find((s) => s.id === response.scale) : undefined;
  const described = describeScore(instrument, response, parts);
  const onScale = scale ? `${described}; ${t('score.onScale', { scale: text(instrument, scale.label) })}` : described;
  return response.overridable ? `${onScale}; ${t('score.overridable')}` : onScale;
}

/** A scoring map in words: its label, else its entries ("1–2 → 0, 3–4 → 1"). */
export function describeMap(instrument: Instrument, id: string): string {
  const map = instrument.scoringMaps?.find((m) => m.id === id);
  if (!map) return id;
  const range = (e: ScoringMapEntry) =>
    e.below !== undefined
      ? t('score.until', {
          min: formatNumber(e.min, decimalsOf(e.min)),
          below: formatNumber(e.below, decimalsOf(e.below)),
        })
      : e.max === undefined || e.max === e.min
        ? formatNumber(e.min, decimalsOf(e.min))
        : `${formatNumber(e.min, decimalsOf(e.min))}–${formatNumber(e.max, decimalsOf(e.max))}`;
  const entries = map.entries.map((e) => `${range(e)} → ${formatNumber(e.score, decimalsOf(e.score))}`).join(', ');
  return map.label ? `${text(instrument, map.label)} (${entries})` : entries;
}

function describeWeighted(instrument: Instrument, id: string): string {
  if (instrument.domains.some((d) => d.id === id)) return describeSource(instrument, { domain: id });
  if (instrument.scores?.some((s) => s.id === id)) return describeSource(instrument, { score: id });
  return describeSource(instrument, { item: id });
}

/** An ISO date (YYYY-MM-DD) as a date in the current language; anything else as it is. */
export function formatIsoDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? value : formatDate(date, { dateStyle: 'long' });
}

/** As many decimals as a number in an instrument file has (up to four): 0,25 stays 0,25. */
function decimalsOf(value: number): number {
  for (let places = 0; places < 4; places++)
    if (Number.isInteger(Math.round(value * 10 ** places * 1e6) / 1e6)) return places;
  return 4;
}

/**
 * A score from a snapshot, in words: the share of snapshots with these values (or matching several fields), or the
 * field's mean; of which snapshots, and divided by what.
 */
function describeSnapshotSource(instrument: Instrument, source: SnapshotScoreSource): string {
  const item = allItems(instrument).find((i) => i.id === source.snapshot);
  const fields = item?.response.type === 'snapshot' ? item.response.fields : [];
  const fieldOf = (id: string) => fields.find((f) => f.id === id);
  const nameOf = (id: string) => text(instrument, fieldOf(id)?.label) || id;
  const words: string[] = [];
  if (source.match)
    words.push(t('score.fromSnapshotMatch', { match: describeMatch(instrument, source.match, fieldOf) }));
  else if (source.field !== undefined && source.in)
    words.push(
      t('score.fromSnapshotShare', {
        field: nameOf(source.field),
        values: answersIn(instrument, fieldOf(source.field), source.in),
      }),
    );
  else if (source.field !== undefined) words.push(t('score.fromSnapshotField', { field: nameOf(source.field) }));
  if (source.among) words.push(t('score.among', { match: describeMatch(instrument, source.among, fieldOf) }));
  if (source.per)
    words.push(
      t('score.per', {
        per: 'field' in source.per ? `"${nameOf(source.per.field)}"` : contextName(instrument, source.per.context),
      }),
    );
  return words.join(', ');
}

type SnapshotFieldOf = (id: string) => SnapshotField | undefined;

/** The conditions on a snapshot item's fields (a score's `match` or `among`) in words, as the report says them. */
export function describeSnapshotMatch(instrument: Instrument, snapshot: string, match: SnapshotMatch): string {
  const item = allItems(instrument).find((i) => i.id === snapshot);
  const fields = item?.response.type === 'snapshot' ? item.response.fields : [];
  return describeMatch(instrument, match, (id) => fields.find((f) => f.id === id));
}

/** A snapshot match in words: "“Activiteit” is instructie en “Groepering” is hele groep". */
function describeMatch(instrument: Instrument, match: SnapshotMatch, fieldOf: SnapshotFieldOf): string {
  if ('all' in match)
    return match.all.map((part) => describeMatch(instrument, part, fieldOf)).join(` ${t('rule.and')} `);
  if ('any' in match)
    return match.any.map((part) => describeMatch(instrument, part, fieldOf)).join(` ${t('rule.or')} `);
  const field = fieldOf(match.field);
  const name = text(instrument, field?.label) || match.field;
  if ('in' in match) return `"${name}" ${answersIn(instrument, field, match.in)}`;
  return t('score.matchRange', {
    field: name,
    atLeast: match.atLeast === undefined ? '…' : formatNumber(match.atLeast, decimalsOf(match.atLeast)),
    atMost: match.atMost === undefined ? '…' : formatNumber(match.atMost, decimalsOf(match.atMost)),
  });
}

/** The answers a snapshot field is tested for, by their labels, as "a or b". */
function answersIn(instrument: Instrument, field: SnapshotField | undefined, answers: Array<string | number>): string {
  const values = answers.map((value) => {
    const response = field?.response;
    if (response?.type === 'choice')
      return text(instrument, response.options.find((o) => o.id === value)?.label) || String(value);
    if (response?.type === 'counter')
      return text(instrument, response.bands?.find((b) => b.id === value)?.label) || String(value);
    if (response?.type === 'yes-no' && (value === 'yes' || value === 'no')) return t(`answer.${value}`);
    return String(value);
  });
  return new Intl.ListFormat(locale.intl, { style: 'long', type: 'disjunction' }).format(values);
}
