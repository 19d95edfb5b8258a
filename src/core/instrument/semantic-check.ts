/**
 * Checks a JSON Schema cannot express: unique ids, references that resolve, a text in every declared language,
 * item descriptors that match their scale, ordered scales, bands and schedules.
 *
 * It runs on the same raw data as the schema check, so that one pass reports every problem in a file. It therefore
 * never trusts the shape: each step reads through the small guards below and skips what the schema check already
 * reports as malformed.
 */
import { formatPath, problem, type InstrumentProblem, type ProblemCode, type ProblemParams } from './problems';

type Segments = Array<string | number>;
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const objects = (v: unknown): Array<[Json, number]> =>
  arrayOf(v).flatMap((x, i): Array<[Json, number]> => (isObject(x) ? [[x, i]] : []));
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

interface ItemRef {
  item: Json;
  path: Segments;
}

export function checkSemantics(data: unknown): InstrumentProblem[] {
  if (!isObject(data)) return [];
  const problems: InstrumentProblem[] = [];
  const report: Report = (path, code, params) => problems.push(problem(formatPath(path), code, params));

  const languages = arrayOf(data.languages).filter((l): l is string => typeof l === 'string');
  checkTexts(data, languages, report);

  const scales = new Map<string, Json>();
  const scaleIds = uniqueIds(report);
  for (const [scale, i] of objects(data.scales)) {
    const id = str(scale.id);
    if (id && scaleIds(id, ['scales', i, 'id'])) scales.set(id, scale);
    checkLevels(scale, ['scales', i], report);
  }

  const contextIds = uniqueIds(report);
  for (const [field, i] of objects(data.context)) {
    const id = str(field.id);
    if (id) contextIds(id, ['context', i, 'id']);
    if (field.input === 'choice' && !Array.isArray(field.options)) report(['context', i, 'options'], 'contextOptionsMissing');
    checkOptions(field.options, ['context', i, 'options'], report);
    checkRange(field, ['context', i], report);
  }

  const items = new Map<string, ItemRef>();
  const itemIds = uniqueIds(report);
  const domainIds = uniqueIds(report);
  const lessonMinutes = num(data.lessonMinutes);
  const visit = (item: Json, path: Segments, depth: number) => {
    const id = str(item.id);
    if (id && itemIds(id, [...path, 'id'])) items.set(id, { item, path });
    checkItem(item, path, { scales, lessonMinutes }, report);
    if (Array.isArray(item.children) && depth > 0) report([...path, 'children'], 'nestingTooDeep');
    for (const [child, c] of objects(item.children)) visit(child, [...path, 'children', c], depth + 1);
  };
  for (const [domain, d] of objects(data.domains)) {
    const id = str(domain.id);
    if (id) domainIds(id, ['domains', d, 'id']);
    for (const [item, i] of objects(domain.items)) visit(item, ['domains', d, 'items', i], 0);
  }

  const ruleIds = uniqueIds(report);
  for (const [rule, r] of objects(data.rules)) {
    const id = str(rule.id);
    if (id) ruleIds(id, ['rules', r, 'id']);
    checkRule(rule, ['rules', r], items, scales, report);
  }

  const basedOn = isObject(data.basedOn) ? str(data.basedOn.id) : undefined;
  if (basedOn && basedOn === data.id) report(['basedOn', 'id'], 'basedOnSelf');

  return problems;
}

type Report = (path: Segments, code: ProblemCode, params?: ProblemParams) => void;

/**
 * Ids must be unique within a scope (the whole file for items, one item for look-fors, …). Returns a function that
 * records an id and reports its second use, answering whether the id was new.
 */
function uniqueIds(report: Report): (id: string, path: Segments) => boolean {
  const first = new Map<string, Segments>();
  return (id, path) => {
    const earlier = first.get(id);
    if (earlier) {
      report(path, 'duplicateId', { id, first: formatPath(earlier) });
      return false;
    }
    first.set(id, path);
    return true;
  };
}

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
  // Descriptors are all-or-nothing per scale: a rubric with a hole in it reads as a mistake to observers.
  if (levels.some(([level]) => level.descriptor !== undefined)) {
    for (const [level, l] of levels) {
      if (level.descriptor === undefined) {
        report([...path, 'levels', l, 'descriptor'], 'levelDescriptorsIncomplete', { value: String(level.value) });
      }
    }
  }
}

function scaleValues(scale: Json | undefined): number[] {
  return objects(scale?.levels)
    .map(([level]) => num(level.value))
    .filter((v): v is number => v !== undefined);
}

interface ItemContext {
  scales: Map<string, Json>;
  lessonMinutes: number | undefined;
}

function checkItem(item: Json, path: Segments, context: ItemContext, report: Report) {
  const lookForIds = uniqueIds(report);
  for (const [lookFor, l] of objects(item.lookFors)) {
    const id = str(lookFor.id);
    if (id) lookForIds(id, [...path, 'lookFors', l, 'id']);
  }

  const response = isObject(item.response) ? item.response : undefined;
  const type = str(response?.type);
  if (type !== 'rating' && item.reverse !== undefined) report([...path, 'reverse'], 'reverseWithoutRating');
  if (type === 'checklist' && arrayOf(item.lookFors).length === 0) report([...path, 'lookFors'], 'checklistWithoutLookFors');

  let scale: Json | undefined;
  if (response) {
    scale = checkResponse(response, [...path, 'response'], context, report);
  }

  if (isObject(item.descriptors)) {
    if (type !== 'rating') {
      report([...path, 'descriptors'], 'descriptorsWithoutScale');
    } else if (scale) {
      const scaleId = String(response?.scale);
      const levels = scaleValues(scale);
      // A key is a level's value written exactly as JSON writes it ("1", "-2"): "01", "1.0" or " 1" name no level,
      // and the observer's screen would never show them.
      const keys = Object.keys(item.descriptors);
      for (const key of keys) {
        if (!levels.some((level) => String(level) === key)) {
          report([...path, 'descriptors', key], 'descriptorUnknownLevel', { scale: scaleId, value: key, levels: levels.join(', ') });
        }
      }
      for (const level of levels) {
        if (!keys.includes(String(level))) {
          report([...path, 'descriptors'], 'descriptorMissing', { scale: scaleId, value: level });
        }
      }
    }
  }
}

/** Returns the rating scale the response uses, when it names one that exists. */
function checkResponse(response: Json, path: Segments, context: ItemContext, report: Report): Json | undefined {
  switch (response.type) {
    case 'rating': {
      const id = str(response.scale);
      if (id === undefined) return undefined;
      const scale = context.scales.get(id);
      if (!scale) report([...path, 'scale'], 'unknownScale', { id, known: [...context.scales.keys()].join(', ') });
      return scale;
    }
    case 'choice':
      checkOptions(response.options, [...path, 'options'], report);
      return undefined;
    case 'counter':
      checkRange(response, path, report);
      checkBands(response, path, report);
      return undefined;
    case 'snapshot': {
      checkSchedule(response.schedule, [...path, 'schedule'], context.lessonMinutes, report);
      const fieldIds = uniqueIds(report);
      for (const [field, f] of objects(response.fields)) {
        const id = str(field.id);
        if (id) fieldIds(id, [...path, 'fields', f, 'id']);
        if (isObject(field.response)) checkResponse(field.response, [...path, 'fields', f, 'response'], context, report);
      }
      return undefined;
    }
    default:
      return undefined;
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

function checkBands(counter: Json, path: Segments, report: Report) {
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
    if (min !== undefined && max !== undefined && min > max) report([...bandPath, 'min'], 'rangeInverted', { min, max });
    if (max === undefined && index < bands.length - 1) report(bandPath, 'bandOpenNotLast');
    expected = (max ?? min ?? expected) + 1;
  });
}

function checkSchedule(schedule: unknown, path: Segments, lessonMinutes: number | undefined, report: Report) {
  if (!isObject(schedule)) return;
  const hasList = schedule.atMinutes !== undefined;
  const interval = ['everyMinutes', 'fromMinute', 'untilMinute'].filter((k) => schedule[k] !== undefined).length;
  if (hasList === (interval > 0) || (interval > 0 && interval < 3)) {
    report(path, 'scheduleForm');
    return;
  }
  let minutes: number[];
  if (hasList) {
    minutes = arrayOf(schedule.atMinutes).map(num).filter((m): m is number => m !== undefined);
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
    report([...path, ...key], 'scheduleBeyondLesson', { value: last, limit: lessonMinutes });
  }
}

function checkRule(rule: Json, path: Segments, items: Map<string, ItemRef>, scales: Map<string, Json>, report: Report) {
  const when = isObject(rule.when) ? rule.when : undefined;
  const trigger = str(when?.item);
  if (trigger !== undefined) {
    const ref = items.get(trigger);
    if (!ref) {
      report([...path, 'when', 'item'], 'ruleUnknownItem', { id: trigger });
    } else {
      const allowed = possibleAnswers(ref.item, scales);
      const type = isObject(ref.item.response) ? String(ref.item.response.type) : '';
      if (allowed === undefined) {
        report([...path, 'when', 'item'], 'ruleUnsupportedItem', { id: trigger, type });
      } else {
        arrayOf(when?.in).forEach((answer, a) => {
          if (!allowed.some((x) => x === answer)) {
            report([...path, 'when', 'in', a], 'ruleUnknownAnswer', { id: trigger, value: String(answer), allowed: allowed.join(', ') });
          }
        });
      }
    }
  }
  const then = isObject(rule.then) ? rule.then : undefined;
  arrayOf(then?.notApplicable).forEach((target, t) => {
    if (typeof target !== 'string') return;
    if (!items.has(target)) report([...path, 'then', 'notApplicable', t], 'ruleUnknownItem', { id: target });
    else if (target === trigger) report([...path, 'then', 'notApplicable', t], 'ruleSelfReference', { id: target });
  });
}

/** The answers a rule may test for, or undefined when the item's type cannot drive a rule. */
function possibleAnswers(item: Json, scales: Map<string, Json>): Array<string | number> | undefined {
  const response = isObject(item.response) ? item.response : undefined;
  switch (response?.type) {
    case 'rating': {
      const scale = scales.get(String(response.scale));
      return scale ? [...scaleValues(scale), ...(scale.notObserved ? ['not-observed'] : [])] : undefined;
    }
    case 'yes-no':
      return ['yes', 'no', ...(response.allowNotObserved ? ['not-observed'] : [])];
    case 'choice':
      return objects(response.options)
        .map(([option]) => str(option.id))
        .filter((id): id is string => id !== undefined);
    default:
      return undefined;
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
      if (value[language] === undefined) report([...path, language], 'missingTranslation', { language, languages: declared });
    }
    for (const language of Object.keys(value)) {
      // A blank or invisible text is refused for every string in the file, by checkCharacters (characters.ts).
      if (!languages.includes(language)) report([...path, language], 'undeclaredLanguage', { language, languages: declared });
    }
  };
  const labelled = (list: unknown, path: Segments, key = 'label') => {
    for (const [entry, i] of objects(list)) text(entry[key], [...path, i, key]);
  };
  const response = (value: unknown, path: Segments) => {
    if (!isObject(value)) return;
    labelled(value.options, [...path, 'options']);
    labelled(value.bands, [...path, 'bands']);
    text(value.placeholder, [...path, 'placeholder']);
    for (const [field, f] of objects(value.fields)) {
      text(field.label, [...path, 'fields', f, 'label']);
      response(field.response, [...path, 'fields', f, 'response']);
    }
  };
  const item = (value: Json, path: Segments) => {
    text(value.text, [...path, 'text']);
    text(value.guidance, [...path, 'guidance']);
    labelled(value.lookFors, [...path, 'lookFors'], 'text');
    response(value.response, [...path, 'response']);
    if (isObject(value.descriptors)) {
      for (const [key, descriptor] of Object.entries(value.descriptors)) text(descriptor, [...path, 'descriptors', key]);
    }
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
  }
  for (const [field, f] of objects(data.context)) {
    text(field.label, ['context', f, 'label']);
    labelled(field.options, ['context', f, 'options']);
  }
  for (const [domain, d] of objects(data.domains)) {
    text(domain.title, ['domains', d, 'title']);
    text(domain.description, ['domains', d, 'description']);
    for (const [entry, i] of objects(domain.items)) item(entry, ['domains', d, 'items', i]);
  }
}
