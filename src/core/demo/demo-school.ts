/**
 * A believable demo school, generated from a seed: teams, teachers (some of them starters with a coach), school
 * years, and a few years of observations with ratings that follow a simple Rasch (partial-credit) model, so the
 * dashboards, the development focus ("zone of next development") and the Rasch estimation have realistic data to
 * work on. The same options always give the same school, to the last id.
 *
 * The model, in short: every teacher has an ability on the logit scale of the instrument's item difficulties.
 * Experienced teachers start around +0.5 (± 0.8) and grow slowly (about 0.35 logits a year, the team's own
 * professional development); starters start around −1.5 and grow fast in their
 * first years. A rating is drawn from the partial-credit model with step thresholds around the item's difficulty;
 * a lesson (good or bad day), an observer (lenient or strict) and a teacher's strong and weak domains shift it a
 * little. Self-assessments come out a little more positive than a colleague's view.
 *
 * Plain data in, plain records out: no clock, no Math.random, no platform APIs; `now` is the only notion of time.
 */
import { allItems } from '../instrument/localize';
import type { Instrument, Item, Rule, Scale, SnapshotField, SnapshotResponse } from '../instrument/types';
import { instrumentKey, responseId } from '../model/records';
import type {
  ItemResponse,
  Note,
  Observation,
  ObservationStatus,
  Person,
  Purpose,
  RatingValue,
  School,
  SchoolYear,
  SnapshotValues,
  Team,
  Timestamp,
  Uuid,
} from '../model/records';
import { createRandom, type Random } from './random';

export interface DemoSchoolOptions {
  /** Default 2026. */
  seed?: number;
  /**
   * The installed instruments. The first of kind `observation` is required and used for most observations; a
   * `self-assessment` (preferably one based on it) is used for self-assessments and a `coaching` instrument for a
   * coach's visits to starters, when present.
   */
  instruments: Instrument[];
  /** Date.now()-style milliseconds: the generated school years end around this moment, nothing happens after it. */
  now: number;
  /** Default 3. */
  teams?: number;
  /** Teachers (role `teacher`); a leader and one or two coaches come on top. Default 20. */
  teachers?: number;
  /** School years, the last one being the current one. Default 2. */
  years?: number;
  /** Default 4; a partial current year gets its share. */
  observationsPerTeacherPerYear?: number;
}

export interface DemoSchool {
  school: School;
  teams: Team[];
  people: Person[];
  schoolYears: SchoolYear[];
  observations: Observation[];
  responses: ItemResponse[];
  notes: Note[];
}

export const DEFAULT_DEMO_SEED = 2026;

// ---------------------------------------------------------------------------------------------------------------
// Time

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365.25 * DAY;

/** Lesson start times (minutes after local midnight), 8:30 to 14:00 (+ a few minutes), so lessons end by 15:00. */
const MORNING_SLOTS = [510, 525, 540, 555, 570, 585, 600, 615, 630, 645, 660, 675];
const AFTERNOON_SLOTS = [780, 795, 810, 825, 840];
const ALL_SLOTS = [...MORNING_SLOTS, ...AFTERNOON_SLOTS];
/** Most primary schools are closed on Wednesday afternoon. */
const WEDNESDAY_SLOTS = MORNING_SLOTS.slice(0, 9);

/** Holidays as [month, day] ranges (month 1–12, inclusive), roughly the Dutch school holidays; summer both ends. */
const HOLIDAYS: Array<[number, number, number, number]> = [
  [8, 1, 8, 24], // zomervakantie (end)
  [10, 18, 10, 26], // herfstvakantie
  [12, 20, 12, 31], // kerstvakantie
  [1, 1, 1, 4],
  [2, 14, 2, 22], // voorjaarsvakantie
  [4, 25, 5, 5], // meivakantie (with Koningsdag and Bevrijdingsdag)
  [7, 11, 7, 31], // zomervakantie (start)
];

function isHoliday(month: number, day: number): boolean {
  const md = month * 100 + day;
  for (const [m1, d1, m2, d2] of HOLIDAYS) if (md >= m1 * 100 + d1 && md <= m2 * 100 + d2) return true;
  return false;
}

/** The Netherlands' UTC offset in hours on a calendar date: summer time from the last Sunday of March to the last Sunday of October. */
function amsterdamOffset(dateUtc: number): number {
  const date = new Date(dateUtc);
  const year = date.getUTCFullYear();
  const lastSunday = (month: number) => {
    const last = Date.UTC(year, month + 1, 0);
    return last - new Date(last).getUTCDay() * DAY;
  };
  return dateUtc >= lastSunday(2) && dateUtc < lastSunday(9) ? 2 : 1;
}

const pad = (n: number) => String(n).padStart(2, '0');

interface SchoolDay {
  /** Date.UTC of the calendar date: comparable with other dates. */
  date: number;
  /** The instant of local (Dutch) midnight. */
  localMidnight: Timestamp;
  weekday: number;
}

interface YearInfo {
  index: number;
  record: SchoolYear;
  /** Instant of local midnight on 1 August. */
  start: Timestamp;
  days: SchoolDay[];
  /** School days strictly before today (completed lessons happen there). */
  pastDays: SchoolDay[];
}

function schoolDays(startYear: number): SchoolDay[] {
  const out: SchoolDay[] = [];
  const end = Date.UTC(startYear + 1, 6, 31);
  for (let date = Date.UTC(startYear, 7, 1); date <= end; date += DAY) {
    const d = new Date(date);
    const weekday = d.getUTCDay();
    if (weekday === 0 || weekday === 6 || isHoliday(d.getUTCMonth() + 1, d.getUTCDate())) continue;
    out.push({ date, localMidnight: date - amsterdamOffset(date) * HOUR, weekday });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Content

const SCHOOL_NAMES = [
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

interface TeamPlan {
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

function teamLayout(count: number): TeamPlan[] {
  const fixed = TEAM_LAYOUTS[count];
  if (fixed) return fixed;
  // More teams: the three-team layout per location ("Onderbouw Noord (groep 1-2)").
  const base = TEAM_LAYOUTS[3]!;
  return Array.from({ length: count }, (_, i) => {
    const plan = base[i % 3]!;
    const round = Math.floor(i / 3);
    const location = LOCATIONS[round % LOCATIONS.length]! + (round >= LOCATIONS.length ? ` ${Math.floor(round / LOCATIONS.length) + 1}` : '');
    return { name: plan.name.replace(' (', ` ${location} (`), groups: plan.groups };
  });
}

/** Group 1 stands for the combined kindergarten class "groep 1-2". */
const groupLabel = (group: number) => (group === 1 ? 'groep 1-2' : `groep ${group}`);

const SUBJECTS = {
  kleuters: ['kring', 'taalactiviteit', 'rekenactiviteit', 'spelen en werken', 'voorlezen'],
  groep3: ['rekenen', 'technisch lezen', 'spelling', 'taal', 'schrijven'],
  middenbouw: ['rekenen', 'spelling', 'taal', 'begrijpend lezen', 'technisch lezen', 'wereldoriëntatie'],
  bovenbouw: ['rekenen', 'taal', 'spelling', 'begrijpend lezen', 'aardrijkskunde', 'geschiedenis', 'natuur en techniek', 'Engels'],
};

function subjectsFor(group: number): string[] {
  if (group <= 2) return SUBJECTS.kleuters;
  if (group === 3) return SUBJECTS.groep3;
  if (group <= 5) return SUBJECTS.middenbouw;
  return SUBJECTS.bovenbouw;
}

const FIRST_NAMES = [
  'Anouk', 'Sanne', 'Lotte', 'Femke', 'Eva', 'Iris', 'Marloes', 'Inge', 'Ellen', 'Petra', 'Karin', 'Mirjam',
  'Esther', 'Nadia', 'Fatima', 'Samira', 'Yasmina', 'Naima', 'Ayşe', 'Elif', 'Zeynep', 'Priya', 'Shanti', 'Chantal',
  'Ingrid', 'Wendy', 'Marieke', 'Joyce', 'Kim', 'Lieke', 'Noor', 'Roos', 'Hanna', 'Jolien', 'Yara', 'Dewi', 'Mei',
  'Linh', 'Daan', 'Bram', 'Thijs', 'Jeroen', 'Mark', 'Erik', 'Pieter', 'Sander', 'Joost', 'Mohamed', 'Youssef',
  'Hamza', 'Mehmet', 'Emre', 'Kevin', 'Rachid', 'Wouter', 'Ruud', 'Bas', 'Tim', 'Jasper', 'Orlando', 'Bilal',
  'Soufiane', 'Anand', 'Frank', 'Martijn', 'Floor', 'Hester', 'Saskia',
];

const LAST_NAMES = [
  'de Vries', 'Jansen', 'van den Berg', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot',
  'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits',
  'de Graaf', 'van der Meer', 'van der Linden', 'Kok', 'Jacobs', 'de Haan', 'Vermeulen', 'van Dijk', 'Schouten',
  'Willems', 'Hoekstra', 'Koster', 'Prins', 'Kuipers', 'Postma', 'El Amrani', 'Bouzidi', 'Yılmaz', 'Demir', 'Kaya',
  'Öztürk', 'Ramdin', 'Baldewsingh', 'Nguyen', 'Tran', 'Kartosen', 'Pinas', 'Martina', 'Haddou', 'Ait Taleb', 'Wong',
  'Doğan', 'Kramer', 'Verhoeven', 'Timmermans', 'Bosman', 'Scholten', 'van Beek', 'Wijnands',
];

const FOCUS_QUESTIONS = [
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

const STARTER_FOCUS_QUESTIONS = [
  'Hoe krijg ik de aandacht van de groep snel en rustig terug?',
  'Houd ik me consequent aan de afspraken over gedrag?',
  'Hoe kan ik de start van de les rustiger laten verlopen?',
  'Is mijn uitleg stap voor stap genoeg voor de hele groep?',
  'Weten de leerlingen wat ze moeten doen als ze klaar zijn?',
];

type Category = 'klimaat' | 'management' | 'instructie' | 'activerend' | 'differentiatie' | 'strategieen' | 'algemeen';

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

function categoryOf(domainId: string, itemId: string): Category {
  return DOMAIN_CATEGORY[domainId] ?? PREFIX_CATEGORY[itemId.split('-')[0] ?? ''] ?? 'algemeen';
}

/** Evidence notes: what an observer writes next to a high ([0]) or a low ([1]) rating. */
const EVIDENCE: Record<Category, [string[], string[]]> = {
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
const NOTES: Array<[string, string[]]> = [
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

const TOPS = [
  'Je wachtte na het belletje tot het helemaal stil was; de groep reageerde direct.',
  'Je begroette iedere leerling bij de deur; de les begon rustig en op tijd.',
  'Je uitleg was kort en stap voor stap, met een duidelijk voorbeeld op het bord.',
  'De leerlingen wisten precies wat ze moesten doen en wat ze konden doen als ze klaar waren.',
  'Je gaf oprechte complimenten voor inzet; de sfeer was warm en veilig.',
];
const TIPS = [
  'Geef bij elke wissel eerst een seintje en zet de stappen op het bord; over drie weken kijken we opnieuw.',
  'Noem aan het begin het lesdoel en kom er aan het eind kort op terug.',
  'Laat na je uitleg alle leerlingen het antwoord op een wisbordje schrijven, zodat je ziet wie extra hulp nodig heeft.',
  'Spreek een vast stilteteken af en oefen het een week lang bij elke les.',
  'Leg de materialen voor de verwerking al voor de les klaar.',
];
const NEXT_STEPS = [
  'Over drie weken kijken we opnieuw naar de overgangen.',
  'Volgende keer let ik op de verdeling van de beurten.',
  'Ik probeer twee weken lang wisbordjes bij de instructie.',
];
const REMARKS = ['Goede les, fijne sfeer in de groep.', 'Nagesprek gepland op donderdag.', 'Lesonderdeel liep iets uit.'];

// ---------------------------------------------------------------------------------------------------------------
// Instrument plans: what the generator needs per item, worked out once per instrument.

interface PlanItem {
  item: Item;
  itemId: string;
  domainIndex: number;
  category: Category;
  type: Item['response']['type'];
  difficulty: number;
  /** Rating: the level values (low to high), the step thresholds (absolute logits) and the reverse flag. */
  levels?: number[];
  steps?: number[];
  notObserved: boolean;
  reverse: boolean;
  lookForIds: string[];
  evidence: boolean;
}

interface Plan {
  instrument: Instrument;
  key: string;
  items: PlanItem[];
  rules: Rule[];
  /** Item ids a rule looks at. */
  triggers: Set<string>;
  domainIds: string[];
  /** For each domain, the index of its first item in `items`. */
  domainStart: number[];
  contextIds: Set<string>;
  itemIds: Set<string>;
}

/** Step thresholds of the partial-credit model: spaced 1.2 logits apart, centred on the item difficulty. */
function stepsAround(difficulty: number, levelCount: number): number[] {
  const steps: number[] = [];
  for (let j = 0; j < levelCount - 1; j++) steps.push(difficulty + 1.2 * (j - (levelCount - 2) / 2));
  return steps;
}

function planFor(instrument: Instrument): Plan {
  const scales = new Map<string, Scale>(instrument.scales.map((s) => [s.id, s]));
  const items: PlanItem[] = [];
  const domainStart: number[] = [];
  instrument.domains.forEach((domain, domainIndex) => {
    domainStart.push(items.length);
    const domainItems = allItems({ ...instrument, domains: [domain] });
    for (const item of domainItems) {
      const difficulty = item.difficulty ?? 0;
      const category = categoryOf(domain.id, item.id);
      const plan: PlanItem = {
        item,
        itemId: item.id,
        domainIndex,
        category,
        type: item.response.type,
        difficulty,
        notObserved: false,
        reverse: item.reverse === true,
        lookForIds: (item.lookFors ?? []).map((l) => l.id),
        evidence: item.evidence ?? item.response.type !== 'text',
      };
      if (item.response.type === 'rating') {
        const scale = scales.get(item.response.scale);
        if (!scale || scale.levels.length === 0) continue; // an unknown scale: leave the item unanswered
        plan.levels = scale.levels.map((l) => l.value);
        plan.steps = stepsAround(difficulty, scale.levels.length);
        plan.notObserved = scale.notObserved !== undefined;
      }
      items.push(plan);
    }
  });
  return {
    instrument,
    key: instrumentKey(instrument),
    items,
    rules: instrument.rules,
    triggers: new Set(instrument.rules.map((r) => r.when.item)),
    domainIds: instrument.domains.map((d) => d.id),
    domainStart,
    contextIds: new Set(instrument.context.map((c) => c.id)),
    itemIds: new Set(items.map((i) => i.itemId)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// People and participation

interface Actor {
  person: Person;
  /** Observer leniency in logits. */
  bias: number;
}

interface Teacher extends Actor {
  index: number;
  teamIndex: number;
  group: number;
  pupils: number;
  starter: boolean;
  /** Year index in which the teacher joined the school (starters join late). */
  joinYear: number;
  joinedAt: Timestamp;
  base: number;
  growth: number;
  /** Strong and weak domains (logit offsets by domain id). */
  domainOffset: Map<string, number>;
  coach?: Actor;
  /** Per year: how open to being observed, how keen to observe (relative weights), and the focus question. */
  observedWeight: number[];
  observerWeight: number[];
  focus: Array<string | undefined>;
}

/** Ability on the logit scale at a moment: experienced teachers grow slowly and linearly, starters fast, levelling off. */
function abilityAt(teacher: Teacher, at: Timestamp, spanStart: Timestamp): number {
  if (teacher.starter) return teacher.base + teacher.growth * (1 - Math.exp(-Math.max(0, at - teacher.joinedAt) / YEAR));
  return teacher.base + (teacher.growth * (at - spanStart)) / YEAR;
}

interface Pool {
  members: Teacher[];
  cumulative: number[];
  total: number;
}

function pool(members: Teacher[], weight: (t: Teacher) => number): Pool {
  const cumulative: number[] = [];
  let total = 0;
  for (const m of members) {
    total += weight(m);
    cumulative.push(total);
  }
  return { members, cumulative, total };
}

function drawFrom(p: Pool, rng: Random): Teacher | undefined {
  if (p.members.length === 0 || p.total <= 0) return undefined;
  const r = rng.next() * p.total;
  let lo = 0;
  let hi = p.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (p.cumulative[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return p.members[lo];
}

/** Draws from a pool, avoiding one teacher; gives up after a few tries (when the pool is nearly only that teacher). */
function drawOther(p: Pool, rng: Random, avoid: Teacher): Teacher | undefined {
  for (let attempt = 0; attempt < 8; attempt++) {
    const t = drawFrom(p, rng);
    if (t && t !== avoid) return t;
  }
  return p.members.find((m) => m !== avoid);
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

// ---------------------------------------------------------------------------------------------------------------

export function generateDemoSchool(options: DemoSchoolOptions): DemoSchool {
  const rng = createRandom(options.seed ?? DEFAULT_DEMO_SEED);
  const now = options.now;
  const teamCount = Math.max(1, Math.floor(options.teams ?? 3));
  const teacherCount = Math.max(1, Math.floor(options.teachers ?? 20));
  const yearCount = Math.max(1, Math.floor(options.years ?? 2));
  const perYear = Math.max(0, options.observationsPerTeacherPerYear ?? 4);

  const main = options.instruments.find((i) => i.kind === 'observation');
  if (!main) throw new Error('generateDemoSchool needs an installed instrument of kind "observation"');
  const selfInstrument =
    options.instruments.find((i) => i.kind === 'self-assessment' && i.basedOn?.id === main.id) ??
    options.instruments.find((i) => i.kind === 'self-assessment');
  const coachingInstrument = options.instruments.find((i) => i.kind === 'coaching');
  const mainPlan = planFor(main);
  const selfPlan = selfInstrument ? planFor(selfInstrument) : mainPlan;
  const coachPlan = coachingInstrument ? planFor(coachingInstrument) : mainPlan;

  // --- School years: the last one is the current one, unless it has barely begun (then the one that just ended).
  const nowOffset = amsterdamOffset(Math.floor(now / DAY) * DAY);
  const today = Math.floor((now + nowOffset * HOUR) / DAY) * DAY;
  const todayDate = new Date(today);
  const calendarYear = todayDate.getUTCFullYear();
  let lastStartYear = todayDate.getUTCMonth() >= 7 ? calendarYear : calendarYear - 1;
  if (today < Date.UTC(lastStartYear, 9, 1)) lastStartYear -= 1;
  const firstStartYear = lastStartYear - yearCount + 1;
  const spanStart = Date.UTC(firstStartYear, 7, 1) - 2 * HOUR;

  // --- The leader first: the owner of the school, its teams and its people.
  const usedNames = new Set<string>();
  const personName = (): string => {
    for (let attempt = 0; ; attempt++) {
      const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
      const candidate = attempt < 40 ? name : `${name} ${attempt}`;
      if (!usedNames.has(candidate)) {
        usedNames.add(candidate);
        return candidate;
      }
    }
  };
  const founded = spanStart - rng.int(30, 400) * DAY;
  const leaderId = rng.uuid();
  const baseRecord = (id: Uuid, createdAt: Timestamp) => ({ id, owner: leaderId, createdAt, updatedAt: createdAt });

  const school: School = { ...baseRecord(rng.uuid(), founded), name: rng.pick(SCHOOL_NAMES), demo: true };

  const years: YearInfo[] = [];
  for (let index = 0; index < yearCount; index++) {
    const startYear = firstStartYear + index;
    const start = Date.UTC(startYear, 7, 1) - 2 * HOUR;
    const createdAt = Math.min(now, start - rng.int(5, 40) * DAY);
    const record: SchoolYear = {
      ...baseRecord(rng.uuid(), createdAt),
      name: `${startYear}-${startYear + 1}`,
      startsOn: `${startYear}-08-01`,
      endsOn: `${startYear + 1}-07-31`,
    };
    const days = schoolDays(startYear);
    years.push({ index, record, start, days, pastDays: days.filter((d) => d.date < today) });
  }

  const layout = teamLayout(teamCount);
  const teams: Team[] = layout.map((plan) => ({ ...baseRecord(rng.uuid(), founded), name: plan.name }));

  const leader: Actor = {
    person: { ...baseRecord(leaderId, founded), name: personName(), role: 'leader', starter: false },
    bias: rng.normal(0, 0.2),
  };
  const coachCount = teacherCount >= 12 ? rng.int(1, 2) : 1;
  const coaches: Actor[] = Array.from({ length: coachCount }, () => ({
    person: {
      ...baseRecord(rng.uuid(), founded + rng.int(0, 20) * DAY),
      name: personName(),
      role: 'coach',
      starter: false,
    },
    bias: rng.normal(0, 0.2),
  }));

  // --- Teachers: spread over the teams; a few starters who joined in the last year or two, each with a coach.
  const starterCount = Math.min(
    teacherCount,
    Math.max(Math.min(3, Math.ceil(teacherCount / 4)), Math.round(teacherCount * (0.15 + 0.05 * rng.next()))),
  );
  // Starters spread over the teams: a random teacher of each team in turn.
  const byTeam = layout.map(() => [] as number[]);
  for (const i of rng.shuffle(Array.from({ length: teacherCount }, (_, i) => i))) byTeam[i % teamCount]!.push(i);
  const teamOrder = rng.shuffle(byTeam);
  const starterIndexes = new Set<number>();
  for (let round = 0; starterIndexes.size < starterCount; round++) {
    for (const members of teamOrder) if (members[round] !== undefined && starterIndexes.size < starterCount) starterIndexes.add(members[round]!);
  }
  const lastYear = years[yearCount - 1]!;
  const teachers: Teacher[] = [];
  let starterNumber = 0;
  for (let index = 0; index < teacherCount; index++) {
    const teamIndex = index % teamCount;
    const teamPlan = layout[teamIndex]!;
    const group = teamPlan.groups[Math.floor(index / teamCount) % teamPlan.groups.length]!;
    const starter = starterIndexes.has(index);
    // Starters: most in their second year now, a fourth one in their first.
    const joinYear = starter ? Math.max(0, yearCount - (starterNumber < 3 ? 2 : 1)) : 0;
    if (starter) starterNumber++;
    const joinedAt = starter ? years[joinYear]!.start + rng.int(1, 19) * DAY : founded + rng.int(0, 20) * DAY;
    const domainOffset = new Map<string, number>();
    for (const id of mainPlan.domainIds) domainOffset.set(id, rng.normal(0, 0.3));
    const focus: Array<string | undefined> = years.map(() =>
      rng.chance(0.65) ? rng.pick(starter ? STARTER_FOCUS_QUESTIONS : FOCUS_QUESTIONS) : undefined,
    );
    // Participation: some are keen, some reluctant, and some hardly take part in a given year (leave, a busy year).
    // Starters are always in the picture (their coaching trajectory), and colleagues like to visit them.
    const keen = rng.normal(0, 0.7);
    const observedWeight = years.map(() =>
      starter ? 2 * Math.exp(rng.normal(0, 0.3)) : rng.chance(0.08) ? 0.05 : Math.exp(keen + rng.normal(0, 0.15)),
    );
    const observerWeight = years.map(() => (rng.chance(0.1) ? 0.05 : Math.exp(keen + rng.normal(0, 0.5))));
    const currentFocus = focus[yearCount - 1];
    const person: Person = {
      ...baseRecord(rng.uuid(), joinedAt),
      name: personName(),
      role: 'teacher',
      teamId: teams[teamIndex]!.id,
      starter,
      ...(currentFocus !== undefined ? { focusQuestion: currentFocus } : {}),
    };
    if (currentFocus !== undefined) person.updatedAt = Math.min(now, Math.max(joinedAt, lastYear.start + rng.int(20, 60) * DAY));
    teachers.push({
      person,
      bias: rng.normal(0, 0.25),
      index,
      teamIndex,
      group,
      pupils: group === 1 ? rng.int(22, 30) : rng.int(19, 31),
      starter,
      joinYear,
      joinedAt,
      base: starter ? rng.normal(-1.5, 0.3) : rng.normal(0.5, 0.8),
      growth: starter ? rng.normal(2, 0.25) : Math.max(0.05, rng.normal(0.35, 0.1)),
      domainOffset,
      ...(starter ? { coach: coaches[starterNumber % coaches.length]! } : {}),
      observedWeight,
      observerWeight,
      focus,
    });
  }

  const people: Person[] = [leader.person, ...coaches.map((c) => c.person), ...teachers.map((t) => t.person)];

  // --- Observations
  const observations: Observation[] = [];
  const responses: ItemResponse[] = [];
  const notes: Note[] = [];

  interface LessonSetup {
    plan: Plan;
    observer: Actor;
    observed: Teacher;
    purpose: Purpose;
    year: YearInfo;
    startedAt: Timestamp;
    elapsedMs: number;
    /** Good or bad day, shared by both observers of a calibration lesson. */
    lessonEffect: number;
    context: Record<string, string | number>;
    focusQuestion: string | undefined;
    draft: boolean;
  }

  const contextFor = (plan: Plan, teacher: Teacher, subject: string): Record<string, string | number> => {
    const context: Record<string, string | number> = {};
    if (plan.contextIds.has('group')) context.group = groupLabel(teacher.group);
    if (plan.contextIds.has('subject')) context.subject = subject;
    if (plan.contextIds.has('pupils')) context.pupils = clamp(teacher.pupils + rng.int(-2, 1), 12, 34);
    return context;
  };

  const statusFor = (purpose: Purpose): ObservationStatus => {
    if (purpose === 'self') return rng.chance(0.8) ? 'completed' : 'acknowledged';
    const r = rng.next();
    if (purpose === 'coach') return r < 0.2 ? 'completed' : r < 0.45 ? 'shared' : 'acknowledged';
    return r < 0.35 ? 'completed' : r < 0.6 ? 'shared' : 'acknowledged';
  };

  /** Draws a level index 0..K−1 from the partial-credit model: P(k) ∝ exp(Σ_{j<k} (θ − δ_j)). */
  const scratch = new Float64Array(32);
  const drawLevel = (theta: number, steps: number[]): number => {
    const weights = steps.length < scratch.length ? scratch : new Float64Array(steps.length + 1);
    let psi = 0;
    let total = 1;
    weights[0] = 1;
    for (let j = 0; j < steps.length; j++) {
      psi += theta - steps[j]!;
      const w = Math.exp(psi);
      weights[j + 1] = w;
      total += w;
    }
    let r = rng.next() * total;
    for (let k = 0; k < steps.length; k++) {
      r -= weights[k]!;
      if (r < 0) return k;
    }
    return steps.length;
  };

  const snapshotMinutes = (response: SnapshotResponse): number[] => {
    const s = response.schedule;
    if ('atMinutes' in s) return s.atMinutes;
    const out: number[] = [];
    if (s.everyMinutes > 0) for (let m = s.fromMinute; m <= s.untilMinute; m += s.everyMinutes) out.push(m);
    return out;
  };

  const snapshotValue = (field: SnapshotField, theta: number, scales: Map<string, Scale>): number | string | string[] | undefined => {
    const r = field.response;
    switch (r.type) {
      case 'counter':
        return clamp(Math.round(Math.abs(rng.normal(Math.max(0, 2 - theta), 1.5))), r.min ?? 0, r.max ?? 40);
      case 'choice': {
        if (r.options.length === 0) return undefined;
        const id = rng.pick(r.options).id;
        return r.multiple ? [id] : id;
      }
      case 'yes-no':
        return rng.chance(logistic(theta + 1)) ? 'yes' : 'no';
      case 'rating': {
        const levels = scales.get(r.scale)?.levels;
        if (!levels || levels.length === 0) return undefined;
        return levels[drawLevel(theta, stepsAround(0, levels.length))]!.value;
      }
    }
  };

  const textFor = (itemId: string, focus: string | undefined): string => {
    if (/sterk|top/.test(itemId)) return rng.pick(TOPS);
    if (/ontwikkel|tip|verbeter/.test(itemId)) return rng.pick(TIPS);
    if (/kijkvraag|vraag/.test(itemId)) return focus ?? rng.pick(FOCUS_QUESTIONS);
    if (/stap|doel/.test(itemId)) return rng.pick(NEXT_STEPS);
    return rng.pick(REMARKS);
  };

  const addObservation = (setup: LessonSetup): void => {
    const { plan, observer, observed, purpose, startedAt, elapsedMs, draft } = setup;
    const id = rng.uuid();
    const owner = observer.person.id;
    const self = observer === observed;
    const theta =
      abilityAt(observed, startedAt, spanStart) + setup.lessonEffect + (self ? 0.4 + rng.normal(0, 0.2) : observer.bias);

    // A draft stopped part-way: the domain where the observer was, and how far into it.
    const stopDomain = draft ? rng.int(0, Math.max(0, plan.domainIds.length - 1)) : plan.domainIds.length - 1;
    const stopItem = draft ? (plan.domainStart[stopDomain] ?? 0) + rng.int(0, 3) : plan.items.length;

    const status: ObservationStatus = draft ? 'draft' : statusFor(purpose);
    const completedAt = draft ? undefined : startedAt + elapsedMs + rng.int(2, 90) * MINUTE;
    const updatedAt = draft
      ? startedAt + elapsedMs
      : Math.min(
          now,
          status === 'completed'
            ? completedAt!
            : status === 'shared'
              ? completedAt! + rng.int(10, 3 * 24 * 60) * MINUTE
              : completedAt! + rng.int(1, 14) * DAY,
        );
    const createdAt = startedAt - rng.int(2, 30) * MINUTE;
    const observation: Observation = {
      id,
      owner,
      createdAt,
      updatedAt,
      instrumentKey: plan.key,
      observerId: owner,
      observedId: observed.person.id,
      purpose,
      status,
      context: setup.context,
      schoolYearId: setup.year.record.id,
      clock: { elapsedMs },
      position: { domainId: plan.domainIds[stopDomain] },
      startedAt,
    };
    if (setup.focusQuestion !== undefined) observation.focusQuestion = setup.focusQuestion;
    if (completedAt !== undefined) observation.completedAt = completedAt;
    if (observation.position.domainId === undefined) observation.position = {};
    observations.push(observation);

    // Responses, in reading order, stamped through the lesson.
    const scales = new Map<string, Scale>();
    const answered: ItemResponse[] = [];
    let triggerAnswers: Map<string, ItemResponse> | undefined;
    const count = Math.min(stopItem, plan.items.length);
    for (let i = 0; i < count; i++) {
      const p = plan.items[i]!;
      const at = startedAt + Math.round((elapsedMs * (i + 1)) / (count + 1));
      // Whole literals, no spread and few added properties: a large school makes over a hundred thousand of these.
      const make = (lookFors: string[]): ItemResponse => ({
        id: responseId(id, p.itemId),
        owner,
        createdAt: at,
        updatedAt: at,
        observationId: id,
        itemId: p.itemId,
        lookFors,
      });
      const itemTheta = theta + (observed.domainOffset.get(plan.domainIds[p.domainIndex] ?? '') ?? 0);
      let response: ItemResponse | undefined;
      switch (p.type) {
        case 'rating': {
          const levels = p.levels!;
          let rating: RatingValue = 'not-observed';
          const lookFors: string[] = [];
          let evidence: string | undefined;
          if (rng.chance(0.07)) {
            if (!p.notObserved) break;
          } else {
            const k = drawLevel(itemTheta, p.steps!);
            const K = levels.length;
            rating = levels[p.reverse ? K - 1 - k : k]!;
            const tick = K > 1 ? 0.1 + (0.8 * k) / (K - 1) : 0.5;
            for (const lookFor of p.lookForIds) if (rng.chance(tick)) lookFors.push(lookFor);
            if (p.evidence && rng.chance(0.1)) {
              const [high, low] = EVIDENCE[p.category];
              evidence = rng.pick(k >= K / 2 ? high : low);
            }
          }
          const rid = responseId(id, p.itemId);
          response =
            evidence === undefined
              ? { id: rid, owner, createdAt: at, updatedAt: at, observationId: id, itemId: p.itemId, rating, lookFors }
              : { id: rid, owner, createdAt: at, updatedAt: at, observationId: id, itemId: p.itemId, rating, lookFors, evidence };
          break;
        }
        case 'checklist': {
          const tick = logistic(itemTheta - p.difficulty);
          response = make(p.lookForIds.filter(() => rng.chance(tick)));
          break;
        }
        case 'yes-no': {
          const allow = p.item.response.type === 'yes-no' && p.item.response.allowNotObserved === true;
          const answer = allow && rng.chance(0.05) ? 'not-observed' : rng.chance(logistic(itemTheta - p.difficulty + 1.5)) ? 'yes' : 'no';
          response = make([]);
          response.answer = answer;
          break;
        }
        case 'choice': {
          const r = p.item.response;
          if (r.type !== 'choice' || r.options.length === 0) break;
          const first = rng.pick(r.options).id;
          const choice = r.multiple && r.options.length > 1 && rng.chance(0.4) ? [first, rng.pick(r.options).id] : [first];
          response = make([]);
          response.choice = [...new Set(choice)];
          break;
        }
        case 'counter': {
          const r = p.item.response;
          if (r.type !== 'counter') break;
          const value = Math.round(Math.abs(rng.normal(Math.max(0, 1.5 - itemTheta), 1.2)));
          response = make([]);
          response.count = clamp(value, r.min ?? 0, r.max ?? 99);
          break;
        }
        case 'snapshot': {
          const r = p.item.response;
          if (r.type !== 'snapshot') break;
          if (scales.size === 0) for (const s of plan.instrument.scales) scales.set(s.id, s);
          const snapshots: Record<string, SnapshotValues> = {};
          for (const minute of snapshotMinutes(r)) {
            if (minute * MINUTE > elapsedMs) break;
            const values: SnapshotValues = {};
            for (const field of r.fields) {
              const v = snapshotValue(field, itemTheta, scales);
              if (v !== undefined) values[field.id] = v;
            }
            snapshots[String(minute)] = values;
          }
          response = make([]);
          response.snapshots = snapshots;
          break;
        }
        case 'text':
          if (rng.chance(0.85)) {
            response = make([]);
            response.text = textFor(p.itemId, setup.focusQuestion);
          }
          break;
      }
      if (!response) continue;
      answered.push(response);
      if (plan.triggers.has(p.itemId)) (triggerAnswers ??= new Map()).set(p.itemId, response);
    }

    // Rules: items another answer makes not applicable stay unanswered.
    let notApplicable: Set<string> | undefined;
    if (triggerAnswers) {
      for (const rule of plan.rules) {
        const trigger = triggerAnswers.get(rule.when.item);
        if (!trigger) continue;
        const given = trigger.rating ?? trigger.answer ?? trigger.choice;
        const values = Array.isArray(given) ? given : given === undefined ? [] : [given];
        if (values.some((v) => rule.when.in.some((w) => String(w) === String(v)))) {
          notApplicable ??= new Set();
          for (const target of rule.then.notApplicable) notApplicable.add(target);
        }
      }
    }
    for (const response of answered) if (!notApplicable?.has(response.itemId)) responses.push(response);

    // A few quick notes during the lesson.
    const noteCount = draft ? rng.int(0, 2) : rng.int(1, 4);
    const stamps: number[] = [];
    for (let n = 0; n < noteCount; n++) stamps.push(rng.int(30_000, Math.max(30_000, elapsedMs - 30_000)));
    stamps.sort((a, b) => a - b);
    for (const lessonMs of stamps) {
      const [text, about] = rng.pick(NOTES);
      const itemId = about.find((id) => plan.itemIds.has(id));
      const note: Note = {
        id: rng.uuid(),
        owner,
        createdAt: startedAt + lessonMs,
        updatedAt: startedAt + lessonMs,
        observationId: id,
        text,
        lessonMs,
      };
      if (itemId !== undefined) note.itemId = itemId;
      notes.push(note);
    }
  };

  const lessonStart = (day: SchoolDay): Timestamp =>
    day.localMidnight + rng.pick(day.weekday === 3 ? WEDNESDAY_SLOTS : ALL_SLOTS) * MINUTE + rng.int(0, 4) * MINUTE;
  const lessonLength = (): number =>
    clamp(Math.round(rng.normal(42, 4) * 60), 35 * 60, 50 * 60) * 1000 + rng.int(0, 999);
  const subjectFor = (teacher: Teacher) => rng.pick(subjectsFor(teacher.group));
  const focusFor = (teacher: Teacher, year: YearInfo, purpose: Purpose) => {
    const focus = teacher.focus[year.index];
    return focus !== undefined && purpose !== 'leader' && rng.chance(0.8) ? focus : undefined;
  };
  const yearOf = (date: number): YearInfo => {
    for (let i = years.length - 1; i >= 0; i--) if (years[i]!.days[0] && years[i]!.days[0]!.date <= date) return years[i]!;
    return years[0]!;
  };

  for (const year of years) {
    const days = year.pastDays;
    if (days.length === 0 || year.days.length === 0) continue;
    const present = teachers.filter((t) => t.joinYear <= year.index);
    const observerPool = pool(present, (t) => t.observerWeight[year.index]!);
    const teamPools = layout.map((_, teamIndex) =>
      pool(
        present.filter((t) => t.teamIndex === teamIndex),
        (t) => t.observerWeight[year.index]!,
      ),
    );
    const totalWeight = present.reduce((sum, t) => sum + t.observedWeight[year.index]!, 0);
    if (totalWeight <= 0) continue;

    // Each teacher's share of the year's observations follows their participation weight (rounded at random, so
    // the shares add up to the budget on average); a partial current year gets its share of the budget.
    const budget = (teacherCount * perYear * days.length) / year.days.length;
    const lessons: Teacher[] = [];
    for (const teacher of present) {
      const expected = (budget * teacher.observedWeight[year.index]!) / totalWeight;
      const count = Math.floor(expected) + (rng.chance(expected - Math.floor(expected)) ? 1 : 0);
      for (let n = 0; n < count; n++) lessons.push(teacher);
    }

    for (const observed of rng.shuffle(lessons)) {
      // Starters: mostly their coach, and the leader (their competence portfolio needs the leader's observations).
      const r = rng.next();
      let purpose: Purpose = observed.starter
        ? r < 0.45 ? 'coach' : r < 0.62 ? 'leader' : r < 0.92 ? 'peer' : 'self'
        : r < 0.76 ? 'peer' : r < 0.84 ? 'leader' : r < 0.95 ? 'self' : 'calibration';
      if (purpose === 'coach' && !observed.coach) purpose = 'peer';

      // Starters are visited after their first weeks at school.
      const eligibleDays = observed.starter && observed.joinYear === year.index ? days.slice(Math.min(days.length - 1, 15)) : days;
      const day = rng.pick(eligibleDays);
      const startedAt = lessonStart(day);
      const lessonEffect = rng.normal(0, 0.35);
      const subject = subjectFor(observed);

      let observer: Actor | undefined;
      if (purpose === 'peer' || purpose === 'calibration') {
        const team = teamPools[observed.teamIndex]!;
        observer = (rng.chance(0.75) ? drawOther(team, rng, observed) : undefined) ?? drawOther(observerPool, rng, observed);
        if (!observer) purpose = 'leader';
      }
      if (purpose === 'leader') observer = leader;
      if (purpose === 'self') observer = observed;
      if (purpose === 'coach') observer = observed.coach ?? leader;
      if (!observer) continue;

      const plan = purpose === 'self' ? selfPlan : purpose === 'coach' ? coachPlan : mainPlan;
      const context = contextFor(plan, observed, subject);
      const focusQuestion = focusFor(observed, year, purpose);
      const elapsedMs = lessonLength();
      const base = { plan, observed, purpose, year, startedAt, lessonEffect, context, focusQuestion, draft: false };
      addObservation({ ...base, observer, elapsedMs });
      if (purpose === 'calibration') {
        // The second observer of the same lesson: the leader or a coach, who watched alongside.
        const second: Actor = coaches.length > 0 && rng.chance(0.5) ? rng.pick(coaches) : leader;
        addObservation({ ...base, context: { ...context }, observer: second, elapsedMs: elapsedMs + rng.int(-60, 60) * 1000 });
      }
    }
  }

  // --- A few drafts from the last school days, not yet finished.
  const allPastDays = years.flatMap((y) => y.pastDays);
  const recentDays = allPastDays.slice(-5);
  if (recentDays.length > 0) {
    const draftCount = rng.int(1, 3);
    for (let n = 0; n < draftCount; n++) {
      const day = rng.pick(recentDays);
      const year = yearOf(day.date);
      const present = teachers.filter((t) => t.joinYear <= year.index);
      const observed = rng.pick(present.length > 0 ? present : teachers);
      const coach = observed.starter && observed.coach && rng.chance(0.5) ? observed.coach : undefined;
      const colleague = drawOther(pool(present, (t) => t.observerWeight[year.index]!), rng, observed);
      const observer: Actor = coach ?? colleague ?? leader;
      const purpose: Purpose = coach ? 'coach' : colleague ? 'peer' : 'leader';
      const plan = purpose === 'coach' ? coachPlan : mainPlan;
      addObservation({
        plan,
        observer,
        observed,
        purpose,
        year,
        startedAt: lessonStart(day),
        elapsedMs: rng.int(10, 30) * MINUTE + rng.int(0, 59) * 1000,
        lessonEffect: rng.normal(0, 0.35),
        context: contextFor(plan, observed, subjectFor(observed)),
        focusQuestion: focusFor(observed, year, purpose),
        draft: true,
      });
    }
  }

  return {
    school,
    teams,
    people,
    schoolYears: years.map((y) => y.record),
    observations,
    responses,
    notes,
  };
}
