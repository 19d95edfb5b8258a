/**
 * A small seeded pseudo-random generator for demo data and tests: the same seed always gives the same sequence, on
 * every platform. It is sfc32 (Small Fast Counting, 128-bit state) seeded through splitmix32. Not for anything
 * secret: real records get their ids from `crypto.randomUUID()`, never from here.
 */

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An unsigned 32-bit integer. */
  uint32(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A normally distributed number (Box–Muller). */
  normal(mean?: number, sd?: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A shuffled copy (Fisher–Yates); the input is left alone. */
  shuffle<T>(items: readonly T[]): T[];
  /** A string formatted as an RFC 4122 version-4 UUID, drawn from this generator (so reproducible). */
  uuid(): string;
}

const TWO_POW_32 = 0x1_0000_0000;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(word: number): string {
  return HEX[(word >>> 24) & 0xff]! + HEX[(word >>> 16) & 0xff]! + HEX[(word >>> 8) & 0xff]! + HEX[word & 0xff]!;
}

export function createRandom(seed: number): Random {
  // splitmix32 spreads any seed (0, 1, 2 …) over the whole 128-bit state.
  let s = Number.isFinite(seed) ? Math.trunc(seed) >>> 0 : 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let t = s ^ (s >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
  // The state lives in a typed array: 32-bit values in closure variables would be boxed on every draw.
  const state = new Int32Array([splitmix(), splitmix(), splitmix(), splitmix()]);

  const uint32 = (): number => {
    const a = state[0]!;
    const b = state[1]!;
    const c = state[2]!;
    const d = state[3]!;
    const t = (((a + b) | 0) + d) | 0;
    state[3] = (d + 1) | 0;
    state[0] = b ^ (b >>> 9);
    state[1] = (c + (c << 3)) | 0;
    state[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) uint32();

  const next = (): number => uint32() / TWO_POW_32;

  const int = (min: number, max: number): number => {
    const lo = Math.ceil(min);
    const hi = Math.floor(max);
    if (hi < lo) throw new RangeError(`int(${min}, ${max}): empty range`);
    return lo + Math.floor(next() * (hi - lo + 1));
  };

  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('pick() from an empty array');
    return items[Math.floor(next() * items.length)] as T;
  };

  const normal = (mean = 0, sd = 1): number => {
    const u = 1 - next(); // (0, 1]: the logarithm stays finite
    const v = next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };

  const chance = (p: number): boolean => next() < p;

  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  };

  const uuid = (): string => {
    const w0 = uint32();
    const w1 = ((uint32() & 0xffff0fff) | 0x00004000) >>> 0; // version 4
    const w2 = ((uint32() & 0x3fffffff) | 0x80000000) >>> 0; // variant 10xx
    const w3 = uint32();
    const h1 = hex32(w1);
    const h2 = hex32(w2);
    const h3 = hex32(w3);
    return `${hex32(w0)}-${h1.slice(0, 4)}-${h1.slice(4)}-${h2.slice(0, 4)}-${h2.slice(4)}${h3}`;
  };

  return { next, uint32, int, pick, normal, chance, shuffle, uuid };
}
