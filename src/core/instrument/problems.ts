/**
 * Problems found in an instrument file, each with a JSON path and a plain message in Dutch and English.
 *
 * Messages live here (not in the UI catalogue) because the command-line validator and a later sync server report
 * them too. The `Record` over every code makes a missing translation a type error.
 */

export interface InstrumentProblem {
  /** Where the problem is, e.g. `$.domains[0].items[2].text.en`. */
  path: string;
  code: ProblemCode;
  message: { nl: string; en: string };
  /**
   * The same place in the file's own titles (`Domein 1 "Leerklimaat", item 1.3 "…"`), for a school leader who does
   * not read JSON paths. Absent for the file as a whole and before the file could be read as JSON.
   */
  place?: { nl: string; en: string };
}

/** A value a message reads differently per language: another place in the file, named by its titles. */
interface LocalizedParam {
  nl: string;
  en: string;
}
export type ProblemParams = Record<string, string | number | LocalizedParam>;
type Params = Record<string, string | number>;

interface Template {
  nl: (p: Params) => string;
  en: (p: Params) => string;
}

const list = (v: string | number | undefined): string => String(v ?? '');
/** What a rule does, in words rather than its key. */
const EFFECT_WORDS: Record<string, { nl: string; en: string }> = {
  notApplicable: { nl: 'niet van toepassing maken', en: 'make not applicable' },
  show: { nl: 'tonen', en: 'show' },
  require: { nl: 'verplicht maken', en: 'make required' },
};
/** A number as the language writes it: 2,5 in Dutch, 2.5 in English. */
const decimal = (value: string | number | undefined, language: 'nl' | 'en'): string =>
  language === 'nl' ? String(value ?? '').replace('.', ',') : String(value ?? '');
const effectWord = (effect: string | number | undefined, language: 'nl' | 'en'): string =>
  EFFECT_WORDS[String(effect)]?.[language] ?? String(effect ?? '');
const firstOf = (v: string | number | undefined): string => list(v).split(', ')[0] ?? '';
/** `"max"; "below"` as `"max" of "below"`. */
const alternatives = (v: string | number | undefined, or: string): string => list(v).split('; ').join(` ${or} `);

const TEMPLATES = {
  notJson: {
    // The parser's own explanation is English only; the Dutch message points at the place and the usual suspects.
    nl: (p) =>
      `Dit is geen geldig JSON-bestand${p.line ? ` (regel ${p.line}, kolom ${p.column})` : ''}. Kijk daar naar komma's, aanhalingstekens en haakjes.`,
    en: (p) => `This is not a valid JSON file${p.line ? ` (line ${p.line}, column ${p.column})` : ''}: ${p.detail}.`,
  },
  emptyFile: {
    nl: () => 'Het bestand is leeg.',
    en: () => 'The file is empty.',
  },
  notObject: {
    nl: () => 'Een instrument is een JSON-object: { … }.',
    en: () => 'An instrument is a JSON object: { … }.',
  },
  required: {
    nl: (p) => `Het verplichte veld "${p.field}" ontbreekt.`,
    en: (p) => `The required field "${p.field}" is missing.`,
  },
  unknownField: {
    nl: (p) => `Onbekend veld "${p.field}". Is het een typefout?`,
    en: (p) => `Unknown field "${p.field}". Is it a typo?`,
  },
  misspelledField: {
    nl: (p) => `Onbekend veld "${p.field}". Bedoel je "${p.meant}"?`,
    en: (p) => `Unknown field "${p.field}". Did you mean "${p.meant}"?`,
  },
  wrongType: {
    nl: (p) => `Verwacht ${typeName(p.expected, 'nl')}, maar dit is ${typeName(p.actual, 'nl')}.`,
    en: (p) => `Expected ${typeName(p.expected, 'en')}, but this is ${typeName(p.actual, 'en')}.`,
  },
  notAllowed: {
    nl: (p) => `"${p.value}" is hier niet toegestaan. Kies uit: ${list(p.allowed)}.`,
    en: (p) => `"${p.value}" is not allowed here. Choose from: ${list(p.allowed)}.`,
  },
  unsupportedFormat: {
    nl: (p) =>
      `Onbekende formaatversie ${p.value}. Deze versie van Meekijken leest formaat ${String(p.expected).replace(/, ([^,]*)$/, ' en $1')}.`,
    en: (p) =>
      `Unknown format version ${p.value}. This version of Meekijken reads format ${String(p.expected).replace(/, ([^,]*)$/, ' and $1')}.`,
  },
  badId: {
    nl: (p) => `"${p.value}" is geen geldige id: gebruik kleine letters, cijfers en streepjes (zoals "klimaat-1").`,
    en: (p) => `"${p.value}" is not a valid id: use lowercase letters, digits and hyphens (like "climate-1").`,
  },
  badVersion: {
    nl: (p) => `"${p.value}" is geen geldig versienummer: gebruik drie getallen, zoals "1.0.0".`,
    en: (p) => `"${p.value}" is not a valid version: use three numbers, like "1.0.0".`,
  },
  badLanguage: {
    nl: (p) => `"${p.value}" is geen geldige taalcode: gebruik twee kleine letters, zoals "nl" of "en".`,
    en: (p) => `"${p.value}" is not a valid language code: use two lowercase letters, like "nl" or "en".`,
  },
  badLevelKey: {
    nl: (p) => `"${p.value}" is geen niveau: gebruik de waarde van een schaalniveau, zoals "1", of de id van een band.`,
    en: (p) => `"${p.value}" is not a level: use the value of a scale level, like "1", or the id of a band.`,
  },
  badPattern: {
    nl: (p) => `"${p.value}" heeft niet de juiste vorm.`,
    en: (p) => `"${p.value}" is not in the right format.`,
  },
  empty: {
    nl: () => 'Mag niet leeg zijn.',
    en: () => 'Must not be empty.',
  },
  tooLong: {
    nl: (p) => `Te lang: ${p.actual} tekens, hoogstens ${p.limit} toegestaan.`,
    en: (p) => `Too long: ${p.actual} characters, at most ${p.limit} allowed.`,
  },
  tooShort: {
    nl: (p) => `Te kort: minstens ${p.limit} tekens nodig.`,
    en: (p) => `Too short: at least ${p.limit} characters needed.`,
  },
  tooFew: {
    nl: (p) => `Te weinig: minstens ${p.limit} nodig, nu ${p.actual}.`,
    en: (p) => `Too few: at least ${p.limit} needed, found ${p.actual}.`,
  },
  tooMany: {
    nl: (p) => `Te veel: hoogstens ${p.limit} toegestaan, nu ${p.actual}.`,
    en: (p) => `Too many: at most ${p.limit} allowed, found ${p.actual}.`,
  },
  tooSmall: {
    nl: (p) => `Moet ${p.strict ? 'groter dan' : 'minstens'} ${p.limit} zijn, maar is ${p.value}.`,
    en: (p) => `Must be ${p.strict ? 'greater than' : 'at least'} ${p.limit}, but is ${p.value}.`,
  },
  tooLarge: {
    nl: (p) => `${p.strict ? 'Moet kleiner dan' : 'Mag hoogstens'} ${p.limit} zijn, maar is ${p.value}.`,
    en: (p) => `Must be ${p.strict ? 'less than' : 'at most'} ${p.limit}, but is ${p.value}.`,
  },
  repeatedValue: {
    nl: (p) => `"${p.value}" staat meer dan eens in deze lijst.`,
    en: (p) => `"${p.value}" appears more than once in this list.`,
  },
  unknownResponseType: {
    nl: (p) => `Onbekend antwoordtype "${p.value}". Kies uit: ${list(p.allowed)}.`,
    en: (p) => `Unknown response type "${p.value}". Choose from: ${list(p.allowed)}.`,
  },
  shapeNone: {
    nl: (p) => `Dit heeft geen van de vormen die hier kunnen. Kies één: ${p.forms}.`,
    en: (p) => `This has none of the shapes that fit here. Choose one: ${p.forms}.`,
  },
  shapeBoth: {
    nl: (p) => `Dit past bij meer dan één vorm tegelijk; houd er één over: ${p.forms}.`,
    en: (p) => `This fits more than one shape at once; keep one: ${p.forms}.`,
  },
  keysNone: {
    nl: (p) => `Geef ${alternatives(p.forms, 'of')}.`,
    en: (p) => `Give ${alternatives(p.forms, 'or')}.`,
  },
  keysBoth: {
    nl: (p) => `Geef ${alternatives(p.forms, 'of')}, niet meer dan één.`,
    en: (p) => `Give ${alternatives(p.forms, 'or')}, not more than one.`,
  },
  schema: {
    nl: (p) => `Voldoet niet aan het schema (${p.detail}).`,
    en: (p) => `Does not match the schema (${p.detail}).`,
  },
  duplicateId: {
    nl: (p) => `De id "${p.id}" komt al eerder voor (${p.first}). Ids moeten uniek zijn.`,
    en: (p) => `The id "${p.id}" is already used (${p.first}). Ids must be unique.`,
  },
  duplicateLevel: {
    nl: (p) => `Niveau ${p.value} komt twee keer voor in deze schaal.`,
    en: (p) => `Level ${p.value} appears twice in this scale.`,
  },
  levelsNotAscending: {
    nl: () => 'Zet de niveaus van laag naar hoog: elke waarde moet groter zijn dan de vorige.',
    en: () => 'List the levels from low to high: each value must be greater than the one before.',
  },
  levelDescriptorsIncomplete: {
    nl: (p) => `Niveau ${p.value} heeft geen beschrijving, terwijl andere niveaus van deze schaal die wel hebben.`,
    en: (p) => `Level ${p.value} has no descriptor, while other levels of this scale do.`,
  },
  missingTranslation: {
    nl: (p) => `De tekst in "${p.language}" ontbreekt (het instrument belooft ${p.languages}).`,
    en: (p) => `The text in "${p.language}" is missing (the instrument declares ${p.languages}).`,
  },
  undeclaredLanguage: {
    nl: (p) => `De taal "${p.language}" staat niet in "languages" (${p.languages}).`,
    en: (p) => `The language "${p.language}" is not listed in "languages" (${p.languages}).`,
  },
  blankText: {
    nl: () => 'De tekst bestaat alleen uit spaties.',
    en: () => 'The text consists of spaces only.',
  },
  unknownScale: {
    nl: (p) => `Er is geen schaal met id "${p.id}". Bekende schalen: ${list(p.known) || 'geen'}.`,
    en: (p) => `There is no scale with id "${p.id}". Known scales: ${list(p.known) || 'none'}.`,
  },
  descriptorsWithoutScale: {
    nl: () => 'Niveaubeschrijvingen horen alleen bij een item met een beoordeling op een schaal ("rating").',
    en: () => 'Level descriptors only belong to an item rated on a scale ("rating").',
  },
  descriptorMissing: {
    nl: (p) => `De beschrijving voor niveau ${p.value} van schaal "${p.scale}" ontbreekt.`,
    en: (p) => `The descriptor for level ${p.value} of scale "${p.scale}" is missing.`,
  },
  descriptorUnknownLevel: {
    nl: (p) => `Schaal "${p.scale}" heeft geen niveau ${p.value}. Niveaus: ${list(p.levels)}.`,
    en: (p) => `Scale "${p.scale}" has no level ${p.value}. Levels: ${list(p.levels)}.`,
  },
  descriptorWrongKey: {
    nl: (p) =>
      `Schaal "${p.scale}" heeft geen niveau "${p.value}", en niveau ${p.missing} heeft nog geen beschrijving. Schrijf de sleutel als de waarde van het niveau, zoals "${firstOf(p.missing)}".`,
    en: (p) =>
      `Scale "${p.scale}" has no level "${p.value}", and level ${p.missing} has no descriptor yet. Write the key as the level's value, like "${firstOf(p.missing)}".`,
  },
  reverseWithoutRating: {
    nl: () => '"reverse" heeft alleen betekenis bij een beoordeling op een schaal ("rating").',
    en: () => '"reverse" only has meaning for an item rated on a scale ("rating").',
  },
  checklistWithoutLookFors: {
    nl: () => 'Een item van het type "checklist" heeft minstens één kijkpunt (lookFors) nodig.',
    en: () => 'An item of type "checklist" needs at least one look-for (lookFors).',
  },
  nestingTooDeep: {
    nl: () => 'Gedragsitems onder een element kunnen zelf geen onderliggende items hebben.',
    en: () => 'Behaviours under an element cannot have items of their own.',
  },
  ruleUnknownItem: {
    nl: (p) => `De regel verwijst naar item "${p.id}", maar dat item bestaat niet.`,
    en: (p) => `The rule refers to item "${p.id}", but that item does not exist.`,
  },
  ruleSelfReference: {
    nl: (p) =>
      `De regel maakt item "${p.id}" niet van toepassing, maar hangt zelf af van het antwoord op "${p.id}"; dat kan niet.`,
    en: (p) =>
      `The rule makes item "${p.id}" not applicable, but itself depends on the answer to "${p.id}"; that is not possible.`,
  },
  ruleUnknownDomain: {
    nl: (p) => `De regel noemt domein "${p.id}", maar dat bestaat niet. Domeinen: ${list(p.known)}.`,
    en: (p) => `The rule names section "${p.id}", which does not exist. Sections: ${list(p.known)}.`,
  },
  ruleUnknownScore: {
    nl: (p) => `De regel leest score "${p.id}", maar die bestaat niet. Scores: ${list(p.known)}.`,
    en: (p) => `The rule reads score "${p.id}", which does not exist. Scores: ${list(p.known)}.`,
  },
  ruleReadsScorelessDomain: {
    nl: (p) =>
      `De regel leest de score van domein "${p.id}", maar dat domein geeft geen score, dus de regel geldt nooit. Geef het domein een "score" met beoordeelde items.`,
    en: (p) =>
      `The rule reads the score of section "${p.id}", but that section gives no score, so the rule never holds. Give the section a "score" with rated items.`,
  },
  ruleActsOnItsScore: {
    nl: (p) =>
      `De regel leest een score en toont of schrapt iets waaruit een score wordt berekend die zo'n regel leest (item "${p.id}"). Dan hangt de score van de regel af en de regel van de score; laat de regel iets tonen of vragen dat niet meetelt, of maak het verplicht.`,
    en: (p) =>
      `The rule reads a score and shows or rules out something a score read by such a rule is worked out from (item "${p.id}"). The score would depend on the rule and the rule on the score; let the rule show or ask something that does not count, or require it.`,
  },
  ruleShowsOwnTrigger: {
    nl: (p) =>
      `De regel toont item "${p.id}", maar hangt zelf af van het antwoord op "${p.id}": zolang het verborgen is, kan niemand het beantwoorden, dus het verschijnt nooit.`,
    en: (p) =>
      `The rule shows item "${p.id}", but itself depends on the answer to "${p.id}": while it is hidden nobody can answer it, so it never appears.`,
  },
  ruleRequiresOwnTrigger: {
    nl: (p) =>
      `De regel maakt item "${p.id}" verplicht, maar geldt alleen als "${p.id}" al beantwoord is. Haal "${p.id}" hier weg, of maak het item zelf verplicht ("required": true).`,
    en: (p) =>
      `The rule makes item "${p.id}" required, but only holds once "${p.id}" is answered. Remove "${p.id}" here, or make the item itself required ("required": true).`,
  },
  ruleRequiresScore: {
    nl: (p) =>
      `Item "${p.id}" is een berekende score: niemand vult die in, dus een regel kan hem niet verplicht maken. Maak de items verplicht waaruit hij berekend wordt.`,
    en: (p) =>
      `Item "${p.id}" is a calculated score: nobody fills it in, so a rule cannot make it required. Require the items it is calculated from.`,
  },
  neverShown: {
    nl: (p) =>
      `Item "${p.id}" verschijnt nooit: elke regel die het toont, hangt af van items die zelf verborgen blijven (${p.waits}). Laat minstens één van die regels afhangen van een item dat altijd te zien is.`,
    en: (p) =>
      `Item "${p.id}" never appears: every rule that shows it depends on items that stay hidden themselves (${p.waits}). Let at least one of those rules depend on an item that is always visible.`,
  },
  neverShownTogether: {
    nl: (p) =>
      `De items ${p.ids} verschijnen nooit: de regels die ze tonen, wachten op elkaar. Laat minstens één van die regels afhangen van een item dat altijd te zien is.`,
    en: (p) =>
      `The items ${p.ids} never appear: the rules that show them wait for each other. Let at least one of those rules depend on an item that is always visible.`,
  },
  conditionsContradict: {
    nl: (p) =>
      `Deze voorwaarden over item "${p.id}" kunnen nooit tegelijk gelden (geen enkel antwoord past bij allemaal), dus de regel geldt nooit. Kijk de grenzen en antwoorden na.`,
    en: (p) =>
      `These conditions on item "${p.id}" can never hold together (no answer fits them all), so the rule never holds. Check the bounds and answers.`,
  },
  conditionNeverTrueBelow: {
    nl: (p) => `"atMost": ${p.value} kan nooit gelden: het laagst mogelijke is ${p.limit}.`,
    en: (p) => `"atMost": ${p.value} can never hold: the lowest possible is ${p.limit}.`,
  },
  ruleUnsupportedItem: {
    nl: (p) =>
      `Een regel kan afhangen van een beoordeling, ja/nee, keuze, teller, kijkpunten of een veld van een momentopname; item "${p.id}" is van het type "${p.type}".`,
    en: (p) =>
      `A rule can depend on a rating, yes/no, choice, counter, look-fors or a snapshot field; item "${p.id}" is of type "${p.type}".`,
  },
  ruleUnknownAnswer: {
    nl: (p) => `Item "${p.id}" kan niet het antwoord "${p.value}" krijgen. Mogelijk: ${list(p.allowed)}.`,
    en: (p) => `Item "${p.id}" cannot have the answer "${p.value}". Possible: ${list(p.allowed)}.`,
  },
  rangeInverted: {
    nl: (p) => `Het minimum (${p.min}) is groter dan het maximum (${p.max}).`,
    en: (p) => `The minimum (${p.min}) is greater than the maximum (${p.max}).`,
  },
  bandsNotContiguous: {
    nl: (p) => `Deze band moet beginnen bij ${p.expected}, direct na de vorige band, maar begint bij ${p.value}.`,
    en: (p) => `This band must start at ${p.expected}, right after the previous band, but starts at ${p.value}.`,
  },
  bandOpenNotLast: {
    nl: () => 'Alleen de laatste band mag zonder maximum zijn.',
    en: () => 'Only the last band may have no maximum.',
  },
  scheduleForm: {
    nl: () =>
      'Kies één manier: "atMinutes" (een lijst minuten), "everyMinutes" met "fromMinute" en "untilMinute", of "equalParts" (de les in gelijke delen).',
    en: () =>
      'Choose one way: "atMinutes" (a list of minutes), "everyMinutes" with "fromMinute" and "untilMinute", or "equalParts" (the lesson in equal parts).',
  },
  scheduleNotAscending: {
    nl: () => 'Zet de minuten op volgorde, zonder herhaling.',
    en: () => 'List the minutes in order, without repeats.',
  },
  scheduleBeyondLesson: {
    nl: (p) => `Minuut ${p.value} valt na het einde van de les (${p.limit} minuten).`,
    en: (p) => `Minute ${p.value} falls after the end of the lesson (${p.limit} minutes).`,
  },
  scheduleBeyondRepeat: {
    nl: (p) =>
      `Minuut ${p.value} valt na het einde van één herhaling (${p.limit} minuten). In een herhaald onderdeel tellen de minuten vanaf het begin van de herhaling.`,
    en: (p) =>
      `Minute ${p.value} falls after the end of one repetition (${p.limit} minutes). In a repeated section the minutes count from the start of the repetition.`,
  },
  contextOptionsMissing: {
    nl: () => 'Een contextveld met "input": "choice" heeft "options" nodig.',
    en: () => 'A context field with "input": "choice" needs "options".',
  },
  basedOnSelf: {
    nl: () => 'Een instrument kan niet op zichzelf gebaseerd zijn.',
    en: () => 'An instrument cannot be based on itself.',
  },
  // Format 2 (cycles, scores, bands, groups, rules).
  needsFormat2: {
    nl: (p) => `"${p.field}" hoort bij formaat 2: zet "format": 2 bovenaan het bestand.`,
    en: (p) => `"${p.field}" belongs to format 2: set "format": 2 at the top of the file.`,
  },
  needsFormat3: {
    nl: (p) => `"${p.field}" hoort bij formaat 3: zet "format": 3 bovenaan het bestand.`,
    en: (p) => `"${p.field}" belongs to format 3: set "format": 3 at the top of the file.`,
  },
  descriptorTwice: {
    nl: (p) => `Niveau ${p.value} heeft een eigen beschrijving én een beschrijving via zijn band; kies er één.`,
    en: (p) => `Level ${p.value} has a descriptor of its own and one through its band; keep one.`,
  },
  bandNotALevel: {
    nl: (p) => `${p.value} is geen niveau van deze schaal. Niveaus: ${list(p.levels)}.`,
    en: (p) => `${p.value} is not a level of this scale. Levels: ${list(p.levels)}.`,
  },
  bandsOverlap: {
    nl: (p) =>
      `Deze band begint bij ${p.value}, binnen de vorige band. Zet de banden van laag naar hoog, zonder overlap.`,
    en: (p) =>
      `This band starts at ${p.value}, inside the previous band. List the bands from low to high, without overlap.`,
  },
  bandsIncomplete: {
    nl: (p) => `Niveau ${p.levels} valt in geen enkele band; elke waarde hoort in precies één band.`,
    en: (p) => `Level ${p.levels} is in no band; every level belongs to exactly one band.`,
  },
  descriptorOverlap: {
    nl: (p) =>
      `Niveau ${p.value} is al beschreven (onder "${p.first}"). Beschrijf elk niveau één keer, per niveau of per band.`,
    en: (p) =>
      `Level ${p.value} is already described (under "${p.first}"). Describe each level once, by level or by band.`,
  },
  lookForAnswerWithoutLookFors: {
    nl: () => '"lookForAnswer" heeft alleen betekenis bij een item met kijkpunten (lookFors).',
    en: () => '"lookForAnswer" only has meaning for an item with look-fors (lookFors).',
  },
  scoreNotAnswered: {
    nl: () => 'Een berekende score vult niemand in, dus die kan niet verplicht zijn.',
    en: () => 'Nobody fills in a calculated score, so it cannot be required.',
  },
  fieldNotForInput: {
    nl: (p) => `"${p.field}" hoort niet bij een contextveld met "input": "${p.input}".`,
    en: (p) => `"${p.field}" does not belong to a context field with "input": "${p.input}".`,
  },
  maxEntriesWithoutRepeatable: {
    nl: () => '"maxEntries" heeft alleen betekenis met "repeatable": true.',
    en: () => '"maxEntries" only has meaning with "repeatable": true.',
  },
  groupWithoutGroups: {
    nl: () => 'Deze optie noemt een groep, maar de keuze heeft geen "groups".',
    en: () => 'This option names a group, but the choice has no "groups".',
  },
  optionWithoutGroup: {
    nl: () => 'Deze keuze heeft groepen, dus elke optie moet een "group" noemen.',
    en: () => 'This choice has groups, so every option must name a "group".',
  },
  unknownGroup: {
    nl: (p) => `Er is geen groep "${p.id}". Groepen: ${list(p.known)}.`,
    en: (p) => `There is no group "${p.id}". Groups: ${list(p.known)}.`,
  },
  emptyGroup: {
    nl: (p) => `Groep "${p.id}" heeft geen enkele optie.`,
    en: (p) => `Group "${p.id}" has no options.`,
  },
  ruleAcrossSections: {
    nl: () =>
      'Een regel over een herhaald onderdeel (cyclus) kan alleen items in datzelfde onderdeel sturen, en leest maar één herhaald onderdeel.',
    en: () =>
      'A rule about a repeated section (cycle) can only act on items in that same section, and reads only one repeated section.',
  },
  ruleConflictingEffects: {
    nl: (p) =>
      `De regel doet twee dingen met item "${p.id}" (${effectWord(p.first, 'nl')} en ${effectWord(p.second, 'nl')}); kies er één.`,
    en: (p) =>
      `The rule does two things to item "${p.id}" (${effectWord(p.first, 'en')} and ${effectWord(p.second, 'en')}); choose one.`,
  },
  duplicateRule: {
    nl: (p) => `Deze regel is gelijk aan ${p.first}. Verwijder er één.`,
    en: (p) => `This rule is the same as ${p.first}. Remove one of them.`,
  },
  redundantRule: {
    nl: (p) => `${p.first} heeft dezelfde voorwaarde en doet al hetzelfde met: ${list(p.items)}. Haal die hier weg.`,
    en: (p) => `${p.first} has the same condition and already does the same to: ${list(p.items)}. Remove them here.`,
  },
  conditionRepeated: {
    nl: (p) => `Deze voorwaarde staat er al (${p.first}).`,
    en: (p) => `This condition is already there (${p.first}).`,
  },
  conditionFieldNotSnapshot: {
    nl: (p) => `"field" kan alleen bij een momentopname; item "${p.id}" is dat niet.`,
    en: (p) => `"field" only works with a snapshot item; item "${p.id}" is not one.`,
  },
  conditionUnknownField: {
    nl: (p) => `Momentopname "${p.id}" heeft geen veld "${p.field}". Velden: ${list(p.known)}.`,
    en: (p) => `Snapshot "${p.id}" has no field "${p.field}". Fields: ${list(p.known)}.`,
  },
  conditionAlwaysTrue: {
    nl: (p) =>
      `Deze voorwaarde noemt elk mogelijk antwoord van "${p.id}", dus geldt bij elk antwoord. Noem alleen de antwoorden die tellen.`,
    en: (p) =>
      `This condition lists every possible answer of "${p.id}", so it holds for any answer. List only the answers that matter.`,
  },
  conditionNotNumeric: {
    nl: (p) => `"atLeast"/"atMost" vragen om een getal, maar item "${p.id}" (${p.type}) geeft er geen. Gebruik "in".`,
    en: (p) => `"atLeast"/"atMost" need a number, but item "${p.id}" (${p.type}) gives none. Use "in".`,
  },
  conditionWithoutBounds: {
    nl: () => 'Geef "atLeast", "atMost" of allebei.',
    en: () => 'Give "atLeast", "atMost" or both.',
  },
  conditionNeverTrue: {
    nl: (p) => `"atLeast": ${p.value} kan nooit gelden: het hoogst mogelijke is ${p.limit}.`,
    en: (p) => `"atLeast": ${p.value} can never hold: the highest possible is ${p.limit}.`,
  },
  mapOverlap: {
    nl: (p) => `Het bereik ${p.min}–${p.max} overlapt met een eerder bereik in deze scoretabel.`,
    en: (p) => `The range ${p.min}–${p.max} overlaps an earlier range in this score table.`,
  },
  unknownMap: {
    nl: (p) => `Er is geen scoretabel "${p.id}". Bekende: ${list(p.known)}.`,
    en: (p) => `There is no score table "${p.id}". Known: ${list(p.known)}.`,
  },
  mapMissesLevels: {
    nl: (p) =>
      `Scoretabel "${p.id}" geeft niveau ${p.levels} geen score, dus een antwoord op dat niveau telt niet mee. Geef de tabel een rij voor niveau ${p.levels}.`,
    en: (p) =>
      `Score table "${p.id}" gives level ${p.levels} no score, so an answer at that level does not count. Give the table a row for level ${p.levels}.`,
  },
  weightsWithoutMean: {
    nl: (p) => `Gewichten werken alleen bij "mean" of "sum", niet bij "${p.method}".`,
    en: (p) => `Weights only work with "mean" or "sum", not with "${p.method}".`,
  },
  weightUnknownPart: {
    nl: (p) => `"${p.id}" is geen onderdeel van deze score. Onderdelen: ${list(p.parts)}.`,
    en: (p) => `"${p.id}" is not a part of this score. Parts: ${list(p.parts)}.`,
  },
  scoreWithoutParts: {
    nl: (p) => `Deze score wordt berekend uit "${p.from}", maar het item heeft er geen.`,
    en: (p) => `This score is calculated from "${p.from}", but the item has none.`,
  },
  scoreUnknownPart: {
    nl: (p) => `Deze score leest "${p.id}", maar dat bestaat niet.`,
    en: (p) => `This score reads "${p.id}", which does not exist.`,
  },
  scoreCircular: {
    nl: (p) => `Deze score leest uiteindelijk zichzelf (${p.id}).`,
    en: (p) => `This score ends up reading itself (${p.id}).`,
  },
  minPartsTooMany: {
    nl: (p) =>
      `"minParts" vraagt om ${p.value} onderdelen met een score, maar deze score heeft er maar ${p.parts}. Zo komt er nooit een score; maak "minParts" hoogstens ${p.parts}.`,
    en: (p) =>
      `"minParts" asks for ${p.value} parts with a score, but this score has only ${p.parts}. It would never give a score; make "minParts" at most ${p.parts}.`,
  },
  domainScoreWithoutItems: {
    nl: () =>
      'Dit domein heeft een score, maar geen enkel item dat een score geeft (een beoordeling, ja/nee, teller of berekende score).',
    en: () => 'This section has a score, but no item that gives one (a rating, yes/no, counter or calculated score).',
  },
  scoreReadsScorelessDomain: {
    nl: (p) =>
      `Deze score leest domein "${p.id}", maar dat domein geeft geen score. Geef het domein een "score" (bijvoorbeeld { "method": "mean" }) met beoordeelde items, of lees zijn items.`,
    en: (p) =>
      `This score reads section "${p.id}", but that section gives no score. Give the section a "score" (for example { "method": "mean" }) with rated items, or read its items.`,
  },
  selfRatedInRepeat: {
    nl: () =>
      'De geobserveerde leerkracht vult zijn deel na de les één keer in; een herhaald onderdeel (cyclus) vult de observant per herhaling in tijdens de les. Zet dit deel in een onderdeel zonder "repeat".',
    en: () =>
      'The observed teacher answers their part once, after the lesson; a repeated section (cycle) is answered by the observer per repetition during the lesson. Put this part in a section without "repeat".',
  },
  overridableWithoutScale: {
    nl: () =>
      'De observant kan een berekende score alleen anders zetten op een niveau van een schaal: geef de score een "scale".',
    en: () => 'The observer can only set a calculated score otherwise on a level of a scale: give the score a "scale".',
  },
  matchForm: {
    nl: () =>
      'Een combinatie ("match", "among") is één van: { "field", "in" }, { "field", "atLeast", "atMost" }, { "all": [...] } of { "any": [...] }.',
    en: () =>
      'A combination ("match", "among") is one of: { "field", "in" }, { "field", "atLeast", "atMost" }, { "all": [...] } or { "any": [...] }.',
  },
  scorePartNeverScored: {
    nl: (p) =>
      `Deze score leest "${p.id}", maar daar komt nooit een score uit (een tekst, datum of keuze krijgt er geen). Lees een beoordeling, ja/nee, teller of berekende score.`,
    en: (p) =>
      `This score reads "${p.id}", which never gives a score (a text, date or choice has none). Read a rating, yes/no, counter or calculated score.`,
  },
  ratioNeedsTwo: {
    nl: (p) =>
      `Een verhouding ("ratio") deelt het eerste onderdeel door het tweede, dus heeft precies twee onderdelen nodig; deze score heeft er ${p.parts}.`,
    en: (p) =>
      `A ratio divides the first part by the second, so it needs exactly two parts; this score has ${p.parts}.`,
  },
  patternWithoutCases: {
    nl: () => 'Een score volgens patroon ("pattern") heeft "patterns" nodig: de gevallen met de score die erbij hoort.',
    en: () => 'A pattern score needs "patterns": the cases, each with its score.',
  },
  patternsWithoutPattern: {
    nl: (p) => `"patterns" werkt alleen met "method": "pattern", niet met "${p.method}".`,
    en: (p) => `"patterns" only works with "method": "pattern", not with "${p.method}".`,
  },
  shareAboveOne: {
    nl: (p) =>
      `Met "share" is dit een deel van alle onderdelen, van 0 tot 1; ${p.value} kan nooit. Schrijf bijvoorbeeld 0.5 voor de helft.`,
    en: (p) =>
      `With "share" this is a share of all parts, from 0 to 1; ${p.value} is never reached. Write 0.5 for half, for example.`,
  },
  countNeverHolds: {
    nl: (p) =>
      `Deze telling kan nooit uitkomen (${p.reason === 'bounds' ? 'de grenzen sluiten elkaar uit' : p.reason === 'share' ? 'een deel ligt van 0 tot 1' : `er zijn hoogstens ${p.parts} onderdelen`}), dus dit geval geeft nooit zijn score. Pas de grenzen aan.`,
    en: (p) =>
      `This count can never hold (${p.reason === 'bounds' ? 'its bounds leave nothing between them' : p.reason === 'share' ? 'a share is from 0 to 1' : `there are at most ${p.parts} parts`}), so this case never gives its score. Change its bounds.`,
  },
  bandNeverReached: {
    nl: (p) =>
      `Dit scoregebied (${decimal(p.from, 'nl')} tot ${decimal(p.to, 'nl')}) ligt buiten wat de score kan worden (${decimal(p.min, 'nl')} tot en met ${decimal(p.max, 'nl')}), dus geen score krijgt deze naam.${p.percent === 'yes' ? ' Een percentage is hier een deel van 0 tot 1: schrijf 50 % als 0,5.' : ' Pas de grenzen aan.'}`,
    en: (p) =>
      `This range (${p.from} to ${p.to}) lies outside what the score can be (${p.min} to ${p.max}), so no score gets this name.${p.percent === 'yes' ? ' A percentage is a share from 0 to 1 here: write 50 % as 0.5.' : ' Change its bounds.'}`,
  },
  bandsLeaveGap: {
    nl: (p) =>
      `Een score tussen ${decimal(p.after, 'nl')} en ${decimal(p.before, 'nl')} (bijvoorbeeld ${decimal(p.example, 'nl')}) krijgt geen naam: dit scoregebied begint pas bij ${decimal(p.before, 'nl')}. Laat het vorige lopen tot (maar niet met) ${decimal(p.before, 'nl')}.`,
    en: (p) =>
      `A score between ${p.after} and ${p.before} (for example ${p.example}) gets no name: this range only starts at ${p.before}. Let the one before run up to (but not including) ${p.before}.`,
  },
  conditionScoreOutOfRange: {
    nl: (p) =>
      p.bound === 'atLeast'
        ? `"Minstens ${decimal(p.value, 'nl')}" is nooit waar: deze score is hoogstens ${decimal(p.max, 'nl')}.`
        : `"Hoogstens ${decimal(p.value, 'nl')}" is nooit waar: deze score is minstens ${decimal(p.min, 'nl')}.`,
    en: (p) =>
      p.bound === 'atLeast'
        ? `"At least ${p.value}" is never true: this score is at most ${p.max}.`
        : `"At most ${p.value}" is never true: this score is at least ${p.min}.`,
  },
  patternScoreNotLevel: {
    nl: (p) =>
      `Score ${decimal(p.value, 'nl')} is geen niveau van de schaal waarop dit item gelezen wordt (${p.levels}), dus het wordt het dichtstbijzijnde niveau. Kies een van de niveaus.`,
    en: (p) =>
      `Score ${p.value} is not a level of the scale this item is read on (${p.levels}), so it becomes the nearest level. Choose one of the levels.`,
  },
  patternCaseUnreachable: {
    nl: (p) =>
      `Dit geval geeft nooit zijn score: als het klopt, klopt geval ${p.earlier} ook, en dat gaat voor. Zet het eerder of maak het anders.`,
    en: (p) =>
      `This case never gives its score: whenever it holds, case ${p.earlier} holds too, and that one comes first. Move it up or make it different.`,
  },
  scoreSourceKinds: {
    nl: () => 'Een onderdeel van een score noemt precies één van "domain", "item", "score", "itemsOf" of "context".',
    en: () => 'A part of a score names exactly one of "domain", "item", "score", "itemsOf" or "context".',
  },
  snapshotSourceForm: {
    nl: () => 'Een score uit een momentopname leest óf één veld ("field"), óf een combinatie van velden ("match").',
    en: () => 'A score from a snapshot reads either one field ("field") or a combination of fields ("match").',
  },
  perNeedsNumber: {
    nl: () =>
      '"per" deelt een getal door een ander getal; met "in" of "match" telt elke momentopname als 1 of 0. Laat "per" weg, of lees een teller of beoordeling.',
    en: () =>
      '"per" divides a number by another; with "in" or "match" each snapshot counts as 1 or 0. Leave out "per", or read a counter or rating.',
  },
  unknownContext: {
    nl: (p) => `Er is geen vraag over de les met id "${p.id}". Vragen met een getal: ${list(p.known)}.`,
    en: (p) => `There is no question about the lesson with id "${p.id}". Questions with a number: ${list(p.known)}.`,
  },
  contextNotNumber: {
    nl: (p) =>
      `Vraag "${p.id}" over de les heeft geen getal als antwoord ("input": "number"). Vragen met een getal: ${list(p.known)}.`,
    en: (p) =>
      `Question "${p.id}" about the lesson has no number as its answer ("input": "number"). Questions with a number: ${list(p.known)}.`,
  },
  repeatGroupDisagrees: {
    nl: (p) =>
      `Onderdelen in herhaalgroep "${p.group}" worden samen herhaald: "${p.field}" moet hier hetzelfde zijn als bij ${p.first}.`,
    en: (p) =>
      `Sections in repeat group "${p.group}" are repeated together: "${p.field}" must be the same here as in ${p.first}.`,
  },
  scoreAcrossSections: {
    nl: (p) =>
      `Item "${p.id}" staat in een ander (herhaald) onderdeel; een score leest items uit zijn eigen onderdeel.`,
    en: (p) => `Item "${p.id}" is in another (repeated) section; a score reads items from its own section.`,
  },

  // What a file must be before its content is checked at all (text-input.ts, json-text.ts, limits.ts), what no
  // text may contain (characters.ts), and the validator's own failure (validate.ts).
  fileTooLarge: {
    nl: (p) => `Het bestand is ${p.actual} groot; een instrument mag hoogstens ${p.limit} zijn.`,
    en: (p) => `The file is ${p.actual}; an instrument may be at most ${p.limit}.`,
  },
  notUtf8: {
    nl: (p) =>
      `Dit bestand is geen geldige UTF-8-tekst: byte ${p.offset} (regel ${p.line}, kolom ${p.column}) hoort bij geen enkele letter. Sla het bestand op als UTF-8.`,
    en: (p) =>
      `This file is not valid UTF-8 text: byte ${p.offset} (line ${p.line}, column ${p.column}) is not part of any character. Save the file as UTF-8.`,
  },
  utf16File: {
    nl: (p) => `Dit bestand is opgeslagen als ${p.encoding}. Sla het op als UTF-8 en kies het opnieuw.`,
    en: (p) => `This file is saved as ${p.encoding}. Save it as UTF-8 and choose it again.`,
  },
  tooDeep: {
    nl: (p) =>
      `Te diep genest: meer dan ${p.limit} lagen { } en [ ] in elkaar${p.line ? ` (regel ${p.line}, kolom ${p.column})` : ''}. Een instrument heeft er veel minder nodig.`,
    en: (p) =>
      `Nested too deeply: more than ${p.limit} levels of { } and [ ]${p.line ? ` (line ${p.line}, column ${p.column})` : ''}. An instrument needs far fewer.`,
  },
  tooManyValues: {
    nl: (p) => `Het bestand bevat meer dan ${p.limit} waarden; zo groot is geen instrument.`,
    en: (p) => `The file contains more than ${p.limit} values; no instrument is that large.`,
  },
  duplicateKey: {
    nl: (p) =>
      `Het veld "${p.key}" staat twee keer in hetzelfde object (regel ${p.line}, kolom ${p.column}). Laat er één over.`,
    en: (p) => `The field "${p.key}" appears twice in the same object (line ${p.line}, column ${p.column}). Keep one.`,
  },
  controlCharacter: {
    nl: (p) =>
      `Deze tekst bevat het stuurteken ${p.char} (teken ${p.position}). Haal het weg: het is onzichtbaar en hoort niet in een tekst.`,
    en: (p) =>
      `This text contains the control character ${p.char} (character ${p.position}). Remove it: it is invisible and does not belong in a text.`,
  },
  brokenCharacter: {
    nl: (p) => `Deze tekst bevat een half teken (${p.char}, teken ${p.position}). Typ dat teken opnieuw.`,
    en: (p) => `This text contains half a character (${p.char}, character ${p.position}). Type that character again.`,
  },
  invisibleText: {
    nl: (p) => `De tekst bestaat alleen uit onzichtbare tekens (zoals ${p.char}) en spaties.`,
    en: (p) => `The text consists of invisible characters (such as ${p.char}) and spaces only.`,
  },
  infiniteNumber: {
    nl: () => 'Dit getal is te groot om mee te rekenen (het telt als oneindig). Gebruik een gewoon getal.',
    en: () => 'This number is too large to work with (it counts as infinite). Use an ordinary number.',
  },
  moreSchemaProblems: {
    nl: (p) =>
      `En nog ${p.count} plekken waar het bestand niet bij het schema past. Los eerst de problemen hierboven op.`,
    en: (p) => `And ${p.count} more places where the file does not match the schema. Fix the problems above first.`,
  },
  couldNotCheck: {
    nl: (p) =>
      `Dit bestand kon niet worden gecontroleerd door een fout in Meekijken (${p.detail}). Dit zegt niets over het bestand.`,
    en: (p) =>
      `This file could not be checked because of an error in Meekijken (${p.detail}). This says nothing about the file.`,
  },
} satisfies Record<string, Template>;

export type ProblemCode = keyof typeof TEMPLATES;

export const PROBLEM_CODES = Object.keys(TEMPLATES) as ProblemCode[];

export function problem(path: string, code: ProblemCode, params: ProblemParams = {}): InstrumentProblem {
  const template: Template = TEMPLATES[code];
  return {
    path,
    code,
    message: { nl: template.nl(inLanguage(params, 'nl')), en: template.en(inLanguage(params, 'en')) },
  };
}

/** The params as a message in one language reads them. */
function inLanguage(params: ProblemParams, language: keyof LocalizedParam): Params {
  const read: Params = {};
  for (const [key, value] of Object.entries(params)) read[key] = typeof value === 'object' ? value[language] : value;
  return read;
}

const TYPE_NAMES: Record<string, { nl: string; en: string }> = {
  string: { nl: 'tekst', en: 'text' },
  number: { nl: 'een getal', en: 'a number' },
  integer: { nl: 'een geheel getal', en: 'a whole number' },
  boolean: { nl: 'true of false', en: 'true or false' },
  object: { nl: 'een object { … }', en: 'an object { … }' },
  array: { nl: 'een lijst [ … ]', en: 'a list [ … ]' },
  null: { nl: 'null', en: 'null' },
  // JSON's 1e999 reads as Infinity, which JSON Schema does not count as a number.
  infinite: { nl: 'een oneindig groot getal', en: 'an infinite number' },
};

function typeName(type: string | number | undefined, language: 'nl' | 'en'): string {
  const names = String(type ?? '')
    .split(',')
    .map((t) => TYPE_NAMES[t]?.[language] ?? t);
  return names.join(language === 'nl' ? ' of ' : ' or ');
}

export { formatPath } from './json-path';
