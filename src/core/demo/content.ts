/**
 * What the demo school is made of: school and team names, groups and subjects, people's names, focus questions,
 * and the texts an observer writes (evidence, notes, tops and tips). Dutch, as a Dutch school would write them.
 */

export const SCHOOL_NAMES = [
  'Basisschool De Regenboog',
  'OBS De Vlinderhof',
  'CBS De Wegwijzer',
  'Basisschool Het Palet',
  'IKC De Klimboom',
  'Basisschool De Vuurtoren',
  'OBS De Horizon',
  'Basisschool Het Kompas',
  'CBS De Zaaier',
  'Kindcentrum De Boomgaard',
];

export interface TeamPlan {
  name: string;
  groups: number[];
}

const TEAM_LAYOUTS: Record<number, TeamPlan[]> = {
  1: [{ name: 'Team (groep 1-8)', groups: [1, 3, 4, 5, 6, 7, 8] }],
  2: [
    { name: 'Onderbouw (groep 1-4)', groups: [1, 3, 4] },
    { name: 'Bovenbouw (groep 5-8)', groups: [5, 6, 7, 8] },
  ],
  3: [
    { name: 'Onderbouw (groep 1-2)', groups: [1] },
    { name: 'Middenbouw (groep 3-5)', groups: [3, 4, 5] },
    { name: 'Bovenbouw (groep 6-8)', groups: [6, 7, 8] },
  ],
  4: [
    { name: 'Onderbouw (groep 1-2)', groups: [1] },
    { name: 'Middenbouw (groep 3-4)', groups: [3, 4] },
    { name: 'Middenbouw (groep 5-6)', groups: [5, 6] },
    { name: 'Bovenbouw (groep 7-8)', groups: [7, 8] },
  ],
};
const LOCATIONS = ['Noord', 'Zuid', 'Oost', 'West', 'Centrum', 'Dorp'];

export function teamLayout(count: number): TeamPlan[] {
  const fixed = TEAM_LAYOUTS[count];
  if (fixed) return fixed;
  // More teams: the three-team layout per location ("Onderbouw Noord (groep 1-2)").
  const base = TEAM_LAYOUTS[3]!;
  return Array.from({ length: count }, (_, i) => {
    const plan = base[i % 3]!;
    const round = Math.floor(i / 3);
    const location =
      LOCATIONS[round % LOCATIONS.length]! +
      (round >= LOCATIONS.length ? ` ${Math.floor(round / LOCATIONS.length) + 1}` : '');
    return { name: plan.name.replace(' (', ` ${location} (`), groups: plan.groups };
  });
}

/** Group 1 stands for the combined kindergarten class "groep 1-2". */
export const groupLabel = (group: number) => (group === 1 ? 'groep 1-2' : `groep ${group}`);

const SUBJECTS = {
  kleuters: ['kring', 'taalactiviteit', 'rekenactiviteit', 'spelen en werken', 'voorlezen'],
  groep3: ['rekenen', 'technisch lezen', 'spelling', 'taal', 'schrijven'],
  middenbouw: ['rekenen', 'spelling', 'taal', 'begrijpend lezen', 'technisch lezen', 'wereldoriëntatie'],
  bovenbouw: [
    'rekenen',
    'taal',
    'spelling',
    'begrijpend lezen',
    'aardrijkskunde',
    'geschiedenis',
    'natuur en techniek',
    'Engels',
  ],
};

export function subjectsFor(group: number): string[] {
  if (group <= 2) return SUBJECTS.kleuters;
  if (group === 3) return SUBJECTS.groep3;
  if (group <= 5) return SUBJECTS.middenbouw;
  return SUBJECTS.bovenbouw;
}

export const FIRST_NAMES = [
  'Anouk',
  'Sanne',
  'Lotte',
  'Femke',
  'Eva',
  'Iris',
  'Marloes',
  'Inge',
  'Ellen',
  'Petra',
  'Karin',
  'Mirjam',
  'Esther',
  'Nadia',
  'Fatima',
  'Samira',
  'Yasmina',
  'Naima',
  'Ayşe',
  'Elif',
  'Zeynep',
  'Priya',
  'Shanti',
  'Chantal',
  'Ingrid',
  'Wendy',
  'Marieke',
  'Joyce',
  'Kim',
  'Lieke',
  'Noor',
  'Roos',
  'Hanna',
  'Jolien',
  'Yara',
  'Dewi',
  'Mei',
  'Linh',
  'Daan',
  'Bram',
  'Thijs',
  'Jeroen',
  'Mark',
  'Erik',
  'Pieter',
  'Sander',
  'Joost',
  'Mohamed',
  'Youssef',
  'Hamza',
  'Mehmet',
  'Emre',
  'Kevin',
  'Rachid',
  'Wouter',
  'Ruud',
  'Bas',
  'Tim',
  'Jasper',
  'Orlando',
  'Bilal',
  'Soufiane',
  'Anand',
  'Frank',
  'Martijn',
  'Floor',
  'Hester',
  'Saskia',
];

export const LAST_NAMES = [
  'de Vries',
  'Jansen',
  'van den Berg',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'de Boer',
  'Mulder',
  'de Groot',
  'Bos',
  'Vos',
  'Peters',
  'Hendriks',
  'van Leeuwen',
  'Dekker',
  'Brouwer',
  'de Wit',
  'Dijkstra',
  'Smits',
  'de Graaf',
  'van der Meer',
  'van der Linden',
  'Kok',
  'Jacobs',
  'de Haan',
  'Vermeulen',
  'van Dijk',
  'Schouten',
  'Willems',
  'Hoekstra',
  'Koster',
  'Prins',
  'Kuipers',
  'Postma',
  'El Amrani',
  'Bouzidi',
  'Yılmaz',
  'Demir',
  'Kaya',
  'Öztürk',
  'Ramdin',
  'Baldewsingh',
  'Nguyen',
  'Tran',
  'Kartosen',
  'Pinas',
  'Martina',
  'Haddou',
  'Ait Taleb',
  'Wong',
  'Doğan',
  'Kramer',
  'Verhoeven',
  'Timmermans',
  'Bosman',
  'Scholten',
  'van Beek',
  'Wijnands',
];

export const FOCUS_QUESTIONS = [
  'Hoe kan ik de verlengde instructie korter en gerichter maken?',
  'Krijgen alle leerlingen evenveel beurten, ook de stille leerlingen?',
  'Hoe kan ik beter nagaan of iedereen de uitleg heeft begrepen?',
  'Verlopen de overgangen tussen de lesonderdelen rustig genoeg?',
  'Hoe zorg ik dat leerlingen die meer aankunnen genoeg uitdaging krijgen?',
  'Is het lesdoel voor de leerlingen duidelijk, en kom ik er aan het eind op terug?',
  'Hoe laat ik leerlingen vaker hardop vertellen hoe ze een opdracht aanpakken?',
  'Werken de leerlingen bij het samenwerken echt samen, of vooral naast elkaar?',
  'Hoeveel leertijd gaat er verloren aan wachten?',
  'Doen alle leerlingen mee als ik wisbordjes gebruik?',
  'Geef ik genoeg denktijd voordat ik een beurt geef?',
  'Hoe maak ik de kringinstructie korter en actiever?',
  'Sluiten de verwerkingsopdrachten aan bij de niveaus in mijn groep?',
  'Hoe kan ik de terugblik aan het eind van de les beter benutten?',
];

export const STARTER_FOCUS_QUESTIONS = [
  'Hoe krijg ik de aandacht van de groep snel en rustig terug?',
  'Houd ik me consequent aan de afspraken over gedrag?',
  'Hoe kan ik de start van de les rustiger laten verlopen?',
  'Is mijn uitleg stap voor stap genoeg voor de hele groep?',
  'Weten de leerlingen wat ze moeten doen als ze klaar zijn?',
];

export type Category =
  'klimaat' | 'management' | 'instructie' | 'activerend' | 'differentiatie' | 'strategieen' | 'algemeen';

const DOMAIN_CATEGORY: Record<string, Category> = {
  leerklimaat: 'klimaat',
  'veilige-start': 'klimaat',
  klassenmanagement: 'management',
  organisatie: 'management',
  'duidelijke-instructie': 'instructie',
  instructie: 'instructie',
  'activerende-didactiek': 'activerend',
  differentiatie: 'differentiatie',
  leerstrategieen: 'strategieen',
};
const PREFIX_CATEGORY: Record<string, Category> = {
  lk: 'klimaat',
  km: 'management',
  di: 'instructie',
  ad: 'activerend',
  df: 'differentiatie',
  ls: 'strategieen',
};

export function categoryOf(domainId: string, itemId: string): Category {
  return DOMAIN_CATEGORY[domainId] ?? PREFIX_CATEGORY[itemId.split('-')[0] ?? ''] ?? 'algemeen';
}

/** Evidence notes: what an observer writes next to a high ([0]) or a low ([1]) rating. */
export const EVIDENCE: Record<Category, [string[], string[]]> = {
  klimaat: [
    [
      'Begroette elke leerling bij de deur en noemde ze bij naam.',
      'Gaf een compliment voor de inzet, niet alleen voor het goede antwoord.',
      "Ving een fout antwoord rustig op: 'Fijn dat je het probeert, wie helpt?'",
    ],
    [
      'Corrigeerde gedrag twee keer hardop voor de hele groep.',
      'Weinig persoonlijk contact tijdens het zelfstandig werken.',
      'Een leerling werd uitgelachen; daar werd niet op gereageerd.',
    ],
  ],
  management: [
    [
      'Materialen lagen klaar; de les begon direct na de bel.',
      'Het stilteteken werkte: binnen vijf seconden was de groep stil.',
      'Liep tijdens het zelfstandig werken een vaste ronde langs alle tafels.',
    ],
    [
      'De overgang naar zelfstandig werken duurde ruim vier minuten.',
      'Leerlingen die klaar waren, wisten niet wat ze moesten doen.',
      'De start liep uit doordat het digibord nog opgestart moest worden.',
    ],
  ],
  instructie: [
    [
      'Het lesdoel stond op het bord en kwam aan het eind terug.',
      'Deed de eerste som hardop voor en maakte de tweede samen met de groep.',
      'Controleerde het begrip met wisbordjes voordat de groep zelfstandig ging werken.',
    ],
    [
      'Het lesdoel werd niet genoemd.',
      'De uitleg duurde vijftien minuten; halverwege haakten leerlingen af.',
      'De opdracht stond niet op het bord; meerdere leerlingen vroegen wat ze moesten doen.',
    ],
  ],
  activerend: [
    [
      'Iedereen schreef het antwoord op een wisbordje.',
      'Gebruikte beurtstokjes en gaf echt denktijd.',
      'Eerst dertig seconden overleggen met je buur, daarna klassikaal.',
    ],
    [
      'Steeds dezelfde vier leerlingen kregen de beurt.',
      "Vooral vragen naar feiten, weinig 'waarom'-vragen.",
      'Samenwerkopdracht zonder duidelijke taakverdeling.',
    ],
  ],
  differentiatie: [
    [
      'Verlengde instructie aan de instructietafel voor zes leerlingen, met concreet materiaal.',
      'Er lag een plusopdracht klaar voor de snelle werkers.',
      'Verwerking op drie niveaus, passend bij het groepsoverzicht.',
    ],
    [
      'De verlengde instructie was een herhaling van de klassikale uitleg.',
      'Snelle werkers hadden na tien minuten niets meer te doen.',
      'Iedereen kreeg dezelfde verwerking.',
    ],
  ],
  strategieen: [
    [
      'Dacht hardop voor hoe je een verhaalsom aanpakt.',
      "Vroeg door: 'Hoe heb je dat aangepakt?'",
      'Korte terugblik: wat ging goed, wat doe je volgende keer anders?',
    ],
    [
      'Geen terugblik aan het eind van de les.',
      'De aanpak werd verteld, maar niet voorgedaan.',
      'Leerlingen controleerden hun werk niet voor het inleveren.',
    ],
  ],
  algemeen: [
    ['Duidelijk gezien, meerdere keren in de les.', 'Sterk moment, goed voorbeeld voor het team.'],
    ['Nog weinig van gezien in deze les.', 'Hier valt nog winst te halen.'],
  ],
};

/** Quick notes during the lesson, with the items (of our instruments) they are about, if any. */
export const NOTES: Array<[string, string[]]> = [
  ['Leerlingen bij de deur begroet.', ['lk-contact', 'ontvangst']],
  ['Compliment voor doorzetten.', ['lk-waardering', 'toon']],
  ['Fout antwoord rustig opgevangen.', ['lk-fouten', 'toon']],
  ['Start les twee minuten na de bel.', ['km-start', 'routines']],
  ['Stilteteken werkt direct.', ['km-afspraken', 'aandachtssignaal']],
  ['Overgang duurt lang (± 4 min.).', ['km-overgangen', 'overgangen']],
  ['Twee leerlingen achterin niet aan het werk.', ['km-overzicht', 'afspraken-gedrag']],
  ['Lesdoel op het bord.', ['di-doel', 'lesdoel']],
  ['Voordoen met de eerste som.', ['di-voorbeeld', 'uitleg-stappen']],
  ['Begripscheck met duim omhoog/omlaag.', ['di-begrip', 'begrip-checken']],
  ['Wisbordjes: iedereen doet mee.', ['ad-betrokkenheid']],
  ['Beurtstokjes gebruikt.', ['ad-beurten']],
  ["Denkvraag: 'Hoe weet je dat?'", ['ad-denkvragen']],
  ['Instructietafel: vijf leerlingen.', ['df-subgroep']],
  ['Plustaak voor snelle werkers.', ['df-uitdaging']],
  ['Instructietafel duurt 12 min.; de rest wacht met de vinger op.', ['df-tempo', 'tijdsgebruik']],
  ['Hardop denken bij een verhaalsom.', ['ls-hardop']],
  ['Leerling legt eigen aanpak uit aan de klas.', ['ls-verwoorden']],
  ['Terugblik op het lesdoel.', ['ls-terugblik']],
  ['Rustige, werkzame sfeer.', []],
  ['Groep wat onrustig na de pauze.', []],
  ['Onderwijsassistent helpt bij de instructietafel.', []],
  ['Zelfstandig werken begint.', []],
  ['Leerlingen werken geconcentreerd.', []],
];

export const TOPS = [
  'Je wachtte na het belletje tot het helemaal stil was; de groep reageerde direct.',
  'Je begroette iedere leerling bij de deur; de les begon rustig en op tijd.',
  'Je uitleg was kort en stap voor stap, met een duidelijk voorbeeld op het bord.',
  'De leerlingen wisten precies wat ze moesten doen en wat ze konden doen als ze klaar waren.',
  'Je gaf oprechte complimenten voor inzet; de sfeer was warm en veilig.',
];
export const TIPS = [
  'Geef bij elke wissel eerst een seintje en zet de stappen op het bord; over drie weken kijken we opnieuw.',
  'Noem aan het begin het lesdoel en kom er aan het eind kort op terug.',
  'Laat na je uitleg alle leerlingen het antwoord op een wisbordje schrijven, zodat je ziet wie extra hulp nodig heeft.',
  'Spreek een vast stilteteken af en oefen het een week lang bij elke les.',
  'Leg de materialen voor de verwerking al voor de les klaar.',
];
export const NEXT_STEPS = [
  'Over drie weken kijken we opnieuw naar de overgangen.',
  'Volgende keer let ik op de verdeling van de beurten.',
  'Ik probeer twee weken lang wisbordjes bij de instructie.',
];
export const REMARKS = [
  'Goede les, fijne sfeer in de groep.',
  'Nagesprek gepland op donderdag.',
  'Lesonderdeel liep iets uit.',
];
/** What a teacher writes back after reading feedback. */
export const REFLECTIONS = [
  'Herkenbaar. Ik merk zelf ook dat de wissels onrustig verlopen; ik ga het seintje uitproberen.',
  'Fijn om te lezen dat de uitleg duidelijk was. Het lesdoel vergeet ik inderdaad vaak aan het eind.',
  'Goede tip over de wisbordjes, die liggen al in de kast. Volgende week begin ik ermee.',
  'Ik had zelf niet gezien dat de stille leerlingen weinig beurten kregen. Daar let ik nu op.',
  'Dank je wel! In het gesprek hebben we afgesproken dat je over een maand nog een keer komt kijken.',
];
/** Why an observer says no to a request, this time. */
export const DECLINE_REASONS = [
  'Die week heb ik zelf toetsen in de groep; kan het de week erna?',
  'Op dat moment sta ik voor mijn eigen groep. Vraag je het iemand van de bovenbouw?',
];
