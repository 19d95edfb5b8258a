/**
 * Every name resolves: the one check, over the core's reference model, that each item, section, score, scale,
 * scoring map, snapshot field and option group a file names exists where it is named. The checks of rules and
 * scores then look only at what the names lead to (its type, its answers, its section).
 *
 * Answers (what a condition tests for) and weights are checked with their rule or score: whether an answer is
 * possible depends on the item's type, and a weight on the parts of its score.
 */
import { idsOf, isObject, objects, type Json } from './json-guards';
import { instrumentReferences, type Reference } from './references';
import type { ItemRef, Report } from './check-support';
import type { ProblemCode } from './problems';

export interface Names {
  items: Map<string, ItemRef>;
  domains: Map<string, Json>;
  scales: Map<string, Json>;
  maps: Map<string, Json>;
}

export function checkReferencesResolve(data: Json, names: Names, report: Report) {
  const scores = new Set(idsOf(data.scores));
  const known = (list: Iterable<string>) => [...list].join(', ') || '—';
  for (const reference of instrumentReferences(data)) {
    const { kind, name, path } = reference;
    if (typeof name !== 'string') continue;
    switch (kind) {
      case 'item':
        if (reference.role === 'weight' || names.items.has(name)) break;
        report(path, reference.role === 'part' ? 'scoreUnknownPart' : 'ruleUnknownItem', { id: name });
        break;
      case 'domain':
        if (!names.domains.has(name))
          report(path, reference.role === 'part' ? 'scoreUnknownPart' : 'ruleUnknownDomain', {
            id: name,
            known: known(names.domains.keys()),
          });
        break;
      case 'score':
        if (reference.role !== 'weight' && !scores.has(name))
          report(path, reference.role === 'part' ? 'scoreUnknownPart' : 'ruleUnknownScore', {
            id: name,
            known: known(scores),
          });
        break;
      case 'scale':
        if (!names.scales.has(name)) report(path, 'unknownScale', { id: name, known: known(names.scales.keys()) });
        break;
      case 'map':
        if (!names.maps.has(name)) report(path, 'unknownMap', { id: name, known: known(names.maps.keys()) });
        break;
      case 'context': {
        const field = objects(data.context).find(([f]) => f.id === name)?.[0];
        const numbers = objects(data.context).flatMap(([f]) =>
          f.input === 'number' && typeof f.id === 'string' ? [f.id] : [],
        );
        if (!field) report(path, 'unknownContext', { id: name, known: known(numbers) });
        else if (field.input !== 'number') report(path, 'contextNotNumber', { id: name, known: known(numbers) });
        break;
      }
      case 'field': {
        const fields = snapshotFields(reference, names);
        if (fields && !fields.includes(name))
          report(path, 'conditionUnknownField', { id: reference.scope!.item, field: name, known: fields.join(', ') });
        break;
      }
      case 'optionGroup': {
        const groups = optionGroups(reference, names);
        if (groups && !groups.includes(name))
          report(path, 'unknownGroup' satisfies ProblemCode, { id: name, known: groups.join(', ') });
        break;
      }
      default:
        break;
    }
  }
}

/** The fields of the snapshot item a field name belongs to; undefined when that item is no snapshot (said elsewhere). */
function snapshotFields(reference: Reference, names: Names): string[] | undefined {
  const item = names.items.get(reference.scope?.item ?? '')?.item;
  const response = isObject(item?.response) ? item.response : undefined;
  return response?.type === 'snapshot' ? idsOf(response.fields) : undefined;
}

/** The groups of the choice an option sits in; undefined when it has none (`groupWithoutGroups`, said elsewhere). */
function optionGroups(reference: Reference, names: Names): string[] | undefined {
  const item = names.items.get(reference.scope?.item ?? '')?.item;
  let response = isObject(item?.response) ? item.response : undefined;
  if (reference.scope?.field !== undefined)
    response = objects(response?.fields).find(([f]) => f.id === reference.scope!.field)?.[0].response as
      Json | undefined;
  return isObject(response) && Array.isArray(response.groups) ? idsOf(response.groups) : undefined;
}
