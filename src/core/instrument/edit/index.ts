/**
 * Editing an instrument without JSON: the pure steps behind the instrument editor (src/ui/features/instruments).
 * Every step takes an instrument and returns a new one, sharing what it did not change, so the editor can keep its
 * state as one value, write it with every keystroke, and undo a deletion by keeping the value before it.
 *
 * Two promises hold for every step:
 * - **fields it does not edit survive untouched.** Entries are copied with their spread, never rebuilt from the
 *   fields this editor knows, so a field of a newer format (or one this editor has no control for) comes back
 *   exactly as it was;
 * - **references follow.** Removing an item removes the rules that depended on it; an id that changes (a new item's
 *   id follows its text) is changed in the rules and responses that point at it; moving a scale level moves its
 *   descriptors and rule answers along.
 *
 * The result is often not a valid instrument yet (an empty text, a rule without a target): the validator says so,
 * and the editor shows its messages next to the fields. Nothing here refuses a step for being incomplete.
 *
 * This file is the folder's public face: the steps the editor and its tests use. Each file beside it holds the
 * steps on one part of an instrument (paths, ids, texts, lists, domains and items, scales, context fields, rules,
 * new instruments, and format 2's domains' repeats, scoring maps, scores and snapshots; format 3's score steps); `references.ts` keeps what
 * rules and scores name in step with them.
 */
export { getAt, setAt, setFlag, setNumber, type Path, type Segment } from './paths';
export { lockedIdsOf, renameId, slugify, uniqueId, type EditContext } from './ids';
export { editText, setLanguages, setText } from './texts';
export { moveEntry, removeEntry } from './lists';
export {
  addChild,
  addCounterBand,
  addDomain,
  addItem,
  addLookFor,
  addOption,
  addOptionGroup,
  EDITABLE_RESPONSE_TYPES,
  setFieldDescriptors,
  evidenceByDefault,
  setEvidence,
  setItemDescriptors,
  setLookForAnswer,
  setRepeatable,
  setRequired,
  setResponseType,
  type EditableResponseType,
  type Requirement,
} from './items';
export { setRepeat, setRespondent } from './domains';
export { addMapEntry, addScoringMap, setMapEntryEnd } from './scoring-maps';
export {
  addScore,
  everySnapshot,
  partIds,
  SCORE_FROM,
  SCORE_METHODS,
  scorePartIds,
  scoreFromKind,
  setDomainScore,
  setScoreFrom,
  setScoreItem,
  setScoreMethod,
  setScoreOverridable,
  setScoreScale,
  setScoreSource,
  setSnapshotSource,
  setSnapshotValue,
  setWeight,
  sourceId,
  takesWeights,
} from './scores';
export {
  addPartCount,
  addPatternCase,
  addScoreBand,
  COUNT_KINDS,
  countBound,
  countKind,
  removeScorePart,
  setCountKind,
  setPartThrough,
  setRangeEnd,
  SHARES,
  type CountKind,
} from './scores-format-3';
export {
  addMatchCondition,
  addSnapshotField,
  addSnapshotMinute,
  FIELD_RESPONSE_TYPES,
  isFlatMatch,
  isNumberField,
  MATCH_JOINS,
  matchAnswers,
  matchConditions,
  matchJoin,
  PER_KINDS,
  perKind,
  SCHEDULE_KINDS,
  scheduleKind,
  setFieldResponseType,
  setMatchAnswer,
  setMatchField,
  setMatchJoin,
  setSchedule,
  setSnapshotAmong,
  setSnapshotPer,
  setSnapshotReading,
  type MatchJoin,
  type MatchKey,
  type PerKind,
  type SnapshotReading,
} from './snapshots';
export {
  addBand,
  addLevel,
  addScale,
  moveLevel,
  removeLevel,
  setLevelValue,
  setNotObserved,
  setScaleDescriptors,
} from './scales';
export { addContextField, setContextInput } from './context';
export {
  addCondition,
  addEffect,
  addRule,
  barredTargets,
  CONDITION_JOINS,
  conditionChoices,
  conditionJoin,
  conditionLeaves,
  conditionTargets,
  isEditableRule,
  isSimpleRule,
  removeCondition,
  removeEffect,
  RULE_EFFECTS,
  scoreSubject,
  scoredDomains,
  setConditionAnswer,
  setConditionItem,
  setConditionJoin,
  setConditionMode,
  setConditionScore,
  setEffectKind,
  setEffectSection,
  setEffectTarget,
  setRuleAnswer,
  setRuleTarget,
  setRuleTrigger,
  type ConditionJoin,
  type EffectKind,
} from './rules';
export { copyOf, newInstrument, newVersionOf, nextVersion, setBasedOn } from './new-instrument';
export {
  exampleAnswer,
  exampleAnswers,
  exampleContext,
  exampleCycles,
  scorePreview,
  type ExampleAnswers,
  type PreviewLine,
} from './score-preview';
