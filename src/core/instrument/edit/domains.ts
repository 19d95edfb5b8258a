/**
 * (format 2) What a domain has beyond its title and items: a repeat (the observer repeats the section during the
 * lesson: cycles, segments) and who answers it. Its score rule: `setDomainScore` in scores.ts.
 */
import type { Instrument, Respondent } from '../types';
import { getAt, inFormat2, setAt, type Path } from './paths';
import { starter } from './texts';

const CYCLE = { nl: 'Cyclus', en: 'Cycle' };

/** Repeats a domain in cycles (called "Cyclus" to start with), or no longer. */
export function setRepeat(instrument: Instrument, domainIndex: number, on: boolean): Instrument {
  const path = ['domains', domainIndex, 'repeat'];
  if (!on) return setAt(instrument, path, undefined);
  if (getAt(instrument, path)) return instrument;
  return setAt(inFormat2(instrument), path, { label: starter(CYCLE, instrument.languages) });
}

/**
 * Who answers a domain or an item (`path`): the observer, the observed teacher (a self-rating part), or for an item
 * `undefined`, as its domain says. The observer is the default, so a domain's "observer" is written as nothing.
 */
export function setRespondent(instrument: Instrument, path: Path, respondent: Respondent | undefined): Instrument {
  const isDomain = path.length === 2;
  const value = isDomain && respondent === 'observer' ? undefined : respondent;
  return setAt(value === undefined ? instrument : inFormat2(instrument), [...path, 'answeredBy'], value);
}
