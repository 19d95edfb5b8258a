/**
 * Where the validator's problems go in the instrument editor. Each problem names a place in the JSON
 * (`$.domains[0].items[2].text.en`); the editor has a field for most places. `editorFields` lists the fields the
 * editor shows for an instrument (the same structure the editor's components render, keyed by the same paths),
 * and `placeProblems` puts each problem at its field: the field of exactly that path, or the nearest enclosing
 * field that takes what is under it (a text's group takes a language the instrument does not declare). A problem
 * on something the editor has no field for (a behaviour under an element, a snapshot's schedule) has no place: the
 * summary shows it.
 */
import { formatPath, problem } from '../../../core/instrument/problems';
import { parsePath } from '../../../core/instrument/json-path';
import {
  conditionJoin,
  conditionLeaves,
  countBound,
  isEditableRule,
  isFlatMatch,
  matchConditions,
  matchJoin,
  RULE_EFFECTS,
  scoreSubject,
  type Path,
} from '../../../core/instrument/edit';
import type { Instrument, InstrumentProblem, Item, PartCount } from '../../../core/instrument';

/** The element id of the field at a path: stable, valid in HTML and in a CSS selector. */
export function fieldId(path: Path | string): string {
  const text = typeof path === 'string' ? path : formatPath(path);
  return `field-${text.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`)}`;
}

export interface FieldSpec {
  /** The path the field edits. */
  path: string;
  /** Whether it also takes problems under its path that no other field takes. */
  subtree: boolean;
  /** The field that shows this path's problems, when another one does (a response's problems at its type). */
  anchor?: string;
}

/** The fields the editor shows for this instrument, as paths. Keep in step with the editor's components. */
export function editorFields(instrument: Instrument): FieldSpec[] {
  const fields: FieldSpec[] = [];
  const exact = (path: Path, anchor?: Path) => fields.push({ path: formatPath(path), subtree: false, ...(anchor ? { anchor: formatPath(anchor) } : {}) });
  const subtree = (path: Path, anchor?: Path) => fields.push({ path: formatPath(path), subtree: true, ...(anchor ? { anchor: formatPath(anchor) } : {}) });
  const languages = Array.isArray(instrument.languages) ? instrument.languages : [];
  const text = (path: Path) => {
    subtree(path);
    for (const language of languages) exact([...path, language]);
  };
  const options = (path: Path, list: readonly unknown[] | undefined) => {
    exact(path);
    asArray(list).forEach((_, o) => {
      text([...path, o, 'label']);
      exact([...path, o, 'id']);
    });
  };

  for (const key of ['id', 'version', 'kind', 'author', 'license', 'lessonMinutes', 'basedOn']) exact([key]);
  subtree(['basedOn'], ['basedOn']);
  subtree(['languages']);
  text(['title']);
  text(['description']);

  exact(['scales']);
  asArray(instrument.scales).forEach((scale, s) => {
    exact(['scales', s, 'id']);
    text(['scales', s, 'label']);
    exact(['scales', s, 'levels']);
    asArray(scale?.levels).forEach((level, l) => {
      exact(['scales', s, 'levels', l, 'value']);
      text(['scales', s, 'levels', l, 'label']);
      if (asArray(scale?.levels).some((other) => other?.descriptor !== undefined)) text(['scales', s, 'levels', l, 'descriptor']);
      // What the level has no field for (a descriptor missing where a band's would do) is told at its name.
      subtree(['scales', s, 'levels', l], ['scales', s, 'levels', l, 'label']);
      void level;
    });
    exact(['scales', s, 'notObserved']);
    if (scale?.notObserved) text(['scales', s, 'notObserved', 'label']);
    exact(['scales', s, 'scoring']);
    exact(['scales', s, 'bands']);
    asArray(scale?.bands).forEach((_, b) => {
      const band = ['scales', s, 'bands', b];
      for (const key of ['id', 'min', 'max']) exact([...band, key]);
      text([...band, 'label']);
      text([...band, 'descriptor']);
      subtree(band, [...band, 'label']);
    });
  });

  exact(['context']);
  asArray(instrument.context).forEach((field, c) => {
    for (const key of ['id', 'input', 'required']) exact(['context', c, key]);
    text(['context', c, 'label']);
    if (field?.input === 'number') for (const key of ['min', 'max']) exact(['context', c, key]);
    if (field?.input === 'choice') options(['context', c, 'options'], field.options);
  });

  exact(['domains']);
  asArray(instrument.domains).forEach((domain, d) => {
    exact(['domains', d, 'id']);
    text(['domains', d, 'title']);
    text(['domains', d, 'description']);
    exact(['domains', d, 'answeredBy']);
    exact(['domains', d, 'repeat']);
    if (domain?.repeat) {
      text(['domains', d, 'repeat', 'label']);
      for (const key of ['min', 'max', 'minutes', 'combine', 'group']) exact(['domains', d, 'repeat', key]);
      subtree(['domains', d, 'repeat'], ['domains', d, 'repeat', 'label']);
    }
    exact(['domains', d, 'score']);
    if (domain?.score) {
      scoreRuleFields(['domains', d, 'score'], domain.score, { exact, subtree, text });
      subtree(['domains', d, 'score'], ['domains', d, 'score', 'method']);
    }
    exact(['domains', d, 'items']);
    asArray(domain?.items).forEach((item, i) => itemFields(instrument, item, ['domains', d, 'items', i], { exact, subtree, text, options }));
  });

  exact(['scoringMaps']);
  asArray(instrument.scoringMaps).forEach((map, m) => {
    const here = ['scoringMaps', m];
    exact([...here, 'id']);
    text([...here, 'label']);
    exact([...here, 'entries']);
    asArray(map?.entries).forEach((_, e) => {
      const entry = [...here, 'entries', e];
      for (const key of ['min', 'max', 'below', 'score']) exact([...entry, key]);
      // An entry's own problems (ranges that overlap) show under its row.
      subtree(entry);
    });
    subtree(here, [...here, 'label']);
  });
  exact(['scores']);
  asArray(instrument.scores).forEach((score, s) => {
    const here = ['scores', s];
    exact([...here, 'id']);
    text([...here, 'label']);
    subtree([...here, 'from']);
    // (format 3) Each part in the list that orders them, with the map it is read through.
    asArray(score?.from).forEach((_, f) => {
      subtree([...here, 'from', f]);
      exact([...here, 'from', f, 'through']);
    });
    scoreRuleFields(here, score, { exact, subtree, text });
    subtree(here, [...here, 'label']);
  });

  exact(['rules']);
  asArray(instrument.rules).forEach((rule, r) => {
    const here = ['rules', r];
    exact([...here, 'id']);
    // What the rule as a whole is told (a duplicate of another) shows under it.
    exact(here);
    // A rule the editor keeps as it is: its problems at its description.
    if (!isEditableRule(rule)) return subtree(here, [...here, 'when']);
    conditionFields(rule.when, [...here, 'when'], { exact, subtree });
    exact([...here, 'then']);
    subtree([...here, 'then']);
    for (const effect of RULE_EFFECTS) if (rule.then?.[effect] !== undefined) subtree([...here, 'then', effect]);
  });
  return fields;
}

interface Adders {
  exact: (path: Path, anchor?: Path) => void;
  subtree: (path: Path, anchor?: Path) => void;
  text: (path: Path) => void;
  options: (path: Path, list: readonly unknown[] | undefined) => void;
}

function itemFields(instrument: Instrument, item: Item | undefined, path: Path, adders: Adders) {
  const { exact, subtree, text } = adders;
  exact([...path, 'id']);
  text([...path, 'text']);
  text([...path, 'guidance']);
  for (const key of ['required', 'answeredBy', 'evidence', 'difficulty']) exact([...path, key]);
  const response = item?.response;
  const here = [...path, 'response'];
  exact([...here, 'type']);
  // What the editor shows no field for in a response is told at its type.
  subtree(here, [...here, 'type']);
  switch (response?.type) {
    case 'rating': {
      exact([...here, 'scale']);
      exact([...path, 'reverse']);
      subtree([...path, 'descriptors']);
      const scale = asArray(instrument.scales).find((s) => s?.id === response.scale);
      // Descriptors per band on a scale with bands, per level on one without.
      const keys = scale?.bands ? asArray(scale.bands).map((band) => band?.id) : asArray(scale?.levels).map((level) => level?.value);
      if (item?.descriptors) for (const key of keys) if (key !== undefined) text([...path, 'descriptors', String(key)]);
      break;
    }
    case 'yes-no':
      exact([...here, 'allowNotObserved']);
      break;
    case 'choice':
      choiceFields(here, response, adders);
      break;
    case 'counter':
      exact([...here, 'min']);
      exact([...here, 'max']);
      counterBandFields(here, response.bands, adders);
      break;
    case 'text':
      for (const key of ['maxLength', 'repeatable', 'maxEntries']) exact([...here, key]);
      text([...here, 'placeholder']);
      break;
    case 'snapshot': {
      // The schedule's kind is one choice; what it has no field for is told there.
      exact([...here, 'schedule']);
      subtree([...here, 'schedule'], [...here, 'schedule']);
      const schedule = response.schedule as unknown as Record<string, unknown> | undefined;
      for (const key of ['everyMinutes', 'fromMinute', 'untilMinute', 'equalParts']) if (schedule?.[key] !== undefined) exact([...here, 'schedule', key]);
      if (Array.isArray(schedule?.atMinutes)) {
        exact([...here, 'schedule', 'atMinutes']);
        schedule.atMinutes.forEach((_, m) => exact([...here, 'schedule', 'atMinutes', m]));
      }
      exact([...here, 'fields']);
      asArray(response.fields).forEach((field, f) => {
        const at = [...here, 'fields', f];
        exact([...at, 'id']);
        text([...at, 'label']);
        exact([...at, 'reverse']);
        exact([...at, 'response', 'type']);
        subtree([...at, 'response'], [...at, 'response', 'type']);
        subtree(at, [...at, 'label']);
        const inner = field?.response;
        if (inner?.type === 'counter') {
          for (const key of ['min', 'max']) exact([...at, 'response', key]);
          counterBandFields([...at, 'response'], inner.bands, adders);
        }
        if (inner?.type === 'rating') {
          exact([...at, 'response', 'scale']);
          // (format 2) The field's own descriptors, per level or per band, as an item's.
          subtree([...at, 'descriptors']);
          const scale = asArray(instrument.scales).find((s) => s?.id === inner.scale);
          const keys = scale?.bands ? asArray(scale.bands).map((band) => band?.id) : asArray(scale?.levels).map((level) => level?.value);
          if (field?.descriptors) for (const key of keys) if (key !== undefined) text([...at, 'descriptors', String(key)]);
        }
        if (inner?.type === 'yes-no') exact([...at, 'response', 'allowNotObserved']);
        if (inner?.type === 'choice') choiceFields([...at, 'response'], inner, adders);
      });
      break;
    }
    case 'score': {
      const from = [...here, 'from'];
      exact(from);
      for (const key of ['items', 'in']) subtree([...from, key]);
      for (const key of ['snapshot', 'field']) exact([...from, key]);
      // (format 3) Several fields together, some snapshots only, a number divided by another.
      const source = typeof response.from === 'object' && 'snapshot' in response.from ? response.from : undefined;
      for (const key of ['match', 'among'] as const) matchFields([...from, key], source?.[key], adders);
      exact([...from, 'per']);
      subtree([...from, 'per'], [...from, 'per']);
      for (const key of ['field', 'context']) exact([...from, 'per', key]);
      exact([...here, 'scale']);
      exact([...here, 'overridable']);
      scoreRuleFields(here, response, { exact, subtree, text });
      break;
    }
  }
  // A look-for list on an item that has none yet: its "add" button takes a checklist's "needs a look-for".
  exact([...path, 'lookFors']);
  asArray(item?.lookFors).forEach((_, l) => {
    text([...path, 'lookFors', l, 'text']);
    exact([...path, 'lookFors', l, 'id']);
  });
  if (item?.lookFors || item?.lookForAnswer) exact([...path, 'lookForAnswer']);
  // Behaviours under an element, each an item of its own; the list's "add" button takes what is about the list.
  if (path.at(-2) !== 'children') {
    exact([...path, 'children']);
    asArray(item?.children).forEach((child, c) => itemFields(instrument, child, [...path, 'children', c], adders));
  }
}

/** The bands a counter's count is read in: each one's name, range and id. */
function counterBandFields(here: Path, bands: readonly unknown[] | undefined, { exact, subtree, text }: Adders) {
  exact([...here, 'bands']);
  asArray(bands).forEach((_, b) => {
    const band = [...here, 'bands', b];
    for (const key of ['id', 'min', 'max']) exact([...band, key]);
    text([...band, 'label']);
    subtree(band, [...band, 'label']);
  });
}

/** A choice's options, and (format 2) the headings they sit under. */
function choiceFields(here: Path, response: { options?: unknown; groups?: unknown }, { exact, text, options }: Adders) {
  exact([...here, 'multiple']);
  options([...here, 'options'], response.options as readonly unknown[] | undefined);
  exact([...here, 'groups']);
  const groups = asArray(response.groups as readonly unknown[] | undefined);
  groups.forEach((_, g) => {
    text([...here, 'groups', g, 'label']);
    exact([...here, 'groups', g, 'id']);
  });
  if (groups.length > 0) asArray(response.options as readonly unknown[] | undefined).forEach((_, o) => exact([...here, 'options', o, 'group']));
}

/**
 * (format 3) The conditions of a score from a snapshot (`match`, `among`) as the editor draws them
 * (`editor-snapshot-match.svelte`): the choice that makes them (its problems too), then all / any and each condition's
 * field, answers and bounds. A nested one is described in words: its problems at the choice.
 */
function matchFields(path: Path, match: unknown, { exact, subtree }: Pick<Adders, 'exact' | 'subtree'>) {
  exact(path);
  if (!isFlatMatch(match)) return subtree(path, path);
  const join = matchJoin(match);
  if (join) {
    exact([...path, join]);
    subtree([...path, join], [...path, join]);
  }
  for (const { path: under } of matchConditions(match)) {
    const at = [...path, ...under];
    for (const key of ['field', 'atLeast', 'atMost']) exact([...at, key]);
    subtree([...at, 'in']);
    subtree(at, [...at, 'field']);
  }
}

/** A rule's condition as the editor draws it (`editor-condition.svelte`): a group, or a condition on one item. */
function conditionFields(condition: unknown, path: Path, { exact, subtree }: Pick<Adders, 'exact' | 'subtree'>) {
  const join = conditionJoin(condition);
  exact(path);
  if (join) {
    // A group's own problems (two conditions the same, ones that contradict) at the group and its join.
    subtree(path);
    exact([...path, join]);
    subtree([...path, join], [...path, join]);
    for (const key of ['atLeast', 'atMost']) exact([...path, key]);
    ((condition as Record<string, unknown>)[join] as unknown[]).forEach((part, p) => conditionFields(part, [...path, join, p], { exact, subtree }));
    return;
  }
  const subject = scoreSubject(condition);
  if (subject) {
    // A score within bounds (format 3): what it is told as a whole (no bounds yet) shows at the score chosen.
    for (const key of [subject, 'atLeast', 'atMost']) exact([...path, key]);
    subtree(path, [...path, subject]);
    return;
  }
  for (const key of ['item', 'field', 'atLeast', 'atMost']) exact([...path, key]);
  subtree([...path, 'in']);
  // What the condition as a whole is told (it reads an item in another section) shows at its item.
  subtree(path, [...path, 'item']);
}

/**
 * What every score rule shows (a domain's score, a named score, a score item): method, weights, map, display; (format
 * 3) a pattern's cases with their counts, and the bands that name ranges of the score.
 */
function scoreRuleFields(path: Path, rule: unknown, { exact, subtree, text }: Pick<Adders, 'exact' | 'subtree' | 'text'>) {
  for (const key of ['method', 'map', 'decimals', 'minParts', 'percent']) exact([...path, key]);
  const { method, weights, patterns, bands } = (rule ?? {}) as { method?: unknown; weights?: unknown; patterns?: unknown; bands?: unknown };
  if (method === 'pattern' || patterns !== undefined) {
    subtree([...path, 'patterns']);
    asArray(patterns as readonly unknown[] | undefined).forEach((pattern, p) => {
      const here = [...path, 'patterns', p];
      subtree(here);
      exact([...here, 'score']);
      exact([...here, 'when']);
      asArray((pattern as { when?: unknown[] } | undefined)?.when).forEach((count, c) => {
        const countPath = [...here, 'when', c];
        // The count's sentence: the bound it reads by, its range; what else it is told shows under it.
        subtree(countPath);
        for (const key of ['min', 'max', countBound((count ?? {}) as Partial<PartCount>)]) exact([...countPath, key]);
      });
    });
  }
  subtree([...path, 'bands']);
  asArray(bands as readonly unknown[] | undefined).forEach((_, b) => {
    const band = [...path, 'bands', b];
    text([...band, 'label']);
    for (const key of ['min', 'max', 'below']) exact([...band, key]);
    // A band's own problems (ranges that overlap, an id used twice) show under it.
    subtree(band);
  });
  // Weights show only with a mean or a sum; with another method their problem goes to the method.
  if (method !== 'mean' && method !== 'sum') return subtree([...path, 'weights'], [...path, 'method']);
  subtree([...path, 'weights']);
  if (typeof weights === 'object' && weights !== null) for (const key of Object.keys(weights)) exact([...path, 'weights', key]);
}

/** A list of the instrument as a list, also when a broken file has something else there. */
const asArray = <T>(value: readonly T[] | undefined): T[] => (Array.isArray(value) ? [...value] : []);

interface PlacedProblem {
  problem: InstrumentProblem;
  /** The field (its path) that shows it; undefined when the editor has none for it. */
  field: string | undefined;
}

export interface ProblemPlaces {
  /** Every problem, in the validator's order, with its field. */
  all: PlacedProblem[];
  /** The problems each field shows, by the field's path. */
  byField: Map<string, InstrumentProblem[]>;
}

/**
 * One spelling per place: a level's key in an item's descriptors is `["3"]` in one check's path and `[3]` in
 * another's (the schema check reads the JSON pointer's "3" as an index).
 */
const samePlace = (path: string): string => path.replace(/\["(-?\d+)"\]/g, '[$1]');

/** Puts each problem at the field of its path, or of the nearest enclosing path whose field takes what is below. */
export function placeProblems(problems: readonly InstrumentProblem[], fields: readonly FieldSpec[]): ProblemPlaces {
  const exactFields = new Map<string, FieldSpec>();
  const subtreeFields = new Map<string, FieldSpec>();
  for (const field of fields) (field.subtree ? subtreeFields : exactFields).set(samePlace(field.path), field);
  const all = problems.map((problem): PlacedProblem => {
    const segments = parsePath(problem.path);
    for (let length = segments.length; length >= 0; length--) {
      const path = samePlace(formatPath(segments.slice(0, length)));
      const field = (length === segments.length ? exactFields.get(path) : undefined) ?? subtreeFields.get(path);
      if (field) return { problem, field: field.anchor ?? field.path };
    }
    return { problem, field: undefined };
  });
  const byField = new Map<string, InstrumentProblem[]>();
  for (const { problem, field } of all) if (field) byField.set(field, [...(byField.get(field) ?? []), problem]);
  return { all, byField };
}

/**
 * The validator's verdict on a condition the editor edits whose answers are all unticked: a condition with an empty
 * list of answers matches none of the condition forms, and the schema names every form it is not ("unknown field
 * in", "all is missing", …). For the author it is one thing: no answer chosen yet. Those problems become that one.
 */
export function tidyRuleProblems(instrument: Instrument, problems: readonly InstrumentProblem[]): InstrumentProblem[] {
  const empty = new Set(
    asArray(instrument.rules).flatMap((rule, r) =>
      isEditableRule(rule)
        ? conditionLeaves(rule.when).flatMap(({ leaf, path }) =>
            Array.isArray(leaf.in) && leaf.in.length === 0 ? [formatPath(['rules', r, 'when', ...path])] : [],
          )
        : [],
    ),
  );
  if (empty.size === 0) return [...problems];
  // The deepest empty condition a problem sits in (one nested in another's group is its own).
  const under = (path: string) =>
    [...empty]
      .filter((when) => path === when || path.startsWith(`${when}.`) || path.startsWith(`${when}[`))
      .sort((a, b) => b.length - a.length)[0];
  const tidied: InstrumentProblem[] = [];
  const told = new Set<string>();
  for (const found of problems) {
    const when = under(found.path);
    if (when === undefined) tidied.push(found);
    else if (!told.has(when)) {
      told.add(when);
      tidied.push(problem(`${when}.in`, 'tooFew', { limit: 1, actual: 0 }));
    }
  }
  return tidied;
}
