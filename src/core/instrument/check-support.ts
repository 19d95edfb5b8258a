/** What the semantic checks share: how they report, unique ids, and what they know about items and scales. */
import { formatPath, type ProblemCode, type ProblemParams } from './problems';
import { num, objects, type Json, type Segments } from './json-guards';

export interface ItemRef {
  item: Json;
  path: Segments;
  domainId: string | undefined;
  /** The repeated section it sits in, when it does. */
  repeatedIn: string | undefined;
}

/** The items of a section (format 3's rule target), by id: all of them, or only those not under an element. */
export const itemsOfSection = (items: Map<string, ItemRef>, domainId: string, topLevel = false): string[] =>
  [...items]
    .filter(([, ref]) => ref.domainId === domainId && (!topLevel || ref.path.at(-2) === 'items'))
    .map(([id]) => id);

export type Report = (path: Segments, code: ProblemCode, params?: ProblemParams) => void;

/**
 * Ids must be unique within a scope (the whole file for items, one item for look-fors, …). Returns a function that
 * records an id and reports its second use, answering whether the id was new.
 */
export function uniqueIds(report: Report): (id: string, path: Segments) => boolean {
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

export function scaleValues(scale: Json | undefined): number[] {
  return objects(scale?.levels)
    .map(([level]) => num(level.value))
    .filter((v): v is number => v !== undefined);
}
