/**
 * Who answers what (format 2, `answeredBy`): an instrument may have parts the observed teacher rates themselves. An
 * observer's form leaves those items out; a self-assessment of such an instrument is exactly those items. An
 * instrument without `answeredBy` anywhere is one form: a self-assessment with it answers everything, as before.
 */
import type { Domain, Instrument, Item, Respondent } from '../instrument/types';
import type { Purpose } from '../model/records';

/** Whether any part of the instrument is answered by the observed teacher. */
export function hasSelfRatedParts(instrument: Pick<Instrument, 'domains'>): boolean {
  const visit = (items: readonly Item[]): boolean =>
    items.some((item) => item.answeredBy === 'observed' || visit(item.children ?? []));
  return instrument.domains.some((domain) => domain.answeredBy === 'observed' || visit(domain.items));
}

/** Who answers each item (by id): the item's own `answeredBy`, else its element's, else its domain's, else the observer. */
export function respondents(instrument: Pick<Instrument, 'domains'>): Map<string, Respondent> {
  const out = new Map<string, Respondent>();
  const visit = (items: readonly Item[], inherited: Respondent) =>
    items.forEach((item) => {
      const who = item.answeredBy ?? inherited;
      out.set(item.id, who);
      visit(item.children ?? [], who);
    });
  instrument.domains.forEach((domain) => visit(domain.items, domain.answeredBy ?? 'observer'));
  return out;
}

/** Who fills in an observation of this purpose: the observed teacher for a self-assessment, else the observer. */
export const respondentFor = (purpose: Purpose): Respondent => (purpose === 'self' ? 'observed' : 'observer');

/**
 * The instrument as this observation's form: the items its respondent answers. For an instrument without
 * self-rated parts, the instrument itself. The observer's form keeps every domain (a domain the teacher rates
 * themselves is then empty, and the screen says who fills it in); a self-assessment's form keeps only the domains
 * with items left. Items are left out with the behaviours under them; the rules and scores stay as they are.
 */
export function formFor(instrument: Instrument, purpose: Purpose): Instrument {
  if (!hasSelfRatedParts(instrument)) return instrument;
  const who = respondentFor(purpose);
  const by = respondents(instrument);
  const keep = (items: readonly Item[]): Item[] =>
    items.flatMap((item) => {
      if (by.get(item.id) !== who) return [];
      return [item.children ? { ...item, children: keep(item.children) } : item];
    });
  const domains = instrument.domains
    .map((domain): Domain => ({ ...domain, items: keep(domain.items) }))
    .filter((domain) => who === 'observer' || domain.items.length > 0);
  return { ...instrument, domains };
}

/** Items the other respondent answers, as they sit in the domain (top level): what the screen mentions instead. */
export function answeredElsewhere(instrument: Instrument, domainId: string, purpose: Purpose): Item[] {
  if (!hasSelfRatedParts(instrument)) return [];
  const who = respondentFor(purpose);
  const by = respondents(instrument);
  return instrument.domains.find((d) => d.id === domainId)?.items.filter((item) => by.get(item.id) !== who) ?? [];
}

/**
 * Whether the observed teacher can self-assess a lesson observed with `observed` so that their answers stand beside
 * the observer's: the instrument has parts the teacher rates, or a self-assessment instrument is based on it (and so
 * shares its items). A self-assessment that shares no item with the lesson's instrument lines nothing up.
 */
export function canSelfAssess(observed: Pick<Instrument, 'id' | 'domains'>, offered: readonly Instrument[]): boolean {
  return (
    hasSelfRatedParts(observed) ||
    offered.some((instrument) => instrument.kind === 'self-assessment' && instrument.basedOn?.id === observed.id)
  );
}
