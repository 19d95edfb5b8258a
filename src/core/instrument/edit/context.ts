/**
 * Context fields (the lesson's group, subject and the like, asked before an observation): a new field and its kind
 * of input.
 */
import type { ChoiceOption, ContextField, Instrument } from '../types';
import { setAt } from './paths';
import { freshId } from './ids';
import { emptyText } from './texts';
import { insertEntry } from './lists';
import { inFormatFor } from './items';

export function addContextField(instrument: Instrument): { instrument: Instrument; index: number } {
  const field: ContextField = {
    id: freshId(instrument, ['context'], 'field'),
    label: emptyText(instrument.languages),
    input: 'text',
  };
  return insertEntry(instrument, ['context'], field);
}

/** A context field's kind of input; only a choice has options, only a number a minimum and maximum. */
export function setContextInput(instrument: Instrument, index: number, input: ContextField['input']): Instrument {
  const field = instrument.context[index];
  if (!field || field.input === input) return instrument;
  const { options, min, max, ...rest } = field;
  const next: ContextField = { ...rest, input };
  if (input === 'number') Object.assign(next, min === undefined ? {} : { min }, max === undefined ? {} : { max });
  if (input === 'choice') {
    const option = (id: string): ChoiceOption => ({ id, label: emptyText(instrument.languages) });
    next.options = options ?? [option('option'), option('option-2')];
  }
  return setAt(inFormatFor(instrument, input), ['context', index], next);
}
