/**
 * How a shared tablet names the person using it: by first name, with as much more as it takes to tell them apart
 * from a colleague with the same first name ("Emre", "Emre B.", or the whole name when initials are not enough).
 * Names are compared as a person reads them: without regard to case or accents.
 */

const words = (name: string): string[] => name.trim().split(/\s+/).filter(Boolean);
const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('nl');

/** `name` as short as it can be while no name in `others` (the other people of the school) reads the same. */
export function distinctName(name: string, others: readonly string[]): string {
  const parts = words(name);
  const first = parts[0] ?? name;
  const rest = parts.slice(1);
  const same = others.map(words).filter((other) => other.length > 0 && fold(other[0]!) === fold(first));
  if (same.length === 0 || rest.length === 0) return first;
  // The first name and the initial of the last word: "Emre B." for Emre Bakker.
  const last = rest[rest.length - 1]!;
  const initial = (other: string[]) => (other.length > 1 ? fold(other[other.length - 1]![0]!) : '');
  if (!same.some((other) => initial(other) === fold(last[0]!))) return `${first} ${last[0]!.toLocaleUpperCase('nl')}.`;
  return parts.join(' ');
}
