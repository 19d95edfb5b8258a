/**
 * The instrument format: an observation instrument is plain data (a JSON file in `instruments/`).
 *
 * These types mirror `instruments/meekijken-instrument.schema.json`, the published JSON Schema that schools use to
 * check their own files in an editor. The schema checks the shape; `validateInstrument` adds what a schema cannot
 * say (unique ids, references, translations, scale/descriptor agreement). Change both together: the validator tests
 * run every shipped instrument and a typed factory through the schema, so a drift shows up as a failing test.
 */

/** A BCP 47 primary language subtag such as `nl` or `en`. */
export type LanguageCode = string;

/** A text in every language the instrument declares in `languages`, e.g. `{ "nl": "Doel", "en": "Goal" }`. */
export type LocalizedText = Record<LanguageCode, string>;

/** The file format version this code reads. Bumped only for changes old readers cannot understand. */
export const INSTRUMENT_FORMAT_VERSION = 1;

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
  format: typeof INSTRUMENT_FORMAT_VERSION;
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
}

/** An ordinal scale declared once and chosen per item, e.g. 1–4 or low/medium/high. */
export interface Scale {
  id: string;
  label: LocalizedText;
  /** Levels from lowest to highest value. A reverse-keyed item reads the same levels, but a high value is bad. */
  levels: ScaleLevel[];
  /** When present, observers may answer "not observed / not applicable" with this label. */
  notObserved?: { label: LocalizedText };
}

export interface ScaleLevel {
  value: number;
  label: LocalizedText;
  /** What this level looks like in general; items may give their own descriptors. */
  descriptor?: LocalizedText;
}

export interface ContextField {
  /** Well-known ids (`group`, `subject`, `pupils`) let the app fill them from the observation's set-up. */
  id: string;
  label: LocalizedText;
  input: 'text' | 'number' | 'choice';
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
  /** Item-specific descriptors per scale level value (keys are the level values as strings). */
  descriptors?: Record<string, LocalizedText>;
  /** Whether the observer can add an evidence note; default true, except for free-text items (the text is the note). */
  evidence?: boolean;
  /** Behaviours under an element: this item's own response is the element score that sits above theirs. */
  children?: Item[];
}

export interface LookFor {
  id: string;
  text: LocalizedText;
}

export interface ChoiceOption {
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
  | TextResponse;

export type ResponseType = Response['type'];

/** An ordinal rating on a declared scale. */
export interface RatingResponse {
  type: 'rating';
  scale: string;
}

/** Only the look-fors are ticked; there is no rating. */
export interface ChecklistResponse {
  type: 'checklist';
}

export interface YesNoResponse {
  type: 'yes-no';
  /** Allow "not observed / not applicable" as a third answer. */
  allowNotObserved?: boolean;
}

export interface ChoiceResponse {
  type: 'choice';
  options: ChoiceOption[];
  multiple?: boolean;
}

/** A tally the observer taps up and down, optionally read in bands (e.g. off-task pupils 0–1 high, 2–5 medium, 6+ low). */
export interface CounterResponse {
  type: 'counter';
  min?: number;
  max?: number;
  bands?: CounterBand[];
}

export interface CounterBand {
  id: string;
  label: LocalizedText;
  /** Inclusive lower bound. */
  min: number;
  /** Inclusive upper bound; absent for the open top band. */
  max?: number;
}

/** Measurements repeated at fixed minutes of the lesson (time-on-task, engagement). */
export interface SnapshotResponse {
  type: 'snapshot';
  schedule: SnapshotSchedule;
  /** What is recorded at each snapshot. */
  fields: SnapshotField[];
}

export type SnapshotSchedule =
  | { atMinutes: number[] }
  | { everyMinutes: number; fromMinute: number; untilMinute: number };

export interface SnapshotField {
  id: string;
  label: LocalizedText;
  response: CounterResponse | ChoiceResponse | YesNoResponse | RatingResponse;
}

export interface TextResponse {
  type: 'text';
  maxLength?: number;
  /** A short prompt shown in the empty field. */
  placeholder?: LocalizedText;
}

/**
 * A simple rule: when the item `when.item` has one of the answers in `when.in`, the items in `then.notApplicable`
 * become not applicable. Answers are a level value (rating), `yes`/`no` (yes-no) or an option id (choice).
 */
export interface Rule {
  id: string;
  when: { item: string; in: Array<string | number> };
  then: { notApplicable: string[] };
}
