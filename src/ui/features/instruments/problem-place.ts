/**
 * Names the place of a validator problem as the editor shows it ("Domein 1 › Item 1.2 › Tekst van het item ›
 * English"), so the summary of problems reads without knowing JSON paths. A place the editor has no name for
 * keeps its key as it is in the file.
 */
import type { Segment } from '../../../core/instrument/edit';
import { getAt } from '../../../core/instrument/edit';
import type { Instrument, ScaleLevel } from '../../../core/instrument';
import { t } from '../../i18n/locale.svelte';
import type { MessageKey } from '../../i18n/locale.svelte';

const FIELD_NAMES: Partial<Record<string, MessageKey>> = {
  title: 'editor.instrumentTitle',
  description: 'editor.description',
  languages: 'editor.languages',
  version: 'editor.version',
  id: 'editor.id',
  kind: 'editor.kind',
  author: 'editor.author',
  license: 'editor.license',
  lessonMinutes: 'editor.lessonMinutes',
  text: 'editor.itemText',
  guidance: 'editor.guidance',
  response: 'editor.responseType',
  input: 'editor.contextInput',
  required: 'editor.contextRequired',
  min: 'editor.min',
  max: 'editor.max',
  options: 'editor.options',
  lookFors: 'editor.lookFors',
  levels: 'editor.levels',
  reverse: 'editor.reverse',
  descriptors: 'editor.itemDescriptors',
  notObserved: 'editor.notObserved',
  multiple: 'editor.multiple',
  maxLength: 'editor.maxLength',
  placeholder: 'editor.placeholder',
  scales: 'editor.scales',
  context: 'editor.context',
  domains: 'editor.domains',
  rules: 'editor.rules',
  scoring: 'editor.scaleScoring',
  bands: 'editor.bands',
  scoringMaps: 'editor.scoringMaps',
  scores: 'editor.namedScores',
  method: 'editor.scoreMethod',
  map: 'editor.scoreMap',
  weights: 'editor.weights',
  decimals: 'editor.decimals',
  minParts: 'editor.minParts',
  percent: 'editor.percent',
  from: 'editor.scoreFrom',
  below: 'editor.mapBelowValue',
  answeredBy: 'editor.respondent',
  repeat: 'editor.repeat',
};

/** The fields of a domain's repeat, by their key. */
const REPEAT_NAMES: Partial<Record<string, MessageKey>> = {
  label: 'editor.repeatLabel',
  min: 'editor.repeatMin',
  max: 'editor.repeatMax',
  minutes: 'editor.repeatMinutes',
  combine: 'editor.repeatCombine',
  group: 'editor.repeatGroup',
};

const languageName = (language: string) => (language === 'nl' || language === 'en' ? t(`language.${language}`) : language);

export function placeName(instrument: Instrument, segments: readonly Segment[]): string {
  const parts: string[] = [];
  const languages = new Set(Array.isArray(instrument.languages) ? instrument.languages : []);
  let domain = -1;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const next = segments[i + 1];
    const before = segments.slice(0, i);
    if (segment === 'descriptors' && next !== undefined) {
      // An item's descriptor is keyed by its level's value (a number in some paths, a string in others).
      parts.push(t('editor.levelN', { value: String(next) }));
      i++;
      continue;
    }
    if (typeof next === 'number') {
      const n = next + 1;
      if (segment === 'domains' && i === 0) {
        domain = next;
        parts.push(t('editor.domainN', { n }));
      } else if (segment === 'items' && domain >= 0 && i === 2) parts.push(t('editor.itemN', { n: `${domain + 1}.${n}` }));
      else if (segment === 'scales') parts.push(t('editor.scaleN', { n }));
      else if (segment === 'levels') {
        const level = getAt(instrument, [...before, segment, next]) as ScaleLevel | undefined;
        parts.push(t('editor.levelN', { value: level?.value ?? n }));
      } else if (segment === 'context') parts.push(t('editor.contextN', { n }));
      else if (segment === 'options') parts.push(t('editor.optionN', { n }));
      else if (segment === 'lookFors') parts.push(t('editor.lookForN', { n }));
      else if (segment === 'rules') parts.push(t('editor.ruleN', { n }));
      else if (segment === 'bands' && before.length === 2) parts.push(t('editor.bandN', { n }));
      else if (segment === 'bands') parts.push(t('editor.scoreBandN', { n }));
      else if (segment === 'patterns') parts.push(t('editor.patternN', { n }));
      else if (segment === 'when' && before.at(-2) === 'patterns') parts.push(t('editor.countN', { n }));
      else if (segment === 'scoringMaps') parts.push(t('editor.mapN', { n }));
      else if (segment === 'entries') parts.push(t('editor.mapEntryN', { n }));
      else if (segment === 'scores') parts.push(t('editor.scoreN', { n }));
      else if (segment === 'from') parts.push(t('editor.partN', { n }));
      else if (segment === 'all' || segment === 'any' || segment === 'count') parts.push(t('editor.conditionN', { n }));
      else parts.push(`${String(segment)} ${n}`);
      i++;
      continue;
    }
    if (typeof segment === 'number') {
      parts.push(String(segment + 1));
      continue;
    }
    if (i === segments.length - 1 && languages.has(segment)) parts.push(languageName(segment));
    else if (before.at(-1) === 'descriptors') parts.push(t('editor.levelN', { value: segment }));
    else if (before.at(-1) === 'repeat' && REPEAT_NAMES[segment]) parts.push(t(REPEAT_NAMES[segment]!));
    else if (segment === 'title' && domain >= 0) parts.push(t('editor.domainTitle'));
    else if (segment === 'label') {
      const owner = before.at(-2);
      if (owner === 'levels') parts.push(t('editor.levelLabel', { value: String((getAt(instrument, before) as ScaleLevel | undefined)?.value ?? '') }));
      else if (before.at(-1) === 'notObserved') parts.push(t('editor.notObservedLabel'));
      else if (owner === 'scales') parts.push(t('editor.scaleLabel'));
      else if (owner === 'context') parts.push(t('editor.contextLabel'));
      else if (owner === 'scoringMaps') parts.push(t('editor.mapLabel'));
      else if (owner === 'scores') parts.push(t('editor.scoreLabel'));
      // A band's label: its name ("Niveaugroep 2") says enough.
      // A choice's label: its name ("Keuze 2") says enough.
    } else if (segment === 'text' && before.at(-2) === 'lookFors') {
      // A look-for's text: its name ("Kijkpunt 2") says enough.
    }
    else if (segment === 'score' && before.at(-2) === 'entries') parts.push(t('editor.mapScore'));
    else if (segment === 'score') parts.push(t('editor.domainScore'));
    else if (segment === 'descriptor' && before.at(-2) === 'bands') parts.push(t('editor.descriptor'));
    else if (segment === 'descriptor') parts.push(t('editor.levelDescriptor', { value: String((getAt(instrument, before) as ScaleLevel | undefined)?.value ?? '') }));
    else if (segment === 'when' || segment === 'then' || segment === 'in' || segment === 'item') {
      if (segment === 'item') parts.push(t('editor.ruleWhen'));
      else if (segment === 'in') parts.push(t('editor.ruleIn'));
    } else if (segment === 'notApplicable' || segment === 'show' || segment === 'require') parts.push(t(`editor.ruleThen.${segment}`));
    else if (segment === 'atLeast' || segment === 'atMost') parts.push(t(`editor.${segment}`));
    else if (segment === 'field' && before.includes('when')) parts.push(t('editor.conditionField')); else parts.push(FIELD_NAMES[segment] ? t(FIELD_NAMES[segment]!) : segment);
  }
  return parts.length > 0 ? parts.join(' › ') : t('editor.general');
}
