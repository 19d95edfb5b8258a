/**
 * The instrument format: an observation instrument is plain data (a JSON file in `instruments/`).
 *
 * These types mirror `instruments/meekijken-instrument.schema.json`, the published JSON Schema that schools use to
 * check their own files in an editor. The schema checks the shape; `validateInstrument` adds what a schema cannot
 * say (unique ids, references, translations, scale/descriptor agreement). Change both together: the validator tests
 * run every shipped instrument and a typed factory through the schema, so a drift shows up as a failing test.
 */

/** A BCP 47 primary language subtag such as `nl` or `en`. */
type LanguageCode = string;

/** A text in every language the instrument declares in `languages`, e.g. `{ "nl": "Doel", "en": "Goal" }`. */
export type LocalizedText = Record<LanguageCode, string>;

/**
 * The newest file format version this code reads and writes. Bumped only for changes old readers cannot understand.
 * Format 1 files stay valid and keep working; format 2 adds cycles, derived scores, scoring maps, bands, equal-part
 * snapshots, option groups, seen / not-seen look-fors, conditions with AND/OR/counters, show-if and required-if,
 * required flags, date and time inputs, self-rated parts and repeatable entries. A format 1 file may not use them.
 * Format 3 adds what changes how scores are worked out, so that an older reader refuses the file rather than give
 * other numbers: a score of a ratio or by pattern, band labels on a score, a part read through a scoring map (an
 * item's second reading), a number answered about the lesson as a part, and snapshot scores over several fields, of
 * some snapshots only, or per pupil present.
 */
export const INSTRUMENT_FORMAT_VERSION = 3;
/** Every format version this code reads. */
type InstrumentFormat = 1 | 2 | 3;

export type InstrumentKind =
  /** a rated lesson observation with domains, items and look-fors */
  | 'observation'
  /** a short feedback form: focus question, tops, tips, next step */
  | 'feedback'
  /** time-on-task or engagement snapshots at fixed minutes */
  | 'snapshot'
  /** a coaching instrument for starting teachers */
  | 'coaching'
  /** the observed teacher rates their own lesson */
  | 'self-assessment';

export interface Instrument {
  /** Points at the JSON Schema so editors can check the file; not used by the app. */
  $schema?: string;
  /** Which version of this file format the instrument is written in. */
  format: InstrumentFormat;
  /** Stable identifier, lowercase with dots or dashes, e.g. `meekijken.lesobservatie`. Never reused for another instrument. */
  id: string;
  /** Semantic version `MAJOR.MINOR.PATCH`. An installed version is immutable; a change means a new version. */
  version: string;
  kind: InstrumentKind;
  /** Every text in the file is given in each of these languages; the first is the default. */
  languages: LanguageCode[];
  title: LocalizedText;
  description: LocalizedText;
  /** Who wrote it, and under which terms it may be shared. */
  author?: string;
  license?: string;
  /** Intended lesson length in minutes; snapshot schedules must fall inside it. */
  lessonMinutes?: number;
  /** For a variant (e.g. a self-assessment) the instrument whose item ids it shares, so results can be compared. */
  basedOn?: { id: string; version: string };
  scales: Scale[];
  context: ContextField[];
  domains: Domain[];
  rules: Rule[];
  /** (format 2) Named score maps, e.g. 1–2 → 0 and 3–4 → 1 to read a four-point scale as seen / not seen. */
  scoringMaps?: ScoringMap[];
  /** (format 2) Scores across domains, e.g. an overall score, shown in the report and used by the charts. */
  scores?: DerivedScore[];
}

/** Who gives an answer: the observer, or the observed teacher (a self-rating part of the same instrument). */
export type Respondent = 'observer' | 'observed';

/** An ordinal scale declared once and chosen per item, e.g. 1–4 or low/medium/high. */
export interface Scale {
  id: string;
  label: LocalizedText;
  /** Levels from lowest to highest value. A reverse-keyed item reads the same levels, but a high value is bad. */
  levels: ScaleLevel[];
  /** When present, observers may answer "not observed / not applicable" with this label. */
  notObserved?: { label: LocalizedText };
  /**
   * (format 2) Bands of adjacent levels, e.g. 1–2 low, 3–5 middle, 6–7 high: a descriptor is written once per band
   * (on the band, or per item under the band's id). Bands cover every level once, from low to high.
   */
  bands?: ScaleBand[];
  /** (format 2) The id of a scoring map applied to every item on this scale when it is scored. */
  scoring?: string;
}

export interface ScaleBand {
  id: string;
  label: LocalizedText;
  /** Inclusive level values. */
  min: number;
  max: number;
  descriptor?: LocalizedText;
}

/** Turns a value (a level, a derived score) into a score: the first entry whose range holds the value wins. */
export interface ScoringMap {
  id: string;
  label?: LocalizedText;
  entries: ScoringMapEntry[];
}

export interface ScoringMapEntry {
  /** The range of the input value: from `min` (inclusive) up to `max` (inclusive) or up to `below` (exclusive). */
  min: number;
  max?: number;
  /** Use instead of `max` for ranges that meet without a gap: 0–0.2, 0.2–0.4, … */
  below?: number;
  score: number;
}

/**
 * How several values become one score. Reverse-keyed items are turned round before they are combined.
 * - (format 3) `ratio`: the first part divided by the second (no score when the second is 0 or missing), e.g. the
 *   pupils off task of the pupils present;
 * - (format 3) `pattern`: the score of the first of `patterns` whose counts hold, e.g. Teach-style "mostly low" → 1,
 *   "a mix of low and medium" → 2.
 */
export type ScoreMethod = 'mean' | 'sum' | 'min' | 'max' | 'mode' | 'median' | 'ratio' | 'pattern';

export interface ScoreRule {
  method: ScoreMethod;
  /** Weights by the id of what is combined (an item, a domain or a score); absent ones weigh 1. Only for mean and sum. */
  weights?: Record<string, number>;
  /** A scoring map applied to the result. */
  map?: string;
  /** Decimals shown (default 1 for mean/median, 0 otherwise; for a percentage, of the percentage). */
  decimals?: number;
  /** Show the score as a percentage (a share 0–1 as 0–100 %). */
  percent?: boolean;
  /** Give no score unless at least this many parts have one (e.g. a share that means little over two items). */
  minParts?: number;
  /** (format 3) For `pattern`: the cases in order; the first whose counts all hold gives its score. */
  patterns?: ScorePattern[];
  /**
   * (format 3) Labels for ranges of the score, shown beside it, e.g. a CLASS-style domain mean 1 to below 3 "low",
   * 3 to below 6 "middle", 6–7 "high". Ranges as in a scoring map; the first that holds the score names it. On a
   * percentage, written as the share it shows (0 to 1: 50 % is 0.5).
   */
  bands?: ScoreBand[];
}

/** A case of a pattern score: when every count holds, the score is `score`. */
interface ScorePattern {
  when: PartCount[];
  score: number;
}

/**
 * How many parts have a value from `min` to `max` (inclusive): at least / at most this many, or with `share` this
 * share of all the parts that have a value (0–1; `moreThan` and `lessThan` for "mostly", strictly).
 */
export interface PartCount {
  min: number;
  max: number;
  atLeast?: number;
  atMost?: number;
  share?: boolean;
  moreThan?: number;
  lessThan?: number;
}

export interface ScoreBand {
  id: string;
  label: LocalizedText;
  min: number;
  max?: number;
  below?: number;
}

/** A score across parts of the instrument: its parts are domain scores, item scores or other scores. */
export interface DerivedScore extends ScoreRule {
  id: string;
  label: LocalizedText;
  from: ScoreSource[];
}

/**
 * A part of a named score: a domain's score, an item's, another named score's, or (format 3) every scored item of a
 * domain as a part of its own (`itemsOf`), or a number answered about the lesson (`context`, e.g. the pupils
 * present). With `through` (format 3), a part is read through that scoring map instead of as it is scored: an item's
 * rating before its own scoring (its second reading: ICALT's 1–4 beside its 0/1), a domain's items each so read
 * before the domain's rule, or a score's value mapped.
 */
export type ScoreSource = (
  { domain: string } | { item: string } | { score: string } | { itemsOf: string } | { context: string }
) & {
  through?: string;
};

export interface ScaleLevel {
  value: number;
  label: LocalizedText;
  /** What this level looks like in general; items may give their own descriptors. */
  descriptor?: LocalizedText;
}

export interface ContextField {
  /**
   * Well-known ids (`group`, `subject`, `pupils`) let the app fill them from the observation's set-up;
   * `lesson-minutes` (a number) is the actual lesson length that equal-part snapshots divide.
   */
  id: string;
  label: LocalizedText;
  /** `date` is an ISO date (YYYY-MM-DD) and `time` a clock time (HH:MM): format 2. */
  input: 'text' | 'number' | 'choice' | 'date' | 'time';
  required?: boolean;
  /** For `number`. */
  min?: number;
  max?: number;
  /** For `choice`. */
  options?: ChoiceOption[];
}

export interface Domain {
  id: string;
  title: LocalizedText;
  description?: LocalizedText;
  items: Item[];
  /**
   * (format 2) A section the observer repeats during the lesson (CLASS-style cycles, Teach-style segments): each
   * repetition scores the same items and records when it started. Scores are given per repetition and combined.
   */
  repeat?: Repeat;
  /**
   * (format 2) Who answers this section's items; default the observer. A repeated section is always the
   * observer's: the observed teacher answers once, after the lesson, and cannot answer per repetition.
   */
  answeredBy?: Respondent;
  /** (format 2) The domain score from its items (default: the mean of its rated items' positions). */
  score?: ScoreRule;
}

interface Repeat {
  /** What one repetition is called, e.g. "Cyclus" / "Cycle" or "Segment". */
  label: LocalizedText;
  /** How many repetitions a lesson has at least and at most (default 1 and 8). */
  min?: number;
  max?: number;
  /** Intended length of one repetition in minutes, shown to the observer. */
  minutes?: number;
  /** How the repetitions' scores are combined into one (default mean). */
  combine?: Extract<ScoreMethod, 'mean' | 'median' | 'max' | 'min'>;
  /**
   * Sections whose repeat names the same group are repeated together, as one: the observer starts a repetition
   * once for all of them (CLASS-style cycles over every domain). Their label, min, max and minutes must agree.
   */
  group?: string;
}

export interface Item {
  id: string;
  text: LocalizedText;
  /** What to look at and how to decide, shown on request while observing. */
  guidance?: LocalizedText;
  /** Concrete behaviours the observer can tick. */
  lookFors?: LookFor[];
  response: Response;
  /**
   * Default difficulty on the Rasch logit scale (negative = easier to master). Used to order items from easy to hard
   * until the school's own data allow re-estimating it.
   */
  difficulty?: number;
  /** A high score means something undesirable (e.g. "the teacher talks over pupils"); scoring flips it. */
  reverse?: boolean;
  /**
   * Item-specific descriptors per scale level value (keys are the level values as strings) or per band id. Also on
   * a score item with a `scale`, for the level its score is read as.
   */
  descriptors?: Record<string, LocalizedText>;
  /** Whether the observer can add an evidence note; default true, except for free-text items (the text is the note). */
  evidence?: boolean;
  /** Behaviours under an element: this item's own response is the element score that sits above theirs. */
  children?: Item[];
  /**
   * (format 2) Whether the item must be answered before the observation is completed. Absent: ratings, choices,
   * yes/no, checklists and snapshots count as open until answered, text, counters, dates and times do not; nothing
   * blocks completion. `true`: completion waits for it (unless a rule makes it not applicable or hides it).
   * `false`: optional, never counted as open.
   */
  required?: boolean;
  /** (format 2) Who answers this item; default the domain's respondent. Never `observed` in a repeated section. */
  answeredBy?: Respondent;
  /** (format 2) `tick` (default): a look-for is ticked when seen. `seen-not-seen`: each look-for is answered seen or not seen. */
  lookForAnswer?: 'tick' | 'seen-not-seen';
}

export interface LookFor {
  id: string;
  text: LocalizedText;
}

export interface ChoiceOption {
  id: string;
  label: LocalizedText;
  /** (format 2) The id of the option group it is shown under. */
  group?: string;
}

interface OptionGroup {
  id: string;
  label: LocalizedText;
}

export type Response =
  | RatingResponse
  | ChecklistResponse
  | YesNoResponse
  | ChoiceResponse
  | CounterResponse
  | SnapshotResponse
  | TextResponse
  | DateResponse
  | TimeResponse
  | ScoreResponse;

/** An ordinal rating on a declared scale. */
interface RatingResponse {
  type: 'rating';
  scale: string;
  /** (format 2) A scoring map for this item, instead of the scale's. */
  scoring?: string;
}

/** Only the look-fors are ticked; there is no rating. */
interface ChecklistResponse {
  type: 'checklist';
}

interface YesNoResponse {
  type: 'yes-no';
  /** Allow "not observed / not applicable" as a third answer. */
  allowNotObserved?: boolean;
}

interface ChoiceResponse {
  type: 'choice';
  options: ChoiceOption[];
  multiple?: boolean;
  /** (format 2) Headings the options are shown under, in this order; every option then names its group. */
  groups?: OptionGroup[];
}

/** A tally the observer taps up and down, optionally read in bands (e.g. off-task pupils 0–1 high, 2–5 medium, 6+ low). */
interface CounterResponse {
  type: 'counter';
  min?: number;
  max?: number;
  bands?: CounterBand[];
}

interface CounterBand {
  id: string;
  label: LocalizedText;
  /** Inclusive lower bound. */
  min: number;
  /** Inclusive upper bound; absent for the open top band. */
  max?: number;
}

/**
 * Measurements repeated at fixed minutes, or at equal parts of the actual lesson (time-on-task, engagement). Inside a
 * repeated section the minutes count from the start of each repetition, and equal parts divide the repetition's
 * `minutes`.
 */
export interface SnapshotResponse {
  type: 'snapshot';
  schedule: SnapshotSchedule;
  /** What is recorded at each snapshot. */
  fields: SnapshotField[];
}

export type SnapshotSchedule =
  | { atMinutes: number[] }
  | { everyMinutes: number; fromMinute: number; untilMinute: number }
  /**
   * (format 2) N snapshots spread evenly over the actual lesson: one in the middle of each of N equal parts. The
   * lesson length is the observation's `lesson-minutes` context answer, else the instrument's `lessonMinutes`. In a
   * repeated section whose `repeat.minutes` gives a repetition's length, each repetition is divided instead, its
   * minutes counted from its start (as every schedule in a repeated section is).
   */
  | { equalParts: number };

export interface SnapshotField {
  id: string;
  label: LocalizedText;
  response: CounterResponse | ChoiceResponse | YesNoResponse | RatingResponse;
  /** (format 2) A high value is undesirable; scoring turns it round (rating fields). */
  reverse?: boolean;
  /** (format 2) Descriptors per level value or band id (rating fields), as for items. */
  descriptors?: Record<string, LocalizedText>;
}

interface TextResponse {
  type: 'text';
  maxLength?: number;
  /** A short prompt shown in the empty field. */
  placeholder?: LocalizedText;
  /** (format 2) Several entries as a list (e.g. tops, tips), each at most `maxLength`; at most `maxEntries` (default 10). */
  repeatable?: boolean;
  maxEntries?: number;
}

/** (format 2) A date (YYYY-MM-DD). */
interface DateResponse {
  type: 'date';
}

/** (format 2) A clock time (HH:MM). */
interface TimeResponse {
  type: 'time';
}

/**
 * (format 2) A score nobody enters: derived from the item's behaviours (`children`), from its look-fors (the share
 * seen, 0–1, or how many were seen with `sum`), or from listed items. Shown in the report and used by the charts.
 * With `scale`, the result is read as a level of that scale (rounded to the nearest level).
 */
interface ScoreResponse extends ScoreRule {
  type: 'score';
  from: 'children' | 'lookFors' | { items: string[] } | SnapshotScoreSource;
  scale?: string;
  /**
   * (format 3; with `scale`) The observer may set the level otherwise ("preponderance of evidence"): the level they
   * choose is the item's score, and the level worked out stays beside it in the report.
   */
  overridable?: boolean;
}

/**
 * A score from a snapshot field over the recorded snapshots: each snapshot gives the field's value (a count, a
 * rating, turned round when the field is reverse-keyed), or with `in` 1 when the value is one of these and 0 when it
 * is not, so `mean` is the share of snapshots (e.g. the share spent on instruction). For a counter with bands, `in`
 * may name bands: the snapshot's count falls in one of them.
 */
export interface SnapshotScoreSource {
  snapshot: string;
  /** The field read; absent only with `match`. */
  field?: string;
  in?: Array<string | number>;
  /**
   * (format 3) Instead of one field: 1 for a snapshot where this holds and 0 where not, over several fields of the
   * same snapshot, e.g. instruction *and* the whole class: `{ all: [{ field: 'activity', in: ['instruction'] },
   * { field: 'grouping', in: ['whole-class'] }] }`.
   */
  match?: SnapshotMatch;
  /** (format 3) Only the snapshots where this holds count, e.g. the share with the whole class among instruction. */
  among?: SnapshotMatch;
  /**
   * (format 3) Each snapshot's number divided by another number: a field of the same snapshot, or a number answered
   * about the lesson (`context`, e.g. the pupils present), so `mean` gives the share of pupils off task.
   */
  per?: { field: string } | { context: string };
}

/** (format 3) What a snapshot's fields hold: a value among these, a number within bounds, all / any of these. */
export type SnapshotMatch =
  | { field: string; in: Array<string | number> }
  | { field: string; atLeast?: number; atMost?: number }
  | { all: SnapshotMatch[] }
  | { any: SnapshotMatch[] };

/**
 * A rule: when its condition holds, the items in `then.notApplicable` become not applicable, the items in
 * `then.show` are shown (an item named in any rule's `show` is hidden until one of those rules holds), and the items
 * in `then.require` must be answered before completion. Hiding an item or making it not applicable does the same to
 * the items under it (an element's behaviours).
 */
export interface Rule {
  id: string;
  when: Condition;
  then: RuleEffect;
}

export interface RuleEffect {
  notApplicable?: RuleTarget[];
  /** (format 2) */
  show?: RuleTarget[];
  /** (format 2) */
  require?: RuleTarget[];
}

/** What a rule acts on: an item (with everything under it), or (format 3) a whole section. */
export type RuleTarget = string | { domain: string };

/**
 * When a rule holds.
 * - `{ item, in }`: the item's answer is one of these: a level value (rating), `yes`/`no`/`not-observed`, an option
 *   id (choice), or for a look-for list a look-for id that was seen. With `field`, a snapshot item's field: any
 *   recorded snapshot has one of these values.
 * - `{ item, atLeast?, atMost? }` (format 2): a number within the bounds: a counter, a rating's value, the number of
 *   look-fors seen, or with `field` a snapshot field's value in any recorded snapshot.
 * - `{ all }`, `{ any }` (format 2): every / at least one of the conditions.
 * - `{ count, atLeast?, atMost? }` (format 2): how many of the conditions hold is within the bounds.
 * - `{ score, atLeast?, atMost? }`, `{ domain, atLeast?, atMost? }` (format 3): a named score or a section's score,
 *   as worked out from the answers so far, is within the bounds ("when this section's score is low, ask why"). A
 *   rule that reads a score may not act on what that score is worked out from.
 */
export type Condition =
  | AnswerCondition
  | RangeCondition
  | AllCondition
  | AnyCondition
  | CountCondition
  | ScoreCondition
  | DomainScoreCondition;

export interface AnswerCondition {
  item: string;
  field?: string;
  in: Array<string | number>;
}

interface RangeCondition {
  item: string;
  field?: string;
  atLeast?: number;
  atMost?: number;
}

interface AllCondition {
  all: Condition[];
}

interface AnyCondition {
  any: Condition[];
}

interface CountCondition {
  count: Condition[];
  atLeast?: number;
  atMost?: number;
}

interface ScoreCondition {
  score: string;
  atLeast?: number;
  atMost?: number;
}

interface DomainScoreCondition {
  domain: string;
  atLeast?: number;
  atMost?: number;
}
