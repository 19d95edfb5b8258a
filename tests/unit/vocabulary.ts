/**
 * The words the app does not use in Dutch, and the words it uses instead (README, "Words": the ones kept by test).
 * The screens' texts (i18n-catalogue.test.ts) and the shipped instruments' texts (shipped-instruments.test.ts) are
 * both held to it.
 */
const NOT_OURS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\blera(ar|ren)\b/i, 'leerkracht, leerkrachten'],
  [/\bmomentopnames\b/i, 'momentopnamen'],
  [/\bJSON\b/, 'bestand (or nothing)'],
  [/\bnpm\b|\$schema/, 'nothing: a teacher or leader never runs a command'],
];

/** Each word of `NOT_OURS` in `text`, as "word → ours". */
export function wordsNotOurs(text: string): string[] {
  return NOT_OURS.filter(([word]) => word.test(text)).map(([word, ours]) => `${word.source} → ${ours}`);
}
