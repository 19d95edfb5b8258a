/**
 * What the estimation of next steps needs from a school's observation summaries, as compact arrays: per lesson who
 * was observed, by whom, when, whether it was a calibration lesson and which team it counts for, and its ratings as
 * item indices and levels.
 * The app sends this to its Web Worker instead of the summaries themselves: typed arrays move to a worker without
 * being copied object by object (a board's 42,000 lessons hold over a million ratings), and a content key tells
 * whether the worker already holds the same data. `development()` (development.ts) computes from this form too, so
 * the app and a school server take the same path.
 */
import { flattenItems } from '../instrument/localize';
import type { Instrument } from '../instrument/types';
import type { RaschItem } from '../statistics/rasch';
import type { SummaryRow } from './aggregate';

export interface DevelopmentData {
  instrumentId: string;
  /** The instrument's rating items; a rating's `item` is an index into this list. */
  items: RaschItem[];
  /** Everyone a lesson names, observed or observer. */
  personIds: string[];
  /** Per person, their team as an index into `teamIds`, or −1. */
  personTeam: Int32Array;
  /** The school's teams (every team of the team map, once each, in its order). */
  teamIds: string[];
  /**
   * Per lesson, in the order of the rows: indices into `personIds`, the start time, 1 for a calibration lesson, and
   * the team it counts for in team figures (the observed teacher's team in the team map, else the row's own), as
   * an index into `teamIds` or −1.
   */
  lessons: {
    observed: Int32Array;
    observer: Int32Array;
    startedAt: Float64Array;
    calibration: Uint8Array;
    team: Int32Array;
  };
  /**
   * Lesson l's ratings are `start[l]` … `start[l + 1] − 1`; a level is 0 … K−1, or `OUT_OF_SCALE` for a level the
   * summary held outside the item's scale (the estimation leaves it out and counts it, only in lessons it takes in).
   */
  ratings: { start: Int32Array; item: Uint16Array; level: Uint8Array };
}

/** The rating items of the instrument with their levels and default difficulty. */
export function raschItems(instrument: Instrument): RaschItem[] {
  const scales = new Map(instrument.scales.map((s) => [s.id, s]));
  return instrument.domains
    .flatMap((d) => flattenItems(d.items))
    .flatMap((item) => {
      if (item.response.type !== 'rating') return [];
      const levels = scales.get(item.response.scale)?.levels.length ?? 0;
      return levels >= 2
        ? [
            {
              itemId: item.id,
              levels,
              ...(item.difficulty !== undefined ? { defaultDifficulty: item.difficulty } : {}),
            },
          ]
        : [];
    });
}

/**
 * The level that marks a rating outside its item's scale (NaN, negative, not a whole number, K or more): above every
 * level of an item this form takes (at most 255 levels, 0 … 254; the instrument format allows 11).
 */
const OUT_OF_SCALE = 255;

/** The rows the estimation takes: lessons rated with `instrument` by someone else than the teacher. */
export function lessonRows(rows: readonly SummaryRow[], instrument: Instrument): SummaryRow[] {
  // A self-assessment is another measurement (development.ts).
  return rows.filter((r) => r.instrumentId === instrument.id && r.purpose !== 'self');
}

/**
 * The lessons of `rows` the estimation takes (`lessonRows`), in their order, with their ratings of the instrument's
 * rating items (`DevelopmentEncoder`).
 */
export function developmentData(
  rows: readonly SummaryRow[],
  instrument: Instrument,
  teams: Readonly<Record<string, string | undefined>>,
): DevelopmentData {
  const lessons = lessonRows(rows, instrument);
  const encoder = new DevelopmentEncoder(instrument, teams, lessons.length);
  for (const row of lessons) encoder.add(row);
  return encoder.finish();
}

/**
 * Encodes lessons one at a time, so a caller can spread the work over several tasks. A rating of an item the
 * instrument does not rate is left out (the estimation ignores it); a level outside the item's scale (not a whole
 * number from 0 to K−1, as a summary of another version of the instrument may hold) is kept as `OUT_OF_SCALE`, so
 * that it neither counts as a level nor as the latest one, and the estimation can say how many there were.
 */
export class DevelopmentEncoder {
  readonly #instrumentId: string;
  readonly #items: RaschItem[];
  readonly #itemIndex: Map<string, number>;
  readonly #teams: Readonly<Record<string, string | undefined>>;
  readonly #teamIds: string[];
  readonly #teamIndex: Map<string, number>;
  readonly #personIndex = new Map<string, number>();
  readonly #personIds: string[] = [];
  readonly #lessons: DevelopmentData['lessons'];
  readonly #start: Int32Array;
  readonly #item: Uint16Array;
  readonly #level: Uint8Array;
  #lesson = 0;
  #rating = 0;

  /** `lessons`: how many lessons will be added. */
  constructor(instrument: Instrument, teams: Readonly<Record<string, string | undefined>>, lessons: number) {
    this.#instrumentId = instrument.id;
    this.#items = raschItems(instrument);
    if (this.#items.length > 0xffff) throw new RangeError(`${instrument.id} has more rating items than can be indexed`);
    if (this.#items.some((item) => item.levels > OUT_OF_SCALE))
      throw new RangeError(`${instrument.id} has a scale with more levels than can be held`);
    this.#itemIndex = new Map(this.#items.map((item, i) => [item.itemId, i]));
    this.#teams = teams;
    this.#teamIds = [...new Set(Object.values(teams).filter((t): t is string => !!t))];
    this.#teamIndex = new Map(this.#teamIds.map((id, i) => [id, i]));
    this.#lessons = {
      observed: new Int32Array(lessons),
      observer: new Int32Array(lessons),
      startedAt: new Float64Array(lessons),
      calibration: new Uint8Array(lessons),
      team: new Int32Array(lessons),
    };
    this.#start = new Int32Array(lessons + 1);
    // A summary rates each item at most once: no lesson has more ratings than the instrument has items.
    this.#item = new Uint16Array(lessons * this.#items.length);
    this.#level = new Uint8Array(lessons * this.#items.length);
  }

  /** Adds the next lesson: a row of `lessonRows`. */
  add(row: SummaryRow): void {
    const l = this.#lesson++;
    const lessons = this.#lessons;
    if (l >= lessons.observed.length) throw new RangeError('more lessons than announced');
    lessons.observed[l] = this.#personOf(row.observedId);
    lessons.observer[l] = this.#personOf(row.observerId);
    lessons.startedAt[l] = row.startedAt;
    lessons.calibration[l] = row.purpose === 'calibration' ? 1 : 0;
    const team = this.#teams[row.observedId] || row.teamId;
    lessons.team[l] = team ? (this.#teamIndex.get(team) ?? -1) : -1;
    const rated = row.summary.items;
    const ids = Object.keys(rated);
    let n = this.#rating;
    for (let k = 0; k < ids.length; k++) {
      const i = this.#itemIndex.get(ids[k]!);
      if (i === undefined) continue;
      const value = rated[ids[k]!]![0];
      this.#item[n] = i;
      this.#level[n] = Number.isInteger(value) && value >= 0 && value < this.#items[i]!.levels ? value : OUT_OF_SCALE;
      n++;
    }
    this.#rating = n;
    this.#start[l + 1] = n;
  }

  finish(): DevelopmentData {
    if (this.#lesson !== this.#lessons.observed.length) throw new RangeError('fewer lessons than announced');
    const personTeam = Int32Array.from(this.#personIds, (id) => {
      const team = this.#teams[id];
      return team ? this.#teamIndex.get(team)! : -1;
    });
    return {
      instrumentId: this.#instrumentId,
      items: this.#items,
      personIds: this.#personIds,
      personTeam,
      teamIds: this.#teamIds,
      lessons: this.#lessons,
      ratings: {
        start: this.#start,
        item: this.#item.slice(0, this.#rating),
        level: this.#level.slice(0, this.#rating),
      },
    };
  }

  #personOf(id: string): number {
    let index = this.#personIndex.get(id);
    if (index === undefined) {
      index = this.#personIds.length;
      this.#personIndex.set(id, index);
      this.#personIds.push(id);
    }
    return index;
  }
}

/** The buffers of `data`'s arrays, to transfer to a worker instead of copying them (they are unusable here after). */
export function dataBuffers(data: DevelopmentData): ArrayBuffer[] {
  const { lessons, ratings } = data;
  return [
    data.personTeam,
    lessons.observed,
    lessons.observer,
    lessons.startedAt,
    lessons.calibration,
    lessons.team,
    ratings.start,
    ratings.item,
    ratings.level,
  ].map((array) => array.buffer as ArrayBuffer);
}

/**
 * A key of everything in `data` (53 bits of a hash over all of it, with the sizes): equal data give the same key,
 * and different data a different one but for a chance of about 1 in 10^16 per pair. It reads each value once.
 */
export function developmentDataKey(data: DevelopmentData): string {
  const hash = new WordHash();
  hash.text(data.instrumentId);
  for (const item of data.items) {
    hash.text(item.itemId);
    hash.word(item.levels);
    hash.number(item.defaultDifficulty ?? Number.NaN);
  }
  for (const id of data.personIds) hash.text(id);
  for (const id of data.teamIds) hash.text(id);
  hash.words(data.personTeam);
  const { lessons, ratings } = data;
  hash.words(lessons.observed);
  hash.words(lessons.observer);
  hash.words(new Int32Array(lessons.startedAt.buffer, lessons.startedAt.byteOffset, lessons.startedAt.length * 2));
  hash.words(lessons.calibration);
  hash.words(lessons.team);
  hash.words(ratings.start);
  hash.word(ratings.item.length);
  for (let r = 0; r < ratings.item.length; r++) hash.word((ratings.item[r]! << 8) | ratings.level[r]!);
  return hash.digest();
}

/** cyrb53 (two 32-bit lanes mixed into 53 bits) over 32-bit words rather than characters. */
class WordHash {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;

  word(value: number): void {
    this.h1 = Math.imul(this.h1 ^ value, 2654435761);
    this.h2 = Math.imul(this.h2 ^ value, 1597334677);
  }

  words(values: ArrayLike<number>): void {
    this.word(values.length);
    for (let i = 0; i < values.length; i++) this.word(values[i]!);
  }

  number(value: number): void {
    const words = new Int32Array(Float64Array.of(value).buffer);
    this.word(words[0]!);
    this.word(words[1]!);
  }

  text(value: string): void {
    this.word(value.length);
    for (let i = 0; i < value.length; i++) this.word(value.charCodeAt(i));
  }

  digest(): string {
    let h1 = Math.imul(this.h1 ^ (this.h1 >>> 16), 2246822507);
    h1 ^= Math.imul(this.h2 ^ (this.h2 >>> 13), 3266489909);
    let h2 = Math.imul(this.h2 ^ (this.h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
  }
}
