/**
 * Checks a JSON Schema cannot express: unique ids, references that resolve, a text in every declared language,
 * item descriptors that match their scale, ordered scales, bands and schedules.
 *
 * It runs on the same raw data as the schema check, so that one pass reports every problem in a file. It therefore
 * never trusts the shape: each step reads through the small guards below and skips what the schema check already
 * reports as malformed.
 */
import { formatPath, problem, type InstrumentProblem, type ProblemParams } from './problems';
import { describePlace } from './place';
import { parsePath } from './json-path';

import { arrayOf, isObject, num, objects, str, type Json, type Segments, valueText } from './json-guards';
import { scaleValues, uniqueIds, type ItemRef, type Report } from './check-support';
import { checkNeverShown, checkRule, checkScoreRules, type SeenRule } from './rule-check';
import { checkReferencesResolve } from './reference-check';
import {
  checkDerivedScores,
  checkDomainScore,
  checkFormatFeatures,
  checkMapReference,
  checkScoreItem,
  checkScoringMaps,
} from './score-check';

interface Context {
  scales: Map<string, Json>;
  maps: Map<string, Json>;
  lessonMinutes: number | undefined;
  /** The minutes are one repetition's (a repeated section's `repeat.minutes`), not the lesson's. */
  inRepeat?: boolean;
  report: Report;
}

/**
 * A message that points at another place of the file (`first`: where an id was used before, the rule this one
 * repeats) names it as the place of a problem is named, by the file's own titles, not by its JSON path.
 */
/** A repeat's setting the schema refuses: a bound or length that is not a number, a way to combine that is not a word. */
const wrongKind = (key: string, value: unknown): boolean =>
  value !== undefined && (key === 'combine' ? typeof value !== 'string' : num(value) === undefined);

function withPlaces(data: Json, params: ProblemParams): ProblemParams {
  const first = params.first;
  if (typeof first !== 'string' || !first.startsWith('$')) return params;
  const place = describePlace(data, parsePath(first));
  return place ? { ...params, first: place } : params;
}

export function checkSemantics(data: unknown): InstrumentProblem[] {
  if (!isObject(data)) return [];
  const problems: InstrumentProblem[] = [];
  const report: Report = (path, code, params) =>
    problems.push(problem(formatPath(path), code, params && withPlaces(data, params)));

  const languages = arrayOf(data.languages).filter((l): l is string => typeof l === 'string');
  checkTexts(data, languages, report);
  checkFormatFeatures(data, report);

  const maps = checkScoringMaps(data, report);
  const scales = new Map<string, Json>();
  const scaleIds = uniqueIds(report);
  for (const [scale, i] of objects(data.scales)) {
    const id = str(scale.id);
    if (id && scaleIds(id, ['scales', i, 'id'])) scales.set(id, scale);
    checkLevels(scale, ['scales', i], report);
    checkBands(scale, ['scales', i], report);
    checkMapReference(scale.scoring, ['scales', i, 'scoring'], maps, report, scaleValues(scale));
  }
  const context: Context = { scales, maps, lessonMinutes: num(data.lessonMinutes), report };

  const contextIds = uniqueIds(report);
  for (const [field, i] of objects(data.context)) {
    const id = str(field.id);
    if (id) contextIds(id, ['context', i, 'id']);
    if (field.input === 'choice' && !Array.isArray(field.options))
      report(['context', i, 'options'], 'contextOptionsMissing');
    if (field.input !== 'choice' && field.options !== undefined)
      report(['context', i, 'options'], 'fieldNotForInput', { field: 'options', input: valueText(field.input) });
    if (field.input !== 'number' && (field.min !== undefined || field.max !== undefined)) {
      report(['context', i, field.min !== undefined ? 'min' : 'max'], 'fieldNotForInput', {
        field: field.min !== undefined ? 'min' : 'max',
        input: valueText(field.input),
      });
    }
    checkOptions(field.options, ['context', i, 'options'], report);
    checkRange(field, ['context', i], report);
  }

  const items = new Map<string, ItemRef>();
  const itemIds = uniqueIds(report);
  const domainIds = uniqueIds(report);
  const domains = new Map<string, Json>();
  const visit = (
    item: Json,
    path: Segments,
    depth: number,
    domainId: string | undefined,
    repeatedIn: string | undefined,
    here: Context,
  ) => {
    const id = str(item.id);
    if (id && itemIds(id, [...path, 'id'])) items.set(id, { item, path, domainId, repeatedIn });
    checkItem(item, path, here);
    if (repeatedIn !== undefined && item.answeredBy === 'observed')
      report([...path, 'answeredBy'], 'selfRatedInRepeat');
    if (Array.isArray(item.children) && depth > 0) report([...path, 'children'], 'nestingTooDeep');
    for (const [child, c] of objects(item.children))
      visit(child, [...path, 'children', c], depth + 1, domainId, repeatedIn, here);
  };
  const repeatGroups = new Map<string, [Json, number]>();
  for (const [domain, d] of objects(data.domains)) {
    const id = str(domain.id);
    if (id && domainIds(id, ['domains', d, 'id'])) domains.set(id, domain);
    const repeat = isObject(domain.repeat) ? domain.repeat : undefined;
    if (repeat) checkRange(repeat, ['domains', d, 'repeat'], report);
    if (repeat && domain.answeredBy === 'observed') report(['domains', d, 'answeredBy'], 'selfRatedInRepeat');
    const group = str(repeat?.group);
    if (repeat && group !== undefined) {
      const first = repeatGroups.get(group);
      if (!first) repeatGroups.set(group, [repeat, d]);
      else {
        const differs =
          // A value of the wrong kind (a bound written as text) is told where it is, not as a disagreement too.
          ['min', 'max', 'minutes', 'combine'].find(
            (key) => repeat[key] !== first[0][key] && !wrongKind(key, repeat[key]) && !wrongKind(key, first[0][key]),
          ) ?? (canonicalText(repeat.label) !== canonicalText(first[0].label) ? 'label' : undefined);
        if (differs)
          report(['domains', d, 'repeat', differs], 'repeatGroupDisagrees', {
            group,
            field: differs,
            first: formatPath(['domains', first[1]]),
          });
      }
    }
    // In a repeated section with a length, a snapshot's minutes count from its repetition's start (`snapshotSpan`).
    const repeatMinutes = repeat ? num(repeat.minutes) : undefined;
    const here = repeatMinutes !== undefined ? { ...context, lessonMinutes: repeatMinutes, inRepeat: true } : context;
    for (const [item, i] of objects(domain.items))
      visit(item, ['domains', d, 'items', i], 0, id, repeat ? (group ?? id) : undefined, here);
  }
  // Scores read items anywhere in the file, so they are checked once every item is known.
  for (const ref of items.values()) checkScoreItem(ref, items, context);
  for (const [domain, d] of objects(data.domains)) checkDomainScore(domain, ['domains', d], maps, report);
  checkDerivedScores(data, { items, domains, maps, scales, report });

  const ruleIds = uniqueIds(report);
  const seenRules: SeenRule[] = [];
  for (const [rule, r] of objects(data.rules)) {
    const id = str(rule.id);
    if (id) ruleIds(id, ['rules', r, 'id']);
    checkRule(rule, ['rules', r], { items, domains, scales, report, seen: seenRules });
  }
  checkNeverShown(data, items, report);
  checkScoreRules(data, items, report);
  checkReferencesResolve(data, { items, domains, scales, maps }, report);

  const basedOn = isObject(data.basedOn) ? str(data.basedOn.id) : undefined;
  if (basedOn && basedOn === data.id) report(['basedOn', 'id'], 'basedOnSelf');

  return problems;
}

const canonicalText = (value: unknown): string =>
  isObject(value) ? JSON.stringify(Object.entries(value).sort()) : valueText(value);

function checkLevels(scale: Json, path: Segments, report: Report) {
  const levels = objects(scale.levels);
  const values = new Set<number>();
  let previous: number | undefined;
  let ascending = true;
  for (const [level, l] of levels) {
    const value = num(level.value);
    if (value === undefined) continue;
    if (values.has(value)) report([...path, 'levels', l, 'value'], 'duplicateLevel', { value });
    else if (previous !== undefined && value < previous) ascending = false;
    values.add(value);
    previous = value;
  }
  if (!ascending) report([...path, 'levels'], 'levelsNotAscending');
  // Descriptors are all-or-nothing per scale: a rubric with a hole in it reads as a mistake to observers. A band's
  // descriptor stands for its levels.
  const banded = new Set(
    objects(scale.bands).flatMap(([band]) =>
      band.descriptor !== undefined ? bandLevels(band, scaleValues(scale)) : [],
    ),
  );
  if (levels.some(([level]) => level.descriptor !== undefined) || banded.size > 0) {
    for (const [level, l] of levels) {
      if (num(level.value) === undefined) continue; // a level without a value is reported by the schema check
      if (level.descriptor === undefined && !banded.has(num(level.value) ?? NaN)) {
        report([...path, 'levels', l, 'descriptor'], 'levelDescriptorsIncomplete', { value: valueText(level.value) });
      } else if (level.descriptor !== undefined && banded.has(num(level.value) ?? NaN)) {
        report([...path, 'levels', l, 'descriptor'], 'descriptorTwice', { value: valueText(level.value) });
      }
    }
  }
}

const bandLevels = (band: Json, levels: number[]): number[] => {
  const min = num(band.min);
  const max = num(band.max);
  return min === undefined || max === undefined ? [] : levels.filter((v) => v >= min && v <= max);
};

/** Bands run low to high over the scale's own levels, each level in exactly one band. */
function checkBands(scale: Json, path: Segments, report: Report) {
  if (scale.bands === undefined) return;
  const levels = scaleValues(scale);
  const ids = uniqueIds(report);
  const covered = new Map<number, number>();
  let previousMax = -Infinity;
  for (const [band, b] of objects(scale.bands)) {
    const here = [...path, 'bands', b];
    const id = str(band.id);
    if (id) ids(id, [...here, 'id']);
    for (const bound of ['min', 'max'] as const) {
      const value = num(band[bound]);
      if (value !== undefined && !levels.includes(value))
        report([...here, bound], 'bandNotALevel', { value, levels: levels.join(', ') });
    }
    const min = num(band.min);
    const max = num(band.max);
    if (min !== undefined && max !== undefined && min > max) report([...here, 'min'], 'rangeInverted', { min, max });
    if (min !== undefined && min <= previousMax) report([...here, 'min'], 'bandsOverlap', { value: min });
    previousMax = Math.max(previousMax, max ?? min ?? previousMax);
    for (const value of bandLevels(band, levels)) covered.set(value, (covered.get(value) ?? 0) + 1);
  }
  const missing = levels.filter((v) => !covered.has(v));
  if (missing.length > 0) report([...path, 'bands'], 'bandsIncomplete', { levels: missing.join(', ') });
}

/** The keys a descriptor map may use on this scale: its level values, written as they are, and its band ids. */
function descriptorKeys(scale: Json): { levels: Map<string, number>; bands: Map<string, number[]> } {
  const values = scaleValues(scale);
  return {
    levels: new Map(values.map((v) => [`${v}`, v])),
    bands: new Map(
      objects(scale.bands).flatMap(([band]) =>
        typeof band.id === 'string' ? [[band.id, bandLevels(band, values)]] : [],
      ),
    ),
  };
}

/**
 * Item (and snapshot field) descriptors: each key is one of the scale's level values, written exactly as the level
 * ("1", not "01" or "1.0"), or one of its band ids; together they describe every level exactly once.
 */
function checkDescriptors(descriptors: Json, scaleId: string, scale: Json, path: Segments, report: Report) {
  const { levels, bands } = descriptorKeys(scale);
  const described = new Map<number, string>();
  const allowed = [...levels.keys(), ...bands.keys()].join(', ');
  const unknown: string[] = [];
  for (const key of Object.keys(descriptors)) {
    const covers = levels.has(key) ? [levels.get(key)!] : bands.get(key);
    if (!covers) {
      unknown.push(key);
      continue;
    }
    for (const value of covers) {
      const earlier = described.get(value);
      if (earlier !== undefined) report([...path, key], 'descriptorOverlap', { value, first: earlier });
      else described.set(value, key);
    }
  }
  const missing = [...levels.values()].filter((value) => !described.has(value));
  // A key written wrongly ("01", "één") usually is the missing level's descriptor: one line says both.
  for (const key of unknown) {
    if (missing.length > 0)
      report([...path, key], 'descriptorWrongKey', { scale: scaleId, value: key, missing: missing.join(', ') });
    else report([...path, key], 'descriptorUnknownLevel', { scale: scaleId, value: key, levels: allowed });
  }
  if (unknown.length > 0) return;
  for (const value of missing) report(path, 'descriptorMissing', { scale: scaleId, value });
}

function checkItem(item: Json, path: Segments, context: Context) {
  const { report } = context;
  const lookForIds = uniqueIds(report);
  for (const [lookFor, l] of objects(item.lookFors)) {
    const id = str(lookFor.id);
    if (id) lookForIds(id, [...path, 'lookFors', l, 'id']);
  }

  const response = isObject(item.response) ? item.response : undefined;
  const type = str(response?.type);
  if (type !== 'rating' && item.reverse !== undefined) report([...path, 'reverse'], 'reverseWithoutRating');
  if (type === 'checklist' && arrayOf(item.lookFors).length === 0)
    report([...path, 'lookFors'], 'checklistWithoutLookFors');
  if (item.lookForAnswer !== undefined && arrayOf(item.lookFors).length === 0)
    report([...path, 'lookForAnswer'], 'lookForAnswerWithoutLookFors');
  if (type === 'score' && item.required === true && response?.from !== 'lookFors')
    report([...path, 'required'], 'scoreNotAnswered');

  let scale: Json | undefined;
  if (response) {
    scale = checkResponse(response, [...path, 'response'], context);
  }

  if (type === 'score' && typeof response?.scale === 'string') scale = context.scales.get(response.scale);
  if (isObject(item.descriptors)) {
    if (type !== 'rating' && !(type === 'score' && response?.scale !== undefined)) {
      report([...path, 'descriptors'], 'descriptorsWithoutScale');
    } else if (scale) {
      checkDescriptors(item.descriptors, valueText(response?.scale), scale, [...path, 'descriptors'], report);
    }
  }
}

/** Returns the rating scale the response uses, when it names one that exists. */
function checkResponse(response: Json, path: Segments, context: Context): Json | undefined {
  const { report } = context;
  switch (response.type) {
    case 'rating': {
      const id = str(response.scale);
      if (id === undefined) return undefined;
      const scale = context.scales.get(id);
      checkMapReference(response.scoring, [...path, 'scoring'], context.maps, report, scale ? scaleValues(scale) : []);
      return scale;
    }
    case 'choice':
      checkOptions(response.options, [...path, 'options'], report);
      checkGroups(response, path, report);
      return undefined;
    case 'counter':
      checkRange(response, path, report);
      checkCounterBands(response, path, report);
      return undefined;
    case 'text':
      if (response.maxEntries !== undefined && response.repeatable !== true)
        report([...path, 'maxEntries'], 'maxEntriesWithoutRepeatable');
      return undefined;
    case 'snapshot': {
      checkSchedule(response.schedule, [...path, 'schedule'], context, report);
      const fieldIds = uniqueIds(report);
      for (const [field, f] of objects(response.fields)) {
        const here = [...path, 'fields', f];
        const id = str(field.id);
        if (id) fieldIds(id, [...here, 'id']);
        const fieldResponse = isObject(field.response) ? field.response : undefined;
        const scale = fieldResponse ? checkResponse(fieldResponse, [...here, 'response'], context) : undefined;
        const rating = fieldResponse?.type === 'rating';
        if (field.reverse !== undefined && !rating) report([...here, 'reverse'], 'reverseWithoutRating');
        if (isObject(field.descriptors)) {
          if (!rating) report([...here, 'descriptors'], 'descriptorsWithoutScale');
          else if (scale)
            checkDescriptors(
              field.descriptors,
              valueText(fieldResponse?.scale),
              scale,
              [...here, 'descriptors'],
              report,
            );
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** With option groups, every option names one of them and every group has an option. */
function checkGroups(response: Json, path: Segments, report: Report) {
  if (response.groups === undefined) {
    for (const [option, o] of objects(response.options)) {
      if (option.group !== undefined) report([...path, 'options', o, 'group'], 'groupWithoutGroups');
    }
    return;
  }
  const groups = new Set<string>();
  const ids = uniqueIds(report);
  for (const [group, g] of objects(response.groups)) {
    const id = str(group.id);
    if (id && ids(id, [...path, 'groups', g, 'id'])) groups.add(id);
  }
  const used = new Set<string>();
  for (const [option, o] of objects(response.options)) {
    const group = str(option.group);
    if (group === undefined) report([...path, 'options', o], 'optionWithoutGroup');
    else if (groups.has(group)) used.add(group); // an unknown group is said in reference-check.ts
  }
  for (const [group, g] of objects(response.groups)) {
    if (typeof group.id === 'string' && groups.has(group.id) && !used.has(group.id))
      report([...path, 'groups', g], 'emptyGroup', { id: group.id });
  }
}

function checkOptions(options: unknown, path: Segments, report: Report) {
  const ids = uniqueIds(report);
  for (const [option, o] of objects(options)) {
    const id = str(option.id);
    if (id) ids(id, [...path, o, 'id']);
  }
}

function checkRange(owner: Json, path: Segments, report: Report) {
  const min = num(owner.min);
  const max = num(owner.max);
  if (min !== undefined && max !== undefined && min > max) report([...path, 'min'], 'rangeInverted', { min, max });
}

function checkCounterBands(counter: Json, path: Segments, report: Report) {
  const bands = objects(counter.bands);
  const bandIds = uniqueIds(report);
  let expected = num(counter.min) ?? 0;
  bands.forEach(([band, b], index) => {
    const bandPath = [...path, 'bands', b];
    const id = str(band.id);
    if (id) bandIds(id, [...bandPath, 'id']);
    const min = num(band.min);
    const max = num(band.max);
    if (min !== undefined && min !== expected) {
      report([...bandPath, 'min'], 'bandsNotContiguous', { expected, value: min });
    }
    if (min !== undefined && max !== undefined && min > max)
      report([...bandPath, 'min'], 'rangeInverted', { min, max });
    if (max === undefined && index < bands.length - 1) report(bandPath, 'bandOpenNotLast');
    expected = (max ?? min ?? expected) + 1;
  });
}

function checkSchedule(
  schedule: unknown,
  path: Segments,
  { lessonMinutes, inRepeat }: Pick<Context, 'lessonMinutes' | 'inRepeat'>,
  report: Report,
) {
  if (!isObject(schedule)) return;
  const hasList = schedule.atMinutes !== undefined;
  const interval = ['everyMinutes', 'fromMinute', 'untilMinute'].filter((k) => schedule[k] !== undefined).length;
  const parts = schedule.equalParts !== undefined;
  const forms = [hasList, interval > 0, parts].filter(Boolean).length;
  if (forms !== 1 || (interval > 0 && interval < 3)) {
    report(path, 'scheduleForm');
    return;
  }
  if (parts) return; // spread over the actual lesson (or repetition), whatever its length
  let minutes: number[];
  if (hasList) {
    minutes = arrayOf(schedule.atMinutes)
      .map(num)
      .filter((m): m is number => m !== undefined);
    if (minutes.some((m, i) => i > 0 && m <= minutes[i - 1]!)) report([...path, 'atMinutes'], 'scheduleNotAscending');
  } else {
    const from = num(schedule.fromMinute) ?? 0;
    const until = num(schedule.untilMinute) ?? 0;
    if (from > until) {
      report([...path, 'fromMinute'], 'rangeInverted', { min: from, max: until });
      return;
    }
    minutes = [until];
  }
  const last = minutes.at(-1);
  if (lessonMinutes !== undefined && last !== undefined && last > lessonMinutes) {
    const key = hasList ? ['atMinutes', minutes.length - 1] : ['untilMinute'];
    report([...path, ...key], inRepeat ? 'scheduleBeyondRepeat' : 'scheduleBeyondLesson', {
      value: last,
      limit: lessonMinutes,
    });
  }
}

/**
 * Every text object must carry exactly the declared languages. Text objects sit at known places in the format;
 * this walks them all, so a new text field in the format must be added here (a test lists the places).
 */
function checkTexts(data: Json, languages: string[], report: Report) {
  if (languages.length === 0) return;
  const declared = languages.join(', ');
  const text = (value: unknown, path: Segments) => {
    if (!isObject(value)) return;
    for (const language of languages) {
      if (value[language] === undefined)
        report([...path, language], 'missingTranslation', { language, languages: declared });
    }
    for (const language of Object.keys(value)) {
      // A blank or invisible text is refused for every string in the file, by checkCharacters (characters.ts).
      if (!languages.includes(language))
        report([...path, language], 'undeclaredLanguage', { language, languages: declared });
    }
  };
  const labelled = (list: unknown, path: Segments, key = 'label') => {
    for (const [entry, i] of objects(list)) text(entry[key], [...path, i, key]);
  };
  const descriptors = (value: unknown, path: Segments) => {
    if (isObject(value)) for (const [key, descriptor] of Object.entries(value)) text(descriptor, [...path, key]);
  };
  const response = (value: unknown, path: Segments) => {
    if (!isObject(value)) return;
    labelled(value.options, [...path, 'options']);
    labelled(value.groups, [...path, 'groups']);
    labelled(value.bands, [...path, 'bands']);
    text(value.placeholder, [...path, 'placeholder']);
    for (const [field, f] of objects(value.fields)) {
      text(field.label, [...path, 'fields', f, 'label']);
      descriptors(field.descriptors, [...path, 'fields', f, 'descriptors']);
      response(field.response, [...path, 'fields', f, 'response']);
    }
  };
  const item = (value: Json, path: Segments) => {
    text(value.text, [...path, 'text']);
    text(value.guidance, [...path, 'guidance']);
    labelled(value.lookFors, [...path, 'lookFors'], 'text');
    response(value.response, [...path, 'response']);
    descriptors(value.descriptors, [...path, 'descriptors']);
    for (const [child, c] of objects(value.children)) item(child, [...path, 'children', c]);
  };

  text(data.title, ['title']);
  text(data.description, ['description']);
  for (const [scale, s] of objects(data.scales)) {
    text(scale.label, ['scales', s, 'label']);
    for (const [level, l] of objects(scale.levels)) {
      text(level.label, ['scales', s, 'levels', l, 'label']);
      text(level.descriptor, ['scales', s, 'levels', l, 'descriptor']);
    }
    if (isObject(scale.notObserved)) text(scale.notObserved.label, ['scales', s, 'notObserved', 'label']);
    for (const [band, b] of objects(scale.bands)) {
      text(band.label, ['scales', s, 'bands', b, 'label']);
      text(band.descriptor, ['scales', s, 'bands', b, 'descriptor']);
    }
  }
  labelled(data.scoringMaps, ['scoringMaps']);
  labelled(data.scores, ['scores']);
  for (const [field, f] of objects(data.context)) {
    text(field.label, ['context', f, 'label']);
    labelled(field.options, ['context', f, 'options']);
  }
  for (const [domain, d] of objects(data.domains)) {
    text(domain.title, ['domains', d, 'title']);
    text(domain.description, ['domains', d, 'description']);
    if (isObject(domain.repeat)) text(domain.repeat.label, ['domains', d, 'repeat', 'label']);
    for (const [entry, i] of objects(domain.items)) item(entry, ['domains', d, 'items', i]);
  }
}
